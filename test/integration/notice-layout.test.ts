// Notices as an office reads them (issue #15): every type rendered from its example in
// docs/examples with a fixed number, issuer and date, then checked as text (pdftotext), as pages
// (pdfinfo) and as a picture (page 1 by pdftoppm, compared with test/fixtures/notices/<type>.png
// within a tolerance). After a deliberate change of a template, regenerate the pictures with
// `npm run notices:references` and look at them before committing.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NOTICE_TYPES, type NoticeType } from '../../shared/notices/schemas';
import { tempDir } from '../helpers/core';
import {
  exampleData,
  firstPagePng,
  FIXED_META,
  pdfPages,
  pdfToText,
  pixelDifference,
  readGreyPng,
  REFERENCE_DIR,
  renderExample,
} from '../helpers/notice-pictures';
import { renderJob } from '../../electron/core/notices/render-job';
import { issuerFontSize, tidy } from '../../shared/notices/layout';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const UPDATE = process.env.UPDATE_NOTICE_REFERENCES === '1';
/** Share of page-1 pixels that may differ from the reference (anti-aliasing of another poppler). */
const TOLERANCE = 0.015;
/** Latin words a notice may print: units, the standard's code, the carrier of a registered letter. */
const LATIN_ALLOWED = new Set(['mg', 'mL', 'GB', 'EMS', 'FP', 'SL', 'DJ', 'MT', 'ZC']);
/** Every example's body fits one page (in the compact or dense layout if need be): with the seal, QR code and date it must stay on one. */
const ONE_PAGE: readonly NoticeType[] = NOTICE_TYPES;

const flat = (s: string) => s.replace(/\s+/g, '');

describe.each(NOTICE_TYPES.map((t) => [t]))('%s', (type) => {
  let pdf: Buffer;
  let text: string;
  it('renders', async () => {
    pdf = await renderExample(type);
    text = pdfToText(pdf, dir);
    expect(text).toContain(FIXED_META.documentNo);
  });

  it('shows no internals: no ISO dates, codes, rule-pack ids, Arabic grades or doubled punctuation', () => {
    const t = flat(text);
    expect(t).not.toMatch(/(?<![\w-])\d{4}-\d{2}(-\d{2})?(?![\d-])/);
    expect(t).not.toMatch(/(?<![\d.])(10|[1-9])级/);
    expect(t).not.toMatch(/([。，；：、])\1|[，；：、]。/);
    expect(t).not.toMatch(/规则包|版本\d|qinghai|shandong|meituan|_/);
    // Letters in case, order and bill numbers (SL2026-A1B2-…) are single; words of two or more are checked.
    const latin = (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !LATIN_ALLOWED.has(w));
    expect(latin).toEqual([]);
  });

  it('cites every article with its regulation named', () => {
    const t = flat(text);
    // "依据第十五条" or "（第十五条）" without the regulation before it is what an office rejects.
    expect(t).not.toMatch(/依据[：:]?第[一二三四五六七八九十]+条/);
    expect(t).not.toMatch(/[（(]第[一二三四五六七八九十]+条/);
    // Every other article is in a sentence that names its regulation (《…》 or 《办法》) before it.
    for (const m of t.matchAll(/第[一二三四五六七八九十百]+条/g)) {
      const sentence = t
        .slice(Math.max(0, m.index - 80), m.index)
        .split('。')
        .pop()!;
      expect(sentence).toMatch(/》/);
    }
  });

  it('prints the issuing body on one line and the date in words', () => {
    const lines = text.split('\n');
    expect(lines.some((l) => l.includes(FIXED_META.issuer))).toBe(true);
    expect(flat(text)).toContain('2026年11月30日');
  });

  it(`keeps the seal, QR code and date with the body${ONE_PAGE.includes(type) ? ' on one page' : ''}`, () => {
    const pages = pdfPages(pdf, dir);
    if (ONE_PAGE.includes(type)) expect(pages).toBe(1);
    // On the last page the closing is never alone: some of the body is printed above it.
    const last = text.split('\f').filter((p) => p.trim())[pages - 1]!;
    const body = last
      .split('\n')
      .filter((l) => l.trim() && !l.includes(FIXED_META.issuer) && !/扫码核验|签发人|2026年11月30日|^\s*-\s*\d+\s*-\s*$/.test(l));
    expect(body.length).toBeGreaterThan(0);
  });

  it('looks like its reference picture', () => {
    const png = firstPagePng(pdf, dir);
    const reference = path.join(REFERENCE_DIR, `${type}.png`);
    if (UPDATE) fs.writeFileSync(reference, png);
    const diff = pixelDifference(readGreyPng(png), readGreyPng(fs.readFileSync(reference)));
    expect(diff).toBeLessThan(TOLERANCE);
  });
});

describe('layout rules', () => {
  it('tidies what data brings: ISO dates, Arabic grades, doubled stops', () => {
    expect(tidy('于2026-11-30死亡。。')).toBe('于2026年11月30日死亡。');
    expect(tidy('接单 2026-11-20T12:10，经鉴定为9级；。')).toBe('接单 2026年11月20日12时10分，经鉴定为九级。');
    expect(tidy('11/30（2026-09）')).toBe('11/30（2026年9月）');
    // Numbers that only look like dates stay: case numbers, order numbers, standard clauses.
    expect(tidy('SL2026-A1B2-000098；MT20261120-0001；5.8.2(45)')).toBe('SL2026-A1B2-000098；MT20261120-0001；5.8.2(45)');
  });

  it('never breaks a long issuing body: it prints smaller on one line', async () => {
    const issuer = '海东市乐都区人力资源和社会保障局劳动能力鉴定委员会';
    expect(issuerFontSize(issuer)).toBeLessThan(16);
    const r = await renderJob(exampleData('acceptance'), { ...FIXED_META, issuer });
    if (!r.ok) throw new Error('render failed');
    expect(
      pdfToText(r.pdf, dir)
        .split('\n')
        .some((l) => l.includes(issuer)),
    ).toBe(true);
  });

  it('gives the 结论书 the examination findings once, not under every injury', async () => {
    const d = exampleData('appraisal-conclusion');
    if (d.type !== 'appraisal-conclusion') throw new Error('wrong example');
    const findings = '神志清楚，胸廓畸形，左侧胸壁压痛，脾区手术瘢痕长约十二厘米';
    const r = await renderJob({ ...d, injuries: d.injuries.map((i) => ({ ...i, impairment: findings })) }, FIXED_META);
    if (!r.ok) throw new Error('render failed');
    const t = flat(pdfToText(r.pdf, dir));
    expect(t.split(findings).length - 1).toBe(1);
    expect(t).toContain(`检查所见：${findings}`);
  });

  it('states in the 待遇核定通知书 how and to whom the money is paid, and the total by payer', async () => {
    const t = flat(pdfToText(await renderExample('benefit-determination'), dir));
    expect(t).toContain('职业伤害保障基金承担的部分由社会保险经办机构支付');
    expect(t).toContain('收款人：王平；收款账户：青岛银行市南支行，账号尾号8901');
    expect(t).toContain('一次性待遇合计：39780.00元（叁万玖仟柒佰捌拾元整），由职业伤害保障基金支付');
    expect(t).not.toContain('6217000012345678901');
  });
});
