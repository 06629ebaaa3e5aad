// Registering a walk-in claim: the worker (found by 身份证号 or created), the accident, the
// applicant and treatment so far, the rule engine's assessment, and the materials checklist.
// One call, one transaction: a refused registration leaves nothing behind.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaDate, chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { registrationSchema, type Assessment, type Registration } from '../../../shared/api/methods/cases';
import { checklistFor } from '../../../shared/cases/materials';
import { circumstanceMaterials, circumstanceSchema, type Circumstance } from '../../../shared/rules';
import { assessRegistration, fastTrackMaterials, type AssessInput } from './intake-rules';
import { registrationNo } from './counters';
import { indexCase, reindexWorkerCases } from './case-search';
import type { RuleData } from './rule-data';
import { getSettings } from '../settings';

type Db = Kysely<Database>;

async function possibleDuplicates(
  db: Db,
  idNumber: string,
  accidentDate: string,
  excludeCaseId?: string,
): Promise<Assessment['duplicates']> {
  let q = db
    .selectFrom('cases')
    .innerJoin('workers', 'workers.id', 'cases.worker_id')
    .select(['cases.id', 'cases.registration_no', 'cases.status', 'cases.accident_date'])
    .where('workers.id_number', '=', idNumber)
    .where('cases.accident_date', '=', accidentDate);
  if (excludeCaseId) q = q.where('cases.id', '!=', excludeCaseId);
  const rows = await q.execute();
  return rows.map((r) => ({ caseId: r.id, registrationNo: r.registration_no, status: r.status, accidentDate: r.accident_date }));
}

/** A draft's circumstance when the draft as a whole does not parse yet; the order in progress otherwise. */
function parsedCircumstance(accident: unknown): Circumstance {
  const c = circumstanceSchema.safeParse((accident as { circumstance?: unknown } | undefined)?.circumstance);
  return c.success ? c.data : { item: 'order' };
}

