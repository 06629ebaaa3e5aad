// The centre's answer to one pushed mutation, recorded on the device: applied → acked,
// rejected, or conflict, with the code and Chinese message for the 同步 page. Recording is
// idempotent (the centre answers a replay with the stored result). Once no unanswered mutation
// holds a row any more, a pulled change that waited for it (sync_deferred) is applied: after
// `acked` only if the centre's version is newer than ours (our change is the centre's now);
// after `rejected` or `conflict` the centre's row wins here, and ours stays in the outbox record
// for a person (issue #13's inbox). All in one transaction, with capture off.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { mutationResultSchema, type Change, type MutationResult } from '../../../shared/sync/protocol';
import { withCaptureOff } from './capture';
import { issueText } from './row-codec';
import { storeMeta } from './table-meta';
import { applyChange, hasPendingChange, loadRow, reindexTouched } from './pull';

type Db = Kysely<Database>;
export type OutboxStatus = 'acked' | 'rejected' | 'conflict';

const STATUS: Record<MutationResult['status'], OutboxStatus> = { applied: 'acked', rejected: 'rejected', conflict: 'conflict' };

export class PushResultRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushResultRefused';
  }
}

export async function recordPushResult(
  db: Db,
  clock: Clock,
  result: unknown,
): Promise<{ status: OutboxStatus; deferredApplied: number; repeated: boolean }> {
  const parsed = mutationResultSchema.safeParse(result);
  if (!parsed.success) throw new PushResultRefused(`中心的答复格式不正确：${issueText(parsed.error)}，未记录`);
  if (!db.isTransaction) return db.transaction().execute((trx) => recordPushResult(trx, clock, parsed.data));
  const r = parsed.data;
  const row = await db.selectFrom('sync_outbox').selectAll().where('seq', '=', r.seq).executeTakeFirst();
  if (!row || row.mutation_id !== r.mutationId)
    throw new PushResultRefused(`中心答复的第 ${r.seq} 条记录与本机待同步记录不符，未记录。请联系管理员核对`);
  const status = STATUS[r.status];
  if (row.status !== 'pending') {
    if (row.status === status) return { status, deferredApplied: 0, repeated: true };
    throw new PushResultRefused(`第 ${r.seq} 条记录已记为“${row.status}”，中心这次答复为“${r.status}”，未记录。请联系管理员核对`);
  }
  const now = chinaInstant(clock.now());
  await db
    .updateTable('sync_outbox')
    .set({ status, result: JSON.stringify(r), acked_at: now, last_error: status === 'acked' ? null : (r.message ?? r.code ?? status) })
    .where('seq', '=', r.seq)
    .execute();
  const keys = await db.deleteFrom('sync_outbox_keys').where('seq', '=', r.seq).returning(['tbl', 'key']).execute();

  let deferredApplied = 0;
  await withCaptureOff(db, async () => {
    const meta = await storeMeta(db);
    const touched = new Set<string>();
    for (const k of keys) {
      if (await hasPendingChange(db, k.tbl, k.key)) continue;
      const waiting = await db
        .deleteFrom('sync_deferred')
        .where('tbl', '=', k.tbl)
        .where('key', '=', k.key)
        .returning('change')
        .executeTakeFirst();
      if (!waiting) continue;
      const t = meta.tables.get(k.tbl);
      if (!t) continue;
      const change = JSON.parse(waiting.change) as Change;
      if (status === 'acked' && t.spec.merge === 'versioned' && t.spec.versionColumn) {
        const local = await loadRow(db, t, change.key);
        if (local && change.version <= Number(local[t.spec.versionColumn])) continue;
      }
      if ((await applyChange(db, clock, t, change, touched)) === 'applied') deferredApplied++;
    }
    await reindexTouched(db, touched);
  });
  return { status, deferredApplied, repeated: false };
}
