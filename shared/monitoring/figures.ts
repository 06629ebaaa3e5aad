// 运行监测: the dashboard's figures, defined once — each with its title, chart, columns and the
// definition people read under it — plus the filter, the output shape and the pure aggregation
// helpers (counts, means, percentiles, shares). The core fills the rows from its projections; a
// central server can fill the same figures from its own tables. Definitions: docs/monitoring.md.
import { z } from 'zod';

export const COLUMN_KINDS = ['text', 'count', 'yuan', 'percent', 'days'] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

export interface FigureColumn {
  key: string;
  label: string;
  kind: ColumnKind;
}

export const CHART_KINDS = ['pie', 'bar', 'stacked', 'line', 'table'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export interface FigureDefinition {
  title: string;
  chart: ChartKind;
  /** The columns the chart plots (the table shows them all). */
  plot: string[];
  columns: FigureColumn[];
  /** What is counted, from which date, for people reading the figure. */
  note: string;
}

const count = (key: string, label: string): FigureColumn => ({ key, label, kind: 'count' });
const text = (key: string, label: string): FigureColumn => ({ key, label, kind: 'text' });
const yuan = (key: string, label: string): FigureColumn => ({ key, label, kind: 'yuan' });
const days = (key: string, label: string): FigureColumn => ({ key, label, kind: 'days' });
const percent = (key: string, label: string): FigureColumn => ({ key, label, kind: 'percent' });

const BY_APPLICATION = '按申请日期在统计期内的案件计。';

export const FIGURES = {
  by_status: {
    title: '案件状态分布',
    chart: 'pie',
    plot: ['cases'],
    columns: [text('status', '案件状态'), count('cases', '件数')],
    note: `${BY_APPLICATION}状态为统计时的当前状态。`,
  },
  by_month: {
    title: '按月申请与受理',
    chart: 'line',
    plot: ['applied', 'accepted', 'fastTrack'],
    columns: [text('month', '月份'), count('applied', '申请件数'), count('accepted', '其中已受理'), count('fastTrack', '其中小伤快办')],
    note: '按申请日期所在月份计。',
  },
  by_platform: {
    title: '按责任平台',
    chart: 'bar',
    plot: ['cases'],
    columns: [text('platform', '责任平台'), count('cases', '件数')],
    note: `${BY_APPLICATION}责任平台按第十八条第二款确定；尚未确定的计入“未确定”。`,
  },
  by_industry: {
    title: '按行业',
    chart: 'pie',
    plot: ['cases'],
    columns: [text('industry', '行业'), count('cases', '件数')],
    note: `${BY_APPLICATION}行业为人员登记的从业行业。`,
  },
  by_injury: {
    title: '按伤情类型',
    chart: 'bar',
    plot: ['cases'],
    columns: [text('injury', '伤情类型'), count('cases', '件数')],
    note: `${BY_APPLICATION}伤情类型按诊断关键词归类（关键词见随附的监测分类表）。`,
  },
  fast_track: {
    title: '小伤快办占比',
    chart: 'bar',
    plot: ['share'],
    columns: [text('industry', '行业'), count('cases', '申请件数'), count('fastTrack', '小伤快办件数'), percent('share', '占比')],
    note: `${BY_APPLICATION}小伤快办为登记时符合条件并加注标识的案件。`,
  },
  durations: {
    title: '办理时效（工作日）',
    chart: 'bar',
    plot: ['mean', 'p90', 'fastMean', 'fastP90'],
    columns: [
      text('stage', '环节'),
      count('cases', '件数'),
      days('mean', '平均'),
      days('p90', '90%分位'),
      count('fastCases', '小伤快办件数'),
      days('fastMean', '小伤快办平均'),
      days('fastP90', '小伤快办90%分位'),
    ],
    note: `${BY_APPLICATION}工作日按工作日历计，申请当日不计、到达当日计（当日受理为 0）；受理日为“受理”办理日期，确认日为作出确认或不予确认结论的日期，支付日为首笔医疗费报销或待遇核定复核通过的日期。`,
  },
  clocks_by_stage: {
    title: '临期、逾期（按环节）',
    chart: 'stacked',
    plot: ['near', 'overdue'],
    columns: [text('stage', '环节'), count('near', '临期'), count('overdue', '逾期')],
    note: '统计时点的在办案件，不受统计期限制；临期为距期限 3 个（工作）日以内。',
  },
  clocks_by_handler: {
    title: '临期、逾期（按经办人）',
    chart: 'stacked',
    plot: ['near', 'overdue'],
    columns: [text('handler', '经办人'), count('near', '临期'), count('overdue', '逾期')],
    note: '统计时点的在办案件；经办人为最近一次办理该案的人员。',
  },
  benefits_by_month: {
    title: '待遇核定与报销（按月）',
    chart: 'stacked',
    plot: ['fundOnce', 'platformOnce', 'medical'],
    columns: [
      text('month', '月份'),
      yuan('fundOnce', '基金一次性待遇'),
      yuan('platformOnce', '平台一次性待遇'),
      yuan('fundMonthly', '基金按月待遇（月额）'),
      yuan('platformMonthly', '平台按月待遇（月额）'),
      yuan('medical', '医疗费报销'),
    ],
    note: '待遇按复核通过日期、医疗费按报销日期所在月份计；按月待遇为核定的月支付额。',
  },
  benefits_by_type: {
    title: '待遇核定（按项目和支付方）',
    chart: 'bar',
    plot: ['amount'],
    columns: [
      text('item', '待遇项目'),
      text('payer', '支付方'),
      text('period', '支付方式'),
      count('lines', '笔数'),
      yuan('amount', '金额'),
    ],
    note: '复核通过日期在统计期内的待遇核定；按月待遇为月支付额之和。',
  },
  hearings: {
    title: '劳动能力鉴定专场',
    chart: 'table',
    plot: [],
    columns: [
      count('hearings', '专场场次'),
      count('heard', '上会案件'),
      count('present', '到场'),
      count('absent', '缺席'),
      count('concluded', '作出结论'),
      count('reappraisals', '再次鉴定申请'),
      percent('reappraisalRate', '再次鉴定率'),
    ],
    note: '专场日期在统计期内；再次鉴定率为统计期内提出的再次鉴定申请数 ÷ 统计期内作出的初次鉴定结论数。',
  },
  grades: {
    title: '鉴定结论等级分布',
    chart: 'bar',
    plot: ['conclusions'],
    columns: [text('grade', '伤残等级'), count('conclusions', '结论数')],
    note: '签发日期在统计期内的鉴定结论（含再次鉴定、复查）。',
  },
  scenarios: {
    title: '常见事故场景',
    chart: 'pie',
    plot: ['cases'],
    columns: [text('scenario', '事故场景'), count('cases', '件数'), count('traffic', '其中交通事故'), percent('share', '占比')],
    note: `${BY_APPLICATION}场景按事故经过关键词归类（关键词见随附的监测分类表）。`,
  },
  flags: {
    title: '疑点筛查（按规则）',
    chart: 'stacked',
    plot: ['open', 'cleared', 'lapsed'],
    columns: [text('rule', '筛查规则'), count('open', '待核查'), count('cleared', '已核查清除'), count('lapsed', '条件已消除')],
    note: `${BY_APPLICATION}疑点只提示复核，不阻止办理。`,
  },
} as const satisfies Record<string, FigureDefinition>;

export type FigureCode = keyof typeof FIGURES;
export const FIGURE_CODES = Object.keys(FIGURES) as FigureCode[];

export type Cell = string | number | null;
export type FigureRow = Record<string, Cell>;

export const figureSchema = z.object({
  code: z.string(),
  title: z.string(),
  chart: z.enum(CHART_KINDS),
  plot: z.array(z.string()),
  columns: z.array(z.object({ key: z.string(), label: z.string(), kind: z.enum(COLUMN_KINDS) })),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
  note: z.string(),
});
export type Figure = z.infer<typeof figureSchema>;

export function figure(code: FigureCode, rows: FigureRow[]): Figure {
  const def: FigureDefinition = FIGURES[code];
  return { code, title: def.title, chart: def.chart, plot: def.plot, columns: def.columns, rows, note: def.note };
}

export const dashboardFilterSchema = z
  .object({
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '开始日期格式应为 YYYY-MM-DD'),
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '结束日期格式应为 YYYY-MM-DD'),
    /** null: every office in the store. */
    office: z.string().max(80).nullable(),
  })
  .refine((f) => f.from <= f.to, { error: '开始日期不能晚于结束日期', path: ['to'] });
