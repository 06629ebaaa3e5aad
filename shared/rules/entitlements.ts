// What a disability conclusion entitles a worker to, before any statistic is known: the lines of
// the pack (一次性伤残补助金, 伤残津贴, 一次性津贴, 生活护理费) for a grade and nursing level, each
// as a multiple of the 计发基数 with its article. Amounts come from computeBenefits alone.
import type { RulePack } from './rule-pack-schema';
import type { LineCode } from './benefit-result';
import { D, percent } from './money';
import { NURSING_LABELS, type NursingLevel } from '../appraisal/grades';

export interface Entitlement {
  code: LineCode;
  label: string;
  /** '13 个月 × 计发基数' or '75% × 计发基数／月'. */
  multiple: string;
  period: 'once' | 'monthly';
  article: string;
}

export function entitlementsFor(pack: RulePack, grade: number | null, nursing: NursingLevel | null): Entitlement[] {
  if (grade === null) return [];
  const P = pack.parameters;
  const g = String(grade) as keyof typeof P.disabilityLumpSum.months;
  const out: Entitlement[] = [];
  const lump = P.disabilityLumpSum.months[g];
  if (lump !== undefined)
    out.push({
      code: 'disability_lump_sum',
      label: '一次性伤残补助金',
      multiple: `${lump} 个月 × 计发基数`,
      period: 'once',
      article: P.disabilityLumpSum.article,
    });
  const rate = P.disabilityAllowance.rates[g as '1'];
  if (rate !== undefined)
    out.push({
      code: 'disability_allowance',
      label: '伤残津贴',
      multiple: `${percent(new D(rate))} × 计发基数／月`,
      period: 'monthly',
      article: P.disabilityAllowance.article,
    });
  const ota = P.oneTimeAllowance.months[g as '5'];
  if (ota !== undefined)
    out.push({
      code: 'one_time_allowance',
      label: '一次性津贴',
      multiple: `${ota} 个月 × 计发基数`,
      period: 'once',
      article: P.oneTimeAllowance.article,
    });
  if (nursing && grade <= P.nursing.maxGradeByLevel[nursing]) {
    out.push({
      code: 'nursing_allowance',
      label: `生活护理费（${NURSING_LABELS[nursing]}）`,
      multiple: `${percent(new D(P.nursing.rates[nursing]))} × 计发基数／月`,
      period: 'monthly',
      article: P.nursing.article,
    });
  }
  return out;
}
