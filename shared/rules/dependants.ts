// 供养亲属抚恤金: who is eligible and until when (the pack's rule, after 《因工死亡职工供养亲属范围规定》),
// and the monthly share of the base per dependant (spouse, others, +extra for 孤寡老人 or 孤儿),
// the total capped. A capped total is shared in proportion to each dependant's uncapped amount;
// fen are given out by largest remainder so the shares add up to the cap exactly.
import type { RulePack } from './rule-pack-schema';
import { DEPENDANT_END_LABELS, DEPENDANT_RELATION_LABELS, type Dependant, type DependantRelation } from './benefit-facts';
import { addDays, addMonths, type IsoDate } from './dates';
import { D, toFen, type Dec } from './money';

export interface DependantInput {
  relation: string;
  orphanOrSolitaryElder: boolean;
}

export interface DependantShare {
  index: number;
  rate: Dec;
  uncapped: Dec;
  amount: Dec;
}

export interface DependantPensionResult {
  shares: DependantShare[];
  cap: Dec;
  capped: boolean;
  uncappedTotal: Dec;
}

const ELDER_RELATIONS: readonly string[] = ['spouse', 'parent', 'grandparent'];

/** 孤儿 for the young relations, 孤寡老人 for the elder ones. */
export function extraLabel(relation: string): string {
  return ELDER_RELATIONS.includes(relation) ? '孤寡老人' : '孤儿';
}

export function dependantRate(pack: RulePack, d: DependantInput): Dec {
  const p = pack.parameters.dependantPension;
  const rate = new D(d.relation === 'spouse' ? p.spouseRate : p.otherRate);
  return d.orphanOrSolitaryElder ? rate.plus(p.orphanOrSolitaryElderExtra) : rate;
}

export interface Eligibility {
  eligible: boolean;
  /** Why, in Chinese, for the officer and the notice. */
  reason: string;
  article: string;
  /** Last day the pension is paid; null = no end known (for life, or until an event ends it). */
  until: IsoDate | null;
  /** When an elder relation not yet of age becomes eligible (a new determination may then be asked). */
  eligibleFrom?: IsoDate;
}

/** The day a person born on `birth` reaches `age` (年满 N 周岁); 29 February births reach it on 28 February. */
export function birthdayAt(birth: IsoDate, age: number): IsoDate {
  return addMonths(birth, age * 12);
}

/**
 * Whether a dependant recorded with the facts of eligibility is a 供养亲属 at the death, and until
 * when: depending on the worker for their main support, and then (by relation) of age or unable to
 * work, or a minor (a pupil or student longer, where the rule says so); a grandparent, grandchild or
 * sibling only when the nearer relatives are gone. An end event (employment, remarriage …) ends it.
 */
