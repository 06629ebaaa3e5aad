// The clock projection: every running statutory clock of a case as a row (due date, first 临期
// day, stage, handler), rewritten whenever the case or anything its clocks read changes, inside
// that change's transaction (derived.ts). The due dates come from the very deadline functions
// the case page uses (case-clocks.ts), and the first 临期 day is found by asking those functions
// for the clock's status on earlier days, so a later rule change flows in without a second
// implementation. Worklists then read "near_from ≤ today" from an index.
import type { Kysely } from 'kysely';
import type { CaseClocksTable, Database } from '../db-schema';
import { addDays, daysBetween } from '../../../shared/rules';
import { clockStage } from '../../../shared/monitoring/clocks';
import type { CaseDeadline } from '../../../shared/api/methods/cases';
import type { ClocksOn } from '../cases/case-clocks';

type Db = Kysely<Database>;

/** How far before a due date the search for the first 临期 day starts (far beyond any 临期 threshold). */
const NEAR_SEARCH_DAYS = 120;

/** First day on which the clock is no longer 正常, by bisection over its own status function. */
function firstNearDay(statusOn: (day: string) => CaseDeadline['status'] | undefined, due: string): string {
  let lo = addDays(due, -NEAR_SEARCH_DAYS);
  if ((statusOn(lo) ?? '正常') !== '正常') return lo;
  let hi = due;
  while (daysBetween(lo, hi) > 1) {
    const mid = addDays(lo, Math.floor(daysBetween(lo, hi) / 2));
    if ((statusOn(mid) ?? '正常') === '正常') lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The status of a clock depends only on its rule, unit, due date and the day asked, so the first
 * 临期 day is shared by every clock with the same (code, unit, due): a memo saves the search when
 * many cases are projected at once.
 */
export type NearMemo = Map<string, string>;

export function projectClocks(caseId: string, on: ClocksOn, today: string, handlerId: string | null, memo: NearMemo): CaseClocksTable[] {
  return on(today).map((d) => {
    const key = `${d.code}|${d.unit}|${d.due}`;
    let nearFrom = memo.get(key);
    if (!nearFrom) {
      nearFrom = firstNearDay((day) => on(day).find((x) => x.code === d.code)?.status, d.due);
      memo.set(key, nearFrom);
    }
    return {
      case_id: caseId,
      code: d.code,
      label: d.label,
      unit: d.unit,
      due: d.due,
      near_from: nearFrom,
      certain: d.certain ? 1 : 0,
      article: d.article,
      stage: clockStage(d.code),
      handler_id: handlerId,
    };
  });
}

export async function writeClocks(db: Db, caseIds: string[], rows: CaseClocksTable[]): Promise<void> {
  await db.deleteFrom('case_clocks').where('case_id', 'in', caseIds).execute();
  for (let i = 0; i < rows.length; i += 100)
    await db
      .insertInto('case_clocks')
      .values(rows.slice(i, i + 100))
      .execute();
}
