// Who sees a row (docs/central.md, "Offices"). A case is held by offices (the office of the device
// that first pushed it, and offices the centre assigns it to); a holder sees every row of the
// case. Rows not keyed by one case — workers, hearings, office-wide records — are seen by the
// offices listed for them in record_offices: the office that wrote them first, plus, for a worker
// or a hearing, every office holding a case that names it. The log entries are written by the
// SQL functions of central/migrations (oip_fan_out, oip_show_to, oip_add_holder), in dependency
// order (a worker before its case, a hearing before its hearing_cases row); this module gives
// them the catalogue's knowledge as data.
import { sql } from 'kysely';
import { SYNC_TABLES, type SyncTable } from '../../shared/sync/tables';
import type { Db } from '../db/database';
import type { JsonRow } from '../db/schema';

/** The cases column naming the worker, and the table tying hearings to cases (device schema). */
export const CASE_WORKER_COLUMN = 'worker_id';
export const HEARING_CASES_TABLE = 'hearing_cases';
export const HEARING_COLUMN = 'hearing_id';

const caseTable = SYNC_TABLES.find((t) => t.link.kind === 'self')!;
const workerTable = SYNC_TABLES.find((t) => t.link.kind === 'worker')!;
const hearingTable = SYNC_TABLES.find((t) => t.link.kind === 'hearing')!;

/** What the SQL functions need of the catalogue: names, and the order a case is back-filled in. */
export const LINKS = JSON.stringify({
  case_table: caseTable.table,
  worker_table: workerTable.table,
  worker_column: CASE_WORKER_COLUMN,
  hearing_table: hearingTable.table,
  hearing_cases_table: HEARING_CASES_TABLE,
  hearing_column: HEARING_COLUMN,
  order: SYNC_TABLES.map((t) => t.table),
});

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

/** The row another must reach a case's holders before (a case's worker, a hearing_cases row's hearing). */
export function shownFirst(t: SyncTable, row: JsonRow | null): { table: string; key: string } | null {
  if (t.link.kind === 'self' && typeof row?.[CASE_WORKER_COLUMN] === 'string')
    return { table: workerTable.table, key: keyString(row[CASE_WORKER_COLUMN]) };
  if (t.table === HEARING_CASES_TABLE && typeof row?.[HEARING_COLUMN] === 'string')
    return { table: hearingTable.table, key: keyString(row[HEARING_COLUMN]) };
  return null;
}

/**
 * Makes an office a holder of a case; when it is new, sends the office everything of the case
 * the centre has (its worker, its hearings, the case and every row of it, in catalogue order).
 */
export async function addHolder(trx: Db, caseId: string, officeId: string, at: string): Promise<{ added: boolean }> {
  const r = await sql<{
    others: number;
  }>`SELECT oip_add_holder(${caseId}, ${officeId}::uuid, ${at}::timestamptz, ${LINKS}::jsonb) AS others`.execute(trx);
  return { added: r.rows[0]!.others >= 0 };
}
