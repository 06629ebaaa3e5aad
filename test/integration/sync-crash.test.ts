// The device's sync killed by SIGKILL at named points (a child process on a prepared store against
// a PGlite centre in this process): after a registration's commit, just after a push leaves,
// after the push reply before its results are recorded, after a pull page is fetched, and after
// the first page of a pull. After a restart one more pass converges: every committed write has
// its outbox entry, every entry is applied exactly once at the centre, and the pulling device
// holds exactly what the pushing one has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import { makeTestCore, openTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { beijingRider, staff, withCheckDigit } from '../helpers/intake';
import { memoryPGlite, resetCentral, startTestCentre, type TestCentre } from '../helpers/central';
import { makeEnrolCode } from '../../central/core/enrolment';
import { canonicalSha256 } from '../../electron/core/crypto/hash';

let pg: PGlite;
let centre: TestCentre;

beforeAll(async () => {
  pg = await memoryPGlite();
  centre = await startTestCentre({ pglite: pg });
}, 120_000);
afterAll(async () => {
  await centre.close();
  await pg.close();
});

async function killedAt(dir: string, point: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../helpers/sync-child.ts'), dir, point], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
  expect(signal, out).toBe('SIGKILL');
}

async function device(n: number): Promise<TestCore> {
  const t = makeTestCore();
  const admin = await setupAdmin(t);
  const s = await staff(t, admin);
  for (let i = 0; i < n; i++)
    await t.call('cases.register', beijingRider({ idNumber: withCheckDigit(`630102199001020${10 + i}`) }), s.clerk);
  const { code } = await makeEnrolCode(centre.db, centre.clock, { office: '西宁市社保经办' });
  await t.call('sync.enrol', { url: centre.url, code, deviceName: '崩溃测试机' }, admin);
  return t;
}

const caseTables = (t: TestCore): string =>
  canonicalSha256(['workers', 'cases', 'case_materials'].map((tbl) => t.store.sqlite.prepare(`SELECT * FROM ${tbl} ORDER BY 1, 2`).all()));

async function converged(t: TestCore): Promise<void> {
  const s = await t.deps.sync.syncNow('manual');
  expect(s.errors).toEqual([]);
  const rows = t.store.sqlite.prepare('SELECT seq, mutation_id, status, kind FROM sync_outbox ORDER BY seq').all() as {
    seq: number;
    mutation_id: string;
    status: string;
    kind: string;
  }[];
  // Nothing waits. (A second device's baseline may conflict on a seeded row a later migration
  // changed on the first device: recorded for a person, see the report; everything else is applied.)
  expect(rows.filter((r) => r.status !== 'acked' && !(r.kind === 'sync.baseline' && r.status === 'conflict'))).toEqual([]);
  // Gapless on the device, and each answered exactly once at the centre under the same seq, as recorded here.
  expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
  const dev = (t.store.sqlite.prepare('SELECT device_id FROM sync_state').get() as { device_id: string }).device_id;
  const c = await sql<{ seq: number; mutation_id: string; status: string }>`
    SELECT seq, mutation_id::text, status FROM mutations WHERE device_id = ${dev}::uuid ORDER BY seq`.execute(centre.db);
  const STATUS: Record<string, string> = { acked: 'applied', conflict: 'conflict', rejected: 'rejected' };
  expect(c.rows).toEqual(rows.map((r) => ({ seq: r.seq, mutation_id: r.mutation_id, status: STATUS[r.status] })));
}

describe('sync killed at named points', () => {
  it('after the outbox commit: the registration and its outbox entry are both there, and go up after restart', async () => {
    await resetCentral(centre.db);
    const t = await device(0);
    const dir = t.dir;
    await t.close();
    const before = 0;
    await killedAt(dir, 'after-outbox-commit');
    const again = openTestCore(dir);
    try {
      const cases = (again.store.sqlite.prepare('SELECT id FROM cases').all() as { id: string }[]).map((r) => r.id);
      expect(cases.length).toBe(before + 1);
      // Every committed write has its outbox entry: the case's row is in a pending mutation.
      const out = again.store.sqlite.prepare("SELECT rows FROM sync_outbox WHERE kind = 'cases.register'").all() as { rows: string }[];
      expect(
        out.flatMap((o) =>
          (JSON.parse(o.rows) as { table: string; key: { id: string } }[]).filter((r) => r.table === 'cases').map((r) => r.key.id),
        ),
      ).toEqual(cases);
      await converged(again);
    } finally {
      await again.cleanup();
    }
  }, 240_000);

  for (const point of ['push-sent', 'push-replied'] as const) {
    it(`${point}: after restart every mutation is applied once and recorded`, async () => {
      await resetCentral(centre.db);
      const t = await device(3);
      const dir = t.dir;
      await t.close();
      await killedAt(dir, point);
      const again = openTestCore(dir);
      try {
        await converged(again);
      } finally {
        await again.cleanup();
      }
    }, 240_000);
  }

  for (const point of ['pull-page-fetched', 'mid-pull'] as const) {
    it(`${point}: the pull resumes from its stored cursor and the device ends with what the centre has`, async () => {
      await resetCentral(centre.db);
      const A = await device(3);
      await converged(A);
      const B = await device(0);
      const dir = B.dir;
      await B.close();
      await killedAt(dir, point);
      const again = openTestCore(dir);
      try {
        await converged(again);
        expect(caseTables(again)).toBe(caseTables(A));
      } finally {
        await again.cleanup();
        await A.cleanup();
      }
    }, 240_000);
  }
});
