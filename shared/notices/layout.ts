// The official-document frame after GB/T 9704-2012 (党政机关公文格式): A4, its margins, title
// and body sizes, the 发文字号 line, the issuing body and date with room for the seal, page
// numbers, and the verification QR code. Free Noto Serif SC stands in for 仿宋/小标宋.
import type { Content, DocDefinition } from './doc-model';

const MM = 72 / 25.4;
/** Top 37 mm, left 28 mm, text block 156 × 225 mm → right 26 mm, bottom 35 mm. */
export const MARGINS: [number, number, number, number] = [28 * MM, 37 * MM, 26 * MM, 35 * MM];
/** 3号 body, 2号 title, 4号 page numbers (points). */
export const BODY_PT = 16;
export const TITLE_PT = 22;
export const PAGE_NO_PT = 14;
/** 225 mm over 22 lines ≈ 29 pt per line; Noto's own line is ≈ 1.45 em, so 1.25 gets there. */
export const BODY_LINE_HEIGHT = 1.25;

export interface NoticeMeta {
  /** 发文字号, e.g. 青人社鉴〔2026〕第0001号. */
  documentNo: string;
  /** The issuing body (发文机关) printed above the date, where the seal goes. */
  issuer: string;
  /** YYYY-MM-DD. */
  issuedOn: string;
  /** Who issued or approved it. */
  signerName: string;
  /** What the QR code carries for offline verification. */
  qrText: string;
  /**
   * The QR code's modules, one string of 0/1 per row, when the caller has encoded it. Drawn as
   * one rectangle per horizontal run, which is several times cheaper to render than pdfmake's
   * own `qr` node (one rectangle per module); without it the `qr` node is used.
   */
  qrRows?: string[];
  /**
   * The same modules as a PNG data URL (the render job makes it): placed as one image, cheaper
   * still than the rectangles and smaller in the file. Preferred when present.
   */
  qrImage?: string;
}

const QR_SIZE = 92;

function qrNode(meta: NoticeMeta): Content {
  if (meta.qrImage) return { image: meta.qrImage, width: QR_SIZE, height: QR_SIZE };
  if (!meta.qrRows) return { qr: meta.qrText, fit: QR_SIZE, eccLevel: 'M' };
  const cell = QR_SIZE / meta.qrRows.length;
  const rects: { type: 'rect'; x: number; y: number; w: number; h: number; color: string }[] = [];
  meta.qrRows.forEach((row, y) => {
    for (const m of row.matchAll(/1+/g))
      rects.push({ type: 'rect', x: m.index * cell, y: y * cell, w: m[0].length * cell, h: cell, color: '#000' });
  });
  return { canvas: rects };
}

/** 2026-03-05 → 2026年3月5日 (Arabic numerals, no leading zeros). */
export function chineseDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 2026-11-20T12:30 → 2026年11月20日12时30分. */
export function chineseDateTime(local: string): string {
  const [date, time] = local.replace(' ', 'T').split('T');
  if (!time) return chineseDate(date!);
  const [h, min] = time.split(':').map(Number);
  return `${chineseDate(date!)}${h}时${String(min).padStart(2, '0')}分`;
}

/**
 * Formats a document number from a pattern. `{year}` is the year; `{seq}` the number without
 * leading zeros; `{seq:4}` padded to four digits. 青人社鉴〔{year}〕第{seq:4}号 → 青人社鉴〔2026〕第0001号.
 */
export function formatDocumentNo(pattern: string, year: number, seq: number): string {
  return pattern
    .replace('{year}', String(year))
    .replace(/\{seq(?::(\d+))?\}/, (_m, w: string | undefined) => (w ? String(seq).padStart(Number(w), '0') : String(seq)));
}

/** A body paragraph, its first line indented by two characters as official documents are. */
export function para(text: string, opts: { indent?: boolean; bold?: boolean } = {}): Content {
  return { text, leadingIndent: opts.indent === false ? 0 : 2 * BODY_PT, bold: opts.bold ?? false };
}

export function heading(text: string): Content {
  return { text, leadingIndent: 2 * BODY_PT, bold: true };
}

/** A two-column label/value table for the facts of a case. */
export function factsTable(rows: [string, string][]): Content {
  return {
    table: { widths: [110, '*'], body: rows.map(([k, v]) => [{ text: k, bold: true }, { text: v }]) },
    layout: { hLineWidth: () => 0.5, vLineWidth: () => 0.5, paddingTop: () => 2, paddingBottom: () => 2 },
    fontSize: 12,
    lineHeight: 1.15,
    margin: [0, 6, 0, 6],
  };
}

/** Issuer and date at the right with a dashed circle where the seal goes, the signer, and the QR. */
function closing(meta: NoticeMeta, dated: string): Content {
  return {
    unbreakable: true,
    margin: [0, 24, 0, 0],
    columns: [
      { width: 96, stack: [qrNode(meta), { text: '扫码核验', fontSize: 9, alignment: 'center', margin: [0, 2, 0, 0] }] },
      { width: '*', text: '' },
      {
        width: 230,
        stack: [
          { canvas: [{ type: 'ellipse', x: 115, y: 40, r1: 40, r2: 40, lineWidth: 0.6, dash: { length: 3 }, lineColor: '#b22' }] },
          { text: '（印章）', fontSize: 10, color: '#b22', alignment: 'center', margin: [0, -48, 0, 26] },
          { text: meta.issuer, alignment: 'center' },
          { text: chineseDate(dated), alignment: 'center' },
          { text: `签发人：${meta.signerName}`, fontSize: 11, alignment: 'center', margin: [0, 6, 0, 0] },
        ],
      },
    ],
  };
}

export interface NoticeBody {
  title: string;
  /** The addressee line (主送), e.g. 单通： */
  addressee?: string;
  content: Content[];
  /** The rights notice every decision must carry. */
  rights?: string;
  /** The date the document bears when it is not the day it is issued (a 结论书 bears its sign-off date). */
  dated?: string;
}

export function noticeDocument(body: NoticeBody, meta: NoticeMeta): DocDefinition {
  return {
    pageSize: 'A4',
    pageMargins: MARGINS,
    info: { title: `${body.title} ${meta.documentNo}`, creator: '职伤保障工作台', producer: '职伤保障工作台' },
    defaultStyle: { fontSize: BODY_PT, lineHeight: BODY_LINE_HEIGHT },
    footer: (page: number) => ({ text: `- ${page} -`, alignment: 'center', fontSize: PAGE_NO_PT, margin: [0, 7 * MM, 0, 0] }),
    content: [
      { text: body.title, fontSize: TITLE_PT, bold: true, alignment: 'center', margin: [0, 0, 0, 12] },
      { text: meta.documentNo, alignment: 'center', margin: [0, 0, 0, 12], noWrap: true },
      ...(body.addressee ? [{ text: body.addressee }] : []),
      ...body.content,
      ...(body.rights ? [para(body.rights)] : []),
      closing(meta, body.dated ?? meta.issuedOn),
    ],
  };
}

/** Everything printable in a definition, to check it against the font's character set. */
export function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    return ['text', 'stack', 'columns', 'ul', 'ol', 'content', 'table', 'body'].map((k) => (k in o ? textOf(o[k]) : '')).join('');
  }
  return '';
}
