// The appraisal committee's expert pool and the reproducible random draw of a case's panel.
import { z } from 'zod';
import { method } from '../define';
import { idSchema, isoDateSchema, paragraph, text } from '../common';
import { NURSING_LEVELS } from '../../appraisal/grades';
import { APPRAISAL_KINDS, ATTENDANCE, CATEGORIES, COMMITTEE_LEVELS, DETERMINATION_STATUSES, PRECHECK_RESULTS } from '../../appraisal/enums';
import { PERIODS } from '../../rules/benefit-result';
import { PARTY_CODES } from '../../cases/enums';

export const expertSchema = z.object({
  id: idSchema.nullable(),
  name: text('姓名', 30, 1),
  organisation: text('工作单位', 80, 1),
  categories: z.array(z.enum(CATEGORIES)).min(1, '请至少选择一个门类'),
  departments: z.array(text('科室', 30, 1)).max(10),
  available: z.boolean(),
  platformTies: z.array(z.string().trim().min(1, '请选择平台').max(40)).max(11),
  /**
   * The 鉴定专家 account of this expert (their sign-in sees the cases of the hearings they sit
   * on); null unlinks; left out, the link stays as it is.
   */
  userId: idSchema.nullable().optional(),
});
export type Expert = z.infer<typeof expertSchema>;

const drawSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  size: z.number(),
  categories: z.array(z.string()),
  seed: z.string(),
  candidates: z.array(z.object({ id: z.string(), name: z.string() })),
  excluded: z.array(z.object({ id: z.string(), name: z.string(), reason: z.string() })),
  panel: z.array(z.object({ id: z.string(), name: z.string() })),
  drawnBy: z.string(),
  drawnAt: z.string(),
});

const nursing = z.enum(NURSING_LEVELS).nullable();
const grade = z.number().int().min(1).max(10).nullable();
const opinionItem = z.object({
  code: text('条款', 30, 1),
  text: text('条款内容', 300),
  grade: z.number().int().min(1, '等级应为 1–10').max(10, '等级应为 1–10'),
  /** Set by the core (never trusted from input): the item is not in the catalogue in force. */
  outsideCatalogue: z.boolean().optional(),
});
const majority = z.object({ value: z.unknown(), votes: z.number(), tally: z.array(z.object({ value: z.unknown(), votes: z.number() })) });

const comparisonSchema = z.object({
  effectiveFrom: z.string(),
  rows: z.array(
    z.object({
      code: z.string(),
      label: z.string(),
      subject: z.string().optional(),
      period: z.enum(['once', 'monthly']),
      before: z.string().nullable(),
      after: z.string().nullable(),
      payable: z.string(),
      note: z.string(),
    }),
  ),
  oneTimePayable: z.object({ fund: z.string(), platform: z.string(), all: z.string() }),
  rule: z.string(),
});

