// Decision notices: document-number blocks, issuing, listing, reprinting and verifying.
import { z } from 'zod';
import { method } from '../define';
import { idSchema, text } from '../common';
import { INTAKE_NOTICE_TYPES, NOTICE_TYPES, PRINT_JOB_STATES, VERIFY_STATUSES } from '../../notices/schemas';

const ISSUERS = [
  'intake_clerk',
  'confirmation_officer',
  'appraisal_leader',
  'appraisal_secretary',
  'benefit_reviewer',
  'benefit_officer',
] as const;

export const blockSchema = z.object({
  series: z.string().regex(/^[a-z-]{2,30}$/, '序列代码应为小写字母'),
  pattern: text('文号格式', 60, 1),
  issuer: text('发文机关', 60, 1),
  year: z.number().int().min(2020).max(2100),
  first: z.number().int().min(1).max(99_999_999),
  last: z.number().int().min(1).max(99_999_999),
});

const issuedSchema = z.object({
  id: z.string(),
  type: z.enum(NOTICE_TYPES),
  typeLabel: z.string(),
  caseId: z.string().nullable(),
  documentNo: z.string(),
  sha256: z.string(),
  signerName: z.string(),
  issuedAt: z.string(),
});

const jobStatus = z.object({
  id: z.string(),
  total: z.number(),
  done: z.number(),
  state: z.enum(PRINT_JOB_STATES),
  message: z.string(),
  ready: z.boolean(),
});

export const noticeMethods = {
  'print.start': method({
    label: '合并打印',
    access: 'authenticated',
    mutates: false,
    input: z.object({ ids: z.array(idSchema).min(1, '请至少选择一份文书').max(1000, '一次最多合并 1000 份') }),
    output: z.object({ jobId: z.string() }),
  }),
  'print.status': method({
    label: '打印进度',
    access: 'authenticated',
    mutates: false,
    input: z.object({ jobId: idSchema }),
    output: jobStatus,
  }),
  'print.cancel': method({
    label: '取消打印',
    access: 'authenticated',
    mutates: false,
    input: z.object({ jobId: idSchema }),
    output: jobStatus,
  }),
  'numbering.listBlocks': method({
    label: '查看文号号段',
    access: ['admin'],
    mutates: false,
    input: z.object({}),
    output: z.array(blockSchema.extend({ id: z.string(), next: z.number(), remaining: z.number(), source: z.string() })),
  }),
  'signers.list': method({
    label: '查看可信设备',
    access: ['admin'],
    mutates: false,
    input: z.object({}),
    output: z.object({
      own: z.object({ keyId: z.string(), fingerprint: z.string(), line: z.string() }),
      trusted: z.array(
        z.object({
          keyId: z.string(),
          fingerprint: z.string(),
          label: z.string(),
          addedAt: z.string(),
          /** Registered from a line with its encryption key: hearing packages can be addressed to it. */
          canReceive: z.boolean(),
        }),
      ),
    }),
  }),
  'signers.add': method({
    label: '登记可信设备',
    access: ['admin'],
    mutates: true,
    input: z.object({ label: text('设备名称', 60, 1), key: text('设备公钥', 400, 1) }),
    output: z.object({ keyId: z.string(), fingerprint: z.string(), upgraded: z.boolean() }),
  }),
  'signers.remove': method({
    label: '移除可信设备',
    access: ['admin'],
    mutates: true,
    input: z.object({ keyId: z.string().regex(/^[0-9a-f]{16}$/, '设备指纹应为 16 位十六进制') }),
    output: z.object({ ok: z.literal(true) }),
  }),
  'numbering.addBlock': method({
    label: '设置文号号段',
    access: ['admin'],
    mutates: true,
    input: blockSchema,
    output: z.object({ id: z.string() }),
  }),
  'notices.issueForCase': method({
    label: '出具文书',
    access: ISSUERS,
    mutates: true,
    input: z.object({ caseId: idSchema, type: z.enum(INTAKE_NOTICE_TYPES) }),
    output: z.object({ id: z.string(), documentNo: z.string(), sha256: z.string() }),
  }),
  'notices.issue': method({
    label: '出具文书',
    access: ['admin'],
    mutates: true,
    input: z.object({ caseId: idSchema.nullable(), data: z.unknown() }),
    output: z.object({ id: z.string(), documentNo: z.string(), sha256: z.string() }),
  }),
  'notices.list': method({
    label: '查看文书',
    access: 'authenticated',
    mutates: false,
    input: z.object({ caseId: idSchema.optional(), limit: z.number().int().min(1).max(500).default(100) }),
    output: z.array(issuedSchema),
  }),
  'notices.get': method({
    label: '调阅文书',
    access: 'authenticated',
    mutates: false,
    input: z.object({ id: idSchema }),
    output: issuedSchema.extend({ pdfBase64: z.string() }),
  }),
  'notices.verify': method({
    label: '核验文书',
    access: 'authenticated',
    mutates: false,
    input: z.object({ pdfBase64: z.string().min(1, '请选择 PDF 文件').max(14_000_000, '文件过大（超过 10 MB）') }),
    output: z.object({
      status: z.enum(VERIFY_STATUSES),
      message: z.string(),
      facts: z.record(z.string(), z.string()).nullable(),
      keyId: z.string().nullable(),
      issuedHere: z.boolean(),
    }),
  }),
};
