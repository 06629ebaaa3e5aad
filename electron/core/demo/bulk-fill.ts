// A year of an office's work for scale tests and demos: tens of thousands of cases at every
// stage, with bills, appraisal requests, weekly hearings, expert opinions, signed conclusions,
// approved benefit determinations and their documents, and the audit trail of every step.
//
// Fast because it writes rows with prepared statements in large transactions instead of one RPC
// per step — but the rows are the ones the services write: the same pure rule functions decide
// the assessment, materials, deadlines, panel draw, grades and benefits; the same formats make
// the numbers, search entries and audit summaries; the audit chain is hashed as appendAudit
// hashes it; every step is replayed in time order with its own timestamp. The documents are
// issued by the product itself (the batch action, rendered in its worker threads) at the date
// they would have been issued. The projections are then built by the product's own rebuild.
// test/integration/bulk-fill.test.ts compares what this writes with what the RPC writes. The
// bulk-written rows are not put in the sync outbox (see leaveOutOfOutbox).
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import type { CasesTable } from '../db-schema';
import type { Core } from '../app-core';
import { chinaInstant, type ManualClock } from '../clock';
import { newId } from '../ids';
import { entryHash, GENESIS_HASH, type AuditRecord } from '../audit';
import { api, type ApiInput, type MethodName } from '../../../shared/api/contract';
import { STATUS_LABELS, TRANSITIONS, type CaseAction, type CaseStatus } from '../../../shared/cases/lifecycle';
import { checklistFor } from '../../../shared/cases/materials';
import type { Platform, Registration } from '../../../shared/api/methods/cases';
import { creditCodeCheckChar } from '../../../shared/identity/credit-code';
import type { Role } from '../../../shared/roles';
import { addDays, combineGrades, computeBenefits, dayOfWeek, type BenefitResult } from '../../../shared/rules';
import { drawPanel } from '../../../shared/appraisal/draw';
import { panelProposal } from '../../../shared/appraisal/panel-conclusion';
import { assessRegistration, fastTrackMaterials, supplementDueDate } from '../cases/intake-rules';
import { packFor, ruleData, type RuleData } from '../cases/rule-data';
import { searchBody, searchTerms } from '../cases/case-search';
import { deviceTag } from '../cases/counters';
import { benefitFacts, disabilityOutcome } from '../appraisal/benefit-determination';
import { getSettings } from '../settings';
import { rebuildAll } from '../monitoring/derived';
import {
  HOSPITALS,
  PLACES,
  PLATFORMS_BY_INDUSTRY,
  STORIES,
  INJURIES,
  GIVEN,
  SURNAMES,
  pick,
  seededRandom,
  syntheticIdNumber,
} from './synthetic';
import { randomBytes } from 'node:crypto';

export interface BulkAccount {
  username: string;
  displayName: string;
  roles: Role[];
  password: string;
}

export interface BulkFillOptions {
  cases: number;
  seed: number;
  /** The core's clock: moved to each issuing date while documents are issued, back to now at the end. */
  clock: ManualClock;
  /** Issue the 结论书 and 待遇核定通知书 through the product (slower: real signed PDFs). */
  documents: boolean;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface BulkFillResult {
  cases: number;
  bills: number;
  auditEntries: number;
  hearings: number;
  conclusions: number;
  determinations: number;
  documents: number;
  byStatus: Record<string, number>;
  accounts: BulkAccount[];
  seconds: Record<string, number>;
}

/** The offices whose clerks register cases (the office is carried with each case). */
export const DEMO_OFFICES = [
  '西宁市城东区社会保险服务中心',
  '西宁市城中区社会保险服务中心',
  '西宁市城西区社会保险服务中心',
  '海东市乐都区社会保险服务中心',
];

const STAFF: { username: string; displayName: string; roles: Role[] }[] = [
  ...DEMO_OFFICES.map((o, i) => ({
    username: `clerk${i + 1}`,
    displayName: `受理员${'甲乙丙丁'[i]}（${o.slice(3, 6)}）`,
    roles: ['intake_clerk'] as Role[],
  })),
  { username: 'officer1', displayName: '确认经办甲', roles: ['confirmation_officer'] },
  { username: 'officer2', displayName: '确认经办乙', roles: ['confirmation_officer'] },
  { username: 'officer3', displayName: '确认经办丙', roles: ['confirmation_officer'] },
  { username: 'secretary', displayName: '鉴定秘书', roles: ['appraisal_secretary'] },
  { username: 'leader', displayName: '鉴定组长', roles: ['appraisal_leader'] },
  { username: 'bofficer1', displayName: '待遇核定甲', roles: ['benefit_officer'] },
  { username: 'bofficer2', displayName: '待遇核定乙', roles: ['benefit_officer'] },
  { username: 'reviewer', displayName: '待遇复核', roles: ['benefit_reviewer'] },
  { username: 'manager', displayName: '业务主管', roles: ['manager'] },
];

const EXPERTS: { name: string; organisation: string; categories: ApiInput<'experts.save'>['categories']; departments: string[] }[] = [
  { name: '专家·骨科甲', organisation: '青海省人民医院', categories: ['ortho'], departments: ['骨科'] },
  { name: '专家·骨科乙', organisation: '西宁市第一人民医院', categories: ['ortho'], departments: ['骨科'] },
  { name: '专家·骨科丙', organisation: '青海大学附属医院', categories: ['ortho'], departments: ['创伤骨科'] },
  { name: '专家·骨科丁', organisation: '青海省第五人民医院', categories: ['ortho'], departments: ['骨科'] },
  { name: '专家·骨科戊', organisation: '西宁市第二人民医院', categories: ['ortho'], departments: ['手外科'] },
  { name: '专家·骨科己', organisation: '青海红十字医院', categories: ['ortho'], departments: ['骨科'] },
];

/** GB/T 16180-2014 items of the bundled catalogue, by grade (7–10 are the usual outcomes for riders). */
const ITEMS: Record<number, { code: string; text: string; grade: number }[]> = {
  7: [{ code: '5.7.2(24)', text: '下肢伤后短缩＞2cm，但≤4cm者', grade: 7 }],
  8: [{ code: '5.8.2(13)', text: '脊椎压缩性骨折，椎体前缘高度减少1/2以上者', grade: 8 }],
  9: [
    { code: '5.9.2(23)', text: '四肢长管状骨骨折内固定或外固定支架术后', grade: 9 },
    { code: '5.9.2(24)', text: '髌骨、跟骨、距骨、下颌骨或骨盆骨折内固定术后', grade: 9 },
  ],
  10: [
    { code: '5.10.2(12)', text: '身体各部位骨折愈合后无功能障碍或轻度功能障碍', grade: 10 },
    { code: '5.10.2(11)', text: '膝关节半月板损伤、膝关节交叉韧带损伤未做手术者', grade: 10 },
  ],
};

const FIGURES = { provincialPrivateAnnualWage: '72000' };

type Actor = { id: string; name: string };

/** One timed step of the year: the rows it writes and its audit entry. */
interface Step {
  at: string;
  order: number;
  /** Steps the product itself performs (issuing documents) run through the dispatcher. */
  rpc?: () => Promise<void>;
  write?: (w: Writer) => void;
}

// ---- time --------------------------------------------------------------------------------

/** An instant on a China date at hh:mm (ISO with +08:00, as chinaInstant writes). */
const at = (day: string, minutes: number) =>
  `${day}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00.000+08:00`;
const plusMinutes = (instant: string, m: number) => chinaInstant(new Date(Date.parse(instant) + m * 60_000));
const dayOf = (instant: string) => instant.slice(0, 10);
/** A planned time, but never before the step it follows. */
const notBefore = (prev: string, planned: string) => (planned > prev ? planned : plusMinutes(prev, 5));

function nextWorkingDay(rules: RuleData, day: string, n: number): string {
  let d = day;
  for (let left = n; left > 0;) {
    d = addDays(d, 1);
    if (rules.calendar.isWorkingDay(d)) left--;
  }
  return d;
}

// ---- the writer: prepared statements and the audit chain -------------------------------------

class Writer {
  private s: Record<string, BetterSqlite3.Statement>;
  private seq = 0;
  private prev = GENESIS_HASH;
  audited = 0;

