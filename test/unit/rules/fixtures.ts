// Shared fixtures for the rule tests: the bundled packs and calendar, loaded once from resources/.
import { loadCalendar, loadCatalogue, loadRulePacks } from '../../../electron/core/rule-resources';
import { selectRulePack, type RulePack } from '../../../shared/rules';

export const packs = loadRulePacks();
export const calendar = loadCalendar();
export const catalogue = loadCatalogue();
export const qinghai: RulePack = selectRulePack(packs, 'qinghai', '2026-08-01');
export const shandong: RulePack = selectRulePack(packs, 'shandong', '2025-08-01');

/** Qinghai pack with a deep copy so a test may edit it. */
export function clonePack(p: RulePack): RulePack {
  return JSON.parse(JSON.stringify(p)) as RulePack;
}
