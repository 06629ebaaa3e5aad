// Queues and the 临期/逾期 worklist: open cases with their statutory clocks, per role. Both read
// the clock projection (case_clocks, kept current in the same transaction as every change, see
// monitoring/derived.ts) through its index; only the rows shown are turned into days left.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaDate, type Clock } from '../clock';
import type { CaseDeadline, CaseSummary } from '../../../shared/api/methods/cases';
import type { CaseStatus } from '../../../shared/cases/lifecycle';
import type { Role } from '../../../shared/roles';
import { clockDaysLeft, clockStatus } from '../../../shared/monitoring/clocks';
import type { WorkCalendar } from '../../../shared/rules';
import { caseSummaries } from './case-file';
import type { RuleData } from './rule-data';

type Db = Kysely<Database>;

export const QUEUE_STATUSES: Record<'intake' | 'confirmation' | 'treatment' | 'appraisal' | 'benefits', CaseStatus[]> = {
  intake: ['registered', 'awaiting_supplement'],
  confirmation: ['accepted'],
  treatment: ['confirmed', 'in_treatment'],
  appraisal: ['awaiting_appraisal'],
  benefits: ['appraised', 'deceased'],
};

/** Which deadlines each role answers for. */
export const ROLE_DEADLINES: Partial<Record<Role, string[]>> = {
  intake_clerk: ['supplement', 'medical_reimbursement'],
  confirmation_officer: ['confirmation'],
  appraisal_secretary: ['treatment_period', 'appraisal_materials_notice', 'appraisal_conclusion', 'appraisal_delivery'],
  appraisal_leader: ['appraisal_conclusion'],
  benefit_officer: ['medical_reimbursement'],
};

/** At most this many rows in a queue or the worklist; the lists are virtualised. */
export const LIST_LIMIT = 2000;

/** The statuses whose clocks the worklist shows (a closed case's leftover clocks are not work). */
const WORKLIST_STATUSES: CaseStatus[] = [
  'registered',
  'awaiting_supplement',
  'accepted',
  'confirmed',
  'in_treatment',
  'awaiting_appraisal',
  'appraised',
  'benefits_determined',
  'deceased',
];

const SEVERITY: Record<CaseDeadline['status'], number> = { 逾期: 0, 临期: 1, 正常: 2 };

interface ClockRow {
  case_id: string;
  code: string;
  label: string;
  unit: string;
  due: string;
  near_from: string;
  certain: 0 | 1;
  article: string;
}

export function deadlineOf(r: ClockRow, today: string, cal: WorkCalendar): CaseDeadline {
  const stored = { code: r.code, due: r.due, nearFrom: r.near_from, unit: r.unit };
  return {
    code: r.code,
    label: r.label,
    due: r.due,
    daysLeft: clockDaysLeft(stored, today, cal),
    unit: r.unit,
    status: clockStatus(stored, today),
    certain: r.certain === 1,
    article: r.article,
  };
}

export async function caseQueue(
  db: Db,
  clock: Clock,
  rules: RuleData,
  queue: keyof typeof QUEUE_STATUSES,
): Promise<(CaseSummary & { deadline: CaseDeadline | null })[]> {
  const today = chinaDate(clock.now());
  // 小伤快办 first, then the nearest due date; read from the narrow facts projection (status,
  // 小伤快办) and the clock index, not from the wide case rows. Ids are UUIDv7: by registration.
  const ids = (
    await db
      .selectFrom('case_facts')
      .select([
        'case_facts.case_id',
        sql<string | null>`(SELECT MIN(due) FROM case_clocks WHERE case_clocks.case_id = case_facts.case_id)`.as('due'),
      ])
      .where('case_facts.status', 'in', QUEUE_STATUSES[queue])
      .orderBy('case_facts.fast_track', 'desc')
      .orderBy(sql`due IS NULL`)
      .orderBy('due')
      .orderBy('case_facts.case_id')
      .limit(LIST_LIMIT)
      .execute()
  ).map((r) => r.case_id);
  const summaries = await caseSummaries(db, ids);
  const clocks = ids.length === 0 ? [] : await db.selectFrom('case_clocks').selectAll().where('case_id', 'in', ids).execute();
  const nearest = new Map<string, CaseDeadline>();
  for (const c of clocks) {
    const d = deadlineOf(c, today, rules.calendar);
    const prev = nearest.get(c.case_id);
    if (!prev || d.daysLeft < prev.daysLeft) nearest.set(c.case_id, d);
  }
  return summaries.map((s) => ({ ...s, deadline: nearest.get(s.id) ?? null }));
}

