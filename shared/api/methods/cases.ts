// The walk-in claim: reference platforms, platform accident reports, registration, the case
// file (materials, attachments, bills), the lifecycle moves, search and the worklist.
import { z } from 'zod';
import { method } from '../define';
import { idSchema, isoDateSchema, paragraph, text } from '../common';
import { CASE_ACTIONS, CASE_STATUSES } from '../../cases/lifecycle';
import { INTAKE_NOTICE_TYPES } from '../../notices/schemas';
import { APPLICANT_KINDS, CASE_QUEUES, EXCLUSIONS, INDUSTRIES, PARTY_CODES } from '../../cases/enums';
import { isValidDate } from '../../rules/dates';
import { DEADLINE_STATUSES } from '../../rules/deadlines';
import { circumstanceSchema } from '../../rules/injury-items';
import { DEPENDANT_END_REASONS, DEPENDANT_RELATIONS, SEXES } from '../../rules/benefit-facts';

const INTAKE = ['intake_clerk'] as const;

/** A dependant (供养亲属) as recorded on a case, with the facts that give or end eligibility. */
export const dependantInputSchema = z.object({
  id: idSchema.nullable(),
  name: text('姓名', 30, 1),
  relation: z.enum(DEPENDANT_RELATIONS, { error: '请选择与死者的关系' }),
  sex: z.enum(SEXES, { error: '请选择性别' }),
  birthDate: isoDateSchema,
  dependent: z.boolean(),
  fullyDisabled: z.boolean(),
  orphanOrSolitaryElder: z.boolean(),
  student: z.boolean(),
  nearerRelativesGone: z.boolean(),
  ended: z.object({ date: isoDateSchema, reason: z.enum(DEPENDANT_END_REASONS) }).nullable(),
  note: text('备注', 200).default(''),
});
export type DependantInput = z.infer<typeof dependantInputSchema>;
/** Every role that sees cases (each case's scope is checked case by case). */
export const CASE_READERS = [
  'intake_clerk',
  'confirmation_officer',
  'appraisal_secretary',
  'appraisal_leader',
  'appraisal_expert',
  'benefit_officer',
  'benefit_reviewer',
  'insurance_reviewer',
  'manager',
  'admin',
] as const;

/** Who records the payee account: the clerk at registration, the benefit officer before paying. */
export const PAYEE_EDITORS = ['intake_clerk', 'benefit_officer'] as const;
/** Who may remove a scan uploaded by mistake (wrong person, unreadable): the intake side. */
export const ATTACHMENT_REMOVERS = ['intake_clerk', 'confirmation_officer'] as const;

/** Local date-time as typed at the counter, China time: YYYY-MM-DDTHH:mm. */
export const localDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, '时间格式应为 YYYY-MM-DDTHH:mm')
  .refine(
    (s) => isValidDate(s.slice(0, 10)) && Number(s.slice(11, 13)) < 24 && Number(s.slice(14, 16)) < 60,
    '时间不存在，请检查年月日和时分',
  );

export const orderSchema = z.object({
  platform: z.string().trim().min(1, '请选择订单所属平台').max(40),
  orderNo: text('订单号', 64, 1),
  acceptedAt: localDateTimeSchema,
  finishedAt: localDateTimeSchema.nullable(),
});

/**
 * The payee account (收款人, 开户银行, 账号) the benefits are paid into. Spaces and dashes as
 * printed on a bank card are dropped; no check digit is required (not every bank uses Luhn).
 */
export const payeeInputSchema = z.object({
  name: text('收款人', 30, 1),
  bank: text('开户银行', 60, 1),
  account: z
    .string({ error: '请填写银行账号' })
    .transform((v) => v.replace(/[\s-]/g, ''))
    .pipe(
      z
        .string()
        .min(1, '请填写银行账号')
        .regex(/^\d+$/, '银行账号只能是数字（可含空格）')
        .min(12, '银行账号应为 12 至 30 位数字')
        .max(30, '银行账号应为 12 至 30 位数字'),
    ),
});
export type PayeeInput = z.input<typeof payeeInputSchema>;

