// The engine's font cache reaches into pdfmake's and pdfkit's internals (it swaps the fontkit
// module pdfkit loads, so a 15 MB font is parsed once per process, not once per document).
// pdfmake is pinned exactly for that reason; this test fails if an upgrade routes around the
// patch (pdfkit no longer asks our fontkit) or defeats it (the second document parses again).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fontParseStats, renderPdf } from '../../electron/core/notices/pdf-engine';
import pkg from '../../package.json' with { type: 'json' };

const doc = (name: string) => ({
  content: [{ text: '受理通知书', bold: true }, `${name}：你提交的职业伤害保障待遇给付申请已受理。`],
});

describe('pdfmake font cache', () => {
  it('is pinned to the exact pdfmake version the patch was written for', () => {
    const installed = (JSON.parse(fs.readFileSync('node_modules/pdfmake/package.json', 'utf8')) as { version: string }).version;
    expect(pkg.dependencies.pdfmake).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed).toBe(pkg.dependencies.pdfmake);
  });

  it('parses each font once: the second document takes both weights from the cache', async () => {
    const first = await renderPdf(doc('单通'));
    const afterFirst = fontParseStats();
    // pdfkit asked for the fonts through the memoised fontkit at all (the patch is in the path).
    expect(afterFirst.opened).toBeGreaterThanOrEqual(2);
    expect(afterFirst.parsed).toBeGreaterThanOrEqual(1);

    const second = await renderPdf(doc('柯远'));
    const afterSecond = fontParseStats();
    expect(afterSecond.opened).toBeGreaterThan(afterFirst.opened);
    expect(afterSecond.parsed).toBe(afterFirst.parsed);
    for (const pdf of [first, second]) expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
