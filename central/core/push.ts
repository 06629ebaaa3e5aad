// Push, exactly once (docs/sync-protocol.md §4). A push batch is one PostgreSQL transaction that
// locks the device row (so two nodes serialise one device's pushes), answers replays from the
// stored results, stops at a gap or a missing blob, checks the audit copies and the users' roles,
// applies the mutations' rows in order by their merge rules (oip_apply_batch: a refused or
// conflicting mutation rolls back only itself and is still recorded), and stores every result
// with the device's new last_seq — all or nothing, so a reply lost after the commit is answered
// identically when the device retries. Set-based: one read of the users, the taken mutation ids,
// the blobs and the audit neighbours for the batch, one insert of its results and audit copies.
import { sql } from 'kysely';
import { CATALOGUE_VERSION, SYNC_TABLES, rowKeyString } from '../../shared/sync/tables';
import type { Mutation, MutationResult, PushReply, PushRequest } from '../../shared/sync/protocol';
import type { Db } from '../db/database';
import type { Clock } from './clock';
import { AuditBatch } from './audit-copies';
import { newId } from './crypto';
import { CentralError, invalid } from './errors';
import {
  blobRefs,
  carriesDocument,
  checkDocuments,
  prepareRows,
  rowsOutcome,
  type RowConflict,
  type RowOutcomeRow,
  type RowSpec,
} from './merge';
import { LINKS } from './links';
import { BASELINE_KIND, checkAccess, kindLabel, type Refusal, type UserRecord } from './roles';
import { revokedError, type Device } from './auth';
import { checkCustody, custodyElsewhere } from './holders';
import { checkMerge, signedAmongMerged } from './case-merges';

/** SQLSTATEs worth retrying: serialization failure, deadlock (two nodes crossing on rows), and a
 * mutation id claimed by another node meanwhile (the retry then finds it and records a duplicate). */
const RETRY = new Set(['40001', '40P01', '23505']);

function sqlState(e: unknown): string {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : '';
}

export async function push(db: Db, clock: Clock, device: Device, req: PushRequest): Promise<PushReply> {
  if (req.catalogueVersion !== CATALOGUE_VERSION)
    throw new CentralError(
      'PROTOCOL_UNSUPPORTED',
      400,
      `本机的同步目录版本（${req.catalogueVersion}）与中心（${CATALOGUE_VERSION}）不一致，请先升级应用`,
    );
  for (let i = 1; i < req.mutations.length; i++)
    if (req.mutations[i]!.seq !== req.mutations[i - 1]!.seq + 1) throw invalid('一批推送中的变更序号必须连续递增');
  if (req.mutations.length === 0) return { ok: true, results: [], lastSeq: device.lastSeq };
  const out = await withRetry(() => db.transaction().execute((trx) => applyBatch(trx, clock, device, req.mutations)));
  if (out.results.length > 0) return { ok: true, results: out.results, lastSeq: out.lastSeq };
  if (out.stop?.kind === 'gap')
    throw new CentralError('SEQ_GAP', 409, `中心收到的变更序号不连续：应从第 ${out.stop.expectedSeq} 条开始重新推送`, out.stop.expectedSeq);
  throw new CentralError('NOT_FOUND', 409, `变更引用的 ${out.stop?.missing ?? 0} 个文件尚未上传到中心：请先上传文件再推送`);
}

async function withRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (attempt >= 5 || !RETRY.has(sqlState(e))) throw e;
    }
  }
}

interface StoredResult {
  seq: number;
  mutation_id: string;
  status: MutationResult['status'];
  code: string | null;
  message: string | null;
  conflict_id: string | null;
}

const resultOf = (r: StoredResult): MutationResult => ({
  seq: r.seq,
  mutationId: r.mutation_id,
  status: r.status,
  code: r.code,
  message: r.message,
  conflictId: r.conflict_id,
});

type Stop = { kind: 'gap'; expectedSeq: number } | { kind: 'blobs'; missing: number };

interface BatchOutcome {
  results: MutationResult[];
  lastSeq: number;
  stop: Stop | null;
}

/** A mutation on its way into oip_apply_batch: refused already (`decided`), or its rows to apply. */
interface Pending {
  m: Mutation;
  decided: Refusal | null;
  specs: RowSpec[];
}

