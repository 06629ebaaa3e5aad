// 生活自理障碍 (GB/T 16180-2014) and how it maps to 生活护理费 levels. The level is judged on
// five activities; the counts for 大部分/部分 are not confirmed against the standard, so they
// are a parameter (docs/grading.md).
import { gradeLabel, NURSING_LABELS, type NursingLevel } from '../appraisal/grades';
import type { RulePack } from './rule-pack-schema';
import { RuleError } from './errors';

export const SELF_CARE_ACTIVITIES = [
  { code: 'eating', label: '进食' },
  { code: 'turning', label: '翻身' },
  { code: 'toileting', label: '大、小便' },
  { code: 'dressing', label: '穿衣、洗漱' },
  { code: 'moving', label: '自主行动' },
] as const;
export type SelfCareActivity = (typeof SELF_CARE_ACTIVITIES)[number]['code'];

export interface SelfCareThresholds {
  full: number;
  most: number;
  partial: number;
}

/** 完全 = all five need help; 大部分 = three or four; 部分 = one or two (unconfirmed; see docs). */
export const DEFAULT_SELF_CARE_THRESHOLDS: SelfCareThresholds = { full: 5, most: 3, partial: 1 };

/** The level from the activities that need another person's help; null = no impairment. */
export function selfCareLevel(
  needsHelp: readonly SelfCareActivity[],
  thresholds: SelfCareThresholds = DEFAULT_SELF_CARE_THRESHOLDS,
): NursingLevel | null {
  const known = new Set(SELF_CARE_ACTIVITIES.map((a) => a.code));
  for (const a of needsHelp) {
    if (!known.has(a))
      throw new RuleError('INVALID_INPUT', `“${a}”不是生活自理的五项活动之一（进食、翻身、大小便、穿衣洗漱、自主行动），请核对。`);
  }
  const n = new Set(needsHelp).size;
  if (n >= thresholds.full) return 'full';
  if (n >= thresholds.most) return 'most';
  if (n >= thresholds.partial) return 'partial';
  return null;
}

/**
 * Whether a 生活自理障碍 level can go with a grade (GB/T 16180-2014 定级原则: 完全 only with grade 1,
 * 大部分 with 1–2, 部分 with 1–4, none with 5–10, as the pack records it); the refusal, or null.
 */
export function nursingGradeMismatch(pack: RulePack, grade: number | null, level: NursingLevel | null): string | null {
  if (level === null) return null;
  const max = pack.parameters.nursing.maxGradeByLevel[level];
  if (grade === null) return `未达级的鉴定结论不能认定“${NURSING_LABELS[level]}”，请核对生活自理障碍程度。`;
  if (grade <= max) return null;
  const range = max === 1 ? '一级伤残' : `一级至${gradeLabel(max)}伤残`;
  return `${gradeLabel(grade)}伤残不能认定“${NURSING_LABELS[level]}”：该程度只与${range}相应（${pack.parameters.nursing.levelSource}）。请核对伤残等级和生活自理障碍程度。`;
}

/** The monthly rate of the base a nursing level pays under the pack. */
export function nursingRate(pack: RulePack, level: NursingLevel): string {
  return pack.parameters.nursing.rates[level];
}
