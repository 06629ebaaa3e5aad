// Notices benchmark: one notice warm, the first notice in a fresh process, a notice with a rare
// character (CJK Extension B, set in the fallback font), 100 separate signed notices through the
// RPC (number, render, sign, store, audit), the same 100 as one combined file the way the
// product builds it (the batch print job merging the stored, signed files) and, for comparison,
// as one re-rendered pdfmake document; and the same notice printed to PDF by headless Chromium
// from equivalent HTML (the usual Electron way), in the same run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PDFDocument } from 'pdf-lib';
import { chromium } from 'playwright-core';
import { createCore } from '../electron/core/app-core';
import { hashToken } from '../electron/core/sessions';
import { fallbackFontLoaded, fontFiles, renderPdf } from '../electron/core/notices/pdf-engine';
import { deviceKey } from '../electron/core/crypto/device-key';
import { appendSignature, qrPayload, qrRows } from '../electron/core/notices/signature';
import { buildNotice } from '../shared/notices/templates';
import { benefitDeterminationSchema } from '../shared/notices/schemas';
import QRCode from 'qrcode';

const data = benefitDeterminationSchema.parse(JSON.parse(fs.readFileSync('docs/examples/notice-benefit-determination.json', 'utf8')));
const QR = `OIP1|0123456789abcdef|${'{"case":"SL2025-C3D4-000012","conclusion":"disability_lump_sum=39780.00","date":"2026-11-24","id":"370202********2019","issuer":"青岛市社会保险事业中心","name":"王平"}'}|${'x'.repeat(86)}`;
const QR_ROWS = qrRows(QR);
const meta = (i: number) => ({
  documentNo: `宁职伤待〔2026〕${i}号`,
  issuer: '青岛市社会保险事业中心',
  issuedOn: '2026-11-24',
  signerName: '复核员',
  qrText: QR,
  qrRows: QR_ROWS,
});
const ms = (t: number) => `${t.toFixed(0)} ms`;
const s = (t: number) => `${(t / 1000).toFixed(2)} s`;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function noticeHtml(fontUrl: string, i: number, qrSvg: string): string {
  const d = data;
  const rows = d.lines
    .map(
      (l) =>
        `<tr><td>${l.label}</td><td style="text-align:right">${l.amount}</td><td>一次性</td><td>职业伤害保障基金</td></tr><tr><td colspan="4" style="font-size:10pt">计算：${l.formula}；依据：${l.article}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    @font-face { font-family: N; src: url('${fontUrl}'); }
    @page { size: A4; margin: 37mm 26mm 35mm 28mm; }
    body { font-family: N; font-size: 16pt; line-height: 29pt; }
    h1 { font-size: 22pt; text-align: center; margin: 0 } .no { text-align: center }
    p { text-indent: 2em; margin: 0 } table { border-collapse: collapse; font-size: 11pt; line-height: 1.3 } td { border: 0.5pt solid #000; padding: 2pt }
    .page { page-break-after: always }
  </style></head><body>${Array.from(
    { length: i },
    (_, k) => `<div class="page"><h1>职业伤害保障待遇核定通知书</h1><div class="no">${meta(k + 1).documentNo}</div>
    <div>${d.person.name}（身份证号码 ${d.person.idNumberMasked}）：</div><p>根据${d.basis}，按照${d.rulePack.name}，计发基数为每月 ${d.base} 元，现将你的职业伤害保障待遇核定如下：</p>
    <table>${rows}</table><p>一次性待遇合计：39780.00 元（叁万玖仟柒佰捌拾元整）。</p><p>如对本决定不服，可自收到本文书之日起六十日内依法申请行政复议，或者六个月内依法向人民法院提起行政诉讼。</p>
    <div style="display:flex;justify-content:space-between"><div style="width:92pt">${qrSvg}</div><div style="text-align:right">青岛市社会保险事业中心<br>2026年11月24日</div></div></div>`,
  ).join('')}</body></html>`;
}

export async function benchNotices(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oip-bench-notices-'));

  const first = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', 'bench/notice-first.mts'], { encoding: 'utf8' }).trim().split('\n').pop()!,
  ) as { firstMs: number };
  console.log(`notices: first notice in a fresh process          ${ms(first.firstMs)}  (target < 1 s)`);

  await renderPdf(buildNotice(data, meta(0)));
  let t: number;
  const singles: number[] = [];
  for (let i = 0; i < 20; i++) {
    t = performance.now();
    await renderPdf(buildNotice(data, meta(i)));
    singles.push(performance.now() - t);
  }
  singles.sort((a, b) => a - b);
  console.log(
    `notices: one notice, warm (median of 20)          ${ms(singles[10]!)}  (target < 100 ms; fallback font ${fallbackFontLoaded() ? 'loaded: wrong' : 'not loaded'})`,
  );

  const rare = { ...data, person: { ...data.person, name: '𠮷野家' } };
  t = performance.now();
  await renderPdf(buildNotice(rare, meta(0)));
  const rareFirst = performance.now() - t;
  const rares: number[] = [];
  for (let i = 0; i < 9; i++) {
    t = performance.now();
    await renderPdf(buildNotice(rare, meta(i)));
    rares.push(performance.now() - t);
  }
  console.log(
    `notices: a notice for 𠮷野家 (fallback font)       first ${ms(rareFirst)} (reads and parses the 31 MB font), then ${ms(median(rares))} (median of 9)`,
  );

  const key = deviceKey(dir);
  t = performance.now();
  for (let i = 0; i < 100; i++) {
    const facts = { no: meta(i + 1).documentNo, name: data.person.name };
    const qrText = qrPayload(key, facts);
    const pdf = await renderPdf(buildNotice(data, { ...meta(i + 1), qrText, qrRows: qrRows(qrText) }));
    fs.writeFileSync(path.join(dir, `n${i}.pdf`), appendSignature(pdf, key, facts).signed);
  }
  const files = performance.now() - t;
  console.log(`notices: 100 separate signed notices (files)       ${s(files)}  (target < 3 s)`);

  const core = createCore({ dataDir: dir, host: 'test' });
  const op = { asLocalOperator: 'bench' };
  await core.dispatch({
    method: 'numbering.addBlock',
    input: {
      series: 'benefits',
      pattern: '宁职伤待〔{year}〕{seq}号',
      issuer: '青岛市社会保险事业中心',
      year: new Date().getFullYear(),
      first: 1,
      last: 1000,
    },
    ...op,
  });
  const ids: string[] = [];
  t = performance.now();
  for (let i = 0; i < 100; i++) {
    const r = await core.dispatch({ method: 'notices.issue', input: { caseId: null, data }, ...op });
    if (!r.ok) throw new Error(r.error.message);
    ids.push((r.result as { id: string }).id);
  }
  const separate = performance.now() - t;
  console.log(`notices: 100 notices issued via RPC (number, sign, store, audit; one fsync'd transaction each) ${s(separate)}`);

  // The combined file as the product builds it: print.start, progress to 'done', documents.open.
  // A print job belongs to a signed-in person (only its owner may open it), so a named account runs it.
  const password = 'Bench-pass-2026';
  await core.dispatch({ method: 'auth.setup', input: { username: 'bench', displayName: '测试管理员', password }, sessionToken: null });
  const login = await core.dispatch({ method: 'auth.login', input: { username: 'bench', password }, sessionToken: null });
  if (!login.ok || !(login.result as { ok: boolean }).ok) throw new Error('bench: sign-in failed');
  const named = { sessionToken: (login.result as { sessionToken: string }).sessionToken };
  const finished = new Map<string, string>();
  core.events.subscribe('print.progress', (p) => {
    if (p.state !== 'running') finished.set(p.jobId, p.state);
  });
  const printJob = async (): Promise<Buffer> => {
    const started = await core.dispatch({ method: 'print.start', input: { ids }, ...named });
    if (!started.ok) throw new Error(started.error.message);
    const { jobId } = started.result as { jobId: string };
    while (!finished.has(jobId)) await new Promise((r) => setImmediate(r));
    const taken = await core.dispatch({ method: 'documents.open', input: { printJobId: jobId }, ...named });
    if (!taken.ok) throw new Error(taken.error.message);
    const { files } = taken.result as { files: { url: string }[] };
    return core.downloads.take(files[0]!.url.replace('/download/', ''), hashToken(named.sessionToken)).bytes;
  };
  const jobTimes: number[] = [];
  let combinedPdf: Buffer = Buffer.alloc(0);
  for (let i = 0; i < 6; i++) {
    t = performance.now();
    combinedPdf = await printJob();
    if (i > 0) jobTimes.push(performance.now() - t);
  }
  const combined = median(jobTimes);
  const combinedPages = (await PDFDocument.load(combinedPdf)).getPageCount();
  console.log(
    `notices: the same 100 as one combined file, as the product builds it (print job merging the stored signed files; median of 5) ${s(combined)}  (target < 2 s; ${combinedPages} pages, ${mb(combinedPdf.length)})`,
  );

  t = performance.now();
  const defs = Array.from({ length: 100 }, (_, i) => buildNotice(data, meta(i + 1)));
  const combinedDef = {
    ...defs[0]!,
    content: defs.flatMap((d, i) => (i === 0 ? [d.content] : [{ text: '', pageBreak: 'before' as const }, d.content])),
  };
  const rendered = await renderPdf(combinedDef);
  console.log(
    `notices: for comparison, the 100 re-rendered as one pdfmake document (not the product's way) ${s(performance.now() - t)}  (${mb(rendered.length)})`,
  );
  await core.close();

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage();
    const fontUrl = `file://${fontFiles().regular}`;
    const qrSvg = await QRCode.toString(QR, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 });
    const one = path.join(dir, 'one.html');
    fs.writeFileSync(one, noticeHtml(fontUrl, 1, qrSvg));
    await page.goto(`file://${one}`);
    await page.pdf({ format: 'A4' });
    const cs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t1 = performance.now();
      await page.goto(`file://${one}`);
      await page.pdf({ format: 'A4' });
      cs.push(performance.now() - t1);
    }
    cs.sort((a, b) => a - b);
    const chromeOne = cs[2]!;
    console.log(
      `chromium: one notice, warm (median of 5)          ${ms(chromeOne)}  (pdfmake ${(chromeOne / singles[10]!).toFixed(1)}× faster)`,
    );
    t = performance.now();
    for (let i = 0; i < 100; i++) {
      await page.goto(`file://${one}`);
      await page.pdf({ format: 'A4' });
    }
    const chromeSeparate = performance.now() - t;
    console.log(
      `chromium: 100 separate notices                    ${s(chromeSeparate)}  (ours ${(chromeSeparate / files).toFixed(1)}× faster, signed)`,
    );
    const many = path.join(dir, 'many.html');
    fs.writeFileSync(many, noticeHtml(fontUrl, 100, qrSvg));
    const chromeTimes: number[] = [];
    let chromePdf: Buffer = Buffer.alloc(0);
    for (let i = 0; i < 4; i++) {
      t = performance.now();
      await page.goto(`file://${many}`);
      chromePdf = await page.pdf({ format: 'A4' });
      if (i > 0) chromeTimes.push(performance.now() - t);
    }
    const chromeCombined = median(chromeTimes);
    console.log(`chromium: one 100-page file (median of 3)         ${s(chromeCombined)}  (${mb(chromePdf.length)})`);
    console.log(
      `notices: combined file, product vs Chromium       ${s(combined)} vs ${s(chromeCombined)}: ours ${(chromeCombined / combined).toFixed(2)}× Chromium's speed (target: under 2 s and above 1×)`,
    );
  } finally {
    await browser.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) void benchNotices();
