// The rule data the case services consult: the rule packs and the working-day calendar from
// resources/ (loaded and validated once per process), plus the office's jurisdiction setting.
import { loadRuleResources, type RuleResources } from '../rule-resources';
import { RuleError, selectRulePack, type RulePack, type WorkCalendar } from '../../../shared/rules';
import { ApiError } from '../../../shared/api/errors';
import { regulationTitle } from '../../../shared/notices/layout';

export interface RuleData {
  packs: RulePack[];
  calendar: WorkCalendar;
  jurisdiction: string;
}

let cached: RuleResources | null = null;

export function ruleData(jurisdiction: string): RuleData {
  cached ??= loadRuleResources();
  return { packs: cached.packs, calendar: cached.calendar, jurisdiction };
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
export function regulationFor(jurisdiction: string, date: string): string | null {
  try {
    return regulationTitle(selectRulePack(ruleData(jurisdiction).packs, jurisdiction, date).document);
  } catch (e) {
    if (e instanceof RuleError) return null;
    throw e;
  }
}