/** The live check shown while the clerk types: works on an incomplete draft. */
export async function assessDraft(db: Db, clock: Clock, rules: RuleData, draft: unknown): Promise<Assessment> {
  const parsed = registrationSchema.safeParse(draft);
  const d = (parsed.success ? parsed.data : draft) as Partial<Registration> | undefined;
  const input: AssessInput = {
    today: chinaDate(clock.now()),
    idNumber: typeof d?.worker?.idNumber === 'string' ? d.worker.idNumber.trim().toUpperCase() : '',
    accidentAt: typeof d?.accident?.at === 'string' ? d.accident.at : null,
    applicationDate: typeof d?.applicant?.applicationDate === 'string' ? d.applicant.applicationDate : null,
    applicantKind: d?.applicant?.kind ?? null,
    orders: Array.isArray(d?.accident?.orders) ? d.accident.orders : [],
    exclusions: Array.isArray(d?.accident?.exclusions) ? d.accident.exclusions : [],
    alsoWorkInjuryClaim: d?.accident?.alsoWorkInjuryClaim === true,
    treatment: d?.treatment ?? null,
    circumstance: parsed.success ? parsed.data.accident.circumstance : parsedCircumstance(d?.accident),
    platformNames: new Map((await db.selectFrom('platforms').select(['code', 'name']).execute()).map((p) => [p.code, p.name])),
  };
  const assessment = assessRegistration(input, rules);
  if (input.idNumber && input.accidentAt)
    assessment.duplicates = await possibleDuplicates(db, input.idNumber, input.accidentAt.slice(0, 10));
  const typedName = typeof d?.worker?.name === 'string' ? d.worker.name.trim() : '';
  if (input.idNumber) {
    const known = await db.selectFrom('workers').select('name').where('id_number', '=', input.idNumber).executeTakeFirst();
    assessment.registeredName = known && typedName && known.name !== typedName ? known.name : null;
  }
  if (!parsed.success) {
    assessment.problems.unshift(...parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  return assessment;
}

/** The checklist plus what the 第十一条 item needs (the 残疾军人证, the 事故责任认定书), once each. */
export function withCircumstanceMaterials<M extends { code: string; label: string }>(
  list: M[],
  c: Circumstance,
): { code: string; label: string }[] {
  const out: { code: string; label: string }[] = [...list];
  for (const m of circumstanceMaterials(c)) if (!out.some((x) => x.code === m.code)) out.push(m);
  return out;
}

export async function registerCase(
  db: Db,
  clock: Clock,
  rules: RuleData,
  userId: string,
  given: Registration,
): Promise<{ caseId: string; registrationNo: string; assessment: Assessment; renamedFrom: string | null }> {
  // Callers other than the dispatcher (the bulk demo, tests) may leave defaulted fields out.
  const reg = registrationSchema.parse(given);
  const assessment = await assessDraft(db, clock, rules, reg);
  // Hard refusals: data that cannot be true. Rule hits (late, exclusions, duplicates) are
  // recorded and shown; deciding on them is the confirmation officer's job, not the counter's.
  if (assessment.problems.length > 0) {
    const first = assessment.problems[0]!;
    throw new ApiError('INVALID_INPUT', `登记信息有误：${first.message}，请修改后再提交`, assessment.problems);
  }
  for (const p of reg.accident.orders) {
    if (!reg.worker.platforms.includes(p.platform)) reg.worker.platforms.push(p.platform);
  }
  const known = new Set((await db.selectFrom('platforms').select('code').execute()).map((r) => r.code));
  const unknown = reg.worker.platforms.find((p) => !known.has(p));
  if (unknown)
    throw new ApiError('INVALID_INPUT', `平台“${unknown}”不在平台名录中，请从列表中选择`, [
      { path: 'worker.platforms', message: '平台不在名录中' },
    ]);

  const now = chinaInstant(clock.now());
  if (reg.accidentReportId) {
    const report = await db
      .selectFrom('accident_reports')
      .select(['id', 'case_id', 'id_number'])
      .where('id', '=', reg.accidentReportId)
      .executeTakeFirst();
    if (!report) throw new ApiError('NOT_FOUND', '所选事故备案不存在，请重新查找');
    if (report.case_id) throw new ApiError('CONFLICT', '该事故备案已关联到其他申请，请勿重复登记');
    if (report.id_number !== reg.worker.idNumber)
      throw new ApiError('INVALID_INPUT', '事故备案中的身份证号码与登记人员不一致，请核对', [
        { path: 'worker.idNumber', message: '与备案不一致' },
      ]);
  }

  const existing = await db
    .selectFrom('workers')
    .select(['id', 'name', 'phone', 'platforms'])
    .where('id_number', '=', reg.worker.idNumber)
    .executeTakeFirst();
  let workerId: string;
  let renamedFrom: string | null = null;
  if (existing) {
    workerId = existing.id;
    if (existing.name !== reg.worker.name) {
      // One ID number, one person: a different name is a typing error or a real change of
      // name, and only the clerk can tell which. Never renamed on all their cases silently.
      if (!reg.confirmRename)
        throw new ApiError(
          'CONFLICT',
          `该身份证号码已登记的姓名为“${existing.name}”，与本次填写的“${reg.worker.name}”不一致。请核对证件：是同一人请改用已登记的姓名，或确认更正姓名（将同时更正此人所有案件上的姓名）`,
          [
            { path: 'worker.name', message: `该身份证号码已登记的姓名为“${existing.name}”` },
            { path: 'confirmRename', message: '需要确认是否更正姓名' },
          ],
        );
      renamedFrom = existing.name;
    }
    const platforms = [...new Set([...(JSON.parse(existing.platforms) as string[]), ...reg.worker.platforms])];
    await db
      .updateTable('workers')
      .set({
        name: reg.worker.name,
        phone: reg.worker.phone,
        industry: reg.worker.industry,
        platforms: JSON.stringify(platforms),
        updated_at: now,
      })
      .where('id', '=', workerId)
      .execute();
  } else {
    workerId = newId();
    await db
      .insertInto('workers')
      .values({
        id: workerId,
        name: reg.worker.name,
        id_number: reg.worker.idNumber,
        phone: reg.worker.phone,
        industry: reg.worker.industry,
        platforms: JSON.stringify(reg.worker.platforms),
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  const caseId = newId();
  const regNo = await registrationNo(db, reg.applicant.applicationDate.slice(0, 4));
  const fastTrack = assessment.fastTrack.eligible;
  await db
    .insertInto('cases')
    .values({
      id: caseId,
      registration_no: regNo,
      case_no: null,
      status: 'registered',
      version: 1,
      worker_id: workerId,
      accident_report_id: reg.accidentReportId,
      accident_at: `${reg.accident.at}:00+08:00`,
      accident_date: reg.accident.at.slice(0, 10),
      place: reg.accident.place,
      description: reg.accident.description,
      injuries: JSON.stringify(reg.accident.injuries),
      orders: JSON.stringify(reg.accident.orders),
      responsible_platform: assessment.responsiblePlatform.platform,
      applicant_kind: reg.applicant.kind,
      applicant_name: reg.applicant.name,
      application_date: reg.applicant.applicationDate,
      outpatient_only: reg.treatment.outpatientOnly ? 1 : 0,
      hospitalized: reg.treatment.hospitalized ? 1 : 0,
      facts_clear: reg.treatment.factsClear ? 1 : 0,
      disputed: reg.treatment.disputed ? 1 : 0,
      // A commute accident (第十一条第二项) is a traffic, rail, ferry or train accident by definition.
      traffic_accident: reg.accident.trafficAccident || reg.accident.circumstance.item === 'commute' ? 1 : 0,
      exclusions: JSON.stringify(reg.accident.exclusions),
      also_work_injury_claim: reg.accident.alsoWorkInjuryClaim ? 1 : 0,
      fast_track: fastTrack ? 1 : 0,
      // The name check is for the counter; once registered, the name is the person's.
      assessment: JSON.stringify({ ...assessment, registeredName: undefined }),
      registered_by: userId,
      registered_at: now,
      // The office (经办机构) registering it: this device's agency, carried with the case.
      office: (await getSettings(db)).agencyName,
      supplement_requested_at: null,
      supplement_due: null,
      accepted_by: null,
      accepted_at: null,
      investigation: null,
      decision_article: null,
      decision_reason: null,
      decided_by: null,
      decided_at: null,
      updated_at: now,
      circumstance: JSON.stringify(reg.accident.circumstance),
      treatment_extended_on: null,
      treatment_extension_reason: null,
    })
    .execute();
  const materials = withCircumstanceMaterials(
    checklistFor({
      fastTrack,
      fastTrackMaterials: fastTrack ? fastTrackMaterials(rules, reg.accident.at.slice(0, 10)) : [],
      trafficAccident: reg.accident.trafficAccident,
      applicantKind: reg.applicant.kind,
    }),
    reg.accident.circumstance,
  );
  for (const m of materials) {
    await db
      .insertInto('case_materials')
      .values({ case_id: caseId, code: m.code, label: m.label, required: 1, received: 0, note: '' })
      .execute();
  }
  await db
    .insertInto('case_transitions')
    .values({
      id: newId(),
      case_id: caseId,
      action: 'register',
      from_status: null,
      to_status: 'registered',
      by_user: userId,
      at: now,
      reason: '',
    })
    .execute();
  if (reg.payee)
    await db
      .insertInto('case_payees')
      .values({
        case_id: caseId,
        payee_name: reg.payee.name,
        bank: reg.payee.bank,
        account: reg.payee.account,
        updated_by: userId,
        updated_at: chinaInstant(clock.now()),
      })
      .execute();
  if (reg.accidentReportId)
    await db.updateTable('accident_reports').set({ case_id: caseId }).where('id', '=', reg.accidentReportId).execute();
  await indexCase(db, {
    caseId,
    workerName: reg.worker.name,
    idNumber: reg.worker.idNumber,
    phone: reg.worker.phone,
    registrationNo: regNo,
    caseNo: null,
    orderNos: reg.accident.orders.map((o) => o.orderNo),
  });
  // The person's other cases are found under the new name and phone too.
  if (existing && (renamedFrom !== null || existing.phone !== reg.worker.phone)) await reindexWorkerCases(db, workerId, caseId);
  return { caseId, registrationNo: regNo, assessment, renamedFrom };
}
