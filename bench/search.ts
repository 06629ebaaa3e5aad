// Case search over tens of thousands of cases: fills a store with 50,000 synthetic cases
// (directly, for speed; the search index is written by the same indexCase the services use),
// then times the queries a clerk types, through the full RPC dispatcher.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore } from '../electron/core/app-core';
import { indexCase } from '../electron/core/cases/case-search';
import { seededRandom, syntheticClaim } from '../electron/core/demo/synthetic';

const N = Number(process.env.BENCH_CASES ?? 50_000);

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(2);
  return `median ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms`;
}

export async function benchSearch(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oip-bench-search-'));
  const core = createCore({ dataDir: dir, host: 'test' });
  const op = { asLocalOperator: 'bench' };
  await core.dispatch({
    method: 'users.create',
    input: { username: 'clerk', displayName: '受理员', password: 'Bench-pass-2026', roles: ['intake_clerk'] },
    ...op,
  });
  const login = await core.dispatch({ method: 'auth.login', input: { username: 'clerk', password: 'Bench-pass-2026' } });
  if (!login.ok || !(login.result as { ok: boolean }).ok) throw new Error('login failed');
  const token = (login.result as { sessionToken: string }).sessionToken;
  const userId = (core.store.sqlite.prepare("SELECT id FROM users WHERE username = 'clerk'").get() as { id: string }).id;

  const t0 = performance.now();
  const rnd = seededRandom(42);
  const used = new Set<string>();
  const samples: { name: string; id: string; phone: string; order: string }[] = [];
  const insertWorker = core.store.sqlite.prepare(
    'INSERT INTO workers (id, name, id_number, phone, industry, platforms, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertCase = core.store.sqlite
    .prepare(`INSERT INTO cases (id, registration_no, status, worker_id, accident_at, accident_date, place, description, injuries, orders, applicant_kind, applicant_name, application_date,
    outpatient_only, hospitalized, facts_clear, disputed, traffic_accident, exclusions, also_work_injury_claim, fast_track, assessment, registered_by, registered_at, updated_at)
    VALUES (?, ?, 'registered', ?, ?, ?, ?, ?, '[]', ?, 'worker', ?, ?, 1, 0, 1, 0, 0, '[]', 0, 1, '{}', ?, ?, ?)`);
  await core.store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < N; i++) {
      const c = syntheticClaim(rnd, '2026-11-24', i, used).registration;
      const workerId = `w-${i}`;
      const caseId = `c-${String(i).padStart(8, '0')}`;
      const regNo = `DJ2026-BENC-${String(i + 1).padStart(6, '0')}`;
      insertWorker.run(workerId, c.worker.name, c.worker.idNumber, c.worker.phone, c.worker.industry, '[]', 'x', 'x');
      insertCase.run(
        caseId,
        regNo,
        workerId,
        c.accident.at,
        c.accident.at.slice(0, 10),
        c.accident.place,
        c.accident.description,
        JSON.stringify(c.accident.orders),
        c.worker.name,
        c.applicant.applicationDate,
        userId,
        'x',
        'x',
      );
      await indexCase(trx, {
        caseId,
        workerName: c.worker.name,
        idNumber: c.worker.idNumber,
        phone: c.worker.phone,
        registrationNo: regNo,
        caseNo: null,
        orderNos: c.accident.orders.map((o) => o.orderNo),
      });
      if (i % 997 === 0)
        samples.push({ name: c.worker.name, id: c.worker.idNumber, phone: c.worker.phone, order: c.accident.orders[0]!.orderNo });
    }
  });
  console.log(`search: filled ${N} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const kinds: [string, (s: (typeof samples)[number]) => string][] = [
    ['姓氏（1 字）', (s) => s.name.slice(0, 1)],
    ['姓名（2–3 字）', (s) => s.name],
    ['身份证号全号', (s) => s.id],
    ['身份证号后 6 位', (s) => s.id.slice(-6)],
    ['手机号', (s) => s.phone],
    ['订单号', (s) => s.order],
    ['登记号片段', () => 'BENC-0123'],
  ];
  for (const [label, q] of kinds) {
    const times: number[] = [];
    let hits = 0;
    for (let round = 0; round < 4; round++) {
      for (const s of samples) {
        const start = performance.now();
        const r = await core.dispatch({ method: 'cases.search', input: { q: q(s), limit: 50 }, sessionToken: token });
        times.push(performance.now() - start);
        if (r.ok) hits += (r.result as unknown[]).length > 0 ? 1 : 0;
      }
    }
    console.log(`search: ${label.padEnd(12)} ${stats(times)} (${times.length} queries, ${Math.round((100 * hits) / times.length)}% found)`);
  }
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) void benchSearch();
