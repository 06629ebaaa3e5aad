// What an administrator of the centre does from the command line: figures, revoking a device,
// assigning a case to another office (that office's devices then receive the whole case).
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Clock } from './clock';
import { CentralError, invalid } from './errors';
import { addHolder } from './links';
import { ensureOffice } from './offices';
import { voidLeases } from './leases';

export interface Stats {
  offices: number;
  devices: number;
  devicesRevoked: number;
  /** Mutations applied, each counted once whatever the number of retries. */
  mutations: number;
  rejected: number;
  conflicts: number;
  openConflicts: number;
  cases: number;
  records: number;
  blobs: number;
  changes: number;
}

export async function stats(db: Db): Promise<Stats> {
  const r = await sql<Stats>`
    SELECT
      (SELECT count(*)::int FROM offices) AS offices,
      (SELECT count(*)::int FROM devices WHERE revoked_at IS NULL) AS devices,
      (SELECT count(*)::int FROM devices WHERE revoked_at IS NOT NULL) AS "devicesRevoked",
      (SELECT count(*)::int FROM mutations WHERE status = 'applied') AS mutations,
      (SELECT count(*)::int FROM mutations WHERE status = 'rejected') AS rejected,
      (SELECT count(*)::int FROM mutations WHERE status = 'conflict') AS conflicts,
      (SELECT count(*)::int FROM conflicts WHERE resolved_at IS NULL) AS "openConflicts",
      (SELECT count(*)::int FROM records WHERE table_name = 'cases' AND NOT deleted) AS cases,
      (SELECT count(*)::int FROM records WHERE NOT deleted) AS records,
      (SELECT count(*)::int FROM blobs) AS blobs,
      (SELECT count(*)::int FROM changes) AS changes`.execute(db);
  return r.rows[0]!;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Revokes by device id or tag. The device's records stay; it can no longer sync. */
export async function revokeDevice(db: Db, clock: Clock, idOrTag: string): Promise<{ deviceId: string; tag: string; revokedAt: string }> {
  const which = idOrTag.trim();
  if (!which) throw invalid('请用 --device 指定设备编号或设备标识');
  return db.transaction().execute(async (trx) => {
    const q = trx.selectFrom('devices').select(['id', 'tag', 'revoked_at']);
    const d = await (UUID.test(which) ? q.where('id', '=', which.toLowerCase()) : q.where('tag', '=', which.toUpperCase()))
      .forUpdate()
      .executeTakeFirst();
    if (!d) throw new CentralError('NOT_FOUND', 404, `没有设备 ${which}`);
    const at = d.revoked_at ?? clock.now();
    if (!d.revoked_at) {
      await trx.updateTable('devices').set({ revoked_at: at.toISOString() }).where('id', '=', d.id).execute();
      await trx.deleteFrom('nonces').where('device_id', '=', d.id).execute();
      // Issue #13: its unused numbers are never accepted or leased again; the leases stay on record.
      await voidLeases(trx, d.id, at.toISOString());
    }
    return { deviceId: d.id, tag: d.tag, revokedAt: at.toISOString() };
  });
}

/** Gives an office a case (a case sent to a committee, a report filed centrally): its devices receive all of it. */
export async function assignCase(
  db: Db,
  clock: Clock,
  caseId: string,
  office: string,
): Promise<{ caseId: string; office: string; added: boolean }> {
  if (!caseId.trim()) throw invalid('请用 --case 指定案件编号');
  const o = await ensureOffice(db, clock, office);
  const r = await db.transaction().execute((trx) => addHolder(trx, caseId.trim(), o.id, clock.now().toISOString()));
  return { caseId: caseId.trim(), office: o.name, added: r.added };
}
