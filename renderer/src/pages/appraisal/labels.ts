// Display words for grades and nursing levels.
const GRADE = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export function gradeLabel(g: number | null | undefined): string {
  return g ? `${GRADE[g]}级` : '未达级';
}

export const NURSING_OPTIONS = [
  { value: null as null | 'full' | 'most' | 'partial', label: '无' },
  { value: 'partial' as const, label: '部分不能自理' },
  { value: 'most' as const, label: '大部分不能自理' },
  { value: 'full' as const, label: '完全不能自理' },
];
