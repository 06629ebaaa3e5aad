// The words for an appraisal's outcome, one table each, used by the rule engine, the notices,
// the audit summaries and the screens alike: the 伤残等级 (一级 … 十级, or 未达级) and the
// 生活自理障碍 level (GB/T 16180-2014 wording: 完全 / 大部分 / 部分生活自理障碍).

export const GRADES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
export type Grade = (typeof GRADES)[number];

export const GRADE_NAMES: Record<Grade, string> = {
  1: '一级',
  2: '二级',
  3: '三级',
  4: '四级',
  5: '五级',
  6: '六级',
  7: '七级',
  8: '八级',
  9: '九级',
  10: '十级',
};

/** A conclusion below grade 10. */
export const NO_GRADE_LABEL = '未达级';

/** 一级 … 十级, or 未达级 for null; a number outside 1–10 is shown as given, never as a wrong grade. */
export function gradeLabel(grade: number | null | undefined): string {
  if (grade === null || grade === undefined) return NO_GRADE_LABEL;
  return GRADE_NAMES[grade as Grade] ?? `${grade}级`;
}

export const NURSING_LEVELS = ['full', 'most', 'partial'] as const;
export type NursingLevel = (typeof NURSING_LEVELS)[number];

export const NURSING_LABELS: Record<NursingLevel, string> = {
  full: '完全生活自理障碍',
  most: '大部分生活自理障碍',
  partial: '部分生活自理障碍',
};

/** The conclusion when no self-care activity needs another person's help. */
export const NO_NURSING_LABEL = '无生活自理障碍';

export function nursingLabel(level: string | null | undefined): string {
  if (level === null || level === undefined) return NO_NURSING_LABEL;
  return NURSING_LABELS[level as NursingLevel] ?? level;
}
