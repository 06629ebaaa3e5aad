// One sync pass (docs/sync-protocol.md §8): push, then pull.
//
// Push: the outbox's pending mutations in seq order, in batches of at most PUSH_MAX_MUTATIONS,
// each batch's blobs uploaded first (asked by hash, so a resend uploads nothing twice); every
// result the centre answers is recorded (recordPushResult, idempotent) before the next batch. A
// `SEQ_GAP` (the centre holds fewer of our mutations than we think: it was restored) resends from
// the seq it expects, acknowledged ones included; `DEVICE_REVOKED` ends the pass and marks the
// device revoked, the outbox kept as it is. Any other failure ends the pass with the outbox as it
// stands: the next pass sends the same mutations again, which the centre answers from its stored
// results (exactly once is the centre's keying by (device, seq), not this loop's luck).
//
// Pull, only once no mutation is pending: pages from the stored cursor, each page's blobs fetched
// and staged before the page and its cursor are applied in one transaction (applyCheckedPage, which
// refuses a page it cannot trust and then writes nothing); the next page is asked for meanwhile.
//
// Leases, then the office's conflict inbox and who holds its cases, last (issue #13): the device reports its document-number blocks and stores the blocks
// the centre tops it up with (sync/leases.ts), so it can issue numbers offline until the next pass.
//
// Everything the pass needs comes in as an argument: store, clock, device key, transport.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import type { Clock } from '../clock';
import type { DeviceKey } from '../crypto/device-key';
import { PULL_DEFAULT_LIMIT, PUSH_MAX_BYTES, PUSH_MAX_MUTATIONS, type MutationResult, type PullReply } from '../../../shared/sync/protocol';
import { CentreClient, CentreError, type FetchLike } from './centre-client';
import { notePushFailure, wireMutations, type WireMutation } from '../replication/outbox';
import { recordPushResults, PushResultRefused } from '../replication/push-result';
import { missingBlobs, readBlob, stageBlob } from '../replication/blobs';
import { applyCheckedPage, pullCursor, PullRefused } from '../replication/pull';
import { closeAbandonedPasses, finishPass, readSyncState, startPass, type Enrolment, type PassOutcome, type PassTrigger } from './state';
import { pullReferenceItems } from '../reference/feed';
import { exchangeLeases, LeaseRefused } from './leases';
import { storeConflicts } from './conflicts';
import { storeHolders } from './holders';

type Db = Kysely<Database>;

export interface SyncProgress {
  phase: 'push' | 'pull' | 'done' | 'failed';
  /** Mutations pushed or changes pulled so far in this pass. */
  done: number;
  /** Mutations waiting when the push began (0 while pulling: the centre does not say how many are left). */
  total: number;
  message: string;
}

export interface SyncPassDeps {
  db: Db;
  clock: Clock;
  key: DeviceKey;
  /** The transport (fetch by default); tests pass a fault-injecting one. */
  fetch?: FetchLike;
  timeoutMs?: number;
  pushBatch?: number;
  /** The largest push body in bytes (PUSH_MAX_BYTES by default; tests pass less). */
  pushBytes?: number;
  pullLimit?: number;
  onProgress?: (p: SyncProgress) => void;
  /** Called after a pulled page changed local rows (hosts publish data.changed). */
  onPulled?: () => void;
  /** Test hook: named points of a pass, so a child process can be killed exactly there. */
  checkpoint?: (name: 'push-sent' | 'push-replied' | 'pull-page-fetched' | 'pull-page-applied') => void;
}

export interface PassSummary {
  ok: boolean;
  outcome: PassOutcome;
  pushed: number;
  pulled: number;
  conflicts: number;
  rejected: number;
  /** Plain Chinese; empty when the pass succeeded. */
  errors: string[];
  /** The centre answered at least once in this pass. */
  reachedCentre: boolean;
}

/** Hashes of the BLOBs a batch names, once each. */
function blobHashes(batch: readonly WireMutation[]): string[] {
  return [...new Set(batch.flatMap((m) => m.blobs))];
}

/** The batch's longest head whose push body stays within `max` bytes: at least one mutation (a larger one alone gets the centre's 413). */
function withinBytes(batch: WireMutation[], max: number): WireMutation[] {
  let bytes = 64; // the envelope around the mutations
  for (let i = 0; i < batch.length; i++) {
    bytes += Buffer.byteLength(batch[i]!.json) + 1;
    if (bytes > max && i > 0) return batch.slice(0, i);
  }
  return batch;
}

class PassStop extends Error {
  constructor(
    readonly outcome: PassOutcome,
    message: string,
  ) {
    super(message);
  }
}

