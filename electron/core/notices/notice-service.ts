// Issuing decision notices: validate the data, take a document number, render the PDF with the
// bundled font (in a worker thread, render-service.ts), sign it with this device's key, and store
// the bytes so that a reprint is the very same file. Also verification of a PDF someone hands back.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaDate, chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { noticeDataSchema, NOTICE_LABELS, type NoticeData, type NoticeType } from '../../../shared/notices/schemas';
import type { NoticeMeta } from '../../../shared/notices/layout';
import { keyFacts } from '../../../shared/notices/rights';
import { renderNotice } from './render-service';
import { deviceKey, type DeviceKey } from '../crypto/device-key';
import { appendSignature, qrPayload, verifySignedPdf, type VerifyResult } from './signature';
import { sha256 } from '../crypto/hash';
import { loadTrust } from '../crypto/trust';
import { SERIES_OF, takeNumber } from './numbering';
import { voidedDocumentFor } from './documents';
import { getSettings } from '../settings';
import { ROLE_LABELS, type Role } from '../../../shared/roles';

type Db = Kysely<Database>;

export interface IssueInput {
  data: unknown;
  caseId: string | null;
  signer: { id: string | null; name: string };
  /** What the document is about beyond the case (a determination, a delivery, a hearing). */
  subjectId?: string | null;
  /** The caller's id for this request: a repeat returns the first document (see issueOnce). */
  requestId?: string | null;
  /** Instead of a number from a block (a 送达回证 takes its document's number). */
  documentNo?: string;
}

export interface IssuedNotice {
  id: string;
  type: NoticeType;
  documentNo: string;
  sha256: string;
  pdf: Buffer;
}

export interface IssueResult {
  id: string;
  type: NoticeType;
  documentNo: string;
  sha256: string;
  /** True when the request id had already issued this document: nothing new was issued. */
  repeated: boolean;
}

/**
 * Issues a document once per request id: a second click, a retry after a lost reply, returns the
 * document the first one issued instead of issuing another. Without a request id every call
 * issues (the callers' own "already issued" checks still refuse duplicates).
 */
export async function issueOnce(
  db: Db,
  clock: Clock,
  dataDir: string,
  requestId: string | undefined,
  build: () => Promise<Omit<IssueInput, 'requestId'>>,
): Promise<IssueResult> {
  if (requestId) {
    const seen = await db
      .selectFrom('issued_documents')
      .select(['id', 'type', 'document_no', 'pdf_sha256'])
      .where('client_request_id', '=', requestId)
      .executeTakeFirst();
    if (seen) return { id: seen.id, type: seen.type as NoticeType, documentNo: seen.document_no, sha256: seen.pdf_sha256, repeated: true };
  }
  const input = await build();
  const r = await issueNotice(db, clock, dataDir, { ...input, requestId: requestId ?? null });
  return { id: r.id, type: r.type, documentNo: r.documentNo, sha256: r.sha256, repeated: false };
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

/** What a notice's PDF is made from besides its data: number, issuer, date, signer, and the QR code's signed facts. */
export function noticeInputs(
  data: NoticeData,
  key: DeviceKey,
  n: { documentNo: string; issuer: string; today: string; signerName: string },
) {
  const facts = { ...keyFacts(data), no: n.documentNo, type: data.type, date: n.today, issuer: n.issuer, signer: n.signerName };
  const qrText = qrPayload(key, facts);
  const meta: NoticeMeta = {
    documentNo: n.documentNo,
    issuer: n.issuer,
    issuedOn: n.today,
    signerName: n.signerName,
    // The modules are encoded by the render job (render-job.ts), off this thread.
    qrText,
  };
  return { facts, meta };
}

async function defaultIssuers(db: Db) {
  const s = await getSettings(db);
  return { agency: s.agencyName, committee: s.appraisalCommittee };
}

/**
 * Renders (in a worker thread, or taken from a render made ahead for exactly these inputs) and
 * signs one notice; the caller's transaction makes the number and the record one step.
 */
export async function issueNotice(db: Db, clock: Clock, dataDir: string, input: IssueInput): Promise<IssuedNotice> {
  const data = parseNoticeData(input.data);
  const today = chinaDate(clock.now());
  const series = SERIES_OF[data.type];
  const { documentNo, issuer } = input.documentNo
    ? { documentNo: input.documentNo, issuer: await issuerOf(db) }
    : await takeNumber(db, series, Number(today.slice(0, 4)), { clock, issuers: await defaultIssuers(db) });
  const key = deviceKey(dataDir);
  const { facts, meta } = noticeInputs(data, key, { documentNo, issuer, today, signerName: input.signer.name });
  const rendered = await renderNotice({ data, meta });
  if (!rendered.ok) {
    throw new ApiError(
      'RULE_REFUSED',
      `内置字体无法显示字符“${rendered.missing.join('、')}”，为避免文书出现空白字，已停止出具。请改用手工填写该字或联系管理员更新字体`,
    );
  }
  const { signed, block } = appendSignature(rendered.pdf, key, facts);
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
      client_request_id: input.requestId ?? null,
      subject_id: input.subjectId ?? null,
      replaces_id: await voidedDocumentFor(db, data.type, input.caseId, input.subjectId ?? null),
    })
    .execute();
  return { id, type: data.type, documentNo, sha256: sha256(signed), pdf: signed };
}

