// A mutation's row changes applied at the centre by their tables' merge rules (shared/sync/tables.ts,
// docs/sync-protocol.md §5): versioned rows only on top of the version they were edited from,
// append-only rows inserted once and never changed, set rows inserted or deleted. The shape checks
// and the documents' signatures are here; the rules themselves run in SQL (oip_apply_rows, called
// for a whole push batch by oip_apply_batch: central/migrations/0002), which undoes a refused
// mutation's rows itself.
import { sql } from 'kysely';
import { SYNC_TABLES, rowKeyString, syncTable, type SyncTable } from '../../shared/sync/tables';
import type { RowChange } from '../../shared/sync/protocol';
import type { Db } from '../db/database';
import type { JsonRow } from '../db/schema';
import { checkIssuedDocument, claimDocumentNumber } from './documents';
import { caseIdOf, shownFirst } from './links';
import { checkLeasedNumber } from './leases';
import type { Refusal } from './roles';

export interface Pusher {
  deviceId: string;
  officeId: string;
  publicKey: string;
  mutationId: string;
  /** The mutation's instant at the centre (ISO). */
  at: string;
}

export interface CentreRecord {
  version: number;
  deleted: boolean;
  row: JsonRow | null;
  case_id: string | null;
}

/** What checkShape asks of a table, computed once per table rather than once per row. */
interface ShapeOf {
  table: SyncTable;
  keyCols: ReadonlySet<string>;
  localCols: readonly string[];
  blobCols: ReadonlySet<string>;
}

const SHAPES = new Map<string, ShapeOf>(
  SYNC_TABLES.map((t) => [
    t.table,
    { table: t, keyCols: new Set(t.key), localCols: t.localColumns ?? [], blobCols: new Set(t.blobColumns ?? []) },
  ]),
);

/** Blobs the mutation needs at the centre before it can apply: the catalogue's blob columns only. */
export function blobRefs(rows: readonly RowChange[]): string[] {
  const out = new Set<string>();
  for (const c of rows) {
    for (const col of SHAPES.get(c.table)?.blobCols ?? []) {
      const v = c.row?.[col];
      if (v && typeof v === 'object') out.add(v.$blob);
    }
  }
  return [...out];
}

const refused = (message: string, code = 'INVALID_ROW'): { kind: 'refused'; refusal: Refusal } => ({
  kind: 'refused',
  refusal: { code, message },
});

/** Shape checks the zod schema cannot make: the catalogue's key, local and blob columns. */
function checkShape(s: ShapeOf, c: RowChange): { kind: 'refused'; refusal: Refusal } | null {
  const t = s.table;
  const label = t.label;
  let keyCount = 0;
  for (const k in c.key) {
    if (!s.keyCols.has(k)) return refused(`「${label}」的主键列与同步目录不符`);
    keyCount++;
  }
  if (keyCount !== s.keyCols.size) return refused(`「${label}」的主键列与同步目录不符`);
  if (c.op === 'delete' && c.row !== null) return refused(`删除「${label}」时不应附带行内容`);
  if (c.op === 'upsert' && c.row === null) return refused(`「${label}」缺少行内容`);
  if (c.baseVersion !== null && c.version <= c.baseVersion) return refused(`「${label}」的新版本号不大于原版本号`);
  const row = c.row;
  if (!row) return null;
  for (const k of t.key) if (row[k] !== c.key[k]) return refused(`「${label}」的行内容与主键不一致`);
  for (const col of s.localCols) if (col in row) return refused(`「${label}」带有只应留在本机的字段（如密码材料），中心未采纳`);
  for (const col in row) {
    const v = row[col];
    if (typeof v === 'string') {
      // PostgreSQL's jsonb cannot hold U+0000; such text is refused rather than failing the push forever.
      if (s.blobCols.has(col)) return refused(`「${label}」的文件字段格式不正确`);
      if (v.includes('\u0000')) return refused(`「${label}」含有不可存储的空字符`);
    } else if ((v !== null && typeof v === 'object') !== s.blobCols.has(col) && v !== null)
      return refused(`「${label}」的文件字段格式不正确`);
  }
  return null;
}

export interface RowSpec {
  i: number;
  tbl: string;
  k: string;
  kj: RowChange['key'];
  op: RowChange['op'];
  base: number | null;
  ver: number;
  rw: RowChange['row'];
  merge: SyncTable['merge'];
  self: boolean;
  case_id: string | null;
  show_table: string | null;
  show_key: string | null;
  bl: boolean;
}

export type RowsOutcome = { kind: 'applied' } | { kind: 'refused'; refusal: Refusal } | { kind: 'conflicts'; conflicts: RowConflict[] };
export interface RowConflict {
  table: SyncTable;
  change: RowChange;
  centre: CentreRecord | null;
}

/** One row of oip_apply_rows / oip_apply_batch's answer. */
export interface RowOutcomeRow {
  i: number | null;
  outcome: 'conflict' | 'refused' | 'invalid';
  code: string;
  centre_version: number | null;
  centre_deleted: boolean | null;
  centre_row: JsonRow | null;
}