const usersTable = SYNC_TABLES.find((t) => t.table === 'users')!;
const userKey = (id: string): string => rowKeyString(usersTable, { id });
/** Tables whose rows decide who may do what: the users' records are read again after a mutation writes them. */
const ACCESS_TABLES = new Set(['users', 'user_roles']);

async function applyBatch(trx: Db, clock: Clock, device: Device, batch: readonly Mutation[]): Promise<BatchOutcome> {
  const now = clock.now().toISOString();
  const ids = batch.map((m) => m.mutationId);
  // The device row is locked for the whole transaction: one device's pushes are serialised across
  // nodes. The batch's mutation ids already taken come in the same round trip.
  const d = await sql<{ last_seq: number; revoked: boolean; taken: { id: string; seq: number }[] | null }>`
    SELECT last_seq, revoked_at IS NOT NULL AS revoked,
      (SELECT jsonb_agg(jsonb_build_object('id', mutation_id, 'seq', seq)) FROM mutations
        WHERE mutation_id IN (SELECT (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::uuid)
          AND code IS DISTINCT FROM 'DUPLICATE_MUTATION') AS taken
    FROM devices WHERE id = ${device.id} FOR UPDATE`.execute(trx);
  const dev = d.rows[0];
  if (!dev) throw new CentralError('UNAUTHENTICATED', 401, '中心没有这台设备的注册记录，请重新注册');
  if (dev.revoked) throw revokedError();

  const results: MutationResult[] = [];
  // Replays: answered from the stored results, nothing applied again.
  const replayed = batch.filter((m) => m.seq <= dev.last_seq);
  if (replayed.length > 0) {
    const stored = await sql<StoredResult>`
      SELECT seq, mutation_id, status, code, message, conflict_id FROM mutations
      WHERE device_id = ${device.id} AND seq BETWEEN ${replayed[0]!.seq} AND ${replayed[replayed.length - 1]!.seq} ORDER BY seq`.execute(
      trx,
    );
    const bySeq = new Map(stored.rows.map((r) => [r.seq, r]));
    for (const m of replayed) {
      const r = bySeq.get(m.seq);
      if (!r) throw new CentralError('INTERNAL', 500, `中心缺少第 ${m.seq} 条变更的处理结果，请联系管理员`);
      if (r.mutation_id !== m.mutationId)
        throw invalid(`第 ${m.seq} 条变更的序号在中心已被另一条变更使用（本机数据可能从旧备份恢复），请联系管理员，不要重复注册`);
      results.push(resultOf(r));
    }
  }
  const fresh = batch.filter((m) => m.seq > dev.last_seq);
  if (fresh.length === 0) return { results, lastSeq: dev.last_seq, stop: null };
  if (fresh[0]!.seq > dev.last_seq + 1) return { results, lastSeq: dev.last_seq, stop: { kind: 'gap', expectedSeq: dev.last_seq + 1 } };

  const taken = new Map((dev.taken ?? []).map((t) => [t.id, t.seq]));
  const allBlobs = [...new Set(fresh.flatMap((m) => blobRefs(m.rows)))];
  const haveBlobs = new Set(
    allBlobs.length === 0
      ? []
      : (
          await sql<{ sha256: string }>`
            SELECT sha256 FROM blobs WHERE sha256 IN (SELECT jsonb_array_elements_text(${JSON.stringify(allBlobs)}::jsonb))`.execute(trx)
        ).rows.map((r) => r.sha256),
  );
  const audit = await AuditBatch.open(
    trx,
    device.id,
    fresh.flatMap((m) => (m.audit ? [m.audit] : [])),
  );
  const users = new UserCache(trx);
  // Issue #13 hook: only the office holding a case may change it (central/core/holders.ts).
  const elsewhere = await custodyElsewhere(trx, device, fresh);
  // Issue #13 hook: a merge never closes a case with signed records (central/core/case-merges.ts).
  const signedMerged = await signedAmongMerged(trx, fresh);
  const pusher = { deviceId: device.id, officeId: device.officeId, publicKey: device.publicKey, at: now };

  const records: { m: Mutation; status: MutationResult['status']; refusal: Refusal | null; conflictId: string | null }[] = [];
  const conflictRows: { id: string; m: Mutation; c: RowConflict }[] = [];
  let segment: Pending[] = [];

  /** Runs the segment's mutations in SQL and records their outcomes, in order. */
  const flush = async (): Promise<void> => {
    if (segment.length === 0) return;
    const run = segment;
    segment = [];
    const answered = await applySegment(trx, device, now, run);
    for (const [n, p] of run.entries()) {
      if (p.decided) {
        records.push({ m: p.m, status: 'rejected', refusal: p.decided, conflictId: null });
        continue;
      }
      const o = rowsOutcome(p.m.rows, answered.get(n) ?? []);
      if (o.kind === 'applied') records.push({ m: p.m, status: 'applied', refusal: null, conflictId: null });
      else if (o.kind === 'refused') records.push({ m: p.m, status: 'rejected', refusal: o.refusal, conflictId: null });
      else {
        const ids = o.conflicts.map(() => newId());
        o.conflicts.forEach((c, j) => conflictRows.push({ id: ids[j]!, m: p.m, c }));
        records.push({ m: p.m, status: 'conflict', refusal: conflictRefusal(p.m, o.conflicts), conflictId: ids[0]! });
      }
      if (p.m.rows.some((r) => ACCESS_TABLES.has(r.table))) users.forget();
    }
  };

  let stop: Stop | null = null;
  for (const m of fresh) {
    const takenSeq = taken.get(m.mutationId);
    if (takenSeq !== undefined) {
      segment.push({
        m,
        decided: { code: 'DUPLICATE_MUTATION', message: `这条变更已在第 ${takenSeq} 条中收到过，不再重复处理` },
        specs: specsFor(m),
      });
      continue;
    }
    const missing = blobRefs(m.rows).filter((h) => !haveBlobs.has(h));
    if (missing.length > 0) {
      // Stop here: what comes before is applied and answered; the device uploads, then resends.
      stop = { kind: 'blobs', missing: missing.length };
      break;
    }
    taken.set(m.mutationId, m.seq);
    // The device's audit trail is kept whatever becomes of the change it records.
    const auditBad = m.audit ? audit.check(m.audit, m.seq) : null;
    // Roles as the centre holds them once the mutations before this one are in (a mutation that
    // writes accounts runs at once: see below).
    const user = auditBad ? null : await users.get(m.userId);
    const prepared = prepareRows(m.rows, m.kind === BASELINE_KIND);
    const decided =
      auditBad ??
      checkAccess(m, user!) ??
      checkCustody(elsewhere, device, m) ??
      checkMerge(signedMerged, m) ??
      (prepared.kind === 'refused' ? prepared.refusal : null);
    if (decided || prepared.kind === 'refused' || !carriesDocument(m.rows)) {
      segment.push({ m, decided, specs: prepared.kind === 'specs' ? prepared.specs : specsFor(m) });
      if (!decided && m.rows.some((r) => ACCESS_TABLES.has(r.table))) await flush();
      continue;
    }
    // An issued document claims its 文号 here: a savepoint undoes the claim if the mutation is refused.
    await flush();
    await sql`SAVEPOINT oip_document`.execute(trx);
    const doc = await checkDocuments(trx, m.rows, { ...pusher, mutationId: m.mutationId });
    let pending: Pending = { m, decided: doc?.refusal ?? null, specs: prepared.specs };
    if (!doc) {
      const answered = await applySegment(trx, device, now, [pending]);
      if ((answered.get(0) ?? []).length > 0) {
        await sql`ROLLBACK TO SAVEPOINT oip_document`.execute(trx);
        segment = [pending];
        await flush();
        await sql`RELEASE SAVEPOINT oip_document`.execute(trx);
        continue;
      }
      records.push({ m, status: 'applied', refusal: null, conflictId: null });
      await sql`RELEASE SAVEPOINT oip_document`.execute(trx);
      continue;
    }
    await sql`ROLLBACK TO SAVEPOINT oip_document`.execute(trx);
    await sql`RELEASE SAVEPOINT oip_document`.execute(trx);
    pending = { ...pending, decided: doc.refusal };
    segment.push(pending);
  }
  await flush();
  if (records.length === 0) return { results, lastSeq: dev.last_seq, stop };

  await audit.flush(trx);
  for (const { id, m, c } of conflictRows)
    await sql`
      INSERT INTO conflicts (id, device_id, seq, mutation_id, kind, table_name, key_json, device_op, base_version, device_version, device_row,
        centre_version, centre_deleted, centre_row, created_at)
      VALUES (${id}, ${device.id}, ${m.seq}, ${m.mutationId}, ${m.kind}, ${c.table.table}, ${JSON.stringify(c.change.key)}::jsonb, ${c.change.op},
        ${c.change.baseVersion}, ${c.change.version}, ${c.change.row === null ? null : JSON.stringify(c.change.row)}::jsonb,
        ${c.centre?.version ?? null}, ${c.centre?.deleted ?? null}, ${c.centre?.row == null ? null : JSON.stringify(c.centre.row)}::jsonb, ${now})`.execute(
      trx,
    );
  const lastSeq = records[records.length - 1]!.m.seq;
  const rows = records.map(({ m, status, refusal, conflictId }) => ({
    seq: m.seq,
    mutation_id: m.mutationId,
    kind: m.kind,
    entity: m.entity,
    entity_id: m.entityId,
    user_id: m.userId,
    rule_pack: m.rulePack,
    schema_version: m.schemaVersion,
    at: m.at,
    row_count: m.rows.length,
    status,
    code: refusal?.code ?? null,
    message: refusal?.message ?? null,
    conflict_id: conflictId,
  }));
  await sql`
    WITH dev AS (UPDATE devices SET last_seq = ${lastSeq}, last_seen_at = ${now} WHERE id = ${device.id})
    INSERT INTO mutations (device_id, seq, mutation_id, kind, entity, entity_id, user_id, rule_pack, schema_version, at, row_count,
      status, code, message, conflict_id, received_at)
    SELECT ${device.id}, x.seq, x.mutation_id, x.kind, x.entity, x.entity_id, x.user_id, x.rule_pack, x.schema_version, x.at, x.row_count,
      x.status, x.code, x.message, x.conflict_id, ${now}
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(seq integer, mutation_id uuid, kind text, entity text, entity_id text,
      user_id text, rule_pack text, schema_version integer, at text, row_count integer, status text, code text, message text, conflict_id uuid)`.execute(
    trx,
  );
  for (const r of records)
    results.push({
      seq: r.m.seq,
      mutationId: r.m.mutationId,
      status: r.status,
      code: r.refusal?.code ?? null,
      message: r.refusal?.message ?? null,
      conflictId: r.conflictId,
    });
  return { results, lastSeq, stop };
}

