// The official-document frame after GB/T 9704-2012 (党政机关公文格式): A4, its margins, title
// and body sizes, the 发文字号 line, the issuing body and date with room for the seal, page
// numbers, and the verification QR code. Free Noto Serif SC stands in for 仿宋/小标宋.
import type { Content, DocDefinition } from './doc-model';
import { gradeLabel } from '../appraisal/grades';

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
  /**
   * Tighter lines and tables, for a body a little longer than one page: the renderer tries it
   * when the standard layout spills onto a second page, and keeps it if the notice then fits
   * on one (render-job.ts).
   */
  compact?: boolean;
  /**
   * The last try for a body that still spills in the compact layout: body in 四号 (14 pt) at
   * single spacing, tables in 10 pt (GB/T 9704 allows a smaller size where the text needs it).
   */
  dense?: boolean;
}

const QR_SIZE = 72;

/** The dense layout's QR code: 20 mm, still read by a phone at arm's length. */
const DENSE_QR_SIZE = 56;

function qrNode(meta: NoticeMeta): Content {
  const size = meta.dense ? DENSE_QR_SIZE : QR_SIZE;
  if (meta.qrImage) return { image: meta.qrImage, width: size, height: size };
  if (!meta.qrRows) return { qr: meta.qrText, fit: size, eccLevel: 'M' };
  const cell = size / meta.qrRows.length;
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

/**
 * Text as a notice prints it, whatever the data brought: an ISO date in words (2026-11-30 →
 * 2026年11月30日, also inside a sentence such as a rule's explanation), a grade in Chinese
 * numerals (9级 → 九级), and no doubled punctuation where a sentence from data that already ends
 * in 。 is followed by the template's own 。 (。。, ；。, ，。 → 。).
 */
export function tidy(text: string): string {
  return text
    .replace(
      /(?<![\d\w-])(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?(?![\d\w-])/g,
      (_m, y: string, mo: string, d: string, h?: string, mi?: string) =>
        h ? chineseDateTime(`${y}-${mo}-${d}T${h}:${mi}`) : chineseDate(`${y}-${mo}-${d}`),
    )
    .replace(/(?<![\d\w-])(\d{4})-(\d{2})(?![\d\w-])/g, (_m, y: string, mo: string) => `${y}年${Number(mo)}月`)
    .replace(/(?<![\d.])(10|[1-9])级/g, (_m, g: string) => gradeLabel(Number(g)))
    .replace(/[。，、；：]+(?=[。！？])/g, '')
    .replace(/([。，、；：！？])\1+/g, '$1');
}

/**
 * An article with its regulation named in full, as a notice must cite it:
 * 《青海省新就业形态人员职业伤害保障实施办法（试行）》第十五条. The title comes from the rule pack
 * (`regulationTitle`); an article that already names its document is left alone.
 */
export function cite(article: string, regulation: string | null | undefined): string {
  if (!regulation || article.includes('《')) return article;
  return `${regulation}${article}`;
}

/**
 * The regulation's title from a rule pack's `document`: its first 《…》, or else the text before
 * the first note in brackets, put in 《》; null for an empty one.
 */
export function regulationTitle(document: string | null | undefined): string | null {
  const quoted = /《[^《》]+》/.exec(document ?? '')?.[0];
  if (quoted) return quoted;
  const bare = (document ?? '').split(/[（(]/)[0]!.trim();
  return bare ? `《${bare}》` : null;
}

/** A body paragraph, its first line indented by two characters as official documents are. */
export function para(text: string, opts: { indent?: boolean; bold?: boolean } = {}): Content {
  return { text: tidy(text), leadingIndent: opts.indent === false ? 0 : 2 * BODY_PT, bold: opts.bold ?? false };
}

export function heading(text: string): Content {
  return { text: tidy(text), leadingIndent: 2 * BODY_PT, bold: true };
}

/** A two-column label/value table for the facts of a case. */
export function factsTable(rows: [string, string][]): Content {
  return {
    table: { widths: [110, '*'], body: rows.map(([k, v]) => [{ text: k, bold: true }, { text: tidy(v) }]) },
    layout: { hLineWidth: () => 0.5, vLineWidth: () => 0.5, paddingTop: () => 2, paddingBottom: () => 2 },
    fontSize: 12,
    lineHeight: 1.15,
    margin: [0, 6, 0, 6],
  };
}

/** Width of the issuer's column: the body's right part, as the seal and date sit under the text. */
const ISSUER_WIDTH = 250;

/**
 * The issuing body on one line, never broken inside a word (社会保/障局): 3号 when it fits the
 * column, smaller when a long name would not (a character is one em wide).
 */
export function issuerFontSize(issuer: string): number {
  return Math.min(BODY_PT, Math.floor((ISSUER_WIDTH / Math.max(1, [...issuer].length)) * 10) / 10);
}

/**
 * Issuer and date at the right with the seal's dashed circle over them (where a real seal goes),
 * the signer, and the QR code at the left. Kept compact and unbreakable, so that it stays on the
 * page that ends the body: a one-page notice carries its seal, QR code and date on page 1.
 */
function closing(meta: NoticeMeta, dated: string): Content {
  const cx = ISSUER_WIDTH / 2;
  return {
    unbreakable: true,
    margin: [0, meta.dense ? 0 : meta.compact ? 4 : 14, 0, 0],
    columns: [
      { width: 76, stack: [qrNode(meta), { text: '扫码核验', fontSize: 9, lineHeight: 1, alignment: 'center', margin: [0, 1, 0, 0] }] },
      { width: '*', text: '' },
      {
        width: ISSUER_WIDTH,
        stack: [
          {
            text: meta.issuer,
            alignment: 'center',
            noWrap: true,
            fontSize: issuerFontSize(meta.issuer),
            lineHeight: 1,
            margin: [0, 8, 0, 0],
          },
          { text: chineseDate(dated), alignment: 'center', noWrap: true, lineHeight: 1, margin: [0, 4, 0, 0] },
          { text: `签发人：${meta.signerName}`, fontSize: 11, lineHeight: 1, alignment: 'center', margin: [0, 4, 0, 0] },
          // Drawn last, pulled back up over the issuer and the date: where the seal is pressed.
          {
            canvas: [{ type: 'ellipse', x: cx, y: 36, r1: 38, r2: 38, lineWidth: 0.6, dash: { length: 3 }, lineColor: '#b22' }],
            margin: [0, -70, 0, 0],
          },
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

/** Every piece of text in a node tidied (tables and lists included, whatever built them). */
function tidyNode(node: Content): Content {
  if (typeof node === 'string') return tidy(node);
  if (Array.isArray(node)) return node.map(tidyNode);
  const o: Record<string, unknown> = { ...node };
  if (typeof o.text === 'string') o.text = tidy(o.text);
  else if (Array.isArray(o.text)) o.text = (o.text as Content[]).map(tidyNode);
  for (const k of ['stack', 'columns', 'ul', 'ol'] as const) if (Array.isArray(o[k])) o[k] = (o[k] as Content[]).map(tidyNode);
  if (o.table) {
    const t = o.table as { body: Content[][] };
    o.table = { ...t, body: t.body.map((row) => row.map(tidyNode)) };
  }
  return o as unknown as Content;
}

/** Line height of the body in the compact layout (≈ 27 lines a page instead of 22). */
const COMPACT_LINE_HEIGHT = 1.02;

/** The compact layout's tables: 11 pt at single spacing. */
function compacted(node: Content): Content {
  if (typeof node === 'string' || !('table' in node)) return node;
  return { ...node, fontSize: Math.min(node.fontSize ?? 11, 11), lineHeight: 1, margin: [0, 3, 0, 3] };
}

/** Body size of the dense layout (四号) and its paragraphs' indent of two characters. */
const DENSE_PT = 14;
/** The fonts' line box is about 1.45 em: 0.92 of it is some 18.7 pt, still a third of a character between lines. */
const DENSE_LINE_HEIGHT = 0.92;

/** The dense layout: paragraphs indented by two of its smaller characters, tables 10 pt, lines single. */
function densified(node: Content): Content {
  if (typeof node === 'string') return node;
  if ('table' in node)
    return {
      ...node,
      fontSize: Math.min(node.fontSize ?? 10, 10),
      lineHeight: 1,
      margin: [0, 2, 0, 2],
      // Ruled tables get tighter cells; a named layout (no borders) is kept as it is.
      ...(typeof (node as { layout?: unknown }).layout === 'string'
        ? {}
        : { layout: { hLineWidth: () => 0.5, vLineWidth: () => 0.5, paddingTop: () => 1, paddingBottom: () => 0 } }),
    } as Content;
  const o = node as { leadingIndent?: number; fontSize?: number };
  return {
    ...node,
    ...(o.leadingIndent ? { leadingIndent: 2 * DENSE_PT } : {}),
    ...(o.fontSize ? { fontSize: Math.min(o.fontSize, DENSE_PT) } : {}),
  } as Content;
}

export function noticeDocument(body: NoticeBody, meta: NoticeMeta): DocDefinition {
  const shaped = meta.dense ? body.content.map(densified) : meta.compact ? body.content.map(compacted) : body.content;
  const content = shaped.map(tidyNode);
  const gap = meta.dense ? 4 : meta.compact ? 6 : 12;
  return {
    pageSize: 'A4',
    pageMargins: MARGINS,
    info: { title: `${body.title} ${meta.documentNo}`, creator: '职伤保障工作台', producer: '职伤保障工作台' },
    defaultStyle: {
      fontSize: meta.dense ? DENSE_PT : BODY_PT,
      lineHeight: meta.dense ? DENSE_LINE_HEIGHT : meta.compact ? COMPACT_LINE_HEIGHT : BODY_LINE_HEIGHT,
    },
    footer: (page: number) => ({ text: `- ${page} -`, alignment: 'center', fontSize: PAGE_NO_PT, margin: [0, 7 * MM, 0, 0] }),
    content: [
      { text: body.title, fontSize: meta.dense ? 20 : TITLE_PT, bold: true, alignment: 'center', margin: [0, 0, 0, gap] },
      { text: meta.documentNo, alignment: 'center', margin: [0, 0, 0, gap], noWrap: true },
      ...(body.addressee ? [{ text: tidy(body.addressee) }] : []),
      ...content,
      ...(body.rights ? [meta.dense ? densified(para(body.rights)) : para(body.rights)] : []),
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