export async function worklist(db: Db, clock: Clock, rules: RuleData, roles: Role[]) {
  const codes = new Set(roles.flatMap((r) => ROLE_DEADLINES[r] ?? []));
  if (roles.includes('admin')) for (const list of Object.values(ROLE_DEADLINES)) for (const c of list ?? []) codes.add(c);
  if (codes.size === 0) return [];
  const today = chinaDate(clock.now());
  // The clocks due first, from the index, with the status from the narrow facts projection;
  // then the people's names and numbers of just those cases.
  const rows = await db
    .selectFrom('case_clocks')
    .innerJoin('case_facts', 'case_facts.case_id', 'case_clocks.case_id')
    .select([
      'case_clocks.case_id',
      'case_clocks.code',
      'case_clocks.label',
      'case_clocks.unit',
      'case_clocks.due',
      'case_clocks.near_from',
      'case_clocks.certain',
      'case_clocks.article',
      'case_facts.status',
      'case_facts.fast_track',
    ])
    .where('case_clocks.near_from', '<=', today)
    .where('case_clocks.code', 'in', [...codes])
    .where('case_facts.status', 'in', WORKLIST_STATUSES)
    .orderBy('case_clocks.due')
    .limit(LIST_LIMIT)
    .execute();
  const ids = [...new Set(rows.map((r) => r.case_id))];
  const who = new Map<string, { registration_no: string; case_no: string | null; name: string }>();
  for (let i = 0; i < ids.length; i += 500)
    for (const r of await db
      .selectFrom('cases')
      .innerJoin('workers', 'workers.id', 'cases.worker_id')
      .select(['cases.id', 'cases.registration_no', 'cases.case_no', 'workers.name'])
      .where('cases.id', 'in', ids.slice(i, i + 500))
      .execute())
      who.set(r.id, r);
  return rows
    .map((r) => ({
      caseId: r.case_id,
      registrationNo: who.get(r.case_id)!.registration_no,
      caseNo: who.get(r.case_id)!.case_no,
      workerName: who.get(r.case_id)!.name,
      status: r.status as CaseStatus,
      fastTrack: r.fast_track === 1,
      deadline: deadlineOf(r, today, rules.calendar),
    }))
    .sort((a, b) => SEVERITY[a.deadline.status] - SEVERITY[b.deadline.status] || a.deadline.daysLeft - b.deadline.daysLeft);
}

/**
 * 我最近办理的案件: the cases this person registered or moved, most recently acted on first (read
 * from the transitions they made — registering is one — so a case comes back to the top each time
 * they act on it). Only their latest 2,000 transitions are read, newest first by rowid: a year's
 * store holds some 400,000, and reading all of a busy clerk's took 0.8 s without an index that
 * would cost the store 27 MB.
 */
export async function recentCases(db: Db, userId: string, limit: number): Promise<(CaseSummary & { lastActedAt: string })[]> {
  const rows = await sql<{ case_id: string; at: string }>`
    SELECT case_id, MAX(at) AS at FROM (
      SELECT case_id, at FROM case_transitions WHERE by_user = ${userId} ORDER BY rowid DESC LIMIT 2000
    ) GROUP BY case_id ORDER BY at DESC, case_id LIMIT ${limit}`.execute(db);
  const at = new Map(rows.rows.map((r) => [r.case_id, r.at]));
  const summaries = await caseSummaries(
    db,
    rows.rows.map((r) => r.case_id),
  );
  return summaries.map((s) => ({ ...s, lastActedAt: at.get(s.id) ?? s.registeredAt }));
}
