// What each notice needs, as zod schemas: the CLI and the RPC validate against them, and the
// intake/appraisal services produce exactly these shapes.
import { z } from 'zod';
import { NURSING_LEVELS } from '../appraisal/grades';
import { APPRAISAL_KINDS } from '../appraisal/enums';
import { PAYERS, PERIODS } from '../rules/benefit-result';

export const NOTICE_TYPES = [
  'acceptance',
  'supplement',
  'confirmation',
  'non-confirmation',
  'appraisal-conclusion',
  'benefit-determination',
  'session-report',
  'delivery-receipt',
  'platform-statement',
] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];
/** The notices a case's own screen issues at the counter and in confirmation. */
export const INTAKE_NOTICE_TYPES = [
  'acceptance',
  'supplement',
  'confirmation',
  'non-confirmation',
] as const satisfies readonly NoticeType[];
export type IntakeNoticeType = (typeof INTAKE_NOTICE_TYPES)[number];
export const NOTICE_LABELS: Record<NoticeType, string> = {
  acceptance: '受理通知书',
  supplement: '一次性补正告知书',
  confirmation: '职业伤害确认结论书',
  'non-confirmation': '不予确认职业伤害结论书',
  'appraisal-conclusion': '劳动能力鉴定结论书',
  'benefit-determination': '待遇核定通知书',
  'session-report': '劳动能力鉴定专场报告',
  'delivery-receipt': '送达回证',
  'platform-statement': '平台企业承担费用告知书',
};

/** A batch print job's life: it runs, then ends done (the combined file is ready), cancelled or failed. */
export const PRINT_JOB_STATES = ['running', 'done', 'cancelled', 'failed'] as const;
export type PrintJobState = (typeof PRINT_JOB_STATES)[number];

/** What checking a handed-back PDF against its embedded signature can find. */
export const VERIFY_STATUSES = ['valid', 'altered', 'unknown-signer', 'unsigned'] as const;
export type VerifyStatus = (typeof VERIFY_STATUSES)[number];
export const VERIFY_STATUS_LABELS: Record<VerifyStatus, string> = {
  valid: '有效',
  altered: '已被改动',
  'unknown-signer': '签发设备未知',
  unsigned: '无本系统签名',
};

const s = (max = 2000) => z.string().max(max);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const money = z.string().regex(/^-?\d+\.\d{2}$/, '金额应为两位小数的字符串');

const person = z.object({ name: s(30).min(1), idNumberMasked: s(20), phone: s(20).optional() });
const accident = z.object({
  at: s(20),
  place: s(200),
  description: s(2000),
  injuries: z.array(s(200)).max(20),
  orders: z.array(z.object({ platform: s(40), orderNo: s(64), acceptedAt: s(20), finishedAt: s(20).nullable() })).max(10),
});
/** The platform as a party: its brand and the legal entity letters are addressed to. */
const platformParty = z.object({ name: s(40), legalName: s(80).min(1), creditCode: s(18).nullable() });

const intakeBase = z.object({
  agency: s(60).min(1),
  caseId: s(64),
  registrationNo: s(40),
  caseNo: s(40).nullable(),
  person,
  applicant: z.object({ kind: s(20), name: s(60) }),
  applicationDate: date,
  platform: s(40).nullable(),
  /** Decisions go to the platform's legal entity, not its brand. */
  platformParty: platformParty.nullable().optional(),
  accident,
  /** The regulation the articles are of, from the rule pack (《…实施办法（试行）》): notices cite it in full. */
  regulation: s(100).nullable().default(null),
});

export const acceptanceSchema = intakeBase.extend({ type: z.literal('acceptance'), acceptedAt: date.nullable() });
export const supplementSchema = intakeBase.extend({
  type: z.literal('supplement'),
  requestedAt: date.nullable(),
  supplementDue: date.nullable(),
  missing: z.array(s(120)).min(1, '补正告知书须列明需补正的材料').max(30),
  article: s(40),
});
const decision = intakeBase.extend({
  acceptedAt: date.nullable(),
  decidedAt: date.nullable(),
  article: s(100).nullable(),
  reason: s(1000).nullable(),
  investigation: s(4000).nullable(),
  conclusion: s(40),
});
export const confirmationSchema = decision.extend({ type: z.literal('confirmation') });
export const nonConfirmationSchema = decision.extend({ type: z.literal('non-confirmation') });

export const appraisalConclusionSchema = z.object({
  type: z.literal('appraisal-conclusion'),
  committee: s(60).min(1),
  caseId: s(64),
  caseNo: s(40).nullable(),
  confirmationNo: s(60).nullable(),
  person: person.extend({ sex: z.enum(['男', '女']).optional() }),
  platform: s(40).nullable(),
  platformParty: platformParty.nullable().optional(),
  sessionDate: date,
  /** The sign-off date: the 结论书 is dated by it, never by the day it is printed. */
  concludedOn: date.nullable().optional(),
  injuries: z
    .array(z.object({ site: s(100), impairment: s(200), diagnosis: s(200) }))
    .min(1)
    .max(20),
  basis: z.array(z.object({ code: s(30), text: s(300), grade: z.number().int().min(1).max(10) })).max(20),
  grade: z.number().int().min(1).max(10).nullable(),
  nursingLevel: z.enum(NURSING_LEVELS).nullable(),
  promotion: s(300).nullable(),
  advice: s(500).nullable(),
  experts: z
    .array(z.object({ name: s(30), specialty: s(40), grade: z.number().int().min(1).max(10).nullable(), dissent: z.boolean() }))
    .max(5),
  provincialCommittee: s(60).min(1),
  /** 初次, 复查 or 再次鉴定: a 再次鉴定 conclusion is final and carries no further right to one. */
  kind: z.enum(APPRAISAL_KINDS).default('initial'),
  /** The regulation the articles are of, from the rule pack (《…实施办法（试行）》): notices cite it in full. */
  regulation: s(100).nullable().default(null),
});

