// The rule pack format: one JSON file per jurisdiction and effective period holding every
// parameter of the benefits, the statutory time limits and the statistical figures by year,
// each with the article it comes from. Code reads values from here, never from constants.
import { z } from 'zod';
import { isValidDate } from './dates';
import { ROLES } from '../roles';
import { screeningSchema } from '../screening/rules';

export const isoDateSchema = z
  .string({ error: '日期须为 YYYY-MM-DD 格式的字符串' })
  .refine(isValidDate, { error: '日期须为 YYYY-MM-DD 格式的真实日期' });
/** A non-negative decimal written as a string so no float ever touches it. */
export const decimalStringSchema = z
  .string({ error: '须为带引号的十进制数字字符串，例如 "3060.00"' })
  .regex(/^\d+(\.\d+)?$/, { error: '须为非负十进制数字字符串，例如 "3060.00"' });
const article = z.string().min(1);
const yearKey = z.string().regex(/^\d{4}$/);

export const FIGURE_STATUSES = ['official', 'secondary', 'derived', 'unconfirmed', 'unknown'] as const;
export const figureStatusSchema = z.enum(FIGURE_STATUSES);

/** One statistical figure for one year. `value: null` means not known: computation refuses. */
export const statFigureSchema = z
  .object({
    value: decimalStringSchema.nullable(),
    status: figureStatusSchema,
    source: z.string().optional(),
    note: z.string().optional(),
  })
  .refine((f) => (f.value === null) === (f.status === 'unknown'), {
    error: 'value 为 null 时 status 必须为 unknown，反之亦然',
  });
export type StatFigure = z.infer<typeof statFigureSchema>;

const figureSeries = z.object({
  label: z.string().min(1),
  article,
  byYear: z.record(yearKey, statFigureSchema),
});

export const ROUNDING_POINTS = ['monthly_wage', 'base', 'line'] as const;

export const DEADLINE_ANCHORS = [
  'injuryDate',
  'applicationDate',
  'supplementNoticeReceivedDate',
  'medicalClaimCompleteDate',
  'conclusionReceivedDate',
  'treatmentStartDate',
  'appraisalMaterialsReceivedDate',
  'appraisalApplicationCompleteDate',
  'appraisalConclusionDate',
  'decisionReceivedDate',
] as const;
export const DEADLINE_FLAGS = ['factsClear', 'treatmentExtended', 'appraisalExtended'] as const;

export const deadlineRuleSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string().min(1),
  amount: z.number().int().positive(),
  /**
   * calendar_days: first day not counted, a rest day at the end moves on; calendar_months: the same
   * for months (ends on the corresponding day N months on); months_span: a span that includes its first day.
   */
  unit: z.enum(['calendar_days', 'working_days', 'months_span', 'calendar_months']),
  from: z.enum(DEADLINE_ANCHORS),
  /** Only for applications: whose limit this is. */
  applicant: z.enum(['platform', 'others']).optional(),
  /** Replacement amounts when a case flag is set (7 working days when facts are clear, +12 months when extended). */
  variants: z.array(z.object({ when: z.enum(DEADLINE_FLAGS), amount: z.number().int().positive(), label: z.string().min(1) })).default([]),
  article,
  document: z.string().optional(),
});
export type DeadlineRule = z.infer<typeof deadlineRuleSchema>;

const gradeKey = z.enum(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);

