// Which paragraph of the death article (青海办法 第二十九条) a recorded death falls under: a death
// caused by the occupational injury gives every death benefit (第一款, and 第二款 during the
// treatment period); a person graded 1–4 who dies after the treatment period gives the funeral grant
// and the pensions only (第三款). Anything else gives no death benefit, and the answer says why.
import type { RulePack } from './rule-pack-schema';
import type { IsoDate } from './dates';
import { RuleError } from './errors';

export interface DeathCaseFacts {
  deathDate: IsoDate;
  /** The death was caused by the occupational injury (death certificate, investigation). */
  causedByInjury: boolean;
  /** Last day of the treatment period: the recorded end, or the period's limit. */
  treatmentEnd: IsoDate;
  /** The grade of the latest signed conclusion, if any (null = 未达级 or none). */
  grade: number | null;
}

export interface DeathBasis {
  article: string;
  /** 第二十九条第三款: no death lump sum. */
  afterTreatmentWithGrade1to4: boolean;
  explanation: string;
}

export function deathBasis(pack: RulePack, f: DeathCaseFacts): DeathBasis {
  const P = pack.parameters.deathBasis;
  const during = f.deathDate <= f.treatmentEnd;
  if (f.causedByInjury) {
    return during
      ? {
          article: P.duringTreatmentArticle,
          afterTreatmentWithGrade1to4: false,
          explanation: `在治疗职业伤害期内（至 ${f.treatmentEnd}）因职业伤害导致死亡`,
        }
      : { article: P.injuryDeathArticle, afterTreatmentWithGrade1to4: false, explanation: '因职业伤害死亡' };
  }
  if (!during && f.grade !== null && f.grade <= P.afterTreatmentMaxGrade) {
    return {
      article: P.afterTreatmentArticle,
      afterTreatmentWithGrade1to4: true,
      explanation: `经鉴定为${f.grade}级伤残，治疗职业伤害期满（${f.treatmentEnd}）后死亡`,
    };
  }
  throw new RuleError(
    'INVALID_FACTS',
    during
      ? `死亡（${f.deathDate}）在治疗职业伤害期内（至 ${f.treatmentEnd}），但未登记为因职业伤害导致，不属于${P.duringTreatmentArticle}的情形。如治疗期已于更早日期结束，请在核定时填写治疗结束日期；如死亡系职业伤害导致，请更正死亡登记。`
      : `死亡（${f.deathDate}）在治疗职业伤害期满后，非因职业伤害导致，且${f.grade === null ? '本案无伤残等级' : `伤残等级为${f.grade}级`}，不属于${P.afterTreatmentArticle}（一级至${P.afterTreatmentMaxGrade}级伤残人员）的情形，不能核定死亡待遇。`,
    'death',
  );
}
