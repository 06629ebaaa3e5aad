// The data each intake document needs (受理通知书, 一次性补正告知书, 职业伤害确认结论书 and
// 不予确认), complete and in one call, for the notice service to render. One document of each
// type is in force per case: another is issued only after the first was voided (作废).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { ApiError } from '../../../shared/api/errors';
import { APPLICANT_LABELS } from '../../../shared/cases/enums';
import type { IntakeNoticeType } from '../../../shared/notices/schemas';
import { getSettings } from '../settings';
import { loadCaseRow } from './case-file';
import { maskIdNumber } from './masking';
import { statusBlocks } from './notice-issuers';
import { liveDocuments } from '../notices/documents';
import { platformAddressee } from './platform-party';
import { regulationFor } from './rule-data';

type Db = Kysely<Database>;

export async function intakeDocumentData(
  db: Db,
  caseId: string,
  type: IntakeNoticeType,
  forIssue = false,
): Promise<Record<string, unknown>> {
  const c = await loadCaseRow(db, caseId);
  const blocked = statusBlocks(c, type);
  if (blocked) throw new ApiError('RULE_REFUSED', blocked);
  const issued =
    forIssue &&
    (await liveDocuments(db)
      .select('issued_documents.document_no')
      .where('issued_documents.case_id', '=', caseId)
      .where('issued_documents.type', '=', type)
      .executeTakeFirst());
  if (issued) throw new ApiError('CONFLICT', `本案已出具该文书（${issued.document_no}），请在文书中重印；如有误，请先作废再重新出具`);
  const w = await db.selectFrom('workers').selectAll().where('id', '=', c.worker_id).executeTakeFirstOrThrow();
  const platform = c.responsible_platform
    ? await db.selectFrom('platforms').select('name').where('code', '=', c.responsible_platform).executeTakeFirst()
    : undefined;
  const settings = await getSettings(db);
  // Orders name their platform as the platform list does, never by its code.
  const platformNames = new Map((await db.selectFrom('platforms').select(['code', 'name']).execute()).map((p) => [p.code, p.name]));
  const orders = (JSON.parse(c.orders) as { platform: string; orderNo: string; acceptedAt: string; finishedAt: string | null }[]).map(
    (o) => ({
      ...o,
      platform: platformNames.get(o.platform) ?? o.platform,
    }),
  );
  const base = {
    type,
    agency: settings.agencyName || '（经办机构名称未设置）',
    caseId: c.id,
    registrationNo: c.registration_no,
    caseNo: c.case_no,
    person: { name: w.name, idNumberMasked: maskIdNumber(w.id_number), phone: w.phone },
    applicant: { kind: APPLICANT_LABELS[c.applicant_kind], name: c.applicant_name },
    applicationDate: c.application_date,
    platform: platform?.name ?? null,
    accident: {
      at: c.accident_at.slice(0, 16).replace('T', ' '),
      place: c.place,
      description: c.description,
      injuries: JSON.parse(c.injuries) as string[],
      orders,
    },
    regulation: await regulationFor(db, settings.jurisdiction, c.accident_date),
  };
  // The counter's documents name the platform's legal entity when it is known, else its registered
  // name (they are not addressed to it); the decisions below refuse without a legal name.
  const known = type === 'acceptance' || type === 'supplement' ? await platformAddressee(db, c.responsible_platform, true) : null;
  const counterParty = known ? { platformParty: { name: known.name, legalName: known.legalName, creditCode: known.creditCode } } : {};
  if (type === 'acceptance') return { ...base, ...counterParty, acceptedAt: c.accepted_at?.slice(0, 10) ?? null };
  if (type === 'supplement') {
    const missing = await db
      .selectFrom('case_materials')
      .select(['label'])
      .where('case_id', '=', caseId)
      .where('required', '=', 1)
      .where('received', '=', 0)
      .orderBy(sql`rowid`)
      .execute();
    return {
      ...base,
      ...counterParty,
      requestedAt: c.supplement_requested_at?.slice(0, 10) ?? null,
      supplementDue: c.supplement_due,
      missing: missing.map((m) => m.label),
      article: '第十五条第一款',
    };
  }
  // A decision is addressed to the platform's legal entity as well as the worker.
  const party = await platformAddressee(db, c.responsible_platform, !forIssue);
  return {
    ...base,
    platformParty: party ? { name: party.name, legalName: party.legalName, creditCode: party.creditCode } : null,
    acceptedAt: c.accepted_at?.slice(0, 10) ?? null,
    decidedAt: c.decided_at?.slice(0, 10) ?? null,
    article: c.decision_article,
    reason: c.decision_reason,
    investigation: c.investigation,
    conclusion: type === 'confirmation' ? '确认为职业伤害' : '不予确认为职业伤害',
  };
}
