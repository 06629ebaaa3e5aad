// A 劳动能力鉴定专场: the secretary plans it and assigns cases awaiting appraisal; at the table
// the attendance, findings and each drawn expert's opinion (GB/T 16180 items, promotion applied
// or not and why, nursing level) are recorded; the 鉴定组长 signs the conclusion, which then
// cannot be edited. Opinions are entered by the secretary on the experts' behalf (experts are
// pool records, not app users) and every one is kept, dissent included.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaDate, chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import type { User } from '../../../shared/api/methods/auth';
import { combineGrades, nursingGradeMismatch } from '../../../shared/rules';
import { panelProposal, type PanelProposal } from '../../../shared/appraisal/panel-conclusion';
import { nextNumber, deviceTag } from '../cases/counters';
import { loadCaseRow } from '../cases/case-file';
import { maskIdNumber } from '../cases/masking';
import { transitionCase } from '../cases/case-transitions';
import { getSettings } from '../settings';
import { packFor, regulationFor, type RuleData } from '../cases/rule-data';
import { ruleReference } from '../reference/store';
import { liveDocuments } from '../notices/documents';
import { platformAddressee } from '../cases/platform-party';
import { pendingRequest } from './appraisal-requests';
import { APPRAISAL_KIND_LABELS as KIND_LABEL } from '../../../shared/appraisal/enums';
import type { NursingLevel } from '../../../shared/appraisal/grades';

type Db = Kysely<Database>;
type Nursing = NursingLevel | null;

export interface OpinionItem {
  code: string;
  text: string;
  grade: number;
  /** Set when the item is not in the catalogue in force (entered by hand): the conclusion says so. */
  outsideCatalogue?: boolean;
}

export async function createHearing(
  db: Db,
  clock: Clock,
  user: User,
  s: { date: string; venue: string; committee: string; kind: 'initial' | 'review' | 'reappraisal' },
) {
  const id = newId();
  const hearingNo = `JD${s.date.slice(0, 4)}-${await deviceTag(db)}-${String(await nextNumber(db, `session-${s.date.slice(0, 4)}`)).padStart(3, '0')}`;
  await db
    .insertInto('hearings')
    .values({
      id,
      hearing_no: hearingNo,
      date: s.date,
      venue: s.venue,
      committee: s.committee,
      kind: s.kind,
      created_by: user.id,
      created_at: chinaInstant(clock.now()),
    })
    .execute();
  return { id, hearingNo };
}

export async function assignCases(db: Db, hearingId: string, caseIds: string[]): Promise<number> {
  const hearing = await hearingRow(db, hearingId);
  const existing = await db.selectFrom('hearing_cases').select(['case_id', 'position']).where('hearing_id', '=', hearingId).execute();
  let position = existing.reduce((m, r) => Math.max(m, r.position), 0);
  for (const caseId of caseIds) {
    const c = await loadCaseRow(db, caseId);
    const label = c.case_no ?? c.registration_no;
    if (c.status !== 'awaiting_appraisal') throw new ApiError('RULE_REFUSED', `案件 ${label} 尚未申请劳动能力鉴定，不能安排到专场`);
    const request = await pendingRequest(db, caseId);
    if (!request) throw new ApiError('RULE_REFUSED', `案件 ${label} 没有待鉴定的申请`);
    if (request.kind !== hearing.kind)
      throw new ApiError('RULE_REFUSED', `案件 ${label} 申请的是${KIND_LABEL[request.kind]}，不能安排到${KIND_LABEL[hearing.kind]}专场`);
    if (request.precheck_result !== 'complete')
      throw new ApiError(
        'RULE_REFUSED',
        `案件 ${label} 的鉴定材料${request.precheck_result === 'incomplete' ? '预审不齐全，待补正后重新预审' : '尚未预审'}，不能安排到专场`,
      );
    if (existing.some((e) => e.case_id === caseId)) continue;
    const elsewhere = await openHearingOf(db, caseId, hearingId);
    if (elsewhere)
      throw new ApiError(
        'RULE_REFUSED',
        `案件 ${label} 已安排在专场 ${elsewhere.hearing_no}（${elsewhere.date}），该专场尚未作出结论或登记缺席，不能同时安排到两个专场`,
      );
    await db.insertInto('hearing_cases').values({ hearing_id: hearingId, case_id: caseId, position: ++position }).execute();
  }
  return position;
}

