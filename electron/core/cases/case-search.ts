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

/** The indexed text of a case (trigram index). */
export function searchBody(c: SearchableCase): string {
  return [c.workerName, c.idNumber, c.phone, c.registrationNo, c.caseNo ?? '', ...c.orderNos].join(' ');
}

/**
 * Exact terms: the whole name and its leading characters (surname, surname+1) for short queries,
 * and every identifier in full (ID number, phone, 登记号, 受理编号, order numbers): a full
 * identifier is found by the term index at once, where the trigram index would intersect a
 * dozen lists of common digit trigrams (tens of milliseconds at 100,000 cases).
 */
export function searchTerms(c: SearchableCase): string[] {
  const ids = [c.idNumber, c.phone, c.registrationNo, c.caseNo ?? '', ...c.orderNos].map((x) => x.trim().toUpperCase());
  return [...new Set<string>([c.workerName, c.workerName.slice(0, 1), c.workerName.slice(0, 2), ...ids].filter((t) => t.length > 0))];
}

/** What a typed full identifier looks like (letters, digits and hyphens, with a digit, 6 or more). */
const IDENTIFIER = /^(?=.*\d)[0-9A-Z-]{6,}$/;

export async function indexCase(db: Db, c: SearchableCase): Promise<void> {
  const { rowid } = await sql<{ rowid: number }>`SELECT rowid FROM cases WHERE id = ${c.caseId}`.execute(db).then((r) => r.rows[0]!);
  await writeIndex(db, [{ rowid, c }]);
}

/**
 * Replaces the index entries of cases, a few statements for all of them (a pull page reindexes
 * hundreds of cases; one statement per term was most of its cost).
 */
async function writeIndex(db: Db, entries: readonly { rowid: number; c: SearchableCase }[]): Promise<void> {
  if (entries.length === 0) return;
  const rowids = JSON.stringify(entries.map((e) => e.rowid));
  await sql`DELETE FROM case_search WHERE rowid IN (SELECT value FROM json_each(${rowids}))`.execute(db);
  await sql`DELETE FROM case_search_terms WHERE case_rowid IN (SELECT value FROM json_each(${rowids}))`.execute(db);
  const bodies = JSON.stringify(entries.map((e) => [e.rowid, searchBody(e.c)]));
  await sql`INSERT INTO case_search (rowid, body) SELECT value ->> 0, value ->> 1 FROM json_each(${bodies})`.execute(db);
  const terms = JSON.stringify(entries.flatMap((e) => searchTerms(e.c).map((term) => [term, e.rowid])));
  // WHERE true: without it SQLite would read ON CONFLICT as part of the SELECT's join.
  await sql`INSERT INTO case_search_terms (term, case_rowid) SELECT value ->> 0, value ->> 1 FROM json_each(${terms}) WHERE true
    ON CONFLICT DO NOTHING`.execute(db);
}

/** Re-indexes a case from its stored row and worker (after a pull or a package changed either). */
export async function reindexCase(db: Db, caseId: string): Promise<void> {
  await reindexCases(db, [caseId]);
}

/** The same for many cases: one read and a few writes per 500 (a pull page's cases). */
export async function reindexCases(db: Db, caseIds: readonly string[]): Promise<void> {
  for (let i = 0; i < caseIds.length; i += 500) {
    const part = JSON.stringify(caseIds.slice(i, i + 500));
    const rows = (
      await sql<{
        rowid: number;
        id: string;
        registration_no: string;
        case_no: string | null;
        orders: string;
        name: string;
        id_number: string;
        phone: string;
      }>`SELECT c.rowid AS rowid, c.id, c.registration_no, c.case_no, c.orders, w.name, w.id_number, w.phone
        FROM cases c JOIN workers w ON w.id = c.worker_id WHERE c.id IN (SELECT value FROM json_each(${part}))`.execute(db)
    ).rows;
    await writeIndex(
      db,
      rows.map((c) => ({
        rowid: c.rowid,
        c: {
          caseId: c.id,
          workerName: c.name,
          idNumber: c.id_number,
          phone: c.phone,
          registrationNo: c.registration_no,
          caseNo: c.case_no,
          orderNos: orderNosOf(c.orders),
        },
      })),
    );
  }
}