  constructor(private sqlite: BetterSqlite3.Database) {
    const ins = (table: string, cols: string[]) =>
      sqlite.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
    this.s = {
      worker: ins('workers', ['id', 'name', 'id_number', 'phone', 'industry', 'platforms', 'created_at', 'updated_at']),
      case: ins('cases', [
        'id',
        'registration_no',
        'case_no',
        'status',
        'version',
        'worker_id',
        'accident_report_id',
        'accident_at',
        'accident_date',
        'place',
        'description',
        'injuries',
        'orders',
        'responsible_platform',
        'applicant_kind',
        'applicant_name',
        'application_date',
        'outpatient_only',
        'hospitalized',
        'facts_clear',
        'disputed',
        'traffic_accident',
        'exclusions',
        'also_work_injury_claim',
        'fast_track',
        'assessment',
        'registered_by',
        'registered_at',
        'supplement_requested_at',
        'supplement_due',
        'accepted_by',
        'accepted_at',
        'investigation',
        'decision_article',
        'decision_reason',
        'decided_by',
        'decided_at',
        'updated_at',
        'office',
      ]),
      material: ins('case_materials', ['case_id', 'code', 'label', 'required', 'received', 'note']),
      received: sqlite.prepare('UPDATE case_materials SET received = @received WHERE case_id = @case_id AND code = @code'),
      transition: ins('case_transitions', ['id', 'case_id', 'action', 'from_status', 'to_status', 'by_user', 'at', 'reason']),
      touch: sqlite.prepare('UPDATE cases SET version = @version, updated_at = @updated_at WHERE id = @id'),
      searchDel: sqlite.prepare('DELETE FROM case_search WHERE rowid = ?'),
      search: sqlite.prepare('INSERT INTO case_search (rowid, body) VALUES (?, ?)'),
      term: sqlite.prepare('INSERT OR IGNORE INTO case_search_terms (term, case_rowid) VALUES (?, ?)'),
      bill: ins('medical_bills', [
        'id',
        'case_id',
        'bill_date',
        'hospital',
        'invoice_no',
        'amount_fen',
        'eligible_fen',
        'submitted_date',
        'reimbursed_at',
        'entered_by',
        'entered_at',
        'payer',
      ]),
      reimburse: sqlite.prepare('UPDATE medical_bills SET reimbursed_at = ? WHERE id = ?'),
      request: ins('appraisal_requests', [
        'id',
        'request_no',
        'case_id',
        'kind',
        'level',
        'committee',
        'previous_conclusion_id',
        'requested_on',
        'requested_by',
        'reason',
        'precheck',
        'precheck_result',
        'prechecked_by',
        'prechecked_on',
        'complete_on',
        'extension_reason',
        'extended_by',
        'extended_on',
      ]),
      precheck: sqlite.prepare(
        'UPDATE appraisal_requests SET precheck = @precheck, precheck_result = @result, prechecked_by = @by, prechecked_on = @on, complete_on = @on WHERE id = @id',
      ),
      draw: ins('panel_draws', ['id', 'case_id', 'size', 'categories', 'seed', 'candidates', 'excluded', 'result', 'drawn_by', 'drawn_at']),
      hearing: ins('hearings', ['id', 'hearing_no', 'date', 'venue', 'committee', 'kind', 'created_by', 'created_at']),
      hearingCase: ins('hearing_cases', ['hearing_id', 'case_id', 'position']),
      attendance: sqlite.prepare(
        'UPDATE hearing_cases SET attendance = @attendance, findings = @findings, heard_at = @heard_at WHERE hearing_id = @hearing_id AND case_id = @case_id',
      ),
      opinion: ins('expert_opinions', [
        'hearing_id',
        'case_id',
        'expert_id',
        'items',
        'promotion_applied',
        'promotion_reason',
        'grade',
        'nursing_level',
        'recorded_by',
        'recorded_at',
      ]),
      conclusion: ins('appraisal_conclusions', [
        'id',
        'case_id',
        'hearing_id',
        'grade',
        'nursing_level',
        'items',
        'promotion',
        'advice',
        'proposal',
        'decision_reason',
        'leader_id',
        'signed_at',
        'request_id',
      ]),
      determination: ins('benefit_determinations', [
        'id',
        'case_id',
        'conclusion_id',
        'facts',
        'result',
        'status',
        'prepared_by',
        'prepared_at',
      ]),
      review: sqlite.prepare(
        "UPDATE benefit_determinations SET status = 'approved', reviewed_by = @by, reviewed_at = @at, review_reason = '' WHERE id = @id",
      ),
      audit: ins('audit_log', [
        'seq',
        'at',
        'actor_id',
        'actor_name',
        'method',
        'action',
        'entity',
        'entity_id',
        'summary',
        'prev_hash',
        'hash',
      ]),
      lastAudit: sqlite.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'),
      counter: sqlite.prepare(
        'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)',
      ),
    };
  }

  run(name: string, params: unknown): BetterSqlite3.RunResult {
    return this.s[name]!.run(params as never);
  }

  runArgs(name: string, ...params: unknown[]): BetterSqlite3.RunResult {
    return this.s[name]!.run(...(params as never[]));
  }

