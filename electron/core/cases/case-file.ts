// Reads a case as people see it: the file with its worker, materials, attachments, history,
// bills, statutory clocks and the moves open to the person looking.
import { caseHolder } from '../sync/holders';
import { mergeView } from './case-merge';
import { sql, type Kysely } from 'kysely';
import type { CasesTable, Database } from '../db-schema';
import { chinaDate, type Clock } from '../clock';
import { ApiError } from '../../../shared/api/errors';
import { ATTACHMENT_REMOVERS, PAYEE_EDITORS, type Assessment, type CaseDetail, type CaseSummary } from '../../../shared/api/methods/cases';
import { actionLabel, availableActions, STATUS_LABELS, type CaseStatus } from '../../../shared/cases/lifecycle';
import type { User } from '../../../shared/api/methods/auth';
import { maskIdNumber, maskPhone } from './masking';
import { shownIdentity } from './case-access';
import { issuableNotices } from './notice-issuers';
import type { CaseRights } from '../../../shared/cases/access';
import { CIRCUMSTANCE_LABELS, circumstanceProblems, fenToYuan, treatmentLimitEnd, type Circumstance } from '../../../shared/rules';
import { caseDeadlines, NO_APPRAISAL_DATES, partiesOf, platformBorneRange } from './intake-rules';
import { appraisalDatesOf } from './appraisal-dates';
import { blockedReason } from './move-blocks';
import { packFor, type RuleData } from './rule-data';
import { moveBlocks } from './case-blocks';
import { deliveriesOf } from '../notices/documents';
import { payeeLocked, shownPayee } from './payee';
import { removedAttachmentIds } from './attachment-removal';

type Db = Kysely<Database>;

async function userNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function loadCaseRow(db: Db, caseId: string): Promise<CasesTable> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', '案件不存在，可能已被删除或编号有误');
  return row;
}

export async function caseSummaries(db: Db, ids: string[]): Promise<CaseSummary[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('cases')
    .innerJoin('workers', 'workers.id', 'cases.worker_id')
    .leftJoin('platforms', 'platforms.code', 'cases.responsible_platform')
    .select([
      'cases.id',
      'cases.registration_no',
      'cases.case_no',
      'cases.status',
      'cases.accident_date',
      'cases.fast_track',
      'cases.registered_at',
      'cases.registered_by',
      'cases.accepted_by',
      'workers.name',
      'workers.id_number',
      'workers.phone',
      'platforms.name as platform_name',
    ])
    .where('cases.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const names = await userNames(
    db,
    rows.map((r) => r.accepted_by ?? r.registered_by),
  );
  return ids
    .map((id) => byId.get(id))
    .filter((r): r is NonNullable<typeof r> => !!r)
    .map((r) => ({
      id: r.id,
      registrationNo: r.registration_no,
      caseNo: r.case_no,
      status: r.status as CaseStatus,
      workerName: r.name,
      idNumberMasked: maskIdNumber(r.id_number),
      phoneMasked: maskPhone(r.phone),
      accidentDate: r.accident_date,
      platformName: r.platform_name,
      fastTrack: r.fast_track === 1,
      registeredAt: r.registered_at,
      // 经办人: whoever accepted the case, or registered it while it waits to be accepted.
      handlerName: names.get(r.accepted_by ?? r.registered_by ?? '') ?? null,
    }));
}