export const registrationSchema = z.object({
  accidentReportId: idSchema.nullable(),
  worker: z.object({
    name: text('姓名', 30, 1),
    // Required: a blank ID number would make every such claimant one and the same worker.
    idNumber: z.string().trim().toUpperCase().min(1, '请填写身份证号码').max(18, '身份证号码应为 18 位'),
    phone: z
      .string()
      .trim()
      .regex(/^1\d{10}$/, '手机号码应为 11 位数字，以 1 开头'),
    industry: z.enum(INDUSTRIES, { error: '请选择行业' }),
    platforms: z.array(z.string().trim().min(1, '接单平台不能为空，请从列表中选择').max(40)).min(1, '请至少选择一个接单平台').max(11),
  }),
  accident: z.object({
    at: localDateTimeSchema,
    place: text('事故地点', 200, 1),
    description: paragraph('事故经过', 2000, 1),
    injuries: z
      .array(text('伤情', 200, 1))
      .min(1, '请至少填写一处伤情')
      .max(20),
    // At least the order in progress for 第十一条第（一）、（三）项 (checked with the circumstance).
    orders: z.array(orderSchema).max(10),
    trafficAccident: z.boolean(),
    exclusions: z.array(z.enum(EXCLUSIONS)).max(3),
    alsoWorkInjuryClaim: z.boolean(),
    /** 第十一条: the item claimed and its facts; the order in progress unless said otherwise. */
    circumstance: circumstanceSchema.default({ item: 'order' }),
  }),
  applicant: z.object({
    kind: z.enum(APPLICANT_KINDS, { error: '请选择申请人类型' }),
    name: text('申请人名称', 60, 1),
    applicationDate: isoDateSchema,
  }),
  treatment: z.object({
    outpatientOnly: z.boolean(),
    hospitalized: z.boolean(),
    factsClear: z.boolean(),
    disputed: z.boolean(),
  }),
  /**
   * The ID number is already registered under another name: the clerk has checked and the
   * person's name is to be corrected on all their cases. Without it such a registration is
   * refused with the registered name, never silently renamed.
   */
  confirmRename: z.boolean().default(false),
  /** The payee account, when the person brings their bank card at registration (else later on the case page). */
  payee: payeeInputSchema.nullable().default(null),
});
/** As callers send it (confirmRename may be left out). */
export type Registration = z.input<typeof registrationSchema>;

export const assessmentSchema = z.object({
  idNumber: z.object({ ok: z.boolean(), message: z.string() }),
  timeliness: z.object({
    inTime: z.boolean(),
    limitDays: z.number(),
    daysSinceAccident: z.number(),
    message: z.string(),
    platformBearsCostsFrom: z.string().nullable(),
    platformBearsCostsTo: z.string().nullable(),
    // Per limit: the platform's 30 days can be certain while the others' 90 days run into a year
    // the calendar does not know (older stored assessments lack these).
    certain: z.boolean().optional(),
    platformDue: z.string().nullable().optional(),
    platformDueCertain: z.boolean().optional(),
    othersDue: z.string().nullable().optional(),
    othersDueCertain: z.boolean().optional(),
  }),
  responsiblePlatform: z.object({ platform: z.string().nullable(), reason: z.string() }),
  exclusions: z.array(z.object({ code: z.string(), label: z.string(), article: z.string() })),
  doubleClaim: z.object({ hit: z.boolean(), message: z.string() }),
  duplicates: z.array(z.object({ caseId: z.string(), registrationNo: z.string(), status: z.string(), accidentDate: z.string() })),
  fastTrack: z.object({ eligible: z.boolean(), reasons: z.array(z.string()) }),
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
  /** The name this ID number is already registered under, when it differs from the one typed. */
  registeredName: z.string().nullable().optional(),
});
export type Assessment = z.infer<typeof assessmentSchema>;

const deadlineSchema = z.object({
  code: z.string(),
  label: z.string(),
  due: z.string(),
  daysLeft: z.number(),
  unit: z.string(),
  status: z.enum(DEADLINE_STATUSES),
  certain: z.boolean(),
  article: z.string(),
  /** Distinguishes the same clock for several parties or documents. */
  key: z.string().optional(),
  /** A party's own window (再次鉴定, 行政复议, 行政诉讼), counted from its receipt. */
  party: z.enum(PARTY_CODES).optional(),
});
export type CaseDeadline = z.infer<typeof deadlineSchema>;

