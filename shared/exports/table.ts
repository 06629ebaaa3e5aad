// Tables for export: a title, typed columns with Chinese headers and rows, as every list and
// figure is exported (XLSX by the core with exceljs, CSV here). Pure: the CSV text is built
// here; the core adds the UTF-8 byte-order mark Excel needs to read Chinese.
import type { Cell, FigureColumn, FigureRow } from '../monitoring/figures';

export interface ExportTable {
  /** The sheet's name (at most 31 characters in XLSX) and the section title in CSV. */
  name: string;
  columns: FigureColumn[];
  rows: FigureRow[];
  /** Lines printed under the table: definitions, the period, what is not included. */
  notes?: string[];
}

const UNIT: Partial<Record<FigureColumn['kind'], string>> = { yuan: '（元）', percent: '（%）' };

/** A column's header with its unit, the same in both formats. */
export function headerOf(c: FigureColumn): string {
  return `${c.label}${UNIT[c.kind] ?? ''}`;
}

/**
 * A text cell that a spreadsheet would read as a formula (=, +, -, @, tab, CR at the start) gets a
 * leading apostrophe, so an exported name or note can never run as a formula.
 */
export function safeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvField(v: Cell, kind: FigureColumn['kind']): string {
  if (v === null || v === undefined) return '';
  const s = kind === 'text' ? safeText(String(v)) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV (CRLF line ends); several tables are sections separated by a blank line. */
export function toCsv(tables: readonly ExportTable[]): string {
  const lines: string[] = [];
  tables.forEach((t, i) => {
    if (i > 0) lines.push('');
    if (tables.length > 1) lines.push(csvField(t.name, 'text'));
    lines.push(t.columns.map((c) => csvField(headerOf(c), 'text')).join(','));
    for (const r of t.rows) lines.push(t.columns.map((c) => csvField(r[c.key] ?? null, c.kind)).join(','));
    for (const n of t.notes ?? []) lines.push(csvField(n, 'text'));
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name people recognise: what, when, and the format. Characters Windows refuses are replaced. */
export function exportFileName(what: string, date: string, format: 'xlsx' | 'csv'): string {
  return `${what.replace(/[\\/:*?"<>|]/g, '－')}-${date}.${format}`;
}
