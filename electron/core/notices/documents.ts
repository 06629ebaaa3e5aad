// Which issued documents are in force: an issued document is never changed, so voiding (作废) is
// a row of its own and every "is there already one?" question asks about the documents not voided.
// Also each document's recorded deliveries (送达) per party, which start the parties' clocks.
import type { Kysely } from 'kysely';
import type { Database, DeliveriesTable } from '../db-schema';

type Db = Kysely<Database>;

import { PARTY_LABELS, type PartyCode } from '../../../shared/cases/enums';

export { PARTY_LABELS };
export type Party = PartyCode;

/** Issued documents that were not voided. */
export function liveDocuments(db: Db) {
  return db
    .selectFrom('issued_documents')
    .where('issued_documents.id', 'not in', db.selectFrom('voided_documents').select('voided_documents.document_id'));
}

export async function isVoided(db: Db, documentId: string): Promise<boolean> {
  return !!(await db.selectFrom('voided_documents').select('document_id').where('document_id', '=', documentId).executeTakeFirst());
}

/** The latest document of a type about a subject (a determination, a delivery …), not voided. */
export async function liveDocumentFor(db: Db, type: string, subjectId: string) {
  return liveDocuments(db)
    .select(['issued_documents.id', 'issued_documents.document_no', 'issued_documents.issued_at'])
    .where('issued_documents.type', '=', type)
    .where('issued_documents.subject_id', '=', subjectId)
    .orderBy('issued_documents.issued_at', 'desc')
    .executeTakeFirst();
}

/** The latest voided document of a type about a subject: a new one is issued in its place. */
export async function voidedDocumentFor(db: Db, type: string, caseId: string | null, subjectId: string | null): Promise<string | null> {
  let q = db
    .selectFrom('issued_documents')
    .innerJoin('voided_documents', 'voided_documents.document_id', 'issued_documents.id')
    .select('issued_documents.id')
    .where('issued_documents.type', '=', type)
    .orderBy('voided_documents.voided_at', 'desc');
  q = subjectId ? q.where('issued_documents.subject_id', '=', subjectId) : q.where('issued_documents.case_id', '=', caseId);
  return (await q.executeTakeFirst())?.id ?? null;
}

export interface CaseDelivery {
  id: string;
  documentId: string;
  documentNo: string;
  type: string;
  issuedOn: string;
  party: Party;
  method: DeliveriesTable['method'];
  deliveredOn: string;
  receiver: string;
  receiptId: string | null;
}

/**
 * Deliveries in force for these cases: of documents not voided, whose 送达回证 was not voided
 * either (voiding the 回证 withdraws the delivery record), oldest first.
 */
export async function deliveriesOf(db: Db, caseIds: string[]): Promise<Map<string, CaseDelivery[]>> {
  const out = new Map<string, CaseDelivery[]>();
  if (caseIds.length === 0) return out;
  const voided = db.selectFrom('voided_documents').select('voided_documents.document_id');
  const rows = await db
    .selectFrom('deliveries')
    .innerJoin('issued_documents', 'issued_documents.id', 'deliveries.document_id')
    .select([
      'deliveries.id',
      'deliveries.case_id',
      'deliveries.document_id',
      'deliveries.party',
      'deliveries.method',
      'deliveries.delivered_on',
      'deliveries.receiver',
      'deliveries.receipt_id',
      'issued_documents.type',
      'issued_documents.document_no',
      'issued_documents.issued_at',
    ])
    .where('deliveries.case_id', 'in', caseIds)
    .where('deliveries.document_id', 'not in', voided)
    .where((eb) => eb.or([eb('deliveries.receipt_id', 'is', null), eb('deliveries.receipt_id', 'not in', voided)]))
    .orderBy('deliveries.delivered_on')
    .orderBy('deliveries.id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.case_id!) ?? out.set(r.case_id!, []).get(r.case_id!)!;
    list.push({
      id: r.id,
      documentId: r.document_id,
      documentNo: r.document_no,
      type: r.type,
      issuedOn: r.issued_at.slice(0, 10),
      party: r.party,
      method: r.method,
      deliveredOn: r.delivered_on,
      receiver: r.receiver,
      receiptId: r.receipt_id,
    });
  }
  return out;
}
