// Validating rule packs and choosing the one that governs a case (jurisdiction + injury date).
import { rulePackSchema, type RulePack } from './rule-pack-schema';
import { RuleError } from './errors';

export function parseRulePack(data: unknown, sourceName = '规则包'): RulePack {
  const r = rulePackSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new RuleError(
      'INVALID_PACK',
      `${sourceName} 格式不正确（${issue?.path.join('.') || '根'}：${issue?.message}）。请管理员按 docs/rule-packs.md 修正该文件。`,
    );
  }
  return r.data;
}

/** The pack in force for the jurisdiction on the date; the latest start wins when periods overlap. */
export function selectRulePack(packs: readonly RulePack[], jurisdiction: string, date: string): RulePack {
  const candidates = packs
    .filter((p) => p.jurisdiction === jurisdiction && p.effectiveFrom <= date && (p.effectiveTo === null || date <= p.effectiveTo))
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : a.effectiveFrom > b.effectiveFrom ? -1 : 0));
  const chosen = candidates[0];
  if (chosen) return chosen;
  const same = packs.filter((p) => p.jurisdiction === jurisdiction);
  if (same.length === 0) {
    const known = [...new Set(packs.map((p) => p.jurisdiction))].join('、') || '无';
    throw new RuleError(
      'NO_PACK',
      `没有地区“${jurisdiction}”的规则包（已有：${known}）。请核对地区代码，或由管理员添加该地区的规则包。`,
      'jurisdiction',
    );
  }
  const ranges = same.map((p) => `${p.id} 自 ${p.effectiveFrom}${p.effectiveTo ? ` 至 ${p.effectiveTo}` : ' 起'}`).join('；');
  throw new RuleError(
    'NO_PACK',
    `事故日期 ${date} 不在“${same[0]!.jurisdictionName}”任何规则包的适用期内（${ranges}）。请核对事故日期；该日期之前不适用职业伤害保障办法。`,
    'injuryDate',
  );
}
