// The audit trail: an append-only table whose entries are chained by SHA-256, so that an
// edit or deletion made behind the application's back is found by verify().
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import type { Database } from './db-schema';
import type { AuditEntry } from '../../shared/api/methods/admin';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  at: string;
  actorId: string | null;
  actorName: string | null;
  method: string;
  action: string;
  entity: string | null;
  entityId: string | null;
  summary: string;
}

/** An entry's hash from its number, content and the previous entry's hash (also used to check entries another device exported). */
export function entryHash(seq: number, r: AuditRecord, prevHash: string): string {
  const canonical = JSON.stringify([seq, r.at, r.actorId, r.actorName, r.method, r.action, r.entity, r.entityId, r.summary, prevHash]);
  return createHash('sha256').update(canonical).digest('hex');
}

const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text exactly as SQLite will give it back: a lone UTF-16 surrogate has no UTF-8 form (it is
 * written as bytes that read back as three U+FFFD). The dispatcher refuses such input, but an
 * entry's text is also built from stored data and by other devices: store and hash the same
 * well-formed string, so verify() recomputes exactly what was hashed.
 */
function asStored<T extends string | null>(s: T): T {
  return (s === null ? s : s.replace(LONE_SURROGATES, '\uFFFD')) as T;
}

function stored(record: AuditRecord): AuditRecord {
  return {
    at: asStored(record.at),
    actorId: asStored(record.actorId),
    actorName: asStored(record.actorName),
    method: asStored(record.method),
    action: asStored(record.action),
    entity: asStored(record.entity),
    entityId: asStored(record.entityId),
    summary: asStored(record.summary),
  };
}

/** Must be called inside the write transaction of the change it records. */
export async function appendAudit(db: Kysely<Database>, record: AuditRecord): Promise<number> {
  const r = stored(record);
  const last = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  await db
    .insertInto('audit_log')
    .values({
      seq,
      at: r.at,
      actor_id: r.actorId,
      actor_name: r.actorName,
      method: r.method,
      action: r.action,
      entity: r.entity,
      entity_id: r.entityId,
      summary: r.summary,
      prev_hash: prevHash,
      hash: entryHash(seq, r, prevHash),
    })
    .execute();
  return seq;
}

/**
 * The same for work done when the store opens, before the async layer is in use (attachment
 * files encrypted on upgrade); must run inside a better-sqlite3 transaction.
 */
export function appendAuditSync(sqlite: BetterSqlite3.Database, record: AuditRecord): number {
  const r = stored(record);
  const last = sqlite.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  sqlite
    .prepare(
      `INSERT INTO audit_log (seq, at, actor_id, actor_name, method, action, entity, entity_id, summary, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(seq, r.at, r.actorId, r.actorName, r.method, r.action, r.entity, r.entityId, r.summary, prevHash, entryHash(seq, r, prevHash));
  return seq;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBroken: { seq: number; reason: string } | null;
}

/** Walks the whole chain in order and names the first entry that does not fit. */
export async function verifyAudit(db: Kysely<Database>): Promise<VerifyResult> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of rows) {
    const broken = (reason: string): VerifyResult => ({ ok: false, checked: expectedSeq - 1, firstBroken: { seq: row.seq, reason } });
    if (row.seq !== expectedSeq) return broken(`缺少第 ${expectedSeq} 条记录（可能被删除）`);
    if (row.prev_hash !== prevHash) return broken('前一条记录的哈希不符（链条被改动）');
    const record: AuditRecord = {
      at: row.at,
      actorId: row.actor_id,
      actorName: row.actor_name,
      method: row.method,
      action: row.action,
      entity: row.entity,
      entityId: row.entity_id,
      summary: row.summary,
    };
    if (entryHash(row.seq, record, row.prev_hash) !== row.hash) return broken('记录内容与哈希不符（内容被改动）');
    prevHash = row.hash;
    expectedSeq++;
  }
  return { ok: true, checked: rows.length, firstBroken: null };
}

export async function listAudit(
  db: Kysely<Database>,
  q: { limit: number; offset: number; entityId?: string | undefined },
): Promise<{ total: number; entries: AuditEntry[] }> {
  let base = db.selectFrom('audit_log');
  if (q.entityId) base = base.where('entity_id', '=', q.entityId);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('seq', 'desc').limit(q.limit).offset(q.offset).execute();
  return {
    total: Number(total.n),
    entries: rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_name,
      method: r.method,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      summary: r.summary,
      hash: r.hash,
    })),
  };
}
