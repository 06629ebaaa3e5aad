// pdfmake in the main process, with the CJK fonts read from disk once and parsed once per
// process. pdfkit re-parses a font for every document (about 40 ms for a 15 MB Noto Serif
// SC); we give it the same Buffer each time and memoise fontkit's parse of that Buffer.
//
// Rare characters: Noto Serif SC has no CJK Extension B–F (𠮷, 𡈼), and pdfmake has no font
// fallback. So before rendering, every run of characters Noto lacks and the bundled fallback
// (HanaMinB, resources/fonts) has is given `font: 'Fallback'` here, in one walk over the
// definition; templates stay unaware of it. The fallback (31 MB) is read and parsed only the
// first time a document needs it; both fonts are embedded as subsets.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { DynamicContent, TDocumentDefinitions } from 'pdfmake/interfaces';

// Not named `require`: the bundler's ES-module shim declares that name in the built file.
const nodeRequire = createRequire(import.meta.url);

interface FontkitModule {
  create(buffer: Uint8Array, postscriptName?: string): unknown;
}
interface PdfMake {
  virtualfs: { writeFileSync(name: string, data: Buffer): void };
  setFonts(fonts: Record<string, Record<string, unknown>>): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (p: string) => boolean): void;
  createPdf(doc: TDocumentDefinitions, options?: object): { getBuffer(): Promise<Buffer> };
}
interface GlyphSet {
  hasGlyphForCodePoint(cp: number): boolean;
}

let engine: PdfMake | null = null;
let regularFont: GlyphSet | null = null;
/** The fallback font once asked for: null when its file is missing (then rare characters are refused). */
let fallbackFont: GlyphSet | null | undefined;
const REGULAR = 'NotoSerifSC-Regular.ttf';
const BOLD = 'NotoSerifSC-Bold.ttf';
const FALLBACK = 'HanaMinB.ttf';
/** The pdfmake font family of the runs the main font cannot draw. */
export const FALLBACK_FAMILY = 'Fallback';

export function fontFiles(): { regular: string; bold: string; fallback: string } {
  const dir = fontsDir();
  return {
    // Noto Serif SC (OFL), the two weights the notices use, vendored in resources/fonts.
    regular: path.join(dir, 'NotoSerifSC-Regular.ttf'),
    bold: path.join(dir, 'NotoSerifSC-Bold.ttf'),
    // Hanazono Mincho B (OFL / Hanazono Font License): CJK Extensions B–F, 60,000 glyphs.
    fallback: path.join(dir, FALLBACK),
  };
}

/**
 * resources/fonts, looked for as rule-resources.ts looks for the resources folder
 * (OIP_RESOURCES_DIR in the packaged app; beside the sources, beside out/main, the cwd) but
 * without importing the rule engine, which would slow the first notice.
 */
function fontsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dirs = [
    process.env.OIP_RESOURCES_DIR,
    path.resolve(here, '../../../resources'),
    path.resolve(here, '../../resources'),
    path.resolve(here, '../resources'),
  ];
  const found = dirs.find((d) => d && fs.existsSync(path.join(d, 'fonts', REGULAR)));
  return path.join(found ?? path.resolve(process.cwd(), 'resources'), 'fonts');
}

/** Swaps fontkit's module object, before pdfkit loads it, for one that memoises create(). */
function memoiseFontParsing(): void {
  const pdfkitDir = path.dirname(nodeRequire.resolve('pdfkit/package.json'));
  const fontkitId = nodeRequire.resolve('fontkit', { paths: [pdfkitDir] });
  const real = nodeRequire(fontkitId) as FontkitModule;
  const parsed = new WeakMap<Uint8Array, unknown>();
  const create = (buffer: Uint8Array, postscriptName?: string) => {
    fontStats.opened++;
    if (postscriptName) return real.create(buffer, postscriptName);
    let font = parsed.get(buffer);
    if (!font) {
      fontStats.parsed++;
      parsed.set(buffer, (font = real.create(buffer)));
    }
    return font;
  };
  // The module's own properties are getters: build a plain object that delegates to it.
  const memo = Object.create(real as object, { create: { value: create, enumerable: true } }) as FontkitModule;
  const cached = nodeRequire.cache[fontkitId];
  if (cached) cached.exports = memo;
  fontkit = memo;
}

let fontkit: FontkitModule | null = null;

