import { describe, expect, it } from 'vitest';
import { addWorkingDays, buildCalendar, calendarDayPeriodEnd, workingDaysBetween, RuleError } from '../../../shared/rules';
import { calendar } from './fixtures';

function workingDaysInYear(y: number): number {
  return workingDaysBetween(calendar, `${y - 1}-12-31`, `${y}-12-31`).days;
}

describe('bundled working-day calendar', () => {
  it('has 248 working days in 2026, as the State Council notice says', () => {
    expect(workingDaysInYear(2026)).toBe(248);
  });

  it('has 248 working days in 2025 from the holiday and make-up lists', () => {
    expect(workingDaysInYear(2025)).toBe(248);
  });

  it('covers 2025 and 2026 only', () => {
    expect(calendar.coveredYears).toEqual([2025, 2026]);
    expect(calendar.covers('2027-01-04')).toBe(false);
  });

  it.each([
    ['2026-10-01', false, 'National Day holiday'],
    ['2026-10-10', true, 'make-up Saturday after National Day'],
    ['2026-09-20', true, 'make-up Sunday before National Day'],
    ['2026-02-14', true, 'make-up Saturday before Spring Festival'],
    ['2026-02-23', false, 'last Spring Festival holiday day (Monday)'],
    ['2026-02-28', true, 'make-up Saturday after Spring Festival'],
    ['2026-01-04', true, 'make-up Sunday after New Year'],
    ['2025-01-26', true, 'make-up Sunday before Spring Festival 2025'],
    ['2025-02-04', false, 'Spring Festival 2025'],
    ['2025-10-08', false, 'National Day 2025 (8 days)'],
    ['2025-10-11', true, 'make-up Saturday 2025'],
    ['2026-11-24', true, 'an ordinary Tuesday'],
    ['2026-11-28', false, 'an ordinary Saturday'],
  ])('%s working day = %s (%s)', (d, want) => {
    expect(calendar.isWorkingDay(d)).toBe(want);
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['2026-09-30', 1, '2026-10-08', 'skips the National Day week'],
    ['2026-10-09', 1, '2026-10-10', 'counts the make-up Saturday'],
    ['2026-09-18', 1, '2026-09-20', 'counts the make-up Sunday'],
    ['2026-02-13', 1, '2026-02-14', 'Spring Festival make-up Saturday'],
    ['2026-02-14', 1, '2026-02-24', 'skips the Spring Festival holiday'],
    ['2026-02-12', 7, '2026-02-28', 'across Spring Festival with both make-up Saturdays'],
    ['2025-01-24', 1, '2025-01-26', 'make-up Sunday 2025'],
    ['2025-01-27', 1, '2025-02-05', 'Spring Festival 2025'],
    ['2025-09-30', 1, '2025-10-09', 'National Day 2025'],
    ['2025-10-10', 1, '2025-10-11', 'make-up Saturday 2025'],
    ['2026-11-24', 0, '2026-11-24', 'zero days'],
    ['2026-11-27', 1, '2026-11-30', 'ordinary weekend'],
  ])('%s + %i working days = %s (%s)', (from, n, want) => {
    expect(addWorkingDays(calendar, from, n)).toEqual({ date: want, certain: true });
  });

  it('flags a count that runs into 2027 as uncertain instead of guessing', () => {
    const r = addWorkingDays(calendar, '2026-12-28', 7);
    expect(r.certain).toBe(false);
    expect(r.date > '2026-12-31').toBe(true);
  });

  it('refuses a negative count', () => {
    expect(() => addWorkingDays(calendar, '2026-11-24', -1)).toThrow(RuleError);
  });
});

describe('calendarDayPeriodEnd (first day not counted; rest day at the end moves on)', () => {
  it.each([
    ['2026-09-01', 30, '2026-10-08', true],
    ['2026-09-20', 15, '2026-10-08', true],
    ['2026-08-01', 30, '2026-08-31', false],
    ['2026-11-13', 15, '2026-11-30', true], // ends on Saturday 11-28 → Monday
    ['2026-02-01', 20, '2026-02-24', true], // ends 2-21 in Spring Festival
  ])('%s + %i days = %s (extended %s)', (from, n, want, extended) => {
    const r = calendarDayPeriodEnd(calendar, from, n);
    expect(r.date).toBe(want);
    expect(r.extended).toBe(extended);
    expect(r.certain).toBe(true);
  });

  it('is uncertain when the end falls outside the calendar', () => {
    expect(calendarDayPeriodEnd(calendar, '2026-12-20', 30).certain).toBe(false);
  });
});

describe('buildCalendar validation', () => {
  const base = {
    id: 'x',
    version: '1',
    years: { '2026': { source: 's', status: 'official', holidays: ['2026-10-01'], workdays: ['2026-10-10'] } },
  };
  it('accepts a minimal calendar', () => {
    expect(buildCalendar(base).isWorkingDay('2026-10-01')).toBe(false);
  });
  it('refuses a day listed under the wrong year', () => {
    const bad = { ...base, years: { '2026': { ...base.years['2026'], holidays: ['2025-10-01'] } } };
    expect(() => buildCalendar(bad)).toThrow(/不属于该年/);
  });
  it('refuses a day that is both holiday and make-up day', () => {
    const bad = { ...base, years: { '2026': { ...base.years['2026'], workdays: ['2026-10-01'] } } };
    expect(() => buildCalendar(bad)).toThrow(/同时被列为/);
  });
  it('refuses a malformed file', () => {
    expect(() => buildCalendar({ id: 'x' })).toThrow(RuleError);
  });
});

describe('years outside the calendar: the fixed-date statutory holidays', () => {
  it.each(['2027-01-01', '2027-10-01', '2028-05-01', '2028-05-02', '2028-10-02', '2028-10-03'])('%s is a rest day', (d) => {
    expect(calendar.isWorkingDay(d)).toBe(false);
    expect(calendar.covers(d)).toBe(false);
  });

  it('keeps weekdays that are no fixed holiday working, and known years untouched by the fixed list', () => {
    expect(calendar.isWorkingDay('2027-05-04')).toBe(true);
    // 2026 is covered: its own list decides (10-08 is a working day there, 10-04 a holiday).
    expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
  });

  it('moves a period ending on 1 January 2027 to the next working day, uncertain', () => {
    expect(calendarDayPeriodEnd(calendar, '2026-12-02', 30)).toMatchObject({ date: '2027-01-04', certain: false, extended: true });
  });

  it('counts working days across them', () => {
    // 2027-04-30 (Fri) + 1 working day: 05-01 Sat, 05-02 Sun (holidays anyway), 05-03 Mon.
    expect(addWorkingDays(calendar, '2027-04-30', 1)).toEqual({ date: '2027-05-03', certain: false });
    expect(workingDaysBetween(calendar, '2027-09-30', '2027-10-08').days).toBe(5);
  });

  it('refuses a fixed holiday not written MM-DD', () => {
    expect(() =>
      buildCalendar({ id: 'x', version: '1', years: {}, fixedHolidays: { source: 's', days: [{ date: '1-1', name: '元旦' }] } }),
    ).toThrow(RuleError);
  });
});