const benefitLine = z.object({
  code: s(40),
  label: s(80),
  amount: money,
  payer: z.enum(PAYERS),
  period: z.enum(PERIODS),
  article: s(200),
  formula: s(500),
  subject: s(60).optional(),
  from: date.optional(),
  until: date.optional(),
});

export const benefitDeterminationSchema = z.object({
  type: z.literal('benefit-determination'),
  agency: s(60).min(1),
  caseId: s(64),
  caseNo: s(40).nullable(),
  person,
  platform: s(40).nullable(),
  basis: s(300),
  rulePack: z.object({ id: s(60), version: s(30), name: s(200) }),
  base: money,
  lines: z.array(benefitLine).min(1).max(30),
  preparedBy: s(30),
  reviewedBy: s(30),
  /** Every review round, by its label (双重复核). */
  reviews: z
    .array(z.object({ label: s(30), name: s(30) }))
    .max(3)
    .default([]),
  /** 第二十九条: the paragraph a death falls under, and why. */
  deathBasis: s(300).nullable().default(null),
  /** 第十五条第三款: what the platform bears, and to whom the notice says so. */
  platformBorne: z
    .object({ from: date, to: date, article: s(100), legalName: s(80) })
    .nullable()
    .default(null),
  /** A redetermination: the determination it supersedes, from when, and the difference line by line. */
  effectiveFrom: date.nullable().default(null),
  previous: z
    .object({ basis: s(300), documentNo: s(60).nullable(), lines: z.array(benefitLine).max(30) })
    .nullable()
    .default(null),
  changes: z
    .array(
      z.object({
        label: s(80),
        subject: s(60).optional(),
        period: z.enum(PERIODS),
        before: money.nullable(),
        after: money.nullable(),
        payable: money,
        note: s(100),
      }),
    )
    .max(40)
    .default([]),
  oneTimePayable: money.nullable().default(null),
  /** The regulation the articles are of, from the rule pack (《…实施办法（试行）》): notices cite it in full. */
  regulation: s(100).nullable().default(null),
  /** How and to whom the money is paid: the payee and the account from the case (shown with its last four digits). */
  payment: z
    .object({ method: s(60), payee: s(60), bank: s(80).nullable(), account: s(40).nullable() })
    .nullable()
    .default(null),
});

export const sessionReportSchema = z.object({
  type: z.literal('session-report'),
  committee: s(60).min(1),
  sessionNo: s(40),
  date: date,
  venue: s(100),
  cases: z
    .array(
      z.object({
        caseNo: s(40),
        name: s(30),
        attended: z.boolean(),
        grade: z.number().int().nullable(),
        nursingLevel: z.enum(NURSING_LEVELS).nullable(),
        minutes: z.number().nullable(),
      }),
    )
    .max(200),
  experts: z.array(s(30)).max(50),
  /** Each case's panel draw, so that anyone can re-run it from the printed seed and candidates. */
  draws: z
    .array(
      z.object({
        caseNo: s(40),
        seed: s(64),
        candidates: z.array(s(30)).max(200),
        excluded: z.array(s(120)).max(200),
        panel: z.array(s(30)).max(5),
      }),
    )
    .max(200)
    .default([]),
});

export const DELIVERY_METHODS = ['direct', 'mail', 'electronic', 'public_notice'] as const;
export const DELIVERY_METHOD_LABELS: Record<(typeof DELIVERY_METHODS)[number], string> = {
  direct: '直接送达',
  mail: '邮寄送达',
  electronic: '电子送达',
  public_notice: '公告送达',
};

/** 送达回证: what was delivered, to which party, how, when and to whom. */
export const deliveryReceiptSchema = z.object({
  type: z.literal('delivery-receipt'),
  agency: s(60).min(1),
  caseId: s(64),
  caseNo: s(40).nullable(),
  person: z.object({ name: s(30).min(1), idNumberMasked: s(20) }),
  document: z.object({ label: s(40), documentNo: s(60), issuedOn: date }),
  party: z.enum(['worker', 'platform']),
  addressee: s(80).min(1),
  method: z.enum(DELIVERY_METHODS),
  deliveredOn: date,
  receiver: s(60).min(1),
  note: s(300),
});

/** 平台企业承担费用告知书: 生活保障费 (第二十四条) and what a late application leaves to the platform (第十五条第三款). */
export const platformStatementSchema = z.object({
  type: z.literal('platform-statement'),
  agency: s(60).min(1),
  caseId: s(64),
  caseNo: s(40).nullable(),
  person,
  platform: platformParty,
  accidentDate: date,
  applicationDate: date,
  borne: z.object({ from: date, to: date, article: s(100), reason: s(500) }).nullable(),
  items: z
    .array(z.object({ label: s(80), article: s(200), detail: s(300), amount: money }))
    .min(1, '本案没有由平台企业承担的费用')
    .max(100),
  total: money,
  /** The regulation the articles are of, from the rule pack (《…实施办法（试行）》): notices cite it in full. */
  regulation: s(100).nullable().default(null),
});

export const noticeDataSchema = z.discriminatedUnion('type', [
  acceptanceSchema,
  supplementSchema,
  confirmationSchema,
  nonConfirmationSchema,
  appraisalConclusionSchema,
  benefitDeterminationSchema,
  sessionReportSchema,
  deliveryReceiptSchema,
  platformStatementSchema,
]);
export type NoticeData = z.infer<typeof noticeDataSchema>;
export type NoticeDataOf<T extends NoticeType> = Extract<NoticeData, { type: T }>;
