// What a batch issues, in order: a hearing's signed conclusions whose 结论书 is not yet issued
// (by their position on the hearing), or the approved benefit determinations whose 待遇核定通知书
// is not yet issued (by approval time). Each item is issued by the ordinary issuing method.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { conclusionNoticeData } from '../appraisal/hearings';
import { determinationNoticeData } from '../appraisal/benefit-determination';
import type { BatchItem } from './batch-issue';

type Db = Kysely<Database>;

export async function conclusionItems(db: Db, hearingId: string): Promise<BatchItem[]> {
  const rows = await db
    .selectFrom('hearing_cases')
    .innerJoin('appraisal_conclusions', (j) =>
      j
        .onRef('appraisal_conclusions.hearing_id', '=', 'hearing_cases.hearing_id')
        .onRef('appraisal_conclusions.case_id', '=', 'hearing_cases.case_id'),
    )
    .innerJoin('cases', 'cases.id', 'hearing_cases.case_id')
    .innerJoin('workers', 'workers.id', 'cases.worker_id')
    .select(['hearing_cases.case_id', 'cases.case_no', 'cases.registration_no', 'workers.name'])
    .where('hearing_cases.hearing_id', '=', hearingId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('issued_documents')
            .select('issued_documents.id')
            .whereRef('issued_documents.case_id', '=', 'hearing_cases.case_id')
            .where('issued_documents.type', '=', 'appraisal-conclusion')
            .whereRef('issued_documents.issued_at', '>=', 'appraisal_conclusions.signed_at'),
        ),
      ),
    )
    .orderBy('hearing_cases.position')
    .execute();
  return rows.map((r) => ({
    label: `${r.case_no ?? r.registration_no} ${r.name}`,
    caseId: r.case_id,
    method: 'hearings.issueConclusion',
    input: { hearingId, caseId: r.case_id },
    data: () => conclusionNoticeData(db, hearingId, r.case_id),
  }));
}

export async function determinationItems(db: Db): Promise<BatchItem[]> {
  const rows = await db
    .selectFrom('benefit_determinations')
    .innerJoin('cases', 'cases.id', 'benefit_determinations.case_id')
    .innerJoin('workers', 'workers.id', 'cases.worker_id')
    .select(['benefit_determinations.id', 'benefit_determinations.case_id', 'cases.case_no', 'cases.registration_no', 'workers.name'])
    .where('benefit_determinations.status', '=', 'approved')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('issued_documents')
            .select('issued_documents.id')
            .whereRef('issued_documents.case_id', '=', 'benefit_determinations.case_id')
            .where('issued_documents.type', '=', 'benefit-determination')
            .whereRef('issued_documents.issued_at', '>=', 'benefit_determinations.reviewed_at'),
        ),
      ),
    )
    .orderBy('benefit_determinations.reviewed_at')
    .orderBy('benefit_determinations.id')
    .execute();
  return rows.map((r) => ({
    label: `${r.case_no ?? r.registration_no} ${r.name}`,
    caseId: r.case_id,
    method: 'determinations.issueNotice',
    input: { determinationId: r.id },
    data: () => determinationNoticeData(db, r.id),
  }));
}
