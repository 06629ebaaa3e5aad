// 生活保障费 (第二十四条): the city's monthly minimum living standard, prorated by the days of
// the treatment period actually paid. Payable from the treatment start to the earliest of: the
// treatment end, the last day of the month of the appraisal conclusion (it stops the month after),
// death, and the treatment-period limit (12 months, +extension).
import type { RulePack } from './rule-pack-schema';
import { addDays, addMonths, daysBetween, daysInMonth, endOfMonth, parseDate, type IsoDate } from './dates';
import { D, grouped, toFen, type Dec } from './money';

export interface LivingPeriod {
  start: IsoDate;
  end: IsoDate;
  /** Why the period ends where it does, for the clerk. */
  endReason: string;
  limitEnd: IsoDate;
}

export function treatmentLimitEnd(pack: RulePack, start: IsoDate, extended: boolean): IsoDate {
  const p = pack.parameters.livingAllowance;
  const months = p.treatmentMonths + (extended ? p.extensionMonthsMax : 0);
  // The span includes its first day, so it ends the day before the same date N months on.
  return addDays(addMonths(start, months), -1);
}

export function livingPeriod(
  pack: RulePack,
  treatment: { start: IsoDate; end: IsoDate | null; extended: boolean },
  stop: { conclusionDate?: IsoDate; deathDate?: IsoDate },
): LivingPeriod | null {
  const limitEnd = treatmentLimitEnd(pack, treatment.start, treatment.extended);
  const candidates: Array<[IsoDate, string]> = [[limitEnd, `治疗期上限（${treatment.extended ? '含延长期' : '12个月'}）`]];
  if (treatment.end) candidates.push([treatment.end, '治疗结束']);
  if (stop.conclusionDate) candidates.push([endOfMonth(stop.conclusionDate), '鉴定结论作出次月起停发']);
  if (stop.deathDate) candidates.push([stop.deathDate, '死亡']);
  candidates.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const [end, endReason] = candidates[0]!;
  if (end < treatment.start) return null;
  return { start: treatment.start, end, endReason, limitEnd };
}

export interface Proration {
  amount: Dec;
  days: number;
  formula: string;
}

/** Amount for the period at `monthly` a month; unrounded sum, rounded once at the line. */
export function prorate(
  method: RulePack['parameters']['livingAllowance']['proration'],
  monthly: Dec,
  start: IsoDate,
  end: IsoDate,
): Proration {
  const days = daysBetween(start, end) + 1;
  if (method === 'thirty_day_month') {
    const amount = toFen(monthly.times(days).dividedBy(30));
    return { amount, days, formula: `${grouped(monthly)} ÷ 30 × ${days} 天 = ${grouped(amount)}` };
  }
  let total = new D(0);
  // Chronological terms; runs of whole months collapse into one "N 个整月" term.
  const terms: Array<string | number> = [];
  let cursor = start;
  while (cursor <= end) {
    const monthEnd = endOfMonth(cursor);
    const segEnd = monthEnd < end ? monthEnd : end;
    const { y, m } = parseDate(cursor);
    const dim = daysInMonth(y, m);
    const segDays = daysBetween(cursor, segEnd) + 1;
    if (segDays === dim) {
      total = total.plus(monthly);
      const last = terms[terms.length - 1];
      if (typeof last === 'number') terms[terms.length - 1] = last + 1;
      else terms.push(1);
    } else {
      total = total.plus(monthly.times(segDays).dividedBy(dim));
      terms.push(`${segDays}/${dim}（${cursor.slice(0, 7)}）`);
    }
    cursor = addDays(segEnd, 1);
  }
  const amount = toFen(total);
  const text = terms.map((t) => (typeof t === 'number' ? `${t} 个整月` : t)).join(' + ');
  return { amount, days, formula: `${grouped(monthly)} × (${text}) = ${grouped(amount)}（共 ${days} 天）` };
}
