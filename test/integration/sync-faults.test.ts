// Sync under faults (docs/sync-protocol.md §7): three devices of one office work and sync through
// a seeded fault-injecting transport (drop the request, drop the reply after the centre applied
// it, duplicate, reorder, delay past the timeout, 5xx, truncated body) against a PGlite centre;
// fast-check draws the work and the faults. Then the faults stop, every device syncs until its
// outbox drains, and the invariants are checked: one result per (device, seq); one business row
// per mutation; no registration number twice; a stale edit never silently changes the centre (it
// is a conflict); every device and the centre hold the same case records (checksums) — also after
// the centre refused a change (a case handed over elsewhere meanwhile): the refused edit is undone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { beijingRider, withCheckDigit } from '../helpers/intake';
import { memoryPGlite, resetCentral, startTestCentre, type TestCentre } from '../helpers/central';
import { FAULTS, FaultyFetch, type Fault } from '../helpers/faulty-fetch';
import { makeEnrolCode } from '../../central/core/enrolment';
import { handOver } from '../../central/core/holders';
import { deviceKey } from '../../electron/core/crypto/device-key';
import { runSyncPass } from '../../electron/core/sync/engine';
import { storeMetaSync, tableMeta } from '../../electron/core/replication/table-meta';
import { keyString, toSyncRow } from '../../electron/core/replication/row-codec';
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

interface Dev {
  t: TestCore;
  clerk: string;
  faults: FaultyFetch;
}

type Step =
  | { kind: 'register'; dev: number }
  | { kind: 'edit'; dev: number; pick: number }
  | { kind: 'handover'; dev: number; pick: number }
  | { kind: 'sync'; dev: number };

const CASE_TABLES = ['workers', 'cases', 'case_materials'];
let idCounter = 0;

async function makeDevice(schedule: Fault[], name: string, i: number): Promise<Dev> {
  // Clocks a minute apart: two edits of one case are then never the same state by accident.
  const t = makeTestCore(new Date(Date.UTC(2026, 10, 24, 2, i)));
  const admin = await setupAdmin(t);
  await t.call(
    'users.create',
    { username: 'clerk', displayName: `受理员${name}`, roles: ['intake_clerk'], password: 'Staff-pass-2026' },
    admin,
  );
  const clerk = (await t.call('auth.login', { username: 'clerk', password: 'Staff-pass-2026' })) as { sessionToken: string };
  const { code } = await makeEnrolCode(centre.db, centre.clock, { office: '西宁市社保经办' });
  await t.call('sync.enrol', { url: centre.url, code, deviceName: name }, admin);
  const faults = new FaultyFetch(schedule);
  faults.active = false;
  return { t, clerk: clerk.sessionToken, faults };
}

async function pass(d: Dev, faulty: boolean) {
  return runSyncPass(
    {
      db: d.t.store.db,
      clock: d.t.clock,
      key: deviceKey(d.t.dir),
      fetch: d.faults.fetch,
      timeoutMs: faulty ? 1_500 : 120_000,
      pushBatch: 4,
      pullLimit: 7,
    },
    'background',
  );
}

