// 疑点筛查 (the measures' 风控规则库): the rule-pack section that lists the screening rules with
// their thresholds, and the pure tests each rule applies to facts the core gathers. A hit is a
// flag for a second look with its evidence; it never refuses or blocks anything.
import { z } from 'zod';
import { D } from '../rules/money';

const decimalString = z.string().regex(/^\d+(\.\d+)?$/, { error: '须为非负十进制数字字符串，例如 "3"' });

const common = {
  label: z.string().min(1),
  /** The legal or policy basis people are pointed to when they read the flag. */
  article: z.string().min(1),
  enabled: z.boolean().default(true),
};

export const screeningRuleSchema = z.discriminatedUnion('code', [
  z.object({
    code: z.literal('accident_outside_order'),
    ...common,
    /** Minutes of leeway either side of the order's accepted–finished window. */
    toleranceMinutes: z.number().int().min(0).max(1440),
  }),
  z.object({ code: z.literal('duplicate_invoice'), ...common }),
  z.object({
    code: z.literal('repeated_claims'),
    ...common,
    /** This many claims or more by one person … */
    minClaims: z.number().int().min(2).max(50),
    /** … with accident dates within this many days. */
    windowDays: z.number().int().min(1).max(3650),
  }),
  z.object({
    code: z.literal('bills_above_usual'),
    ...common,
    /** The case's bills exceed this multiple of the median of similar cases … */
    factor: decimalString,
    /** … compared only when at least this many similar cases with bills are in the store … */
    minSimilarCases: z.number().int().min(1).max(100_000),
    /** … and only for totals of at least this many yuan. */
    minAmount: decimalString,
  }),
  z.object({ code: z.literal('worker_reported_dead'), ...common }),
  z.object({
    code: z.literal('platform_silent'),
    ...common,
    /** A platform accident report (备案) within this many days of the accident counts as the platform's. */
    reportWindowDays: z.number().int().min(0).max(365),
  }),
]);
export type ScreeningRule = z.infer<typeof screeningRuleSchema>;
export type ScreeningCode = ScreeningRule['code'];

export const SCREENING_CODES = [
  'accident_outside_order',
  'duplicate_invoice',
  'repeated_claims',
  'bills_above_usual',
  'worker_reported_dead',
  'platform_silent',
] as const satisfies readonly ScreeningCode[];

export const screeningSchema = z
  .object({
    source: z.string().min(1),
    rules: z.array(screeningRuleSchema),
  })
  .refine((s) => new Set(s.rules.map((r) => r.code)).size === s.rules.length, { error: '疑点筛查规则代码重复' });
export type Screening = z.infer<typeof screeningSchema>;

export const FLAG_STATUSES = ['open', 'cleared', 'lapsed'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];
export const FLAG_STATUS_LABELS: Record<FlagStatus, string> = { open: '待核查', cleared: '已核查清除', lapsed: '条件已消除' };

/** A rule's hit on one case: a stable key (so a re-run finds the same flag), what people read, and the evidence. */
export interface FlagHit {
  caseId: string;
  code: ScreeningCode;
  key: string;
  summary: string;
  evidence: Record<string, string | number | null>;
}

const minutesOf = (localDateTime: string) => Date.parse(`${localDateTime.slice(0, 16)}:00Z`) / 60_000;
const hm = (localDateTime: string) => localDateTime.slice(0, 16).replace('T', ' ');

/** Orders whose accepted–finished window (± tolerance) does not contain the accident time. */
export function ordersOutsideWindow(
  accidentAt: string,
  orders: readonly { orderNo: string; acceptedAt: string | null; finishedAt: string | null }[],
  toleranceMinutes: number,
): { orderNo: string; acceptedAt: string | null; finishedAt: string | null; minutesOutside: number }[] {
  const at = minutesOf(accidentAt);
  const out = [];
  for (const o of orders) {
    let outside = 0;
    if (o.acceptedAt && at < minutesOf(o.acceptedAt) - toleranceMinutes) outside = minutesOf(o.acceptedAt) - at;
    if (o.finishedAt && at > minutesOf(o.finishedAt) + toleranceMinutes) outside = at - minutesOf(o.finishedAt);
    if (outside > 0)
      out.push({ orderNo: o.orderNo, acceptedAt: o.acceptedAt, finishedAt: o.finishedAt, minutesOutside: Math.round(outside) });
  }
  return out;
}

export function describeOrderWindow(accidentAt: string, o: ReturnType<typeof ordersOutsideWindow>[number]): string {
  const window = `${o.acceptedAt ? hm(o.acceptedAt) : '—'} 至 ${o.finishedAt ? hm(o.finishedAt) : '未完成'}`;
  return `事故时间 ${hm(accidentAt)} 不在订单 ${o.orderNo} 的接单至完成时段（${window}）内，相差 ${o.minutesOutside} 分钟`;
}

/**
 * The claims (accident dates) inside the densest window of `windowDays` that contains this
 * case's accident, when there are at least `minClaims` of them.
 */
export function repeatedClaims<T extends { accidentDate: string }>(
  own: T,
  all: readonly T[],
  minClaims: number,
  windowDays: number,
): T[] | null {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  const sorted = [...all].sort((a, b) => (a.accidentDate < b.accidentDate ? -1 : a.accidentDate > b.accidentDate ? 1 : 0));
  const ownDay = day(own.accidentDate);
  let best: T[] | null = null;
  for (let i = 0; i < sorted.length; i++) {
    const start = day(sorted[i]!.accidentDate);
    if (start > ownDay || ownDay - start > windowDays) continue;
    const inWindow = sorted.filter((x) => day(x.accidentDate) >= start && day(x.accidentDate) - start <= windowDays);
    if (inWindow.length >= minClaims && (!best || inWindow.length > best.length)) best = inWindow;
  }
  return best;
}

/** Whether a total is far above the usual (median) for similar cases, by the rule's thresholds. */
export function aboveUsual(
  totalFen: number,
  medianFen: number | null,
  similarCases: number,
  rule: { factor: string; minSimilarCases: number; minAmount: string },
): boolean {
  if (medianFen === null || medianFen <= 0 || similarCases < rule.minSimilarCases) return false;
  if (new D(totalFen).lessThan(new D(rule.minAmount).times(100))) return false;
  return new D(totalFen).greaterThan(new D(medianFen).times(rule.factor));
}

/** The median of sorted integers (the lower middle for an even count, so it is always a real case's total). */
export function lowerMedian(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
