// Prepared statements kept per connection. kysely prepares every query anew, and SQLite then
// compiles the statement together with every trigger it fires — on the replicated tables, the
// change-capture and version triggers of migration 500 — so an ordinary call paid that compile
// on each of its writes. A small LRU of prepared statements saves it (measured with
// `npm run bench -- outbox`). A statement busy iterating (kysely's stream) is never handed out
// twice; SQLite re-prepares a cached statement by itself after a schema change.
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import type { SqliteDatabase } from 'kysely';

export function cachingDatabase(sqlite: BetterSqlite3.Database, size = 256): SqliteDatabase & { cached(): number } {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        // Most recently used last, so the first key is the one to evict.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = sqlite.prepare(sql);
      cache.delete(sql);
      cache.set(sql, stmt);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
      return stmt;
    },
    cached: () => cache.size,
  };
}
