// The desktop document glue without Electron: what the main process accepts from the
// renderer, where it writes the PDF, and what the person is told when the viewer or printer fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acceptDocument,
  cleanDocuments,
  openDocument,
  printDocument,
  safeFileName,
  saveDocuments,
  type DesktopDocumentDeps,
} from '../../electron/desktop-documents';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
let dir: string;
let opened: string[];
let printed: string[];
let deps: DesktopDocumentDeps;
let folder: string | null;

beforeEach(() => {
  dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'oip-desk-')), 'docs');
  opened = [];
  printed = [];
  folder = path.join(path.dirname(dir), 'chosen');
  fs.mkdirSync(folder);
  deps = {
    dir,
    openPath: async (f) => (opened.push(f), ''),
    printFile: async (f) => (printed.push(f), { ok: true }),
    chooseFolder: async () => folder,
  };
});
afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

describe('opening and printing an issued document on the desktop', () => {
  it('writes the exact bytes to a private file inside its folder and hands it to the system viewer', async () => {
    expect(await openDocument(deps, { pdfBase64: PDF.toString('base64'), name: '鉴定结论书-宁劳鉴〔2026〕第0001号' })).toEqual({
      ok: true,
    });
    expect(opened).toHaveLength(1);
    const file = opened[0]!;
    expect(path.basename(file)).toBe('鉴定结论书-宁劳鉴〔2026〕第0001号.pdf');
    expect(file.startsWith(dir + path.sep)).toBe(true);
    expect(fs.readFileSync(file).equals(PDF)).toBe(true);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps a hostile name inside the folder', async () => {
    await printDocument(deps, { pdfBase64: PDF.toString('base64'), name: '../../etc/passwd' });
    expect(printed[0]!.startsWith(dir + path.sep)).toBe(true);
    expect(path.basename(printed[0]!)).toBe('etc_passwd.pdf');
    expect(safeFileName('')).toBe('文书.pdf');
    expect(safeFileName('a/b\\c:d*?.PDF')).toBe('a_b_c_d.pdf');
  });

  it('refuses anything that is not a PDF, writing nothing', async () => {
    for (const [payload, text] of [
      [null, '没有收到文书内容'],
      [{ pdfBase64: '' }, '没有收到文书内容'],
      [{ pdfBase64: 'not base64!' }, '不是有效的编码'],
      [{ pdfBase64: Buffer.from('<html>').toString('base64') }, '不是 PDF'],
    ] as const) {
      const r = await openDocument(deps, payload);
      expect(r).toMatchObject({ ok: false, message: expect.stringContaining(text) });
      expect(acceptDocument(payload).ok).toBe(false);
    }
    expect(opened).toEqual([]);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('says what to do when the viewer or the printer fails, and treats a cancelled dialog as a choice', async () => {
    const b64 = PDF.toString('base64');
    expect(await openDocument({ ...deps, openPath: async () => 'No application' }, { pdfBase64: b64 })).toMatchObject({
      ok: false,
      message: expect.stringContaining('请在“文书”中下载'),
    });
    expect(await printDocument({ ...deps, printFile: async () => ({ ok: false, reason: 'cancelled' }) }, { pdfBase64: b64 })).toEqual({
      ok: false,
      message: '已取消打印',
    });
    expect(await printDocument({ ...deps, printFile: async () => ({ ok: false, reason: 'failed' }) }, { pdfBase64: b64 })).toMatchObject({
      ok: false,
      message: expect.stringContaining('打印未完成（failed）'),
    });
  });

  it('removes every written document on quit', async () => {
    await openDocument(deps, { pdfBase64: PDF.toString('base64'), name: 'x' });
    expect(fs.existsSync(dir)).toBe(true);
    cleanDocuments(dir);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('saves a batch as individual files in the chosen folder, never overwriting, and nothing if one is bad', async () => {
    const b64 = PDF.toString('base64');
    const files = [
      { pdfBase64: b64, name: '劳动能力鉴定结论书-宁劳鉴〔2026〕第0001号' },
      { pdfBase64: b64, name: '待遇核定通知书-宁职伤待〔2026〕1号' },
    ];
    expect(await saveDocuments(deps, { files })).toMatchObject({ ok: true, saved: 2, folder });
    expect(await saveDocuments(deps, { files: files.slice(0, 1) })).toMatchObject({ ok: true, saved: 1 });
    expect(fs.readdirSync(folder!).sort()).toEqual([
      '劳动能力鉴定结论书-宁劳鉴〔2026〕第0001号.pdf',
      '劳动能力鉴定结论书-宁劳鉴〔2026〕第0001号（2）.pdf',
      '待遇核定通知书-宁职伤待〔2026〕1号.pdf',
    ]);
    const before = fs.readdirSync(folder!).length;
    expect(
      await saveDocuments(deps, { files: [...files, { pdfBase64: Buffer.from('<html>').toString('base64'), name: 'x' }] }),
    ).toMatchObject({ ok: false, message: expect.stringContaining('不是 PDF') });
    expect(fs.readdirSync(folder!)).toHaveLength(before);
    folder = null;
    expect(await saveDocuments(deps, { files })).toEqual({ ok: false, message: '已取消保存' });
    expect(await saveDocuments(deps, { files: [] })).toMatchObject({ ok: false, message: '没有要保存的文书' });
  });
});
