// Every list and table the desk shows, as an export table with Chinese headers: the same query
// the screen uses (worklist, queues, search, audit log, hearing results, dashboard, annual
// figures, 疑点 list), never a second copy of it. Identifiers stay masked as on screen.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import type { Clock } from '../clock';
import { ApiError } from '../../../shared/api/errors';
import type { ExportTable } from '../../../shared/exports/table';
import type { FigureColumn, Figure, DashboardFilter } from '../../../shared/monitoring/figures';
import { STATUS_LABELS, type CaseStatus } from '../../../shared/cases/lifecycle';
import { gradeLabel, nursingLabel } from '../../../shared/appraisal/grades';
import { FLAG_STATUS_LABELS, type FlagStatus } from '../../../shared/screening/rules';
import type { Role } from '../../../shared/roles';
import { caseQueue, worklist, type QUEUE_STATUSES } from '../cases/worklist';
import { caseSummaries } from '../cases/case-file';
import { searchCaseIds } from '../cases/case-search';
import type { RuleData } from '../cases/rule-data';
import { hearingReportData } from '../appraisal/hearings';
import { dashboard, officeLabel } from '../monitoring/dashboard';
import { flagQueue } from '../screening/flag-queue';

type Db = Kysely<Database>;

const text = (key: string, label: string): FigureColumn => ({ key, label, kind: 'text' });
const count = (key: string, label: string): FigureColumn => ({ key, label, kind: 'count' });
const yesNo = (b: boolean) => (b ? '是' : '否');

/** The most rows one export holds (Excel's own limit is 1,048,576). */
export const EXPORT_ROW_LIMIT = 200_000;

const DEADLINE_COLUMNS = [
  text('deadlineStatus', '期限状态'),
  text('deadline', '期限事项'),
  text('due', '期限日'),
  count('left', '剩余天数'),
  text('unit', '计算方式'),
  text('article', '依据'),
];

function deadlineCells(
  d: { status: string; label: string; due: string; daysLeft: number; unit: string; article: string; certain: boolean } | null,
) {
  if (!d) return { deadlineStatus: '—', deadline: '—', due: null, left: null, unit: null, article: null };
  return {
    deadlineStatus: d.certain ? d.status : `${d.status}（节假日安排未知，待核）`,
    deadline: d.label,
    due: d.due,
    left: d.daysLeft,
    unit: d.unit === 'working_days' ? '工作日' : '自然日',
    article: d.article,
  };
}

export async function worklistTable(db: Db, clock: Clock, rules: RuleData, roles: Role[]): Promise<ExportTable> {
  const items = await worklist(db, clock, rules, roles);
  return {
    name: '临期逾期待办',
    columns: [
      ...DEADLINE_COLUMNS,
      text('registrationNo', '登记号'),
      text('caseNo', '受理编号'),
      text('name', '姓名'),
      text('status', '案件状态'),
      text('fastTrack', '小伤快办'),
    ],
    rows: items.map((i) => ({
      ...deadlineCells(i.deadline),
      registrationNo: i.registrationNo,
      caseNo: i.caseNo,
      name: i.workerName,
      status: STATUS_LABELS[i.status],
      fastTrack: yesNo(i.fastTrack),
    })),
  };
}

const CASE_COLUMNS = [
  text('registrationNo', '登记号'),
  text('caseNo', '受理编号'),
  text('name', '姓名'),
  text('idNumber', '身份证号（部分隐藏）'),
  text('phone', '手机号（部分隐藏）'),
  text('accidentDate', '事故日期'),
  text('platform', '责任平台'),
  text('status', '案件状态'),
  text('fastTrack', '小伤快办'),
  text('registeredAt', '登记时间'),
];

function caseCells(s: Awaited<ReturnType<typeof caseSummaries>>[number]) {
  return {
    registrationNo: s.registrationNo,
    caseNo: s.caseNo,
    name: s.workerName,
    idNumber: s.idNumberMasked,
    phone: s.phoneMasked,
    accidentDate: s.accidentDate,
    platform: s.platformName,
    status: STATUS_LABELS[s.status],
    fastTrack: yesNo(s.fastTrack),
    registeredAt: s.registeredAt.slice(0, 16).replace('T', ' '),
  };
}

const QUEUE_NAMES: Record<keyof typeof QUEUE_STATUSES, string> = {
  intake: '待受理',
  confirmation: '待确认',
  treatment: '治疗期',
  appraisal: '待鉴定',
  benefits: '待核定待遇',
};

export async function queueTable(db: Db, clock: Clock, rules: RuleData, queue: keyof typeof QUEUE_STATUSES): Promise<ExportTable> {
  const rows = await caseQueue(db, clock, rules, queue);
  return {
    name: QUEUE_NAMES[queue],
    columns: [...CASE_COLUMNS, ...DEADLINE_COLUMNS],
    rows: rows.map((r) => ({ ...caseCells(r), ...deadlineCells(r.deadline) })),
  };
}