  /** Picks up the chain where the store left it (the dispatcher may have appended since). */
  resume(): void {
    const last = this.s.lastAudit!.get() as { seq: number; hash: string } | undefined;
    this.seq = last?.seq ?? 0;
    this.prev = last?.hash ?? GENESIS_HASH;
  }

  /** The audit entry of one call, as the dispatcher appends it: the method's label, the handler's note. */
  audit(atInstant: string, actor: Actor, method: MethodName, entity: string | null, entityId: string | null, summary: string): void {
    const r: AuditRecord = {
      at: atInstant,
      actorId: actor.id,
      actorName: actor.name,
      method,
      action: api[method].label,
      entity,
      entityId,
      summary,
    };
    const seq = ++this.seq;
    const hash = entryHash(seq, r, this.prev);
    this.s.audit!.run({
      seq,
      at: r.at,
      actor_id: r.actorId,
      actor_name: r.actorName,
      method: r.method,
      action: r.action,
      entity: r.entity,
      entity_id: r.entityId,
      summary: r.summary,
      prev_hash: this.prev,
      hash,
    });
    this.prev = hash;
    this.audited++;
  }

  counter(name: string, value: number): void {
    this.s.counter!.run(name, value);
  }
}

// ---- the case model -----------------------------------------------------------------------

interface CasePlan {
  id: string;
  rowid: number;
  office: string;
  clerk: Actor;
  reg: Registration;
  workerId: string;
  regNo: string;
  caseNo: string | null;
  status: CaseStatus;
  version: number;
  fastTrack: boolean;
  materials: { code: string; label: string }[];
  bills: { id: string; invoiceNo: string; hospital: string; amountFen: number; billDate: string; payer: 'fund' | 'platform' }[];
  requestId: string | null;
  requestNo: string | null;
  panel: { id: string; name: string }[];
  grade: number;
  conclusionId: string | null;
  conclusionSignedAt: string | null;
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/**
 * Bulk-written rows are not put in the sync outbox: a demo store is for trying and measuring the
 * desk, never for enrolling with a centre. The capture triggers still run (row versions and
 * tombstones are what the product writes); what they noted is dropped before the chunk commits,
 * where the dispatcher's commit hook would have turned it into mutations. The steps that go
 * through the dispatcher (setup, batch issuing) are in the outbox as usual.
 */
function leaveOutOfOutbox(sqlite: BetterSqlite3.Database): void {
  sqlite.prepare('DELETE FROM sync_capture').run();
}

export async function bulkFill(core: Core, opts: BulkFillOptions): Promise<BulkFillResult> {
  const t0 = Date.now();
  const seconds: Record<string, number> = {};
  const lap = (name: string, since: number) => (seconds[name] = Math.round((Date.now() - since) / 100) / 10);
  const operator = { asLocalOperator: '演示数据生成' };
  const call = async <N extends MethodName>(method: N, input: ApiInput<N>): Promise<unknown> => {
    const r = await core.dispatch({ method, input, ...operator });
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.result;
  };
  const now = opts.clock.now();
  const today = chinaInstant(now).slice(0, 10);
  const sqlite = core.store.sqlite;
  const rnd = seededRandom(opts.seed);

  const settings = await getSettings(core.store.db);
  const rules = await ruleData(core.store.db, settings.jurisdiction);
  const tag = await deviceTag(core.store.db);
  const platformNames = new Map(
    (sqlite.prepare('SELECT code, name FROM platforms').all() as { code: string; name: string }[]).map((p) => [p.code, p.name]),
  );
  const packStart = rules.packs
    .filter((p) => p.jurisdiction === rules.jurisdiction)
    .map((p) => p.effectiveFrom)
    .sort()[0];
  if (!packStart) throw new Error(`没有地区“${rules.jurisdiction}”的规则包`);
  // A year of applications, never before the first pack in force (plus a month for the accident).
  const start = [addDays(today, -365), addDays(packStart, 40)].sort()[1]!;
  const span = Math.max(1, Math.round((Date.parse(today) - Date.parse(start)) / 86_400_000));
  // The office was set up before the year began: accounts, experts and number blocks first,
  // through the contract like an administrator would, dated the day before.
  opts.clock.set(new Date(Date.parse(at(addDays(start, -1), 8 * 60 + 30))));
  // People, experts and number blocks, through the contract like an administrator would.
  const accounts: BulkAccount[] = [];
  const existing = new Set((sqlite.prepare('SELECT username FROM users').all() as { username: string }[]).map((u) => u.username));
  for (const u of [{ username: 'admin', displayName: '演示管理员', roles: ['admin'] as Role[] }, ...STAFF]) {
    if (existing.has(u.username)) continue;
    const password = `Demo-${randomBytes(6).toString('base64url')}-${Math.floor(Math.random() * 90 + 10)}`;
    await call('users.create', { ...u, password });
    accounts.push({ ...u, password });
  }
  const userRow = (username: string): Actor => {
    const r = sqlite.prepare('SELECT id, display_name FROM users WHERE username = ?').get(username) as { id: string; display_name: string };
    return { id: r.id, name: r.display_name };
  };
  const clerks = DEMO_OFFICES.map((_, i) => userRow(`clerk${i + 1}`));
  const officers = [userRow('officer1'), userRow('officer2'), userRow('officer3')];
  const secretary = userRow('secretary');
  const leader = userRow('leader');
  const bofficers = [userRow('bofficer1'), userRow('bofficer2')];
  const reviewer = userRow('reviewer');
  // Letters to a platform name its legal entity (notices refuse without one): made-up demo entities.
  const unnamed = sqlite
    .prepare("SELECT code, name, industry FROM platforms WHERE legal_name IS NULL OR legal_name = '' ORDER BY code")
    .all() as { code: string; name: string; industry: Platform['industry'] }[];
  for (const [i, pl] of unnamed.entries()) {
    const first17 = `91630100MA7DM${String(i + 1).padStart(4, '0')}`;
    await call('platforms.save', {
      code: pl.code,
      name: pl.name,
      industry: pl.industry,
      active: true,
      legalName: `${pl.name}（演示）科技有限公司`,
      creditCode: first17 + creditCodeCheckChar(first17),
    });
  }
  if ((sqlite.prepare('SELECT COUNT(*) n FROM experts').get() as { n: number }).n === 0)
    for (const e of EXPERTS) await call('experts.save', { id: null, ...e, available: true, platformTies: [] });
  const experts = (
    sqlite.prepare("SELECT id, name, organisation FROM experts WHERE available = 1 AND categories LIKE '%ortho%' ORDER BY name").all() as {
      id: string;
      name: string;
      organisation: string;
    }[]
  ).map((e) => ({ ...e }));

  for (const year of new Set([start.slice(0, 4), today.slice(0, 4)])) {
    for (const [series, pattern, issuer] of [
      ['appraisal', '宁劳鉴〔{year}〕{seq}号', settings.appraisalCommittee],
      ['benefits', '宁职伤待〔{year}〕{seq}号', settings.agencyName || '西宁市社会保险事业服务中心'],
    ] as const) {
      const has = sqlite.prepare('SELECT 1 FROM doc_number_blocks WHERE series = ? AND year = ?').get(series, Number(year));
      if (!has) await call('numbering.addBlock', { series, pattern, issuer, year: Number(year), first: 1, last: 99_999 });
    }
  }

  // ---- plan: every case's steps, in time order ------------------------------------------
  const tPlan = Date.now();
  const steps: Step[] = [];
  let order = 0;
  const step = (atInstant: string, write: (w: Writer) => void) => {
    if (atInstant <= chinaInstant(now)) steps.push({ at: atInstant, order: order++, write });
  };
  const usedIds = new Set<string>();
  const counters = new Map<string, number>();
  const next = (name: string) => {
    const n =
      (counters.get(name) ??
        (sqlite.prepare('SELECT value FROM counters WHERE name = ?').get(name) as { value: number } | undefined)?.value ??
        0) + 1;
    counters.set(name, n);
    return n;
  };
  const plans: CasePlan[] = [];
  const updates = new Map<string, BetterSqlite3.Statement>();
  const appraisalQueue: { plan: CasePlan; readyOn: string }[] = [];

  // Applications spread over the year, on working days, in time order.
  const applicationDays: string[] = [];
  for (let i = 0; i < opts.cases; i++) {
    let d = addDays(start, Math.floor(rnd() * span));
    while (!rules.calendar.isWorkingDay(d)) d = addDays(d, 1);
    applicationDays.push(d > today ? today : d);
  }
  applicationDays.sort();

  for (let i = 0; i < opts.cases; i++) {
    const appDay = applicationDays[i]!;
    const officeIdx = Math.floor(rnd() * DEMO_OFFICES.length);
    const clerk = clerks[officeIdx]!;
    const industry = pick(rnd, Object.keys(PLATFORMS_BY_INDUSTRY)) as Registration['worker']['industry'];
    const platform = pick(rnd, PLATFORMS_BY_INDUSTRY[industry]!);
    const byPlatform = rnd() < 0.6;
    // The accident falls within the packs' period too (before it the measures do not apply).
    const accidentDay = [addDays(appDay, -Math.floor(rnd() * (byPlatform ? 25 : 60))), packStart].sort()[1]!;
    const hour = 8 + Math.floor(rnd() * 13);
    const minute = Math.floor(rnd() * 60);
    const accidentAt = `${accidentDay}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    const name = pick(rnd, [...SURNAMES]) + pick(rnd, [...GIVEN]) + (rnd() < 0.6 ? pick(rnd, [...GIVEN]) : '');
    const outpatient = rnd() < 0.55;
    const finished =
      rnd() < 0.5 ? `${accidentDay}T${String(hour).padStart(2, '0')}:${String(Math.min(59, minute + 20)).padStart(2, '0')}` : null;
    const reg: Registration = {
      accidentReportId: null,
      worker: {
        name,
        idNumber: syntheticIdNumber(rnd, usedIds),
        phone: `1${pick(rnd, ['3', '5', '7', '8', '9'])}${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`,
        industry,
        platforms: [platform],
      },
      accident: {
        at: accidentAt,
        place: pick(rnd, PLACES),
        description: pick(rnd, STORIES),
        injuries: [pick(rnd, INJURIES)],
        orders: [
          {
            platform,
            orderNo: `${platform.toUpperCase().replace(/-/g, '').slice(0, 3)}${accidentDay.replace(/-/g, '')}${String(i).padStart(6, '0')}`,
            acceptedAt: `${accidentDay}T${String(hour - 1).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
            finishedAt: finished && finished >= accidentAt ? finished : null,
          },
        ],
        trafficAccident: rnd() < 0.4,
        exclusions: rnd() < 0.02 ? ['intoxication'] : [],
        alsoWorkInjuryClaim: false,
      },
      applicant: byPlatform
        ? { kind: 'platform', name: platformNames.get(platform) ?? platform, applicationDate: appDay }
        : { kind: 'worker', name, applicationDate: appDay },
      treatment: { outpatientOnly: outpatient, hospitalized: !outpatient, factsClear: rnd() < 0.8, disputed: rnd() < 0.1 },
    };
    const regAt = at(appDay, 8 * 60 + 30 + Math.floor(rnd() * 480));
    const assessment = assessRegistration(
      {
        today: appDay,
        idNumber: reg.worker.idNumber,
        accidentAt: reg.accident.at,
        applicationDate: appDay,
        applicantKind: reg.applicant.kind,
        orders: reg.accident.orders,
        exclusions: reg.accident.exclusions,
        alsoWorkInjuryClaim: false,
        treatment: reg.treatment,
        circumstance: { item: 'order' },
        platformNames,
      },
      rules,
    );
    const fastTrack = assessment.fastTrack.eligible;
    const materials = checklistFor({
      fastTrack,
      fastTrackMaterials: fastTrack ? fastTrackMaterials(rules, accidentDay) : [],
      trafficAccident: reg.accident.trafficAccident,
      applicantKind: reg.applicant.kind,
    }).map((m) => ({ code: m.code, label: m.label }));
    const year = appDay.slice(0, 4);
    const p: CasePlan = {
      id: '',
      rowid: 0,
      office: DEMO_OFFICES[officeIdx]!,
      clerk,
      reg,
      workerId: newId(),
      regNo: `DJ${year}-${tag}-${String(next(`registration-${year}`)).padStart(6, '0')}`,
      caseNo: null,
      status: 'registered',
      version: 1,
      fastTrack,
      materials,
      bills: [],
      requestId: null,
      requestNo: null,
      panel: [],
      grade: 10,
      conclusionId: null,
      conclusionSignedAt: null,
    };
    plans.push(p);
    const flags = [fastTrack ? '小伤快办' : null, assessment.timeliness.inTime ? null : '逾期申请'].filter(Boolean);