/** The issuing body for documents that take no number of their own: the office's name. */
async function issuerOf(db: Db): Promise<string> {
  return (await getSettings(db)).agencyName || '（经办机构名称未设置）';
}

/** Who may void each type: the posts that issue it (a 送达回证, whoever records deliveries). */
const VOIDERS: Record<NoticeType, readonly Role[]> = {
  acceptance: ['intake_clerk'],
  supplement: ['intake_clerk'],
  confirmation: ['confirmation_officer'],
  'non-confirmation': ['confirmation_officer'],
  'appraisal-conclusion': ['appraisal_leader', 'appraisal_secretary'],
  'session-report': ['appraisal_leader', 'appraisal_secretary'],
  'benefit-determination': ['benefit_officer', 'benefit_reviewer', 'insurance_reviewer'],
  'platform-statement': ['benefit_officer', 'benefit_reviewer'],
  'delivery-receipt': [
    'intake_clerk',
    'confirmation_officer',
    'appraisal_leader',
    'appraisal_secretary',
    'benefit_officer',
    'benefit_reviewer',
  ],
};

/**
 * 作废: a document issued by mistake is voided with a reason; it stays stored and verifiable (as
 * voided), its number is never given again, and a new one can then be issued in its place.
 */
export async function voidNotice(
  db: Db,
  clock: Clock,
  by: { id: string | null; name: string; roles: readonly Role[] },
  id: string,
  reason: string,
) {
  const doc = await getIssued(db, id);
  const may = VOIDERS[doc.type as NoticeType] ?? [];
  if (!may.some((r) => by.roles.includes(r)))
    throw new ApiError(
      'FORBIDDEN',
      `作废${NOTICE_LABELS[doc.type as NoticeType] ?? '文书'}需要由${may.map((r) => ROLE_LABELS[r]).join('或')}办理`,
    );
  const voided = await db.selectFrom('voided_documents').select('voided_at').where('document_id', '=', id).executeTakeFirst();
  if (voided) throw new ApiError('CONFLICT', `文书 ${doc.document_no} 已于 ${voided.voided_at.slice(0, 10)} 作废`);
  if (!reason.trim()) throw new ApiError('INVALID_INPUT', '请写明作废理由', [{ path: 'reason', message: '请写明作废理由' }]);
  await db
    .insertInto('voided_documents')
    .values({
      document_id: id,
      case_id: doc.case_id,
      reason: reason.trim(),
      voided_by: by.id,
      voided_by_name: by.name,
      voided_at: chinaInstant(clock.now()),
    })
    .execute();
  return { documentNo: doc.document_no, type: doc.type as NoticeType, caseId: doc.case_id };
}

export async function getIssued(db: Db, id: string) {
  const row = await db.selectFrom('issued_documents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', '文书不存在');
  return row;
}

export async function listIssued(db: Db, q: { caseId?: string | undefined; limit: number }) {
  let query = db
    .selectFrom('issued_documents')
    .leftJoin('voided_documents', 'voided_documents.document_id', 'issued_documents.id')
    .select([
      'issued_documents.id',
      'issued_documents.type',
      'issued_documents.case_id',
      'issued_documents.document_no',
      'issued_documents.pdf_sha256',
      'issued_documents.signer_name',
      'issued_documents.issued_at',
      'issued_documents.replaces_id',
      'voided_documents.reason as void_reason',
      'voided_documents.voided_at',
      'voided_documents.voided_by_name',
    ])
    .orderBy('issued_documents.issued_at', 'desc')
    .limit(q.limit);
  if (q.caseId) query = query.where('issued_documents.case_id', '=', q.caseId);
  return (await query.execute()).map((r) => ({
    id: r.id,
    type: r.type as NoticeType,
    typeLabel: NOTICE_LABELS[r.type as NoticeType] ?? r.type,
    caseId: r.case_id,
    documentNo: r.document_no,
    sha256: r.pdf_sha256,
    signerName: r.signer_name,
    issuedAt: r.issued_at,
    replacesId: r.replaces_id,
    voided: r.voided_at ? { reason: r.void_reason ?? '', at: r.voided_at, byName: r.voided_by_name ?? '—' } : null,
  }));
}

/** Trusted: this device's own key, or a key an administrator registered (crypto/trust.ts). */
export async function verifyNotice(
  db: Db,
  dataDir: string,
  bytes: Buffer,
): Promise<VerifyResult & { issuedHere: boolean; voided: { reason: string; at: string } | null }> {
  const trust = await loadTrust(db, deviceKey(dataDir));
  const result = verifySignedPdf(bytes, trust.isTrusted);
  const stored = result.facts?.no
    ? await db
        .selectFrom('issued_documents')
        .leftJoin('voided_documents', 'voided_documents.document_id', 'issued_documents.id')
        .select(['issued_documents.pdf_sha256', 'voided_documents.reason', 'voided_documents.voided_at'])
        .where('issued_documents.document_no', '=', result.facts.no)
        .executeTakeFirst()
    : undefined;
  const here = !!stored && stored.pdf_sha256 === sha256(bytes);
  // A voided document still verifies as signed; whoever checks it is told it is no longer in force.
  const voided = here && stored.voided_at ? { reason: stored.reason ?? '', at: stored.voided_at } : null;
  return {
    ...result,
    issuedHere: here,
    voided,
    message: voided ? `${result.message}。注意：该文书已于 ${voided.at.slice(0, 10)} 作废（${voided.reason}），不再有效` : result.message,
  };
}
