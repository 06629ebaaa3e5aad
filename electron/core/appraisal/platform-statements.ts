// The platform as a party that pays: per case, a 平台企业承担费用告知书 to the responsible platform's
// legal entity listing what it bears — 生活保障费 (第二十四条) and, when its application was late,
// the benefits and medical bills arising between the accident and the receipt of the application
// (第十五条第三款) — from the approved determination in force and the bills. Listed per platform.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { ApiError } from '../../../shared/api/errors';
import type { BenefitResult } from '../../../shared/rules';
import { fenToYuan, yuanToFen } from '../../../shared/rules';
import { loadCaseRow } from '../cases/case-file';
import { maskIdNumber } from '../cases/masking';
import { platformBorneRange } from '../cases/intake-rules';
import { platformAddressee } from '../cases/platform-party';
import { packFor, type RuleData } from '../cases/rule-data';
import { liveDocuments } from '../notices/documents';
import { getSettings } from '../settings';
import { chineseDate, regulationTitle } from '../../../shared/notices/layout';

type Db = Kysely<Database>;

export async function platformStatementData(db: Db, rules: RuleData, caseId: string) {
  const c = await loadCaseRow(db, caseId);
  const party = await platformAddressee(db, c.responsible_platform);
  if (!party) throw new ApiError('RULE_REFUSED', '本案没有确定的责任平台企业，不能出具平台企业承担费用告知书');
  const issued = await liveDocuments(db)
    .select('issued_documents.document_no')
    .where('issued_documents.case_id', '=', c.id)
    .where('issued_documents.type', '=', 'platform-statement')
    .executeTakeFirst();
  if (issued)
    throw new ApiError('CONFLICT', `本案的平台企业承担费用告知书已出具（${issued.document_no}）；费用有变化时请先作废原告知书再重新出具`);
  const pack = packFor(rules, c.accident_date);
  const determination = await db
    .selectFrom('benefit_determinations')
    .select('result')
    .where('case_id', '=', c.id)
    .where('status', '=', 'approved')
    .where('superseded_by', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const result = determination ? (JSON.parse(determination.result) as BenefitResult) : null;
  const items: { label: string; article: string; detail: string; amount: string }[] = [];
  for (const l of result?.lines ?? [])
    if (l.payer === 'platform' && l.period === 'once')
      items.push({ label: l.subject ? `${l.label}（${l.subject}）` : l.label, article: l.article, detail: l.formula, amount: l.amount });
  const range = platformBorneRange(c);
  const bills = await db
    .selectFrom('medical_bills')
    .selectAll()
    .where('case_id', '=', c.id)
    .where('payer', '=', 'platform')
    .orderBy('bill_date')
    .execute();
  for (const b of bills)
    items.push({
      label: `医疗费（${b.hospital}，票据 ${b.invoice_no}）`,
      article: pack.articles.lateApplicationCosts,
      detail: `${b.bill_date} 发生，可报销金额`,
      amount: fenToYuan(b.eligible_fen),
    });
  if (items.length === 0)
    throw new ApiError(
      'RULE_REFUSED',
      '本案没有由平台企业承担的费用：经复核通过的核定中没有平台企业支付的项目，也没有平台企业承担期间的医疗费票据',
    );
  const w = await db.selectFrom('workers').selectAll().where('id', '=', c.worker_id).executeTakeFirstOrThrow();
  const settings = await getSettings(db);
  const total = fenToYuan(items.reduce((s, i) => s + yuanToFen(i.amount), 0));
  return {
    type: 'platform-statement' as const,
    agency: settings.agencyName || '（经办机构名称未设置）',
    caseId: c.id,
    caseNo: c.case_no,
    person: { name: w.name, idNumberMasked: maskIdNumber(w.id_number) },
    platform: { name: party.name, legalName: party.legalName, creditCode: party.creditCode },
    accidentDate: c.accident_date,
    applicationDate: c.application_date,
    regulation: regulationTitle(pack.document),
    borne: range
      ? {
          ...range,
          article: pack.articles.lateApplicationCosts,
          reason: `事故发生于${chineseDate(c.accident_date)}，申请于${chineseDate(c.application_date)}收到，超过平台企业 ${pack.parameters.application.platformDays} 日的申请时限`,
        }
      : null,
    items,
    total,
  };
}

/** Every statement issued to a platform (or to all), newest first, voided ones marked. */
export async function listPlatformStatements(db: Db, platform?: string) {
  let q = db
    .selectFrom('issued_documents')
    .innerJoin('cases', 'cases.id', 'issued_documents.case_id')
    .innerJoin('workers', 'workers.id', 'cases.worker_id')
    .leftJoin('voided_documents', 'voided_documents.document_id', 'issued_documents.id')
    .select([
      'issued_documents.id',
      'issued_documents.document_no',
      'issued_documents.case_id',
      'issued_documents.issued_at',
      'issued_documents.data',
      'cases.case_no',
      'cases.responsible_platform',
      'workers.name',
      'voided_documents.voided_at',
    ])
    .where('issued_documents.type', '=', 'platform-statement')
    .orderBy('issued_documents.issued_at', 'desc');
  if (platform) q = q.where('cases.responsible_platform', '=', platform);
  const rows = await q.execute();
  return rows.map((r) => {
    const data = JSON.parse(r.data) as { platform: { name: string; legalName: string }; total: string };
    return {
      id: r.id,
      documentNo: r.document_no,
      caseId: r.case_id!,
      caseNo: r.case_no,
      workerName: r.name,
      platform: r.responsible_platform ?? '',
      platformName: data.platform.name,
      legalName: data.platform.legalName,
      total: data.total,
      issuedAt: r.issued_at,
      voided: r.voided_at !== null,
    };
  });
}
