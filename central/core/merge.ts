// One row change applied at the centre by its table's merge rule (shared/sync/tables.ts,
// docs/sync-protocol.md §5): versioned rows only on top of the version they were edited from,
// append-only rows inserted once and never changed, set rows inserted or deleted. The caller
// runs every row of a mutation inside one savepoint and rolls it back on any refusal or conflict.
import { sql, type RawBuilder } from 'kysely';
import { rowKeyString, syncTable, type SyncTable } from '../../shared/sync/tables';
import type { RowChange } from '../../shared/sync/protocol';
import type { Db } from '../db/database';
import type { JsonRow } from '../db/schema';
import { canonical } from './crypto';
import { checkIssuedDocument, claimDocumentNumber } from './documents';
import { addHolder, caseIdOf, fanOut, showHearingOfCase, showWorkerOfCase, HEARING_CASES_TABLE, type Written } from './links';
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

export type RowOutcome =
  { kind: 'applied' } | { kind: 'refused'; refusal: Refusal } | { kind: 'conflict'; table: SyncTable; centre: CentreRecord | null };

/** Blobs the mutation needs at the centre before it can apply: the catalogue's blob columns only. */
export function blobRefs(rows: readonly RowChange[]): string[] {
  const out = new Set<string>();
  for (const c of rows) {
    for (const col of syncTable(c.table)?.blobColumns ?? []) {
      const v = c.row?.[col];
      if (v && typeof v === 'object') out.add(v.$blob);
    }
  }
  return [...out];
}

const refused = (code: string, message: string): RowOutcome => ({ kind: 'refused', refusal: { code, message } });

/** Shape checks the zod schema cannot make: the catalogue's key, local and blob columns. */
function checkShape(t: SyncTable, c: RowChange): RowOutcome | null {
  const label = t.label;
  const keyCols = Object.keys(c.key).sort();
  if (canonical(keyCols) !== canonical([...t.key].sort())) return refused('INVALID_ROW', `「${label}」的主键列与同步目录不符`);
  if (c.op === 'delete' && c.row !== null) return refused('INVALID_ROW', `删除「${label}」时不应附带行内容`);
  if (c.op === 'upsert' && c.row === null) return refused('INVALID_ROW', `「${label}」缺少行内容`);
  if (c.baseVersion !== null && c.version <= c.baseVersion) return refused('INVALID_ROW', `「${label}」的新版本号不大于原版本号`);
  if (!c.row) return null;
  for (const k of t.key) if (c.row[k] !== c.key[k]) return refused('INVALID_ROW', `「${label}」的行内容与主键不一致`);
  for (const col of t.localColumns ?? [])
    if (col in c.row) return refused('INVALID_ROW', `「${label}」带有只应留在本机的字段（如密码材料），中心未采纳`);
  const blobCols = new Set(t.blobColumns ?? []);
  for (const [col, v] of Object.entries(c.row)) {
    const isRef = v !== null && typeof v === 'object';
    if (isRef !== blobCols.has(col) && !(v === null && blobCols.has(col)))
      return refused('INVALID_ROW', `「${label}」的文件字段格式不正确`);
    // PostgreSQL's jsonb cannot hold U+0000; such text is refused rather than failing the push forever.
    if (typeof v === 'string' && v.includes('\u0000')) return refused('INVALID_ROW', `「${label}」含有不可存储的空字符`);
  }
  return null;
}

async function current(trx: Db, table: string, key: string): Promise<CentreRecord | null> {
  const r = await sql<CentreRecord>`
    SELECT version, deleted, row, case_id FROM records WHERE table_name = ${table} AND key = ${key}`.execute(trx);
  return r.rows[0] ?? null;
}

function sameState(cur: CentreRecord, c: RowChange): boolean {
  return cur.version === c.version && cur.deleted === (c.op === 'delete') && canonical(cur.row) === canonical(c.row);
}