/** The same search as the screen, without its page limit (up to 5,000 cases). */
export async function searchTable(db: Db, q: string, status: CaseStatus | undefined): Promise<ExportTable> {
  const limit = 5000;
  let ids: string[];
  if (q.trim().length === 0) {
    let query = db.selectFrom('cases').select('id').orderBy('registered_at', 'desc').limit(limit);
    if (status) query = query.where('status', '=', status);
    ids = (await query.execute()).map((r) => r.id);
  } else ids = await searchCaseIds(db, q, limit);
  const found = (await caseSummaries(db, ids)).filter((c) => !status || c.status === status);
  return {
    name: '检索结果',
    columns: CASE_COLUMNS,
    rows: found.map(caseCells),
    notes: [`检索条件：${q.trim() || '（全部）'}${status ? `；状态：${STATUS_LABELS[status]}` : ''}`],
  };
}

export async function auditTable(db: Db, from: string | null, to: string | null): Promise<ExportTable> {
  let q = db.selectFrom('audit_log');
  if (from) q = q.where('at', '>=', from);
  if (to) q = q.where('at', '<', `${to}T99`);
  const n = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  if (n > EXPORT_ROW_LIMIT)
    throw new ApiError('RULE_REFUSED', `所选期间共有 ${n} 条审计记录，超过单次导出上限 ${EXPORT_ROW_LIMIT} 条，请缩短起止日期后分次导出`);
  const rows = await q.selectAll().orderBy('seq').execute();
  return {
    name: '审计日志',
    columns: [
      count('seq', '序号'),
      text('at', '时间'),
      text('actor', '操作人'),
      text('action', '操作'),
      text('summary', '摘要'),
      text('hash', '哈希'),
      text('prevHash', '前一条哈希'),
    ],
    rows: rows.map((r) => ({
      seq: r.seq,
      at: r.at.slice(0, 19).replace('T', ' '),
      actor: r.actor_name,
      action: r.action,
      summary: r.summary,
      hash: r.hash,
      prevHash: r.prev_hash,
    })),
    notes: [`期间：${from ?? '最早'} 至 ${to ?? '最新'}；哈希可用于核对审计链（系统管理 → 审计日志 → 校验审计链）。`],
  };
}

export async function hearingTable(db: Db, hearingId: string): Promise<ExportTable> {
  const r = await hearingReportData(db, hearingId);
  return {
    name: `专场结果 ${r.hearing.hearingNo}`,
    columns: [
      count('position', '序号'),
      text('caseNo', '受理编号'),
      text('name', '姓名'),
      text('attendance', '到场情况'),
      text('grade', '鉴定结论'),
      text('nursing', '生活自理障碍'),
      count('minutes', '评定用时（分钟）'),
    ],
    rows: r.cases.map((c, i) => ({
      position: i + 1,
      caseNo: c.caseNo,
      name: c.name,
      attendance: c.absent ? '缺席' : c.attended ? '到场' : '未登记',
      grade: c.signed ? gradeLabel(c.grade) : '未签发',
      nursing: c.signed ? (c.nursingLevel ? nursingLabel(c.nursingLevel) : '无') : '—',
      minutes: c.minutes,
    })),
    notes: [
      `专场 ${r.hearing.hearingNo}，${r.hearing.date}，${r.hearing.venue}，${r.hearing.committee}`,
      `参与专家：${r.experts.join('、') || '—'}；尚未办结 ${r.open} 件`,
    ],
  };
}

export function figureTable(f: Figure, notes: string[] = []): ExportTable {
  return { name: f.title, columns: f.columns, rows: f.rows, notes: [f.note, ...notes] };
}

export async function dashboardTables(db: Db, clock: Clock, filter: DashboardFilter, only: string | null): Promise<ExportTable[]> {
  const d = await dashboard(db, clock, filter);
  const scope = `统计期 ${filter.from} 至 ${filter.to}；经办机构：${filter.office === null ? '全部' : officeLabel(filter.office)}；统计时点 ${d.asOf}`;
  const figures = only ? d.figures.filter((f) => f.code === only) : d.figures;
  if (figures.length === 0) throw new ApiError('NOT_FOUND', '没有这项统计图表，请刷新后重试');
  return figures.map((f) => figureTable(f, [scope]));
}

export async function flagsTable(db: Db, status: FlagStatus, code: string | null): Promise<ExportTable> {
  const rows = await flagQueue(db, status, code);
  return {
    name: '疑点清单',
    columns: [
      text('case', '受理编号/登记号'),
      text('name', '姓名'),
      text('office', '经办机构'),
      text('rule', '筛查规则'),
      text('summary', '疑点说明'),
      text('article', '依据'),
      text('status', '状态'),
      text('raisedAt', '发现时间'),
      text('reason', '清除理由'),
    ],
    rows: rows.map((f) => ({
      case: f.caseLabel,
      name: f.workerName,
      office: officeLabel(f.office),
      rule: f.label,
      summary: f.summary,
      article: f.article,
      status: FLAG_STATUS_LABELS[f.status],
      raisedAt: f.raisedAt.slice(0, 16).replace('T', ' '),
      reason: f.clearReason,
    })),
  };
}
