// Push, exactly once (docs/sync-protocol.md §4). Each mutation is one PostgreSQL transaction that
// locks the device row (so two nodes serialise one device's pushes), answers a replay from the
// stored result, stops at a gap, checks the audit copy and the user's role, applies every row by
// its merge rule inside a savepoint, and stores the result with the device's new last_seq — all
// or nothing, so a reply lost after the commit is answered identically when the device retries.
import { sql } from 'kysely';
import { CATALOGUE_VERSION, SYNC_TABLES, rowKeyString } from '../../shared/sync/tables';
import type { Mutation, MutationResult, PushReply, PushRequest } from '../../shared/sync/protocol';
import type { Db } from '../db/database';
import type { Clock } from './clock';
import { storeAuditCopy } from './audit-copies';
import { newId } from './crypto';
import { CentralError, invalid } from './errors';
import { applyRows, blobRefs, type RowConflict, type RowsOutcome } from './merge';
import { checkAccess, kindLabel, type Refusal, type UserRecord } from './roles';
import { revokedError, type Device } from './auth';
import { checkCustody } from './holders';

type Step =
  { kind: 'result'; result: MutationResult; lastSeq: number } | { kind: 'gap'; expectedSeq: number } | { kind: 'blobs'; missing: string[] };

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
  const results: MutationResult[] = [];
  let lastSeq = device.lastSeq;
  for (const m of req.mutations) {
    const step = await withRetry(() => applyMutation(db, clock, device, m));
    if (step.kind === 'result') {
      results.push(step.result);
      lastSeq = step.lastSeq;
      continue;
    }
    // Stop here: what was applied before is answered; the device resends from lastSeq + 1.
    if (results.length > 0) break;
    if (step.kind === 'gap')
      throw new CentralError('SEQ_GAP', 409, `中心收到的变更序号不连续：应从第 ${step.expectedSeq} 条开始重新推送`, step.expectedSeq);
    throw new CentralError('NOT_FOUND', 409, `变更引用的 ${step.missing.length} 个文件尚未上传到中心：请先上传文件再推送`);
  }
  return { ok: true, results, lastSeq };
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
  mutation_id: string;
  status: MutationResult['status'];
  code: string | null;
  message: string | null;
  conflict_id: string | null;
}

const resultOf = (seq: number, r: StoredResult): MutationResult => ({
  seq,
  mutationId: r.mutation_id,
  status: r.status,
  code: r.code,
  message: r.message,
  conflictId: r.conflict_id,
});

type Outcome = { status: MutationResult['status']; refusal: Refusal | null; conflicts: ConflictRow[] };

/** Thrown out of the applying transaction to undo its rows; the outcome is then recorded in a second one. */
class Undo {
  constructor(readonly outcome: Outcome) {}
}

type ConflictRow = RowConflict;

/**
 * One mutation, exactly once. The happy path is one transaction with no savepoint: the rows are
 * written as they are checked. A refusal or conflict throws, which rolls every row back, and a
 * second transaction records the outcome (re-checking the seq, as another node may have answered
 * the same mutation meanwhile).
 */
async function applyMutation(db: Db, clock: Clock, device: Device, m: Mutation): Promise<Step> {
  try {
    return await db.transaction().execute((trx) => attempt(trx, clock, device, m, null));
  } catch (e) {
    if (!(e instanceof Undo)) throw e;
    return db.transaction().execute((trx) => attempt(trx, clock, device, m, e.outcome));
  }
}

const usersTable = SYNC_TABLES.find((t) => t.table === 'users')!;

