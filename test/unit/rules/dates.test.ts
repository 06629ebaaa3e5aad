import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  dayOfWeek,
  daysBetween,
  daysInMonth,
  endOfMonth,
  fromDayNumber,
  isValidDate,
  toDayNumber,
} from '../../../shared/rules/dates';

describe('dates', () => {
  it('maps known dates to day numbers and weekdays', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('2000-03-01')).toBe(11017);
    expect(dayOfWeek('2026-11-24')).toBe(2); // Tuesday
    expect(dayOfWeek('2026-02-14')).toBe(6); // Saturday (a make-up working day)
    expect(dayOfWeek('2025-01-26')).toBe(0); // Sunday
  });

  it('round-trips every day between 1950 and 2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber('1950-01-01'), max: toDayNumber('2100-12-31') }), (n) => {
        const s = fromDayNumber(n);
        expect(isValidDate(s)).toBe(true);
        expect(toDayNumber(s)).toBe(n);
      }),
    );
  });

  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
  ])('addDays(%s, %i) = %s', (d, n, want) => expect(addDays(d, n)).toBe(want));

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2026-07-10', 12, '2027-07-10'],
    ['2026-11-30', 3, '2027-02-28'],
  ])('addMonths(%s, %i) = %s (no such day → month end)', (d, n, want) => expect(addMonths(d, n)).toBe(want));

  it('knows leap years and month lengths', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(endOfMonth('2028-02-03')).toBe('2028-02-29');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
  });

  it.each(['2026-02-29', '2026-13-01', '2026-1-01', '20260101', '', '2026-00-10'])('rejects %s', (s) => expect(isValidDate(s)).toBe(false));
});
