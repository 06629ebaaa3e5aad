// Numbers in zh-CN forms for figures and charts: counts with separators, yuan with two
// decimals, shares as percentages, working days with one decimal.
import type { Cell, ColumnKind } from '../../../shared/monitoring/figures';

const count = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const one = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });

export function formatCell(v: Cell, kind: ColumnKind): string {
  if (v === null || v === undefined || v === '') return '—';
  switch (kind) {
    case 'text':
      return String(v);
    case 'count':
      return count.format(Number(v));
    case 'yuan':
      return `${money.format(Number(v))} 元`;
    case 'percent':
      return `${one.format(Number(v))}%`;
    case 'days':
      return `${one.format(Number(v))} 个工作日`;
  }
}

/** Axis labels: large counts and amounts in 万 as Chinese readers expect. */
export function formatAxis(v: number, kind: ColumnKind): string {
  if (kind === 'percent') return `${one.format(v)}%`;
  if (Math.abs(v) >= 10_000) return `${one.format(v / 10_000)}万`;
  return count.format(v);
}
