// The case facts that keep a move the state machine allows from being made now, read from the
// store: the appraisal windows (再次鉴定 per party, 复查 after a year), the 第十一条 circumstance's
// checks before a confirmation, a treatment period already extended, a death already recorded.
// The case file shows them beside the buttons and the move itself refuses with the same words.
import type { Kysely, Selectable } from 'kysely';
import type { CaseMaterialsTable, CasesTable, Database } from '../db-schema';
import type { CaseAction } from '../../../shared/cases/lifecycle';
import { circumstanceProblems, type Circumstance } from '../../../shared/rules';
import { appraisalRequestBlocks, NO_APPRAISAL_DATES, type AppraisalDates } from './intake-rules';
import { appraisalDatesOf } from './appraisal-dates';
import { packFor, type RuleData } from './rule-data';

type Db = Kysely<Database>;

export function circumstanceOf(c: CasesTable): Circumstance {
  return JSON.parse(c.circumstance) as Circumstance;
}

export async function deathOf(db: Db, caseId: string) {
  return db.selectFrom('case_deaths').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

export async function moveBlocks(
  db: Db,
  c: CasesTable,
  rules: RuleData,
  today: string,
  materials: Selectable<CaseMaterialsTable>[],
  appraisal?: AppraisalDates,
): Promise<Partial<Record<CaseAction, string>>> {
  const a = appraisal ?? (await appraisalDatesOf(db, [c.id])).get(c.id) ?? NO_APPRAISAL_DATES;
  const out: Partial<Record<CaseAction, string>> = { ...appraisalRequestBlocks(c, a, rules, today) };
  const pack = packFor(rules, c.accident_date);
  const death = await deathOf(db, c.id);
  if (death) out.record_death = `已于 ${death.death_date} 登记死亡`;
  if (c.treatment_extended_on) out.extend_treatment = `治疗期已于 ${c.treatment_extended_on} 延长，只能延长一次`;
  else if (pack.parameters.livingAllowance.extensionMonthsMax === 0) out.extend_treatment = '规则包不允许延长治疗期';
  if (c.status === 'accepted') {
    const problems = circumstanceProblems(pack, circumstanceOf(c), {
      accidentAt: c.accident_at.slice(0, 16),
      orders: JSON.parse(c.orders) as { platform: string; orderNo: string; acceptedAt: string; finishedAt: string | null }[],
      materialsReceived: materials.filter((m) => m.received === 1).map((m) => m.code),
      deathDate: death?.death_date ?? null,
    });
    if (problems.length > 0) out.confirm = problems.join('；');
  }
  return out;
}
