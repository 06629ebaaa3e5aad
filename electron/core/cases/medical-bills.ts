// 零星报销: medical bills entered per case. Amounts are integer fen; an invoice number is
// unique per hospital so the same bill cannot be paid twice. A bill dated between the accident and
// the receipt of a late application is the platform's (第十五条第三款): it goes on the platform's
// statement and the fund does not reimburse it.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaDate, chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { loadCaseRow } from './case-file';
import { platformBorneRange } from './intake-rules';
import { yuanToFen } from '../../../shared/rules';

type Db = Kysely<Database>;

const BILLABLE = ['accepted', 'confirmed', 'in_treatment', 'awaiting_appraisal', 'appraised', 'benefits_determined', 'deceased'];

export async function addBill(
  db: Db,
  clock: Clock,
  userId: string,
  b: { caseId: string; billDate: string; hospital: string; invoiceNo: string; amount: string; eligible: string; submittedDate: string },
): Promise<string> {
  const c = await loadCaseRow(db, b.caseId);
  if (!BILLABLE.includes(c.status)) throw new ApiError('RULE_REFUSED', '案件受理后才能录入医疗费票据');
  const amount = yuanToFen(b.amount);
  const eligible = yuanToFen(b.eligible);
  if (amount <= 0) throw new ApiError('INVALID_INPUT', '票据金额必须大于 0', [{ path: 'amount', message: '金额必须大于 0' }]);
  if (eligible > amount)
    throw new ApiError('INVALID_INPUT', '可报销金额不能大于票据金额', [{ path: 'eligible', message: '不能大于票据金额' }]);
  const today = chinaDate(clock.now());
  if (b.billDate > today || b.submittedDate > today) throw new ApiError('INVALID_INPUT', '票据日期和提交日期不能晚于今天');
  if (b.billDate < c.accident_date)
    throw new ApiError('INVALID_INPUT', '票据日期早于事故日期，请核对', [{ path: 'billDate', message: '早于事故日期' }]);
  if (b.submittedDate < b.billDate)
    throw new ApiError('INVALID_INPUT', '提交日期不能早于票据日期', [{ path: 'submittedDate', message: '早于票据日期' }]);
  const dup = await db
    .selectFrom('medical_bills')
    .select(['case_id'])
    .where('hospital', '=', b.hospital)
    .where('invoice_no', '=', b.invoiceNo)
    .executeTakeFirst();
  if (dup)
    throw new ApiError('CONFLICT', `${b.hospital} 的票据号 ${b.invoiceNo} 已经录入过，不能重复报销`, [
      { path: 'invoiceNo', message: '该医院的票据号已录入' },
    ]);
  const range = platformBorneRange(c);
  const payer = range && b.billDate >= range.from && b.billDate <= range.to ? ('platform' as const) : ('fund' as const);
  const id = newId();
  await db
    .insertInto('medical_bills')
    .values({
      id,
      case_id: b.caseId,
      bill_date: b.billDate,
      hospital: b.hospital,
      invoice_no: b.invoiceNo,
      amount_fen: amount,
      eligible_fen: eligible,
      submitted_date: b.submittedDate,
      reimbursed_at: null,
      entered_by: userId,
      entered_at: chinaInstant(clock.now()),
      payer,
    })
    .execute();
  return id;
}

export async function reimburseBill(db: Db, clock: Clock, billId: string): Promise<{ caseId: string; invoiceNo: string }> {
  const bill = await db.selectFrom('medical_bills').selectAll().where('id', '=', billId).executeTakeFirst();
  if (!bill) throw new ApiError('NOT_FOUND', '票据不存在');
  if (bill.reimbursed_at) throw new ApiError('CONFLICT', '该票据已经报销，不能重复报销');
  if (bill.payer === 'platform')
    throw new ApiError(
      'RULE_REFUSED',
      `票据 ${bill.invoice_no} 的日期在平台企业逾期申请期间，依第十五条第三款由平台企业承担，已列入平台企业费用清单，基金不予报销`,
    );
  const c = await loadCaseRow(db, bill.case_id);
  if (!['confirmed', 'in_treatment', 'awaiting_appraisal', 'appraised', 'benefits_determined', 'deceased'].includes(c.status)) {
    throw new ApiError('RULE_REFUSED', '案件确认为职业伤害后才能报销医疗费');
  }
  await db
    .updateTable('medical_bills')
    .set({ reimbursed_at: chinaInstant(clock.now()) })
    .where('id', '=', billId)
    .execute();
  return { caseId: bill.case_id, invoiceNo: bill.invoice_no };
}
