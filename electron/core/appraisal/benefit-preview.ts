// The benefit preview shown once a conclusion is signed: what the grade and nursing level
// entitle to under the case's rule pack, with amounts where the pack's statistics allow the
// engine to compute them, and otherwise the statistic still missing. Nothing is stored: the
// 待遇核定 officer decides in the benefits flow.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { ApiError } from '../../../shared/api/errors';
import { computeBenefits, entitlementsFor, RuleError } from '../../../shared/rules';
import type { NursingLevel } from '../../../shared/appraisal/grades';
import { loadCaseRow } from '../cases/case-file';
import { packFor, type RuleData } from '../cases/rule-data';
import { benefitFacts, disabilityOutcome } from './benefit-determination';
import { circumstanceOf } from '../cases/case-blocks';

export async function benefitPreview(db: Kysely<Database>, rules: RuleData, caseId: string) {
  const c = await loadCaseRow(db, caseId);
  const conclusion = await db
    .selectFrom('appraisal_conclusions')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('signed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!conclusion) throw new ApiError('RULE_REFUSED', '本案尚无已签发的鉴定结论，没有待遇可预览');
  const pack = packFor(rules, c.accident_date);
  const nursing = conclusion.nursing_level as NursingLevel | null;
  let amounts = new Map<string, string>();
  let base: string | null = null;
  let missing: string | null = null;
  try {
    const r = computeBenefits(
      benefitFacts(c, rules, disabilityOutcome(conclusion), { veteranOldInjury: circumstanceOf(c).item === 'veteran' }),
      pack,
      {
        calendar: rules.calendar,
      },
    );
    amounts = new Map(r.lines.map((l) => [l.code, l.amount]));
    base = r.parameters.base ?? null;
  } catch (e) {
    if (!(e instanceof RuleError)) throw e;
    missing = e.message;
  }
  return {
    grade: conclusion.grade,
    nursingLevel: nursing,
    conclusionDate: conclusion.signed_at.slice(0, 10),
    rulePack: { id: pack.id, version: pack.version },
    base,
    missing,
    lines: entitlementsFor(pack, conclusion.grade, nursing).map((l) => ({ ...l, amount: amounts.get(l.code) ?? null })),
  };
}
