// Child process for the notices benchmark: the first notice in a fresh process, from the
// moment the module starts to the first signed PDF.
import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const t0 = performance.now();
const { renderPdf } = await import('../electron/core/notices/pdf-engine');
const { buildNotice } = await import('../shared/notices/templates');
const { benefitDeterminationSchema } = await import('../shared/notices/schemas');
const { deviceKey } = await import('../electron/core/crypto/device-key');
const { appendSignature, qrPayload, qrRows } = await import('../electron/core/notices/signature');
const data = benefitDeterminationSchema.parse(JSON.parse(fs.readFileSync('docs/examples/notice-benefit-determination.json', 'utf8')));
const key = deviceKey(fs.mkdtempSync(path.join(os.tmpdir(), 'oip-bench-first-')));
const facts = { no: '宁职伤待〔2026〕1号', name: data.person.name };
const pdf = await renderPdf(
  buildNotice(data, {
    documentNo: facts.no,
    issuer: '青岛市社会保险事业中心',
    issuedOn: '2026-11-24',
    signerName: '复核员',
    qrText: qrPayload(key, facts),
    qrRows: qrRows(qrPayload(key, facts)),
  }),
);
appendSignature(pdf, key, facts);
console.log(JSON.stringify({ firstMs: performance.now() - t0 }));