async function attempt(trx: Db, clock: Clock, device: Device, m: Mutation, decided: Outcome | null): Promise<Step> {
  const now = clock.now().toISOString();
  // The device row is locked for the whole transaction: one device's pushes are serialised
  // across nodes. The acting user's account and roles come in the same round trip.
  const d = await sql<{ last_seq: number; revoked: boolean; taken_seq: number | null } & UserRecord>`
    SELECT last_seq, revoked_at IS NOT NULL AS revoked,
      (SELECT seq FROM mutations WHERE mutation_id = ${m.mutationId} AND code IS DISTINCT FROM 'DUPLICATE_MUTATION') AS taken_seq,
      EXISTS (SELECT 1 FROM records u WHERE u.table_name = 'users' AND u.key = ${userKey(m)} AND NOT u.deleted) AS user_exists,
      (SELECT u.row ->> 'active' FROM records u WHERE u.table_name = 'users' AND u.key = ${userKey(m)} AND NOT u.deleted) AS user_active,
      (SELECT array_agg(ur.row ->> 'role') FROM records ur
        WHERE ur.table_name = 'user_roles' AND ur.row ->> 'user_id' = ${m.userId ?? ''} AND NOT ur.deleted) AS user_roles
    FROM devices WHERE id = ${device.id} FOR UPDATE`.execute(trx);
  const dev = d.rows[0];
  if (!dev) throw new CentralError('UNAUTHENTICATED', 401, '中心没有这台设备的注册记录，请重新注册');
  if (dev.revoked) throw revokedError();

  if (m.seq <= dev.last_seq) {
    const stored = await sql<StoredResult>`
      SELECT mutation_id, status, code, message, conflict_id FROM mutations WHERE device_id = ${device.id} AND seq = ${m.seq}`.execute(trx);
    const r = stored.rows[0];
    if (!r) throw new CentralError('INTERNAL', 500, `中心缺少第 ${m.seq} 条变更的处理结果，请联系管理员`);
    if (r.mutation_id !== m.mutationId)
      throw invalid(`第 ${m.seq} 条变更的序号在中心已被另一条变更使用（本机数据可能从旧备份恢复），请联系管理员，不要重复注册`);
    return { kind: 'result', result: resultOf(m.seq, r), lastSeq: dev.last_seq };
  }
  if (m.seq > dev.last_seq + 1) return { kind: 'gap', expectedSeq: dev.last_seq + 1 };

  let outcome: Outcome;
  if (dev.taken_seq !== null) {
    outcome = {
      status: 'rejected',
      refusal: { code: 'DUPLICATE_MUTATION', message: `这条变更已在第 ${dev.taken_seq} 条中收到过，不再重复处理` },
      conflicts: [],
    };
  } else {
    if (!decided) {
      const missing = await missingBlobs(trx, blobRefs(m.rows));
      if (missing.length > 0) return { kind: 'blobs', missing };
    }
    outcome = await evaluate(trx, device, m, now, dev, decided);
  }

  let conflictId: string | null = null;
  for (const c of outcome.conflicts) {
    const id = newId();
    conflictId ??= id;
    await sql`
      INSERT INTO conflicts (id, device_id, seq, mutation_id, kind, table_name, key_json, device_op, base_version, device_version, device_row,
        centre_version, centre_deleted, centre_row, created_at)
      VALUES (${id}, ${device.id}, ${m.seq}, ${m.mutationId}, ${m.kind}, ${c.table.table}, ${JSON.stringify(c.change.key)}::jsonb, ${c.change.op},
        ${c.change.baseVersion}, ${c.change.version}, ${c.change.row === null ? null : JSON.stringify(c.change.row)}::jsonb,
        ${c.centre?.version ?? null}, ${c.centre?.deleted ?? null}, ${c.centre?.row == null ? null : JSON.stringify(c.centre.row)}::jsonb, ${now})`.execute(
      trx,
    );
  }
  await sql`
    WITH dev AS (UPDATE devices SET last_seq = ${m.seq}, last_seen_at = ${now} WHERE id = ${device.id})
    INSERT INTO mutations (device_id, seq, mutation_id, kind, entity, entity_id, user_id, rule_pack, schema_version, at, row_count,
      status, code, message, conflict_id, received_at)
    VALUES (${device.id}, ${m.seq}, ${m.mutationId}, ${m.kind}, ${m.entity}, ${m.entityId}, ${m.userId},
      ${m.rulePack}, ${m.schemaVersion}, ${m.at}, ${m.rows.length}, ${outcome.status}, ${outcome.refusal?.code ?? null},
      ${outcome.refusal?.message ?? null}, ${conflictId}, ${now})`.execute(trx);
  if (outcome.status !== 'applied') await reannounce(trx, device, m);
  return {
    kind: 'result',
    result: {
      seq: m.seq,
      mutationId: m.mutationId,
      status: outcome.status,
      code: outcome.refusal?.code ?? null,
      message: outcome.refusal?.message ?? null,
      conflictId,
    },
    lastSeq: m.seq,
  };
}

