// pdfmake in the main process, with the CJK font read from disk once and parsed once per
// process. pdfkit re-parses a font for every document (about 40 ms for a 15 MB Noto Serif
// SC); we give it the same Buffer each time and memoise fontkit's parse of that Buffer.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { TDocumentDefinitions } from 'pdfmake/interfaces';

const require = createRequire(import.meta.url);

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

let engine: PdfMake | null = null;
let regularFont: { hasGlyphForCodePoint(cp: number): boolean } | null = null;
const REGULAR = 'NotoSerifSC-Regular.ttf';
const BOLD = 'NotoSerifSC-Bold.ttf';

export function fontFiles(): { regular: string; bold: string } {
  const dir = path.dirname(require.resolve('@expo-google-fonts/noto-serif-sc/package.json'));
  return { regular: path.join(dir, '400Regular', 'NotoSerifSC_400Regular.ttf'), bold: path.join(dir, '700Bold', 'NotoSerifSC_700Bold.ttf') };
}

/** Swaps fontkit's module object, before pdfkit loads it, for one that memoises create(). */
function memoiseFontParsing(): void {
  const pdfkitDir = path.dirname(require.resolve('pdfkit/package.json'));
  const fontkitId = require.resolve('fontkit', { paths: [pdfkitDir] });
  const real = require(fontkitId) as FontkitModule;
  const parsed = new WeakMap<Uint8Array, unknown>();
  const create = (buffer: Uint8Array, postscriptName?: string) => {
    if (postscriptName) return real.create(buffer, postscriptName);
    let font = parsed.get(buffer);
    if (!font) parsed.set(buffer, (font = real.create(buffer)));
    return font;
  };
  // The module's own properties are getters: build a plain object that delegates to it.
  const memo = Object.create(real as object, { create: { value: create, enumerable: true } }) as FontkitModule;
  const cached = require.cache[fontkitId];
  if (cached) cached.exports = memo;
  fontkit = memo;
}

let fontkit: FontkitModule | null = null;

function load(): PdfMake {
  if (engine) return engine;
  memoiseFontParsing();
  const files = fontFiles();
  engine = require('pdfmake') as PdfMake;
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

/** Renders one document definition to PDF bytes. Fresh fonts dictionary per call: pdfmake mutates it. */
export async function renderPdf(doc: TDocumentDefinitions): Promise<Buffer> {
  const pm = load();
  pm.setFonts({ NotoSerifSC: { normal: REGULAR, bold: BOLD, italics: REGULAR, bolditalics: BOLD } });
  return pm.createPdf({ ...doc, defaultStyle: { font: 'NotoSerifSC', ...(doc.defaultStyle ?? {}) } }).getBuffer();
}

/**
 * Characters the bundled font cannot draw (e.g. CJK Extension B such as 𠮷). A notice with
 * one of them is refused rather than printed with a blank box in a person's name.
 */
export function missingGlyphs(text: string): string[] {
  load();
  const missing = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp > 0x7f && cp !== 0x3000 && !/\s/.test(ch) && !regularFont!.hasGlyphForCodePoint(cp)) missing.add(ch);
  }
  return [...missing];
}
