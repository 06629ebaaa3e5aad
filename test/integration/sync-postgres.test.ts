// The device's sync engine against real PostgreSQL: two central nodes (processes) over one
// database behind a round-robin "load balancer" transport, three devices working and syncing at
// the same time; then a third node that dies (SIGKILL) after a push commits and before its reply
// leaves. Afterwards every (device, seq) has one result, each device's record of it equals the
// centre's, and every device holds the same case records as the centre.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ManualClock } from '../../electron/core/clock';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { beijingRider, withCheckDigit } from '../helpers/intake';
import { spawnCentre, type CentreProcess } from '../helpers/central';
import { createDatabase, startPostgres, type TestPostgres } from '../helpers/postgres';
import { openDatabase, type CentralDatabase } from '../../central/db/database';
import { makeEnrolCode } from '../../central/core/enrolment';
import { deviceKey } from '../../electron/core/crypto/device-key';
import { runSyncPass } from '../../electron/core/sync/engine';
import type { FetchLike } from '../../electron/core/sync/centre-client';
import { canonicalSha256 } from '../../electron/core/crypto/hash';

let cluster: TestPostgres;
let url = '';
let nodes: CentreProcess[] = [];
let database: CentralDatabase;

beforeAll(async () => {
  cluster = await startPostgres();
  url = await createDatabase(cluster, 'device_sync');
  nodes = await Promise.all([spawnCentre(['--port', '0', '--database', url]), spawnCentre(['--port', '0', '--database', url])]);
  database = await openDatabase({ url });
}, 240_000);
afterAll(async () => {
  await database?.close();
  await Promise.all(nodes.map((n) => n.stop()));
  cluster?.stop();
});

/** Sends each request to the next node in turn, whatever address the device has stored. */
function balancer(targets: () => string[]): FetchLike {
  let i = 0;
  return async (u, init) => {
    const list = targets();
    const to = list[i++ % list.length]!;
    const path = new URL(u).pathname + new URL(u).search;
    const res = await fetch(`${to}${path}`, {
      method: init.method,
      headers: init.headers,
      body: init.body as BodyInit | undefined,
      signal: init.signal,
    });
    return res as never;
  };
}

let idCounter = 0;
async function register(t: TestCore, clerk: string): Promise<void> {
  await t.call(
    'cases.register',
    beijingRider({ idNumber: withCheckDigit(`63010219900103${String(++idCounter).padStart(3, '0')}`) }),
    clerk,
  );
}

const caseRows = (t: TestCore): string =>
  canonicalSha256(['workers', 'cases', 'case_materials'].map((tbl) => t.store.sqlite.prepare(`SELECT * FROM ${tbl} ORDER BY 1, 2`).all()));

describe('real PostgreSQL, two nodes', () => {
  it('three devices syncing at once through both nodes, and a node killed between commit and reply: exactly once, and converged', async () => {
    const devs: { t: TestCore; clerk: string }[] = [];
    const clock = new ManualClock(new Date());
    for (let i = 0; i < 3; i++) {
      const t = makeTestCore(new Date(Date.UTC(2026, 10, 24, 2, i)));
      const admin = await setupAdmin(t);
      await t.call(
        'users.create',
        { username: 'clerk', displayName: `受理员${i}`, roles: ['intake_clerk'], password: 'Staff-pass-2026' },
        admin,
      );
      const clerk = (await t.call('auth.login', { username: 'clerk', password: 'Staff-pass-2026' })) as { sessionToken: string };
      const { code } = await makeEnrolCode(database.db, clock, { office: '西宁市社保经办' });
      await t.call('sync.enrol', { url: nodes[i % 2]!.url, code, deviceName: `设备${i}` }, admin);
      devs.push({ t, clerk: clerk.sessionToken });
    }
    const lb = balancer(() => nodes.map((n) => n.url));
    const pass = (t: TestCore, fetch: FetchLike = lb) =>
      runSyncPass(
        { db: t.store.db, clock: t.clock, key: deviceKey(t.dir), fetch, pushBatch: 3, pullLimit: 5, timeoutMs: 120_000 },
        'background',
      );
    try {
      for (let round = 0; round < 3; round++) {
        for (const d of devs) for (let k = 0; k < 3; k++) await register(d.t, d.clerk);
        const results = await Promise.all(devs.map((d) => pass(d.t)));
        for (const r of results) expect(r.errors).toEqual([]);
      }

      // A node that dies after a push commits, before its reply: the device only sees a broken connection.
      const doomed = await spawnCentre(['--port', '0', '--database', url], { OIP_CENTRAL_CRASH_AFTER_PUSH_COMMIT: '1' });
      const d0 = devs[0]!;
      await register(d0.t, d0.clerk);
      const broken = await pass(
        d0.t,
        balancer(() => [doomed.url]),
      );
      expect(broken.ok).toBe(false);
      await new Promise<void>((resolve) => (doomed.child.exitCode !== null ? resolve() : doomed.child.once('exit', () => resolve())));
      // tsx runs the node in a child process: the kill shows here as that child's death.
      expect(doomed.child.signalCode === 'SIGKILL' || (doomed.child.exitCode ?? 0) !== 0).toBe(true);
      // The centre committed what the device does not know it took.
      const acked = (d0.t.store.sqlite.prepare("SELECT max(seq) AS n FROM sync_outbox WHERE status = 'acked'").get() as { n: number }).n;
      const dev0 = (d0.t.store.sqlite.prepare('SELECT device_id FROM sync_state').get() as { device_id: string }).device_id;
      const last = await sql<{ last_seq: number }>`SELECT last_seq FROM devices WHERE id = ${dev0}::uuid`.execute(database.db);
      expect(last.rows[0]!.last_seq).toBeGreaterThan(acked);

      // Everyone syncs until nothing waits, then once more so that all pull all.
      for (let round = 0; round < 2; round++) for (const d of devs) expect((await pass(d.t)).errors).toEqual([]);

      const rows = await sql<{ device_id: string; seq: number; mutation_id: string; status: string }>`
        SELECT device_id::text, seq, mutation_id::text, status FROM mutations`.execute(database.db);
      expect(new Set(rows.rows.map((r) => `${r.device_id}/${r.seq}`)).size).toBe(rows.rows.length);
      expect(new Set(rows.rows.map((r) => r.mutation_id)).size).toBe(rows.rows.length);
      const central = new Map(rows.rows.map((r) => [r.mutation_id, r.status]));
      for (const d of devs) {
        const out = d.t.store.sqlite.prepare('SELECT mutation_id, status FROM sync_outbox').all() as {
          mutation_id: string;
          status: string;
        }[];
        expect(out.every((o) => o.status === 'acked')).toBe(true);
        for (const o of out) expect(central.get(o.mutation_id)).toBe('applied');
      }
      const cases = await sql<{ n: number }>`SELECT count(*)::int AS n FROM records WHERE table_name = 'cases'`.execute(database.db);
      expect(cases.rows[0]!.n).toBe(idCounter);
      const want = caseRows(devs[0]!.t);
      for (const d of devs) expect(caseRows(d.t)).toBe(want);
      expect((devs[1]!.t.store.sqlite.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n).toBe(idCounter);
    } finally {
      for (const d of devs) await d.t.cleanup();
    }
  }, 600_000);
});