export async function runSyncPass(deps: SyncPassDeps, trigger: PassTrigger): Promise<PassSummary> {
  const { db, clock } = deps;
  const state = await readSyncState(db);
  const summary: PassSummary = {
    ok: false,
    outcome: 'failed',
    pushed: 0,
    pulled: 0,
    conflicts: 0,
    rejected: 0,
    errors: [],
    reachedCentre: false,
  };
  if (!state.enrolment) {
    summary.errors.push('本机尚未在中心注册：请管理员在「同步」页填写中心地址和注册码');
    return summary;
  }
  if (state.revokedAt) {
    summary.outcome = 'revoked';
    summary.errors.push(state.lastError ?? '本机已被中心停用，不再同步。待上传的记录仍保存在本机，可在「同步」页导出');
    return summary;
  }
  await closeAbandonedPasses(db);
  const passId = await startPass(db, clock, trigger);
  const progress = (p: SyncProgress): void => deps.onProgress?.(p);
  const client = new CentreClient({
    baseUrl: state.enrolment.centreUrl,
    key: deps.key,
    deviceId: state.enrolment.deviceId,
    fetch: deps.fetch,
    timeoutMs: deps.timeoutMs,
  });
  try {
    await push(deps, client, summary, progress);
    if (summary.errors.length === 0) await pull(deps, client, summary, progress);
    // Hook (issue #13): the centre's signed reference data, after the rows (reference/feed.ts).
    if (summary.errors.length === 0) await pullReference(deps, client, state.enrolment);
    if (summary.errors.length === 0) await leases(deps, client, state.enrolment);
    if (summary.errors.length === 0) await conflictInbox(deps, client);
    if (summary.errors.length === 0) await holders(deps, client, state.enrolment);
    summary.ok = summary.errors.length === 0;
    summary.outcome = summary.ok ? 'ok' : 'failed';
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    summary.errors.push(message);
    summary.outcome =
      e instanceof PassStop ? e.outcome : e instanceof CentreError && (e.code === 'NETWORK' || e.code === 'TIMEOUT') ? 'offline' : 'failed';
  }
  await finishPass(db, clock, passId, summary.outcome, summary, summary.errors[0] ?? null);
  progress({
    phase: summary.ok ? 'done' : 'failed',
    done: summary.pushed + summary.pulled,
    total: summary.pushed + summary.pulled,
    message: summary.ok ? `同步完成：上传 ${summary.pushed} 条，下载 ${summary.pulled} 条` : (summary.errors[0] ?? '同步未完成'),
  });
  return summary;
}

function revoked(e: unknown): PassStop | null {
  if (e instanceof CentreError && e.code === 'DEVICE_REVOKED')
    return new PassStop('revoked', `${e.message}（本机已被中心停用：待上传的记录仍保存在本机，可在「同步」页导出交给管理员）`);
  return null;
}

