// What the device knows about its centre and its sync passes (sync_state's enrolment and status
// columns, sync_passes): read for the status slot, the 同步 page and every pass; written by
// enrolment and at the start and end of each pass. The pull cursor itself is replication/pull.ts's.
import { sql, type Kysely } from 'kysely';
import type { Database, SyncPassesTable } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';

type Db = Kysely<Database>;

export interface Enrolment {
  centreUrl: string;
  deviceId: string;
  deviceTag: string;
  officeId: string;
  officeName: string;
  centreKeyId: string;
  centrePublicKey: string;
  enrolledAt: string;
}

export interface SyncStateView {
  enrolment: Enrolment | null;
  revokedAt: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  pullCursor: string | null;
}

export async function readSyncState(db: Db): Promise<SyncStateView> {
  const s = await db.selectFrom('sync_state').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  const enrolled = s.device_id && s.centre_url && s.device_tag && s.office_id && s.centre_key_id && s.centre_public_key && s.enrolled_at;
  return {
    enrolment: enrolled
      ? {
          centreUrl: s.centre_url!,
          deviceId: s.device_id!,
          deviceTag: s.device_tag!,
          officeId: s.office_id!,
          officeName: s.office_name ?? '',
          centreKeyId: s.centre_key_id!,
          centrePublicKey: s.centre_public_key!,
          enrolledAt: s.enrolled_at!,
        }
      : null,
    revokedAt: s.revoked_at,
    lastAttemptAt: s.last_attempt_at,
    lastSuccessAt: s.last_success_at,
    lastError: s.last_error,
    pullCursor: s.pull_cursor,
  };
}

export async function saveEnrolment(db: Db, e: Enrolment): Promise<void> {
  await db
    .updateTable('sync_state')
    .set({
      centre_url: e.centreUrl,
      device_id: e.deviceId,
      device_tag: e.deviceTag,
      office_id: e.officeId,
      office_name: e.officeName,
      centre_key_id: e.centreKeyId,
      centre_public_key: e.centrePublicKey,
      enrolled_at: e.enrolledAt,
      revoked_at: null,
      last_error: null,
    })
    .where('id', '=', 1)
    .execute();
}

export type PassTrigger = SyncPassesTable['trigger'];
export type PassOutcome = Exclude<SyncPassesTable['outcome'], 'running'>;

export async function startPass(db: Db, clock: Clock, trigger: PassTrigger): Promise<string> {
  const id = newId();
  const now = chinaInstant(clock.now());
  await db.insertInto('sync_passes').values({ id, started_at: now, trigger, outcome: 'running' }).execute();
  await db.updateTable('sync_state').set({ last_attempt_at: now }).where('id', '=', 1).execute();
  return id;
}

export interface PassCounts {
  pushed: number;
  pulled: number;
  conflicts: number;
  rejected: number;
}

/** Ends a pass: its row in the history, and the status the slot shows (last success or last error). */
export async function finishPass(
  db: Db,
  clock: Clock,
  id: string,
  outcome: PassOutcome,
  counts: PassCounts,
  message: string | null,
): Promise<void> {
  const now = chinaInstant(clock.now());
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('sync_passes')
      .set({
        finished_at: now,
        outcome,
        pushed: counts.pushed,
        pulled: counts.pulled,
        conflicts: counts.conflicts,
        rejected: counts.rejected,
        message: message?.slice(0, 1000) ?? null,
      })
      .where('id', '=', id)
      .execute();
    await trx
      .updateTable('sync_state')
      .set(
        outcome === 'ok'
          ? { last_success_at: now, last_error: null }
          : { last_error: message?.slice(0, 1000) ?? null, ...(outcome === 'revoked' ? { revoked_at: now } : {}) },
      )
      .where('id', '=', 1)
      .execute();
  });
}

/** A pass that a killed process left 'running' is history, not a pass in progress. */
export async function closeAbandonedPasses(db: Db): Promise<void> {
  await db
    .updateTable('sync_passes')
    .set({ outcome: 'failed', message: '同步过程中应用被关闭，下次同步会从中断处继续' })
    .where('outcome', '=', 'running')
    .execute();
}

export async function listPasses(db: Db, limit: number) {
  return db.selectFrom('sync_passes').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function schemaVersion(db: Db): Promise<number> {
  const r = await sql<{ v: number | null }>`SELECT max(version) AS v FROM schema_migrations`.execute(db);
  return Number(r.rows[0]?.v ?? 0);
}
