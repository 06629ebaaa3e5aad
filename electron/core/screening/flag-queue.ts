// The 疑点 list for the people who look into flags: every flag of a status (and rule), newest
// first, with the case it is on.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import type { FlagStatus } from '../../../shared/screening/rules';
import type { FlagQueueItem } from '../../../shared/api/methods/desk';

export const FLAG_QUEUE_LIMIT = 2000;

export async function flagQueue(db: Kysely<Database>, status: FlagStatus, code: string | null): Promise<FlagQueueItem[]> {
  let q = db
    .selectFrom('case_flags')
    .innerJoin('cases', 'cases.id', 'case_flags.case_id')
    .innerJoin('workers', 'workers.id', 'cases.worker_id')
    .leftJoin('users', 'users.id', 'case_flags.cleared_by')
    .selectAll('case_flags')
    .select([
      'cases.registration_no',
      'cases.case_no',
      'cases.office',
      'workers.name as worker_name',
      'users.display_name as cleared_by_name',
    ])
    .where('case_flags.status', '=', status)
    .orderBy('case_flags.raised_at', 'desc')
    .limit(FLAG_QUEUE_LIMIT);
  if (code) q = q.where('case_flags.code', '=', code);
  return (await q.execute()).map((r) => ({
    id: r.id,
    code: r.code,
    label: r.label,
    article: r.article,
    summary: r.summary,
    evidence: JSON.parse(r.evidence) as Record<string, string | number | null>,
    status: r.status,
    raisedAt: r.raised_at,
    lapsedAt: r.lapsed_at,
    clearedBy: r.cleared_by_name ?? null,
    clearedAt: r.cleared_at,
    clearReason: r.clear_reason,
    caseId: r.case_id,
    caseLabel: r.case_no ?? r.registration_no,
    workerName: r.worker_name,
    office: r.office ?? '',
  }));
}
