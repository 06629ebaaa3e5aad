// Notices as pictures and text for the layout tests: each example in docs/examples rendered with
// fixed number, issuer, date and QR content (so that the picture depends only on the template),
// page 1 rasterised by poppler's pdftoppm in grey, and a small PNG reader and pixel comparison
// (8-bit grey or RGB, non-interlaced: what `pdftoppm -png` writes) so that no image package is needed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { NoticeMeta } from '../../shared/notices/layout';
import { noticeDataSchema, type NoticeType } from '../../shared/notices/schemas';
import { renderJob } from '../../electron/core/notices/render-job';

export const REFERENCE_DIR = 'test/fixtures/notices';
/** Resolution of the reference pictures: small enough to keep in git, large enough to see a spill. */
export const PICTURE_DPI = 36;

export function exampleData(type: NoticeType) {
  return noticeDataSchema.parse(JSON.parse(fs.readFileSync(`docs/examples/notice-${type}.json`, 'utf8')));
}

/** A fixed issuer line as long as a real one (西宁市城东区…), so that its breaking is tested too. */
export const FIXED_META: NoticeMeta = {
  documentNo: '宁职伤〔2026〕第0001号',
  issuer: '西宁市城东区人力资源和社会保障局',
  issuedOn: '2026-11-30',
  signerName: '张签发',
  qrText: 'OIP1|0000000000000000|fixed-facts-for-the-reference-picture|signature',
};

export async function renderExample(type: NoticeType, meta: NoticeMeta = FIXED_META): Promise<Buffer> {
  const r = await renderJob(exampleData(type), meta);
  if (!r.ok) throw new Error(`missing glyphs: ${r.missing.join('')}`);
  return r.pdf;
}

export function pdfToText(pdf: Buffer, dir: string): string {
  const file = path.join(dir, `t-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-'], { encoding: 'utf8' });
}

export function pdfPages(pdf: Buffer, dir: string): number {
  const file = path.join(dir, `p-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? NaN);
}

/** Page 1 as a grey PNG file's bytes. */
export function firstPagePng(pdf: Buffer, dir: string, dpi = PICTURE_DPI): Buffer {
  const stem = path.join(dir, `r-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(`${stem}.pdf`, pdf);
  execFileSync('pdftoppm', ['-gray', '-png', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', `${stem}.pdf`, stem]);
  return fs.readFileSync(`${stem}.png`);
}

export interface GreyImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Reads an 8-bit, non-interlaced grey or RGB PNG (colour type 0 or 2) as grey levels. */
export function readGreyPng(png: Buffer): GreyImage {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let bpp = 1;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const kind = png.toString('latin1', pos + 4, pos + 8);
    const body = png.subarray(pos + 8, pos + 8 + len);
    if (kind === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || (body[9] !== 0 && body[9] !== 2) || body[12] !== 0)
        throw new Error('only 8-bit grey or RGB non-interlaced PNGs are read');
      bpp = body[9] === 2 ? 3 : 1;
    } else if (kind === 'IDAT') idat.push(body);
    pos += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= bpp ? out[y * stride + x - bpp]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp]! : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = (v + pred) & 0xff;
    }
  }
  if (bpp === 1) return { width, height, pixels: out };
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round((out[i * 3]! + out[i * 3 + 1]! + out[i * 3 + 2]!) / 3);
  return { width, height, pixels };
}

/** Share of pixels whose grey level differs by more than `threshold` (0–255); 1 when the sizes differ. */
export function pixelDifference(a: GreyImage, b: GreyImage, threshold = 48): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let differ = 0;
  for (let i = 0; i < a.pixels.length; i++) if (Math.abs(a.pixels[i]! - b.pixels[i]!) > threshold) differ++;
  return differ / a.pixels.length;
}
