// The built app renders notices in its own worker file (out/main/render-worker.js, an entry of
// the electron-vite build beside main.js): it must load on its own and make a PDF, or issuing
// would fail only in the packaged app.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { test, expect } from '@playwright/test';

test('the built render worker makes a notice PDF and reports unprintable characters', async () => {
  const file = path.resolve('out/main/render-worker.js');
  expect(fs.existsSync(file)).toBe(true);
  const data = JSON.parse(fs.readFileSync('docs/examples/notice-acceptance.json', 'utf8')) as Record<string, unknown>;
  const meta = {
    documentNo: '宁职伤受〔2026〕1号',
    issuer: '西宁市城东区社会保险服务中心',
    issuedOn: '2026-11-24',
    signerName: '受理员',
    qrText: 'OIP1|test',
    qrRows: ['101', '010', '101'],
  };
  const worker = new Worker(file);
  try {
    // The worker first says it started (id 0); each request is answered under its own id.
    const started = new Promise<{ id: number; ok: boolean }>((resolve) => worker.once('message', resolve));
    const ask = (message: { id: number } & Record<string, unknown>) =>
      new Promise<{ ok: boolean; pdf?: ArrayBuffer; missing?: string[] }>((resolve, reject) => {
        const onMessage = (reply: { id: number; ok: boolean }) => {
          if (reply.id !== message.id) return;
          worker.off('message', onMessage);
          resolve(reply);
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
        worker.postMessage(message);
      });
    expect(await started).toEqual({ id: 0, ok: true });
    const ok = await ask({ id: 1, kind: 'render', data, meta });
    expect(ok.ok).toBe(true);
    expect(Buffer.from(ok.pdf!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const person = data.person as Record<string, unknown>;
    const bad = await ask({ id: 2, kind: 'render', data: { ...data, person: { ...person, name: '王\u{10FFFD}' } }, meta });
    expect(bad).toMatchObject({ ok: false, missing: ['\u{10FFFD}'] });
  } finally {
    await worker.terminate();
  }
});