/** Keys only (for re-announcing a refused mutation whose rows did not pass the catalogue's checks). */
function specsFor(m: Mutation): RowSpec[] {
  const out: RowSpec[] = [];
  for (const r of m.rows) {
    const t = SYNC_TABLES.find((x) => x.table === r.table);
    if (!t) continue;
    let k: string;
    try {
      k = rowKeyString(t, r.key);
    } catch {
      continue;
    }
    out.push({ tbl: t.table, k } as RowSpec);
  }
  return out;
}

/**
 * Applies a run of mutations and answers, by the mutation's index in `run`, the row outcomes of
 * those not applied. Runs that fit (nothing decided, upserts only, a row changed again only on top
 * of the run's own last version of it) go to oip_apply_set, set-based (central/migrations/0033);
 * whatever it declines, and everything else, goes to oip_apply_batch, row by row, whose rules decide.
 */
async function applySegment(trx: Db, device: Device, now: string, run: readonly Pending[]): Promise<Map<number, RowOutcomeRow[]>> {
  const out = new Map<number, RowOutcomeRow[]>();
  let from = 0;
  while (from < run.length) {
    const versions = new Map<string, number>();
    let to = from;
    while (to < run.length && setApplicable(run[to]!, versions)) to++;
    if (to > from && (await applySet(trx, device, now, run.slice(from, to)))) {
      from = to;
      continue;
    }
    // Declined: the same run row by row; else the mutations up to the next that fits.
    if (to === from) while (to < run.length && !setApplicable(run[to]!, new Map())) to++;
    for (const [n, rows] of await applyRowByRow(trx, device, now, run.slice(from, to))) out.set(from + n, rows);
    from = to;
  }
  return out;
}