const caseSummarySchema = z.object({
  id: z.string(),
  registrationNo: z.string(),
  caseNo: z.string().nullable(),
  status: z.enum(CASE_STATUSES),
  workerName: z.string(),
  idNumberMasked: z.string(),
  phoneMasked: z.string(),
  accidentDate: z.string(),
  platformName: z.string().nullable(),
  fastTrack: z.boolean(),
  registeredAt: z.string(),
  /** 经办人: who accepted the case, or registered it while it waits (a name, never an id). */
  handlerName: z.string().nullable(),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

const billSchema = z.object({
  id: z.string(),
  billDate: z.string(),
  hospital: z.string(),
  invoiceNo: z.string(),
  amount: z.string(),
  eligible: z.string(),
  submittedDate: z.string(),
  reimbursedAt: z.string().nullable(),
  /** 第十五条第三款: dated in the range the platform bears. */
  payer: z.enum(['fund', 'platform']),
});

const caseDetailSchema = caseSummarySchema.extend({
  version: z.number(),
  /** Who holds the case (issue #13): null until the centre has said (not enrolled, not synced yet). */
  holder: z.object({ office: z.string(), here: z.boolean(), since: z.string() }).nullable(),
  /** Same accident (issue #13): the case this one was closed into, and the cases closed into this one with what they carried. */
  merge: z.object({
    mergedInto: z.object({ caseId: z.string(), registrationNo: z.string(), here: z.boolean() }).nullable(),
    mergedCases: z.array(
      z.object({
        caseId: z.string(),
        registrationNo: z.string(),
        office: z.string(),
        decidedBy: z.string(),
        decidedAt: z.string(),
        carried: z.object({
          materials: z.array(z.object({ label: z.string(), received: z.boolean(), note: z.string() })),
          bills: z.array(
            z.object({ date: z.string(), hospital: z.string(), amount: z.string(), eligible: z.string(), reimbursed: z.boolean() }),
          ),
          history: z.array(z.object({ at: z.string(), from: z.string().nullable(), to: z.string(), reason: z.string() })),
        }),
      }),
    ),
  }),
  worker: z.object({
    id: z.string(),
    name: z.string(),
    idNumber: z.string(),
    phone: z.string(),
    industry: z.string(),
    platforms: z.array(z.string()),
  }),
  accident: z.object({
    at: z.string(),
    place: z.string(),
    description: z.string(),
    injuries: z.array(z.string()),
    orders: z.array(orderSchema),
    trafficAccident: z.boolean(),
    circumstance: circumstanceSchema,
    circumstanceLabel: z.string(),
    /** The article a confirmation under this circumstance rests on. */
    circumstanceArticle: z.string(),
    /** What stands in the way of confirming under it (empty: nothing). */
    circumstanceProblems: z.array(z.string()),
  }),
  applicant: z.object({ kind: z.enum(APPLICANT_KINDS), name: z.string(), applicationDate: z.string() }),
  treatment: z.object({ outpatientOnly: z.boolean(), hospitalized: z.boolean(), factsClear: z.boolean(), disputed: z.boolean() }),
  accidentReportNo: z.string().nullable(),
  assessment: assessmentSchema,
  materials: z.array(z.object({ code: z.string(), label: z.string(), required: z.boolean(), received: z.boolean() })),
  attachments: z.array(
    z.object({
      id: z.string(),
      materialCode: z.string().nullable(),
      filename: z.string(),
      mime: z.string(),
      size: z.number(),
      sha256: z.string(),
      uploadedAt: z.string(),
    }),
  ),
  transitions: z.array(
    z.object({
      action: z.string(),
      label: z.string(),
      from: z.string().nullable(),
      to: z.string(),
      byName: z.string(),
      at: z.string(),
      reason: z.string(),
    }),
  ),
  bills: z.array(billSchema),
  billTotals: z.object({ amount: z.string(), eligible: z.string(), reimbursed: z.string() }),
  deadlines: z.array(deadlineSchema),
  actions: z.array(
    z.object({ action: z.enum(CASE_ACTIONS), label: z.string(), needsReason: z.boolean(), blockedBy: z.string().nullable() }),
  ),
  supplementDue: z.string().nullable(),
  decision: z.object({
    article: z.string().nullable(),
    reason: z.string().nullable(),
    investigation: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decidedByName: z.string().nullable(),
  }),
  /** Whether the person looking may open the scanned materials (shared/cases/access.ts). */
  canOpenAttachments: z.boolean(),
  /** Whether the person looking may remove a scan (with a reason). */
  canRemoveAttachments: z.boolean(),
  /** The payee account; the number whole only for the roles that pay (else 尾号1234). */
  payee: z
    .object({
      name: z.string(),
      bank: z.string(),
      account: z.string(),
      accountMasked: z.boolean(),
      updatedAt: z.string(),
      updatedByName: z.string(),
    })
    .nullable(),
  /** Whether the person looking may record or change the payee account, and whether a change needs a reason (a determination is approved). */
  payeeEdit: z.object({ allowed: z.boolean(), needsReason: z.boolean() }),
  /** The intake documents the person looking may issue for the case now. */
  issuableNotices: z.array(z.enum(['acceptance', 'supplement', 'confirmation', 'non-confirmation'])),
  registeredByName: z.string(),
  acceptedByName: z.string().nullable(),
  platform: z
    .object({ code: z.string(), name: z.string(), legalName: z.string().nullable(), creditCode: z.string().nullable() })
    .nullable(),
  death: z
    .object({
      date: z.string(),
      causedByInjury: z.boolean(),
      evidence: z.string(),
      note: z.string(),
      recordedByName: z.string(),
      recordedAt: z.string(),
    })
    .nullable(),
  treatmentPeriod: z.object({
    start: z.string(),
    limitEnd: z.string(),
    extendedOn: z.string().nullable(),
    extensionReason: z.string().nullable(),
  }),
  /** 第十五条第三款: the range whose costs the platform bears, when its application was late. */
  platformBorne: z.object({ from: z.string(), to: z.string(), article: z.string() }).nullable(),
  /** The office's date (China time), for the forms' defaults: the machine's own may differ. */
  today: z.string(),
  /** The parties decisions go to: the worker's side, and the platform when one is responsible. */
  parties: z.array(z.enum(PARTY_CODES)),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const accidentReportInputSchema = z.object({
  reportNo: text('备案编号', 40, 1),
  platform: z.string().trim().min(1, '请填写平台').max(40),
  workerName: text('姓名', 30, 1),
  idNumber: z.string().trim().toUpperCase().length(18, '身份证号码应为 18 位'),
  phone: z
    .string()
    .trim()
    .regex(/^1\d{10}$/, '手机号码应为 11 位数字'),
  accidentAt: localDateTimeSchema,
  place: text('事故地点', 200, 1),
  orderNo: text('订单号', 64, 1),
  orderAcceptedAt: localDateTimeSchema.nullable(),
  orderFinishedAt: localDateTimeSchema.nullable(),
  description: paragraph('事故经过', 2000, 1),
  reportedAt: localDateTimeSchema,
});
export type AccidentReportInput = z.infer<typeof accidentReportInputSchema>;

export const accidentReportViewSchema = accidentReportInputSchema.extend({
  id: z.string(),
  platformName: z.string(),
  caseId: z.string().nullable(),
});
export type AccidentReportView = z.infer<typeof accidentReportViewSchema>;

const platformSchema = z.object({
  code: z.string().regex(/^[a-z0-9-]{2,40}$/, '平台代码应为 2–40 位小写字母、数字或 -'),
  name: text('平台名称', 40, 1),
  /** The legal entity letters are addressed to (the brand is not a legal person). */
  legalName: text('平台企业法人名称', 80).nullable().default(null),
  industry: z.enum(INDUSTRIES),
  creditCode: z.string().trim().max(18).nullable(),
  active: z.boolean(),
});
export type Platform = z.infer<typeof platformSchema>;

export const worklistItemSchema = z.object({
  caseId: z.string(),
  registrationNo: z.string(),
  caseNo: z.string().nullable(),
  workerName: z.string(),
  status: z.enum(CASE_STATUSES),
  fastTrack: z.boolean(),
  deadline: deadlineSchema,
});

export const caseMethods = {
  'platforms.list': method({
    label: '查看平台',
    access: 'authenticated',
    mutates: false,
    input: z.object({}),
    output: z.array(platformSchema),
  }),
  'platforms.save': method({
    label: '保存平台',
    access: ['admin'],
    mutates: true,
    input: platformSchema,
    output: z.object({ ok: z.literal(true) }),
  }),
  'accidentReports.import': method({
    label: '导入事故备案',
    access: ['admin'],
    mutates: true,
    input: z.object({ reports: z.array(z.unknown()).min(1, '文件中没有备案记录').max(5000, '一次最多导入 5000 条') }),
    output: z.object({ imported: z.number(), skipped: z.number() }),
  }),
  'accidentReports.search': method({
    label: '查找事故备案',
    access: INTAKE,
    mutates: false,
    input: z.object({ q: z.string().trim().min(2, '请至少输入 2 个字符').max(40) }),
    output: z.array(accidentReportViewSchema),
  }),
  'intake.assess': method({
    label: '受理预审',
    access: INTAKE,
    mutates: false,
    input: z.object({ draft: z.unknown() }),
    output: assessmentSchema,
  }),
  'cases.register': method({
    label: '登记申请',
    access: INTAKE,
    mutates: true,
    input: registrationSchema,
    output: z.object({ caseId: z.string(), registrationNo: z.string() }),
  }),
  'cases.get': method({
    label: '查看案件',
    access: CASE_READERS,
    mutates: false,
    input: z.object({ caseId: idSchema }),
    output: caseDetailSchema,
  }),
  'cases.search': method({
    label: '检索案件',
    access: CASE_READERS,
    mutates: false,
    input: z.object({
      q: z.string().max(40, '检索词不能超过 40 个字符'),
      status: z.enum(CASE_STATUSES).optional(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    output: z.array(caseSummarySchema),
  }),
  'cases.queue': method({
    label: '待办队列',
    access: CASE_READERS,
    mutates: false,
    input: z.object({ queue: z.enum(CASE_QUEUES) }),
    output: z.array(caseSummarySchema.extend({ deadline: deadlineSchema.nullable() })),
  }),
  'cases.recent': method({
    label: '我最近办理的案件',
    access: CASE_READERS,
    mutates: false,
    input: z.object({ limit: z.number().int().min(1).max(100).default(20) }),
    output: z.array(caseSummarySchema.extend({ lastActedAt: z.string() })),
  }),
  'cases.worklist': method({
    label: '临期逾期待办',
    access: 'authenticated',
    mutates: false,
    input: z.object({}),
    output: z.array(worklistItemSchema),
  }),
  'cases.setMaterials': method({
    label: '核对材料',
    access: INTAKE,
    mutates: true,
    input: z.object({
      caseId: idSchema,
      expectedVersion: z.number().int(),
      materials: z
        .array(z.object({ code: z.string().max(40), received: z.boolean() }))
        .min(1)
        .max(20),
    }),
    output: z.object({ version: z.number() }),
  }),
  'cases.attach': method({
    label: '上传附件',
    access: INTAKE,
    mutates: true,
    input: z.object({
      caseId: idSchema,
      materialCode: z.string().max(40).nullable(),
      filename: text('文件名', 120, 1),
      dataBase64: z.string().max(14_000_000, '附件不能超过 10 MB，请压缩或分页扫描后再上传'),
    }),
    output: z.object({ attachmentId: z.string(), sha256: z.string() }),
  }),
  'cases.attachment': method({
    label: '调阅附件',
    // Scans of ID cards and medical records: the people who work the case, not administrators.
    access: [
      'intake_clerk',
      'confirmation_officer',
      'appraisal_secretary',
      'appraisal_leader',
      'appraisal_expert',
      'benefit_officer',
      'benefit_reviewer',
      'insurance_reviewer',
    ],
    mutates: false,
    // Every opening of a scan is in the audit trail.
    auditedRead: true,
    input: z.object({ attachmentId: idSchema }),
    output: z.object({ filename: z.string(), mime: z.string(), dataBase64: z.string() }),
  }),
  'cases.setPayee': method({
    label: '登记收款账户',
    access: PAYEE_EDITORS,
    mutates: true,
    input: z.object({
      caseId: idSchema,
      payee: payeeInputSchema,
      /** Required once a benefit determination of the case is approved: the money may already be on its way. */
      reason: paragraph('变更理由', 500).default(''),
    }),
    output: z.object({ ok: z.literal(true) }),
  }),
  'cases.removeAttachment': method({
    label: '删除附件',
    access: ATTACHMENT_REMOVERS,
    mutates: true,
    input: z.object({ attachmentId: idSchema, reason: text('删除理由', 200, 1) }),
    output: z.object({ ok: z.literal(true) }),
  }),
  'cases.transition': method({
    label: '办理案件',
    access: ['intake_clerk', 'confirmation_officer', 'appraisal_secretary', 'appraisal_leader', 'benefit_officer'],
    mutates: true,
    input: z.object({
      caseId: idSchema,
      action: z.enum(CASE_ACTIONS),
      expectedVersion: z.number().int(),
      reason: paragraph('理由', 1000).default(''),
      article: text('依据条款', 100).optional(),
      investigation: paragraph('调查核实情况', 4000).optional(),
      /** 再次鉴定: which party asks (each has its own 15 days from its receipt of the 结论书). */
      party: z.enum(PARTY_CODES).optional(),
    }),
    output: z.object({ status: z.enum(CASE_STATUSES), version: z.number(), caseNo: z.string().nullable() }),
  }),
  'cases.recordDeath': method({
    label: '登记死亡',
    access: ['intake_clerk', 'confirmation_officer', 'benefit_officer'],
    mutates: true,
    input: z.object({
      caseId: idSchema,
      expectedVersion: z.number().int(),
      deathDate: isoDateSchema,
      causedByInjury: z.boolean({ error: '请说明死亡是否由职业伤害导致' }),
      evidence: text('死亡证明（名称、编号、出具机构）', 200, 1),
      note: text('备注', 500).default(''),
    }),
    output: z.object({ status: z.enum(CASE_STATUSES), version: z.number() }),
  }),
  'cases.setCircumstance': method({
    label: '登记第十一条情形',
    access: ['intake_clerk', 'confirmation_officer'],
    mutates: true,
    input: z.object({ caseId: idSchema, expectedVersion: z.number().int(), circumstance: circumstanceSchema }),
    output: z.object({ version: z.number() }),
  }),
  'dependants.list': method({
    label: '查看供养亲属',
    access: CASE_READERS,
    mutates: false,
    input: z.object({ caseId: idSchema }),
    output: z.array(
      dependantInputSchema.extend({
        id: z.string(),
        ageAtDeath: z.number().nullable(),
        eligibility: z.object({ eligible: z.boolean(), reason: z.string(), article: z.string(), until: z.string().nullable() }).nullable(),
      }),
    ),
  }),
  'dependants.save': method({
    label: '登记供养亲属',
    access: ['intake_clerk', 'benefit_officer'],
    mutates: true,
    input: z.object({ caseId: idSchema, dependant: dependantInputSchema }),
    output: z.object({ id: z.string() }),
  }),
  'dependants.remove': method({
    label: '删除供养亲属',
    access: ['intake_clerk', 'benefit_officer'],
    mutates: true,
    input: z.object({ caseId: idSchema, id: idSchema, reason: text('删除理由', 200, 1) }),
    output: z.object({ ok: z.literal(true) }),
  }),
  'cases.documentData': method({
    label: '文书数据',
    access: CASE_READERS,
    mutates: false,
    input: z.object({ caseId: idSchema, type: z.enum(INTAKE_NOTICE_TYPES) }),
    output: z.record(z.string(), z.unknown()),
  }),
  'bills.add': method({
    label: '录入医疗票据',
    access: INTAKE,
    mutates: true,
    input: z.object({
      caseId: idSchema,
      billDate: isoDateSchema,
      hospital: text('医院', 80, 1),
      invoiceNo: text('票据号', 40, 1),
      amount: z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, '金额应为正数，最多两位小数'),
      eligible: z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, '可报销金额应为非负数，最多两位小数'),
      submittedDate: isoDateSchema,
    }),
    output: z.object({ billId: z.string() }),
  }),
  'bills.reimburse': method({
    label: '医疗费报销',
    access: ['intake_clerk', 'benefit_officer'],
    mutates: true,
    input: z.object({ billId: idSchema }),
    output: z.object({ ok: z.literal(true) }),
  }),
};
