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
