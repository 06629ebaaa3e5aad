// Reads the dates the appraisal clocks run from, for a set of cases at once: the latest
// 鉴定申请 of each case, its latest signed conclusion, the issue of its 结论书 (not voided) and the
// day each party received it (送达).
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { NO_APPRAISAL_DATES, type AppraisalDates } from './intake-rules';
import { deliveriesOf, liveDocuments } from '../notices/documents';

export async function appraisalDatesOf(db: Kysely<Database>, caseIds: string[]): Promise<Map<string, AppraisalDates>> {
  const out = new Map<string, AppraisalDates>();
  if (caseIds.length === 0) return out;
  const get = (id: string) => out.get(id) ?? out.set(id, { ...NO_APPRAISAL_DATES, delivered: {} }).get(id)!;
  // Ids are UUIDv7, so ordering by id is ordering by creation.
  const requests = await db.selectFrom('appraisal_requests').selectAll().where('case_id', 'in', caseIds).orderBy('id').execute();
  for (const r of requests) {
    Object.assign(get(r.case_id), {
      requestedOn: r.requested_on,
      precheckedOn: r.prechecked_on,
      completeOn: r.complete_on,
      extended: r.extension_reason !== null,
      requestKind: r.kind,
      requestClosed: r.closed_on !== null,
    });
  }
  const conclusions = await db
    .selectFrom('appraisal_conclusions')
    .select(['case_id', 'signed_at'])
    .where('case_id', 'in', caseIds)
    .orderBy('signed_at')
    .execute();
  for (const r of conclusions) get(r.case_id).concludedOn = r.signed_at.slice(0, 10);
  // The latest conclusion's 结论书: an earlier round's does not count, nor a voided one.
  const issued = await liveDocuments(db)
    .select(['issued_documents.id', 'issued_documents.case_id', 'issued_documents.issued_at'])
    .where('issued_documents.case_id', 'in', caseIds)
    .where('issued_documents.type', '=', 'appraisal-conclusion')
    .orderBy('issued_documents.issued_at')
    .execute();
  const conclusionDoc = new Map<string, string>();
  for (const r of issued) {
    const d = r.case_id ? get(r.case_id) : null;
    if (d?.concludedOn && r.issued_at.slice(0, 10) >= d.concludedOn) {
      d.issuedOn = r.issued_at.slice(0, 10);
      conclusionDoc.set(r.case_id!, r.id);
    }
  }
  const deliveries = await deliveriesOf(db, [...conclusionDoc.keys()]);
  for (const [caseId, docId] of conclusionDoc) {
    const d = get(caseId);
    for (const x of deliveries.get(caseId) ?? []) if (x.documentId === docId) d.delivered[x.party] ??= x.deliveredOn;
  }
  return out;
}
