// 运行监测: fills the figures defined in shared/monitoring/figures.ts from the projections
// (case_facts, case_clocks, benefit_facts, case_flags) and the appraisal tables, for a period and
// an office. Counting is done by the database (GROUP BY through kysely, no dialect-specific SQL),
// percentiles from the few columns they need; a central server can run the same module over the
// same tables. Definitions of each figure: docs/monitoring.md.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaDate, type Clock } from '../clock';
import {
  FIGURE_CODES,
  figure,
  histogramMean,
  histogramPercentile,
  share,
  sumBy,
  type FactGroup,
  type Dashboard,
  type DashboardFilter,
  type Figure,
  type FigureCode,
  type FigureRow,
} from '../../../shared/monitoring/figures';
import { categoryLabel, type Categories } from '../../../shared/monitoring/categories';
import { STATUS_LABELS, CASE_STATUSES, type CaseStatus } from '../../../shared/cases/lifecycle';
import { INDUSTRIES, INDUSTRY_LABELS } from '../../../shared/cases/enums';
import { gradeLabel } from '../../../shared/appraisal/grades';
import { PAYER_LABELS, PERIOD_LABELS, fenToYuan } from '../../../shared/rules';
import { FLAG_STATUSES } from '../../../shared/screening/rules';
import { monitoringCategories } from './categories';

type Db = Kysely<Database>;

/** Open statuses whose clocks count as work (as on the worklist). */
const WORK_STATUSES: CaseStatus[] = [
  'registered',
  'awaiting_supplement',
  'accepted',
  'confirmed',
  'in_treatment',
  'awaiting_appraisal',
  'appraised',
];

const UNSET_OFFICE = '（未设置经办机构）';
const num = (x: unknown) => Number(x ?? 0);
/** Money as yuan with two decimals, exact from integer fen. */
const yuanOf = (fen: unknown) => fenToYuan(num(fen));

function facts(db: Db, f: DashboardFilter) {
  let q = db.selectFrom('case_facts').where('case_facts.application_date', '>=', f.from).where('case_facts.application_date', '<=', f.to);
  if (f.office !== null) q = q.where('case_facts.office', '=', f.office);
  return q;
}