    step(regAt, (w) => {
      p.id = newId();
      w.run('worker', {
        id: p.workerId,
        name,
        id_number: reg.worker.idNumber,
        phone: reg.worker.phone,
        industry,
        platforms: JSON.stringify(reg.worker.platforms),
        created_at: regAt,
        updated_at: regAt,
      });
      p.rowid = Number(
        w.run('case', {
          id: p.id,
          registration_no: p.regNo,
          case_no: null,
          status: 'registered',
          version: 1,
          worker_id: p.workerId,
          accident_report_id: null,
          accident_at: `${reg.accident.at}:00+08:00`,
          accident_date: accidentDay,
          place: reg.accident.place,
          description: reg.accident.description,
          injuries: JSON.stringify(reg.accident.injuries),
          orders: JSON.stringify(reg.accident.orders),
          responsible_platform: assessment.responsiblePlatform.platform,
          applicant_kind: reg.applicant.kind,
          applicant_name: reg.applicant.name,
          application_date: appDay,
          outpatient_only: outpatient ? 1 : 0,
          hospitalized: outpatient ? 0 : 1,
          facts_clear: reg.treatment.factsClear ? 1 : 0,
          disputed: reg.treatment.disputed ? 1 : 0,
          traffic_accident: reg.accident.trafficAccident ? 1 : 0,
          exclusions: JSON.stringify(reg.accident.exclusions),
          also_work_injury_claim: 0,
          fast_track: fastTrack ? 1 : 0,
          assessment: JSON.stringify(assessment),
          registered_by: clerk.id,
          registered_at: regAt,
          supplement_requested_at: null,
          supplement_due: null,
          accepted_by: null,
          accepted_at: null,
          investigation: null,
          decision_article: null,
          decision_reason: null,
          decided_by: null,
          decided_at: null,
          updated_at: regAt,
          office: p.office,
        }).lastInsertRowid,
      );
      for (const m of materials) w.run('material', { case_id: p.id, code: m.code, label: m.label, required: 1, received: 0, note: '' });
      w.run('transition', {
        id: newId(),
        case_id: p.id,
        action: 'register',
        from_status: null,
        to_status: 'registered',
        by_user: clerk.id,
        at: regAt,
        reason: '',
      });
      index(w, p);
      w.audit(regAt, clerk, 'cases.register', 'case', p.id, `登记申请 ${p.regNo}${flags.length ? `（${flags.join('、')}）` : ''}`);
    });