/**
 * The other hearing a case still sits in: assigned there, not recorded absent (the round ended)
 * and no conclusion signed there. A case is heard in one hearing at a time.
 */
async function openHearingOf(db: Db, caseId: string, exceptHearingId: string) {
  return db
    .selectFrom('hearing_cases')
    .innerJoin('hearings', 'hearings.id', 'hearing_cases.hearing_id')
    .select(['hearings.hearing_no', 'hearings.date'])
    .where('hearing_cases.case_id', '=', caseId)
    .where('hearing_cases.hearing_id', '!=', exceptHearingId)
    .where('hearing_cases.attendance', '!=', 'absent')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('appraisal_conclusions')
            .select('appraisal_conclusions.id')
            .whereRef('appraisal_conclusions.case_id', '=', 'hearing_cases.case_id')
            .whereRef('appraisal_conclusions.hearing_id', '=', 'hearing_cases.hearing_id'),
        ),
      ),
    )
    .executeTakeFirst();
}

/**
 * The cases a hearing could take: awaiting appraisal and not yet on it, each with its pending
 * request and why it cannot be assigned yet (not pre-checked, another kind, on another hearing), if so.
 */
export async function hearingCandidates(db: Db, hearingId: string) {
  const hearing = await hearingRow(db, hearingId);
  const rows = await db
    .selectFrom('cases')
    .innerJoin('workers', 'workers.id', 'cases.worker_id')
    .select(['cases.id', 'cases.case_no', 'cases.registration_no', 'workers.name'])
    .where('cases.status', '=', 'awaiting_appraisal')
    .where('cases.id', 'not in', db.selectFrom('hearing_cases').select('case_id').where('hearing_id', '=', hearingId))
    .orderBy('cases.id')
    .execute();
  const out = [];
  for (const r of rows) {
    const request = await pendingRequest(db, r.id);
    const elsewhere = await openHearingOf(db, r.id, hearingId);
    const blockedBy = elsewhere
      ? `已安排在专场 ${elsewhere.hearing_no}`
      : !request
        ? '没有待鉴定的申请'
        : request.kind !== hearing.kind
          ? `申请的是${KIND_LABEL[request.kind]}`
          : request.precheck_result !== 'complete'
            ? request.precheck_result === 'incomplete'
              ? '预审不齐全'
              : '尚未预审'
            : null;
    out.push({ caseId: r.id, caseNo: r.case_no ?? r.registration_no, name: r.name, kind: request?.kind ?? null, blockedBy });
  }
  return out;
}

async function hearingRow(db: Db, hearingId: string) {
  const s = await db.selectFrom('hearings').selectAll().where('id', '=', hearingId).executeTakeFirst();
  if (!s) throw new ApiError('NOT_FOUND', '鉴定专场不存在');
  return s;
}