const determinationSchema = z.object({
  id: z.string(),
  /** prepared = in review (see currentRound); approved by the last round; returned to the officer. */
  status: z.enum(DETERMINATION_STATUSES),
  result: z.record(z.string(), z.unknown()),
  /** Every figure the computation used, with its source: what the reviewer checks. */
  inputs: z.array(z.object({ label: z.string(), value: z.string(), source: z.string() })),
  preparedBy: z.string(),
  preparedAt: z.string(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewReason: z.string(),
  /** 双重复核: every round of the chain the pack gave, with who decided it. */
  rounds: z.array(
    z.object({
      round: z.number(),
      role: z.string(),
      label: z.string(),
      body: z.string(),
      reviewer: z.string().nullable(),
      decision: z.enum(['approved', 'returned']).nullable(),
      reason: z.string(),
      at: z.string().nullable(),
    }),
  ),
  currentRound: z.number().nullable(),
  effectiveFrom: z.string().nullable(),
  supersedesId: z.string().nullable(),
  supersededById: z.string().nullable(),
  /** Approved while a 再次鉴定 was pending: to be redone after the new conclusion. */
  provisional: z.boolean(),
  comparison: comparisonSchema.nullable(),
});
/**
 * A statistic as the officer types it: 57360, 57,360 or 57,360.50 (thousands separators as printed
 * in the statistical bulletins, full-width commas too); passed on without them.
 */
const decimalFigure = z
  .string()
  .trim()
  .refine((v) => /^(\d+|\d{1,3}([,，]\d{3})+)(\.\d+)?$/.test(v), '统计数据应为正数，例如 57360 或 57,360.50')
  .transform((v) => v.replace(/[,，]/g, ''));

/** What the 待遇核定 officer gives beyond the case file (previewed, then sent to review). */
const prepareInputSchema = z.object({
  caseId: idSchema,
  city: z
    .string()
    .regex(/^[a-z]+$/, '城市代码应为小写拼音，例如 xining')
    .optional(),
  /**
   * The treatment period, to compute 生活保障费 (and, for a death, whether it fell within it):
   * its extension is the case's (延长治疗期), the 第十一条 veteran item and the death with its
   * dependants come from the case file too.
   */
  treatment: z.object({ start: isoDateSchema, end: isoDateSchema.nullable() }).optional(),
  figures: z
    .object({
      provincialPrivateAnnualWage: decimalFigure.optional(),
      nationalUrbanDisposableIncome: decimalFigure.optional(),
      cityMinimumLivingMonthly: decimalFigure.optional(),
    })
    .optional(),
});

const hearingSummary = z.object({
  id: z.string(),
  hearingNo: z.string(),
  date: z.string(),
  venue: z.string(),
  committee: z.string(),
  kind: z.enum(APPRAISAL_KINDS),
  cases: z.number(),
});

const conclusionSummary = z.object({ grade: z.number().nullable(), signedOn: z.string(), hearingNo: z.string() }).nullable();
const precheckItem = z.object({ code: z.string(), label: z.string(), present: z.boolean(), note: z.string() });
const requestSchema = z.object({
  id: z.string(),
  requestNo: z.string(),
  kind: z.enum(APPRAISAL_KINDS),
  level: z.enum(COMMITTEE_LEVELS),
  committee: z.string(),
  requestedOn: z.string(),
  reason: z.string(),
  previous: conclusionSummary,
  precheck: z.array(precheckItem).nullable(),
  precheckResult: z.enum(PRECHECK_RESULTS).nullable(),
  precheckedOn: z.string().nullable(),
  completeOn: z.string().nullable(),
  extension: z.object({ reason: z.string(), on: z.string() }).nullable(),
  answer: conclusionSummary,
  /** 再次鉴定: the party that asked. */
  party: z.enum(PARTY_CODES).nullable(),
  /** Ended without a conclusion (the person died). */
  closed: z.object({ on: z.string(), reason: z.string() }).nullable(),
});

export const appraisalMethods = {
  'appraisal.requests': method({
    label: '查看鉴定申请',
    access: 'authenticated',
    mutates: false,
    input: z.object({ caseId: idSchema }),
    output: z.object({ requests: z.array(requestSchema), checklist: z.array(z.object({ code: z.string(), label: z.string() })) }),
  }),
  'appraisal.precheck': method({
    label: '鉴定材料预审',
    access: ['appraisal_secretary'],
    mutates: true,
    input: z.object({
      caseId: idSchema,
      items: z
        .array(z.object({ code: text('材料代码', 40, 1), present: z.boolean(), note: text('备注', 200).default('') }))
        .min(1)
        .max(30),
      /**
       * The day the complete application was received (the 60-day clock starts then): by default the
       * request's day at the first check, otherwise today.
       */
      materialsReceivedOn: isoDateSchema.optional(),
    }),
    output: z.object({ requestNo: z.string(), result: z.enum(PRECHECK_RESULTS), missing: z.array(z.string()) }),
  }),
  'appraisal.extend': method({
    label: '延长鉴定结论期限',
    access: ['appraisal_leader'],
    mutates: true,
    input: z.object({ caseId: idSchema, reason: paragraph('延长理由', 500, 1) }),
    output: z.object({ requestNo: z.string() }),
  }),
  'determinations.preview': method({
    label: '待遇预览',
    access: ['appraisal_leader', 'appraisal_secretary', 'benefit_officer', 'benefit_reviewer', 'insurance_reviewer', 'admin'],
    mutates: false,
    input: z.object({ caseId: idSchema }),
    output: z.object({
      grade: z.number().nullable(),
      nursingLevel: nursing,
      /** The day the conclusion was signed (China time). */
      conclusionDate: z.string(),
      rulePack: z.object({ id: z.string(), version: z.string() }),
      base: z.string().nullable(),
      missing: z.string().nullable(),
      lines: z.array(
        z.object({
          code: z.string(),
          label: z.string(),
          multiple: z.string(),
          period: z.enum(PERIODS),
          article: z.string(),
          amount: z.string().nullable(),
        }),
      ),
    }),
  }),
  'hearings.candidates': method({
    label: '查看可安排案件',
    access: ['appraisal_secretary'],
    mutates: false,
    input: z.object({ hearingId: idSchema }),
    output: z.array(
      z.object({
        caseId: z.string(),
        caseNo: z.string(),
        name: z.string(),
        kind: z.enum(APPRAISAL_KINDS).nullable(),
        blockedBy: z.string().nullable(),
      }),
    ),
  }),
  'hearings.report': method({
    label: '查看专场报告',
    access: ['appraisal_secretary', 'appraisal_leader', 'admin'],
    mutates: false,
    input: z.object({ hearingId: idSchema }),
    output: z.object({
      hearing: z.object({
        id: z.string(),
        hearingNo: z.string(),
        date: z.string(),
        venue: z.string(),
        committee: z.string(),
        kind: z.enum(APPRAISAL_KINDS),
      }),
      cases: z.array(
        z.object({
          caseNo: z.string(),
          name: z.string(),
          attended: z.boolean(),
          absent: z.boolean(),
          signed: z.boolean(),
          grade: z.number().nullable(),
          nursingLevel: nursing,
          minutes: z.number().nullable(),
        }),
      ),
      experts: z.array(z.string()),
      open: z.number(),
    }),
  }),
  'hearings.issueReport': method({
    label: '出具专场报告',
    access: ['appraisal_secretary', 'appraisal_leader'],
    mutates: true,
    input: z.object({ hearingId: idSchema, requestId: z.string().uuid('请求编号格式不正确').optional() }),
    output: z.object({ id: z.string(), documentNo: z.string(), sha256: z.string(), repeated: z.boolean().optional() }),
  }),
  'hearings.issueConclusion': method({
    label: '出具鉴定结论书',
    access: ['appraisal_leader', 'appraisal_secretary'],
    mutates: true,
    input: z.object({ hearingId: idSchema, caseId: idSchema, requestId: z.string().uuid('请求编号格式不正确').optional() }),
    output: z.object({ id: z.string(), documentNo: z.string(), sha256: z.string(), repeated: z.boolean().optional() }),
  }),
  'hearings.documents': method({
    label: '本专场文书',
    access: ['appraisal_leader', 'appraisal_secretary', 'admin'],
    mutates: false,
    input: z.object({ hearingId: idSchema }),
    output: z.object({ ids: z.array(z.string()) }),
  }),
  'hearings.list': method({
    label: '查看鉴定专场',
    access: ['appraisal_secretary', 'appraisal_leader', 'appraisal_expert', 'admin'],
    mutates: false,
    input: z.object({}),
    output: z.array(hearingSummary),
  }),
  'hearings.get': method({
    label: '查看鉴定专场',
    access: ['appraisal_secretary', 'appraisal_leader', 'appraisal_expert', 'admin'],
    mutates: false,
    input: z.object({ hearingId: idSchema }),
    output: hearingSummary.extend({
      items: z.array(
        z.object({
          caseId: z.string(),
          caseNo: z.string().nullable(),
          name: z.string(),
          position: z.number(),
          attendance: z.enum(ATTENDANCE),
          signed: z.boolean(),
          grade: z.number().nullable(),
        }),
      ),
    }),
  }),
  'determinations.prepare': method({
    label: '待遇核定',
    access: ['benefit_officer'],
    mutates: true,
    input: prepareInputSchema,
    output: z.object({ id: z.string(), supersedes: z.string().nullable(), rounds: z.number() }),
  }),
  'determinations.draft': method({
    label: '待遇核定预览',
    access: ['benefit_officer'],
    mutates: false,
    input: prepareInputSchema,
    output: z.object({
      lines: z.array(
        z.object({
          label: z.string(),
          subject: z.string().nullable(),
          amount: z.string(),
          payer: z.enum(['fund', 'platform']),
          period: z.enum(PERIODS),
          article: z.string(),
          formula: z.string(),
        }),
      ),
      totals: z.object({ once: z.string(), monthly: z.string() }),
      /** Every figure the computation used, with where it came from (the officer, or the rule pack's source). */
      inputs: z.array(z.object({ label: z.string(), value: z.string(), source: z.string() })),
      omitted: z.array(z.object({ label: z.string(), reason: z.string() })),
      warnings: z.array(z.string()),
    }),
  }),
  'determinations.review': method({
    label: '待遇复核',
    access: ['benefit_reviewer', 'insurance_reviewer'],
    mutates: true,
    input: z.object({ determinationId: idSchema, approve: z.boolean(), reason: paragraph('理由', 1000).default('') }),
    /** prepared: this round approved, the next one waits (`next`). */
    output: z.object({ status: z.enum(DETERMINATION_STATUSES), round: z.number(), next: z.string().nullable() }),
  }),
  'determinations.list': method({
    label: '查看待遇核定',
    access: ['benefit_officer', 'benefit_reviewer', 'insurance_reviewer', 'admin'],
    mutates: false,
    input: z.object({ caseId: idSchema }),
    output: z.array(determinationSchema),
  }),
  'determinations.queue': method({
    label: '待复核清单',
    access: ['benefit_reviewer', 'insurance_reviewer'],
    mutates: false,
    input: z.object({}),
    output: z.array(
      z.object({
        determinationId: z.string(),
        caseId: z.string(),
        caseNo: z.string(),
        workerName: z.string(),
        round: z.number(),
        rounds: z.number(),
        roundLabel: z.string(),
        preparedBy: z.string(),
        preparedAt: z.string(),
        redetermination: z.boolean(),
        ownStep: z.boolean(),
      }),
    ),
  }),
  'determinations.issueNotice': method({
    label: '出具待遇核定通知书',
    access: ['benefit_reviewer', 'insurance_reviewer', 'benefit_officer'],
    mutates: true,
    input: z.object({ determinationId: idSchema, requestId: z.string().uuid('请求编号格式不正确').optional() }),
    output: z.object({ id: z.string(), documentNo: z.string(), sha256: z.string(), repeated: z.boolean().optional() }),
  }),
  'hearings.create': method({
    label: '创建鉴定专场',
    access: ['appraisal_secretary'],
    mutates: true,
    input: z.object({
      date: isoDateSchema,
      venue: text('地点', 100, 1),
      committee: text('鉴定委员会', 60, 1),
      kind: z.enum(APPRAISAL_KINDS),
    }),
    output: z.object({ id: z.string(), hearingNo: z.string() }),
  }),
  'hearings.assign': method({
    label: '安排鉴定案件',
    access: ['appraisal_secretary'],
    mutates: true,
    input: z.object({ hearingId: idSchema, caseIds: z.array(idSchema).min(1).max(100) }),
    output: z.object({ cases: z.number() }),
  }),
  'hearings.attendance': method({
    label: '登记到场',
    access: ['appraisal_secretary'],
    mutates: true,
    input: z.object({
      hearingId: idSchema,
      caseId: idSchema,
      attendance: z.enum(ATTENDANCE).exclude(['pending']),
      findings: paragraph('检查所见', 4000).default(''),
    }),
    output: z.object({ ok: z.literal(true) }),
  }),
  'hearings.opinion': method({
    label: '记录专家意见',
    access: ['appraisal_secretary'],
    mutates: true,
    input: z.object({
      hearingId: idSchema,
      caseId: idSchema,
      expertId: idSchema,
      items: z.array(opinionItem).max(20),
      promotionApplied: z.boolean(),
      promotionReason: paragraph('晋级理由', 500).default(''),
      nursingLevel: nursing,
    }),
    output: z.object({ grade, promotionProposed: z.boolean(), explanation: z.string() }),
  }),
  'hearings.sheet': method({
    label: '查看评定表',
    access: ['appraisal_secretary', 'appraisal_leader', 'appraisal_expert'],
    mutates: false,
    input: z.object({ hearingId: idSchema, caseId: idSchema }),
    output: z.object({
      attendance: z.enum(ATTENDANCE),
      findings: z.string(),
      signed: z.boolean(),
      opinions: z.array(
        z.object({
          expertId: z.string(),
          name: z.string(),
          items: z.array(opinionItem).nullable(),
          promotionApplied: z.boolean(),
          promotionReason: z.string(),
          grade,
          nursingLevel: nursing,
        }),
      ),
      proposal: z.object({ grade: majority, nursingLevel: majority, dissenting: z.array(z.string()), unanimous: z.boolean() }).nullable(),
    }),
  }),
  'hearings.sign': method({
    label: '签发鉴定结论',
    access: ['appraisal_leader'],
    mutates: true,
    input: z.object({
      hearingId: idSchema,
      caseId: idSchema,
      grade,
      nursingLevel: nursing,
      advice: paragraph('停工留薪期/治疗期建议', 500).default(''),
      reason: paragraph('理由', 1000).default(''),
    }),
    output: z.object({ conclusionId: z.string(), followsMajority: z.boolean() }),
  }),
  'experts.list': method({
    label: '查看专家库',
    access: ['admin', 'appraisal_secretary', 'appraisal_leader'],
    mutates: false,
    input: z.object({}),
    output: z.array(expertSchema.extend({ id: z.string(), userId: z.string().nullable() })),
  }),
  'experts.save': method({
    label: '维护专家库',
    access: ['admin'],
    mutates: true,
    input: expertSchema,
    output: z.object({ id: z.string() }),
  }),
  'appraisal.recuse': method({
    label: '登记回避',
    access: ['appraisal_secretary'],
    mutates: true,
    input: z.object({ caseId: idSchema, expertId: idSchema, reason: text('回避理由', 200, 1) }),
    output: z.object({ ok: z.literal(true) }),
  }),
  'appraisal.drawPanel': method({
    label: '随机抽取专家',
    access: ['appraisal_secretary'],
    mutates: true,
    input: z.object({
      caseId: idSchema,
      size: z.union([z.literal(3), z.literal(5)], { error: '专家组人数应为 3 人或 5 人' }),
      categories: z.array(z.enum(CATEGORIES)).min(1, '请选择伤情所需的门类'),
    }),
    output: drawSchema,
  }),
  'appraisal.draws': method({
    label: '查看抽取记录',
    access: ['appraisal_secretary', 'appraisal_leader', 'admin'],
    mutates: false,
    input: z.object({ caseId: idSchema }),
    output: z.array(drawSchema),
  }),
  'appraisal.checkDraw': method({
    label: '复核抽取',
    access: 'authenticated',
    mutates: false,
    input: z.object({ drawId: idSchema }),
    output: z.object({ reproduced: z.boolean(), panel: z.array(z.object({ id: z.string(), name: z.string() })) }),
  }),
};