/**
 * How often pdfkit asked for a font through our memoised fontkit, and how often that meant a
 * real parse. The patch reaches into pdfmake's and pdfkit's internals (hence pdfmake pinned
 * exactly in package.json): a test renders twice and checks that pdfkit still comes through
 * here and that the second document parses nothing.
 */
const fontStats = { opened: 0, parsed: 0 };
export function fontParseStats(): { opened: number; parsed: number } {
  return { ...fontStats };
}

function load(): PdfMake {
  if (engine) return engine;
  memoiseFontParsing();
  const files = fontFiles();
  engine = nodeRequire('pdfmake') as PdfMake;
  // pdfmake's virtual file system hands back the very same Buffer each time, which is what
  // lets the memoised parse above hit.
  const regular = fs.readFileSync(files.regular);
  engine.virtualfs.writeFileSync(REGULAR, regular);
  regularFont = fontkit!.create(regular) as typeof regularFont;
  engine.virtualfs.writeFileSync(BOLD, fs.readFileSync(files.bold));
  // Documents are built from our own templates only: no URLs, no files from disk.
  engine.setUrlAccessPolicy(() => false);
  engine.setLocalAccessPolicy(() => false);
  return engine;
}

/** Whether this process has read the fallback font (it should not have for an ordinary notice). */
export function fallbackFontLoaded(): boolean {
  return fallbackFont !== undefined && fallbackFont !== null;
}

/** The fallback font, read and parsed on first use only. */
function fallback(): GlyphSet | null {
  if (fallbackFont !== undefined) return fallbackFont;
  const pm = load();
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(fontFiles().fallback);
  } catch {
    return (fallbackFont = null);
  }
  pm.virtualfs.writeFileSync(FALLBACK, bytes);
  return (fallbackFont = fontkit!.create(bytes) as GlyphSet);
}

/** Variation selectors belong to the character before them (fontkit reads the pair). */
const isVariationSelector = (cp: number) => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
/** Characters never checked: ASCII, whitespace (incl. the ideographic space) and variation selectors. */
const unchecked = (ch: string, cp: number) => cp <= 0x7f || isVariationSelector(cp) || /\s/.test(ch);

/** The main font's answer per code point, remembered: 0 not asked yet, 1 has it, 2 lacks it. */
const mainCoverage = new Uint8Array(0x110000);
function mainHas(cp: number): boolean {
  let known = mainCoverage[cp]!;
  if (known === 0) {
    if (!regularFont) load();
    mainCoverage[cp] = known = regularFont!.hasGlyphForCodePoint(cp) ? 1 : 2;
  }
  return known === 1;
}

/** Whether a character goes to the fallback font: the main font lacks it and the fallback has it. */
function wantsFallback(ch: string, cp: number): boolean {
  if (cp <= 0x7f || mainHas(cp) || unchecked(ch, cp)) return false;
  return fallback()?.hasGlyphForCodePoint(cp) ?? false;
}

type Style = Record<string, unknown>;
type Inline = string | Style;

/**
 * A string cut into runs by font: null when it needs no fallback. `style` is the inline's own
 * style, copied onto every piece (pdfmake drops the style of an inline whose text is an array).
 */
function runs(text: string, style: Style | null): Inline[] | null {
  let pieces: Inline[] | null = null;
  let run = '';
  let runFallback = false;
  const flush = () => {
    if (!run) return;
    const own: Style | null = style ? { ...style, text: run } : null;
    if (pieces!.length > 0 && own) delete own.id;
    pieces!.push(runFallback ? { ...(own ?? { text: run }), font: FALLBACK_FAMILY } : (own ?? run));
    run = '';
  };
  let i = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const fb: boolean = isVariationSelector(cp) ? runFallback : wantsFallback(ch, cp);
    if (fb && !pieces) {
      pieces = [];
      run = text.slice(0, i);
    }
    if (pieces && fb !== runFallback) {
      flush();
      runFallback = fb;
    }
    if (pieces) run += ch;
    i += ch.length;
  }
  if (!pieces) return null;
  flush();
  return pieces;
}

/** Maps an array, returning the very same array when nothing in it changed. */
function mapSame<T>(items: T[], fn: (item: T) => T): T[] {
  let out: T[] | null = null;
  items.forEach((item, i) => {
    const next = fn(item);
    if (next !== item && !out) out = items.slice(0, i);
    if (out) out.push(next);
  });
  return out ?? items;
}

