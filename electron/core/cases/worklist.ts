// Queues and the 临期/逾期 worklist: open cases with their statutory clocks, per role.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaDate, type Clock } from '../clock';
import type { CaseDeadline, CaseSummary } from '../../../shared/api/methods/cases';
import type { CaseStatus } from '../../../shared/cases/lifecycle';
import type { Role } from '../../../shared/roles';
import { caseSummaries } from './case-file';
import { caseDeadlines } from './intake-rules';
import { appraisalDatesOf } from './appraisal-dates';
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
const ROLE_DEADLINES: Partial<Record<Role, string[]>> = {
  intake_clerk: ['supplement', 'medical_reimbursement'],
  confirmation_officer: ['confirmation'],
  appraisal_secretary: ['treatment_period', 'appraisal_materials_notice', 'appraisal_conclusion', 'appraisal_delivery'],
  appraisal_leader: ['appraisal_conclusion'],
  benefit_officer: ['medical_reimbursement'],
};

const SEVERITY: Record<CaseDeadline['status'], number> = { 逾期: 0, 临期: 1, 正常: 2 };

async function nearestDeadlines(db: Db, rules: RuleData, today: string, caseIds: string[]): Promise<Map<string, CaseDeadline[]>> {
  const out = new Map<string, CaseDeadline[]>();
  if (caseIds.length === 0) return out;
  const rows = await db.selectFrom('cases').selectAll().where('id', 'in', caseIds).execute();
  const bills = await db.selectFrom('medical_bills').selectAll().where('case_id', 'in', caseIds).execute();
  const appraisal = await appraisalDatesOf(db, caseIds);
  for (const c of rows)
    out.set(
      c.id,
      caseDeadlines(
        c,
        bills.filter((b) => b.case_id === c.id),
        rules,
        today,
        appraisal.get(c.id),
      ),
    );
  return out;
}

export async function caseQueue(
  db: Db,
  clock: Clock,
  rules: RuleData,
  queue: keyof typeof QUEUE_STATUSES,
): Promise<(CaseSummary & { deadline: CaseDeadline | null })[]> {
  const ids = (
    await db.selectFrom('cases').select('id').where('status', 'in', QUEUE_STATUSES[queue]).orderBy('registered_at').limit(500).execute()
  ).map((r) => r.id);
  const summaries = await caseSummaries(db, ids);
  const deadlines = await nearestDeadlines(db, rules, chinaDate(clock.now()), ids);
  const withDeadline = summaries.map((s) => {
    const list = [...(deadlines.get(s.id) ?? [])].sort((a, b) => a.daysLeft - b.daysLeft);
    return { ...s, deadline: list[0] ?? null };
  });
  // Fast-track (小伤快办) first, then the most urgent clock.
  return withDeadline.sort(
    (a, b) => Number(b.fastTrack) - Number(a.fastTrack) || (a.deadline?.daysLeft ?? 9999) - (b.deadline?.daysLeft ?? 9999),
  );
}

export async function worklist(db: Db, clock: Clock, rules: RuleData, roles: Role[]) {
  const codes = new Set(roles.flatMap((r) => ROLE_DEADLINES[r] ?? []));
  if (roles.includes('admin')) for (const list of Object.values(ROLE_DEADLINES)) for (const c of list ?? []) codes.add(c);
  if (codes.size === 0) return [];
  const open: CaseStatus[] = [
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
  const ids = (await db.selectFrom('cases').select('id').where('status', 'in', open).limit(5000).execute()).map((r) => r.id);
  const deadlines = await nearestDeadlines(db, rules, chinaDate(clock.now()), ids);
  const summaries = new Map((await caseSummaries(db, ids)).map((s) => [s.id, s]));
  const items = [];
  for (const [caseId, list] of deadlines) {
    const s = summaries.get(caseId)!;
    for (const d of list) {
      if (!codes.has(d.code) || d.status === '正常') continue;
      items.push({
        caseId,
        registrationNo: s.registrationNo,
        caseNo: s.caseNo,
        workerName: s.workerName,
        status: s.status,
        fastTrack: s.fastTrack,
        deadline: d,
      });
    }
  }
  return items
    .sort((a, b) => SEVERITY[a.deadline.status] - SEVERITY[b.deadline.status] || a.deadline.daysLeft - b.deadline.daysLeft)
    .slice(0, 200);
}
