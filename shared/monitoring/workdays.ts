// Working days between two dates in constant time, for counting them over thousands of rows
// (worklists, the projection's facts): each date in a window gets its ordinal — how many
// working days there are up to and including it, by the calendar's own isWorkingDay — so the
// working days after a and up to b are ord(b) − ord(a), exactly what workingDaysBetween counts.
// Dates outside the window fall back to workingDaysBetween itself.
import { workingDaysBetween, type WorkCalendar } from '../rules/calendar';
import { fromDayNumber, toDayNumber } from '../rules/dates';

interface Ordinals {
  first: number;
  ord: Int32Array;
}

const FIRST_YEAR = 2015;
const LAST_YEAR = 2045;
const cache = new WeakMap<WorkCalendar, Ordinals>();

function ordinals(cal: WorkCalendar): Ordinals {
  let o = cache.get(cal);
  if (o) return o;
  const first = toDayNumber(`${FIRST_YEAR}-01-01`);
  const last = toDayNumber(`${LAST_YEAR}-12-31`);
  const ord = new Int32Array(last - first + 1);
  let n = 0;
  for (let d = first; d <= last; d++) {
    if (cal.isWorkingDay(fromDayNumber(d))) n++;
    ord[d - first] = n;
  }
  cache.set(cal, (o = { first, ord }));
  return o;
}

/** Working days strictly after `from` up to and including `to` (0 when to ≤ from). */
export function workingDaysAfter(cal: WorkCalendar, from: string, to: string): number {
  if (to <= from) return 0;
  const o = ordinals(cal);
  const a = toDayNumber(from) - o.first;
  const b = toDayNumber(to) - o.first;
  if (a < 0 || b >= o.ord.length) return workingDaysBetween(cal, from, to).days;
  return o.ord[b]! - o.ord[a]!;
}
