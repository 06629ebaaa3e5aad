// Issuing decision notices: validate the data, take a document number, render the PDF with the
// bundled font, sign it with this device's key, and store the bytes so that a reprint is the
// very same file. Also verification of a PDF someone hands back.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaDate, chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { noticeDataSchema, NOTICE_LABELS, type NoticeData, type NoticeType } from '../../../shared/notices/schemas';
import { buildNotice } from '../../../shared/notices/templates';
import { textOf } from '../../../shared/notices/layout';
import { keyFacts } from '../../../shared/notices/rights';
import { missingGlyphs, renderPdf } from './pdf-engine';
import { deviceKey } from '../crypto/device-key';
import { appendSignature, qrPayload, qrRows, verifySignedPdf, type VerifyResult } from './signature';
import { sha256 } from '../crypto/hash';
import { loadTrust } from '../crypto/trust';
import { SERIES_OF, takeNumber } from './numbering';

type Db = Kysely<Database>;

export interface IssueInput {
  data: unknown;
  caseId: string | null;
  signer: { id: string | null; name: string };
}

export interface IssuedNotice {
  id: string;
  type: NoticeType;
  documentNo: string;
  sha256: string;
  pdf: Buffer;
}

export function parseNoticeData(data: unknown): NoticeData {
  const r = noticeDataSchema.safeParse(data);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new ApiError(
      'INVALID_INPUT',
      `文书数据有误（${first?.path.join('.') ?? ''}）：${first?.message ?? ''}`,
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return r.data;
}

/** Renders and signs one notice; the caller's transaction makes the number and the record one step. */
export async function issueNotice(db: Db, clock: Clock, dataDir: string, input: IssueInput): Promise<IssuedNotice> {
  const data = parseNoticeData(input.data);
  const today = chinaDate(clock.now());
  const series = SERIES_OF[data.type];
  const { documentNo, issuer } = await takeNumber(db, series, Number(today.slice(0, 4)));
  const key = deviceKey(dataDir);
  const facts = { ...keyFacts(data), no: documentNo, type: data.type, date: today, issuer, signer: input.signer.name };
  const qrText = qrPayload(key, facts);
  const meta = { documentNo, issuer, issuedOn: today, signerName: input.signer.name, qrText, qrRows: qrRows(qrText) };
  const definition = buildNotice(data, meta);
  const missing = missingGlyphs(textOf(definition.content));
  if (missing.length > 0) {
    throw new ApiError(
      'RULE_REFUSED',
      `内置字体无法显示字符“${missing.join('、')}”，为避免文书出现空白字，已停止出具。请改用手工填写该字或联系管理员更新字体`,
    );
  }
  const { signed, block } = appendSignature(await renderPdf(definition), key, facts);
  const id = newId();
  await db
    .insertInto('issued_documents')
    .values({
      id,
      type: data.type,
      case_id: input.caseId,
      series,
      document_no: documentNo,
      data: JSON.stringify(data),
      pdf: signed,
      pdf_sha256: sha256(signed),
      key_id: block.keyId,
      signature: block.signature,
      signer_id: input.signer.id,
      signer_name: input.signer.name,
      issued_at: chinaInstant(clock.now()),
    })
    .execute();
  return { id, type: data.type, documentNo, sha256: sha256(signed), pdf: signed };
}

export async function getIssued(db: Db, id: string) {
  const row = await db.selectFrom('issued_documents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', '文书不存在');
  return row;
}

export async function listIssued(db: Db, q: { caseId?: string | undefined; limit: number }) {
  let query = db
    .selectFrom('issued_documents')
    .select(['id', 'type', 'case_id', 'document_no', 'pdf_sha256', 'signer_name', 'issued_at'])
    .orderBy('issued_at', 'desc')
    .limit(q.limit);
  if (q.caseId) query = query.where('case_id', '=', q.caseId);
  return (await query.execute()).map((r) => ({
    id: r.id,
    type: r.type as NoticeType,
    typeLabel: NOTICE_LABELS[r.type as NoticeType] ?? r.type,
    caseId: r.case_id,
    documentNo: r.document_no,
    sha256: r.pdf_sha256,
    signerName: r.signer_name,
    issuedAt: r.issued_at,
  }));
}

/** Trusted: this device's own key, or a key an administrator registered (crypto/trust.ts). */
export async function verifyNotice(db: Db, dataDir: string, bytes: Buffer): Promise<VerifyResult & { issuedHere: boolean }> {
  const trust = await loadTrust(db, deviceKey(dataDir));
  const result = verifySignedPdf(bytes, trust.isTrusted);
  const stored = result.facts?.no
    ? await db.selectFrom('issued_documents').select('pdf_sha256').where('document_no', '=', result.facts.no).executeTakeFirst()
    : undefined;
  return { ...result, issuedHere: !!stored && stored.pdf_sha256 === sha256(bytes) };
}