export async function getCaseDetail(
  db: Db,
  clock: Clock,
  rules: RuleData,
  caseId: string,
  viewer: User,
  separationOfDuties: boolean,
  rights: CaseRights,
): Promise<CaseDetail> {
  const c = await loadCaseRow(db, caseId);
  const [summary] = await caseSummaries(db, [caseId]);
  const worker = await db.selectFrom('workers').selectAll().where('id', '=', c.worker_id).executeTakeFirstOrThrow();
  const materials = await db
    .selectFrom('case_materials')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy(sql`rowid`)
    .execute();
  const removed = await removedAttachmentIds(db, caseId);
  const attachments = (
    await db.selectFrom('attachments').selectAll().where('case_id', '=', caseId).orderBy('uploaded_at').execute()
  ).filter((a) => !removed.has(a.id));
  const transitions = await db
    .selectFrom('case_transitions')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const bills = await db.selectFrom('medical_bills').selectAll().where('case_id', '=', caseId).orderBy('bill_date').execute();
  const report = c.accident_report_id
    ? await db.selectFrom('accident_reports').select('report_no').where('id', '=', c.accident_report_id).executeTakeFirst()
    : undefined;
  const names = await userNames(db, [c.registered_by, c.accepted_by, c.decided_by, ...transitions.map((t) => t.by_user)]);
  const sum = (f: (b: (typeof bills)[number]) => number) => fenToYuan(bills.reduce((a, b) => a + f(b), 0));
  const status = c.status as CaseStatus;
  const today = chinaDate(clock.now());
  const appraisal = (await appraisalDatesOf(db, [caseId])).get(caseId) ?? NO_APPRAISAL_DATES;
  const blocks = await moveBlocks(db, c, rules, today, materials, appraisal);
  const deliveries = (await deliveriesOf(db, [caseId])).get(caseId) ?? [];
  const death = await db.selectFrom('case_deaths').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  const deathBy = death ? await userNames(db, [death.recorded_by]) : new Map<string, string>();
  const platform = c.responsible_platform
    ? await db.selectFrom('platforms').selectAll().where('code', '=', c.responsible_platform).executeTakeFirst()
    : undefined;
  const pack = packFor(rules, c.accident_date);
  const circumstance = JSON.parse(c.circumstance) as Circumstance;
  const orders = JSON.parse(c.orders) as CaseDetail['accident']['orders'];
  const range = platformBorneRange(c);
  const deadlines = caseDeadlines(c, bills, rules, today, appraisal, deliveries);
  return {
    ...summary!,
    version: c.version,
    holder: await caseHolder(db, c.id),
    merge: await mergeView(db, c),
    worker: {
      id: worker.id,
      name: worker.name,
      ...shownIdentity(rights, worker.id_number, worker.phone),
      industry: worker.industry,
      platforms: JSON.parse(worker.platforms) as string[],
    },
    accident: {
      at: c.accident_at.slice(0, 16),
      place: c.place,
      description: c.description,
      injuries: JSON.parse(c.injuries) as string[],
      orders,
      trafficAccident: c.traffic_accident === 1,
      circumstance,
      circumstanceLabel: CIRCUMSTANCE_LABELS[circumstance.item],
      circumstanceArticle: pack.articles.injuryItems[circumstance.item],
      circumstanceProblems: circumstanceProblems(pack, circumstance, {
        accidentAt: c.accident_at.slice(0, 16),
        orders,
        materialsReceived: materials.filter((m) => m.received === 1).map((m) => m.code),
        deathDate: death?.death_date ?? null,
      }),
    },
    applicant: { kind: c.applicant_kind, name: c.applicant_name, applicationDate: c.application_date },
    treatment: {
      outpatientOnly: c.outpatient_only === 1,
      hospitalized: c.hospitalized === 1,
      factsClear: c.facts_clear === 1,
      disputed: c.disputed === 1,
    },
    accidentReportNo: report?.report_no ?? null,
    assessment: JSON.parse(c.assessment) as Assessment,
    materials: materials.map((m) => ({ code: m.code, label: m.label, required: m.required === 1, received: m.received === 1 })),
    attachments: attachments.map((a) => ({
      id: a.id,
      materialCode: a.material_code,
      filename: a.filename,
      mime: a.mime,
      size: a.size,
      sha256: a.sha256,
      uploadedAt: a.uploaded_at,
    })),
    transitions: transitions.map((t) => ({
      action: t.action,
      label: t.action === 'register' ? '登记' : actionLabel(t.action),
      from: t.from_status ? STATUS_LABELS[t.from_status as CaseStatus] : null,
      to: STATUS_LABELS[t.to_status as CaseStatus],
      byName: names.get(t.by_user) ?? '—',
      at: t.at,
      reason: t.reason,
    })),
    bills: bills.map((b) => ({
      id: b.id,
      billDate: b.bill_date,
      hospital: b.hospital,
      invoiceNo: b.invoice_no,
      amount: fenToYuan(b.amount_fen),
      eligible: fenToYuan(b.eligible_fen),
      submittedDate: b.submitted_date,
      reimbursedAt: b.reimbursed_at,
      payer: b.payer,
    })),
    billTotals: {
      amount: sum((b) => b.amount_fen),
      eligible: sum((b) => b.eligible_fen),
      reimbursed: sum((b) => (b.reimbursed_at ? b.eligible_fen : 0)),
    },
    deadlines,
    actions: availableActions(status, viewer.roles).map((t) => ({
      action: t.action,
      label: t.label,
      needsReason: t.needsReason,
      blockedBy: blockedReason(c, t.action, viewer.id, separationOfDuties, materials, blocks),
    })),
    // While waiting for the materials, the due date follows the deliveries in force (a voided notice
    // or 回证 stops it); afterwards the one recorded stays.
    supplementDue: status === 'awaiting_supplement' ? (deadlines.find((d) => d.code === 'supplement')?.due ?? null) : c.supplement_due,
    decision: {
      article: c.decision_article,
      reason: c.decision_reason,
      investigation: c.investigation,
      decidedAt: c.decided_at,
      decidedByName: c.decided_by ? (names.get(c.decided_by) ?? null) : null,
    },
    canOpenAttachments: rights.attachments,
    canRemoveAttachments: viewer.roles.some((r) => (ATTACHMENT_REMOVERS as readonly string[]).includes(r)),
    payee: await shownPayee(db, caseId, rights),
    payeeEdit: {
      allowed: viewer.roles.some((r) => (PAYEE_EDITORS as readonly string[]).includes(r)),
      needsReason: await payeeLocked(db, caseId),
    },
    issuableNotices: issuableNotices(c, viewer),
    registeredByName: names.get(c.registered_by) ?? '—',
    acceptedByName: c.accepted_by ? (names.get(c.accepted_by) ?? null) : null,
    platform: platform
      ? { code: platform.code, name: platform.name, legalName: platform.legal_name, creditCode: platform.credit_code }
      : null,
    death: death
      ? {
          date: death.death_date,
          causedByInjury: death.caused_by_injury === 1,
          evidence: death.evidence,
          note: death.note,
          recordedByName: deathBy.get(death.recorded_by) ?? '—',
          recordedAt: death.recorded_at,
        }
      : null,
    treatmentPeriod: {
      start: c.accident_date,
      limitEnd: treatmentLimitEnd(pack, c.accident_date, c.treatment_extended_on !== null),
      extendedOn: c.treatment_extended_on,
      extensionReason: c.treatment_extension_reason,
    },
    platformBorne: range ? { ...range, article: pack.articles.lateApplicationCosts } : null,
    today,
    parties: partiesOf(c),
  };
}