    // How this case goes on; steps later than now are simply not taken yet.
    const roll = rnd();
    const supplement = roll < 0.12;
    const materialsAt = plusMinutes(regAt, 4);
    step(materialsAt, (w) => {
      const received = materials.map((m, k) => ({ code: m.code, received: !supplement || k === 0 }));
      for (const m of received) w.run('received', { case_id: p.id, code: m.code, received: m.received ? 1 : 0 });
      p.version++;
      w.run('touch', { id: p.id, version: p.version, updated_at: materialsAt });
      const n = received.filter((m) => m.received).length;
      w.audit(
        materialsAt,
        clerk,
        'cases.setMaterials',
        'case',
        p.id,
        `核对材料 ${p.regNo}：本次标记收到 ${n} 项、未收到 ${received.length - n} 项`,
      );
    });
    let cursor = plusMinutes(regAt, 8);
    if (supplement) {
      transitionStep(cursor, p, 'request_supplement', clerk, '');
      if (rnd() < 0.3) {
        transitionStep(at(addDays(appDay, 12 + Math.floor(rnd() * 10)), 600), p, 'withdraw', clerk, '申请人未补正，主动撤回申请');
        continue;
      }
      cursor = at(nextWorkingDay(rules, appDay, 2 + Math.floor(rnd() * 6)), 9 * 60 + Math.floor(rnd() * 300));
      step(plusMinutes(cursor, -2), (w) => {
        for (const m of materials) w.run('received', { case_id: p.id, code: m.code, received: 1 });
        p.version++;
        w.run('touch', { id: p.id, version: p.version, updated_at: plusMinutes(cursor, -2) });
        w.audit(
          plusMinutes(cursor, -2),
          clerk,
          'cases.setMaterials',
          'case',
          p.id,
          `核对材料 ${p.regNo}：本次标记收到 ${materials.length} 项、未收到 0 项`,
        );
      });
    } else if (roll < 0.15) {
      transitionStep(at(addDays(appDay, 1 + Math.floor(rnd() * 3)), 600), p, 'withdraw', clerk, '申请人主动撤回申请');
      continue;
    }
    // 受理: at the counter for 小伤快办, within two working days otherwise.
    const acceptAt = fastTrack
      ? cursor
      : notBefore(cursor, at(nextWorkingDay(rules, dayOf(cursor), Math.floor(rnd() * 3)), 9 * 60 + Math.floor(rnd() * 400)));
    transitionStep(acceptAt, p, 'accept', clerk, '');
    const nBills = 1 + Math.floor(rnd() * 5.5);
    for (let b = 0; b < nBills; b++) {
      const billAt = plusMinutes(acceptAt, 5 + b);
      const billDate = addDays(
        accidentDay,
        Math.min(b, Math.max(0, Math.round((Date.parse(appDay) - Date.parse(accidentDay)) / 86_400_000))),
      );
      const amountFen = 5_000 + Math.floor(rnd() * rnd() * 800_000);
      const bill = {
        id: newId(),
        invoiceNo: `E${accidentDay.replace(/-/g, '')}${String(i).padStart(6, '0')}${b}`,
        hospital: pick(rnd, HOSPITALS),
        amountFen,
        billDate,
        // 第十五条第三款: bills dated in the platform's late-filing period are the platform's (medical-bills.ts).
        payer:
          assessment.timeliness.platformBearsCostsFrom &&
          assessment.timeliness.platformBearsCostsTo &&
          billDate >= assessment.timeliness.platformBearsCostsFrom &&
          billDate <= assessment.timeliness.platformBearsCostsTo
            ? ('platform' as const)
            : ('fund' as const),
      };
      step(billAt, (w) => {
        p.bills.push(bill);
        w.run('bill', {
          id: bill.id,
          case_id: p.id,
          bill_date: bill.billDate,
          hospital: bill.hospital,
          invoice_no: bill.invoiceNo,
          amount_fen: amountFen,
          eligible_fen: amountFen,
          submitted_date: appDay,
          reimbursed_at: null,
          entered_by: clerk.id,
          entered_at: billAt,
          payer: bill.payer,
        });
        w.audit(
          billAt,
          clerk,
          'bills.add',
          'case',
          p.id,
          `录入医疗票据 ${bill.hospital} ${bill.invoiceNo}，金额 ${yuan(amountFen)} 元，可报销 ${yuan(amountFen)} 元`,
        );
      });
    }
    // 确认: within the 7 (facts clear) or 30 working days, a few late.
    const officer = officers[Math.floor(rnd() * officers.length)]!;
    const decisionDays = fastTrack ? 1 + Math.floor(rnd() * 3) : 2 + Math.floor(rnd() * (reg.treatment.factsClear ? 8 : 32));
    const decideAt = at(nextWorkingDay(rules, dayOf(acceptAt), decisionDays), 9 * 60 + Math.floor(rnd() * 420));
    const excluded = reg.accident.exclusions.length > 0 || rnd() < 0.06;
    if (excluded) {
      transitionStep(decideAt, p, 'not_confirm', officer, '经调查核实，不符合第十一条规定的情形', '第十二条');
      continue;
    }
    transitionStep(decideAt, p, 'confirm', officer, '执行平台订单任务期间受到事故伤害，事实清楚', '第十一条第一款第（一）项');
    // 零星报销 within the 7 working days, mostly.
    const payAt = notBefore(
      plusMinutes(decideAt, 30),
      at(
        nextWorkingDay(rules, dayOf(decideAt), fastTrack ? Math.floor(rnd() * 2) : 1 + Math.floor(rnd() * 9)),
        14 * 60 + Math.floor(rnd() * 120),
      ),
    );
    for (let b = 0; b < nBills; b++) {
      const reimburseAt = plusMinutes(payAt, b);
      step(reimburseAt, (w) => {
        const bill = p.bills[b]!;
        // The fund never reimburses the platform's bills (reimburseBill refuses them).
        if (bill.payer === 'platform') return;
        w.runArgs('reimburse', reimburseAt, bill.id);
        w.audit(reimburseAt, clerk, 'bills.reimburse', 'case', p.id, `医疗费报销：票据 ${bill.invoiceNo}`);
      });
    }
    if (fastTrack || rnd() < 0.45) {
      transitionStep(at(nextWorkingDay(rules, dayOf(payAt), 1), 16 * 60), p, 'close', clerk, '');
      continue;
    }
    transitionStep(plusMinutes(decideAt, 30), p, 'start_treatment', clerk, '');
    if (rnd() < 0.04) {
      transitionStep(at(addDays(dayOf(decideAt), 20 + Math.floor(rnd() * 40)), 600), p, 'terminate', clerk, '申请人下落不明，无法继续办理');
      continue;
    }
    if (rnd() < 0.8) {
      // Treatment ends without disability: the case is closed.
      transitionStep(at(nextWorkingDay(rules, addDays(dayOf(decideAt), 30 + Math.floor(rnd() * 60)), 1), 15 * 60), p, 'close', clerk, '');
      continue;
    }
    // 劳动能力鉴定: applied for after treatment, 预审 and a panel the next working day, then the next weekly hearing.
    const requestDay = nextWorkingDay(rules, addDays(dayOf(decideAt), 30 + Math.floor(rnd() * 90)), 0);
    const requestAt = at(requestDay, 10 * 60);
    transitionStep(requestAt, p, 'request_appraisal', secretary, '');
    const precheckAt = at(nextWorkingDay(rules, requestDay, 1), 9 * 60 + 30);
    const gradeRoll = rnd();
    p.grade = gradeRoll < 0.45 ? 10 : gradeRoll < 0.75 ? 9 : gradeRoll < 0.9 ? 8 : 7;
    step(precheckAt, (w) => {
      const pack = packFor(rules, accidentDay);
      const items = pack.appraisal.materials.map((m) => ({
        code: m.code,
        label: m.note ? `${m.label}（${m.note}）` : m.label,
        present: true,
        note: '',
      }));
      w.run('precheck', { id: p.requestId, precheck: JSON.stringify(items), result: 'complete', by: secretary.id, on: dayOf(precheckAt) });
      w.audit(precheckAt, secretary, 'appraisal.precheck', 'case', p.id, `鉴定材料预审（${p.requestNo}）：材料齐全`);
    });
    const drawAt = plusMinutes(precheckAt, 10);
    step(drawAt, (w) => {
      const seed = seedOf(rnd);
      const hospitals = new Set(p.bills.map((b) => b.hospital));
      const excludedExperts = experts
        .filter((e) => hospitals.has(e.organisation))
        .map((e) => ({ id: e.id, name: e.name, reason: `任职于为其治疗的医院（${e.organisation}）` }));
      const candidates = experts.filter((e) => !hospitals.has(e.organisation)).map((e) => ({ id: e.id, name: e.name }));
      p.panel = drawPanel(candidates, 3, seed);
      w.run('draw', {
        id: newId(),
        case_id: p.id,
        size: 3,
        categories: JSON.stringify(['ortho']),
        seed,
        candidates: JSON.stringify(candidates),
        excluded: JSON.stringify(excludedExperts),
        result: JSON.stringify(p.panel),
        drawn_by: secretary.id,
        drawn_at: drawAt,
      });
      w.audit(
        drawAt,
        secretary,
        'appraisal.drawPanel',
        'case',
        p.id,
        `随机抽取 3 名专家（种子 ${seed}，候选 ${candidates.length} 人，回避 ${excludedExperts.length} 人）：${p.panel.map((x) => x.name).join('、')}`,
      );
    });
    appraisalQueue.push({ plan: p, readyOn: dayOf(precheckAt) });
  }

