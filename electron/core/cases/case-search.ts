// Case search over name, 身份证号 (full or last digits), phone, case and order numbers.
// Three or more characters use the FTS5 trigram index; one- and two-character queries (most
// Chinese names have two or three characters) use an exact/prefix term table, because a
// trigram MATCH silently finds nothing for them.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db-schema';

type Db = Kysely<Database>;

export interface SearchableCase {
  caseId: string;
  workerName: string;
  idNumber: string;
  phone: string;
  registrationNo: string;
  caseNo: string | null;
  orderNos: string[];
}

export async function indexCase(db: Db, c: SearchableCase): Promise<void> {
  const { rowid } = await sql<{ rowid: number }>`SELECT rowid FROM cases WHERE id = ${c.caseId}`.execute(db).then((r) => r.rows[0]!);
  await sql`DELETE FROM case_search WHERE rowid = ${rowid}`.execute(db);
  await db.deleteFrom('case_search_terms').where('case_id', '=', c.caseId).execute();
  const body = [c.workerName, c.idNumber, c.phone, c.registrationNo, c.caseNo ?? '', ...c.orderNos].join(' ');
  await sql`INSERT INTO case_search (rowid, case_id, body) VALUES (${rowid}, ${c.caseId}, ${body})`.execute(db);
  // Short-query terms: the whole name and its leading characters (surname, surname+1).
  const terms = new Set<string>([c.workerName, c.workerName.slice(0, 1), c.workerName.slice(0, 2)].filter((t) => t.length > 0));
  for (const term of terms)
    await db
      .insertInto('case_search_terms')
      .values({ term, case_id: c.caseId })
      .onConflict((oc) => oc.doNothing())
      .execute();
}

/** Re-indexes a case from its stored row and worker (after a pull or a package changed either). */
export async function reindexCase(db: Db, caseId: string): Promise<void> {
  const c = await db
    .selectFrom('cases')
    .innerJoin('workers', 'workers.id', 'cases.worker_id')
    .select(['cases.id', 'cases.registration_no', 'cases.case_no', 'cases.orders', 'workers.name', 'workers.id_number', 'workers.phone'])
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  if (!c) return;
  let orderNos: string[] = [];
  try {
    orderNos = (JSON.parse(c.orders) as { orderNo?: unknown }[]).map((o) => o.orderNo).filter((o): o is string => typeof o === 'string');
  } catch {
    orderNos = [];
  }
  await indexCase(db, {
    caseId,
    workerName: c.name,
    idNumber: c.id_number,
    phone: c.phone,
    registrationNo: c.registration_no,
    caseNo: c.case_no,
    orderNos,
  });
}

/** Removes a case from the index before its row is deleted (the FTS row is keyed by the case's rowid). */
export async function unindexCase(db: Db, caseId: string): Promise<void> {
  await sql`DELETE FROM case_search WHERE rowid = (SELECT rowid FROM cases WHERE id = ${caseId})`.execute(db);
  await db.deleteFrom('case_search_terms').where('case_id', '=', caseId).execute();
}

/** Turns free text into an FTS5 phrase: quotes are doubled, so nothing the person types is syntax. */
function ftsPhrase(q: string): string {
  return `"${q.replace(/"/g, '""')}"`;
}

export async function searchCaseIds(db: Db, rawQuery: string, limit: number): Promise<string[]> {
  const q = rawQuery.trim().toUpperCase();
  if (q.length === 0) return [];
  if ([...q].length < 3) {
    const rows = await db
      .selectFrom('case_search_terms')
      .select('case_id')
      .where('term', '=', q)
      .orderBy('case_id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.case_id);
  }
  const rows = await db
    .selectFrom('case_search')
    .select('case_id')
    .where(sql<boolean>`case_search MATCH ${ftsPhrase(q)}`)
    .orderBy(sql`rank`)
    .limit(limit)
    .execute();
  return rows.map((r) => r.case_id);
}
