// Rare characters in names (CJK Extension B–F, e.g. 𠮷 U+20BB7, 𡈼 U+2123C): Noto Serif SC
// lacks them, so the engine sets those runs in the bundled fallback font (HanaMinB) and both
// fonts are embedded as subsets (the place names below use one character each of Extensions
// C, D, E and F). Checked with poppler's pdftotext, pdffonts and pdftoppm.
// The first test relies on running first in this file's own worker (vitest isolates files).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { makeTestCore, setupAdmin, takeDownloads, tempDir, type TestCore } from '../helpers/core';
import { runCli } from '../../electron/cli';
import { FALLBACK_FAMILY, missingGlyphs, renderPdf, withFallbackFont } from '../../electron/core/notices/pdf-engine';
import { fallbackFontLoadedInWorkers } from '../../electron/core/notices/render-service';

let t: TestCore;
let admin: string;
beforeEach(async () => {
  t = makeTestCore(new Date('2026-11-24T02:00:00Z'));
  admin = await setupAdmin(t);
  await t.call(
    'numbering.addBlock',
    { series: 'intake', pattern: '宁职伤受〔{year}〕{seq}号', issuer: '西宁市人力资源和社会保障局', year: 2026, first: 1, last: 9 },
    admin,
  );
});
afterEach(async () => {
  await t.cleanup();
});

const example = (type: string) => JSON.parse(fs.readFileSync(`docs/examples/notice-${type}.json`, 'utf8')) as Record<string, unknown>;

function rareAcceptance(): Record<string, unknown> {
  const data = example('acceptance');
  data.person = { name: '𠮷野家', idNumberMasked: '110108********1234', phone: '13800138000' };
  data.applicant = { kind: '近亲属', name: '王𡈼' };
  (data.accident as Record<string, unknown>).place = '西宁市城东区𪜀𫝀𫠠𬺰路';
  return data;
}