export async function applyRow(trx: Db, c: RowChange, p: Pusher): Promise<RowOutcome> {
  const t = syncTable(c.table);
  if (!t) return refused('UNKNOWN_TABLE', `中心的同步目录里没有这类记录（${c.table}），请升级应用`);
  const bad = checkShape(t, c);
  if (bad) return bad;
  const key = rowKeyString(t, c.key);
  const keyJson = c.key;
  const rowJson = c.row === null ? null : JSON.stringify(c.row);
  const deleted = c.op === 'delete';
  const newCaseId = caseIdOf(t, c.key, c.row);

  // Cases and hearing_cases rows need their worker or hearing shown to the holders before their
  // own entry is logged; every other row is written and logged in one statement.
  const logNow = t.link.kind !== 'self' && t.table !== HEARING_CASES_TABLE;
  const keyText = JSON.stringify(keyJson);
  const withLog = (write: RawBuilder<unknown>): RawBuilder<{ case_id: string | null }> =>
    logNow
      ? sql<{ case_id: string | null }>`
        WITH w AS (${write}),
        mine AS (
          INSERT INTO record_offices (table_name, key, office_id) SELECT ${t.table}, ${key}, ${p.officeId}::uuid FROM w WHERE w.case_id IS NULL
          ON CONFLICT DO NOTHING RETURNING office_id),
        logged AS (
          INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
          SELECT o.office_id, ${p.deviceId}::uuid, ${t.table}, ${key}, ${keyText}::jsonb, ${c.version}, ${deleted}, ${rowJson}::jsonb
          FROM (SELECT h.office_id FROM w JOIN case_holders h ON h.case_id = w.case_id
                UNION SELECT r.office_id FROM w JOIN record_offices r ON w.case_id IS NULL AND r.table_name = ${t.table} AND r.key = ${key}
                UNION SELECT office_id FROM mine) o)
        SELECT case_id FROM w`
      : sql<{ case_id: string | null }>`${write}`;

  const insert = async (): Promise<{ case_id: string | null } | undefined> => {
    const r = await withLog(sql`
      INSERT INTO records (table_name, key, key_json, version, deleted, row, case_id, last_device, last_mutation, created_at, updated_at)
      VALUES (${t.table}, ${key}, ${keyText}::jsonb, ${c.version}, ${deleted}, ${rowJson}::jsonb, ${newCaseId},
        ${p.deviceId}, ${p.mutationId}, ${p.at}, ${p.at})
      ON CONFLICT (table_name, key) DO NOTHING RETURNING case_id`).execute(trx);
    return r.rows[0];
  };
  /** Overwrites the record when `guard` holds; returns its case id, or undefined when nothing matched. */
  const overwrite = async (guard: RawBuilder<unknown>): Promise<{ case_id: string | null } | undefined> => {
    const r = await withLog(sql`
      UPDATE records SET version = ${c.version}, deleted = ${deleted}, row = ${rowJson}::jsonb,
        case_id = COALESCE(${newCaseId}, case_id), last_device = ${p.deviceId}, last_mutation = ${p.mutationId}, updated_at = ${p.at}
      WHERE table_name = ${t.table} AND key = ${key} AND ${guard} RETURNING case_id`).execute(trx);
    return r.rows[0];
  };

  let written: { created: boolean; caseId: string | null } | null = null;
  switch (t.merge) {
    case 'versioned': {
      if (c.op === 'upsert' && c.baseVersion === null) {
        const hit = await insert();
        if (hit) written = { created: true, caseId: hit.case_id };
      } else if (c.baseVersion !== null) {
        const hit = await overwrite(sql`version = ${c.baseVersion}`);
        if (hit) written = { created: false, caseId: hit.case_id };
      }
      if (!written) {
        const cur = await current(trx, t.table, key);
        // The same state again (a baseline of a row another device already sent, a retried
        // delete) changes nothing; deleting what the centre never had is nothing to protect.
        if (cur ? sameState(cur, c) : c.op === 'delete') return { kind: 'applied' };
        return { kind: 'conflict', table: t, centre: cur };
      }
      break;
    }
    case 'append-only': {
      if (c.op === 'delete') return refused('APPEND_ONLY', `「${t.label}」是只增不改的记录，不能删除`);
      if (t.table === 'issued_documents') {
        const doc = await checkDocument(trx, c, p);
        if (doc) return doc;
      }
      const hit = await insert();
      if (hit) {
        written = { created: true, caseId: hit.case_id };
        break;
      }
      const cur = await current(trx, t.table, key);
      if (cur && !cur.deleted && canonical(cur.row) === canonical(c.row)) return { kind: 'applied' };
      return refused('APPEND_ONLY', `「${t.label}」在中心已有同一编号但内容不同的记录：已签发或已记录的内容不能更改`);
    }
    case 'set': {
      if (c.op === 'upsert') {
        const added = await insert();
        if (added) written = { created: true, caseId: added.case_id };
        else {
          const hit = await overwrite(sql`deleted`);
          if (hit) written = { created: false, caseId: hit.case_id };
        }
      } else {
        const hit = await overwrite(sql`NOT deleted`);
        if (hit) written = { created: false, caseId: hit.case_id };
      }
      if (!written) return { kind: 'applied' };
      break;
    }
  }

  if (logNow) return { kind: 'applied' };
  const w: Written = { table: t.table, key, keyJson, version: c.version, deleted, row: c.row, caseId: written.caseId };
  if (t.link.kind === 'self' && w.caseId !== null) {
    // A case new to the centre is held by the pushing device's office; the office then gets
    // the whole case (and its worker) from the back-fill, so the row is not logged twice.
    if (written.created) {
      const holder = await addHolder(trx, w.caseId, p.officeId, p.at);
      if (holder.added) {
        if (holder.others > 0) await fanOutExcept(trx, w, p);
        return { kind: 'applied' };
      }
    }
    if (!deleted) await showWorkerOfCase(trx, w.caseId, c.row);
  }
  if (t.table === HEARING_CASES_TABLE && w.caseId !== null && !deleted) await showHearingOfCase(trx, w.caseId, c.row);
  await fanOut(trx, w, { deviceId: p.deviceId, officeId: p.officeId });
  return { kind: 'applied' };
}

