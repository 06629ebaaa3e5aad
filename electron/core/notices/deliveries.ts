// 送达: each decision notice is delivered to each party separately — the worker's side and the
// responsible platform's legal entity — by a method (直接, 邮寄, 电子, 公告), on a day, to a receiver.
// Recording one issues its signed 送达回证, and the day starts that party's clocks (补正 10 days,
// 再次鉴定 15 days, 行政复议 60 days, 行政诉讼 6 months). A wrong record is withdrawn by voiding its
// 回证; it can then be recorded again.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaDate, chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import type { User } from '../../../shared/api/methods/auth';
import { NOTICE_LABELS, type NoticeType } from '../../../shared/notices/schemas';
import { loadCaseRow } from '../cases/case-file';
import { maskIdNumber } from '../cases/masking';
import { applicantParty, supplementDueDate } from '../cases/intake-rules';
import type { RuleData } from '../cases/rule-data';
import { getSettings } from '../settings';
import { deliveriesOf, isVoided, PARTY_LABELS, type Party } from './documents';
import { issueNotice, type IssueResult } from './notice-service';
import { platformAddressee } from '../cases/platform-party';

type Db = Kysely<Database>;

/** Documents that are not delivered to the parties. */
const NOT_DELIVERED: readonly string[] = ['session-report', 'delivery-receipt'];

export interface DeliveryInput {
  documentId: string;
  party: Party;
  method: 'direct' | 'mail' | 'electronic' | 'public_notice';
  deliveredOn: string;
  receiver: string;
  note: string;
  requestId?: string | undefined;
}