export type DashboardFilter = z.infer<typeof dashboardFilterSchema>;

export const dashboardSchema = z.object({
  filter: z.object({ from: z.string(), to: z.string(), office: z.string().nullable() }),
  /** Today, for the 临期/逾期 snapshot. */
  asOf: z.string(),
  offices: z.array(z.string()),
  figures: z.array(figureSchema),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

// ---- pure aggregation helpers ---------------------------------------------------------------

/** Mean to one decimal place (null for no values). */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
}

/** Nearest-rank percentile: the smallest value with at least p of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/** A share as a percentage with one decimal (null when the whole is 0). */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** Counts by key, in the order of `order` first, then the rest by count (largest first). */
export function countBy<T>(items: readonly T[], key: (t: T) => string, order: readonly string[] = []): [string, number][] {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  const known = order.filter((k) => m.has(k)).map((k): [string, number] => [k, m.get(k)!]);
  const rest = [...m].filter(([k]) => !order.includes(k)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return [...known, ...rest];
}

// ---- figures from grouped rows --------------------------------------------------------------
// The database counts cases once, grouped by every dimension together; the figures are then
// sums over those groups. Working days come as histograms (days → cases), from which the mean
// and percentile are exact.

export interface FactGroup {
  status: string;
  platform: string | null;
  industry: string;
  fastTrack: boolean;
  injuryType: string;
  scenario: string;
  traffic: boolean;
  month: string;
  cases: number;
  accepted: number;
}

/** Sums `cases` (and optionally another count) by a key, in first-seen order. */
export function sumBy(
  groups: readonly FactGroup[],
  key: (g: FactGroup) => string | null,
): Map<string | null, { cases: number; accepted: number; fast: number; traffic: number }> {
  const m = new Map<string | null, { cases: number; accepted: number; fast: number; traffic: number }>();
  for (const g of groups) {
    const k = key(g);
    const v = m.get(k) ?? { cases: 0, accepted: 0, fast: 0, traffic: 0 };
    v.cases += g.cases;
    v.accepted += g.accepted;
    if (g.fastTrack) v.fast += g.cases;
    if (g.traffic) v.traffic += g.cases;
    m.set(k, v);
  }
  return m;
}

export interface DayBucket {
  days: number;
  cases: number;
}

/** Mean of a histogram, to one decimal place (null when empty). */
export function histogramMean(buckets: readonly DayBucket[]): number | null {
  const n = buckets.reduce((a, b) => a + b.cases, 0);
  if (n === 0) return null;
  return Math.round((buckets.reduce((a, b) => a + b.days * b.cases, 0) / n) * 10) / 10;
}

/** Nearest-rank percentile of a histogram: as percentile() over the values it stands for. */
export function histogramPercentile(buckets: readonly DayBucket[], p: number): number | null {
  const sorted = [...buckets].filter((b) => b.cases > 0).sort((a, b) => a.days - b.days);
  const n = sorted.reduce((a, b) => a + b.cases, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (const b of sorted) {
    seen += b.cases;
    if (seen >= rank) return b.days;
  }
  return sorted.at(-1)!.days;
}
