// The numbering series (发文字号序列) by their Chinese names, and the local patterns a device
// numbers with before an administrator or the centre gives it blocks of its own.
import { formatDocumentNo } from './layout';

export const NUMBER_SERIES = ['intake', 'confirmation', 'appraisal', 'benefits', 'delivery'] as const;
export type NumberSeries = (typeof NUMBER_SERIES)[number];

export const SERIES_LABELS: Record<NumberSeries, string> = {
  intake: '受理类',
  confirmation: '确认类',
  appraisal: '鉴定类',
  benefits: '待遇类',
  delivery: '送达类',
};

/** What each series numbers, for the block editor. */
export const SERIES_DOCUMENTS: Record<NumberSeries, string> = {
  intake: '受理通知书、一次性补正告知书',
  confirmation: '职业伤害确认结论书、不予确认职业伤害结论书',
  appraisal: '劳动能力鉴定结论书、专场报告',
  benefits: '待遇核定通知书、平台企业承担费用告知书',
  delivery: '单独出具的送达回证',
};

/** Local patterns used out of the box; an administrator changes them in 系统管理 → 文号号段. */
export const DEFAULT_PATTERNS: Record<NumberSeries, string> = {
  intake: '职伤受〔{year}〕{seq}号',
  confirmation: '职伤确〔{year}〕{seq}号',
  appraisal: '劳鉴〔{year}〕第{seq:4}号',
  benefits: '职伤待〔{year}〕{seq}号',
  delivery: '送达〔{year}〕{seq}号',
};

/** The size of a default block: 1–9999 of the year. */
export const DEFAULT_BLOCK_SIZE = 9999;

export function seriesLabel(series: string): string {
  return (SERIES_LABELS as Record<string, string>)[series] ?? '其他';
}

/** The number a block would give next, for the editor's preview; null while the pattern is incomplete. */
export function previewNumber(pattern: string | undefined, year: number | undefined, next: number | undefined): string | null {
  if (!pattern || !/\{seq(?::\d+)?\}/.test(pattern) || !year || !next) return null;
  return formatDocumentNo(pattern, year, next);
}