  // ---- weekly hearings: each takes the prechecked cases waiting, up to 60 ------------------
  let hearings = 0;
  let documents = 0;
  const approvalDays = new Set<string>();
  appraisalQueue.sort((a, b) => (a.readyOn < b.readyOn ? -1 : a.readyOn > b.readyOn ? 1 : 0));
  let firstHearing = addDays(start, 14);
  while (dayOfWeek(firstHearing) !== 4) firstHearing = addDays(firstHearing, 1);
  let queueIdx = 0;
  for (
    let hearingDay = firstHearing;
    hearingDay <= addDays(today, 7) && queueIdx < appraisalQueue.length;
    hearingDay = addDays(hearingDay, 7)
  ) {
    const taken: CasePlan[] = [];
    while (queueIdx < appraisalQueue.length && appraisalQueue[queueIdx]!.readyOn <= addDays(hearingDay, -3) && taken.length < 60)
      taken.push(appraisalQueue[queueIdx++]!.plan);
    if (taken.length === 0) continue;
    if (addDays(hearingDay, -3) <= today) hearings++;
    const hearingId = newId();
    const year = hearingDay.slice(0, 4);
    const hearingNo = `JD${year}-${tag}-${String(next(`session-${year}`)).padStart(3, '0')}`;
    const createdAt = at(addDays(hearingDay, -3), 11 * 60);
    const venue = '劳动能力鉴定中心第一评定室';
    step(createdAt, (w) => {
      w.run('hearing', {
        id: hearingId,
        hearing_no: hearingNo,
        date: hearingDay,
        venue,
        committee: settings.appraisalCommittee,
        kind: 'initial',
        created_by: secretary.id,
        created_at: createdAt,
      });
      w.audit(
        createdAt,
        secretary,
        'hearings.create',
        'appraisal_session',
        hearingId,
        `创建鉴定专场 ${hearingNo}（${hearingDay}，${venue}）`,
      );
      taken.forEach((p, k) => w.run('hearingCase', { hearing_id: hearingId, case_id: p.id, position: k + 1 }));
      w.audit(
        plusMinutes(createdAt, 1),
        secretary,
        'hearings.assign',
        'appraisal_session',
        hearingId,
        `安排 ${taken.length} 件案件，专场共 ${taken.length} 件`,
      );
    });
    const signed: CasePlan[] = [];
    taken.forEach((p, k) => {
      const heardAt = at(hearingDay, 9 * 60 + k * 6);
      const absent = rnd() < 0.05;
      step(heardAt, (w) => {
        w.run('attendance', {
          hearing_id: hearingId,
          case_id: p.id,
          attendance: absent ? 'absent' : 'present',
          findings: absent ? '' : '伤情稳定，功能检查如病历所载',
          heard_at: heardAt,
        });
        w.audit(heardAt, secretary, 'hearings.attendance', 'case', p.id, `鉴定专场登记：${absent ? '本人缺席' : '本人到场'}`);
      });
      if (absent) return;
      const item = pick(rnd, ITEMS[p.grade]!);
      for (const [e, expert] of p.panel.entries()) {
        const opAt = plusMinutes(heardAt, 1 + e);
        step(opAt, (w) => {
          w.run('opinion', {
            hearing_id: hearingId,
            case_id: p.id,
            expert_id: expert.id,
            items: JSON.stringify([item]),
            promotion_applied: 0,
            promotion_reason: '',
            grade: p.grade,
            nursing_level: null,
            recorded_by: secretary.id,
            recorded_at: opAt,
          });
          w.audit(opAt, secretary, 'hearings.opinion', 'case', p.id, `记录专家 ${expert.name} 意见：${p.grade}级（${item.code}）`);
        });
      }
      const signAt = plusMinutes(heardAt, 5);
      step(signAt, (w) => {
        const proposal = panelProposal(p.panel.map((x) => ({ expertId: x.id, grade: p.grade, nursingLevel: null })));
        p.conclusionId = newId();
        p.conclusionSignedAt = signAt;
        w.run('conclusion', {
          id: p.conclusionId,
          case_id: p.id,
          hearing_id: hearingId,
          grade: p.grade,
          nursing_level: null,
          items: JSON.stringify([item]),
          promotion: JSON.stringify(combineGrades([{ grade: item.grade, itemCode: item.code }])),
          advice: '',
          proposal: JSON.stringify(proposal),
          decision_reason: '',
          leader_id: leader.id,
          signed_at: signAt,
          request_id: p.requestId,
        });
        transitionWrite(w, signAt, p, 'conclude_appraisal', leader, '');
        w.audit(signAt, leader, 'hearings.sign', 'case', p.id, `签发鉴定结论：${p.grade}级，生活自理障碍 无`);
      });
      signed.push(p);
    });
    // The secretary issues the hearing's 结论书 the next working day, in one batch action.
    const issueAt = at(nextWorkingDay(rules, hearingDay, 1), 9 * 60);
    if (opts.documents && signed.length > 0 && issueAt <= chinaInstant(now))
      steps.push({
        at: issueAt,
        order: order++,
        rpc: async () => {
          opts.clock.set(new Date(Date.parse(issueAt)));
          const r = await core.dispatch({ method: 'batch.issueConclusions', input: { hearingId }, asLocalOperator: secretary.name });
          if (!r.ok) throw new Error(r.error.message);
          const done = await core.deps.batchJobs.settled((r.result as { id: string }).id);
          documents += done.issued.length;
        },
      });
    // Benefits: prepared within a week of the conclusion, reviewed by someone else, notified.
    for (const p of signed) {
      if (rnd() < 0.15) continue;
      const officer = bofficers[Math.floor(rnd() * bofficers.length)]!;
      const prepareAt = at(nextWorkingDay(rules, hearingDay, 2 + Math.floor(rnd() * 4)), 10 * 60 + Math.floor(rnd() * 300));
      const reviewAt = at(nextWorkingDay(rules, dayOf(prepareAt), 1 + Math.floor(rnd() * 2)), 10 * 60 + Math.floor(rnd() * 300));
      const determinationId = newId();
      step(prepareAt, (w) => {
        const c = caseRow(sqlite, p.id);
        const facts = benefitFacts(c, rules, disabilityOutcome({ grade: p.grade, nursing_level: null, signed_at: p.conclusionSignedAt! }), {
          veteranOldInjury: false,
          figures: FIGURES,
        });
        const result: BenefitResult = computeBenefits(facts, packFor(rules, c.accident_date), { calendar: rules.calendar });
        w.run('determination', {
          id: determinationId,
          case_id: p.id,
          conclusion_id: p.conclusionId,
          facts: JSON.stringify(facts),
          result: JSON.stringify(result),
          status: 'prepared',
          prepared_by: officer.id,
          prepared_at: prepareAt,
        });
        w.audit(
          prepareAt,
          officer,
          'determinations.prepare',
          'case',
          p.id,
          `待遇核定（规则包 ${result.rulePack.id} ${result.rulePack.version}）：一次性合计 ${result.totals.once.all} 元，按月合计 ${result.totals.monthly.all} 元，待复核`,
        );
      });
      if (reviewAt <= chinaInstant(now)) approvalDays.add(dayOf(reviewAt));
      step(reviewAt, (w) => {
        w.run('review', { id: determinationId, by: reviewer.id, at: reviewAt });
        transitionWrite(w, reviewAt, p, 'determine_benefits', reviewer, '待遇核定经复核通过');
        w.audit(reviewAt, reviewer, 'determinations.review', 'case', p.id, '待遇复核：通过');
      });
    }
  }
  // Each day with approvals: the officer issues the approved notices the next working day, in one batch action.
  if (opts.documents) {
    for (const d of approvalDays) {
      const issueAt = at(nextWorkingDay(rules, d, 1), 8 * 60 + 45);
      if (issueAt > chinaInstant(now)) continue;
      steps.push({
        at: issueAt,
        order: order++,
        rpc: async () => {
          opts.clock.set(new Date(Date.parse(issueAt)));
          const r = await core.dispatch({ method: 'batch.issueDeterminations', input: {}, asLocalOperator: bofficers[0]!.name });
          if (!r.ok) return; // nothing pending that day
          const done = await core.deps.batchJobs.settled((r.result as { id: string }).id);
          documents += done.issued.length;
        },
      });
    }
  }
  lap('plan', tPlan);