/** After a back-fill to the pusher's office: the other holders (assigned before the case arrived). */
async function fanOutExcept(trx: Db, w: Written, p: Pusher): Promise<void> {
  if (w.caseId === null) return;
  await showWorkerOfCase(trx, w.caseId, w.row);
  await sql`
    INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
    SELECT h.office_id, ${p.deviceId}::uuid, ${w.table}, ${w.key}, ${JSON.stringify(w.keyJson)}::jsonb, ${w.version}, ${w.deleted},
      ${w.row === null ? null : JSON.stringify(w.row)}::jsonb
    FROM case_holders h WHERE h.case_id = ${w.caseId} AND h.office_id <> ${p.officeId}::uuid`.execute(trx);
}

async function checkDocument(trx: Db, c: RowChange, p: Pusher): Promise<RowOutcome | null> {
  const row = c.row!;
  const ref = row.pdf;
  if (!ref || typeof ref !== 'object') return refused('DOC_SIGNATURE', '文书缺少 PDF 文件');
  const blob = await sql<{ bytes: Uint8Array }>`SELECT bytes FROM blobs WHERE sha256 = ${ref.$blob}`.execute(trx);
  const bytes = blob.rows[0]?.bytes;
  if (!bytes) return refused('BLOB_MISSING', '文书的 PDF 文件尚未上传到中心');
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const check = await checkIssuedDocument(trx, row, pdf, ref.$blob, { id: p.deviceId, publicKey: p.publicKey });
  if ('refused' in check) return { kind: 'refused', refusal: check.refused };
  const claimed = await claimDocumentNumber(trx, {
    documentNo: check.ok.documentNo,
    documentId: String(row.id),
    pdfSha256: ref.$blob,
    deviceId: p.deviceId,
    signerKeyId: check.ok.signerKeyId,
  });
  if (!claimed) return refused('DOC_NO_TAKEN', `文号 ${check.ok.documentNo} 在中心已被另一份文书使用，这份文书未被采纳`);
  return null;
}