export function dependantEligibility(pack: RulePack, d: Dependant, deathDate: IsoDate): Eligibility {
  const rule = pack.parameters.dependantPension.eligibility;
  const who = DEPENDANT_RELATION_LABELS[d.relation];
  const refuse = (reason: string, extra: Partial<Eligibility> = {}): Eligibility => ({
    eligible: false,
    reason,
    article: rule.eligibleArticle,
    until: null,
    ...extra,
  });
  if (!d.birthDate)
    return { eligible: true, reason: '按所报情况认定为供养亲属（未提供出生日期等资格事实）', article: rule.eligibleArticle, until: null };
  if (!d.dependent) return refuse(`${who}不是依靠死者生前提供主要生活来源的亲属`);
  if (d.ended && d.ended.date <= deathDate)
    return refuse(`${who}于 ${d.ended.date} 因${DEPENDANT_END_LABELS[d.ended.reason]}已不符合条件`, { article: rule.endArticle });
  const needsNearerGone: Partial<Record<DependantRelation, string>> = {
    grandparent: '死者父母均已死亡',
    grandchild: '死者子女已死亡或完全丧失劳动能力',
    sibling: '死者父母均已死亡或完全丧失劳动能力',
  };
  const condition = needsNearerGone[d.relation];
  if (condition && !d.nearerRelativesGone) return refuse(`${who}须在${condition}时方为供养亲属`);

  let until: IsoDate | null = null;
  let reason: string;
  if (ELDER_RELATIONS.includes(d.relation)) {
    if (!d.sex) return refuse(`${who}须登记性别，以按男 ${rule.elderAge.male} 周岁、女 ${rule.elderAge.female} 周岁判断`);
    const age = rule.elderAge[d.sex];
    const ofAge = birthdayAt(d.birthDate, age);
    if (d.fullyDisabled) reason = `${who}完全丧失劳动能力`;
    else if (ofAge <= deathDate) reason = `${who}（${d.sex === 'male' ? '男' : '女'}）死亡时已年满 ${age} 周岁`;
    else
      return refuse(`${who}死亡时未满 ${age} 周岁且未完全丧失劳动能力；年满 ${age} 周岁（${ofAge}）后可申请重新核定`, {
        eligibleFrom: ofAge,
      });
  } else {
    const minorEnd = birthdayAt(d.birthDate, rule.minorUntilAge);
    const studentEnd = d.student && rule.studentUntilAge !== null ? birthdayAt(d.birthDate, rule.studentUntilAge) : null;
    if (d.fullyDisabled) reason = `${who}完全丧失劳动能力`;
    else if (minorEnd > deathDate) {
      reason = `${who}死亡时未满 ${rule.minorUntilAge} 周岁`;
      until = addDays(minorEnd, -1);
      if (studentEnd && studentEnd > minorEnd) {
        reason += `，在校学习期间至 ${rule.studentUntilAge} 周岁`;
        until = addDays(studentEnd, -1);
      }
    } else if (studentEnd && studentEnd > deathDate) {
      reason = `${who}在校学习，未满 ${rule.studentUntilAge} 周岁`;
      until = addDays(studentEnd, -1);
    } else return refuse(`${who}死亡时已年满 ${rule.minorUntilAge} 周岁且未完全丧失劳动能力`);
  }
  if (d.ended) {
    const stop = addDays(d.ended.date, -1);
    if (until === null || stop < until) {
      until = stop;
      reason += `；${d.ended.date} 因${DEPENDANT_END_LABELS[d.ended.reason]}停发`;
    }
  }
  return { eligible: true, reason, article: rule.eligibleArticle, until };
}

export function shareDependantPensions(pack: RulePack, base: Dec, dependants: readonly DependantInput[]): DependantPensionResult {
  const cap = toFen(base.times(pack.parameters.dependantPension.capShareOfBase));
  const uncappedShares = dependants.map((d, index) => {
    const rate = dependantRate(pack, d);
    return { index, rate, uncapped: toFen(base.times(rate)) };
  });
  const uncappedTotal = uncappedShares.reduce((s, x) => s.plus(x.uncapped), new D(0));
  if (uncappedTotal.lte(cap)) {
    return { shares: uncappedShares.map((s) => ({ ...s, amount: s.uncapped })), cap, capped: false, uncappedTotal };
  }
  const capFen = cap.times(100);
  const exact = uncappedShares.map((s) => capFen.times(s.uncapped).dividedBy(uncappedTotal));
  const floors = exact.map((x) => x.floor());
  let left = capFen.minus(floors.reduce((s, x) => s.plus(x), new D(0))).toNumber();
  // Largest remainder first; ties go to the earlier dependant so the result is deterministic.
  const order = exact.map((x, i) => ({ i, rem: x.minus(floors[i]!) })).sort((a, b) => b.rem.comparedTo(a.rem) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = floors[i]!.plus(1);
    left--;
  }
  return {
    shares: uncappedShares.map((s, i) => ({ ...s, amount: floors[i]!.dividedBy(100) })),
    cap,
    capped: true,
    uncappedTotal,
  };
}