  // ---- replay in time order ----------------------------------------------------------------
  const tWrite = Date.now();
  steps.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));
  const writer = new Writer(sqlite);
  const CHUNK = 20_000;
  let i = 0;
  let rendering = 0;
  while (i < steps.length) {
    if (steps[i]!.rpc) {
      const t = Date.now();
      await steps[i]!.rpc!();
      rendering += Date.now() - t;
      i++;
      continue;
    }
    const from = i;
    sqlite.transaction(() => {
      writer.resume();
      while (i < steps.length && i - from < CHUNK && !steps[i]!.rpc) {
        steps[i++]!.write!(writer);
      }
      // The projections are rebuilt once at the end (and the documents' own calls refresh theirs).
      sqlite.prepare('DELETE FROM case_dirty').run();
      leaveOutOfOutbox(sqlite);
    })();
    opts.onProgress?.('写入', i, steps.length);
  }
  opts.clock.set(now);
  sqlite.transaction(() => {
    for (const [name, value] of counters) writer.counter(name, value);
    leaveOutOfOutbox(sqlite);
  })();
  seconds.documents = Math.round(rendering / 100) / 10;
  lap('write', tWrite);
  seconds.write = Math.round((seconds.write! - seconds.documents) * 10) / 10;

  const tDerived = Date.now();
  await rebuildAll(core.store.db, opts.clock, { onProgress: (d, n) => opts.onProgress?.('统计与期限', d, n) });
  lap('projections', tDerived);
  lap('total', t0);

  const byStatus: Record<string, number> = {};
  for (const r of sqlite.prepare('SELECT status, COUNT(*) n FROM cases GROUP BY status').all() as { status: string; n: number }[])
    byStatus[r.status] = r.n;
  return {
    cases: opts.cases,
    bills: (sqlite.prepare('SELECT COUNT(*) n FROM medical_bills').get() as { n: number }).n,
    auditEntries: (sqlite.prepare('SELECT COUNT(*) n FROM audit_log').get() as { n: number }).n,
    hearings,
    conclusions: (sqlite.prepare('SELECT COUNT(*) n FROM appraisal_conclusions').get() as { n: number }).n,
    determinations: (sqlite.prepare("SELECT COUNT(*) n FROM benefit_determinations WHERE status = 'approved'").get() as { n: number }).n,
    documents,
    byStatus,
    accounts,
    seconds,
  };

  // ---- helpers over the plan ----------------------------------------------------------------

  function updateCase(sets: string[]): BetterSqlite3.Statement {
    const sql = `UPDATE cases SET ${sets.join(', ')} WHERE id = @id`;
    let st = updates.get(sql);
    if (!st) updates.set(sql, (st = sqlite.prepare(sql)));
    return st;
  }

  function index(w: Writer, p: CasePlan) {
    const entry = {
      caseId: p.id,
      workerName: p.reg.worker.name,
      idNumber: p.reg.worker.idNumber,
      phone: p.reg.worker.phone,
      registrationNo: p.regNo,
      caseNo: p.caseNo,
      orderNos: p.reg.accident.orders.map((o) => o.orderNo),
    };
    w.runArgs('searchDel', p.rowid);
    w.runArgs('search', p.rowid, searchBody(entry));
    for (const term of searchTerms(entry)) w.runArgs('term', term, p.rowid);
  }

  function transitionStep(atInstant: string, p: CasePlan, action: CaseAction, actor: Actor, reason: string, article?: string) {
    step(atInstant, (w) => {
      const before = p.status;
      transitionWrite(w, atInstant, p, action, actor, reason, article);
      w.audit(
        atInstant,
        actor,
        'cases.transition',
        'case',
        p.id,
        `${p.regNo} ${TRANSITIONS.find((x) => x.action === action)!.label}：${STATUS_LABELS[before]} → ${STATUS_LABELS[target(action)]}${reason ? `；理由：${reason.slice(0, 200)}` : ''}`,
      );
    });
  }

  /** A move's rows, as transitionCase writes them (the audit entry is the caller's). */
  function transitionWrite(w: Writer, atInstant: string, p: CasePlan, action: CaseAction, actor: Actor, reason: string, article?: string) {
    const to = target(action);
    const day = dayOf(atInstant);
    const sets: string[] = ['status = @status', 'version = @version', 'updated_at = @updated_at'];
    const params: Record<string, unknown> = { id: p.id, status: to, version: p.version + 1, updated_at: atInstant };
    switch (action) {
      case 'request_supplement':
        sets.push('supplement_requested_at = @sra', 'supplement_due = @sd');
        Object.assign(params, { sra: atInstant, sd: supplementDueDate(day, rules, p.reg.accident.at.slice(0, 10)) });
        break;
      case 'accept':
        p.caseNo = `SL${day.slice(0, 4)}-${tag}-${String(next(`case-${day.slice(0, 4)}`)).padStart(6, '0')}`;
        sets.push('case_no = @case_no', 'accepted_by = @by', 'accepted_at = @at');
        Object.assign(params, { case_no: p.caseNo, by: actor.id, at: atInstant });
        break;
      case 'confirm':
      case 'not_confirm':
        sets.push(
          'decision_article = @article',
          'decision_reason = @reason',
          'investigation = NULL',
          'decided_by = @by',
          'decided_at = @at',
        );
        Object.assign(params, { article: article ?? '', reason, by: actor.id, at: atInstant });
        break;
      default:
        break;
    }
    updateCase(sets).run(params);
    w.run('transition', {
      id: newId(),
      case_id: p.id,
      action,
      from_status: p.status,
      to_status: to,
      by_user: actor.id,
      at: atInstant,
      reason,
    });
    if (action === 'request_appraisal') {
      const year = day.slice(0, 4);
      p.requestId = newId();
      p.requestNo = `JS${year}-${tag}-${String(next(`appraisal-request-${year}`)).padStart(4, '0')}`;
      w.run('request', {
        id: p.requestId,
        request_no: p.requestNo,
        case_id: p.id,
        kind: 'initial',
        level: 'municipal',
        committee: settings.appraisalCommittee,
        previous_conclusion_id: null,
        requested_on: day,
        requested_by: actor.id,
        reason,
        precheck: null,
        precheck_result: null,
        prechecked_by: null,
        prechecked_on: null,
        complete_on: null,
        extension_reason: null,
        extended_by: null,
        extended_on: null,
      });
    }
    if (action === 'accept') index(w, p);
    p.version++;
    p.status = to;
  }
}

function target(action: CaseAction): CaseStatus {
  return TRANSITIONS.find((t) => t.action === action)!.to;
}

function seedOf(rnd: () => number): string {
  let s = '';
  for (let i = 0; i < 4; i++)
    s += Math.floor(rnd() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  return s;
}

function caseRow(sqlite: BetterSqlite3.Database, id: string) {
  return sqlite.prepare('SELECT * FROM cases WHERE id = ?').get(id) as CasesTable;
}
