// Crash test: the core in a child process (test/crash/writer.ts) registers and moves cases,
// records confirmations, appraisal requests, panels, opinions and the leader's signed
// conclusions, and is killed with SIGKILL at a random moment, again and again on the same data
// folder (OIP_CRASH_CYCLES times, 50 by default). After each kill: SQLite's integrity check is
// ok, every write the child reported committed is in the store with its audit entry, and the
// audit chain verifies. Nothing here depends on when the kill lands: any moment must hold.
//
// Each committed write is checked by every function in COMMITTED_CHECKS: when the sync outbox
// arrives, "every committed change has its outbox entry" is one more function there.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/core/db';
import { verifyAudit } from '../../electron/core/audit';
import { tempDir } from '../helpers/core';
import type { CommittedWrite } from '../crash/writer';

const CYCLES = Number(process.env.OIP_CRASH_CYCLES ?? 50);
const SEED = Number(process.env.OIP_CRASH_SEED ?? 20261124);
const bundle = path.resolve('node_modules/.cache/oip-crash/writer.mjs');
let dir: string;

/** Each returns what is wrong with one committed write, or null. */
const COMMITTED_CHECKS: ((db: BetterSqlite3.Database, w: CommittedWrite) => string | null)[] = [
  (db, w) => {
    const cols = Object.keys(w.proof.where);
    const row = db
      .prepare(`SELECT 1 FROM "${w.proof.table}" WHERE ${cols.map((c) => `"${c}" = ?`).join(' AND ')}`)
      .get(...Object.values(w.proof.where));
    return row ? null : `${w.method}: no ${w.proof.table} row ${JSON.stringify(w.proof.where)}`;
  },
  (db, w) => {
    if (!w.entityId) return null;
    const entry = db.prepare('SELECT 1 FROM audit_log WHERE method = ? AND entity_id = ?').get(w.method, w.entityId);
    return entry ? null : `${w.method}: no audit entry for ${w.entityId}`;
  },
];

beforeAll(() => {
  // One bundled file starts in well under a second; tsx would compile the core at every start.
  const r = spawnSync(
    path.resolve('node_modules/esbuild/bin/esbuild'),
    [
      'test/crash/writer.ts',
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--packages=external',
      `--outfile=${bundle}`,
      '--log-level=error',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`bundling the crash writer failed: ${r.stderr}`);
  dir = tempDir('oip-crash-');
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** xorshift32 for the kill points: the same seed kills after the same numbers of writes. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

/** Runs the writer until it has reported `writes` commits (plus a moment), then kills it. */
function runAndKill(cycle: number, writes: number, extraMs: number): Promise<{ lines: string[]; stderr: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, dir, String(SEED + cycle)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let seen = 0;
    let ready = false;
    let killing = false;
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      if (!ready) ready = out.includes('READY\n');
      seen = ready ? out.slice(out.indexOf('READY\n')).split('\n').length - 2 : 0;
      if (!killing && ready && seen >= writes) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      // The last line may have been cut by the kill: only whole lines count as reported.
      const lines = out.split('\n').slice(0, -1);
      resolve({ lines, stderr, killed: signal === 'SIGKILL' });
    });
  });
}

describe('killed at random moments', () => {
  it(`keeps every reported write, a sound store and a verified audit chain over ${CYCLES} kills`, async () => {
    const random = rng(SEED);
    const committed: CommittedWrite[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const run = await runAndKill(cycle, 1 + Math.floor(random() * 6), Math.floor(random() * 25));
      expect(run.killed, `cycle ${cycle}: the writer stopped by itself: ${run.stderr}`).toBe(true);
      committed.push(...run.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as CommittedWrite));

      const store = openStore(dir);
      try {
        expect(store.sqlite.pragma('integrity_check', { simple: true }), `cycle ${cycle}`).toBe('ok');
        const problems = committed.flatMap((w) => COMMITTED_CHECKS.map((check) => check(store.sqlite, w)).filter((p) => p !== null));
        expect(problems, `cycle ${cycle}`).toEqual([]);
        const audit = await verifyAudit(store.db);
        expect(audit.firstBroken, `cycle ${cycle}`).toBeNull();
      } finally {
        await store.close();
      }
    }
    // The cycles did real work: cases through to signed conclusions.
    const store = openStore(dir);
    try {
      const counts = store.sqlite
        .prepare('SELECT (SELECT COUNT(*) FROM cases) cases, (SELECT COUNT(*) FROM appraisal_conclusions) signed')
        .get() as {
        cases: number;
        signed: number;
      };
      console.log(
        `[crash] ${CYCLES} kills, ${committed.length} reported writes, ${counts.cases} cases, ${counts.signed} signed conclusions`,
      );
      expect(committed.length).toBeGreaterThan(CYCLES);
      if (CYCLES >= 50) expect(counts.signed).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 600_000);
});