export const rulePackSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    version: z.string().min(1),
    jurisdiction: z.string().regex(/^[a-z]+$/),
    jurisdictionName: z.string().min(1),
    name: z.string().min(1),
    document: z.string().min(1),
    effectiveFrom: isoDateSchema,
    effectiveTo: isoDateSchema.nullable(),
    note: z.string().optional(),
    /** Which year 上年度 means: the year before the injury unless the pack says otherwise. */
    baseYear: z.object({ anchor: z.enum(['injury', 'death']), offsetYears: z.number().int().max(0), note: z.string().optional() }),
    rounding: z.object({
      mode: z.literal('ROUND_HALF_UP'),
      points: z.array(z.enum(ROUNDING_POINTS)).refine((p) => p.includes('line'), { error: '每条待遇金额必须在 line 处取整到分' }),
      note: z.string().optional(),
    }),
    parameters: z.object({
      base: z.object({ wageShare: decimalStringSchema, article }),
      disabilityLumpSum: z.object({ months: z.record(gradeKey, z.number().int().positive()), article, veteranExclusionArticle: article }),
      disabilityAllowance: z.object({ rates: z.record(z.enum(['1', '2', '3', '4']), decimalStringSchema), article }),
      oneTimeAllowance: z.object({ months: z.record(z.enum(['5', '6']), z.number().int().positive()), article }),
      nursing: z.object({
        rates: z.object({ full: decimalStringSchema, most: decimalStringSchema, partial: decimalStringSchema }),
        /**
         * The least severe grade each 生活自理障碍 level may go with (GB/T 16180-2014 5.1.1–5.4.1: 完全 only
         * with grade 1, 大部分 with 1–2, 部分 with 1–4; grades 5–10 have none).
         */
        maxGradeByLevel: z.object({
          full: z.number().int().min(1).max(10),
          most: z.number().int().min(1).max(10),
          partial: z.number().int().min(1).max(10),
        }),
        levelSource: z.string().min(1),
        levelNote: z.string().optional(),
        article,
      }),
      funeral: z.object({ months: z.number().int().positive(), article }),
      dependantPension: z.object({
        spouseRate: decimalStringSchema,
        otherRate: decimalStringSchema,
        orphanOrSolitaryElderExtra: decimalStringSchema,
        /** The total is capped at this share of the base. */
        capShareOfBase: decimalStringSchema,
        /** How a capped total is shared out: in proportion to each uncapped amount, fen by largest remainder. */
        capSharing: z.literal('proportional_largest_remainder'),
        article,
        /** Who counts as a 供养亲属 and until when (《因工死亡职工供养亲属范围规定》 or the province's rule). */
        eligibility: z.object({
          source: z.string().min(1),
          status: figureStatusSchema,
          /** Spouse, parents, grandparents: eligible from this age (or when fully unable to work). */
          elderAge: z.object({ male: z.number().int().positive(), female: z.number().int().positive() }),
          /** Children, grandchildren, siblings: eligible until this birthday (or for life when fully unable to work). */
          minorUntilAge: z.number().int().positive(),
          /** Pupils and students in full-time study stay eligible until this birthday; null = the rule gives no extension. */
          studentUntilAge: z.number().int().positive().nullable(),
          eligibleArticle: article,
          endArticle: article,
        }),
      }),
      deathLumpSum: z.object({ multiple: z.number().int().positive(), article, afterTreatmentExclusionArticle: article }),
      /** Which paragraph of the death article a death falls under. */
      deathBasis: z.object({
        /** Death caused by the occupational injury: every death benefit. */
        injuryDeathArticle: article,
        /** Death during the treatment period, caused by the injury: every death benefit. */
        duringTreatmentArticle: article,
        /** A person graded up to this grade who dies after the treatment period: funeral grant and pensions only. */
        afterTreatmentMaxGrade: z.number().int().min(1).max(10),
        afterTreatmentArticle: article,
      }),
      /** 第十一条第（三）项: sudden illness during an order, death then or within this many hours of the rescue. */
      suddenDeath: z.object({ hours: z.number().int().positive(), article }),
      livingAllowance: z.object({
        payer: z.enum(['platform', 'fund']),
        proration: z.enum(['actual_days_in_month', 'thirty_day_month']),
        treatmentMonths: z.number().int().positive(),
        extensionMonthsMax: z.number().int().min(0),
        article,
      }),
      application: z.object({ platformDays: z.number().int().positive(), othersDays: z.number().int().positive(), article }),
    }),
    statistics: z.object({
      provincialPrivateAnnualWage: figureSeries,
      nationalUrbanDisposableIncome: figureSeries,
      cityMinimumLivingMonthly: z.object({
        label: z.string().min(1),
        article,
        /** Keyed by city code; the figure in force in the injury's year is used. */
        cities: z.record(z.string().regex(/^[a-z]+$/), z.object({ name: z.string().min(1), byYear: z.record(yearKey, statFigureSchema) })),
      }),
    }),
    deadlines: z.array(deadlineRuleSchema),
    articles: z.object({
      exclusions: article,
      smallInjury: article,
      platformResponsibility: article,
      doubleClaim: article,
      lateApplicationCosts: article,
      /** 第十一条: the article of each item a confirmation can rest on. */
      injuryItems: z.object({
        order: article,
        commute: article,
        sudden_death: article,
        public_interest: article,
        veteran: article,
        other_law: article,
      }),
      /** 第三十九条: 行政复议 / 行政诉讼 against a decision. */
      administrativeRemedies: article,
    }),
    /** 双重复核: the rounds of review a benefit determination passes, each by a role of its own. */
    benefitReview: z.object({
      rounds: z
        .array(z.object({ role: z.enum(ROLES), label: z.string().min(1), body: z.string().min(1) }))
        .min(1)
        .max(2),
      source: z.string().min(1),
    }),
    /** A new conclusion (复查, 再次鉴定) redetermines: what the one-time lines already determined count for. */
    redetermination: z.object({
      /** pay_difference: a one-time line pays what it exceeds the earlier one by (never recovered); none: nothing more. */
      oneTimeLines: z.enum(['pay_difference', 'none']),
      source: z.string().min(1),
      status: figureStatusSchema,
    }),
    /** The appraisal application: its materials (the 预审 checklist) and when 复查 may be asked. */
    appraisal: z.object({
      source: z.string().min(1),
      materials: z.array(z.object({ code: z.string().min(1), label: z.string().min(1), note: z.string().optional() })).min(1),
      reviewAfterMonths: z.number().int().positive(),
      reviewArticle: article,
    }),
    smallInjury: z.object({
      source: z.string().min(1),
      materials: z.array(z.object({ code: z.string().min(1), label: z.string().min(1), note: z.string().optional() })).min(1),
    }),
    /** 疑点筛查: the rules and their thresholds (shared/screening/rules.ts). */
    screening: screeningSchema,
  })
  .refine((p) => p.effectiveTo === null || p.effectiveTo >= p.effectiveFrom, { error: '规则包的失效日期早于生效日期' });

export type RulePack = z.infer<typeof rulePackSchema>;
