// Decision notices: document-number blocks, issuing, listing, reprinting and verifying.
import { z } from 'zod';
import { method } from '../define';
import { idSchema, isoDateSchema, text } from '../common';
import {
  DELIVERY_METHODS,
  INTAKE_NOTICE_TYPES,
  NOTICE_TYPES,
  PRINT_JOB_STATES,
  VERIFY_STATUSES,
  type IntakeNoticeType,
} from '../../notices/schemas';
import { PARTY_CODES } from '../../cases/enums';
import type { Role } from '../../roles';

/**
 * Who may issue each intake document. The decision notices (职业伤害确认结论书, 不予确认结论书)
 * carry a legal decision: only the confirmation officer who made it may issue them (deciderOnly),
 * plus any role named in orRoles (none today).
 */
export const CASE_NOTICE_ISSUERS: Record<IntakeNoticeType, { roles: readonly Role[]; deciderOnly: boolean; orRoles: readonly Role[] }> = {
  acceptance: { roles: ['intake_clerk', 'confirmation_officer'], deciderOnly: false, orRoles: [] },
  supplement: { roles: ['intake_clerk'], deciderOnly: false, orRoles: [] },
  confirmation: { roles: ['confirmation_officer'], deciderOnly: true, orRoles: [] },
  'non-confirmation': { roles: ['confirmation_officer'], deciderOnly: true, orRoles: [] },
};

/**
 * Roles that issue, void or serve some document (the 结论书 is the panel's, the 待遇核定通知书 the
 * benefit office's); which intake document each may issue is CASE_NOTICE_ISSUERS, checked per case.
 */
const ISSUERS = [
  'intake_clerk',
  'confirmation_officer',
  'appraisal_leader',
  'appraisal_secretary',
  'benefit_reviewer',
  'insurance_reviewer',
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
  /** The voided document this one was issued in place of. */
  replacesId: z.string().nullable().optional(),
  voided: z.object({ reason: z.string(), at: z.string(), byName: z.string() }).nullable().optional(),
});

/**
 * A client-chosen id for one issue request (a UUID made when the button is first pressed): a
 * repeated request — a double click, a retry after a lost reply — returns the same document.
 */
export const requestIdSchema = z.string().uuid('请求编号格式不正确').optional();

const issueResult = z.object({ id: z.string(), documentNo: z.string(), sha256: z.string(), repeated: z.boolean().optional() });

const deliverySchema = z.object({
  id: z.string(),
  documentId: z.string(),
  documentNo: z.string(),
  typeLabel: z.string(),
  party: z.enum(PARTY_CODES),
  method: z.enum(DELIVERY_METHODS),
  deliveredOn: z.string(),
  receiver: z.string(),
  note: z.string(),
  receiptId: z.string().nullable(),
  recordedByName: z.string(),
  live: z.boolean(),
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
    output: z.array(
      blockSchema.extend({
        id: z.string(),
        next: z.number(),
        remaining: z.number(),
        source: z.string(),
        /** Leased by the centre (issue #13). */
        leased: z.boolean(),
        /** Handed back: numbers from here on went (or go, at the next sync) back to the centre. */
        returnedFrom: z.number().nullable(),
        returnAcknowledged: z.boolean(),
      }),
    ),
  }),
  'numbering.returnBlock': method({
    label: '交还文号号段',
    access: ['admin'],
    mutates: true,
    input: z.object({ id: z.string().min(1).max(60) }),
    output: z.object({ series: z.string(), year: z.number(), from: z.number(), last: z.number() }),
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
    input: z.object({
      caseId: idSchema,
      type: z.enum(INTAKE_NOTICE_TYPES),
      requestId: requestIdSchema,
    }),
    output: issueResult,
  }),
  'notices.void': method({
    label: '作废文书',
    access: ISSUERS,
    mutates: true,
    input: z.object({ id: idSchema, reason: text('作废理由', 500, 1) }),
    output: z.object({ ok: z.literal(true) }),
  }),
  'deliveries.record': method({
    label: '登记送达',
    access: ISSUERS,
    mutates: true,
    input: z.object({
      documentId: idSchema,
      party: z.enum(PARTY_CODES, { error: '请选择受送达人' }),
      method: z.enum(DELIVERY_METHODS, { error: '请选择送达方式' }),
      deliveredOn: isoDateSchema,
      receiver: text('签收人', 60, 1),
      note: text('备注', 300).default(''),
      requestId: requestIdSchema,
    }),
    output: z.object({ id: z.string(), receipt: issueResult }),
  }),
  'deliveries.list': method({
    label: '查看送达记录',
    access: 'authenticated',
    mutates: false,
    input: z.object({ caseId: idSchema }),
    output: z.array(deliverySchema),
  }),
  'platformStatements.issue': method({
    label: '出具平台企业承担费用告知书',
    access: ['benefit_officer', 'benefit_reviewer'],
    mutates: true,
    input: z.object({ caseId: idSchema, requestId: requestIdSchema }),
    output: issueResult,
  }),
  'platformStatements.list': method({
    label: '查看平台企业费用告知书',
    access: ['benefit_officer', 'benefit_reviewer', 'insurance_reviewer', 'admin'],
    mutates: false,
    input: z.object({ platform: z.string().max(40).optional() }),
    output: z.array(
      z.object({
        id: z.string(),
        documentNo: z.string(),
        caseId: z.string(),
        caseNo: z.string().nullable(),
        workerName: z.string(),
        platform: z.string(),
        platformName: z.string(),
        legalName: z.string(),
        total: z.string(),
        issuedAt: z.string(),
        voided: z.boolean(),
      }),
    ),
  }),
  'notices.issue': method({
    label: '出具文书',
    access: ['admin'],
    mutates: true,
    input: z.object({ caseId: idSchema.nullable(), data: z.unknown(), requestId: requestIdSchema }),
    output: issueResult,
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
      /** Issued here and later voided (作废): still signed, no longer in force. */
      voided: z.object({ reason: z.string(), at: z.string() }).nullable().optional(),
    }),
  }),
};
