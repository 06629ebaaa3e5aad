// 生活自理障碍 (GB/T 16180-2014) and how it maps to 生活护理费 levels. The level is judged on
// five activities; the counts for 大部分/部分 are not confirmed against the standard, so they
// are a parameter (docs/grading.md).
import type { NursingLevel } from '../appraisal/grades';
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

/** The monthly rate of the base a nursing level pays under the pack. */
export function nursingRate(pack: RulePack, level: NursingLevel): string {
  return pack.parameters.nursing.rates[level];
}
