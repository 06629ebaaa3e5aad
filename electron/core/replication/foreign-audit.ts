// Audit entries of another device. The audit log is a hash chain, so another device's entries
// cannot be put in as they are: each is appended here as a new entry of this chain (action
// 外机审计记录), naming the device, the original number, time, action and method and ending
// 〔原哈希 <hash>〕; one already here, as an original or a copy, is not copied again. Before that,
// every entry is checked for what its signer could have made: it recomputes to its hash, it is
// the device's own (not a copy it imported), it concerns the records the file carries, its
// actor is a person the file carries or this store knows, it is not later than the export, and
// entries with consecutive numbers chain onto each other.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db-schema';
import { appendAudit, entryHash, type AuditRecord } from '../audit';

type Db = Kysely<Database>;

export const FOREIGN_AUDIT_ACTION = '外机审计记录';

export interface ForeignAuditEntry extends AuditRecord {
  seq: number;
  prevHash: string;
  hash: string;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
export const foreignAuditSchema = z.strictObject({
  seq: z.number().int().min(1),
  at: z.string().max(40),
  actorId: z.string().max(40).nullable(),
  actorName: z.string().max(100).nullable(),
  method: z.string().max(100),
  action: z.string().max(100),
  entity: z.string().max(60).nullable(),
  entityId: z.string().max(100).nullable(),
  summary: z.string().max(10_000),
  prevHash: hex64,
  hash: hex64,
});

function chunks<T>(list: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** This device's own entries about the given records: never copies of other devices' entries, nor imports. */
export async function ownAuditEntries(db: Db, entityIds: string[], excludeMethods: string[]): Promise<ForeignAuditEntry[]> {
  const out: ForeignAuditEntry[] = [];
  for (const part of chunks(entityIds)) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', 'in', part)
      .where('method', 'not in', excludeMethods)
      .where('action', '!=', FOREIGN_AUDIT_ACTION)
      .execute();
    out.push(
      ...rows.map((r) => ({
        seq: r.seq,
        at: r.at,
        actorId: r.actor_id,
        actorName: r.actor_name,
        method: r.method,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        summary: r.summary,
        prevHash: r.prev_hash,
        hash: r.hash,
      })),
    );
  }
  return out.sort((a, b) => a.seq - b.seq);
}

export interface AuditCheckContext {
  /** The records the entries may concern. */
  entityIds: Set<string>;
  /** People the entries may name: carried by the file or known here. */
  isKnownActor(id: string): Promise<boolean>;
  /** Methods whose entries are imports, never the device's own work. */
  importMethods: string[];
  exportedAt: string;
}

/** Parses and checks foreign entries; returns the first problem in Chinese, or the entries. */
export async function checkForeignAudit(
  raw: unknown[],
  ctx: AuditCheckContext,
): Promise<{ entries: ForeignAuditEntry[] } | { problem: string; refuse: boolean }> {
  const entries: ForeignAuditEntry[] = [];
  for (const [i, a] of raw.entries()) {
    const r = foreignAuditSchema.safeParse(a);
    if (!r.success) return { problem: `第 ${i + 1} 条审计记录格式不正确`, refuse: false };
    entries.push(r.data);
  }
  for (const [i, e] of entries.entries()) {
    const n = `第 ${i + 1} 条审计记录`;
    if (entryHash(e.seq, e, e.prevHash) !== e.hash) return { problem: `${n}与其哈希不符，记录被改动过`, refuse: true };
    if (e.action === FOREIGN_AUDIT_ACTION || ctx.importMethods.includes(e.method))
      return { problem: `${n}是签名设备从别处导入的记录，不是它自己的记录`, refuse: true };
    if (!e.entityId || !ctx.entityIds.has(e.entityId)) return { problem: `${n}与本专场无关`, refuse: false };
    if (e.at > ctx.exportedAt) return { problem: `${n}的时间晚于导出时间`, refuse: true };
    if (e.actorId !== null && !(await ctx.isKnownActor(e.actorId)))
      return { problem: `${n}署名的人员既未随包附带、本机也没有`, refuse: true };
    const prev = entries[i - 1];
    if (prev && e.seq <= prev.seq) return { problem: `${n}的序号重复或顺序不对`, refuse: true };
    if (prev && e.seq === prev.seq + 1 && e.prevHash !== prev.hash)
      return { problem: `${n}与前一条记录接不上（链条被改动）`, refuse: true };
  }
  return { entries };
}

/** Appends copies of foreign entries to this chain (skipping those already here); returns counts. */
export async function appendForeignAudit(
  db: Db,
  entries: ForeignAuditEntry[],
  opts: { deviceTag: string; method: string; copyMethods: string[]; now: string },
): Promise<{ added: number; skipped: number }> {
  const known = new Set<string>();
  for (const part of chunks(entries.map((a) => a.hash)))
    for (const r of await db.selectFrom('audit_log').select('hash').where('hash', 'in', part).execute()) known.add(r.hash);
  for (const r of await db
    .selectFrom('audit_log')
    .select('summary')
    .where('method', 'in', opts.copyMethods)
    .where('action', '=', FOREIGN_AUDIT_ACTION)
    .execute()) {
    const m = /〔原哈希 ([0-9a-f]{64})〕$/.exec(r.summary);
    if (m?.[1]) known.add(m[1]);
  }
  let added = 0;
  for (const e of entries) {
    if (known.has(e.hash)) continue;
    await appendAudit(db, {
      at: opts.now,
      actorId: e.actorId,
      actorName: e.actorName,
      method: opts.method,
      action: FOREIGN_AUDIT_ACTION,
      entity: e.entity,
      entityId: e.entityId,
      summary: `设备 ${opts.deviceTag} 第 ${e.seq} 条（${e.at}，${e.action}，${e.method}）：${e.summary}〔原哈希 ${e.hash}〕`,
    });
    known.add(e.hash);
    added++;
  }
  return { added, skipped: entries.length - added };
}
