// Runs central/migrations/NNNN_name.sql in order, each once, in one transaction under an advisory
// lock, so several nodes starting together over one database migrate it exactly once.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { CentralSchema } from './schema';

/** Advisory lock keys (one namespace for the whole centre). */
export const LOCK_MIGRATE = 7_120_001;
export const LOCK_CENTRE_KEY = 7_120_002;

const DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
}

export function migrationFiles(): MigrationFile[] {
  return fs
    .readdirSync(DIR)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f.slice(5, -4), sql: fs.readFileSync(`${DIR}${f}`, 'utf8') }));
}

export async function migrate(db: Kysely<CentralSchema>): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_MIGRATE}::bigint)`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS central_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`.execute(trx);
    const done = new Set((await trx.selectFrom('central_migrations').select('version').execute()).map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrationFiles()) {
      if (done.has(m.version)) continue;
      await sql.raw(m.sql).execute(trx);
      await trx
        .insertInto('central_migrations')
        .values({ version: m.version, name: m.name, applied_at: new Date().toISOString() })
        .execute();
      applied.push(m.version);
    }
    return applied;
  });
}
