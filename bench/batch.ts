// The batch action a secretary uses after a hearing: a hearing's 40 signed 结论书 issued through
// the product (`batch.issueConclusions`: numbers in order, each rendered in the worker threads —
// ahead of its commit — signed, stored and audited in its own transaction), timed from the
// click to the summary, with the workers cold (first batch of the day) and warm; and, for
// comparison, headless Chromium printing the same 40 notices from HTML.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import QRCode from 'qrcode';
import { makeTestCore, setupAdmin, type TestCore } from '../test/helpers/core';
import { gradeAndSign, hearingScene, signedCasesOnHearing } from '../test/helpers/appraisal';
import { closeRenderers, renderPoolSize, renderStats } from '../electron/core/notices/render-service';
import { fontFiles } from '../electron/core/notices/pdf-engine';

const N = 40;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
const NAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章';

async function hearingOf40(t: TestCore, scene: Awaited<ReturnType<typeof hearingScene>>, hearingId: string, first: string[]) {
  const names = Array.from(
    { length: N - first.length },
    (_, i) => `${NAMES[i % NAMES.length]}${'伟芳娜敏静丽强磊军洋'[Math.floor(i / NAMES.length) % 10]}`,
  );
  return signedCasesOnHearing(t, { ...scene, hearingId }, names);
}

async function issueBatch(
  t: TestCore,
  secretary: string,
  hearingId: string,
): Promise<{ ms: number; cpuMs: number; issued: number; failed: number }> {
  const start = performance.now();
  // CPU of the whole process, worker threads included: the figure a busy machine does not inflate.
  const cpu = process.cpuUsage();
  const job = await t.call('batch.issueConclusions', { hearingId }, secretary);
  const done = await t.deps.batchJobs.settled(job.id);
  const used = process.cpuUsage(cpu);
  return {
    ms: performance.now() - start,
    cpuMs: (used.user + used.system) / 1000,
    issued: done.issued.length,
    failed: done.failed.length,
  };
}

function conclusionHtml(fontUrl: string, count: number, qrSvg: string): string {
  const page = (i: number) => `<div class="page"><h1>劳动能力鉴定结论书</h1><div class="no">宁劳鉴〔2026〕${i + 1}号</div>
    <table><tr><td>姓名</td><td>张伟${i}</td><td>性别</td><td>男</td></tr><tr><td>身份证号码</td><td colspan="3">630102********0031</td></tr>
    <tr><td>工作平台</td><td>货拉拉</td><td>职业伤害确认</td><td>宁人社职伤确〔2026〕37号</td></tr></table>
    <p>西宁市劳动能力鉴定委员会于2026年11月24日组织专家对你进行了劳动能力鉴定。经鉴定：</p>
    <table><tr><td>伤情</td><td>双侧第4—7肋骨骨折致胸廓畸形</td></tr><tr><td>依据</td><td>GB/T 16180-2014 5.8.2(45) 双侧≥3根肋骨骨折致胸廓畸形（八级）</td></tr></table>
    <p>劳动功能障碍程度：七级；生活自理障碍程度：无生活自理障碍。</p>
    <p>如对本鉴定结论不服，可以在收到本结论书之日起15日内向青海省劳动能力鉴定委员会申请再次鉴定。</p>
    <div style="display:flex;justify-content:space-between"><div style="width:92pt">${qrSvg}</div><div style="text-align:right">西宁市劳动能力鉴定委员会<br>2026年11月24日</div></div></div>`;
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    @font-face { font-family: N; src: url('${fontUrl}'); }
    @page { size: A4; margin: 37mm 26mm 35mm 28mm; }
    body { font-family: N; font-size: 16pt; line-height: 29pt; }
    h1 { font-size: 22pt; text-align: center; margin: 0 } .no { text-align: center }
    p { text-indent: 2em; margin: 0 } table { border-collapse: collapse; font-size: 12pt; line-height: 1.4 } td { border: 0.5pt solid #000; padding: 2pt }
    .page { page-break-after: always }
  </style></head><body>${Array.from({ length: count }, (_, i) => page(i)).join('')}</body></html>`;
}

export async function benchBatch(): Promise<void> {
  console.log(`batch: load ${load()}; setting up two hearings of ${N} signed conclusions through the RPC …`);
  const t = makeTestCore();
  try {
    const admin = await setupAdmin(t);
    const scene = await hearingScene(t, admin);
    await gradeAndSign(t, scene);
    await hearingOf40(t, scene, scene.hearingId, [scene.caseId]);
    const { id: second } = await t.call(
      'hearings.create',
      { date: '2026-11-24', venue: '西宁市劳动能力鉴定中心', committee: '西宁市劳动能力鉴定委员会', kind: 'initial' },
      scene.secretary,
    );
    await hearingOf40(t, scene, second, []);
    await t.call(
      'numbering.addBlock',
      { series: 'appraisal', pattern: '宁劳鉴〔{year}〕{seq}号', issuer: '西宁市劳动能力鉴定委员会', year: 2026, first: 1, last: 9999 },
      admin,
    );
    // Cold: the render workers start (and parse their fonts) inside the timed batch.
    await closeRenderers();
    const cold = await issueBatch(t, scene.secretary, scene.hearingId);
    const warm = await issueBatch(t, scene.secretary, second);
    console.log(
      `batch: a hearing's ${N} 结论书 through the batch action, cold workers: ${s(cold.ms)} (${cold.issued} issued, ${cold.failed} failed; ${renderPoolSize()} worker threads; CPU ${s(cold.cpuMs)} over all threads)`,
    );
    console.log(
      `batch: a hearing's ${N} 结论书 through the batch action, warm workers: ${s(warm.ms)}, ${(warm.ms / N).toFixed(0)} ms each (target < 2 s); CPU ${s(warm.cpuMs)} over all threads; load ${load()}`,
    );
    console.log(
      `batch: renders made ahead and taken by their issue: ${renderStats.ahead}; rendered inside the issue: ${renderStats.onTheSpot}`,
    );

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oip-bench-batch-'));
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const qrSvg = await QRCode.toString(`OIP1|0123456789abcdef|${'x'.repeat(200)}`, {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 0,
      });
      const one = path.join(dir, 'one.html');
      fs.writeFileSync(one, conclusionHtml(`file://${fontFiles().regular}`, 1, qrSvg));
      await page.goto(`file://${one}`);
      await page.pdf({ format: 'A4' });
      let t0 = performance.now();
      for (let i = 0; i < N; i++) {
        await page.goto(`file://${one}`);
        await page.pdf({ format: 'A4' });
      }
      const separate = performance.now() - t0;
      const many = path.join(dir, 'many.html');
      fs.writeFileSync(many, conclusionHtml(`file://${fontFiles().regular}`, N, qrSvg));
      t0 = performance.now();
      await page.goto(`file://${many}`);
      await page.pdf({ format: 'A4' });
      const combined = performance.now() - t0;
      console.log(
        `batch: Chromium printing the same ${N} from HTML: ${s(separate)} as ${N} files, ${s(combined)} as one ${N}-page file (unsigned, not stored)`,
      );
      console.log(
        `batch: ratio: the batch action (warm) takes ${(warm.ms / separate).toFixed(2)}× Chromium's ${N} files and ${(warm.ms / combined).toFixed(2)}× its one file`,
      );
    } finally {
      await browser.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await t.cleanup();
    await closeRenderers();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void benchBatch();
