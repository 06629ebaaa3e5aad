// What the sync outbox costs an ordinary call: N case registrations (the call with the most
// replicated rows an intake clerk makes: worker, case, five materials) through the full RPC
// dispatcher, on four stores: as before this work (no capture triggers, no statement cache), no
// capture triggers, capture off (the flag set: triggers skip, the hook finds nothing), and capture
// on (triggers note the keys, the commit hook writes the outbox mutation). Wall time on a shared
// machine is mostly waiting for the disk's fsync at each commit; CPU time per call is the steadier
// figure. Prints figures; asserts nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore, type Core } from '../electron/core/app-core';
import { seededRandom, syntheticClaim } from '../electron/core/demo/synthetic';
import { TEST_COST } from '../electron/core/passwords';

const N = Number(process.env.BENCH_REGISTRATIONS ?? 10_000);

type Mode = 'before (no cache)' | 'no triggers' | 'capture off' | 'capture on';

async function run(mode: Mode): Promise<{ perCall: number; cpuPerCall: number; outbox: number; outboxBytes: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oip-bench-outbox-'));
  const core: Core = createCore({
    dataDir: dir,
    host: 'test',
    passwordCost: TEST_COST,
    ...(mode === 'before (no cache)' ? { statementCache: 0 } : {}),
  });
  try {
    const op = { asLocalOperator: 'bench' };
    await core.dispatch({
      method: 'users.create',
      input: { username: 'clerk', displayName: '受理员', password: 'Bench-pass-2026', roles: ['intake_clerk'] },
      ...op,
    });
    const login = await core.dispatch({ method: 'auth.login', input: { username: 'clerk', password: 'Bench-pass-2026' } });
    const token = (login as { ok: true; result: { sessionToken: string } }).result.sessionToken;
    if (mode === 'capture off') core.store.sqlite.exec('INSERT INTO sync_capture_off (id) VALUES (1)');
    if (mode === 'no triggers' || mode === 'before (no cache)')
      for (const { name } of core.store.sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_sync_%'")
        .all() as {
        name: string;
      }[])
        core.store.sqlite.exec(`DROP TRIGGER ${name}`);
    const before = (core.store.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;
    const rnd = seededRandom(7);
    const used = new Set<string>();
    const claims = Array.from({ length: N }, (_, i) => syntheticClaim(rnd, '2026-11-24', i, used).registration);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (const input of claims) {
      const r = await core.dispatch({ method: 'cases.register', input, sessionToken: token });
      if (!r.ok) throw new Error(`registration failed: ${r.error.code}`);
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const out = core.store.sqlite.prepare('SELECT count(*) AS n, coalesce(sum(length(rows)), 0) AS b FROM sync_outbox').get() as {
      n: number;
      b: number;
    };
    return { perCall: ms / N, cpuPerCall: (cpu.user + cpu.system) / 1000 / N, outbox: out.n - before, outboxBytes: out.b };
  } finally {
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchOutbox(): Promise<void> {
  console.log(`\n== Sync outbox: ${N} case registrations through the dispatcher ==`);
  const results: Partial<Record<Mode, Awaited<ReturnType<typeof run>>>> = {};
  for (const mode of ['before (no cache)', 'no triggers', 'capture off', 'capture on'] as const) {
    results[mode] = await run(mode);
    const r = results[mode];
    console.log(
      `${mode.padEnd(18)} ${r.perCall.toFixed(3)} ms per call, CPU ${r.cpuPerCall.toFixed(3)} ms` +
        (r.outbox ? `, ${r.outbox} outbox mutations, ${(r.outboxBytes / r.outbox / 1024).toFixed(1)} KB of rows each` : ''),
    );
  }
  const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${((a / b - 1) * 100).toFixed(0)}%`;
  const on = results['capture on']!;
  for (const [label, base] of [
    ['no capture (same statement cache)', results['no triggers']!],
    ['the store before this work', results['before (no cache)']!],
  ] as const)
    console.log(
      `capture on vs ${label}: wall ${pct(on.perCall, base.perCall)}, CPU ${(on.cpuPerCall - base.cpuPerCall).toFixed(3)} ms (${pct(on.cpuPerCall, base.cpuPerCall)})`,
    );
}