async function step(devs: Dev[], s: Step): Promise<void> {
  const d = devs[s.dev % devs.length]!;
  if (s.kind === 'register') {
    const id = withCheckDigit(`63010219900101${String(++idCounter % 1000).padStart(3, '0')}`);
    await d.t.call('cases.register', beijingRider({ idNumber: id }), d.clerk);
  } else if (s.kind === 'edit' || s.kind === 'handover') {
    const ids = d.t.store.sqlite.prepare('SELECT id FROM cases ORDER BY id').all() as { id: string }[];
    if (ids.length === 0) return;
    const caseId = ids[s.pick % ids.length]!.id;
    // The centre hands the case to the committee, and this device, not told yet, edits it: the
    // edit is refused at push (NOT_HOLDER), and the centre's state must come back to the device.
    if (s.kind === 'handover') {
      const known = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM records WHERE table_name = 'cases' AND case_id = ${caseId}`.execute(centre.db);
      if (known.rows[0]!.n === 0) return;
      await handOver(centre.db, centre.clock, caseId, '海西州劳动能力鉴定委员会');
    }
    const c = await d.t.call('cases.get', { caseId }, d.clerk);
    const m = c.materials[0];
    if (!m) return;
    // A refusal here (the case moved on) is a local matter, not the sync's.
    await d.t.dispatch({
      method: 'cases.setMaterials',
      input: { caseId, expectedVersion: c.version, materials: [{ code: m.code, received: !m.received }] },
      sessionToken: d.clerk,
    });
  } else {
    await pass(d, true);
  }
}

function deviceLines(t: TestCore): string[] {
  const meta = storeMetaSync(t.store.sqlite);
  const lines: string[] = [];
  for (const table of CASE_TABLES) {
    const tm = tableMeta(meta, table);
    for (const row of t.store.sqlite.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[])
      lines.push(`${table}|${keyString(tm, row)}|${JSON.stringify(Object.fromEntries(Object.entries(toSyncRow(tm, row).row).sort()))}`);
  }
  return lines.sort();
}

function deviceChecksum(t: TestCore): string {
  const meta = storeMetaSync(t.store.sqlite);
  const lines: string[] = [];
  for (const table of CASE_TABLES) {
    const tm = tableMeta(meta, table);
    for (const row of t.store.sqlite.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[])
      lines.push(`${table}|${keyString(tm, row)}|${canonicalSha256(toSyncRow(tm, row).row)}`);
  }
  return canonicalSha256(lines.sort());
}

async function centreChecksum(): Promise<string> {
  const r = await sql<{ table_name: string; key: string; row: Record<string, unknown> }>`
    SELECT table_name, key, row FROM records WHERE NOT deleted AND table_name IN (${sql.join(CASE_TABLES)})`.execute(centre.db);
  return canonicalSha256(r.rows.map((x) => `${x.table_name}|${x.key}|${canonicalSha256(x.row)}`).sort());
}

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('register' as const), dev: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edit' as const), dev: fc.nat(2), pick: fc.nat(20) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('sync' as const), dev: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('handover' as const), dev: fc.nat(2), pick: fc.nat(20) }) },
);

const totals = { conflicts: 0, rejected: 0, applied: 0, seen: Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number> };

describe('sync under faults', () => {
  it('keeps every invariant across devices, and converges once the faults stop', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 10, maxLength: 18 }),
        // Each device's schedule holds every fault, in a drawn order, among drawn extras.
        fc.array(
          fc
            .tuple(fc.shuffledSubarray([...FAULTS], { minLength: FAULTS.length }), fc.array(fc.constantFrom(...FAULTS), { maxLength: 4 }))
            .map(([all, extra]) => [...all, ...extra]),
          { minLength: 3, maxLength: 3 },
        ),
        async (steps, schedules) => {
          await resetCentral(centre.db);
          const devs: Dev[] = [];
          try {
            for (const [i, s] of schedules.entries()) devs.push(await makeDevice(s, `设备${i + 1}`, i));
            // Everyone starts from the same cases: the first device registers one, all sync cleanly.
            await step(devs, { kind: 'register', dev: 0 });
            for (const d of [...devs, ...devs]) expect((await pass(d, false)).errors).toEqual([]);
            for (const d of devs) d.faults.active = true;
            for (const s of steps) await step(devs, s);

            // Faults stop: each device syncs until nothing waits, then once more so all pull all.
            for (const d of devs) d.faults.active = false;
            for (let round = 0; round < 4; round++) for (const d of devs) await pass(d, false);
            for (const d of devs) {
              const last = await pass(d, false);
              expect(last.errors, last.errors.join()).toEqual([]);
              expect(d.t.store.sqlite.prepare("SELECT count(*) AS n FROM sync_outbox WHERE status = 'pending'").get()).toEqual({ n: 0 });
            }

            // One result per (device, seq), and the device's record of each equals the centre's.
            const results = await sql<{ device_id: string; seq: number; mutation_id: string; status: string }>`
              SELECT device_id::text, seq, mutation_id::text, status FROM mutations`.execute(centre.db);
            const keys = new Set(results.rows.map((r) => `${r.device_id}/${r.seq}`));
            expect(keys.size).toBe(results.rows.length);
            // One business effect per mutation id: no id recorded (applied) twice.
            const ids = results.rows.map((r) => r.mutation_id);
            expect(new Set(ids).size).toBe(ids.length);
            const central = new Map(results.rows.map((r) => [r.mutation_id, r.status]));
            totals.conflicts += results.rows.filter((r) => r.status === 'conflict').length;
            totals.applied += results.rows.filter((r) => r.status === 'applied').length;
            totals.rejected += results.rows.filter((r) => r.status === 'rejected').length;
            for (const d of devs) for (const f of FAULTS) totals.seen[f] += d.faults.seen[f];
            const STATUS: Record<string, string> = { acked: 'applied', rejected: 'rejected', conflict: 'conflict' };
            for (const d of devs) {
              const out = d.t.store.sqlite.prepare('SELECT mutation_id, status, rows FROM sync_outbox').all() as {
                mutation_id: string;
                status: string;
                rows: string;
              }[];
              for (const o of out) expect(central.get(o.mutation_id), `${o.mutation_id}`).toBe(STATUS[o.status]);
            }

            // One case row per registration, no registration number twice.
            const regs = devs.flatMap(
              (d) =>
                d.t.store.sqlite
                  .prepare("SELECT mutation_id FROM sync_outbox WHERE kind = 'cases.register' AND status = 'acked'")
                  .all() as unknown[],
            );
            const cases = await sql<{
              no: string;
            }>`SELECT row->>'registration_no' AS no FROM records WHERE table_name = 'cases' AND NOT deleted`.execute(centre.db);
            expect(cases.rows.length).toBe(regs.length);
            expect(new Set(cases.rows.map((r) => r.no)).size).toBe(cases.rows.length);

            // A stale edit never silently wins: two applied changes of one case row from the same base
            // version must be the very same state (the centre takes the same state again as a no-op);
            // any other edit from a base the centre had moved past is a conflict.
            const applied = new Map<string, string>();
            for (const d of devs)
              for (const o of d.t.store.sqlite.prepare("SELECT rows FROM sync_outbox WHERE status = 'acked'").all() as { rows: string }[])
                for (const r of JSON.parse(o.rows) as { table: string; key: { id: string }; baseVersion: number | null; row: unknown }[]) {
                  if (r.table !== 'cases' || r.baseVersion === null) continue;
                  const k = `${r.key.id}@${r.baseVersion}`;
                  const state = canonicalSha256(r.row);
                  expect(applied.get(k) ?? state, `two different edits of case ${k} both applied`).toBe(state);
                  applied.set(k, state);
                }
            // Everyone holds what the centre holds.
            const want = await centreChecksum();
            for (const d of devs) {
              if (process.env.OIP_SYNC_DEBUG && deviceChecksum(d.t) !== want) {
                const r = await sql<{ table_name: string; key: string; row: unknown; version: number }>`
                  SELECT table_name, key, row, version FROM records WHERE NOT deleted AND table_name IN (${sql.join(CASE_TABLES)})`.execute(
                  centre.db,
                );
                const c = new Set(
                  r.rows.map(
                    (x) => `${x.table_name}|${x.key}|${JSON.stringify(Object.fromEntries(Object.entries(x.row as object).sort()))}`,
                  ),
                );
                console.log(
                  'device only',
                  deviceLines(d.t).filter((l) => !c.has(l)),
                );
                const dl = new Set(deviceLines(d.t));
                console.log(
                  'centre only',
                  [...c].filter((l) => !dl.has(l)),
                );
                console.log(
                  d.t.store.sqlite.prepare('SELECT seq, kind, status, last_error FROM sync_outbox WHERE status != ? ').all('acked'),
                );
              }
              expect(deviceChecksum(d.t)).toBe(want);
            }
          } finally {
            for (const d of devs) await d.t.cleanup();
          }
        },
      ),
      { numRuns: 4, seed: 20261130, endOnFailure: true },
    );
    // The runs did meet what they claim to survive: every fault, real conflicts and real refusals.
    for (const f of FAULTS) expect(totals.seen[f], f).toBeGreaterThan(0);
    expect(totals.conflicts).toBeGreaterThan(0);
    expect(totals.rejected).toBeGreaterThan(0);
    expect(totals.applied).toBeGreaterThan(20);
  }, 900_000);
});
