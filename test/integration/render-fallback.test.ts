// When worker threads cannot start (an unusual packaging), issuing still works: the host renders
// the notice itself. The worker entry here throws as it loads, as a missing file would.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { closeRenderers, setRenderWorkerEntry } from '../../electron/core/notices/render-service';

let t: TestCore;
let admin: string;
beforeAll(async () => {
  await closeRenderers();
  setRenderWorkerEntry(new URL(`data:text/javascript,${encodeURIComponent("throw new Error('cannot start');")}`));
  t = makeTestCore(new Date('2026-11-24T02:00:00Z'));
  admin = await setupAdmin(t);
  await t.call(
    'numbering.addBlock',
    { series: 'intake', pattern: '宁职伤受〔{year}〕{seq}号', issuer: '西宁市人力资源和社会保障局', year: 2026, first: 1, last: 9 },
    admin,
  );
});
afterAll(async () => {
  setRenderWorkerEntry(null);
  await closeRenderers();
  await t.cleanup();
});

const example = (type: string) => JSON.parse(fs.readFileSync(`docs/examples/notice-${type}.json`, 'utf8')) as Record<string, unknown>;

describe('render workers that cannot start', () => {
  it('issues the first notice and the next ones from the host, signed and verifiable', async () => {
    for (const n of [1, 2]) {
      const r = await t.call('notices.issue', { caseId: null, data: example('acceptance') }, admin);
      const pdf = Buffer.from((await t.call('notices.get', { id: r.id }, admin)).pdfBase64, 'base64');
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(await t.call('notices.verify', { pdfBase64: pdf.toString('base64') }, admin)).toMatchObject({
        status: 'valid',
        issuedHere: true,
      });
      expect(r.documentNo.endsWith(`${n}号`)).toBe(true);
    }
  }, 120_000);
});
