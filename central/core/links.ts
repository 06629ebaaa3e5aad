// Who sees a row, and the change-log entries that carry it to them (docs/central.md, "Offices").
// A case is held by offices (the office of the device that first pushed it, and offices the centre
// assigns it to); a holder sees every row of the case. Rows not keyed by one case — workers,
// hearings, office-wide records — are seen by the offices listed for them in record_offices: the
// office that wrote them first, plus, for a worker or a hearing, every office holding a case that
// names it. Entries are written in dependency order (a worker before its case, a hearing before
// its hearing_cases row), so a device applying a page in order never meets a dangling reference.
import { sql, type RawBuilder } from 'kysely';
import { SYNC_TABLES, type SyncTable } from '../../shared/sync/tables';
import type { Db } from '../db/database';
import type { JsonRow } from '../db/schema';

/** The cases column naming the worker, and the table tying hearings to cases (device schema). */
export const CASE_WORKER_COLUMN = 'worker_id';
export const HEARING_CASES_TABLE = 'hearing_cases';
export const HEARING_COLUMN = 'hearing_id';

const workerTable = SYNC_TABLES.find((t) => t.link.kind === 'worker')!;
const hearingTable = SYNC_TABLES.find((t) => t.link.kind === 'hearing')!;

/** Catalogue order as SQL, for emitting a case's rows in dependency order. */
const ORDER: RawBuilder<unknown> = sql`(VALUES ${sql.join(SYNC_TABLES.map((t, i) => sql`(${sql.lit(t.table)}, ${sql.lit(i)})`))})`;

export function keyString(id: string): string {
  return JSON.stringify([id]);
}

/** The case a row belongs to (self and column links), or null. */
export function caseIdOf(t: SyncTable, key: Record<string, unknown>, row: JsonRow | null): string | null {
  switch (t.link.kind) {
    case 'self': {
      const id = key[t.key[0]!];
      return typeof id === 'string' ? id : null;
    }
    case 'column': {
      const v = row?.[t.link.column];
      return typeof v === 'string' ? v : null;
    }
    case 'worker':
    case 'hearing':
    case 'office':
      return null;
  }
}

export interface Written {
  table: string;
  key: string;
  keyJson: Record<string, string | number>;
  version: number;
  deleted: boolean;
  row: JsonRow | null;
  caseId: string | null;
}

/** Logs a write for every office that sees the row (the writing device is not sent it back). */
export async function fanOut(trx: Db, w: Written, origin: { deviceId: string; officeId: string }): Promise<void> {
  const values = sql`${w.table}, ${w.key}, ${JSON.stringify(w.keyJson)}::jsonb, ${w.version}, ${w.deleted}, ${w.row === null ? null : JSON.stringify(w.row)}::jsonb`;
  if (w.caseId !== null) {
    await sql`
      INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
      SELECT h.office_id, ${origin.deviceId}::uuid, ${values} FROM case_holders h WHERE h.case_id = ${w.caseId}`.execute(trx);
    return;
  }
  // The writer's office sees what it wrote; the CTE's insert is not visible to the same
  // statement's read of record_offices, hence the UNION.
  await sql`
    WITH mine AS (
      INSERT INTO record_offices (table_name, key, office_id) VALUES (${w.table}, ${w.key}, ${origin.officeId})
      ON CONFLICT DO NOTHING RETURNING office_id)
    INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
    SELECT o.office_id, ${origin.deviceId}::uuid, ${values}
    FROM (SELECT office_id FROM record_offices WHERE table_name = ${w.table} AND key = ${w.key} UNION SELECT office_id FROM mine) o`.execute(
    trx,
  );
}

/**
 * Makes a worker or hearing visible to every office holding the case (or to one office), and
 * sends its current state to the offices that did not see it yet.
 */
async function showTo(trx: Db, table: string, key: string, holders: RawBuilder<unknown>): Promise<void> {
  await sql`
    WITH added AS (
      INSERT INTO record_offices (table_name, key, office_id)
      SELECT ${table}, ${key}, o.office_id FROM ${holders} o
      ON CONFLICT DO NOTHING RETURNING office_id)
    INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
    SELECT a.office_id, r.last_device, r.table_name, r.key, r.key_json, r.version, r.deleted, r.row
    FROM added a JOIN records r ON r.table_name = ${table} AND r.key = ${key}`.execute(trx);
}

const holdersOf = (caseId: string): RawBuilder<unknown> => sql`(SELECT office_id FROM case_holders WHERE case_id = ${caseId})`;
const justOffice = (officeId: string): RawBuilder<unknown> => sql`(SELECT ${officeId}::uuid AS office_id)`;

/** Before a cases row is logged: its worker reaches every holder first. */
export async function showWorkerOfCase(trx: Db, caseId: string, row: JsonRow | null): Promise<void> {
  const workerId = row?.[CASE_WORKER_COLUMN];
  if (typeof workerId === 'string') await showTo(trx, workerTable.table, keyString(workerId), holdersOf(caseId));
}

/** Before a hearing_cases row is logged: its hearing reaches every holder of the case first. */
export async function showHearingOfCase(trx: Db, caseId: string, row: JsonRow | null): Promise<void> {
  const hearingId = row?.[HEARING_COLUMN];
  if (typeof hearingId === 'string') await showTo(trx, hearingTable.table, keyString(hearingId), holdersOf(caseId));
}

/**
 * Makes an office a holder of a case; when it is new, sends the office everything of the case
 * the centre has (its worker, its hearings, the case and every row of it, in catalogue order).
 * Returns whether the office was new, and how many other offices hold the case.
 */
export async function addHolder(trx: Db, caseId: string, officeId: string, at: string): Promise<{ added: boolean; others: number }> {
  const r = await sql<{ added: number; others: number; worker_id: string | null; hearings: string[] | null }>`
    WITH added AS (
      INSERT INTO case_holders (case_id, office_id, since) VALUES (${caseId}, ${officeId}, ${at})
      ON CONFLICT DO NOTHING RETURNING office_id)
    SELECT (SELECT count(*)::int FROM added) AS added,
      (SELECT count(*)::int FROM case_holders WHERE case_id = ${caseId} AND office_id <> ${officeId}::uuid) AS others,
      (SELECT row ->> ${CASE_WORKER_COLUMN} FROM records WHERE table_name = 'cases' AND case_id = ${caseId} AND NOT deleted) AS worker_id,
      (SELECT array_agg(DISTINCT row ->> ${HEARING_COLUMN}) FROM records
        WHERE table_name = ${HEARING_CASES_TABLE} AND case_id = ${caseId} AND NOT deleted) AS hearings`.execute(trx);
  const found = r.rows[0]!;
  if (found.added === 0) return { added: false, others: found.others };
  const office = justOffice(officeId);
  if (found.worker_id) await showTo(trx, workerTable.table, keyString(found.worker_id), office);
  for (const h of found.hearings ?? []) if (h) await showTo(trx, hearingTable.table, keyString(h), office);
  await sql`
    INSERT INTO changes (office_id, origin_device, table_name, key, key_json, version, deleted, row)
    SELECT ${officeId}::uuid, r.last_device, r.table_name, r.key, r.key_json, r.version, r.deleted, r.row
    FROM records r JOIN ${ORDER} AS o(t, n) ON o.t = r.table_name
    WHERE r.case_id = ${caseId}
    ORDER BY o.n, r.created_at, r.key`.execute(trx);
  return { added: true, others: found.others };
}
