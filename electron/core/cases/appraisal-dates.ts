// Reads the dates the appraisal clocks run from, for a set of cases at once.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { NO_APPRAISAL_DATES, type AppraisalDates } from './intake-rules';

export async function appraisalDatesOf(db: Kysely<Database>, caseIds: string[]): Promise<Map<string, AppraisalDates>> {
  const out = new Map<string, AppraisalDates>();
  if (caseIds.length === 0) return out;
  const get = (id: string) => out.get(id) ?? out.set(id, { ...NO_APPRAISAL_DATES }).get(id)!;
  const requests = await db.selectFrom('case_transitions').select(['case_id', 'at']).where('case_id', 'in', caseIds).where('action', 'in', ['request_appraisal', 'request_reappraisal']).orderBy('at').execute();
  for (const r of requests) get(r.case_id).requestedOn = r.at.slice(0, 10);
  const conclusions = await db.selectFrom('appraisal_conclusions').select(['case_id', 'signed_at']).where('case_id', 'in', caseIds).orderBy('signed_at').execute();
  for (const r of conclusions) get(r.case_id).concludedOn = r.signed_at.slice(0, 10);
  const delivered = await db.selectFrom('issued_documents').select(['case_id', 'issued_at']).where('case_id', 'in', caseIds).where('type', '=', 'appraisal-conclusion').orderBy('issued_at').execute();
  for (const r of delivered) if (r.case_id) get(r.case_id).deliveredOn = r.issued_at.slice(0, 10);
  return out;
}
