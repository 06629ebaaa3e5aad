// The audit trail's compact storage (migration 604): an existing trail converts without losing a
// character, even entries that do not fit the compact forms (a time not in China-time ISO form,
// a hash in capitals, a broken link, a gap), and the chain still verifies through the view.
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations, runMigrations } from '../../electron/core/migrations';
import { appendAudit, entryHash, GENESIS_HASH, verifyAudit, type AuditRecord } from '../../electron/core/audit';
import type { Database } from '../../electron/core/db-schema';

const COMPACT = [604, 605, 606, 607, 608];

type Row = AuditRecord & { seq: number; prevHash: string; hash: string };

function oldStore() {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  runMigrations(
    db,
    migrations.filter((m) => !COMPACT.includes(m.version)),
  );
  return db;
}

function insertOld(db: BetterSqlite3.Database, r: Row) {
  db.prepare(
    `INSERT INTO audit_log (seq, at, actor_id, actor_name, method, action, entity, entity_id, summary, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.seq, r.at, r.actorId, r.actorName, r.method, r.action, r.entity, r.entityId, r.summary, r.prevHash, r.hash);
}

function chain(records: AuditRecord[]): Row[] {
  let prev = GENESIS_HASH;
  return records.map((r, i) => {
    const hash = entryHash(i + 1, r, prev);
    const row = { ...r, seq: i + 1, prevHash: prev, hash };
    prev = hash;
    return row;
  });
}

const record = (over: Partial<AuditRecord>): AuditRecord => ({
  at: '2026-08-09T08:30:00.000+08:00',
  actorId: '01a22b98-4932-7298-a7f3-b5d51875e281',
  actorName: '受理员甲',
  method: 'cases.register',
  action: '登记申请',
  entity: 'case',
  entityId: '01a22b98-f8d5-715d-96ef-0cd02b960f15',
  summary: '登记申请 DJ2026-0001',
  ...over,
});

const all = (db: BetterSqlite3.Database) => db.prepare('SELECT * FROM audit_log ORDER BY seq').all();

describe('compact audit storage (migration 604)', () => {
  it('converts a trail exactly, keeps it verifiable, and packs what fits', async () => {
    const db = oldStore();
    const rows = chain([
      record({ actorId: null, actorName: '演示数据生成', method: 'users.create', action: '新建用户', entity: 'user' }),
      record({ at: '2026-08-09T08:31:00.123+08:00' }),
      record({ entity: null, entityId: null, summary: '登录' }),
      record({ at: '2026-08-09 08:32' }),
      record({ actorName: null, summary: '同一人，另一写法' }),
      record({ at: '2026-08-09T00:32:00.000Z', summary: '不是中国时间的写法' }),
    ]);
    for (const r of rows) insertOld(db, r);
    const before = all(db);
    runMigrations(db);
    expect(all(db)).toEqual(before);
    const kdb = new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
    expect(await verifyAudit(kdb)).toEqual({ ok: true, checked: rows.length, firstBroken: null });
    // Packed where the packed form gives the text back; kept as text where it would not.
    const stored = db.prepare('SELECT seq, typeof(at) at, typeof(hash) hash, prev_hash FROM audit_entries ORDER BY seq').all() as {
      seq: number;
      at: string;
      hash: string;
      prev_hash: unknown;
    }[];
    expect(stored.map((s) => s.at)).toEqual(['integer', 'integer', 'integer', 'text', 'integer', 'text']);
    expect(stored.every((s) => s.hash === 'blob' && s.prev_hash === null)).toBe(true);
    // New entries go through the view and keep the chain.
    await appendAudit(kdb, record({ summary: '转换后新增' }));
    expect(await verifyAudit(kdb)).toMatchObject({ ok: true, checked: rows.length + 1 });
    expect((await kdb.selectFrom('audit_log').selectAll().where('entity_id', '=', record({}).entityId).execute()).length).toBe(6);
    await kdb.destroy();
  });

  it('keeps a broken chain as it was, so verification still names the entry', async () => {
    const db = oldStore();
    const rows = chain([record({}), record({ summary: '二' }), record({ summary: '三' }), record({ summary: '四' })]);
    rows[2] = { ...rows[2]!, prevHash: 'F'.repeat(64) }; // a link someone altered, in capitals
    rows[3] = { ...rows[3]!, hash: 'not-a-hash' };
    for (const r of rows.filter((r) => r.seq !== 2)) insertOld(db, r); // entry 2 deleted
    const before = all(db);
    runMigrations(db);
    expect(all(db)).toEqual(before);
    const kdb = new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
    expect((await verifyAudit(kdb)).firstBroken).toEqual({ seq: 3, reason: '缺少第 2 条记录（可能被删除）' });
    await kdb.destroy();
  });

  it('refuses edits and deletes of the stored entries and dictionaries', () => {
    const db = oldStore();
    runMigrations(db);
    const kdbRows = chain([record({})]);
    insertOld(db, kdbRows[0]!);
    for (const sql of [
      "UPDATE audit_entries SET summary = 'x'",
      'DELETE FROM audit_entries',
      "UPDATE audit_actors SET actor_name = 'x'",
      "UPDATE audit_kinds SET action = 'x'",
      "UPDATE audit_entities SET entity_id = 'x'",
      "UPDATE audit_log SET summary = 'x'",
      'DELETE FROM audit_log',
    ])
      expect(() => db.prepare(sql).run(), sql).toThrow(/只能追加/);
  });
});
