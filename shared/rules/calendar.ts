// The mainland China working-day calendar: weekends, State Council holidays and make-up
// working days (调休), from a data file (resources/calendar/cn-workdays.json) that sync can
// replace. Outside the years the file covers only the fixed-date statutory holidays the file
// lists (1 January, 1–2 May, 1–3 October) are applied, and answers say `certain: false`.
import { z } from 'zod';
import { RuleError } from './errors';
import { addDays, dayOfWeek, isValidDate, yearOf, type IsoDate } from './dates';

const isoDate = z.string().refine(isValidDate, { message: '日期须为 YYYY-MM-DD' });

export const calendarYearSchema = z.object({
  source: z.string().min(1),
  status: z.enum(['official', 'secondary', 'unconfirmed']),
  /** Every day off for a statutory holiday, weekends inside a holiday included. */
  holidays: z.array(isoDate),
  /** Weekend days that are working days (调休上班). */
  workdays: z.array(isoDate),
  /** Optional check figure: working days in the year as published. */
  workingDaysInYear: z.number().int().positive().optional(),
});

export const calendarSchema = z.object({
  id: z.string().min(1),
  version: z.string().min(1),
  note: z.string().optional(),
  years: z.record(z.string().regex(/^\d{4}$/), calendarYearSchema),
  /**
   * Statutory holidays on fixed Gregorian dates (MM-DD), applied to years the file does not cover;
   * the State Council's 调休 for those years is unknown, so such dates stay uncertain.
   */
  fixedHolidays: z
    .object({
      source: z.string().min(1),
      days: z.array(z.object({ date: z.string().regex(/^\d{2}-\d{2}$/, '须为 MM-DD'), name: z.string().min(1) })),
    })
    .optional(),
});

export type CalendarData = z.infer<typeof calendarSchema>;

export interface WorkCalendar {
  id: string;
  version: string;
  coveredYears: number[];
  covers(date: IsoDate): boolean;
  /** Whether the day is a working day; outside the covered years, Monday–Friday less the fixed-date holidays (uncertain). */
  isWorkingDay(date: IsoDate): boolean;
  isHoliday(date: IsoDate): boolean;
}

export function buildCalendar(data: unknown): WorkCalendar {
  const parsed = calendarSchema.safeParse(data);
  if (!parsed.success) {
    throw new RuleError(
      'INVALID_CALENDAR',
      `工作日历文件格式不正确：${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}。请重新同步或恢复随附的日历文件。`,
    );
  }
  const cal = parsed.data;
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const [year, y] of Object.entries(cal.years)) {
    for (const d of [...y.holidays, ...y.workdays]) {
      if (String(yearOf(d)) !== year) {
        throw new RuleError('INVALID_CALENDAR', `工作日历 ${year} 年的条目 ${d} 不属于该年，请核对日历文件。`);
      }
    }
    for (const d of y.holidays) holidays.add(d);
    for (const d of y.workdays) {
      if (holidays.has(d)) throw new RuleError('INVALID_CALENDAR', `工作日历中 ${d} 同时被列为假日和调休上班日，请核对。`);
      workdays.add(d);
    }
  }
  const coveredYears = Object.keys(cal.years)
    .map(Number)
    .sort((a, b) => a - b);
  const covered = new Set(coveredYears);
  const covers = (d: IsoDate) => covered.has(yearOf(d));
  const fixed = new Set((cal.fixedHolidays?.days ?? []).map((f) => f.date));
  const isHoliday = (d: IsoDate) => holidays.has(d) || (!covers(d) && fixed.has(d.slice(5)));
  return {
    id: cal.id,
    version: cal.version,
    coveredYears,
    covers,
    isHoliday,
    isWorkingDay(d) {
      if (isHoliday(d)) return false;
      if (workdays.has(d)) return true;
      const dow = dayOfWeek(d);
      return dow !== 0 && dow !== 6;
    },
  };
}

export interface CalendarAnswer {
  date: IsoDate;
  /** False when any day looked at lies in a year the calendar does not cover. */
  certain: boolean;
}

/** The Nth working day after `from` (the start day itself is not counted); n = 0 gives `from`. */
export function addWorkingDays(cal: WorkCalendar, from: IsoDate, n: number): CalendarAnswer {
  if (!Number.isInteger(n) || n < 0) {
    throw new RuleError('INVALID_INPUT', `工作日天数“${n}”无效，请填写不小于 0 的整数。`, 'add');
  }
  let d = from;
  let certain = cal.covers(from);
  for (let left = n; left > 0;) {
    d = addDays(d, 1);
    if (!cal.covers(d)) certain = false;
    if (cal.isWorkingDay(d)) left--;
  }
  return { date: d, certain };
}

/** Working days strictly after `from` up to and including `to` (0 when to ≤ from). */
export function workingDaysBetween(cal: WorkCalendar, from: IsoDate, to: IsoDate): CalendarAnswer & { days: number } {
  let days = 0;
  let certain = cal.covers(from) && cal.covers(to);
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) {
    if (!cal.covers(d)) certain = false;
    if (cal.isWorkingDay(d)) days++;
  }
  return { date: to, days, certain };
}

/**
 * A period of N calendar days from `from` (民法典 第二百零一、二百零三条): the first day is not
 * counted; a last day that is a rest day (statutory holiday or weekend not worked) moves to
 * the first working day after it.
 */
export function calendarDayPeriodEnd(cal: WorkCalendar, from: IsoDate, n: number): CalendarAnswer & { extended: boolean } {
  let d = addDays(from, n);
  let certain = cal.covers(d);
  let extended = false;
  while (!cal.isWorkingDay(d)) {
    d = addDays(d, 1);
    extended = true;
    if (!cal.covers(d)) certain = false;
  }
  return { date: d, certain, extended };
}

/** The first working day on or after `date`. */
export function nextWorkingDayOnOrAfter(cal: WorkCalendar, date: IsoDate): CalendarAnswer {
  let d = date;
  let certain = cal.covers(d);
  while (!cal.isWorkingDay(d)) {
    d = addDays(d, 1);
    if (!cal.covers(d)) certain = false;
  }
  return { date: d, certain };
}
