// Change capture: triggers on every replicated table (migration 500) note each changed key,
// with the row's version before its first change, in sync_capture; the dispatcher's commit hook
// reads and empties it in the same transaction. Writes that must not be sent to the centre
// (pulled rows, and hearing packages the centre gets from their own device) run with capture
// off; the switch lives in the transaction, so a crash or rollback can never leave it off.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db-schema';

export interface Captured {
  tbl: string;
  key: string;
  existed: 0 | 1;
  base_version: number | null;
}

/** Runs fn with capture off; must be inside the transaction that does the writes. */
export async function withCaptureOff<T>(db: Kysely<Database>, fn: () => Promise<T>): Promise<T> {
  if (!db.isTransaction) throw new Error('withCaptureOff needs a transaction');
  const already = await db.selectFrom('sync_capture_off').select('id').executeTakeFirst();
  if (already) return fn();
  await db.insertInto('sync_capture_off').values({ id: 1 }).execute();
  try {
    return await fn();
  } finally {
    await db.deleteFrom('sync_capture_off').execute();
  }
}

/** Reads and empties the capture (the commit hook's first step). */
export async function takeCaptured(db: Kysely<Database>): Promise<Captured[]> {
  const rows = (await sql<Captured>`DELETE FROM sync_capture RETURNING tbl, key, existed, base_version`.execute(db)).rows;
  return rows;
}