async function push(deps: SyncPassDeps, client: CentreClient, summary: PassSummary, progress: (p: SyncProgress) => void): Promise<void> {
  const { db, clock } = deps;
  const size = Math.min(deps.pushBatch ?? PUSH_MAX_MUTATIONS, PUSH_MAX_MUTATIONS);
  const waiting = Number(
    (
      await db
        .selectFrom('sync_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'pending')
        .executeTakeFirst()
    )?.n ?? 0,
  );
  progress({ phase: 'push', done: 0, total: waiting, message: waiting > 0 ? `正在上传 ${waiting} 条变更` : '没有待上传的变更' });
  // Set after a SEQ_GAP: resend from here whatever the rows' status (the centre lost them).
  let from: number | null = null;
  let stalls = 0;
  let blobRetry = false;
  for (;;) {
    const batch = withinBytes(await wireMutations(db, size, from), deps.pushBytes ?? PUSH_MAX_BYTES);
    if (batch.length === 0) {
      if (from === null) return;
      from = null;
      continue;
    }
    const seqs = batch.map((m) => m.seq);
    let reply;
    try {
      const hashes = blobHashes(batch);
      for (let i = 0; i < hashes.length; i += 1000)
        for (const h of await client.blobsMissing(hashes.slice(i, i + 1000))) {
          const bytes = await readBlob(db, h);
          if (!bytes) throw new PassStop('failed', `第 ${batch[0]!.seq} 条起的变更引用的文件在本机已找不到，无法上传。请联系管理员`);
          await client.putBlob(h, bytes);
        }
      deps.checkpoint?.('push-sent');
      reply = await client.pushWire(batch);
      summary.reachedCentre = true;
    } catch (e) {
      const stop = revoked(e);
      if (stop) throw stop;
      if (e instanceof CentreError && e.status !== null) summary.reachedCentre = true;
      if (e instanceof CentreError && e.code === 'SEQ_GAP' && e.expectedSeq !== undefined) {
        summary.reachedCentre = true;
        if (++stalls > 3) throw new PassStop('failed', `中心反复要求从第 ${e.expectedSeq} 条重新上传，本次同步已停止。请联系管理员`);
        from = e.expectedSeq;
        continue;
      }
      if (e instanceof CentreError && e.code === 'NOT_FOUND' && !blobRetry) {
        // A blob went missing between asking and pushing (another node, a cleanup): ask again once.
        blobRetry = true;
        continue;
      }
      if (!(e instanceof PassStop)) await notePushFailure(db, seqs, e instanceof Error ? e.message : String(e));
      throw e;
    }
    deps.checkpoint?.('push-replied');
    if (reply.results.length === 0) {
      if (++stalls > 3) throw new PassStop('failed', '中心没有接受任何变更，本次同步已停止，稍后会自动重试');
      continue;
    }
    stalls = 0;
    blobRetry = false;
    // One transaction for the batch's results: one commit (one fsync) instead of one per mutation.
    const counted = { ...summary };
    await db.transaction().execute(async (trx) => record(trx, clock, reply.results, counted));
    Object.assign(summary, { pushed: counted.pushed, conflicts: counted.conflicts, rejected: counted.rejected });
    if (from !== null) from = reply.results[reply.results.length - 1]!.seq + 1;
    progress({ phase: 'push', done: summary.pushed, total: Math.max(waiting, summary.pushed), message: `已上传 ${summary.pushed} 条` });
  }
}

async function record(db: Db, clock: Clock, results: readonly MutationResult[], summary: PassSummary): Promise<void> {
  try {
    for (const out of await recordPushResults(db, clock, results)) {
      if (out.repeated) continue;
      summary.pushed++;
      if (out.status === 'conflict') summary.conflicts++;
      if (out.status === 'rejected') summary.rejected++;
    }
  } catch (e) {
    if (e instanceof PushResultRefused) throw new PassStop('failed', e.message);
    throw e;
  }
}

async function pullReference(deps: SyncPassDeps, client: CentreClient, enrolment: Enrolment): Promise<void> {
  try {
    const out = await pullReferenceItems(deps.db, deps.clock, client, enrolment);
    if (out.applied > 0) deps.onPulled?.();
  } catch (e) {
    const stop = revoked(e);
    if (stop) throw stop;
    throw e;
  }
}

async function leases(deps: SyncPassDeps, client: CentreClient, enrolment: Enrolment): Promise<void> {
  try {
    await exchangeLeases(deps.db, deps.clock, enrolment, client);
  } catch (e) {
    const stop = revoked(e);
    if (stop) throw stop;
    if (e instanceof LeaseRefused) throw new PassStop('failed', e.message);
    throw e;
  }
}

/** The office's 同步冲突 list, kept here so the inbox works offline (sync/conflicts.ts). */
async function conflictInbox(deps: SyncPassDeps, client: CentreClient): Promise<void> {
  try {
    await storeConflicts(deps.db, deps.clock, await client.conflicts());
  } catch (e) {
    const stop = revoked(e);
    if (stop) throw stop;
    throw e;
  }
}

/** Who holds each case the office sees: kept here so the rule holds offline (sync/holders.ts). */
async function holders(deps: SyncPassDeps, client: CentreClient, enrolment: Enrolment): Promise<void> {
  try {
    await storeHolders(deps.db, deps.clock, enrolment.officeId, await client.holders());
  } catch (e) {
    const stop = revoked(e);
    if (stop) throw stop;
    throw e;
  }
}

async function pull(deps: SyncPassDeps, client: CentreClient, summary: PassSummary, progress: (p: SyncProgress) => void): Promise<void> {
  const { db, clock } = deps;
  const limit = deps.pullLimit ?? PULL_DEFAULT_LIMIT;
  progress({ phase: 'pull', done: 0, total: 0, message: '正在下载中心的变更' });
  // The next page is asked for (with the cursor this page returns) while this one is applied: the
  // centre's answer and the device's writes overlap. Only the request runs ahead; its blobs, its
  // apply and its cursor still come after this page's, in order. If this page fails, the
  // prefetched one is dropped unread, and the stored cursor is this page's predecessor's.
  let ahead: Promise<PullReply> | null = null;
  for (let pages = 0; ; pages++) {
    let page: PullReply;
    const cursor = (await pullCursor(db)) ?? '';
    try {
      page = await (ahead ?? client.pull(cursor, limit));
      ahead = null;
      summary.reachedCentre = true;
      const hashes = page.changes.flatMap((c) =>
        Object.values(c.row ?? {}).flatMap((v) => (v && typeof v === 'object' && '$blob' in v ? [v.$blob] : [])),
      );
      for (const h of await missingBlobs(db, hashes)) await stageBlob(db, clock, h, await client.getBlob(h));
    } catch (e) {
      const stop = revoked(e);
      if (stop) throw stop;
      throw e;
    }
    deps.checkpoint?.('pull-page-fetched');
    // Nothing new (the cursor stays put on an empty page): nothing to store.
    if (page.changes.length === 0 && page.cursor === cursor) return;
    if (page.more && page.cursor !== '') {
      ahead = client.pull(page.cursor, limit);
      // Dropped if this page fails: its failure (if any) is then nobody's to report.
      ahead.catch(() => undefined);
    }
    try {
      const out = await applyCheckedPage(db, clock, page);
      summary.pulled += out.applied + out.deferred;
      if (out.applied > 0) deps.onPulled?.();
    } catch (e) {
      if (e instanceof PullRefused) throw new PassStop('failed', e.message);
      throw e;
    }
    deps.checkpoint?.('pull-page-applied');
    progress({ phase: 'pull', done: summary.pulled, total: 0, message: `已下载 ${summary.pulled} 条` });
    if (!page.more) return;
  }
}
