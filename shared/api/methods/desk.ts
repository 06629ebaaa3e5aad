// The managers' desk: 运行监测 (dashboard, 第三十三条 annual figures), 疑点筛查 flags, exports of
// every list and table to XLSX/CSV, and batch issuing of a hearing's 结论书 and the approved
// 待遇核定通知书.
import { z } from 'zod';
import { method } from '../define';
import { idSchema, isoDateSchema, text } from '../common';
import { dashboardFilterSchema, dashboardSchema, figureSchema } from '../../monitoring/figures';
import { FLAG_STATUSES } from '../../screening/rules';
import { CASE_STATUSES } from '../../cases/lifecycle';
import { CASE_QUEUES } from '../../cases/enums';

const MANAGERS = ['manager', 'admin'] as const;
const CASE_READERS = [
  'intake_clerk',
  'confirmation_officer',
  'appraisal_secretary',
  'appraisal_leader',
  'appraisal_expert',
  'benefit_officer',
  'benefit_reviewer',
  'manager',
  'admin',
] as const;
/** Who looks into a flag and may clear it with a reason. */
const FLAG_CLEARERS = ['confirmation_officer', 'benefit_officer', 'benefit_reviewer', 'manager'] as const;

export const flagSchema = z.object({
  id: z.string(),
  code: z.string(),
  label: z.string(),
  article: z.string(),
  summary: z.string(),
  evidence: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  status: z.enum(FLAG_STATUSES),
  raisedAt: z.string(),
  lapsedAt: z.string().nullable(),
  clearedBy: z.string().nullable(),
  clearedAt: z.string().nullable(),
  clearReason: z.string().nullable(),
});
export type CaseFlag = z.infer<typeof flagSchema>;

export const flagQueueItemSchema = flagSchema.extend({
  caseId: z.string(),
  caseLabel: z.string(),
  workerName: z.string(),
  office: z.string(),
});
export type FlagQueueItem = z.infer<typeof flagQueueItemSchema>;

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
const format = z.enum(EXPORT_FORMATS, { error: '导出格式应为 xlsx 或 csv' });

export const exportFileSchema = z.object({
  filename: z.string(),
  mime: z.string(),
  dataBase64: z.string(),
  rows: z.number(),
});
export type ExportFile = z.infer<typeof exportFileSchema>;

export const annualFiguresSchema = z.object({
  year: z.number(),
  office: z.string().nullable(),
  sections: z.array(figureSchema),
});

export const batchStatusSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  state: z.enum(['running', 'done', 'cancelled']),
  total: z.number(),
  done: z.number(),
  issued: z.array(z.object({ label: z.string(), caseId: z.string().nullable(), documentNo: z.string(), id: z.string() })),
  failed: z.array(z.object({ label: z.string(), caseId: z.string().nullable(), message: z.string() })),
  notAttempted: z.number(),
  current: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type BatchStatusView = z.infer<typeof batchStatusSchema>;

export const deskMethods = {
  'monitoring.dashboard': method({
    label: '运行监测',
    access: MANAGERS,
    mutates: false,
    input: dashboardFilterSchema,
    output: dashboardSchema,
  }),
  'monitoring.annual': method({
    label: '年度公开数据',
    access: MANAGERS,
    mutates: false,
    input: z.object({ year: z.number().int().min(2020).max(2100), office: z.string().max(80).nullable() }),
    output: annualFiguresSchema,
  }),
  'flags.ofCase': method({
    label: '查看疑点',
    access: CASE_READERS,
    mutates: false,
    input: z.object({ caseId: idSchema }),
    output: z.array(flagSchema),
  }),
  'flags.queue': method({
    label: '疑点待核查',
    access: [...FLAG_CLEARERS, 'admin'],
    mutates: false,
    input: z.object({ status: z.enum(FLAG_STATUSES).default('open'), code: z.string().max(40).nullable().default(null) }),
    output: z.array(flagQueueItemSchema),
  }),
  'flags.clear': method({
    label: '清除疑点',
    access: FLAG_CLEARERS,
    mutates: true,
    input: z.object({ flagId: idSchema, reason: text('核查情况和清除理由', 500, 1) }),
    output: z.object({ ok: z.literal(true) }),
  }),
  'exports.worklist': method({
    label: '导出临期逾期待办',
    access: 'authenticated',
    mutates: true,
    input: z.object({ format }),
    output: exportFileSchema,
  }),
  'exports.queue': method({
    label: '导出待办队列',
    access: CASE_READERS,
    mutates: true,
    input: z.object({ format, queue: z.enum(CASE_QUEUES) }),
    output: exportFileSchema,
  }),
  'exports.search': method({
    label: '导出检索结果',
    access: CASE_READERS,
    mutates: true,
    input: z.object({
      format,
      q: z.string().max(40, '检索词不能超过 40 个字符'),
      status: z.enum(CASE_STATUSES).optional(),
    }),
    output: exportFileSchema,
  }),
  'exports.audit': method({
    label: '导出审计日志',
    access: ['admin'],
    mutates: true,
    input: z.object({ format, from: isoDateSchema.nullable().default(null), to: isoDateSchema.nullable().default(null) }),
    output: exportFileSchema,
  }),
  'exports.hearing': method({
    label: '导出专场结果',
    access: ['appraisal_secretary', 'appraisal_leader', 'admin'],
    mutates: true,
    input: z.object({ format, hearingId: idSchema }),
    output: exportFileSchema,
  }),
  'exports.dashboard': method({
    label: '导出运行监测',
    access: MANAGERS,
    mutates: true,
    input: z.object({ format, filter: dashboardFilterSchema, figure: z.string().max(40).nullable().default(null) }),
    output: exportFileSchema,
  }),
  'exports.annual': method({
    label: '导出年度公开数据',
    access: MANAGERS,
    mutates: true,
    input: z.object({ format, year: z.number().int().min(2020).max(2100), office: z.string().max(80).nullable() }),
    output: exportFileSchema,
  }),
  'exports.flags': method({
    label: '导出疑点清单',
    access: [...FLAG_CLEARERS, 'admin'],
    mutates: true,
    input: z.object({ format, status: z.enum(FLAG_STATUSES).default('open'), code: z.string().max(40).nullable().default(null) }),
    output: exportFileSchema,
  }),
  'batch.issueConclusions': method({
    label: '批量出具鉴定结论书',
    access: ['appraisal_secretary', 'appraisal_leader'],
    mutates: false,
    input: z.object({ hearingId: idSchema }),
    output: batchStatusSchema,
  }),
  'batch.issueDeterminations': method({
    label: '批量出具待遇核定通知书',
    access: ['benefit_officer', 'benefit_reviewer'],
    mutates: false,
    input: z.object({}),
    output: batchStatusSchema,
  }),
  'batch.pending': method({
    label: '待出具文书',
    access: ['appraisal_secretary', 'appraisal_leader', 'benefit_officer', 'benefit_reviewer'],
    mutates: false,
    input: z.object({ kind: z.enum(['conclusions', 'determinations']), hearingId: idSchema.nullable().default(null) }),
    output: z.array(z.object({ label: z.string(), caseId: z.string().nullable() })),
  }),
  'batch.status': method({
    label: '批量任务进度',
    access: 'authenticated',
    mutates: false,
    input: z.object({ jobId: idSchema }),
    output: batchStatusSchema,
  }),
  'batch.cancel': method({
    label: '取消批量任务',
    access: 'authenticated',
    mutates: false,
    input: z.object({ jobId: idSchema }),
    output: batchStatusSchema,
  }),
};
