// The materials checklist and scanned attachments of a case. Files are stored encrypted in the
// data folder, named from their content (attachment-files.ts: a rolled-back upload leaves at
// most an unreferenced copy, never a wrong one); only PDF, JPEG and PNG up to 10 MB are taken.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { loadCaseRow } from './case-file';
import { saveAttachment } from './attachment-files';

type Db = Kysely<Database>;

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** The type is read from the file's first bytes, not from its name. */
export function sniffType(bytes: Buffer): { mime: string; ext: string } | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return { mime: 'application/pdf', ext: 'pdf' };
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { mime: 'image/jpeg', ext: 'jpg' };
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { mime: 'image/png', ext: 'png' };
  return null;
}

export async function setMaterials(
  db: Db,
  clock: Clock,
  caseId: string,
  expectedVersion: number,
  materials: { code: string; received: boolean }[],
): Promise<number> {
  const c = await loadCaseRow(db, caseId);
  if (c.version !== expectedVersion) throw new ApiError('CONFLICT', '案件已被他人更新，请刷新后再核对材料');
  // After acceptance the checklist still takes what the investigation asks for (a 事故责任认定书,
  // a 残疾军人证 once the 第十一条 circumstance is corrected) until the decision.
  if (!['registered', 'awaiting_supplement', 'accepted'].includes(c.status))
    throw new ApiError('RULE_REFUSED', '案件已作出确认结论或已办结，材料清单不能再修改');
  const known = new Set((await db.selectFrom('case_materials').select('code').where('case_id', '=', caseId).execute()).map((m) => m.code));
  for (const m of materials) {
    if (!known.has(m.code)) throw new ApiError('INVALID_INPUT', `材料“${m.code}”不在本案清单中`);
    await db
      .updateTable('case_materials')
      .set({ received: m.received ? 1 : 0 })
      .where('case_id', '=', caseId)
      .where('code', '=', m.code)
      .execute();
  }
  await db
    .updateTable('cases')
    .set({ version: c.version + 1, updated_at: chinaInstant(clock.now()) })
    .where('id', '=', caseId)
    .execute();
  return c.version + 1;
}

export async function attachFile(
  db: Db,
  clock: Clock,
  dataDir: string,
  attachmentKey: Buffer,
  userId: string,
  input: { caseId: string; materialCode: string | null; filename: string; dataBase64: string },
): Promise<{ attachmentId: string; sha256: string }> {
  await loadCaseRow(db, input.caseId);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.dataBase64)) throw new ApiError('INVALID_INPUT', '附件内容编码有误，请重新选择文件上传');
  const bytes = Buffer.from(input.dataBase64, 'base64');
  if (bytes.length === 0) throw new ApiError('INVALID_INPUT', '附件是空文件，请重新选择');
  if (bytes.length > MAX_ATTACHMENT_BYTES) throw new ApiError('INVALID_INPUT', '附件不能超过 10 MB，请压缩或分页扫描后再上传');
  const type = sniffType(bytes);
  if (!type) throw new ApiError('INVALID_INPUT', '只接受 PDF、JPG 或 PNG 格式的扫描件或照片');
  if (input.materialCode) {
    const m = await db
      .selectFrom('case_materials')
      .select('code')
      .where('case_id', '=', input.caseId)
      .where('code', '=', input.materialCode)
      .executeTakeFirst();
    if (!m) throw new ApiError('INVALID_INPUT', '所选材料不在本案清单中');
  }
  const { rel, sha256 } = saveAttachment(dataDir, attachmentKey, bytes);
  const id = newId();
  await db
    .insertInto('attachments')
    .values({
      id,
      case_id: input.caseId,
      material_code: input.materialCode,
      filename: input.filename,
      mime: type.mime,
      size: bytes.length,
      sha256,
      stored_path: rel,
      uploaded_by: userId,
      uploaded_at: chinaInstant(clock.now()),
    })
    .execute();
  return { attachmentId: id, sha256 };
}
