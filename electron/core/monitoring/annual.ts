// 第三十三条第二款: 省级经办机构按年度向社会公开职业伤害保障参保、收支等情况. The part this store
// can answer for a calendar year — cases handled, benefits determined and paid by item and
// payer, medical reimbursements, appraisals — as sections of aggregate figures (no person is
// named), built from the same dashboard figures. 参保 and 缴费 are recorded by the tax authority
// and the national platform, not here: the export says so instead of printing a guess.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import type { Clock } from '../clock';
import { ApiError } from '../../../shared/api/errors';
import type { Figure, FigureRow } from '../../../shared/monitoring/figures';
import { fenToYuan, yuanToFen } from '../../../shared/rules';
import { dashboard, officeLabel } from './dashboard';

type Db = Kysely<Database>;

const pick = (figures: Figure[], code: string): Figure => {
  const f = figures.find((x) => x.code === code);
  if (!f) throw new ApiError('INTERNAL', `统计图表 ${code} 缺失`);
  return f;
};

const sumYuan = (rows: FigureRow[], key: string) => fenToYuan(rows.reduce((a, r) => a + yuanToFen(String(r[key] ?? '0')), 0));

export async function annualFigures(db: Db, clock: Clock, year: number, office: string | null) {
  const today = clock.now();
  if (year > today.getUTCFullYear())
    throw new ApiError('INVALID_INPUT', `${year} 年尚未开始，请选择今年或以前的年度`, [{ path: 'year', message: '年度有误' }]);
  const d = await dashboard(db, clock, { from: `${year}-01-01`, to: `${year}-12-31`, office });
  const status = pick(d.figures, 'by_status');
  let decided = db
    .selectFrom('case_facts')
    .select(['decision', (eb) => eb.fn.countAll<number>().as('n')])
    .where('application_date', '>=', `${year}-01-01`)
    .where('application_date', '<=', `${year}-12-31`)
    .where('decision', 'is not', null)
    .groupBy('decision');
  if (office !== null) decided = decided.where('office', '=', office);
  const decisions = new Map((await decided.execute()).map((r) => [r.decision, Number(r.n)]));
  const total = status.rows.reduce((a, r) => a + Number(r.cases ?? 0), 0);
  const fast = pick(d.figures, 'fast_track').rows.find((r) => r.industry === '合计');
  const byMonth = pick(d.figures, 'benefits_by_month');
  const byType = pick(d.figures, 'benefits_by_type');
  const hearings = pick(d.figures, 'hearings').rows[0] ?? {};
  const scope = `${year} 年度；经办机构：${office === null ? '全部' : officeLabel(office)}`;
  const overview: Figure = {
    code: 'annual_overview',
    title: `${year}年度职业伤害保障业务概况`,
    chart: 'table',
    plot: [],
    columns: [
      { key: 'item', label: '项目', kind: 'text' },
      { key: 'value', label: '数值', kind: 'text' },
      { key: 'unit', label: '单位', kind: 'text' },
    ],
    rows: [
      { item: '参保人数', value: '本机无此数据', unit: '人' },
      { item: '职业伤害保障费收入', value: '本机无此数据', unit: '元' },
      { item: '待遇给付申请', value: String(total), unit: '件' },
      { item: '其中：小伤快办', value: String(fast?.fastTrack ?? 0), unit: '件' },
      { item: '确认为职业伤害', value: String(decisions.get('confirmed') ?? 0), unit: '件' },
      { item: '不予确认', value: String(decisions.get('not_confirmed') ?? 0), unit: '件' },
      {
        item: '劳动能力鉴定结论',
        value: String(pick(d.figures, 'grades').rows.reduce((a, r) => a + Number(r.conclusions ?? 0), 0)),
        unit: '件',
      },
      { item: '再次鉴定申请', value: String(hearings.reappraisals ?? 0), unit: '件' },
      { item: '基金支付一次性待遇', value: sumYuan(byMonth.rows, 'fundOnce'), unit: '元' },
      { item: '平台企业支付一次性待遇', value: sumYuan(byMonth.rows, 'platformOnce'), unit: '元' },
      { item: '基金按月待遇（月支付额）', value: sumYuan(byMonth.rows, 'fundMonthly'), unit: '元/月' },
      { item: '基金支付医疗费（零星报销）', value: sumYuan(byMonth.rows, 'medical'), unit: '元' },
    ],
    note: `${scope}。申请件数及确认结论按申请日期，待遇按复核通过日期，医疗费按报销日期，鉴定按签发日期计。参保人数与保费收入由税务部门征收、全国信息平台记录，不在本机，公开时请以省级经办机构汇总数为准。`,
  };
  return {
    year,
    office,
    sections: [
      overview,
      { ...status, title: `${year}年度案件办理情况`, note: `${scope}。${status.note}` },
      { ...byType, title: `${year}年度待遇支出（按项目和支付方）`, note: `${scope}。${byType.note}` },
      { ...byMonth, title: `${year}年度待遇与医疗费支出（按月）`, note: `${scope}。${byMonth.note}` },
      { ...pick(d.figures, 'grades'), title: `${year}年度劳动能力鉴定结论`, note: `${scope}。${pick(d.figures, 'grades').note}` },
    ],
  };
}
