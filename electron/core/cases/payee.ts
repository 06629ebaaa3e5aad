// The payee account of a case (收款人, 开户银行, 账号): recorded at registration or later on the
// case page, shown whole only to the roles that pay (shared/cases/access.ts), and read by the
// 待遇核定通知书's 支付方式 paragraph. A change once a determination is approved needs a reason:
// the money may already be on its way to the old account.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { ApiError } from '../../../shared/api/errors';
import type { User } from '../../../shared/api/methods/auth';
import type { CaseDetail } from '../../../shared/api/methods/cases';
import type { CaseRights } from '../../../shared/cases/access';
import { payeeInputSchema, type PayeeInput } from '../../../shared/api/methods/cases';
import { maskAccount } from './masking';

type Db = Kysely<Database>;

export interface PayeeAccount {
  name: string;
  bank: string;
  account: string;
}

export async function payeeOf(db: Db, caseId: string): Promise<PayeeAccount | null> {
  const r = await db.selectFrom('case_payees').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  return r ? { name: r.payee_name, bank: r.bank, account: r.account } : null;
}

/** Whether a benefit determination of the case has been approved (a change then needs a reason). */
export async function payeeLocked(db: Db, caseId: string): Promise<boolean> {
  const r = await db
    .selectFrom('benefit_determinations')
    .select('id')
    .where('case_id', '=', caseId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return r !== undefined;
}

/** Records or replaces the account; returns what the audit entry says (never the full number). */
export async function setPayee(
  db: Db,
  clock: Clock,
  user: User,
  caseId: string,
  given: PayeeInput,
  reason: string,
): Promise<{ summary: string }> {
  const p = payeeInputSchema.parse(given);
  const before = await db.selectFrom('case_payees').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  if (before && before.payee_name === p.name && before.bank === p.bank && before.account === p.account)
    throw new ApiError('RULE_REFUSED', '收款账户与登记的一致，无需保存');
  if (before && reason.trim().length === 0 && (await payeeLocked(db, caseId)))
    throw new ApiError('RULE_REFUSED', '本案待遇核定已审核通过，变更收款账户须填写变更理由');
  const now = chinaInstant(clock.now());
  const row = { payee_name: p.name, bank: p.bank, account: p.account, change_reason: reason.trim(), updated_by: user.id, updated_at: now };
  if (before) await db.updateTable('case_payees').set(row).where('case_id', '=', caseId).execute();
  else
    await db
      .insertInto('case_payees')
      .values({ case_id: caseId, ...row })
      .execute();
  const what = `收款人 ${p.name}，${p.bank}，账号${maskAccount(p.account)}`;
  return {
    summary: before
      ? `变更收款账户（原 ${before.bank} ${maskAccount(before.account)}）：${what}${reason.trim() ? `；理由：${reason.trim().slice(0, 200)}` : ''}`
      : `登记收款账户：${what}`,
  };
}

/** The account as the person looking may see it. */
export async function shownPayee(db: Db, caseId: string, rights: CaseRights): Promise<CaseDetail['payee']> {
  const r = await db.selectFrom('case_payees').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  if (!r) return null;
  const by = r.updated_by
    ? await db.selectFrom('users').select('display_name').where('id', '=', r.updated_by).executeTakeFirst()
    : undefined;
  return {
    name: r.payee_name,
    bank: r.bank,
    account: rights.payeeAccount ? r.account : maskAccount(r.account),
    accountMasked: !rights.payeeAccount,
    updatedAt: r.updated_at,
    updatedByName: by?.display_name ?? '—',
  };
}