function poppler(tool: string, pdf: Buffer, args: string[] = []): string {
  const file = path.join(t.dir, `p-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
}
const flat = (s: string) => s.replace(/\s+/g, '');
const embeddedSubset = (name: string) => new RegExp(`[A-Z]{6}\\+${name}\\s+CID TrueType\\s+Identity-H\\s+yes yes yes`);

async function issue(data: Record<string, unknown>): Promise<Buffer> {
  const r = await t.call('notices.issue', { caseId: null, data }, admin);
  return Buffer.from((await t.call('notices.get', { id: r.id }, admin)).pdfBase64, 'base64');
}

describe('rare characters in names', () => {
  it('an ordinary notice never reads the fallback font and embeds only Noto', async () => {
    const pdf = await issue(example('acceptance'));
    expect(await fallbackFontLoadedInWorkers()).toBe(false);
    const fonts = poppler('pdffonts', pdf);
    expect(fonts).toMatch(embeddedSubset('NotoSerifSC-Regular'));
    expect(fonts).not.toContain('HanaMinB');
  });

  it('issues a notice for 𠮷野家 and 王𡈼 with both fonts embedded as subsets, and it verifies', async () => {
    const pdf = await issue(rareAcceptance());
    expect(await fallbackFontLoadedInWorkers()).toBe(true);
    const text = flat(poppler('pdftotext', pdf, ['-enc', 'UTF-8']));
    for (const s of ['王𡈼：', '提交的𠮷野家职业伤害保障', '姓名𠮷野家', '近亲属：王𡈼', '西宁市城东区𪜀𫝀𫠠𬺰路'])
      expect(text).toContain(s);
    const fonts = poppler('pdffonts', pdf);
    expect(fonts).toMatch(embeddedSubset('NotoSerifSC-Regular'));
    expect(fonts).toMatch(embeddedSubset('HanaMinB'));
    expect(await t.call('notices.verify', { pdfBase64: pdf.toString('base64') }, admin)).toMatchObject({
      status: 'valid',
      issuedHere: true,
    });
  });

  it('renders and signs a rare name through the CLI', async () => {
    const dir = tempDir();
    try {
      const input = path.join(dir, 'in.json');
      fs.writeFileSync(input, JSON.stringify(rareAcceptance()));
      const out = path.join(dir, 'a.pdf');
      const io = {
        lines: [] as string[],
        stdout(s: string) {
          this.lines.push(s);
        },
        stderr() {},
      };
      expect(await runCli(['notice', 'render', '--type', 'acceptance', '--input', input, '--out', out, '--data', dir], io)).toBe(0);
      const pdf = fs.readFileSync(out);
      expect(flat(poppler('pdftotext', pdf, ['-enc', 'UTF-8']))).toContain('姓名𠮷野家');
      expect(poppler('pdffonts', pdf)).toMatch(embeddedSubset('HanaMinB'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the rare name in the combined batch file, whose pages are the stored files’ own', async () => {
    const ids = [
      (await t.call('notices.issue', { caseId: null, data: example('acceptance') }, admin)).id,
      (await t.call('notices.issue', { caseId: null, data: rareAcceptance() }, admin)).id,
    ];
    const done = new Promise<void>((resolve) => {
      const off = t.events.subscribe('print.progress', (p) => {
        if (p.state === 'done') {
          off();
          resolve();
        }
      });
    });
    const { jobId } = await t.call('print.start', { ids }, admin);
    await done;
    const [combined] = takeDownloads(t, await t.call('documents.open', { printJobId: jobId }, admin), admin);
    const pdf = combined!.bytes;
    const text = flat(poppler('pdftotext', pdf, ['-enc', 'UTF-8']));
    expect(text).toContain('姓名单通');
    expect(text).toContain('姓名𠮷野家');
    expect(poppler('pdffonts', pdf)).toMatch(embeddedSubset('HanaMinB'));
  });

  it('draws the rare glyph itself, not a blank or a tofu box, in body text and in a footer', async () => {
    const page = async (ch: string) => {
      const doc: TDocumentDefinitions = {
        pageSize: { width: 120, height: 120 },
        pageMargins: 10,
        content: [{ text: ch, fontSize: 90 }],
        footer: () => ({ text: `页${ch}`, fontSize: 6 }),
      };
      const pdf = await renderPdf(doc);
      const pgm = path.join(t.dir, `g-${ch.codePointAt(0)}`);
      fs.writeFileSync(`${pgm}.pdf`, pdf);
      execFileSync('pdftoppm', ['-gray', '-r', '36', '-singlefile', `${pgm}.pdf`, pgm]);
      const img = fs.readFileSync(`${pgm}.pgm`);
      const pixels = img.subarray(img.length - 60 * 60);
      return { pdf, pixels, ink: pixels.filter((v) => v < 128).length };
    };
    const rare = await page('𠮷');
    const common = await page('吉');
    const tofu = await page('\u{10FFFD}');
    expect(rare.ink).toBeGreaterThan(100);
    expect(rare.pixels.equals(tofu.pixels)).toBe(false);
    expect(rare.pixels.equals(common.pixels)).toBe(false);
    expect(flat(poppler('pdftotext', rare.pdf, ['-enc', 'UTF-8']))).toContain('页𠮷');
  });

  it('refuses a character no bundled font has (private use; Extension G 𰻞), with the Chinese message', async () => {
    expect(missingGlyphs('𠮷野家王𡈼\u{10FFFD}𰻞面')).toEqual(['\u{10FFFD}', '𰻞']);
    const data = rareAcceptance();
    data.person = { name: '𠮷\u{10FFFD}', idNumberMasked: '110108********1234' };
    const err = await t.fail('notices.issue', { caseId: null, data }, admin);
    expect(err.code).toBe('RULE_REFUSED');
    expect(err.message).toBe('内置字体无法显示字符“\u{10FFFD}”，为避免文书出现空白字，已停止出具。请改用手工填写该字或联系管理员更新字体');
    expect(t.store.sqlite.prepare('SELECT COUNT(*) n FROM issued_documents').get()).toEqual({ n: 0 });
  });
});

describe('the fallback walk over a definition', () => {
  it('returns the very same content when the main font has every character', () => {
    const content: Content = [
      { text: '单通（110108********1234）' },
      { table: { body: [[{ text: '姓名', bold: true }, '单通']] } },
      { columns: [{ stack: ['王平'] }] },
    ];
    expect(withFallbackFont(content)).toBe(content);
  });

  it('cuts runs in strings, inline arrays, tables, columns, stacks and lists, keeping each run’s style', () => {
    const F = FALLBACK_FAMILY;
    const content: Content = [
      '王𡈼：',
      { text: ['姓名：', { text: '𠮷野家', bold: true, fontSize: 20, id: 'n' }], alignment: 'center' },
      { table: { widths: [50, '*'], body: [[{ text: '姓名', bold: true }, { text: '𠮷野家' }]] }, fontSize: 12 },
      { columns: [{ stack: ['甲𪚥乙'] }, { ol: ['𫠠'] }, { ul: [{ text: '无' }] }] },
      // A variation selector stays with the character before it.
      { text: '𠮷\u{E0100}吉' },
    ];
    expect(withFallbackFont(content)).toEqual([
      { text: ['王', { text: '𡈼', font: F }, '：'] },
      {
        text: ['姓名：', { text: '𠮷', bold: true, fontSize: 20, id: 'n', font: F }, { text: '野家', bold: true, fontSize: 20 }],
        alignment: 'center',
      },
      { table: { widths: [50, '*'], body: [[{ text: '姓名', bold: true }, { text: [{ text: '𠮷', font: F }, '野家'] }]] }, fontSize: 12 },
      {
        columns: [
          { stack: [{ text: ['甲', { text: '𪚥', font: F }, '乙'] }] },
          { ol: [{ text: [{ text: '𫠠', font: F }] }] },
          { ul: [{ text: '无' }] },
        ],
      },
      { text: [{ text: '𠮷\u{E0100}', font: F }, '吉'] },
    ]);
  });
});
