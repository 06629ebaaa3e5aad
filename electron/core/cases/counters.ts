// Human-facing numbers (登记号, 受理编号). Each store carries a short random device tag (16 bits)
// so numbers from different laptops mostly differ (two stores can draw the same tag: docs/intake.md;
// the sync work replaces it with one the centre assigns); the sequence runs per year.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';

type Db = Kysely<Database>;

export async function deviceTag(db: Db): Promise<string> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'deviceTag').executeTakeFirst();
  if (row) return JSON.parse(row.value) as string;
  const tag = randomBytes(2).toString('hex').toUpperCase();
  await db
    .insertInto('settings')
    .values({ key: 'deviceTag', value: JSON.stringify(tag) })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return tag;
}

/** Must run inside the write transaction that uses the number. */
export async function nextNumber(db: Db, name: string): Promise<number> {
  const row = await db
    .insertInto('counters')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return row.value;
}

export async function registrationNo(db: Db, year: string): Promise<string> {
  const n = await nextNumber(db, `registration-${year}`);
  return `DJ${year}-${await deviceTag(db)}-${String(n).padStart(6, '0')}`;
}

export async function caseNo(db: Db, year: string): Promise<string> {
  const n = await nextNumber(db, `case-${year}`);
  return `SL${year}-${await deviceTag(db)}-${String(n).padStart(6, '0')}`;
}
