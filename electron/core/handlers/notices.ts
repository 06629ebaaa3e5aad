// Handlers for document numbers and notices.
import type { HandlerContext, Handlers } from '../rpc-types';
import { requireUser } from '../rpc-types';
import { NOT_YOUR_CASE, visibleCaseIds } from '../cases/case-access';
import { printOwner, requireDocuments } from './document-access';
import { addSigner, listSigners, removeSigner } from '../notices/trusted-signers';
import { addBlock, listBlocks, returnBlock } from '../notices/numbering';
import { getIssued, issueOnce, listIssued, verifyNotice, voidNotice } from '../notices/notice-service';
import { intakeDocumentData } from '../cases/case-documents';
import { issuerBlocks, statusBlocks } from '../cases/notice-issuers';
import { loadCaseRow } from '../cases/case-file';
import { NOTICE_LABELS, type NoticeType } from '../../../shared/notices/schemas';
import { ApiError } from '../../../shared/api/errors';
import { listDeliveries, recordDelivery } from '../notices/deliveries';
import { listPlatformStatements, platformStatementData } from '../appraisal/platform-statements';
import { PARTY_LABELS } from '../notices/documents';
import { getSettings } from '../settings';
import { ruleData } from '../cases/rule-data';

async function rulesFor(ctx: HandlerContext) {
  return ruleData(ctx.db, (await getSettings(ctx.db)).jurisdiction);
}

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
  | 'numbering.returnBlock'
  | 'notices.issueForCase'
  | 'notices.issue'
  | 'notices.list'
  | 'notices.get'
  | 'notices.verify'
  | 'notices.void'
  | 'deliveries.record'
  | 'deliveries.list'
  | 'platformStatements.issue'
  | 'platformStatements.list'
>;