/**
 * After a conflict or a rejection the device still holds its own version of the rows it sent,
 * and the centre's rows may not change again for a long time: the centre's current state of
 * every key the mutation touched goes into the office's change log once more, so the device's
 * next pull puts the centre's row back (its unacknowledged change stays in its outbox record for
 * a person). Other devices of the office receive a state they already hold and skip it.
 */
async function reannounce(trx: Db, device: Device, m: Mutation): Promise<void> {
  const keys = new Map<string, { table: string; key: string }>();
  for (const r of m.rows) {
    const t = SYNC_TABLES.find((x) => x.table === r.table);
    if (!t) continue;
    const key = rowKeyString(t, r.key);
    keys.set(`${t.table}\u0000${key}`, { table: t.table, key });
  }
  if (keys.size === 0) return;
  const pairs = sql.join([...keys.values()].map((k) => sql`(${k.table}, ${k.key})`));
  await sql`
    INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
    SELECT ${device.officeId}::uuid, r.last_device, r.table_name, r.key, r.key_json, r.version, r.deleted, r.row
    FROM records r WHERE (r.table_name, r.key) IN (${pairs})
    ORDER BY r.created_at, r.key`.execute(trx);
}

const userKey = (m: Mutation): string => rowKeyString(usersTable, { id: m.userId ?? '' });

async function missingBlobs(trx: Db, hashes: string[]): Promise<string[]> {
  if (hashes.length === 0) return [];
  const r = await sql<{ sha256: string }>`SELECT sha256 FROM blobs WHERE sha256 IN (${sql.join(hashes)})`.execute(trx);
  const have = new Set(r.rows.map((x) => x.sha256));
  return hashes.filter((h) => !have.has(h));
}

async function evaluate(trx: Db, device: Device, m: Mutation, now: string, user: UserRecord, decided: Outcome | null): Promise<Outcome> {
  // The device's audit trail is kept whatever becomes of the change it records.
  if (m.audit) {
    const bad = await storeAuditCopy(trx, device.id, m.seq, m.audit);
    if (bad) return { status: 'rejected', refusal: bad, conflicts: [] };
  }
  if (decided) return decided;
  const forbidden = checkAccess(m, user);
  if (forbidden) return { status: 'rejected', refusal: forbidden, conflicts: [] };
  // Issue #13 hook: only the office holding a case may change it (central/core/holders.ts).
  const notHolder = await checkCustody(trx, device, m);
  if (notHolder) return { status: 'rejected', refusal: notHolder, conflicts: [] };

  let out: RowsOutcome;
  try {
    out = await applyRows(trx, m.rows, {
      deviceId: device.id,
      officeId: device.officeId,
      publicKey: device.publicKey,
      mutationId: m.mutationId,
      at: now,
    });
  } catch (e) {
    // Bad data the checks missed (a value PostgreSQL cannot store) would fail every retry and
    // wedge the queue: refuse it as a rejection instead. Anything else is ours to fix.
    const state = sqlState(e);
    if (!state.startsWith('22') && !state.startsWith('23')) throw e;
    out = { kind: 'refused', refusal: { code: 'INVALID_ROW', message: '变更中有中心无法保存的数据，未被采纳' } };
  }
  if (out.kind === 'applied') return { status: 'applied', refusal: null, conflicts: [] };
  if (out.kind === 'refused') throw new Undo({ status: 'rejected', refusal: out.refusal, conflicts: [] });
  // Every conflicting row is recorded (a person settles them together).
  const conflicts = out.conflicts;
  const first = conflicts[0]!;
  const where = first.centre
    ? `中心版本 ${first.centre.version}，本机基于版本 ${first.change.baseVersion ?? '（新建）'}`
    : `中心没有这条记录，本机基于版本 ${first.change.baseVersion ?? '（新建）'}`;
  throw new Undo({
    status: 'conflict',
    refusal: {
      code: 'CONFLICT',
      message: `「${kindLabel(m.kind)}」与中心的记录冲突：「${first.table.label}」已被其他设备修改（${where}）。中心保留了双方版本，待人工处理${conflicts.length > 1 ? `（共 ${conflicts.length} 条记录冲突）` : ''}`,
    },
    conflicts,
  });
}
