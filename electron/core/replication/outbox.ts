// The sync outbox. recordMutation is the dispatcher's commit hook: called once per mutating RPC
// call, inside its transaction, right after the audit entry, it turns the keys the capture
// triggers noted into one mutation (shared/sync/protocol.ts mutationSchema): each changed row as
// it is now, with the version it had before the call (its base version), local-only columns
// stripped and BLOBs as {"$blob": sha256}; plus the call's audit entry. seq is gapless per device
// because it is taken in the same transaction (a rolled-back call takes none). The outbox is
// written whether or not the device is enrolled. Also: what the sync client reads to push, and
// how it records a failed attempt.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, SyncOutboxTable } from '../db-schema';
import { ApiError } from '../../../shared/api/errors';
import {
  CELL_MAX_CHARS,
  KEY_MAX_CHARS,
  MUTATION_MAX_ROWS,
  auditCopySchema,
  mutationSchema,
  type AuditCopy,
  type Mutation,
  type RowChange,
} from '../../../shared/sync/protocol';
import { SYNC_TABLES } from '../../../shared/sync/tables';
import { newId } from '../ids';
import { takeCaptured, type Captured } from './capture';
import { noteBlobRef } from './blobs';
import { keyString, toSyncRow, issueText, type DbRow } from './row-codec';
import { storeMeta, tableMeta, type StoreMeta, type TableMeta } from './table-meta';
import { refuseForeignCases } from '../sync/holders';

type Db = Kysely<Database>;

export interface MutationInfo {
  /** The RPC method. */
  kind: string;
  entity: string | null;
  entityId: string | null;
  userId: string | null;
  userName: string | null;
  /** `id@version` of the rule pack the call used, if any. */
  rulePack: string | null;
  /** The audit entry the dispatcher wrote in this transaction. */
  auditSeq: number | null;
  at: string;
}

const ORDER = new Map(SYNC_TABLES.map((t, i) => [t.table, i]));

/**
 * The current rows of a table for many keys in one query (the hook runs on every call: a query per
 * key would cost more than everything else it does), keyed by the capture's key string.
 */
async function loadRows(db: Db, meta: TableMeta, keys: (string | number)[][]): Promise<Map<string, DbRow>> {
  const out = new Map<string, DbRow>();
  for (let i = 0; i < keys.length; i += 300) {
    const part = keys.slice(i, i + 300);
    const cols = sql.join(meta.spec.key.map((k) => sql.ref(k)));
    const tuples = sql.join(part.map((v) => sql`(${sql.join(v)})`));
    const rows = (await sql<DbRow>`SELECT * FROM ${sql.table(meta.table)} WHERE (${cols}) IN (VALUES ${tuples})`.execute(db)).rows;
    for (const r of rows) out.set(keyString(meta, r), r);
  }
  return out;
}

interface Built {
  changes: RowChange[];
  blobs: { sha256: string; tbl: string; key: string; col: string }[];
}

