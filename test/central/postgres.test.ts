// The centre on a real PostgreSQL 15 (a throwaway cluster): the same migrations as on PGlite give
// the same schema; the pull cursor follows commit order (a transaction with the lower id that
// commits last is not skipped); two server processes on different ports over one database behave
// as one under concurrent pushes — including the same batch sent to both nodes at once.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { sql } from 'kysely';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../electron/core/clock';
import { CentreClient } from '../../electron/core/sync/centre-client';
import type { Change, MutationResult } from '../../shared/sync/protocol';
import { openDatabase, type CentralDatabase } from '../../central/db/database';
import { migrationFiles } from '../../central/db/migrate';
import { createDatabase, startPostgres, type TestPostgres } from '../helpers/postgres';
import {
  centreCli,
  enrolTestDevice,
  memoryPGlite,
  mutation,
  registration,
  seedUsers,
  spawnCentre,
  startTestCentre,
  upsert,
  type CentreProcess,
  type TestCentre,
} from '../helpers/central';

let cluster: TestPostgres;

beforeAll(async () => {
  cluster = await startPostgres();
}, 180_000);
afterAll(() => {
  cluster?.stop();
});

async function schemaOf(db: CentralDatabase['db']): Promise<unknown> {
  const cols = await sql<Record<string, string>>`
    SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '') AS column_default
    FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`.execute(db);
  const idx = await sql<
    Record<string, string>
  >`SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`.execute(db);
  return { columns: cols.rows, indexes: idx.rows };
}

describe('one set of migrations', () => {
  let pglite: PGlite;
  afterAll(async () => {
    await pglite?.close();
  });

  it('gives the same tables, columns and indexes on PGlite and PostgreSQL, and runs once when nodes start together', async () => {
    const url = await createDatabase(cluster, 'schema_check');
    // Three nodes starting at once: the advisory lock makes one of them migrate.
    const nodes = await Promise.all([1, 2, 3].map(() => openDatabase({ url })));
    pglite = await memoryPGlite();
    const lite = await openDatabase({ pglite });
    try {
      const real = await schemaOf(nodes[0]!.db);
      expect(await schemaOf(lite.db)).toEqual(real);
      const applied = await nodes[0]!.db.selectFrom('central_migrations').select('version').execute();
      expect(applied.map((r) => r.version)).toEqual(migrationFiles().map((m) => m.version));
      expect((real as { columns: unknown[] }).columns.length).toBeGreaterThan(100);
    } finally {
      await lite.close();
      await Promise.all(nodes.map((n) => n.close()));
    }
  }, 300_000);
});

describe('the pull cursor follows commit order', () => {
  let centre: TestCentre;
  let url = '';
  beforeAll(async () => {
    url = await createDatabase(cluster, 'cursor_check');
    centre = await startTestCentre({ databaseUrl: url });
  });
  afterAll(async () => {
    await centre?.close();
  });

  it('a transaction with the lower id that commits last is served after it commits, not skipped', async () => {
    const x1 = await enrolTestDevice(centre, '西宁市社保经办');
    const x2 = await enrolTestDevice(centre, '西宁市社保经办');
    const early = new pg.Client({ connectionString: url });
    const late = new pg.Client({ connectionString: url });
    await early.connect();
    await late.connect();
    const insert = (c: pg.Client, id: string): Promise<unknown> =>
      c.query(
        `INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
         VALUES ($1, $2, 'cases', $3, $4::jsonb, 1, false, $5::jsonb)`,
        [x1.officeId, x1.deviceId, JSON.stringify([id]), JSON.stringify({ id }), JSON.stringify({ id, status: 'registered' })],
      );
    try {
      const a = v7();
      const b = v7();
      await early.query('BEGIN');
      await insert(early, a); // takes the lower serial id and transaction id
      await late.query('BEGIN');
      await insert(late, b);
      await late.query('COMMIT'); // the higher id is visible first
      const ids = await late.query<{ id: string; key: string }>('SELECT id::text AS id, key FROM changes ORDER BY id');
      expect(ids.rows.map((r) => r.key)).toEqual([JSON.stringify([b])]);

      const first = await x2.client.pull('');
      // A serial-id cursor would now serve b and move past a's id for good. Ours waits.
      expect(first.changes).toEqual([]);
      await early.query('COMMIT');
      const second = await x2.client.pull(first.cursor);
      expect(second.changes.map((c: Change) => c.key.id)).toEqual([a, b]);
      expect((await x2.client.pull(second.cursor)).changes).toEqual([]);
    } finally {
      await early.end();
      await late.end();
    }
  });
});

