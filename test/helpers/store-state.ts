// "Nothing was written": the row count of every table, the audit entries and SQLite's count of
// rows this connection ever changed, taken before and after a refused call.
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';

export interface StoreState {
  tables: Record<string, number>;
  audit: number;
  /** sqlite3_total_changes(): rises with every row inserted, updated or deleted. */
  changes: number;
}

export function storeState(sqlite: BetterSqlite3.Database): StoreState {
  const names = // Views too: audit_log is a view over the compact audit tables (migration 604).
    (
      sqlite.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
  const tables: Record<string, number> = {};
  if (names.length > 0) {
    const union = names.map((n) => `SELECT '${n}' AS t, COUNT(*) AS n FROM "${n}"`).join(' UNION ALL ');
    for (const r of sqlite.prepare(union).all() as { t: string; n: number }[]) tables[r.t] = r.n;
  }
  const { c } = sqlite.prepare('SELECT total_changes() AS c').get() as { c: number };
  return { tables, audit: tables.audit_log ?? 0, changes: c };
}