/** The inlines of a `text` array, each cut by font; the same array when nothing changed. */
function inlines(items: unknown[]): unknown[] {
  let out: unknown[] | null = null;
  items.forEach((item, i) => {
    let next: unknown[] | null = null;
    if (typeof item === 'string') next = runs(item, null);
    else if (item && typeof item === 'object' && !Array.isArray(item)) {
      const o = item as Style;
      if (typeof o.text === 'string') next = runs(o.text, o);
      else if (Array.isArray(o.text)) {
        const inner = inlines(o.text);
        if (inner !== o.text) next = [{ ...o, text: inner }];
      }
    } else if (Array.isArray(item)) {
      const inner = inlines(item);
      if (inner !== item) next = [inner];
    }
    if (next && !out) out = items.slice(0, i);
    if (out) out.push(...(next ?? [item]));
  });
  return out ?? items;
}

/**
 * The definition's content with every run the main font lacks (and the fallback has) set in
 * the fallback font. Walks what pdfmake lays out as text, in pdfmake's own order of node
 * kinds: strings, arrays (stacks), columns, stack, ul, ol, table bodies and `text` (string or
 * inline array). Returns the very same node when nothing needs the fallback.
 */
export function withFallbackFont<T>(node: T): T {
  if (typeof node === 'string') {
    const r = runs(node, null);
    return (r ? { text: r } : node) as T;
  }
  if (Array.isArray(node)) return mapSame(node as unknown[], withFallbackFont) as T;
  if (!node || typeof node !== 'object') return node;
  const o = node as Style;
  const list = (key: string) => {
    const items = o[key];
    if (!Array.isArray(items)) return node;
    const next = mapSame(items as unknown[], withFallbackFont);
    return (next === items ? node : { ...o, [key]: next }) as T;
  };
  if ('columns' in o) return list('columns');
  if ('stack' in o) return list('stack');
  if ('ul' in o) return list('ul');
  if ('ol' in o) return list('ol');
  if ('table' in o) {
    const table = o.table as { body?: unknown[][] } | undefined;
    if (!table || !Array.isArray(table.body)) return node;
    const body = mapSame(table.body, (row) => (Array.isArray(row) ? mapSame(row, withFallbackFont) : row));
    return (body === table.body ? node : { ...o, table: { ...table, body } }) as T;
  }
  if (typeof o.text === 'string') {
    const r = runs(o.text, null);
    return (r ? { ...o, text: r } : node) as T;
  }
  if (Array.isArray(o.text)) {
    const next = inlines(o.text);
    return (next === o.text ? node : { ...o, text: next }) as T;
  }
  return node;
}

/** A header or footer, given as a node or as a function of the page, run through the fallback walk. */
function pageFurniture(f: TDocumentDefinitions['footer']): TDocumentDefinitions['footer'] {
  if (typeof f !== 'function') return withFallbackFont(f);
  const dynamic: DynamicContent = (page, pages, size) => withFallbackFont(f(page, pages, size));
  return dynamic;
}

/** Renders one document definition to PDF bytes. Fresh fonts dictionary per call: pdfmake mutates it. */
export async function renderPdf(doc: TDocumentDefinitions): Promise<Buffer> {
  const pm = load();
  pm.setFonts({
    NotoSerifSC: { normal: REGULAR, bold: BOLD, italics: REGULAR, bolditalics: BOLD },
    // One weight only: a rare character in a bold line prints in the regular weight.
    [FALLBACK_FAMILY]: { normal: FALLBACK, bold: FALLBACK, italics: FALLBACK, bolditalics: FALLBACK },
  });
  const content = withFallbackFont(doc.content);
  return pm
    .createPdf({
      ...doc,
      content,
      header: pageFurniture(doc.header),
      footer: pageFurniture(doc.footer),
      defaultStyle: { font: 'NotoSerifSC', ...(doc.defaultStyle ?? {}) },
    })
    .getBuffer();
}

/**
 * Characters neither bundled font can draw (e.g. a private-use or unassigned code point). A
 * notice with one of them is refused rather than printed with a blank box in a person's name.
 * Characters only the fallback font has (CJK Extension B–F such as 𠮷) are not missing.
 */
export function missingGlyphs(text: string): string[] {
  load();
  const missing = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp <= 0x7f || mainHas(cp) || unchecked(ch, cp)) continue;
    if (!fallback()?.hasGlyphForCodePoint(cp)) missing.add(ch);
  }
  return [...missing];
}
