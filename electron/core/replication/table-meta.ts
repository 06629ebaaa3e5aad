// The replicated tables' shapes as this store has them (columns with their SQLite types and
// nullability, primary key, unique constraints, foreign keys, BLOB columns), read from the
// schema and joined with the catalogue entry (shared/sync/tables.ts). Rows are checked against
// the columns this version of the app actually has, so a new column is picked up without code.
// Read once per schema (cached by the store file and SQLite's schema_version).
import { sql, type Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { SYNC_TABLES, type SyncTable } from '../../../shared/sync/tables';
import type { Database } from '../db-schema';

export interface Column {
  name: string;
  type: 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'ANY';
  notnull: boolean;
  hasDefault: boolean;
}

export interface TableMeta {
  spec: SyncTable;
  table: string;
  columns: Column[];
  byName: Map<string, Column>;
  pk: string[];
  /** Unique constraints other than the primary key, each a list of columns. */
  uniques: string[][];
  /** Foreign keys: column → parent table and column. */
  fks: { from: string; table: string; to: string }[];
  blobs: Set<string>;
  local: Set<string>;
  /** Columns naming a user: those with a foreign key to users, and the catalogue's userColumns. */
  userColumns: string[];
}

export interface StoreMeta {
  /** The store's last migration, as mutations and packages state it. */
  schemaVersion: number;
  tables: Map<string, TableMeta>;
}

interface Pragmas {
  cols: { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[];
  fks: { table: string; from: string; to: string | null }[];
  uniques: string[][];
}

function build(spec: SyncTable, p: Pragmas): TableMeta {
  const columns: Column[] = p.cols.map((c) => ({
    name: c.name,
    type: (['INTEGER', 'TEXT', 'BLOB', 'REAL'].includes(c.type.toUpperCase()) ? c.type.toUpperCase() : 'ANY') as Column['type'],
    notnull: c.notnull === 1,
    hasDefault: c.dflt_value !== null,
  }));
  if (columns.length === 0) throw new Error(`replicated table ${spec.table} is missing from the store`);
  const fks = p.fks.map((f) => ({ from: f.from, table: f.table, to: f.to ?? 'id' }));
  return {
    spec,
    table: spec.table,
    columns,
    byName: new Map(columns.map((c) => [c.name, c])),
    pk: p.cols
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name),
    uniques: p.uniques,
    fks,
    blobs: new Set(columns.filter((c) => c.type === 'BLOB').map((c) => c.name)),
    local: new Set(spec.localColumns ?? []),
    userColumns: [...new Set([...fks.filter((f) => f.table === 'users').map((f) => f.from), ...(spec.userColumns ?? [])])],
  };
}

const cache = new Map<string, StoreMeta>();

/** The replicated tables' shapes, through kysely (any connection or transaction of the store). */
export async function storeMeta(db: Kysely<Database>): Promise<StoreMeta> {
  const id = (
    await sql<{
      id: string;
      v: number | null;
    }>`SELECT (SELECT file FROM pragma_database_list WHERE name = 'main') || '#' || (SELECT schema_version FROM pragma_schema_version) AS id, (SELECT max(version) FROM schema_migrations) AS v`.execute(
      db,
    )
  ).rows[0]!;
  const cacheKey = `${id.id}#${id.v ?? 0}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const tables = new Map<string, TableMeta>();
  for (const spec of SYNC_TABLES) {
    const cols = (
      await sql<Pragmas['cols'][number]>`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(${spec.table})`.execute(db)
    ).rows;
    const fks = (await sql<Pragmas['fks'][number]>`SELECT "table", "from", "to" FROM pragma_foreign_key_list(${spec.table})`.execute(db))
      .rows;
    const indexes = (
      await sql<{
        name: string;
        unique: number;
        origin: string;
      }>`SELECT name, "unique", origin FROM pragma_index_list(${spec.table})`.execute(db)
    ).rows;
    const uniques: string[][] = [];
    for (const ix of indexes.filter((i) => i.unique === 1 && i.origin !== 'pk'))
      uniques.push(
        (await sql<{ name: string }>`SELECT name FROM pragma_index_info(${ix.name}) ORDER BY seqno`.execute(db)).rows.map((r) => r.name),
      );
    tables.set(spec.table, build(spec, { cols, fks, uniques }));
  }
  const meta = { schemaVersion: id.v ?? 0, tables };
  cache.set(cacheKey, meta);
  return meta;
}

/**
 * The same, on the raw connection (migrations run before kysely exists). A catalogue table that a
 * later migration creates is left out: it does not exist yet, so it has no rows to baseline, and
 * it gets its capture triggers when it is created (e.g. conflict_decisions, migration 551).
 */
export function storeMetaSync(db: BetterSqlite3.Database): StoreMeta {
  const tables = new Map<string, TableMeta>();
  for (const spec of SYNC_TABLES) {
    const cols = db.prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)').all(spec.table) as Pragmas['cols'];
    // A catalogue table a later migration creates (a fresh store runs the steps in order): that
    // migration enqueues its rows itself.
    if (cols.length === 0) continue;
    const fks = db.prepare('SELECT "table", "from", "to" FROM pragma_foreign_key_list(?)').all(spec.table) as Pragmas['fks'];
    const indexes = db.prepare('SELECT name, "unique", origin FROM pragma_index_list(?)').all(spec.table) as {
      name: string;
      unique: number;
      origin: string;
    }[];
    const uniques = indexes
      .filter((i) => i.unique === 1 && i.origin !== 'pk')
      .map((ix) =>
        (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(ix.name) as { name: string }[]).map((r) => r.name),
      );
    tables.set(spec.table, build(spec, { cols, fks, uniques }));
  }
  const v = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return { schemaVersion: v.v ?? 0, tables };
}

export function tableMeta(meta: StoreMeta, table: string): TableMeta {
  const t = meta.tables.get(table);
  if (!t) throw new Error(`not a replicated table: ${table}`);
  return t;
}