/**
 * Can the mutation join a set-based run whose rows so far stand at `versions` (key → the version
 * the run last gave it)? If so, its rows are added.
 */
function setApplicable(p: Pending, versions: Map<string, number>): boolean {
  if (p.decided || p.specs.length === 0) return false;
  const mine = new Map<string, number>();
  for (const s of p.specs) {
    if (s.op !== 'upsert' || !s.rw) return false;
    const k = `${s.tbl}\u0000${s.k}`;
    const before = mine.get(k) ?? versions.get(k);
    if (before !== undefined && (s.merge !== 'versioned' || s.base !== before)) return false;
    mine.set(k, s.ver);
  }
  for (const [k, v] of mine) versions.set(k, v);
  return true;
}

const muts = (run: readonly Pending[]) => run.map((p, n) => ({ n, mid: p.m.mutationId, decided: p.decided !== null, rows: p.specs }));

async function applySet(trx: Db, device: Device, now: string, run: readonly Pending[]): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`
    SELECT oip_apply_set(${JSON.stringify(muts(run))}::jsonb, ${device.id}::uuid, ${device.officeId}::uuid, ${now}::timestamptz,
      ${LINKS}::jsonb) AS ok`.execute(trx);
  return r.rows[0]?.ok === true;
}

/** One call of oip_apply_batch; the answer grouped by the mutation's index in `run`. */
async function applyRowByRow(trx: Db, device: Device, now: string, run: readonly Pending[]): Promise<Map<number, RowOutcomeRow[]>> {
  const r = await sql<RowOutcomeRow & { n: number }>`
    SELECT * FROM oip_apply_batch(${JSON.stringify(muts(run))}::jsonb, ${device.id}::uuid, ${device.officeId}::uuid, ${now}::timestamptz,
      ${LINKS}::jsonb)`.execute(trx);
  const out = new Map<number, RowOutcomeRow[]>();
  for (const row of r.rows) out.set(row.n, [...(out.get(row.n) ?? []), row]);
  return out;
}

