// Handlers for opening, printing and saving issued documents: load the stored, signed PDF (or a
// finished print job's combined file, or a case's scanned PDF) here, for those allowed to see it
// (document-access.ts; the scan by the role × data table), and hand it to the host's delivery
// capability.
import type { Handlers, HandlerContext } from '../rpc-types';
import type { DeliveredFile } from '../documents/delivery';
import { safeFileName } from '../documents/delivery';
import { getIssued } from '../notices/notice-service';
import { printOwner, requireDocuments } from './document-access';
import { requireCase } from '../cases/case-access';
import { loadCaseRow } from '../cases/case-file';
import { readAttachment } from '../cases/attachment-files';
import { ApiError } from '../../../shared/api/errors';
import { chinaDate } from '../clock';
import { NOTICE_LABELS, type NoticeType } from '../../../shared/notices/schemas';
import type { Delivery } from '../../../shared/api/methods/documents';
import { isRemoved } from '../cases/attachment-removal';

type DocumentHandlers = Pick<Handlers, 'documents.open' | 'documents.print' | 'documents.save'>;

interface Loaded {
  file: DeliveredFile;
  /** How the audit entry names it: a document number, never a person's name. */
  describe: string;
  entity: 'notice' | 'print_job' | 'case';
  entityId: string;
}

async function issued(ctx: HandlerContext, id: string): Promise<Loaded> {
  const row = await getIssued(ctx.db, id);
  const label = NOTICE_LABELS[row.type as NoticeType];
  return {
    file: { name: safeFileName(`${label}-${row.document_no}`), bytes: Buffer.from(row.pdf) },
    describe: `${label} ${row.document_no}`,
    entity: 'notice',
    entityId: id,
  };
}

/** A scanned PDF of a case, for the roles that may open the case's scans (the same check as cases.attachment). */
async function scan(ctx: HandlerContext, id: string): Promise<Loaded> {
  const row = await ctx.db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || (await isRemoved(ctx.db, row.id))) throw new ApiError('NOT_FOUND', '附件不存在或已被删除，请刷新案件后重试');
  const rights = await requireCase(ctx.db, ctx.user, row.case_id);
  if (!rights.attachments) throw new ApiError('FORBIDDEN', '您的角色不能调阅本案的扫描材料');
  if (row.mime !== 'application/pdf') throw new ApiError('RULE_REFUSED', '这份附件是图片，请在材料页点“查看”在应用内打开');
  const c = await loadCaseRow(ctx.db, row.case_id);
  return {
    file: {
      name: safeFileName(`附件-${c.registration_no}-${row.filename.replace(/\.pdf$/i, '')}`),
      bytes: readAttachment(ctx.dataDir, ctx.keys.attachments, row),
    },
    describe: `附件 ${c.registration_no}：${row.filename}`,
    entity: 'case',
    entityId: row.case_id,
  };
}

async function load(
  ctx: HandlerContext,
  source: { documentId: string } | { printJobId: string } | { attachmentId: string },
): Promise<Loaded> {
  if ('documentId' in source) {
    await requireDocuments(ctx, [source.documentId]);
    return issued(ctx, source.documentId);
  }
  if ('attachmentId' in source) return scan(ctx, source.attachmentId);
  // The combined file is handed over once, to the session that started the job; it is gone afterwards.
  const bytes = ctx.printJobs.take(source.printJobId, printOwner(ctx));
  return {
    file: { name: safeFileName(`合并打印-${chinaDate(ctx.clock.now())}`), bytes },
    describe: '合并打印文件',
    entity: 'print_job',
    entityId: source.printJobId,
  };
}

function how(d: Delivery): string {
  return d.via === 'download' ? '浏览器下载' : d.done ? d.message || '已完成' : `未完成：${d.message}`;
}

const who = (ctx: HandlerContext) => ({ sessionTokenHash: ctx.sessionTokenHash });

export const documentHandlers: DocumentHandlers = {
  async 'documents.open'(input, ctx) {
    const doc = await load(ctx, input);
    const r = await ctx.desktop.open(doc.file, who(ctx));
    ctx.note({ entity: doc.entity, entityId: doc.entityId, summary: `查看${doc.describe}（${how(r)}）` });
    return r;
  },

  async 'documents.print'(input, ctx) {
    const doc = await load(ctx, input);
    const r = await ctx.desktop.print(doc.file, who(ctx));
    ctx.note({ entity: doc.entity, entityId: doc.entityId, summary: `打印${doc.describe}（${how(r)}）` });
    return r;
  },

  async 'documents.save'(input, ctx) {
    // Every document is loaded first: one missing id means nothing is delivered.
    const ids = [...new Set(input.ids)];
    await requireDocuments(ctx, ids);
    const docs: Loaded[] = [];
    for (const id of ids) docs.push(await issued(ctx, id));
    const r = await ctx.desktop.save(
      docs.map((d) => d.file),
      who(ctx),
    );
    const named = docs.slice(0, 3).map((d) => d.describe);
    ctx.note({
      entity: docs.length === 1 ? 'notice' : null,
      entityId: docs.length === 1 ? docs[0]!.entityId : null,
      summary: `保存 ${docs.length} 份文书：${named.join('、')}${docs.length > 3 ? ' 等' : ''}（${how(r)}）`,
    });
    return r;
  },
};
