// The per-connection cache of prepared statements under kysely: the same query reuses its
// statement, the least recently used goes first, a statement busy iterating is never handed out
// twice, and results stay right across a schema change.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { cachingDatabase } from '../../electron/core/statement-cache';
import { tempDir } from '../helpers/core';

let sqlite: BetterSqlite3.Database;
let cache: ReturnType<typeof cachingDatabase>;
let db: Kysely<Record<string, { id: number; name: string }>>;

beforeEach(() => {
  sqlite = new BetterSqlite3(path.join(tempDir('oip-stmt-'), 'x.sqlite'));
  sqlite.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  cache = cachingDatabase(sqlite, 3);
  db = new Kysely({ dialect: new SqliteDialect({ database: cache }) });
});
afterEach(async () => {
  await db.destroy();
});

describe('statement cache', () => {
  it('reuses a statement for the same query and evicts the least recently used', () => {
    const a = cache.prepare('SELECT 1');
    expect(cache.prepare('SELECT 1')).toBe(a);
    cache.prepare('SELECT 2');
    cache.prepare('SELECT 3');
    cache.prepare('SELECT 1'); // used again: now the most recent
    cache.prepare('SELECT 4'); // evicts SELECT 2
    expect(cache.cached()).toBe(3);
    expect(cache.prepare('SELECT 1')).toBe(a);
    const two = cache.prepare('SELECT 2');
    expect(two.all([])).toEqual([{ 2: 2 }]);
  });

  it('never hands out a statement that is busy iterating, and reuses it once done', async () => {
    const q = 'SELECT id FROM t ORDER BY id';
    const first = cache.prepare(q) as unknown as BetterSqlite3.Statement;
    const it = first.iterate();
    it.next();
    expect(first.busy).toBe(true);
    const second = cache.prepare(q);
    expect(second).not.toBe(first);
    it.return?.();
    // kysely's stream over the cached statement, twice in a row.
    for (let i = 0; i < 2; i++) {
      const seen: unknown[] = [];
      for await (const row of db.selectFrom('t').select('id').orderBy('id').stream()) seen.push(row);
      expect(seen).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    }
  });

  it('gives right results across a schema change and in transactions', async () => {
    expect(await sql`SELECT * FROM t WHERE id = ${1}`.execute(db)).toMatchObject({ rows: [{ id: 1, name: 'a' }] });
    sqlite.exec("ALTER TABLE t ADD COLUMN note TEXT NOT NULL DEFAULT 'n'");
    expect(await sql`SELECT * FROM t WHERE id = ${1}`.execute(db)).toMatchObject({ rows: [{ id: 1, name: 'a', note: 'n' }] });
    await db.transaction().execute(async (trx) => {
      await sql`UPDATE t SET name = ${'z'} WHERE id = ${2}`.execute(trx);
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`UPDATE t SET name = ${'y'} WHERE id = ${3}`.execute(trx);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect((await sql<{ name: string }>`SELECT name FROM t ORDER BY id`.execute(db)).rows.map((r) => r.name)).toEqual(['a', 'z', 'c']);
  });
});