describe('two nodes over one database', () => {
  let nodes: CentreProcess[] = [];
  let url = '';
  beforeAll(async () => {
    url = await createDatabase(cluster, 'two_nodes');
    nodes = await Promise.all([spawnCentre(['--port', '0', '--database', url]), spawnCentre(['--port', '0', '--database', url])]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it('behave as one under concurrent pushes: every (device, seq) once, duplicates sent to both nodes at once applied once', async () => {
    const [a, b] = nodes as [CentreProcess, CentreProcess];
    const db = await openDatabase({ url });
    try {
      // Codes are made straight in the database (as the CLI would); devices talk to node A, and to B below.
      const centreOnA = { url: a.url, db: db.db, clock: new ManualClock(new Date()) };
      const devices = await Promise.all(
        Array.from({ length: 6 }, (_, i) => enrolTestDevice(centreOnA, i % 2 ? '西宁市社保经办' : '海东市社保经办')),
      );
      for (const d of devices) await seedUsers(d);
      // One shared case every device then edits from version 1: exactly one edit may win.
      const shared = registration(devices[0]!);
      await devices[0]!.client.push([shared.mutation]);

      const BATCHES = 5;
      const PER_BATCH = 20;
      const results = await Promise.all(
        devices.map(async (d, i) => {
          const onB = new CentreClient({ baseUrl: b.url, key: d.key, deviceId: d.deviceId });
          const seen: MutationResult[] = [];
          for (let batch = 0; batch < BATCHES; batch++) {
            const ms = Array.from({ length: PER_BATCH }, () => registration(d).mutation);
            if (batch === 2)
              ms.push(
                mutation(d, 'cases.transition', [
                  upsert('cases', { id: shared.caseId }, { worker_id: shared.workerId, status: `edited-by-${i}`, version: 2 }, 1, 2),
                ]),
              );
            // The same batch to both nodes at the same moment (a retry racing the original).
            const [ra, rb] = await Promise.all([d.client.push(ms).catch((e: unknown) => e), onB.push(ms).catch((e: unknown) => e)]);
            for (const r of [ra, rb])
              if (r && typeof r === 'object' && 'results' in r) seen.push(...(r as { results: MutationResult[] }).results);
            // Whatever the race gave each node, a final push settles the whole batch.
            const settled = await d.client.push(ms);
            expect(settled.results).toHaveLength(ms.length);
            seen.push(...settled.results);
          }
          return { d, seen };
        }),
      );

      // Every answer for a (device, seq) is the same answer.
      for (const { d, seen } of results) {
        const bySeq = new Map<number, string>();
        for (const r of seen) {
          const prev = bySeq.get(r.seq);
          const now = JSON.stringify(r);
          if (prev) expect(now).toBe(prev);
          bySeq.set(r.seq, now);
        }
        expect(bySeq.size).toBe(BATCHES * PER_BATCH + 1);
        expect((await d.client.status()).lastSeq).toBe(d.seq);
      }
      const counts = await sql<{ applied: number; conflicts: number; cases: number; rows: number; distinct_seq: number }>`
        SELECT (SELECT count(*)::int FROM mutations WHERE status = 'applied') AS applied,
          (SELECT count(*)::int FROM mutations WHERE status = 'conflict') AS conflicts,
          (SELECT count(*)::int FROM records WHERE table_name = 'cases') AS cases,
          (SELECT count(*)::int FROM mutations) AS rows,
          (SELECT count(DISTINCT (device_id, seq))::int FROM mutations) AS distinct_seq`.execute(db.db);
      const c = counts.rows[0]!;
      // 6 seedings + the shared case + 6 × 5 × 20 registrations + the one winning edit.
      expect(c.applied).toBe(6 + 1 + 6 * BATCHES * PER_BATCH + 1);
      // Of the other five edits, the three from the other office are refused (the case is held by
      // the office that registered it, issue #13) and the two from its own office are conflicts.
      expect(c.conflicts).toBe(2);
      expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM mutations WHERE code = 'NOT_HOLDER'`.execute(db.db)).rows[0]!.n).toBe(
        3,
      );
      expect(c.cases).toBe(1 + 6 * BATCHES * PER_BATCH);
      expect(c.rows).toBe(c.distinct_seq);
      // The CLI's figures agree, counted once each.
      const stats = await centreCli(['stats', '--database', url]);
      expect(stats.code).toBe(0);
      expect(stats.json).toMatchObject({ devices: 6, mutations: c.applied, conflicts: 2, cases: c.cases });

      // A nonce one node issued is good at the other, once.
      const d0 = devices[0]!;
      const viaB = new CentreClient({ baseUrl: b.url, key: d0.key, deviceId: d0.deviceId });
      expect((await viaB.status()).deviceId).toBe(d0.deviceId);
      // Pull from either node gives the same page.
      const pa = await d0.client.pull('', 1000);
      const pb = await viaB.pull('', 1000);
      expect(pb).toEqual(pa);
    } finally {
      await db.close();
    }
  }, 600_000);
});
