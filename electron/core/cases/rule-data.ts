// The rule data the case services consult: the rule packs and the working-day calendar in force
// in the store (reference/store.ts: bundled, or published by the centre; a new version is read on
// the next call, no restart), plus the office's jurisdiction setting.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { ruleReference } from '../reference/store';
import { RuleError, selectRulePack, type RulePack, type WorkCalendar } from '../../../shared/rules';
import { ApiError } from '../../../shared/api/errors';
import { regulationTitle } from '../../../shared/notices/layout';

export interface RuleData {
  packs: RulePack[];
  calendar: WorkCalendar;
  jurisdiction: string;
}

export async function ruleData(db: Kysely<Database>, jurisdiction: string): Promise<RuleData> {
  let ref;
  try {
    ref = await ruleReference(db);
  } catch (e) {
    if (e instanceof RuleError) throw new ApiError('RULE_REFUSED', e.message);
    throw e;
  }
  return { packs: ref.packs, calendar: ref.calendar, jurisdiction };
}

/** The pack in force for this office on a date, or a clear refusal naming what is missing. */
export function packFor(rules: RuleData, date: string): RulePack {
  try {
    return selectRulePack(rules.packs, rules.jurisdiction, date);
  } catch (e) {
    if (e instanceof RuleError) throw new ApiError('RULE_REFUSED', e.message);
    throw e;
  }
}

/**
 * The title of the regulation in force for this office on a date (《…实施办法（试行）》), which
 * notices cite with every article; null when no pack covers the date (the notice then cites the
 * article alone rather than refusing a document the counter must hand out).
 */
export async function regulationFor(db: Kysely<Database>, jurisdiction: string, date: string): Promise<string | null> {
  try {
    return regulationTitle(selectRulePack((await ruleData(db, jurisdiction)).packs, jurisdiction, date).document);
  } catch (e) {
    if (e instanceof RuleError || e instanceof ApiError) return null;
    throw e;
  }
}
