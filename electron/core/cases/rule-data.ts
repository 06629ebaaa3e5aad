// The rule data the case services consult: the rule packs and the working-day calendar from
// resources/ (loaded and validated once per process), plus the office's jurisdiction setting.
import { loadRuleResources, type RuleResources } from '../rule-resources';
import { RuleError, selectRulePack, type RulePack, type WorkCalendar } from '../../../shared/rules';
import { ApiError } from '../../../shared/api/errors';

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
