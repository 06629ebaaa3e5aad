// Handlers for document numbers and notices.
import type { Handlers } from '../rpc-types';
import { addSigner, listSigners, removeSigner } from '../notices/trusted-signers';
import { addBlock, listBlocks } from '../notices/numbering';
import { getIssued, issueNotice, listIssued, verifyNotice } from '../notices/notice-service';
import { intakeDocumentData } from '../cases/case-documents';
import { NOTICE_LABELS, type NoticeType } from '../../../shared/notices/schemas';
import { ApiError } from '../../../shared/api/errors';

type NoticeHandlers = Pick<
  Handlers,
  | 'signers.list'
  | 'signers.add'
  | 'signers.remove'
  | 'print.start'
  | 'print.status'
  | 'print.cancel'
  | 'numbering.listBlocks'
  | 'numbering.addBlock'
  | 'notices.issueForCase'
  | 'notices.issue'
  | 'notices.list'
  | 'notices.get'
  | 'notices.verify'
>;

export const noticeHandlers: NoticeHandlers = {
  async 'print.start'(input, ctx) {
    return { jobId: ctx.printJobs.start(ctx.db, input.ids) };
  },

  async 'print.status'(input, ctx) {
    return ctx.printJobs.status(input.jobId);
  },

  async 'print.cancel'(input, ctx) {
    ctx.printJobs.cancel(input.jobId);
    return ctx.printJobs.status(input.jobId);
  },

  async 'signers.list'(_i, ctx) {
    return listSigners(ctx.db, ctx.dataDir);
  },

  async 'signers.add'(input, ctx) {
    const r = await addSigner(ctx.db, ctx.clock, ctx.dataDir, input);
    ctx.note({
      entity: 'trusted_signer',
      entityId: r.keyId,
      summary: r.upgraded
        ? `为已登记的可信设备（${r.keyId}）补登加密公钥，指纹 ${r.fingerprint}`
        : `登记可信设备“${input.label.trim()}”（密钥 ${r.keyId}，指纹 ${r.fingerprint}）`,
    });
    return { keyId: r.keyId, fingerprint: r.fingerprint, upgraded: r.upgraded };
  },

  async 'signers.remove'(input, ctx) {
    const r = await removeSigner(ctx.db, input.keyId);
    ctx.note({ entity: 'trusted_signer', entityId: input.keyId, summary: `移除可信设备“${r.label}”（密钥 ${input.keyId}）` });
    return { ok: true as const };
  },

  async 'numbering.listBlocks'(_i, ctx) {
    return listBlocks(ctx.db);
  },

  async 'numbering.addBlock'(input, ctx) {
    const id = await addBlock(ctx.db, ctx.clock, input);
    ctx.note({
      entity: 'doc_number_block',
      entityId: id,
      summary: `设置文号号段 ${input.series} ${input.year} 年 ${input.first}–${input.last}`,
    });
    return { id };
  },

  async 'notices.issueForCase'(input, ctx) {
    const data = await intakeDocumentData(ctx.db, input.caseId, input.type);
    const r = await issueNotice(ctx.db, ctx.clock, ctx.dataDir, {
      data,
      caseId: input.caseId,
      signer: { id: ctx.user?.id ?? null, name: ctx.actorName },
    });
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary: `出具${NOTICE_LABELS[input.type]} ${r.documentNo}（SHA-256 ${r.sha256.slice(0, 16)}…）`,
    });
    return { id: r.id, documentNo: r.documentNo, sha256: r.sha256 };
  },

  async 'notices.issue'(input, ctx) {
    const r = await issueNotice(ctx.db, ctx.clock, ctx.dataDir, {
      data: input.data,
      caseId: input.caseId,
      signer: { id: ctx.user?.id ?? null, name: ctx.actorName },
    });
    ctx.note({ entity: 'notice', entityId: r.id, summary: `出具${NOTICE_LABELS[r.type]} ${r.documentNo}` });
    return { id: r.id, documentNo: r.documentNo, sha256: r.sha256 };
  },

  async 'notices.list'(input, ctx) {
    return listIssued(ctx.db, input);
  },

  async 'notices.get'(input, ctx) {
    const row = await getIssued(ctx.db, input.id);
    return {
      id: row.id,
      type: row.type as NoticeType,
      typeLabel: NOTICE_LABELS[row.type as NoticeType],
      caseId: row.case_id,
      documentNo: row.document_no,
      sha256: row.pdf_sha256,
      signerName: row.signer_name,
      issuedAt: row.issued_at,
      pdfBase64: Buffer.from(row.pdf).toString('base64'),
    };
  },

  async 'notices.verify'(input, ctx) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.pdfBase64)) throw new ApiError('INVALID_INPUT', '文件内容编码有误，请重新选择文件');
    return verifyNotice(ctx.db, ctx.dataDir, Buffer.from(input.pdfBase64, 'base64'));
  },
};