async function hearingCase(db: Db, hearingId: string, caseId: string) {
  const sc = await db
    .selectFrom('hearing_cases')
    .selectAll()
    .where('hearing_id', '=', hearingId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  if (!sc) throw new ApiError('NOT_FOUND', '该案件未安排在本专场');
  const signed = await db
    .selectFrom('appraisal_conclusions')
    .select('id')
    .where('hearing_id', '=', hearingId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return { ...sc, signed: !!signed };
}

/** The panel is the case's latest draw. */
async function panelOf(db: Db, caseId: string): Promise<{ id: string; name: string }[]> {
  const draw = await db
    .selectFrom('panel_draws')
    .select('result')
    .where('case_id', '=', caseId)
    .orderBy('drawn_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!draw) throw new ApiError('RULE_REFUSED', '本案尚未抽取鉴定专家，请先抽取');
  return JSON.parse(draw.result) as { id: string; name: string }[];
}

export async function recordAttendance(
  db: Db,
  clock: Clock,
  hearingId: string,
  caseId: string,
  attendance: 'present' | 'absent',
  findings: string,
) {
  const sc = await hearingCase(db, hearingId, caseId);
  if (sc.signed) throw new ApiError('RULE_REFUSED', '鉴定结论已签发，不能再修改');
  await db
    .updateTable('hearing_cases')
    .set({ attendance, findings, heard_at: sc.heard_at ?? chinaInstant(clock.now()) })
    .where('hearing_id', '=', hearingId)
    .where('case_id', '=', caseId)
    .execute();
}

export async function recordOpinion(
  db: Db,
  clock: Clock,
  rules: RuleData,
  user: User,
  o: {
    hearingId: string;
    caseId: string;
    expertId: string;
    items: OpinionItem[];
    promotionApplied: boolean;
    promotionReason: string;
    nursingLevel: Nursing;
  },
) {
  const sc = await hearingCase(db, o.hearingId, o.caseId);
  if (sc.signed) throw new ApiError('RULE_REFUSED', '鉴定结论已签发，专家意见不能再修改');
  if (sc.attendance !== 'present') throw new ApiError('RULE_REFUSED', '请先登记本人到场，再记录专家意见');
  if (!(await panelOf(db, o.caseId)).some((p) => p.id === o.expertId)) throw new ApiError('RULE_REFUSED', '该专家不在本案抽取的专家组中');
  const combined = combineGrades(o.items.map((i) => ({ grade: i.grade, itemCode: i.code })));
  if (combined.promotionProposed && !o.promotionApplied && !o.promotionReason.trim()) {
    throw new ApiError('INVALID_INPUT', '按晋级原则拟晋升一级；不晋级时请写明理由', [
      { path: 'promotionReason', message: '请写明不晋级的理由' },
    ]);
  }
  const grade = combined.promotionProposed && o.promotionApplied ? combined.promotedGrade : combined.baseGrade;
  const c = await loadCaseRow(db, o.caseId);
  const mismatch = nursingGradeMismatch(packFor(rules, c.accident_date), grade, o.nursingLevel);
  if (mismatch) throw new ApiError('INVALID_INPUT', `该专家意见前后不一致：${mismatch}`, [{ path: 'nursingLevel', message: mismatch }]);
  // The bundled catalogue holds a few of the standard's items: the panel may grade by any clause,
  // and an item the catalogue in force does not hold is marked so on the opinion and conclusion.
  const held = new Set((await ruleReference(db)).catalogue.items.map((i) => i.code));
  const items: OpinionItem[] = o.items.map((i) => ({
    code: i.code,
    text: i.text,
    grade: i.grade,
    ...(held.has(i.code) ? {} : { outsideCatalogue: true }),
  }));
  const values = {
    items: JSON.stringify(items),
    promotion_applied: combined.promotionProposed && o.promotionApplied ? (1 as const) : (0 as const),
    promotion_reason: o.promotionReason.trim(),
    grade,
    nursing_level: o.nursingLevel,
    recorded_by: user.id,
    recorded_at: chinaInstant(clock.now()),
  };
  await db
    .insertInto('expert_opinions')
    .values({ hearing_id: o.hearingId, case_id: o.caseId, expert_id: o.expertId, ...values })
    .onConflict((oc) => oc.columns(['hearing_id', 'case_id', 'expert_id']).doUpdateSet(values))
    .execute();
  return { grade, combined };
}

export async function caseSheet(db: Db, hearingId: string, caseId: string) {
  const sc = await hearingCase(db, hearingId, caseId);
  const panel = await panelOf(db, caseId);
  const rows = await db
    .selectFrom('expert_opinions')
    .selectAll()
    .where('hearing_id', '=', hearingId)
    .where('case_id', '=', caseId)
    .execute();
  const opinions = panel.map((p) => {
    const r = rows.find((x) => x.expert_id === p.id);
    return r
      ? {
          expertId: p.id,
          name: p.name,
          items: JSON.parse(r.items) as OpinionItem[],
          promotionApplied: r.promotion_applied === 1,
          promotionReason: r.promotion_reason,
          grade: r.grade,
          nursingLevel: r.nursing_level,
        }
      : {
          expertId: p.id,
          name: p.name,
          items: null,
          promotionApplied: false,
          promotionReason: '',
          grade: null,
          nursingLevel: null as Nursing,
        };
  });
  const complete = opinions.every((o) => o.items !== null);
  const proposal: PanelProposal | null = complete
    ? panelProposal(opinions.map((o) => ({ expertId: o.expertId, grade: o.grade, nursingLevel: o.nursingLevel })))
    : null;
  return { attendance: sc.attendance, findings: sc.findings, signed: sc.signed, opinions, proposal };
}

export async function signConclusion(
  db: Db,
  clock: Clock,
  rules: RuleData,
  leader: User,
  s: { hearingId: string; caseId: string; grade: number | null; nursingLevel: Nursing; advice: string; reason: string },
  separationOfDuties: boolean,
) {
  const c = await loadCaseRow(db, s.caseId);
  if (separationOfDuties && c.decided_by === leader.id)
    throw new ApiError('RULE_REFUSED', '根据三岗分离设置，作出职业伤害确认的人员不能签发本案的鉴定结论');
  // The 结论书 is dated by its sign-off, which cannot come before the hearing it concludes.
  const hearing = await hearingRow(db, s.hearingId);
  const today = chinaDate(clock.now());
  if (today < hearing.date)
    throw new ApiError('RULE_REFUSED', `专场 ${hearing.hearing_no} 定于 ${hearing.date} 举行，不能在专场之前签发鉴定结论`);
  const mismatch = nursingGradeMismatch(packFor(rules, c.accident_date), s.grade, s.nursingLevel);
  if (mismatch) throw new ApiError('INVALID_INPUT', mismatch, [{ path: 'nursingLevel', message: mismatch }]);
  const sheet = await caseSheet(db, s.hearingId, s.caseId);
  if (sheet.signed) throw new ApiError('CONFLICT', '本案在本专场的鉴定结论已签发，不能修改；如有异议请通过再次鉴定或复查');
  if (sheet.attendance !== 'present' || !sheet.proposal) throw new ApiError('RULE_REFUSED', '本人未到场或专家意见未全部记录，不能签发结论');
  const followsMajority =
    sheet.proposal.grade.value !== undefined &&
    sheet.proposal.grade.value === s.grade &&
    sheet.proposal.nursingLevel.value !== undefined &&
    sheet.proposal.nursingLevel.value === s.nursingLevel;
  if (!followsMajority && !s.reason.trim())
    throw new ApiError('INVALID_INPUT', '结论与专家组多数意见不一致或无多数意见，请写明理由', [{ path: 'reason', message: '请写明理由' }]);
  const request = await pendingRequest(db, s.caseId);
  const relied = sheet.opinions.filter((o) => o.grade === s.grade).flatMap((o) => o.items ?? []);
  const items = [...new Map(relied.map((i) => [i.code, i])).values()];
  const promotion = combineGrades(items.map((i) => ({ grade: i.grade, itemCode: i.code })));
  const id = newId();
  await db
    .insertInto('appraisal_conclusions')
    .values({
      id,
      case_id: s.caseId,
      hearing_id: s.hearingId,
      grade: s.grade,
      nursing_level: s.nursingLevel,
      items: JSON.stringify(items),
      promotion: JSON.stringify(promotion),
      advice: s.advice,
      proposal: JSON.stringify(sheet.proposal),
      decision_reason: s.reason.trim(),
      leader_id: leader.id,
      signed_at: chinaInstant(clock.now()),
      request_id: request?.id ?? null,
    })
    .execute();
  await transitionCase(
    db,
    clock,
    rules,
    leader,
    { caseId: s.caseId, action: 'conclude_appraisal', expectedVersion: c.version, reason: s.reason.trim() },
    separationOfDuties,
  );
  return { id, followsMajority };
}

export async function listHearings(db: Db) {
  const rows = await db.selectFrom('hearings').selectAll().orderBy('date', 'desc').execute();
  const counts = await db
    .selectFrom('hearing_cases')
    .select(['hearing_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('hearing_id')
    .execute();
  const n = new Map(counts.map((c) => [c.hearing_id, Number(c.n)]));
  return rows.map((r) => ({
    id: r.id,
    hearingNo: r.hearing_no,
    date: r.date,
    venue: r.venue,
    committee: r.committee,
    kind: r.kind,
    cases: n.get(r.id) ?? 0,
  }));
}

export async function getHearing(db: Db, hearingId: string) {
  const s = (await listHearings(db)).find((x) => x.id === hearingId);
  if (!s) throw new ApiError('NOT_FOUND', '鉴定专场不存在');
  const rows = await db
    .selectFrom('hearing_cases')
    .innerJoin('cases', 'cases.id', 'hearing_cases.case_id')
    .innerJoin('workers', 'workers.id', 'cases.worker_id')
    .leftJoin('appraisal_conclusions', (j) =>
      j
        .onRef('appraisal_conclusions.case_id', '=', 'hearing_cases.case_id')
        .onRef('appraisal_conclusions.hearing_id', '=', 'hearing_cases.hearing_id'),
    )
    .select([
      'hearing_cases.case_id',
      'hearing_cases.position',
      'hearing_cases.attendance',
      'cases.case_no',
      'workers.name',
      'appraisal_conclusions.id as conclusion_id',
      'appraisal_conclusions.grade',
    ])
    .where('hearing_cases.hearing_id', '=', hearingId)
    .orderBy('hearing_cases.position')
    .execute();
  return {
    ...s,
    items: rows.map((r) => ({
      caseId: r.case_id,
      caseNo: r.case_no,
      name: r.name,
      position: r.position,
      attendance: r.attendance,
      signed: !!r.conclusion_id,
      grade: r.grade ?? null,
    })),
  };
}

/** The 劳动能力鉴定结论书's data from a signed conclusion. */
export async function conclusionNoticeData(db: Db, hearingId: string, caseId: string) {
  const conclusion = await db
    .selectFrom('appraisal_conclusions')
    .selectAll()
    .where('hearing_id', '=', hearingId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  if (!conclusion) throw new ApiError('RULE_REFUSED', '鉴定结论尚未签发，不能出具结论书');
  // One 结论书 in force per signed conclusion: a later round (再次鉴定, 复查) gets its own, and a
  // voided one (作废) can be issued again.
  const issued = await liveDocuments(db)
    .select('issued_documents.document_no')
    .where('issued_documents.case_id', '=', caseId)
    .where('issued_documents.type', '=', 'appraisal-conclusion')
    .where((eb) =>
      eb.or([
        eb('issued_documents.subject_id', '=', conclusion.id),
        eb.and([eb('issued_documents.subject_id', 'is', null), eb('issued_documents.issued_at', '>=', conclusion.signed_at)]),
      ]),
    )
    .executeTakeFirst();
  if (issued) throw new ApiError('CONFLICT', `本案的鉴定结论书已出具（${issued.document_no}），请在文书中重印；如有误，请先作废再重新出具`);
  const hearing = await hearingRow(db, hearingId);
  const c = await loadCaseRow(db, caseId);
  const w = await db.selectFrom('workers').selectAll().where('id', '=', c.worker_id).executeTakeFirstOrThrow();
  const platform = c.responsible_platform
    ? await db.selectFrom('platforms').select('name').where('code', '=', c.responsible_platform).executeTakeFirst()
    : undefined;
  const party = await platformAddressee(db, c.responsible_platform);
  const sheet = await caseSheet(db, hearingId, caseId);
  const confirmation = await liveDocuments(db)
    .select('issued_documents.document_no')
    .where('issued_documents.case_id', '=', caseId)
    .where('issued_documents.type', '=', 'confirmation')
    .executeTakeFirst();
  const specialty = new Map(
    (await db.selectFrom('experts').select(['id', 'departments', 'organisation']).execute()).map((e) => [
      e.id,
      (JSON.parse(e.departments) as string[])[0] ?? e.organisation,
    ]),
  );
  const items = JSON.parse(conclusion.items) as OpinionItem[];
  const promotion = JSON.parse(conclusion.promotion) as { promotionProposed: boolean; baseGrade: number | null };
  const promoted =
    promotion.promotionProposed && conclusion.grade !== null && promotion.baseGrade !== null && conclusion.grade < promotion.baseGrade;
  const { provincialCommittee } = await getSettings(db);
  const request = conclusion.request_id
    ? await db.selectFrom('appraisal_requests').select('kind').where('id', '=', conclusion.request_id).executeTakeFirst()
    : undefined;
  const sexDigit = Number(w.id_number[16]);
  return {
    conclusionId: conclusion.id,
    type: 'appraisal-conclusion' as const,
    committee: hearing.committee,
    caseId,
    caseNo: c.case_no,
    confirmationNo: confirmation?.document_no ?? null,
    person: { name: w.name, idNumberMasked: maskIdNumber(w.id_number), sex: sexDigit % 2 === 1 ? ('男' as const) : ('女' as const) },
    platform: platform?.name ?? null,
    platformParty: party ? { name: party.name, legalName: party.legalName, creditCode: party.creditCode } : null,
    sessionDate: hearing.date,
    regulation: await regulationFor(db, (await getSettings(db)).jurisdiction, c.accident_date),
    concludedOn: conclusion.signed_at.slice(0, 10),
    injuries: (JSON.parse(c.injuries) as string[]).map((i) => ({ site: i, impairment: sheet.findings || '见检查所见', diagnosis: i })),
    basis: items.map((i) => ({
      code: i.code,
      text: i.outsideCatalogue ? `${i.text}（目录外条款，按标准原文录入）` : i.text,
      grade: i.grade,
    })),
    grade: conclusion.grade,
    nursingLevel: conclusion.nursing_level,
    promotion: promotion.promotionProposed
      ? promoted
        ? '两项及以上伤残等级相同，依 4.2 晋级原则晋升一级。'
        : '虽有两项及以上伤残等级相同，专家组决定不晋级。'
      : null,
    advice: conclusion.advice || null,
    experts: sheet.opinions.map((o) => ({
      name: o.name,
      specialty: specialty.get(o.expertId) ?? '—',
      grade: o.grade,
      dissent: sheet.proposal?.dissenting.includes(o.expertId) ?? false,
    })),
    provincialCommittee,
    kind: request?.kind ?? 'initial',
  };
}

/** Every issued conclusion and benefit notice in force of the session's cases, for batch printing. */
export async function hearingDocumentIds(db: Db, hearingId: string): Promise<string[]> {
  const rows = await liveDocuments(db)
    .innerJoin('hearing_cases', 'hearing_cases.case_id', 'issued_documents.case_id')
    .select(['issued_documents.id'])
    .where('hearing_cases.hearing_id', '=', hearingId)
    .where('issued_documents.type', 'in', ['appraisal-conclusion', 'benefit-determination'])
    .orderBy('hearing_cases.position')
    .orderBy('issued_documents.issued_at')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The hearing report: every case with its attendance, conclusion and time at the table (from
 * the call, when attendance was recorded, to the leader's sign-off), the experts who gave
 * opinions, and how many cases are still open.
 */
export async function hearingReportData(db: Db, hearingId: string) {
  const hearing = await hearingRow(db, hearingId);
  const rows = await db
    .selectFrom('hearing_cases')
    .innerJoin('cases', 'cases.id', 'hearing_cases.case_id')
    .innerJoin('workers', 'workers.id', 'cases.worker_id')
    .leftJoin('appraisal_conclusions', (j) =>
      j
        .onRef('appraisal_conclusions.case_id', '=', 'hearing_cases.case_id')
        .onRef('appraisal_conclusions.hearing_id', '=', 'hearing_cases.hearing_id'),
    )
    .select([
      'hearing_cases.case_id',
      'hearing_cases.attendance',
      'hearing_cases.heard_at',
      'cases.case_no',
      'cases.registration_no',
      'workers.name',
      'appraisal_conclusions.grade',
      'appraisal_conclusions.nursing_level',
      'appraisal_conclusions.signed_at',
    ])
    .where('hearing_cases.hearing_id', '=', hearingId)
    .orderBy('hearing_cases.position')
    .execute();
  const opinions = await db
    .selectFrom('expert_opinions')
    .innerJoin('experts', 'experts.id', 'expert_opinions.expert_id')
    .select(['experts.id', 'experts.name'])
    .where('expert_opinions.hearing_id', '=', hearingId)
    .orderBy('experts.name')
    .execute();
  const minutes = (from: string | null, to: string | null) =>
    from && to ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000)) : null;
  const cases = rows.map((r) => ({
    caseNo: r.case_no ?? r.registration_no,
    name: r.name,
    attended: r.attendance === 'present',
    absent: r.attendance === 'absent',
    signed: r.signed_at !== null,
    grade: r.grade ?? null,
    nursingLevel: r.nursing_level ?? null,
    minutes: minutes(r.heard_at, r.signed_at ?? null),
  }));
  return {
    hearing: {
      id: hearing.id,
      hearingNo: hearing.hearing_no,
      date: hearing.date,
      venue: hearing.venue,
      committee: hearing.committee,
      kind: hearing.kind,
    },
    cases,
    experts: [...new Map(opinions.map((o) => [o.id, o.name])).values()],
    open: cases.filter((c) => !c.absent && !c.signed).length,
  };
}

/** The 劳动能力鉴定专场报告's data; only once every case is concluded or recorded absent. */
export async function hearingReportNoticeData(db: Db, hearingId: string) {
  const r = await hearingReportData(db, hearingId);
  if (r.cases.length === 0) throw new ApiError('RULE_REFUSED', '本专场没有安排案件，不能出具专场报告');
  if (r.open > 0) throw new ApiError('RULE_REFUSED', `本专场尚有 ${r.open} 件案件未签发结论或登记缺席，不能出具专场报告`);
  const issued = await liveDocuments(db)
    .select('issued_documents.document_no')
    .where('issued_documents.type', '=', 'session-report')
    .where(sql<string>`json_extract(issued_documents.data, '$.sessionNo')`, '=', r.hearing.hearingNo)
    .executeTakeFirst();
  if (issued) throw new ApiError('CONFLICT', `本专场报告已出具（${issued.document_no}），请在文书中重印`);
  return {
    type: 'session-report' as const,
    committee: r.hearing.committee,
    sessionNo: r.hearing.hearingNo, // notice data keeps its stored (signed) key names
    date: r.hearing.date,
    venue: r.hearing.venue,
    cases: r.cases.map((c) => ({
      caseNo: c.caseNo,
      name: c.name,
      attended: c.attended,
      grade: c.grade,
      nursingLevel: c.nursingLevel,
      minutes: c.minutes,
    })),
    experts: r.experts,
    draws: await hearingDraws(db, hearingId),
  };
}

/** The draw each case of the hearing was heard with (its latest before sign-off). */
async function hearingDraws(db: Db, hearingId: string) {
  const rows = await db
    .selectFrom('hearing_cases')
    .innerJoin('cases', 'cases.id', 'hearing_cases.case_id')
    .leftJoin('appraisal_conclusions', (j) =>
      j
        .onRef('appraisal_conclusions.case_id', '=', 'hearing_cases.case_id')
        .onRef('appraisal_conclusions.hearing_id', '=', 'hearing_cases.hearing_id'),
    )
    .select(['hearing_cases.case_id', 'cases.case_no', 'cases.registration_no', 'appraisal_conclusions.signed_at'])
    .where('hearing_cases.hearing_id', '=', hearingId)
    .orderBy('hearing_cases.position')
    .execute();
  const out = [];
  for (const r of rows) {
    let q = db.selectFrom('panel_draws').selectAll().where('case_id', '=', r.case_id);
    if (r.signed_at) q = q.where('drawn_at', '<=', r.signed_at);
    const d = await q.orderBy('drawn_at', 'desc').limit(1).executeTakeFirst();
    if (!d) continue;
    const names = (json: string) => (JSON.parse(json) as { name: string }[]).map((x) => x.name);
    out.push({
      caseNo: r.case_no ?? r.registration_no,
      seed: d.seed,
      candidates: names(d.candidates),
      excluded: (JSON.parse(d.excluded) as { name: string; reason: string }[]).map((x) => `${x.name}（${x.reason}）`),
      panel: names(d.result),
    });
  }
  return out;
}