/**
 * A mutation's rows checked against the catalogue (no database needed) and turned into the specs
 * oip_apply_rows takes. `baseline`: the rows of a sync.baseline mutation, which the centre takes
 * as no change when it already holds the row at the same or a newer version.
 */
export function prepareRows(
  rows: readonly RowChange[],
  baseline: boolean,
): { kind: 'specs'; specs: RowSpec[] } | { kind: 'refused'; refusal: Refusal } {
  const specs: RowSpec[] = [];
  for (const [i, c] of rows.entries()) {
    const shape = SHAPES.get(c.table);
    if (!shape) return refused(`中心的同步目录里没有这类记录（${c.table}），请升级应用`, 'UNKNOWN_TABLE');
    const t = shape.table;
    const bad = checkShape(shape, c);
    if (bad) return bad;
    const show = c.op === 'upsert' ? shownFirst(t, c.row) : null;
    specs.push({
      i,
      tbl: t.table,
      k: rowKeyString(t, c.key),
      kj: c.key,
      op: c.op,
      base: c.baseVersion,
      ver: c.version,
      rw: c.row,
      merge: t.merge,
      self: t.link.kind === 'self',
      case_id: caseIdOf(t, c.key, c.row),
      show_table: show?.table ?? null,
      show_key: show?.key ?? null,
      bl: baseline,
    });
  }
  return { kind: 'specs', specs };
}

/** Does the mutation carry an issued document (whose 文号 the centre claims: see checkDocuments)? */
export const carriesDocument = (rows: readonly RowChange[]): boolean =>
  rows.some((c) => c.table === 'issued_documents' && c.op === 'upsert');

/** The documents' signatures and 文号 claims; the caller undoes the claims if the mutation is refused. */
export async function checkDocuments(
  trx: Db,
  rows: readonly RowChange[],
  p: Pusher,
): Promise<{ kind: 'refused'; refusal: Refusal } | null> {
  for (const c of rows)
    if (c.table === 'issued_documents' && c.op === 'upsert') {
      const doc = await checkDocument(trx, c, p);
      if (doc) return doc;
    }
  return null;
}

/** What the SQL answered for one mutation's rows, as a refusal or the list of conflicts. */
export function rowsOutcome(rows: readonly RowChange[], answered: readonly RowOutcomeRow[]): RowsOutcome {
  const conflicts: RowConflict[] = [];
  for (const o of answered) {
    if (o.outcome === 'invalid') return refused('变更中有中心无法保存的数据，未被采纳');
    const change = rows[o.i!]!;
    const t = syncTable(change.table)!;
    if (o.outcome === 'refused')
      return o.code === 'APPEND_ONLY_DELETE'
        ? refused(`「${t.label}」是只增不改的记录，不能删除`, 'APPEND_ONLY')
        : refused(`「${t.label}」在中心已有同一编号但内容不同的记录：已签发或已记录的内容不能更改`, 'APPEND_ONLY');
    conflicts.push({
      table: t,
      change,
      centre:
        o.centre_version === null ? null : { version: o.centre_version, deleted: !!o.centre_deleted, row: o.centre_row, case_id: null },
    });
  }
  return conflicts.length ? { kind: 'conflicts', conflicts } : { kind: 'applied' };
}

async function checkDocument(trx: Db, c: RowChange, p: Pusher): Promise<{ kind: 'refused'; refusal: Refusal } | null> {
  const row = c.row!;
  const ref = row.pdf;
  if (!ref || typeof ref !== 'object') return refused('文书缺少 PDF 文件', 'DOC_SIGNATURE');
  const blob = await sql<{ bytes: Uint8Array }>`SELECT bytes FROM blobs WHERE sha256 = ${ref.$blob}`.execute(trx);
  const bytes = blob.rows[0]?.bytes;
  if (!bytes) return refused('文书的 PDF 文件尚未上传到中心', 'BLOB_MISSING');
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const check = await checkIssuedDocument(trx, row, pdf, ref.$blob, { id: p.deviceId, publicKey: p.publicKey });
  if ('refused' in check) return { kind: 'refused', refusal: check.refused };
  // Issue #13 hook: a 文号 of a series the centre leases must come from the signer's or pusher's lease.
  const notLeased = await checkLeasedNumber(trx, check.ok.documentNo, { pusherId: p.deviceId, signerKeyId: check.ok.signerKeyId });
  if (notLeased) return { kind: 'refused', refusal: notLeased };
  const claimed = await claimDocumentNumber(trx, {
    documentNo: check.ok.documentNo,
    documentId: String(row.id),
    pdfSha256: ref.$blob,
    deviceId: p.deviceId,
    signerKeyId: check.ok.signerKeyId,
  });
  if (!claimed) return refused(`文号 ${check.ok.documentNo} 在中心已被另一份文书使用，这份文书未被采纳`, 'DOC_NO_TAKEN');
  return null;
}