/** The row changes a transaction's capture stands for, in the order the centre applies them. */
export async function changesFromCapture(db: Db, meta: StoreMeta, captured: Captured[]): Promise<Built> {
  const upserts: { order: number; key: string; change: RowChange }[] = [];
  const deletes: { order: number; key: string; change: RowChange }[] = [];
  const blobs: Built['blobs'] = [];
  const byTable = new Map<string, Captured[]>();
  for (const c of captured) if (meta.tables.has(c.tbl)) byTable.set(c.tbl, [...(byTable.get(c.tbl) ?? []), c]);
  for (const [table, list] of byTable) {
    const t = meta.tables.get(table)!;
    const current = await loadRows(
      db,
      t,
      list.map((c) => JSON.parse(c.key) as (string | number)[]),
    );
    const versioned = t.spec.merge === 'versioned' && t.spec.versionColumn;
    for (const c of list) {
      const keyValues = JSON.parse(c.key) as (string | number)[];
      const key = Object.fromEntries(t.spec.key.map((k, i) => [k, keyValues[i]!]));
      const row = current.get(c.key);
      if (row) {
        // A membership row that was there before and still is: nothing changed.
        if (t.spec.merge === 'set' && c.existed === 1) continue;
        const wire = toSyncRow(t, row);
        for (const b of wire.blobs) blobs.push({ sha256: b.sha256, tbl: t.table, key: c.key, col: b.column });
        const version = versioned ? Number(row[t.spec.versionColumn!]) : 1;
        const baseVersion = versioned ? c.base_version : c.existed ? 1 : null;
        upserts.push({ order: ORDER.get(table)!, key: c.key, change: { table, key, op: 'upsert', baseVersion, version, row: wire.row } });
      } else {
        if (c.existed === 0) continue; // made and removed within the call
        const tomb = await db
          .selectFrom('sync_tombstones')
          .select('version')
          .where('tbl', '=', table)
          .where('key', '=', c.key)
          .executeTakeFirst();
        const version = tomb?.version ?? (versioned && c.base_version !== null ? c.base_version + 1 : 1);
        const baseVersion = versioned ? c.base_version : 1;
        deletes.push({ order: ORDER.get(table)!, key: c.key, change: { table, key, op: 'delete', baseVersion, version, row: null } });
      }
    }
  }
  // Parents before children for upserts, children before parents for deletes.
  upserts.sort((a, b) => a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  deletes.sort((a, b) => b.order - a.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { changes: [...upserts, ...deletes].map((x) => x.change), blobs };
}

/**
 * The wire contract's limits on rows (shared/sync/protocol.ts), checked by hand: a full zod parse
 * of every row on every call costs more than the rest of the hook. The header and the audit copy
 * are parsed with the contract's own schemas; a test parses whole mutations.
 */
function rowsProblem(rows: RowChange[]): string | null {
  for (const r of rows) {
    for (const v of Object.values(r.key)) if (typeof v === 'string' && v.length > KEY_MAX_CHARS) return `${r.table} 的主键过长`;
    if (r.row)
      for (const [col, v] of Object.entries(r.row))
        if (typeof v === 'string' && v.length > CELL_MAX_CHARS) return `${r.table}.${col} 超过 ${CELL_MAX_CHARS} 个字符`;
  }
  return null;
}

const headerSchema = mutationSchema.omit({ rows: true });

async function auditCopy(db: Db, seq: number): Promise<AuditCopy> {
  const a = await db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
  return {
    seq: a.seq,
    at: a.at,
    actorId: a.actor_id,
    actorName: a.actor_name,
    method: a.method,
    action: a.action,
    entity: a.entity,
    entityId: a.entity_id,
    summary: a.summary,
    prevHash: a.prev_hash,
    hash: a.hash,
  };
}

const tooLarge = (detail: string) =>
  new ApiError(
    'RULE_REFUSED',
    `本次操作的数据超出与中心同步的上限（${detail}），操作未保存。请缩短填写的内容后重试；如仍失败，请联系管理员`,
  );

/** Appends a call's changes as mutations (split at MUTATION_MAX_ROWS rows; the audit copy on the first). */
async function append(db: Db, meta: StoreMeta, info: MutationInfo, built: Built, audit: AuditCopy | null): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < built.changes.length; i += MUTATION_MAX_ROWS) {
    const rows = built.changes.slice(i, i + MUTATION_MAX_ROWS);
    const header: Omit<Mutation, 'rows' | 'seq'> = {
      mutationId: newId(),
      kind: info.kind,
      entity: info.entity,
      entityId: info.entityId,
      userId: info.userId,
      userName: info.userName,
      rulePack: info.rulePack,
      schemaVersion: meta.schemaVersion,
      at: info.at,
      audit: i === 0 ? audit : null,
    };
    // The centre refuses a mutation outside the contract: refuse it here, while the person can still act.
    const checked = headerSchema.safeParse({ ...header, seq: 1 });
    if (!checked.success) throw tooLarge(issueText(checked.error));
    const problem = rowsProblem(rows);
    if (problem) throw tooLarge(problem);
    // The next seq is taken in the insert itself: gapless, since the call's transaction holds the only write lock.
    const { seq } = (
      await sql<{
        seq: number;
      }>`INSERT INTO sync_outbox (seq, mutation_id, kind, entity, entity_id, user_id, user_name, rule_pack, schema_version, rows, audit, created_at)
        VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM sync_outbox), ${header.mutationId}, ${header.kind}, ${header.entity}, ${header.entityId},
          ${header.userId}, ${header.userName}, ${header.rulePack}, ${header.schemaVersion}, ${JSON.stringify(rows)},
          ${header.audit ? JSON.stringify(header.audit) : null}, ${header.at})
        RETURNING seq`.execute(db)
    ).rows[0]!;
    const keys = [...new Set(rows.map((r) => `${r.table}\u0000${keyString(tableMeta(meta, r.table), r.key)}`))].map((k) => {
      const [tbl, key] = k.split('\u0000') as [string, string];
      return { tbl, key, seq };
    });
    for (let j = 0; j < keys.length; j += 300)
      await db
        .insertInto('sync_outbox_keys')
        .values(keys.slice(j, j + 300))
        .execute();
    seqs.push(seq);
  }
  for (const b of built.blobs) await noteBlobRef(db, b);
  return seqs;
}

/**
 * The commit hook: one mutation for the call's captured changes (none if it changed no
 * replicated row). Must run inside the call's transaction, after its audit entry.
 */
