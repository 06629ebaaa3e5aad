// The centre's answer to one pushed mutation, recorded on the device: applied → acked,
// rejected, or conflict, with the code and Chinese message for the 同步 page. Recording is
// idempotent (the centre answers a replay with the stored result). Once no unanswered mutation
// holds a row any more, a pulled change that waited for it (sync_deferred) is applied: after
// `acked` only if the centre's version is newer than ours (our change is the centre's now);
// after `rejected` or `conflict` the centre's row wins here, and ours stays in the outbox record
// for a person (issue #13's inbox). All in one transaction, with capture off.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { mutationResultSchema, type Change, type MutationResult } from '../../../shared/sync/protocol';
import { withCaptureOff } from './capture';
import { issueText } from './row-codec';
import { storeMeta } from './table-meta';
import { refreshDirty } from '../monitoring/derived';
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
      // Refused here: the centre's state of the row wins when it comes down, whatever its version.
      if (status === 'acked') await db.deleteFrom('sync_yield').where('tbl', '=', k.tbl).where('key', '=', k.key).execute();
      else
        await db
          .insertInto('sync_yield')
          .values({ tbl: k.tbl, key: k.key, since: now })
          .onConflict((oc) => oc.columns(['tbl', 'key']).doNothing())
          .execute();
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
    if (touched.size > 0) await refreshDirty(db, clock);
  });
  return { status, deferredApplied, repeated: false };
}

/**
 * A whole reply's results, recorded in the caller's transaction. When every result is a first
 * `applied` for a pending mutation (a push that went well), the batch is marked acknowledged with
 * one statement, its keys released with one more, and only the keys a pulled change waits on are
 * looked at one by one; anything else goes through recordPushResult, result by result.
 */
export async function recordPushResults(
  db: Db,
  clock: Clock,
  results: readonly unknown[],
): Promise<{ status: OutboxStatus; repeated: boolean }[]> {
  if (!db.isTransaction) return db.transaction().execute((trx) => recordPushResults(trx, clock, results));
  const parsed = results.map((r) => mutationResultSchema.safeParse(r));
  const all = parsed.flatMap((p) => (p.success ? [p.data] : []));
  const fast = all.length === results.length && all.length > 0 && all.every((r) => r.status === 'applied');
  const rows = fast
    ? await db
        .selectFrom('sync_outbox')
        .select(['seq', 'mutation_id', 'status'])
        .where(
          'seq',
          'in',
          all.map((r) => r.seq),
        )
        .execute()
    : [];
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  if (!fast || !all.every((r) => bySeq.get(r.seq)?.mutation_id === r.mutationId && bySeq.get(r.seq)?.status === 'pending')) {
    const out: { status: OutboxStatus; repeated: boolean }[] = [];
    for (const r of results) out.push(await recordPushResult(db, clock, r));
    return out;
  }
  const now = chinaInstant(clock.now());
  const json = JSON.stringify(all.map((r) => ({ seq: r.seq, result: JSON.stringify(r) })));
  await sql`
    UPDATE sync_outbox SET status = 'acked', result = j.value ->> 'result', acked_at = ${now}, last_error = NULL
    FROM json_each(${json}) AS j WHERE sync_outbox.seq = j.value ->> 'seq'`.execute(db);
  const seqs = JSON.stringify(all.map((r) => r.seq));
  // Which keys came free matters only to a yield or a deferred pulled change; usually there is none.
  const waits = await sql<{ n: number }>`
    SELECT EXISTS (SELECT 1 FROM sync_yield) OR EXISTS (SELECT 1 FROM sync_deferred) AS n`.execute(db);
  if (!waits.rows[0]?.n) {
    await sql`DELETE FROM sync_outbox_keys WHERE seq IN (SELECT value FROM json_each(${seqs}))`.execute(db);
    return all.map(() => ({ status: 'acked' as const, repeated: false }));
  }
  // The keys no mutation still waiting holds: acknowledged, so no refusal of ours is pending on them.
  const freed = (
    await sql<{ tbl: string; key: string }>`
      DELETE FROM sync_outbox_keys WHERE seq IN (SELECT value FROM json_each(${seqs})) RETURNING tbl, key`.execute(db)
  ).rows;
  const keys = JSON.stringify([...new Map(freed.map((k) => [`${k.tbl}\u0000${k.key}`, k])).values()]);
  const free = (
    await sql<{ tbl: string; key: string }>`
      SELECT j.value ->> 'tbl' AS tbl, j.value ->> 'key' AS key FROM json_each(${keys}) AS j
      WHERE NOT EXISTS (SELECT 1 FROM sync_outbox_keys k JOIN sync_outbox o ON o.seq = k.seq
        WHERE k.tbl = j.value ->> 'tbl' AND k.key = j.value ->> 'key' AND o.status = 'pending')`.execute(db)
  ).rows;
  if (free.length > 0) {
    const freeJson = JSON.stringify(free);
    await sql`
      DELETE FROM sync_yield WHERE EXISTS (SELECT 1 FROM json_each(${freeJson}) AS j
        WHERE j.value ->> 'tbl' = sync_yield.tbl AND j.value ->> 'key' = sync_yield.key)`.execute(db);
    const waiting = (
      await sql<{ tbl: string; key: string; change: string }>`
        DELETE FROM sync_deferred WHERE EXISTS (SELECT 1 FROM json_each(${freeJson}) AS j
          WHERE j.value ->> 'tbl' = sync_deferred.tbl AND j.value ->> 'key' = sync_deferred.key) RETURNING tbl, key, change`.execute(db)
    ).rows;
    if (waiting.length > 0)
      await withCaptureOff(db, async () => {
        const meta = await storeMeta(db);
        const touched = new Set<string>();
        for (const w of waiting) {
          const t = meta.tables.get(w.tbl);
          if (!t) continue;
          const change = JSON.parse(w.change) as Change;
          if (t.spec.merge === 'versioned' && t.spec.versionColumn) {
            const local = await loadRow(db, t, change.key);
            if (local && change.version <= Number(local[t.spec.versionColumn])) continue;
          }
          await applyChange(db, clock, t, change, touched);
        }
        await reindexTouched(db, touched);
        if (touched.size > 0) await refreshDirty(db, clock);
      });
  }
  return all.map(() => ({ status: 'acked' as const, repeated: false }));
}
