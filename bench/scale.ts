// `npm run bench -- scale`: a year of an office's work on one laptop. Fills an encrypted store
// with BENCH_CASES cases (default 100,000) through the bulk demo (with the documents the product
// issues, unless BENCH_DOCUMENTS=0), then times, through the full RPC dispatcher: search as you
// type for every kind of query, the home page's worklist and each queue, the dashboard for the
// year and for one office, and an export. Prints figures and the machine's load; asserts nothing.
// BENCH_DATA=DIR keeps (or reuses) the store in DIR instead of a temporary folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore } from '../electron/core/app-core';
import { ManualClock } from '../electron/core/clock';
import { bulkFill, DEMO_OFFICES } from '../electron/core/demo/bulk-fill';
import { closeRenderers } from '../electron/core/notices/render-service';
import type { MethodName } from '../shared/api/contract';

const N = Number(process.env.BENCH_CASES ?? 100_000);
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!.toFixed(2);
  return `p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms`;
}

function storeBytes(dir: string): number {
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('oip-desk.sqlite'))
    .reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}

export async function benchScale(): Promise<void> {
  const keep = process.env.BENCH_DATA;
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'oip-bench-scale-'));
  const clock = new ManualClock(new Date());
  let core = createCore({ dataDir: dir, host: 'test', clock });
  await core.derived.idle();
  const existing = (core.store.sqlite.prepare('SELECT COUNT(*) n FROM cases').get() as { n: number }).n;
  let accounts: { username: string; password: string }[] = [];
  console.log(`scale: machine ${os.cpus().length} cores, load ${load()} (1/5/15 min) before the fill`);
  if (existing === 0) {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const r = await bulkFill(core, {
      cases: N,
      seed: 20261130,
      clock,
      documents: process.env.BENCH_DOCUMENTS !== '0',
      onProgress: (phase, done, total) => {
        if (done === total || done % Math.max(1, Math.floor(total / 10)) === 0) console.log(`scale:   ${phase} ${done}/${total}`);
      },
    });
    const used = process.cpuUsage(cpu);
    accounts = r.accounts;
    if (keep) fs.writeFileSync(path.join(dir, 'bench-accounts.json'), JSON.stringify(accounts));
    console.log(
      `scale: filled ${r.cases} cases, ${r.bills} bills, ${r.auditEntries} audit entries, ${r.hearings} hearings, ${r.conclusions} conclusions, ${r.determinations} approved determinations, ${r.documents} documents in ${((performance.now() - t) / 1000).toFixed(0)} s wall, ${((used.user + used.system) / 1e6).toFixed(0)} s CPU over all threads (plan ${r.seconds.plan} s, writing ${r.seconds.write} s, issuing documents ${r.seconds.documents} s, projections ${r.seconds.projections} s); load ${load()}`,
    );
    console.log(`scale:   by status ${JSON.stringify(r.byStatus)}`);
  } else {
    accounts = JSON.parse(fs.readFileSync(path.join(dir, 'bench-accounts.json'), 'utf8')) as typeof accounts;
    console.log(`scale: reusing ${existing} cases in ${dir}`);
  }
  // Reopen, as a person starting the app would: a cold page cache.
  clock.set(new Date());
  core.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await core.close();
  await closeRenderers();
  const size = storeBytes(dir);
  // The target is decimal (1 GB = 10^9 bytes); MiB shown too, as file managers on Windows count.
  console.log(`scale: store ${(size / 1e6).toFixed(0)} MB = ${mib(size)} on disk (target < 1 GB = 1000 MB)`);
  const t0 = performance.now();
  // Measured as the desktop app runs: the test host also checks every result against its output
  // schema (2,000 worklist rows: some 90 ms a call), which the product never does.
  core = createCore({ dataDir: dir, host: 'electron', clock });
  await core.derived.idle();
  console.log(`scale: store opened (key, migrations check, projections current) in ${(performance.now() - t0).toFixed(0)} ms`);
  // Where the bytes are: the ten largest tables and indexes (SQLite's dbstat), so the next saving is visible.
  const largest = core.store.sqlite
    .prepare('SELECT name, SUM(pgsize) bytes, SUM(unused) unused FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 10')
    .all() as { name: string; bytes: number; unused: number }[];
  console.log(
    `scale: largest objects ${largest.map((o) => `${o.name} ${(o.bytes / 1e6).toFixed(1)} MB (${(o.unused / 1e6).toFixed(1)} unused)`).join('; ')}`,
  );

  const login = async (username: string) => {
    const password = accounts.find((a) => a.username === username)?.password;
    const r = await core.dispatch({ method: 'auth.login', input: { username, password } });
    if (!r.ok || !(r.result as { ok: boolean }).ok) throw new Error(`login ${username} failed`);
    return (r.result as { sessionToken: string }).sessionToken;
  };
  const tokens = {
    clerk: await login('clerk1'),
    officer: await login('officer1'),
    secretary: await login('secretary'),
    manager: await login('manager'),
  };
  // Wall time, and the CPU the call used (this process, all threads): on a machine other work
  // keeps busy the wall time grows with the load, the CPU time hardly does.
  const time = async (method: MethodName, input: unknown, token: string) => {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const r = await core.dispatch({ method, input, sessionToken: token });
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return { ms, cpuMs: (used.user + used.system) / 1000, result: r.result };
  };
  const cpuStats = (samples: number[]) => {
    const q = [...samples].sort((a, b) => a - b);
    const at = (p: number) => q[Math.min(q.length - 1, Math.max(0, Math.ceil(p * q.length) - 1))]!.toFixed(2);
    return `CPU p50 ${at(0.5)} ms, p95 ${at(0.95)} ms`;
  };

  // Search as you type, each kind of query a clerk types, sampled from the store.
  const sample = core.store.sqlite
    .prepare(
      `SELECT workers.name, workers.id_number, workers.phone, cases.registration_no, cases.case_no, cases.orders
       FROM cases JOIN workers ON workers.id = cases.worker_id WHERE cases.rowid % 503 = 0 LIMIT 200`,
    )
    .all() as { name: string; id_number: string; phone: string; registration_no: string; case_no: string | null; orders: string }[];
  const kinds: [string, (s: (typeof sample)[number]) => string][] = [
    ['surname (1 char)', (s) => s.name.slice(0, 1)],
    ['name, 2 chars', (s) => s.name.slice(0, 2)],
    ['full name (2-3 chars)', (s) => s.name],
    ['ID number, last 6', (s) => s.id_number.slice(-6)],
    ['ID number, first 10', (s) => s.id_number.slice(0, 10)],
    ['ID number, full', (s) => s.id_number],
    ['phone, last 4', (s) => s.phone.slice(-4)],
    ['phone, full', (s) => s.phone],
    ['registration no. fragment', (s) => s.registration_no.slice(-6)],
    ['case no., full', (s) => s.case_no ?? s.registration_no],
    ['order no., full', (s) => (JSON.parse(s.orders) as { orderNo: string }[])[0]!.orderNo],
    ['order no., fragment', (s) => (JSON.parse(s.orders) as { orderNo: string }[])[0]!.orderNo.slice(3, 11)],
  ];
  for (const [label, q] of kinds) {
    const times: number[] = [];
    const cpus: number[] = [];
    let found = 0;
    for (let round = 0; round < 3; round++)
      for (const s of sample) {
        const r = await time('cases.search', { q: q(s), limit: 50 }, tokens.clerk);
        times.push(r.ms);
        cpus.push(r.cpuMs);
        if ((r.result as unknown[]).length > 0) found++;
      }
    console.log(
      `scale: search ${label.padEnd(26)} ${stats(times)}; ${cpuStats(cpus)} (${times.length} queries, ${Math.round((100 * found) / times.length)}% found; target p95 < 10 ms)`,
    );
  }

  // The home page: who is signed in, and the worklist; then each queue.
  const pages: [string, MethodName, unknown, string][] = [
    ['home page worklist (officer)', 'cases.worklist', {}, tokens.officer],
    ['home page worklist (clerk)', 'cases.worklist', {}, tokens.clerk],
    ['home page worklist (secretary)', 'cases.worklist', {}, tokens.secretary],
    ['我最近办理的案件 (clerk)', 'cases.recent', { limit: 20 }, tokens.clerk],
    ['queue 待受理', 'cases.queue', { queue: 'intake' }, tokens.clerk],
    ['queue 待确认', 'cases.queue', { queue: 'confirmation' }, tokens.officer],
    ['queue 治疗期', 'cases.queue', { queue: 'treatment' }, tokens.clerk],
    ['queue 待鉴定', 'cases.queue', { queue: 'appraisal' }, tokens.secretary],
    ['queue 待核定', 'cases.queue', { queue: 'benefits' }, tokens.clerk],
    ['疑点 list (open)', 'flags.queue', { status: 'open', code: null }, tokens.manager],
  ];
  for (const [label, method, input, token] of pages) {
    const first = await time(method, input, token);
    const warm: number[] = [];
    const cpus: number[] = [first.cpuMs];
    for (let i = 0; i < 5; i++) {
      const r = await time(method, input, token);
      warm.push(r.ms);
      cpus.push(r.cpuMs);
    }
    console.log(
      `scale: ${label.padEnd(32)} first ${first.ms.toFixed(0)} ms, then ${stats(warm)}; ${cpuStats(cpus)}; ${(first.result as unknown[]).length} rows (target < 1 s)`,
    );
  }

  const today = new Date().toISOString().slice(0, 10);
  const year = { from: `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`, to: today };
  for (const [label, office] of [
    ['dashboard, a year, every office', null],
    ['dashboard, a year, one office', DEMO_OFFICES[0]!],
  ] as const) {
    const first = await time('monitoring.dashboard', { ...year, office }, tokens.manager);
    const warm: number[] = [];
    const cpus: number[] = [first.cpuMs];
    for (let i = 0; i < 3; i++) {
      const r = await time('monitoring.dashboard', { ...year, office }, tokens.manager);
      warm.push(r.ms);
      cpus.push(r.cpuMs);
    }
    console.log(`scale: ${label.padEnd(32)} first ${first.ms.toFixed(0)} ms, then ${stats(warm)}; ${cpuStats(cpus)} (target < 1 s)`);
  }
  const exp = await time('exports.dashboard', { format: 'xlsx', filter: { ...year, office: null } }, tokens.manager);
  console.log(`scale: dashboard exported to XLSX            ${exp.ms.toFixed(0)} ms`);
  const wl = await time('exports.worklist', { format: 'csv' }, tokens.officer);
  console.log(`scale: worklist exported to CSV              ${wl.ms.toFixed(0)} ms (${(wl.result as { rows: number }).rows} rows)`);
  console.log(`scale: load ${load()} after the measurements`);
  await core.close();
  await closeRenderers();
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) void benchScale();