export async function recordMutation(db: Db, info: MutationInfo): Promise<number[]> {
  const captured = await takeCaptured(db);
  if (captured.length === 0) return [];
  const meta = await storeMeta(db);
  const built = await changesFromCapture(db, meta, captured);
  if (built.changes.length === 0) return [];
  // Issue #13 hook: a case another office holds is not changed here (sync/holders.ts).
  await refuseForeignCases(db, built.changes);
  const audit = info.auditSeq === null ? null : auditCopySchema.parse(await auditCopy(db, info.auditSeq));
  return append(db, meta, info, built, audit);
}

export function parseOutboxRow(r: Selectable<SyncOutboxTable>): Mutation {
  return mutationSchema.parse({
    seq: r.seq,
    mutationId: r.mutation_id,
    kind: r.kind,
    entity: r.entity,
    entityId: r.entity_id,
    userId: r.user_id,
    userName: r.user_name,
    rulePack: r.rule_pack,
    schemaVersion: r.schema_version,
    at: r.created_at,
    rows: JSON.parse(r.rows),
    audit: r.audit === null ? null : JSON.parse(r.audit),
  });
}

/** The next mutations to push, oldest first (the client sends them in seq order). */
export async function pendingMutations(db: Db, limit: number): Promise<Mutation[]> {
  const rows = await db.selectFrom('sync_outbox').selectAll().where('status', '=', 'pending').orderBy('seq').limit(limit).execute();
  return rows.map((r) => parseOutboxRow(r));
}

/** A mutation ready for the wire: its JSON text (mutationSchema's shape) and what the push loop needs beside it. */
export interface WireMutation {
  seq: number;
  mutationId: string;
  /** The mutation as JSON text: the same text JSON.stringify gives for the parsed mutation. */
  json: string;
  /** The BLOB hashes its rows name (each once). */
  blobs: string[];
}

const text = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));

/**
 * A stored mutation as wire text, assembled from the stored JSON (no parse, no re-stringify: the
 * outbox text was checked when written — the header by the contract's schema, the rows by
 * rowsProblem — and the triggers keep it as written). A baseline was written by a migration
 * without those checks, so it is parsed, and one that cannot travel stops the push naming itself.
 */
export function wireOfOutboxRow(r: Selectable<SyncOutboxTable>): WireMutation {
  if (r.kind === 'sync.baseline') {
    const m = parseOutboxRow(r);
    return { seq: m.seq, mutationId: m.mutationId, json: JSON.stringify(m), blobs: blobsOf(m.rows) };
  }
  const json =
    `{"seq":${r.seq},"mutationId":${JSON.stringify(r.mutation_id)},"kind":${JSON.stringify(r.kind)},"entity":${text(r.entity)},` +
    `"entityId":${text(r.entity_id)},"userId":${text(r.user_id)},"userName":${text(r.user_name)},"rulePack":${text(r.rule_pack)},` +
    `"schemaVersion":${r.schema_version},"at":${JSON.stringify(r.created_at)},"rows":${r.rows},"audit":${r.audit ?? 'null'}}`;
  // Most mutations name no blob: a text test spares walking their rows.
  const blobs = r.rows.includes('"$blob"') ? blobsOf(JSON.parse(r.rows) as RowChange[]) : [];
  return { seq: r.seq, mutationId: r.mutation_id, json, blobs };
}

function blobsOf(rows: readonly RowChange[]): string[] {
  const out = new Set<string>();
  for (const c of rows) for (const v of Object.values(c.row ?? {})) if (v && typeof v === 'object' && '$blob' in v) out.add(v.$blob);
  return [...out];
}

/**
 * The mutations to push as wire text, oldest first: the pending ones, or (after the centre asked
 * to resend from a seq) every one from `fromSeq` on whatever its status.
 */
export async function wireMutations(db: Db, limit: number, fromSeq: number | null = null): Promise<WireMutation[]> {
  let q = db.selectFrom('sync_outbox').selectAll();
  q = fromSeq === null ? q.where('status', '=', 'pending') : q.where('seq', '>=', fromSeq);
  const rows = await q.orderBy('seq').limit(limit).execute();
  return rows.map((r) => wireOfOutboxRow(r));
}

/** A push attempt that got no result (network, 5xx): counted, with the error shown on the 同步 page. */
export async function notePushFailure(db: Db, seqs: number[], message: string): Promise<void> {
  if (seqs.length === 0) return;
  await db
    .updateTable('sync_outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: message.slice(0, 500) }))
    .where('seq', 'in', seqs)
    .where('status', '=', 'pending')
    .execute();
}

export async function outboxSummary(db: Db): Promise<Record<'pending' | 'acked' | 'rejected' | 'conflict', number>> {
  const rows = await db
    .selectFrom('sync_outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const out = { pending: 0, acked: 0, rejected: 0, conflict: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}
