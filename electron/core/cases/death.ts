// A worker's death on a claim (第二十九条): recorded as a move of its own with the date, the proof
// and whether the occupational injury caused it, from whatever stage the claim is at; and the
// dependants (供养亲属) with the facts that give or end their eligibility, from which the pension
// lines and their end dates are computed.
import type { Kysely, Selectable } from 'kysely';
import type { Database, DependantsTable } from '../db-schema';
import { chinaDate, chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import type { User } from '../../../shared/api/methods/auth';
import type { DependantInput } from '../../../shared/api/methods/cases';
import { dependantEligibility, type Dependant } from '../../../shared/rules';
import { loadCaseRow } from './case-file';
import { transitionCase } from './case-transitions';
import { deathOf } from './case-blocks';
import { packFor, type RuleData } from './rule-data';

type Db = Kysely<Database>;

export async function recordDeath(
  db: Db,
  clock: Clock,
  rules: RuleData,
  user: User,
  input: { caseId: string; expectedVersion: number; deathDate: string; causedByInjury: boolean; evidence: string; note: string },
  separationOfDuties: boolean,
) {
  const c = await loadCaseRow(db, input.caseId);
  const existing = await deathOf(db, c.id);
  if (existing) throw new ApiError('CONFLICT', `本案已于 ${existing.recorded_at.slice(0, 10)} 登记死亡（死亡日期 ${existing.death_date}）`);
  const today = chinaDate(clock.now());
  if (input.deathDate > today)
    throw new ApiError('INVALID_INPUT', `死亡日期 ${input.deathDate} 晚于今天，请核对`, [{ path: 'deathDate', message: '晚于今天' }]);
  if (input.deathDate < c.accident_date)
    throw new ApiError('INVALID_INPUT', `死亡日期 ${input.deathDate} 早于事故日期 ${c.accident_date}，请核对`, [
      { path: 'deathDate', message: '早于事故日期' },
    ]);
  const r = await transitionCase(
    db,
    clock,
    rules,
    user,
    {
      caseId: c.id,
      action: 'record_death',
      expectedVersion: input.expectedVersion,
      reason: `死亡日期 ${input.deathDate}，${input.causedByInjury ? '因职业伤害导致' : '非因职业伤害导致'}；证明：${input.evidence.trim()}`,
    },
    separationOfDuties,
    'cases.recordDeath',
  );
  await db
    .insertInto('case_deaths')
    .values({
      case_id: c.id,
      death_date: input.deathDate,
      caused_by_injury: input.causedByInjury ? 1 : 0,
      evidence: input.evidence.trim(),
      note: input.note.trim(),
      recorded_by: user.id,
      recorded_at: chinaInstant(clock.now()),
    })
    .execute();
  return { status: r.status, version: r.version, from: r.from };
}

export function toDependant(r: Selectable<DependantsTable>): Dependant {
  return {
    relation: r.relation,
    name: r.name,
    sex: r.sex,
    birthDate: r.birth_date,
    dependent: r.dependent === 1,
    fullyDisabled: r.fully_disabled === 1,
    orphanOrSolitaryElder: r.orphan_or_solitary_elder === 1,
    student: r.student === 1,
    nearerRelativesGone: r.nearer_relatives_gone === 1,
    ...(r.ended_on && r.end_reason ? { ended: { date: r.ended_on, reason: r.end_reason } } : {}),
  };
}

export async function dependantRows(db: Db, caseId: string): Promise<Selectable<DependantsTable>[]> {
  return db.selectFrom('dependants').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

function ageOn(birth: string, on: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export async function listDependants(db: Db, rules: RuleData, caseId: string) {
  const c = await loadCaseRow(db, caseId);
  const death = await deathOf(db, caseId);
  const pack = packFor(rules, c.accident_date);
  return (await dependantRows(db, caseId)).map((r) => {
    const e = death ? dependantEligibility(pack, toDependant(r), death.death_date) : null;
    return {
      id: r.id,
      name: r.name,
      relation: r.relation,
      sex: r.sex,
      birthDate: r.birth_date,
      dependent: r.dependent === 1,
      fullyDisabled: r.fully_disabled === 1,
      orphanOrSolitaryElder: r.orphan_or_solitary_elder === 1,
      student: r.student === 1,
      nearerRelativesGone: r.nearer_relatives_gone === 1,
      ended: r.ended_on && r.end_reason ? { date: r.ended_on, reason: r.end_reason } : null,
      note: r.note,
      ageAtDeath: death ? ageOn(r.birth_date, death.death_date) : null,
      eligibility: e ? { eligible: e.eligible, reason: e.reason, article: e.article, until: e.until } : null,
    };
  });
}

const CLOSED = ['closed', 'withdrawn', 'terminated', 'not_confirmed'];

async function editableDeath(db: Db, caseId: string) {
  const c = await loadCaseRow(db, caseId);
  if (CLOSED.includes(c.status)) throw new ApiError('RULE_REFUSED', '案件已办结或不予确认，不能再登记供养亲属');
  const death = await deathOf(db, caseId);
  if (!death) throw new ApiError('RULE_REFUSED', '本案尚未登记死亡，请先登记死亡再登记供养亲属');
  return { c, death };
}

export async function saveDependant(
  db: Db,
  clock: Clock,
  user: User,
  caseId: string,
  d: DependantInput,
): Promise<{ id: string; created: boolean }> {
  const { death } = await editableDeath(db, caseId);
  const today = chinaDate(clock.now());
  const fields = (path: string, message: string) => [{ path: `dependant.${path}`, message }];
  if (d.birthDate > today) throw new ApiError('INVALID_INPUT', `出生日期 ${d.birthDate} 晚于今天，请核对`, fields('birthDate', '晚于今天'));
  if (d.ended) {
    if (d.ended.date > today)
      throw new ApiError('INVALID_INPUT', '终止日期不能晚于今天（尚未发生的情形请在发生后登记）', fields('ended.date', '晚于今天'));
    if (d.ended.date < d.birthDate)
      throw new ApiError('INVALID_INPUT', '终止日期早于出生日期，请核对', fields('ended.date', '早于出生日期'));
  }
  // A child born after the death (遗腹子) is a dependant; anyone else was born before it.
  if (d.birthDate > death.death_date && d.relation !== 'child')
    throw new ApiError(
      'INVALID_INPUT',
      `出生日期晚于死亡日期（${death.death_date}），只有死者子女可能如此，请核对`,
      fields('birthDate', '晚于死亡日期'),
    );
  const others = (await dependantRows(db, caseId)).filter((r) => r.id !== d.id);
  if (d.relation === 'spouse' && others.some((r) => r.relation === 'spouse'))
    throw new ApiError('INVALID_INPUT', '供养亲属中只能有一位配偶，请核对', fields('relation', '已有配偶'));
  const values = {
    name: d.name,
    relation: d.relation,
    sex: d.sex,
    birth_date: d.birthDate,
    dependent: d.dependent ? (1 as const) : (0 as const),
    fully_disabled: d.fullyDisabled ? (1 as const) : (0 as const),
    orphan_or_solitary_elder: d.orphanOrSolitaryElder ? (1 as const) : (0 as const),
    student: d.student ? (1 as const) : (0 as const),
    nearer_relatives_gone: d.nearerRelativesGone ? (1 as const) : (0 as const),
    ended_on: d.ended?.date ?? null,
    end_reason: d.ended?.reason ?? null,
    note: d.note,
    recorded_by: user.id,
    updated_at: chinaInstant(clock.now()),
  };
  if (d.id) {
    const r = await db.updateTable('dependants').set(values).where('id', '=', d.id).where('case_id', '=', caseId).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new ApiError('NOT_FOUND', '该供养亲属记录不存在，请刷新后重试');
    return { id: d.id, created: false };
  }
  const id = newId();
  await db
    .insertInto('dependants')
    .values({ id, case_id: caseId, ...values })
    .execute();
  return { id, created: true };
}

export async function removeDependant(db: Db, caseId: string, id: string): Promise<string> {
  await editableDeath(db, caseId);
  const r = await db.selectFrom('dependants').select('name').where('id', '=', id).where('case_id', '=', caseId).executeTakeFirst();
  if (!r) throw new ApiError('NOT_FOUND', '该供养亲属记录不存在，请刷新后重试');
  await db.deleteFrom('dependants').where('id', '=', id).execute();
  return r.name;
}