export const noticeHandlers: NoticeHandlers = {
  async 'print.start'(input, ctx) {
    await requireDocuments(ctx, input.ids);
    return { jobId: await ctx.printJobs.start(ctx.db, input.ids, printOwner(ctx)) };
  },

  async 'print.status'(input, ctx) {
    return ctx.printJobs.status(input.jobId, printOwner(ctx));
  },

  async 'print.cancel'(input, ctx) {
    ctx.printJobs.cancel(input.jobId, printOwner(ctx));
    return ctx.printJobs.status(input.jobId, printOwner(ctx));
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

  async 'numbering.returnBlock'(input, ctx) {
    const r = await returnBlock(ctx.db, ctx.clock, input.id);
    ctx.note({
      entity: 'doc_number_block',
      entityId: input.id,
      summary:
        r.from <= r.last
          ? `交还文号号段 ${r.series} ${r.year} 年未用的 ${r.from}–${r.last}（本机不再使用，联网后交还中心）`
          : `关闭已用完的文号号段 ${r.series} ${r.year} 年`,
    });
    return r;
  },

  async 'notices.issueForCase'(input, ctx) {
    const r = await issueOnce(ctx.db, ctx.clock, ctx.dataDir, input.requestId, async () => {
      // Checked inside: a repeated request gets the document it already issued.
      const c = await loadCaseRow(ctx.db, input.caseId);
      const early = statusBlocks(c, input.type);
      if (early) throw new ApiError('RULE_REFUSED', early);
      const refused = issuerBlocks(c, input.type, requireUser(ctx));
      if (refused) throw new ApiError('FORBIDDEN', refused);
      return {
        data: await intakeDocumentData(ctx.db, input.caseId, input.type, true),
        caseId: input.caseId,
        signer: { id: ctx.user?.id ?? null, name: ctx.actorName },
      };
    });
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary: r.repeated
        ? `重复提交出具${NOTICE_LABELS[input.type]}，返回已出具的 ${r.documentNo}，未出具新文书`
        : `出具${NOTICE_LABELS[input.type]} ${r.documentNo}（SHA-256 ${r.sha256.slice(0, 16)}…）`,
    });
    return { id: r.id, documentNo: r.documentNo, sha256: r.sha256, repeated: r.repeated };
  },

  async 'notices.issue'(input, ctx) {
    const r = await issueOnce(ctx.db, ctx.clock, ctx.dataDir, input.requestId, async () => ({
      data: input.data,
      caseId: input.caseId,
      signer: { id: ctx.user?.id ?? null, name: ctx.actorName },
    }));
    ctx.note({
      entity: 'notice',
      entityId: r.id,
      summary: r.repeated ? `重复提交，返回已出具的 ${r.documentNo}` : `出具${NOTICE_LABELS[r.type]} ${r.documentNo}`,
    });
    return { id: r.id, documentNo: r.documentNo, sha256: r.sha256, repeated: r.repeated };
  },

  async 'notices.void'(input, ctx) {
    const user = requireUser(ctx);
    const r = await voidNotice(ctx.db, ctx.clock, { id: user.id, name: user.displayName, roles: user.roles }, input.id, input.reason);
    ctx.note({
      entity: r.caseId ? 'case' : 'notice',
      entityId: r.caseId ?? input.id,
      summary: `作废${NOTICE_LABELS[r.type] ?? '文书'} ${r.documentNo}（文号不再使用），理由：${input.reason.trim()}`,
    });
    return { ok: true as const };
  },

  async 'deliveries.record'(input, ctx) {
    const r = await recordDelivery(ctx.db, ctx.clock, ctx.dataDir, await rulesFor(ctx), requireUser(ctx), input);
    ctx.note({
      entity: 'case',
      entityId: r.caseId,
      summary: r.receipt.repeated
        ? `重复提交送达登记，返回已登记的送达回证 ${r.receipt.documentNo}`
        : `登记送达：${r.documentNo} 于 ${input.deliveredOn} 送达${PARTY_LABELS[input.party]}，出具送达回证 ${r.receipt.documentNo}`,
    });
    return {
      id: r.id,
      receipt: { id: r.receipt.id, documentNo: r.receipt.documentNo, sha256: r.receipt.sha256, repeated: r.receipt.repeated },
    };
  },

  async 'deliveries.list'(input, ctx) {
    return listDeliveries(ctx.db, input.caseId);
  },

  async 'platformStatements.issue'(input, ctx) {
    const rules = await rulesFor(ctx);
    const r = await issueOnce(ctx.db, ctx.clock, ctx.dataDir, input.requestId, async () => ({
      data: await platformStatementData(ctx.db, rules, input.caseId),
      caseId: input.caseId,
      signer: { id: ctx.user?.id ?? null, name: ctx.actorName },
    }));
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary: r.repeated ? `重复提交，返回已出具的平台企业承担费用告知书 ${r.documentNo}` : `出具平台企业承担费用告知书 ${r.documentNo}`,
    });
    return { id: r.id, documentNo: r.documentNo, sha256: r.sha256, repeated: r.repeated };
  },

  async 'platformStatements.list'(input, ctx) {
    return listPlatformStatements(ctx.db, input.platform);
  },

  async 'notices.list'(input, ctx) {
    const visible = await visibleCaseIds(ctx.db, ctx.user);
    if (!visible) return listIssued(ctx.db, input);
    if (input.caseId && !visible.has(input.caseId)) throw new ApiError('FORBIDDEN', NOT_YOUR_CASE);
    return (await listIssued(ctx.db, { ...input, limit: 500 })).filter((d) => d.caseId && visible.has(d.caseId)).slice(0, input.limit);
  },

  async 'notices.get'(input, ctx) {
    const row = await getIssued(ctx.db, input.id);
    await requireDocuments(ctx, [input.id]);
    return {
      id: row.id,
      type: row.type as NoticeType,
      typeLabel: NOTICE_LABELS[row.type as NoticeType],
      caseId: row.case_id,
      documentNo: row.document_no,
      sha256: row.pdf_sha256,
      signerName: row.signer_name,
      issuedAt: row.issued_at,
      replacesId: row.replaces_id,
      pdfBase64: Buffer.from(row.pdf).toString('base64'),
    };
  },

  async 'notices.verify'(input, ctx) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.pdfBase64)) throw new ApiError('INVALID_INPUT', '文件内容编码有误，请重新选择文件');
    return verifyNotice(ctx.db, ctx.dataDir, Buffer.from(input.pdfBase64, 'base64'));
  },
};
