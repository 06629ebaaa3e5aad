// Copies of each device's audit entries, kept per device. Every entry's hash is recomputed the way
// the device computes it (electron/core/audit.ts: SHA-256 over [seq, at, actor, …, prevHash]), and
// linked to the entry before it when the centre holds that one (entries of calls that changed no
// replicated row, such as a sign-in, never travel, so the chain may have gaps).
import { sql } from 'kysely';
import type { AuditCopy } from '../../shared/sync/protocol';
import type { Db } from '../db/database';
import { sha256Hex } from './crypto';
import type { Refusal } from './roles';

export const GENESIS_HASH = '0'.repeat(64);

export function auditEntryHash(a: AuditCopy): string {
  return sha256Hex(JSON.stringify([a.seq, a.at, a.actorId, a.actorName, a.method, a.action, a.entity, a.entityId, a.summary, a.prevHash]));
}

export async function storeAuditCopy(trx: Db, deviceId: string, mutationSeq: number, a: AuditCopy): Promise<Refusal | null> {
  const refuse = (why: string): Refusal => ({
    code: 'AUDIT_CHAIN',
    message: `本机审计记录第 ${a.seq} 条${why}，变更未被采纳，请联系管理员核查本机审计链`,
  });
  if (auditEntryHash(a) !== a.hash) return refuse('的内容与其哈希不符（被改动过）');
  if (a.seq === 1 && a.prevHash !== GENESIS_HASH) return refuse('应为链条的第一条，但指向了前一条');
  // One round trip: read the neighbours and insert only when they agree (and the entry is new);
  // the same test in JS below then names what disagreed.
  const near = await sql<{ seq: number; hash: string; prev_hash: string }>`
    WITH near AS (
      SELECT seq, hash, prev_hash FROM audit_copies WHERE device_id = ${deviceId} AND seq BETWEEN ${a.seq - 1} AND ${a.seq + 1}),
    ins AS (
      INSERT INTO audit_copies (device_id, seq, at, actor_id, actor_name, method, action, entity, entity_id, summary, prev_hash, hash, mutation_seq)
      SELECT ${deviceId}, ${a.seq}, ${a.at}, ${a.actorId}, ${a.actorName}, ${a.method}, ${a.action}, ${a.entity}, ${a.entityId},
        ${a.summary}, ${a.prevHash}, ${a.hash}, ${mutationSeq}
      WHERE NOT EXISTS (SELECT 1 FROM near WHERE seq = ${a.seq}
          OR (seq = ${a.seq - 1} AND hash <> ${a.prevHash}) OR (seq = ${a.seq + 1} AND prev_hash <> ${a.hash})))
    SELECT seq, hash, prev_hash FROM near`.execute(trx);
  for (const n of near.rows) {
    if (n.seq === a.seq - 1 && n.hash !== a.prevHash) return refuse('与中心已有的前一条记录接不上');
    if (n.seq === a.seq && n.hash !== a.hash) return refuse('与中心已收到的同号记录不同');
    if (n.seq === a.seq + 1 && n.prev_hash !== a.hash) return refuse('与中心已有的后一条记录接不上');
  }
  return null;
}

/**
 * A push batch's audit copies, checked in order as storeAuditCopy checks one (each against the
 * centre's neighbours and the batch's entries accepted before it), with one read of the
 * neighbours for the whole batch; `flush` inserts the accepted ones in one statement.
 */
export class AuditBatch {
  private readonly known = new Map<number, { hash: string; prev: string }>();
  private readonly accepted: { a: AuditCopy; mutationSeq: number }[] = [];

  private constructor(private readonly deviceId: string) {}

  static async open(trx: Db, deviceId: string, entries: readonly AuditCopy[]): Promise<AuditBatch> {
    const batch = new AuditBatch(deviceId);
    if (entries.length === 0) return batch;
    const seqs = entries.flatMap((a) => [a.seq - 1, a.seq, a.seq + 1]);
    const r = await sql<{ seq: number; hash: string; prev_hash: string }>`
      SELECT seq, hash, prev_hash FROM audit_copies
      WHERE device_id = ${deviceId} AND seq IN (SELECT (jsonb_array_elements_text(${JSON.stringify(seqs)}::jsonb))::integer)`.execute(trx);
    for (const n of r.rows) batch.known.set(n.seq, { hash: n.hash, prev: n.prev_hash });
    return batch;
  }

  check(a: AuditCopy, mutationSeq: number): Refusal | null {
    const refuse = (why: string): Refusal => ({
      code: 'AUDIT_CHAIN',
      message: `本机审计记录第 ${a.seq} 条${why}，变更未被采纳，请联系管理员核查本机审计链`,
    });
    if (auditEntryHash(a) !== a.hash) return refuse('的内容与其哈希不符（被改动过）');
    if (a.seq === 1 && a.prevHash !== GENESIS_HASH) return refuse('应为链条的第一条，但指向了前一条');
    const before = this.known.get(a.seq - 1);
    const same = this.known.get(a.seq);
    const after = this.known.get(a.seq + 1);
    if (before && before.hash !== a.prevHash) return refuse('与中心已有的前一条记录接不上');
    if (same && same.hash !== a.hash) return refuse('与中心已收到的同号记录不同');
    if (after && after.prev !== a.hash) return refuse('与中心已有的后一条记录接不上');
    if (!same) {
      this.known.set(a.seq, { hash: a.hash, prev: a.prevHash });
      this.accepted.push({ a, mutationSeq });
    }
    return null;
  }

  async flush(trx: Db): Promise<void> {
    if (this.accepted.length === 0) return;
    const rows = this.accepted.map(({ a, mutationSeq }) => ({
      seq: a.seq,
      at: a.at,
      actor_id: a.actorId,
      actor_name: a.actorName,
      method: a.method,
      action: a.action,
      entity: a.entity,
      entity_id: a.entityId,
      summary: a.summary,
      prev_hash: a.prevHash,
      hash: a.hash,
      mutation_seq: mutationSeq,
    }));
    await sql`
      INSERT INTO audit_copies (device_id, seq, at, actor_id, actor_name, method, action, entity, entity_id, summary, prev_hash, hash, mutation_seq)
      SELECT ${this.deviceId}, x.seq, x.at, x.actor_id, x.actor_name, x.method, x.action, x.entity, x.entity_id, x.summary, x.prev_hash, x.hash,
        x.mutation_seq
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(seq integer, at text, actor_id text, actor_name text, method text,
        action text, entity text, entity_id text, summary text, prev_hash text, hash text, mutation_seq integer)
      ON CONFLICT (device_id, seq) DO NOTHING`.execute(trx);
    this.accepted.length = 0;
  }
}