export async function recordDelivery(
  db: Db,
  clock: Clock,
  dataDir: string,
  rules: RuleData,
  user: User,
  input: DeliveryInput,
): Promise<{ id: string; receipt: IssueResult; documentNo: string; caseId: string }> {
  if (input.requestId) {
    const seen = await db
      .selectFrom('deliveries')
      .innerJoin('issued_documents', 'issued_documents.id', 'deliveries.receipt_id')
      .select([
        'deliveries.id',
        'deliveries.case_id',
        'issued_documents.id as receipt',
        'issued_documents.document_no',
        'issued_documents.pdf_sha256',
      ])
      .where('issued_documents.client_request_id', '=', input.requestId)
      .executeTakeFirst();
    if (seen)
      return {
        id: seen.id,
        caseId: seen.case_id!,
        documentNo: seen.document_no,
        receipt: { id: seen.receipt, type: 'delivery-receipt', documentNo: seen.document_no, sha256: seen.pdf_sha256, repeated: true },
      };
  }
  const doc = await db.selectFrom('issued_documents').selectAll().where('id', '=', input.documentId).executeTakeFirst();
  if (!doc) throw new ApiError('NOT_FOUND', '文书不存在');
  if (await isVoided(db, doc.id)) throw new ApiError('RULE_REFUSED', `文书 ${doc.document_no} 已作废，不能送达；请送达重新出具的文书`);
  if (NOT_DELIVERED.includes(doc.type) || !doc.case_id)
    throw new ApiError('RULE_REFUSED', `${NOTICE_LABELS[doc.type as NoticeType]}不需要登记送达`);
  const c = await loadCaseRow(db, doc.case_id);
  const today = chinaDate(clock.now());
  const field = (message: string) => [{ path: 'deliveredOn', message }];
  if (input.deliveredOn > today) throw new ApiError('INVALID_INPUT', `送达日期 ${input.deliveredOn} 晚于今天，请核对`, field('晚于今天'));
  if (input.deliveredOn < doc.issued_at.slice(0, 10))
    throw new ApiError(
      'INVALID_INPUT',
      `送达日期 ${input.deliveredOn} 早于文书出具日期 ${doc.issued_at.slice(0, 10)}，请核对`,
      field('早于出具日期'),
    );
  const live = (await deliveriesOf(db, [c.id])).get(c.id) ?? [];
  const already = live.find((d) => d.documentId === doc.id && d.party === input.party);
  if (already)
    throw new ApiError(
      'CONFLICT',
      `${doc.document_no} 已于 ${already.deliveredOn} 送达${PARTY_LABELS[input.party]}；如记录有误，请作废其送达回证后重新登记`,
    );
  const worker = await db.selectFrom('workers').select(['name', 'id_number']).where('id', '=', c.worker_id).executeTakeFirstOrThrow();
  let addressee: string;
  if (input.party === 'platform') {
    const p = await platformAddressee(db, c.responsible_platform);
    if (!p) throw new ApiError('RULE_REFUSED', '本案没有确定的责任平台企业，不能向平台企业送达');
    addressee = p.legalName;
  } else {
    const died = await db.selectFrom('case_deaths').select('case_id').where('case_id', '=', c.id).executeTakeFirst();
    addressee =
      (doc.type === 'acceptance' || doc.type === 'supplement') && c.applicant_kind !== 'platform'
        ? c.applicant_name
        : died
          ? `${worker.name}的近亲属`
          : worker.name;
  }
  // The 回证 is issued first and the delivery then written once, naming it: a delivery record is
  // never changed after it is written (it travels append-only). The 回证 takes its document's
  // number and the party; a re-recorded delivery (after a voided 回证) gets the next suffix, so no
  // number is ever given twice.
  const id = newId();
  const stem = `${doc.document_no}·送达回证（${input.party === 'platform' ? '平台企业' : '本人'}）`;
  const earlier = await db
    .selectFrom('deliveries')
    .select('id')
    .where('document_id', '=', doc.id)
    .where('party', '=', input.party)
    .execute();
  const settings = await getSettings(db);
  const receipt = await issueNotice(db, clock, dataDir, {
    data: {
      type: 'delivery-receipt',
      agency: settings.agencyName || '（经办机构名称未设置）',
      caseId: c.id,
      caseNo: c.case_no,
      person: { name: worker.name, idNumberMasked: maskIdNumber(worker.id_number) },
      document: { label: NOTICE_LABELS[doc.type as NoticeType], documentNo: doc.document_no, issuedOn: doc.issued_at.slice(0, 10) },
      party: input.party,
      addressee,
      method: input.method,
      deliveredOn: input.deliveredOn,
      receiver: input.receiver.trim(),
      note: input.note.trim(),
    },
    caseId: c.id,
    subjectId: id,
    requestId: input.requestId ?? null,
    documentNo: earlier.length === 0 ? stem : `${stem}之${earlier.length + 1}`,
    signer: { id: user.id, name: user.displayName },
  });
  await db
    .insertInto('deliveries')
    .values({
      id,
      document_id: doc.id,
      case_id: c.id,
      party: input.party,
      method: input.method,
      delivered_on: input.deliveredOn,
      receiver: input.receiver.trim(),
      note: input.note.trim(),
      receipt_id: receipt.id,
      recorded_by: user.id,
      recorded_at: chinaInstant(clock.now()),
    })
    .execute();
  // 补正: the 10 days run from the applicant's receipt of the notice (第十五条第一款).
  if (doc.type === 'supplement' && input.party === applicantParty(c) && c.status === 'awaiting_supplement')
    await db
      .updateTable('cases')
      .set({
        supplement_due: supplementDueDate(input.deliveredOn, rules, c.accident_date),
        version: c.version + 1,
        updated_at: chinaInstant(clock.now()),
      })
      .where('id', '=', c.id)
      .execute();
  return {
    id,
    caseId: c.id,
    documentNo: doc.document_no,
    receipt: { id: receipt.id, type: 'delivery-receipt', documentNo: receipt.documentNo, sha256: receipt.sha256, repeated: false },
  };
}

export async function listDeliveries(db: Db, caseId: string) {
  const voided = new Set((await db.selectFrom('voided_documents').select('document_id').execute()).map((r) => r.document_id));
  const rows = await db
    .selectFrom('deliveries')
    .innerJoin('issued_documents', 'issued_documents.id', 'deliveries.document_id')
    .innerJoin('users', 'users.id', 'deliveries.recorded_by')
    .select([
      'deliveries.id',
      'deliveries.document_id',
      'deliveries.party',
      'deliveries.method',
      'deliveries.delivered_on',
      'deliveries.receiver',
      'deliveries.note',
      'deliveries.receipt_id',
      'issued_documents.type',
      'issued_documents.document_no',
      'users.display_name',
    ])
    .where('deliveries.case_id', '=', caseId)
    .orderBy('deliveries.recorded_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    documentId: r.document_id,
    documentNo: r.document_no,
    typeLabel: NOTICE_LABELS[r.type as NoticeType] ?? r.type,
    party: r.party,
    method: r.method,
    deliveredOn: r.delivered_on,
    receiver: r.receiver,
    note: r.note,
    receiptId: r.receipt_id,
    recordedByName: r.display_name,
    live: !voided.has(r.document_id) && !(r.receipt_id && voided.has(r.receipt_id)),
  }));
}
