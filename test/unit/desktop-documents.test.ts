// The desktop document glue without Electron: what the Electron host does with a PDF the core
// hands it (documents.open / print / save), where it writes it, and what the person is told when
// the viewer or printer fails. The renderer never sends a PDF here any more.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acceptDocument,
  cleanDocuments,
  desktopDelivery,
  openDocument,
  printDocument,
  saveDocuments,
  type DesktopDocumentDeps,
} from '../../electron/desktop-documents';
import { safeFileName } from '../../electron/core/documents/delivery';

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
    expect(await openDocument(deps, { bytes: PDF, name: '鉴定结论书-宁劳鉴〔2026〕第0001号' })).toEqual({
      via: 'desktop',
      done: true,
      message: '已用系统阅读器打开',
    });
    expect(opened).toHaveLength(1);
    const file = opened[0]!;
    expect(path.basename(file)).toBe('鉴定结论书-宁劳鉴〔2026〕第0001号.pdf');
    expect(file.startsWith(dir + path.sep)).toBe(true);
    expect(fs.readFileSync(file).equals(PDF)).toBe(true);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps a hostile name inside the folder', async () => {
    await printDocument(deps, { bytes: PDF, name: '../../etc/passwd' });
    expect(printed[0]!.startsWith(dir + path.sep)).toBe(true);
    expect(path.basename(printed[0]!)).toBe('etc_passwd.pdf');
    expect(safeFileName('')).toBe('文书.pdf');
    expect(safeFileName('a/b\\c:d*?.PDF')).toBe('a_b_c_d.pdf');
  });

  it('refuses anything that is not a PDF, writing nothing', async () => {
    for (const [file, text] of [
      [{ bytes: Buffer.alloc(0), name: 'x' }, '没有收到文书内容'],
      [{ bytes: Buffer.from('<html>'), name: 'x' }, '不是 PDF'],
      [{ bytes: Buffer.alloc(64 * 1024 * 1024 + 1, 0x25), name: 'x' }, '文书过大'],
    ] as const) {
      const r = await openDocument(deps, file);
      expect(r).toMatchObject({ via: 'desktop', done: false, message: expect.stringContaining(text) });
      expect(acceptDocument(file).ok).toBe(false);
    }
    expect(opened).toEqual([]);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('says what to do when the viewer or the printer fails, and treats a cancelled dialog as a choice', async () => {
    const file = { bytes: PDF, name: 'x' };
    expect(await openDocument({ ...deps, openPath: async () => 'No application' }, file)).toMatchObject({
      done: false,
      message: expect.stringContaining('请改用“保存”'),
    });
    expect(await printDocument({ ...deps, printFile: async () => ({ ok: false, reason: 'cancelled' }) }, file)).toEqual({
      via: 'desktop',
      done: false,
      message: '已取消打印',
    });
    expect(await printDocument({ ...deps, printFile: async () => ({ ok: false, reason: 'failed' }) }, file)).toMatchObject({
      done: false,
      message: expect.stringContaining('打印未完成（failed）'),
    });
  });

  it('removes every written document on quit', async () => {
    await openDocument(deps, { bytes: PDF, name: 'x' });
    expect(fs.existsSync(dir)).toBe(true);
    cleanDocuments(dir);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('saves a batch as individual files in the chosen folder, never overwriting, and nothing if one is bad', async () => {
    const files = [
      { bytes: PDF, name: '劳动能力鉴定结论书-宁劳鉴〔2026〕第0001号.pdf' },
      { bytes: PDF, name: '待遇核定通知书-宁职伤待〔2026〕1号.pdf' },
    ];
    expect(await saveDocuments(deps, files)).toEqual({ via: 'desktop', done: true, message: `已保存 2 份到 ${folder}` });
    expect(await saveDocuments(deps, files.slice(0, 1))).toMatchObject({ done: true, message: expect.stringContaining('已保存 1 份') });
    expect(fs.readdirSync(folder!).sort()).toEqual([
      '劳动能力鉴定结论书-宁劳鉴〔2026〕第0001号.pdf',
      '劳动能力鉴定结论书-宁劳鉴〔2026〕第0001号（2）.pdf',
      '待遇核定通知书-宁职伤待〔2026〕1号.pdf',
    ]);
    const before = fs.readdirSync(folder!).length;
    expect(await saveDocuments(deps, [...files, { bytes: Buffer.from('<html>'), name: 'x' }])).toMatchObject({
      done: false,
      message: expect.stringContaining('不是 PDF'),
    });
    expect(fs.readdirSync(folder!)).toHaveLength(before);
    folder = null;
    expect(await saveDocuments(deps, files)).toEqual({ via: 'desktop', done: false, message: '已取消保存' });
    expect(await saveDocuments(deps, [])).toMatchObject({ done: false, message: '没有要保存的文书' });
  });

  it('is the capability the core receives: open, print and save go to the system', async () => {
    const delivery = desktopDelivery(deps);
    const who = { sessionTokenHash: 'h' };
    expect(await delivery.open({ bytes: PDF, name: 'a.pdf' }, who)).toMatchObject({ via: 'desktop', done: true });
    expect(await delivery.print({ bytes: PDF, name: 'b.pdf' }, who)).toMatchObject({ via: 'desktop', done: true, message: '已送打印机' });
    expect(await delivery.save([{ bytes: PDF, name: 'c.pdf' }], who)).toMatchObject({ via: 'desktop', done: true });
    expect(opened.map((f) => path.basename(f))).toEqual(['a.pdf']);
    expect(printed.map((f) => path.basename(f))).toEqual(['b.pdf']);
    expect(fs.readdirSync(folder!)).toEqual(['c.pdf']);
  });
});