function ordered<K extends string | null>(entries: [K, number][], order: readonly string[]): [K, number][] {
  const rank = (k: K) => (k === null ? order.length + 1 : order.includes(k) ? order.indexOf(k) : order.length);
  return [...entries].sort((a, b) => rank(a[0]) - rank(b[0]) || b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
}

/**
 * Every case figure from one pass over the period's facts, grouped by all dimensions at once
 * (a few thousand groups at most), and the working days as histograms.
 */
async function caseFigures(db: Db, f: DashboardFilter, categories: Categories): Promise<Figure[]> {
  const platformNames = new Map((await db.selectFrom('platforms').select(['code', 'name']).execute()).map((p) => [p.code, p.name]));
  const groups: FactGroup[] = (
    await facts(db, f)
      .select([
        'case_facts.status',
        'case_facts.platform',
        'case_facts.industry',
        'case_facts.fast_track',
        'case_facts.injury_type',
        'case_facts.scenario',
        'case_facts.traffic',
        'case_facts.application_month',
        (eb) => eb.fn.countAll<number>().as('n'),
        (eb) => eb.fn.count<number>('case_facts.accepted_on').as('accepted'),
      ])
      .groupBy([
        'case_facts.status',
        'case_facts.platform',
        'case_facts.industry',
        'case_facts.fast_track',
        'case_facts.injury_type',
        'case_facts.scenario',
        'case_facts.traffic',
        'case_facts.application_month',
      ])
      .execute()
  ).map((r) => ({
    status: r.status,
    platform: r.platform,
    industry: r.industry,
    fastTrack: r.fast_track === 1,
    injuryType: r.injury_type,
    scenario: r.scenario,
    traffic: r.traffic === 1,
    month: r.application_month,
    cases: num(r.n),
    accepted: num(r.accepted),
  }));
  const industryLabel = (k: string | null) => INDUSTRY_LABELS[k as keyof typeof INDUSTRY_LABELS] ?? '未登记';
  const counts = (key: (g: FactGroup) => string | null) => [...sumBy(groups, key)].map(([k, v]): [string | null, number] => [k, v.cases]);

  const byIndustry = sumBy(groups, (g) => g.industry);
  const fastRows: FigureRow[] = ordered(
    [...byIndustry].map(([k, v]): [string | null, number] => [k, v.cases]),
    INDUSTRIES,
  ).map(([k, n]) => {
    const fast = byIndustry.get(k)!.fast;
    return { industry: industryLabel(k), cases: n, fastTrack: fast, share: share(fast, n) };
  });
  const totalCases = fastRows.reduce((a, r) => a + num(r.cases), 0);
  const totalFast = fastRows.reduce((a, r) => a + num(r.fastTrack), 0);
  fastRows.push({ industry: '合计', cases: totalCases, fastTrack: totalFast, share: share(totalFast, totalCases) });

  // Working days to each milestone as histograms, per 小伤快办 or not: one grouped pass.
  const timing = await facts(db, f)
    .select([
      'case_facts.fast_track',
      'case_facts.wd_to_accept',
      'case_facts.wd_to_decision',
      'case_facts.wd_to_payment',
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .groupBy(['case_facts.fast_track', 'case_facts.wd_to_accept', 'case_facts.wd_to_decision', 'case_facts.wd_to_payment'])
    .execute();
  const stage = (label: string, pick: (r: (typeof timing)[number]) => number | null): FigureRow => {
    const hist = (fastOnly: boolean) => {
      const m = new Map<number, number>();
      for (const r of timing) {
        const d = pick(r);
        if (d === null || (fastOnly && r.fast_track !== 1)) continue;
        m.set(d, (m.get(d) ?? 0) + num(r.n));
      }
      return [...m].map(([days, cases]) => ({ days, cases }));
    };
    const all = hist(false);
    const fast = hist(true);
    const n = (h: { cases: number }[]) => h.reduce((a, b) => a + b.cases, 0);
    return {
      stage: label,
      cases: n(all),
      mean: histogramMean(all),
      p90: histogramPercentile(all, 0.9),
      fastCases: n(fast),
      fastMean: histogramMean(fast),
      fastP90: histogramPercentile(fast, 0.9),
    };
  };

  const scen = sumBy(groups, (g) => g.scenario);
  const scenTotal = [...scen.values()].reduce((a, v) => a + v.cases, 0);
  const scenarioRank = (k: string | null) => {
    const i = categories.scenarios.findIndex((c) => c.code === k);
    return i < 0 ? categories.scenarios.length : i;
  };
  const months = sumBy(groups, (g) => g.month);

  // Flags of the period's cases, counted by rule and status: from the flags (far fewer than the
  // period's cases) to each one's facts row, rather than a list of the period's case ids.
  let flagQuery = db
    .selectFrom('case_flags')
    .innerJoin('case_facts', 'case_facts.case_id', 'case_flags.case_id')
    .select(['case_flags.code', 'case_flags.label', 'case_flags.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('case_facts.application_date', '>=', f.from)
    .where('case_facts.application_date', '<=', f.to)
    .groupBy(['case_flags.code', 'case_flags.label', 'case_flags.status']);
  if (f.office !== null) flagQuery = flagQuery.where('case_facts.office', '=', f.office);
  flagQuery = flagQuery.orderBy('case_flags.code');
  const flags = await flagQuery.execute();
  const flagRows = new Map<string, FigureRow>();
  for (const r of flags) {
    const row = flagRows.get(r.code) ?? { rule: r.label, ...Object.fromEntries(FLAG_STATUSES.map((st) => [st, 0])) };
    row[r.status] = num(row[r.status]) + num(r.n);
    flagRows.set(r.code, row);
  }

  return [
    figure(
      'by_status',
      ordered(
        counts((g) => g.status),
        CASE_STATUSES,
      ).map(([k, n]) => ({ status: STATUS_LABELS[k as CaseStatus] ?? String(k), cases: n })),
    ),
    figure(
      'by_platform',
      ordered(
        counts((g) => g.platform),
        [],
      ).map(([k, n]) => ({ platform: k === null ? '未确定' : (platformNames.get(k) ?? k), cases: n })),
    ),
    figure(
      'by_industry',
      ordered(
        counts((g) => g.industry),
        INDUSTRIES,
      ).map(([k, n]) => ({ industry: industryLabel(k), cases: n })),
    ),
    figure(
      'by_injury',
      ordered(
        counts((g) => g.injuryType),
        categories.injuryTypes.map((c) => c.code),
      ).map(([k, n]) => ({ injury: categoryLabel(k ?? '', categories.injuryTypes), cases: n })),
    ),
    figure(
      'by_month',
      [...months]
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
        .map(([m, v]) => ({ month: m, applied: v.cases, accepted: v.accepted, fastTrack: v.fast })),
    ),
    figure('fast_track', fastRows),
    figure('durations', [
      stage('申请至受理', (r) => r.wd_to_accept),
      stage('申请至确认结论', (r) => r.wd_to_decision),
      stage('申请至首次支付', (r) => r.wd_to_payment),
    ]),
    figure(
      'scenarios',
      [...scen]
        .sort((a, b) => b[1].cases - a[1].cases || scenarioRank(a[0]) - scenarioRank(b[0]))
        .map(([k, v]) => ({
          scenario: categoryLabel(k ?? '', categories.scenarios),
          cases: v.cases,
          traffic: v.traffic,
          share: share(v.cases, scenTotal),
        })),
    ),
    figure('flags', [...flagRows.values()]),
  ];
}

async function clockFigures(db: Db, f: DashboardFilter, today: string): Promise<Figure[]> {
  let q = db
    .selectFrom('case_clocks')
    .innerJoin('case_facts', 'case_facts.case_id', 'case_clocks.case_id')
    .where('case_clocks.near_from', '<=', today)
    .where('case_facts.status', 'in', WORK_STATUSES);
  if (f.office !== null) q = q.where('case_facts.office', '=', f.office);
  const overdue = sql<number>`CASE WHEN case_clocks.due < ${today} THEN 1 ELSE 0 END`;
  // One pass grouped by stage and handler (a few dozen groups), summed each way here.
  const groups = await q
    .select([
      'case_clocks.stage',
      'case_clocks.handler_id',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.sum<number>(overdue).as('overdue'),
    ])
    .groupBy(['case_clocks.stage', 'case_clocks.handler_id'])
    .execute();
  const sumOver = (key: (g: (typeof groups)[number]) => string | null) => {
    const m = new Map<string | null, { key: string | null; n: number; overdue: number }>();
    for (const g of groups) {
      const k = key(g);
      const row = m.get(k) ?? { key: k, n: 0, overdue: 0 };
      row.n += num(g.n);
      row.overdue += num(g.overdue);
      m.set(k, row);
    }
    return [...m.values()];
  };
  const byStage = sumOver((g) => g.stage);
  const byHandler = sumOver((g) => g.handler_id);
  const names = new Map((await db.selectFrom('users').select(['id', 'display_name']).execute()).map((u) => [u.id, u.display_name]));
  const rows = (list: { key: string | null; n: unknown; overdue: unknown }[], label: (k: string | null) => string, key: string) =>
    list
      .map((r) => ({ [key]: label(r.key), near: num(r.n) - num(r.overdue), overdue: num(r.overdue) }))
      .sort((a, b) => b.overdue - a.overdue || b.near - a.near);
  return [
    figure(
      'clocks_by_stage',
      rows(byStage, (k) => k ?? '其他', 'stage'),
    ),
    figure(
      'clocks_by_handler',
      rows(byHandler, (k) => (k ? (names.get(k) ?? '（已删除的账号）') : '—'), 'handler'),
    ),
  ];
}

async function benefitFigures(db: Db, f: DashboardFilter): Promise<Figure[]> {
  let b = db.selectFrom('benefit_facts').where('benefit_facts.approved_on', '>=', f.from).where('benefit_facts.approved_on', '<=', f.to);
  if (f.office !== null) b = b.where('benefit_facts.office', '=', f.office);
  const month = sql<string>`substr(benefit_facts.approved_on, 1, 7)`;
  const byMonth = await b
    .select([
      month.as('month'),
      'benefit_facts.payer',
      'benefit_facts.period',
      (eb) => eb.fn.sum<number>('benefit_facts.amount_fen').as('fen'),
    ])
    .groupBy([month, 'benefit_facts.payer', 'benefit_facts.period'])
    .execute();
  // Reimbursements from the per-office, per-day sums (migration 606), not from every bill.
  let m = db.selectFrom('reimbursed_days').where('reimbursed_days.day', '>=', f.from).where('reimbursed_days.day', '<=', f.to);
  if (f.office !== null) m = m.where('reimbursed_days.office', '=', f.office);
  const rmonth = sql<string>`substr(reimbursed_days.day, 1, 7)`;
  const medical = await m
    .select([rmonth.as('month'), (eb) => eb.fn.sum<number>('reimbursed_days.eligible_fen').as('fen')])
    .groupBy(rmonth)
    .execute();
  const monthKeys = [...new Set([...byMonth.map((r) => r.month), ...medical.map((r) => r.month)])].sort();
  const fen = (month: string, payer: string, period: string) =>
    num(byMonth.find((r) => r.month === month && r.payer === payer && r.period === period)?.fen);
  const monthRows = monthKeys.map((mo) => ({
    month: mo,
    fundOnce: yuanOf(fen(mo, 'fund', 'once')),
    platformOnce: yuanOf(fen(mo, 'platform', 'once')),
    fundMonthly: yuanOf(fen(mo, 'fund', 'monthly')),
    platformMonthly: yuanOf(fen(mo, 'platform', 'monthly')),
    medical: yuanOf(medical.find((r) => r.month === mo)?.fen),
  }));
  const byType = await b
    .select([
      'benefit_facts.code',
      'benefit_facts.payer',
      'benefit_facts.period',
      (eb) => eb.fn.min('benefit_facts.label').as('label'),
      (eb) => eb.fn.countAll<number>().as('lines'),
      (eb) => eb.fn.sum<number>('benefit_facts.amount_fen').as('fen'),
    ])
    .groupBy(['benefit_facts.code', 'benefit_facts.payer', 'benefit_facts.period'])
    .execute();
  const typeRows = byType
    .sort((a, b) => num(b.fen) - num(a.fen))
    .map((r) => ({
      // Lines for dependants carry the person in the label; the item is the part before it.
      item: String(r.label).replace(/（.*$/, ''),
      payer: PAYER_LABELS[r.payer as keyof typeof PAYER_LABELS] ?? r.payer,
      period: PERIOD_LABELS[r.period as keyof typeof PERIOD_LABELS] ?? r.period,
      lines: num(r.lines),
      amount: yuanOf(r.fen),
    }));
  return [figure('benefits_by_month', monthRows), figure('benefits_by_type', typeRows)];
}

async function appraisalFigures(db: Db, f: DashboardFilter): Promise<Figure[]> {
  let heard = db
    .selectFrom('hearing_cases')
    .innerJoin('hearings', 'hearings.id', 'hearing_cases.hearing_id')
    .innerJoin('case_facts', 'case_facts.case_id', 'hearing_cases.case_id')
    .where('hearings.date', '>=', f.from)
    .where('hearings.date', '<=', f.to);
  if (f.office !== null) heard = heard.where('case_facts.office', '=', f.office);
  const h = await heard
    .select([
      (eb) => eb.fn.count<number>('hearings.id').distinct().as('hearings'),
      (eb) => eb.fn.countAll<number>().as('heard'),
      (eb) => eb.fn.sum<number>(sql`CASE WHEN hearing_cases.attendance = 'present' THEN 1 ELSE 0 END`).as('present'),
      (eb) => eb.fn.sum<number>(sql`CASE WHEN hearing_cases.attendance = 'absent' THEN 1 ELSE 0 END`).as('absent'),
    ])
    .executeTakeFirstOrThrow();
  const concludedAtHearings = await heard
    .innerJoin('appraisal_conclusions', (j) =>
      j
        .onRef('appraisal_conclusions.hearing_id', '=', 'hearing_cases.hearing_id')
        .onRef('appraisal_conclusions.case_id', '=', 'hearing_cases.case_id'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();

  let concl = db
    .selectFrom('appraisal_conclusions')
    .innerJoin('case_facts', 'case_facts.case_id', 'appraisal_conclusions.case_id')
    .leftJoin('appraisal_requests', 'appraisal_requests.id', 'appraisal_conclusions.request_id')
    .where('appraisal_conclusions.signed_at', '>=', f.from)
    .where('appraisal_conclusions.signed_at', '<', `${f.to}T99`);
  if (f.office !== null) concl = concl.where('case_facts.office', '=', f.office);
  const grades = await concl
    .select(['appraisal_conclusions.grade', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('appraisal_conclusions.grade')
    .execute();
  const initial = await concl
    .where((eb) => eb.or([eb('appraisal_requests.kind', '=', 'initial'), eb('appraisal_requests.kind', 'is', null)]))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  let re = db
    .selectFrom('appraisal_requests')
    .innerJoin('case_facts', 'case_facts.case_id', 'appraisal_requests.case_id')
    .where('appraisal_requests.kind', '=', 'reappraisal')
    .where('appraisal_requests.requested_on', '>=', f.from)
    .where('appraisal_requests.requested_on', '<=', f.to);
  if (f.office !== null) re = re.where('case_facts.office', '=', f.office);
  const reappraisals = num((await re.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const gradeOrder = (g: number | null) => (g === null ? 11 : g);
  return [
    figure('hearings', [
      {
        hearings: num(h.hearings),
        heard: num(h.heard),
        present: num(h.present),
        absent: num(h.absent),
        concluded: num(concludedAtHearings.n),
        reappraisals,
        reappraisalRate: share(reappraisals, num(initial.n)),
      },
    ]),
    figure(
      'grades',
      grades.sort((a, b) => gradeOrder(a.grade) - gradeOrder(b.grade)).map((g) => ({ grade: gradeLabel(g.grade), conclusions: num(g.n) })),
    ),
  ];
}

export async function offices(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('case_facts').select('office').distinct().orderBy('office').execute();
  return rows.map((r) => r.office);
}

export function officeLabel(office: string): string {
  return office === '' ? UNSET_OFFICE : office;
}

/** Every figure, in the order of FIGURES. */
export async function dashboard(db: Db, clock: Clock, f: DashboardFilter): Promise<Dashboard> {
  const categories = monitoringCategories();
  const today = chinaDate(clock.now());
  const all = [
    ...(await caseFigures(db, f, categories)),
    ...(await clockFigures(db, f, today)),
    ...(await benefitFigures(db, f)),
    ...(await appraisalFigures(db, f)),
  ];
  return {
    filter: f,
    asOf: today,
    offices: await offices(db),
    figures: all.sort((a, b) => FIGURE_CODES.indexOf(a.code as FigureCode) - FIGURE_CODES.indexOf(b.code as FigureCode)),
  };
}
