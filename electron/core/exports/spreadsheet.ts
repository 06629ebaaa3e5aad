// Writing export tables (shared/exports/table.ts) to files: XLSX with exceljs 4.4 (streaming
// writer, so a long audit log does not build the whole workbook in memory), one sheet per table,
// Chinese headers in bold, frozen header row, number formats by column kind; CSV as UTF-8 with a
// byte-order mark so Excel reads the Chinese correctly.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { headerOf, safeText, toCsv, exportFileName, type ExportTable } from '../../../shared/exports/table';
import type { FigureColumn } from '../../../shared/monitoring/figures';
import type { ExportFile, ExportFormat } from '../../../shared/api/methods/desk';

const NUM_FMT: Partial<Record<FigureColumn['kind'], string>> = { yuan: '#,##0.00', count: '#,##0', percent: '0.0', days: '0.0' };

/** Excel sheet names: at most 31 characters, none of []:*?/\, unique within the workbook. */
function sheetName(name: string, used: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, '－').slice(0, 28) || '表';
  let n = base;
  for (let i = 2; used.has(n); i++) n = `${base}${i}`;
  used.add(n);
  return n;
}

function cellValue(v: unknown, kind: FigureColumn['kind']): string | number | null {
  if (v === null || v === undefined) return null;
  if (kind === 'text') return safeText(String(v));
  const n = Number(v);
  return Number.isFinite(n) ? n : String(v);
}

export async function toXlsx(tables: readonly ExportTable[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '职伤保障工作台';
  const used = new Set<string>();
  for (const t of tables) {
    const ws = wb.addWorksheet(sheetName(t.name, used), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = t.columns.map((c) => ({
      header: headerOf(c),
      key: c.key,
      width: Math.min(40, Math.max(10, headerOf(c).length * 2 + 2, c.kind === 'text' ? 14 : 12)),
      style: NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind]! } : {},
    }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    for (const r of t.rows) ws.addRow(Object.fromEntries(t.columns.map((c) => [c.key, cellValue(r[c.key], c.kind)]))).commit();
    if (t.notes?.length) {
      ws.addRow([]).commit();
      for (const n of t.notes) ws.addRow([safeText(n)]).commit();
    }
    ws.commit();
  }
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function csvBytes(tables: readonly ExportTable[]): Buffer {
  return Buffer.concat([BOM, Buffer.from(toCsv(tables), 'utf8')]);
}

export async function exportFile(format: ExportFormat, what: string, date: string, tables: readonly ExportTable[]): Promise<ExportFile> {
  const bytes = format === 'xlsx' ? await toXlsx(tables) : csvBytes(tables);
  return {
    filename: exportFileName(what, date, format),
    mime: format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv;charset=utf-8',
    dataBase64: bytes.toString('base64'),
    rows: tables.reduce((n, t) => n + t.rows.length, 0),
  };
}
