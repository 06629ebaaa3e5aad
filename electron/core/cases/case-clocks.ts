// The statutory clocks of a set of cases, loaded together: each case's row, its bills, its
// appraisal dates and the deliveries (送达) that start the parties' clocks, handed to the rule engine's deadline functions (intake-rules.ts). The case
// page, the queues and the clock projection all read clocks through here, so they agree.
import type { Kysely } from 'kysely';
import type { CasesTable, Database } from '../db-schema';
import type { CaseDeadline } from '../../../shared/api/methods/cases';
import { caseDeadlines } from './intake-rules';
import { appraisalDatesOf } from './appraisal-dates';
import { deliveriesOf } from '../notices/documents';
import type { RuleData } from './rule-data';

/** A case's clocks as they stand on any given day (the due dates do not depend on the day). */
export type ClocksOn = (today: string) => CaseDeadline[];

export async function clockSources(
  db: Kysely<Database>,
  rules: RuleData,
  caseIds: string[],
): Promise<Map<string, { row: CasesTable; on: ClocksOn }>> {
  const out = new Map<string, { row: CasesTable; on: ClocksOn }>();
  if (caseIds.length === 0) return out;
  const rows = await db.selectFrom('cases').selectAll().where('id', 'in', caseIds).execute();
  const bills = await db.selectFrom('medical_bills').selectAll().where('case_id', 'in', caseIds).execute();
  const appraisal = await appraisalDatesOf(db, caseIds);
  const deliveries = await deliveriesOf(db, caseIds);
  const billsOf = new Map<string, typeof bills>();
  for (const b of bills) billsOf.set(b.case_id, [...(billsOf.get(b.case_id) ?? []), b]);
  for (const c of rows) {
    const own = billsOf.get(c.id) ?? [];
    out.set(c.id, { row: c, on: (today) => caseDeadlines(c, own, rules, today, appraisal.get(c.id), deliveries.get(c.id) ?? []) });
  }
  return out;
}

export async function clocksOfCases(
  db: Kysely<Database>,
  rules: RuleData,
  today: string,
  caseIds: string[],
): Promise<Map<string, CaseDeadline[]>> {
  const sources = await clockSources(db, rules, caseIds);
  return new Map([...sources].map(([id, s]) => [id, s.on(today)]));
}