/** The acting users' records at the centre, read for many at once and read again once a mutation changed accounts. */
class UserCache {
  private readonly cache = new Map<string, UserRecord>();
  constructor(private readonly trx: Db) {}
  forget(): void {
    this.cache.clear();
  }
  async get(userId: string | null): Promise<UserRecord> {
    const none: UserRecord = { user_exists: false, user_active: null, user_roles: null };
    if (!userId) return none;
    const hit = this.cache.get(userId);
    if (hit) return hit;
    // Hook (issue #13, accounts.ts): an account the centre publishes is judged by the centre's own
    // record (central_accounts) before the replicated users rows.
    const r = await sql<UserRecord & { id: string }>`
      SELECT x.id,
        (EXISTS (SELECT 1 FROM central_accounts ca WHERE ca.user_id = x.id)
          OR EXISTS (SELECT 1 FROM records u WHERE u.table_name = 'users' AND u.key = x.k AND NOT u.deleted)) AS user_exists,
        COALESCE((SELECT CASE WHEN ca.active THEN '1' ELSE '0' END FROM central_accounts ca WHERE ca.user_id = x.id),
          (SELECT u.row ->> 'active' FROM records u WHERE u.table_name = 'users' AND u.key = x.k AND NOT u.deleted)) AS user_active,
        COALESCE((SELECT ca.roles FROM central_accounts ca WHERE ca.user_id = x.id),
          (SELECT array_agg(ur.row ->> 'role') FROM records ur
            WHERE ur.table_name = 'user_roles' AND ur.row ->> 'user_id' = x.id AND NOT ur.deleted)) AS user_roles
      FROM jsonb_to_recordset(${JSON.stringify([{ id: userId, k: userKey(userId) }])}::jsonb) AS x(id text, k text)`.execute(this.trx);
    const rec = r.rows[0] ?? none;
    this.cache.set(userId, rec);
    return rec;
  }
}

function conflictRefusal(m: Mutation, conflicts: RowConflict[]): Refusal {
  // Every conflicting row is recorded (a person settles them together).
  const first = conflicts[0]!;
  const where = first.centre
    ? `中心版本 ${first.centre.version}，本机基于版本 ${first.change.baseVersion ?? '（新建）'}`
    : `中心没有这条记录，本机基于版本 ${first.change.baseVersion ?? '（新建）'}`;
  return {
    code: 'CONFLICT',
    message: `「${kindLabel(m.kind)}」与中心的记录冲突：「${first.table.label}」已被其他设备修改（${where}）。中心保留了双方版本，待人工处理${conflicts.length > 1 ? `（共 ${conflicts.length} 条记录冲突）` : ''}`,
  };
}
