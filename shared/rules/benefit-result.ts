// The shape of a computed benefit, as stored with the case and shown by the renderer: the
// pack id and version, every parameter value used with its article, the lines and totals.
import { z } from 'zod';
import { benefitFactsSchema } from './benefit-facts';

export const LINE_CODES = [
  'disability_lump_sum',
  'disability_allowance',
  'one_time_allowance',
  'nursing_allowance',
  'funeral_grant',
  'dependant_pension',
  'death_lump_sum',
  'living_allowance',
] as const;
export type LineCode = (typeof LINE_CODES)[number];

export const PAYERS = ['fund', 'platform'] as const;
export const PAYER_LABELS: Record<(typeof PAYERS)[number], string> = { fund: '职业伤害保障基金', platform: '平台企业' };
export const PERIODS = ['once', 'monthly'] as const;
export const PERIOD_LABELS: Record<(typeof PERIODS)[number], string> = { once: '一次性', monthly: '按月' };

const amount = z.string().regex(/^\d+\.\d{2}$/);

export const benefitLineSchema = z.object({
  code: z.enum(LINE_CODES),
  label: z.string(),
  amount,
  payer: z.enum(PAYERS),
  period: z.enum(PERIODS),
  article: z.string(),
  formula: z.string(),
  /** Who the line is for, when not the injured person (a dependant). */
  subject: z.string().optional(),
  /** First and last day a monthly line is paid, when the facts fix them (a pension until the 18th birthday). */
  from: z.string().optional(),
  until: z.string().optional(),
});
export type BenefitLine = z.infer<typeof benefitLineSchema>;

const payerTotals = z.object({ fund: amount, platform: amount, all: amount });
export const benefitTotalsSchema = z.object({ once: payerTotals, monthly: payerTotals });
export type BenefitTotals = z.infer<typeof benefitTotalsSchema>;

export const parameterUsedSchema = z.object({
  key: z.string(),
  label: z.string(),
  value: z.string(),
  unit: z.enum(['yuan', 'yuan_per_month', 'yuan_per_year', 'rate', 'months', 'multiple', 'days', 'year']),
  article: z.string().optional(),
  year: z.number().int().optional(),
  status: z.enum(['official', 'secondary', 'derived', 'unconfirmed', 'unknown', 'given', 'rule']),
  source: z.string().optional(),
  note: z.string().optional(),
});
export type ParameterUsed = z.infer<typeof parameterUsedSchema>;

export const benefitResultSchema = z.object({
  rulePack: z.object({
    id: z.string(),
    version: z.string(),
    jurisdiction: z.string(),
    name: z.string(),
    document: z.string(),
    effectiveFrom: z.string(),
    effectiveTo: z.string().nullable(),
  }),
  facts: benefitFactsSchema,
  /** Flat key → value for tools (e.g. base: '3060.00'); details and articles in `provenance`. */
  parameters: z.record(z.string(), z.string()),
  provenance: z.array(parameterUsedSchema),
  lines: z.array(benefitLineSchema),
  totals: benefitTotalsSchema,
  omitted: z.array(z.object({ code: z.enum(LINE_CODES), label: z.string(), reason: z.string(), article: z.string() })),
  /** 第十五条: costs from the accident to receipt of a late application fall to the platform. */
  platformBorneCosts: z
    .object({ from: z.string(), to: z.string(), article: z.string(), reason: z.string(), certain: z.boolean() })
    .nullable(),
  warnings: z.array(z.string()),
});
export type BenefitResult = z.infer<typeof benefitResultSchema>;
