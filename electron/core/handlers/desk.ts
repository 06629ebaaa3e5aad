// Handlers for the managers' desk: 运行监测, 疑点, exports and batch issuing. They translate between
// the contract and the services; the dispatcher owns transactions, roles and the audit entry
// (exports are audited: they take personal data off the device).
import type { Handlers, HandlerContext } from '../rpc-types';
import { requireUser } from '../rpc-types';
import { chinaDate, chinaInstant } from '../clock';
import { getSettings } from '../settings';
import { ruleData, type RuleData } from '../cases/rule-data';
import { loadCaseRow } from '../cases/case-file';
import { dashboard } from '../monitoring/dashboard';
import { annualFigures } from '../monitoring/annual';
import { clearFlag, flagsOfCase } from '../screening/screening';
import { flagQueue } from '../screening/flag-queue';
import { exportFile } from '../exports/spreadsheet';
import {
  auditTable,
  dashboardTables,
  figureTable,
  flagsTable,
  hearingTable,
  queueTable,
  searchTable,
  worklistTable,
} from '../exports/sources';
import { conclusionItems, determinationItems } from '../batch/batch-items';
import type { ExportTable } from '../../../shared/exports/table';
import { ApiError } from '../../../shared/api/errors';
import type { ExportFormat } from '../../../shared/api/methods/desk';

async function rulesFor(ctx: HandlerContext): Promise<RuleData> {
  return ruleData(ctx.db, (await getSettings(ctx.db)).jurisdiction);
}

/** Writes the file and describes the export for the audit entry. */
async function exported(ctx: HandlerContext, format: ExportFormat, what: string, tables: ExportTable[]) {
  const file = await exportFile(format, what, chinaDate(ctx.clock.now()), tables);
  ctx.note({ entity: 'export', summary: `导出${what}（${format.toUpperCase()}，${file.rows} 行）` });
  return file;
}

type DeskHandlers = Pick<
  Handlers,
  | 'monitoring.dashboard'
  | 'monitoring.annual'
  | 'flags.ofCase'
  | 'flags.queue'
  | 'flags.clear'
  | 'exports.worklist'
  | 'exports.queue'
  | 'exports.search'
  | 'exports.audit'
  | 'exports.hearing'
  | 'exports.dashboard'
  | 'exports.annual'
  | 'exports.flags'
  | 'batch.issueConclusions'
  | 'batch.issueDeterminations'
  | 'batch.pending'
  | 'batch.status'
  | 'batch.cancel'
>;

export const deskHandlers: DeskHandlers = {
  async 'monitoring.dashboard'(input, ctx) {
    return dashboard(ctx.db, ctx.clock, input);
  },

  async 'monitoring.annual'(input, ctx) {
    return annualFigures(ctx.db, ctx.clock, input.year, input.office);
  },

  async 'flags.ofCase'(input, ctx) {
    await loadCaseRow(ctx.db, input.caseId);
    return flagsOfCase(ctx.db, input.caseId);
  },

  async 'flags.queue'(input, ctx) {
    return flagQueue(ctx.db, input.status, input.code);
  },

  async 'flags.clear'(input, ctx) {
    const f = await clearFlag(ctx.db, chinaInstant(ctx.clock.now()), requireUser(ctx).id, input.flagId, input.reason);
    const c = await loadCaseRow(ctx.db, f.case_id);
    ctx.note({
      entity: 'case',
      entityId: f.case_id,
      summary: `清除疑点 ${c.case_no ?? c.registration_no}“${f.label}”；核查情况：${input.reason.trim().slice(0, 300)}`,
    });
    return { ok: true as const };
  },

  async 'exports.worklist'(input, ctx) {
    return exported(ctx, input.format, '临期逾期待办', [
      await worklistTable(ctx.db, ctx.clock, await rulesFor(ctx), requireUser(ctx).roles),
    ]);
  },

  async 'exports.queue'(input, ctx) {
    const table = await queueTable(ctx.db, ctx.clock, await rulesFor(ctx), input.queue);
    return exported(ctx, input.format, table.name, [table]);
  },

  async 'exports.search'(input, ctx) {
    return exported(ctx, input.format, '案件检索结果', [await searchTable(ctx.db, input.q, input.status)]);
  },

  async 'exports.audit'(input, ctx) {
    return exported(ctx, input.format, '审计日志', [await auditTable(ctx.db, input.from, input.to)]);
  },

  async 'exports.hearing'(input, ctx) {
    const table = await hearingTable(ctx.db, input.hearingId);
    return exported(ctx, input.format, table.name, [table]);
  },

  async 'exports.dashboard'(input, ctx) {
    const tables = await dashboardTables(ctx.db, ctx.clock, input.filter, input.figure);
    return exported(ctx, input.format, input.figure ? `运行监测-${tables[0]!.name}` : '运行监测', tables);
  },

  async 'exports.annual'(input, ctx) {
    const a = await annualFigures(ctx.db, ctx.clock, input.year, input.office);
    return exported(
      ctx,
      input.format,
      `${input.year}年度职业伤害保障公开数据`,
      a.sections.map((s) => figureTable(s)),
    );
  },

  async 'exports.flags'(input, ctx) {
    return exported(ctx, input.format, '疑点清单', [await flagsTable(ctx.db, input.status, input.code)]);
  },

  async 'batch.issueConclusions'(input, ctx) {
    const hearing = await ctx.db.selectFrom('hearings').select('hearing_no').where('id', '=', input.hearingId).executeTakeFirst();
    if (!hearing) throw new ApiError('NOT_FOUND', '鉴定专场不存在');
    return ctx.batchJobs.start({
      kind: `conclusions:${input.hearingId}`,
      title: `专场 ${hearing.hearing_no} 鉴定结论书`,
      ownerId: ctx.user?.id ?? null,
      signerName: ctx.actorName,
      items: await conclusionItems(ctx.db, input.hearingId),
      call: ctx.callAsCaller,
    });
  },

  async 'batch.issueDeterminations'(_input, ctx) {
    return ctx.batchJobs.start({
      kind: 'determinations',
      title: '待遇核定通知书',
      ownerId: ctx.user?.id ?? null,
      signerName: ctx.actorName,
      items: await determinationItems(ctx.db),
      call: ctx.callAsCaller,
    });
  },

  async 'batch.pending'(input, ctx) {
    const items =
      input.kind === 'conclusions'
        ? input.hearingId
          ? await conclusionItems(ctx.db, input.hearingId)
          : []
        : await determinationItems(ctx.db);
    return items.map((i) => ({ label: i.label, caseId: i.caseId }));
  },

  async 'batch.status'(input, ctx) {
    return ctx.batchJobs.status(input.jobId, ctx.user?.id ?? null);
  },

  async 'batch.cancel'(input, ctx) {
    return ctx.batchJobs.cancel(input.jobId, ctx.user?.id ?? null);
  },
};