function orderNosOf(orders: string): string[] {
  try {
    return (JSON.parse(orders) as { orderNo?: unknown }[]).map((o) => o.orderNo).filter((o): o is string => typeof o === 'string');
  } catch {
    return [];
  }
}

/** Removes a case from the index before its row is deleted (the FTS row is keyed by the case's rowid). */
export async function unindexCase(db: Db, caseId: string): Promise<void> {
  const row = await sql<{ rowid: number }>`SELECT rowid FROM cases WHERE id = ${caseId}`.execute(db).then((r) => r.rows[0]);
  if (!row) return;
  await sql`DELETE FROM case_search WHERE rowid = ${row.rowid}`.execute(db);
  await db.deleteFrom('case_search_terms').where('case_rowid', '=', row.rowid).execute();
}

/** Re-indexes a worker's cases (after their name or phone changed), except the one named. */
export async function reindexWorkerCases(db: Db, workerId: string, exceptCaseId: string | null = null): Promise<void> {
  const w = await db.selectFrom('workers').select(['name', 'id_number', 'phone']).where('id', '=', workerId).executeTakeFirstOrThrow();
  const cases = await db
    .selectFrom('cases')
    .select(['id', 'registration_no', 'case_no', 'orders'])
    .where('worker_id', '=', workerId)
    .execute();
  for (const c of cases) {
    if (c.id === exceptCaseId) continue;
    await indexCase(db, {
      caseId: c.id,
      workerName: w.name,
      idNumber: w.id_number,
      phone: w.phone,
      registrationNo: c.registration_no,
      caseNo: c.case_no,
      orderNos: (JSON.parse(c.orders) as { orderNo: string }[]).map((o) => o.orderNo),
    });
  }
}

/** Turns free text into an FTS5 phrase: quotes are doubled, so nothing the person types is syntax. */
function ftsPhrase(q: string): string {
  return `"${q.replace(/"/g, '""')}"`;
}

export async function searchCaseIds(db: Db, rawQuery: string, limit: number): Promise<string[]> {
  const q = rawQuery.trim().toUpperCase();
  // Nothing indexed contains a control character, and FTS5 ends a string at NUL ("unterminated
  // string"): such a query is an ordinary "not found", not an error.
  // eslint-disable-next-line no-control-regex
  if (q.length === 0 || /[\u0000-\u001f\u007f]/.test(q)) return [];
  // Both indexes hold the case's rowid (4 bytes, not its 36-character id): newest first.
  const exact = async () =>
    (
      await db
        .selectFrom('case_search_terms as t')
        .innerJoin('cases as c', (j) => j.onRef(sql.ref('c.rowid'), '=', 't.case_rowid'))
        .select('c.id')
        .where('t.term', '=', q)
        .orderBy('t.case_rowid', 'desc')
        .limit(limit)
        .execute()
    ).map((r) => r.id);
  if ([...q].length < 3) return exact();
  // A full identifier: its cases at once; a fragment of one finds nothing here and goes on.
  if (IDENTIFIER.test(q)) {
    const hits = await exact();
    if (hits.length > 0) return hits;
  }
  // Newest first, as the short path: FTS5 walks the index backwards and stops at the limit,
  // where ranking would score every match (a common fragment matches thousands of cases). The
  // index keeps no copy of the text (contentless): a hit's rowid is its case's rowid.
  const rows = await sql<{ id: string }>`
    SELECT c.id FROM (SELECT rowid AS r FROM case_search WHERE case_search MATCH ${ftsPhrase(q)} ORDER BY rowid DESC LIMIT ${limit}) hits
    JOIN cases c ON c.rowid = hits.r
    ORDER BY hits.r DESC`.execute(db);
  return rows.rows.map((r) => r.id);
}
