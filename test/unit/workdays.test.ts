// The constant-time working-day count agrees with the calendar's own day-by-day count.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCalendar } from '../../electron/core/rule-resources';
import { addDays, workingDaysBetween } from '../../shared/rules';
import { workingDaysAfter } from '../../shared/monitoring/workdays';

const cal = loadCalendar();

describe('workingDaysAfter', () => {
  it('equals workingDaysBetween for any two dates, in and outside the calendar’s years', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4000 }), fc.integer({ min: -30, max: 400 }), (offset, span) => {
        const from = addDays('2023-06-01', offset);
        const to = addDays(from, span);
        expect(workingDaysAfter(cal, from, to)).toBe(workingDaysBetween(cal, from, to).days);
      }),
      { numRuns: 2000, seed: 20261130 },
    );
  });

  it('counts the 2026 National Day week: 7 days off, make-up Saturday 10 October worked', () => {
    // 1–7 October off; then Thursday 8, Friday 9 and the make-up Saturday 10.
    expect(workingDaysAfter(cal, '2026-09-30', '2026-10-10')).toBe(3);
    expect(workingDaysAfter(cal, '2026-11-02', '2026-11-10')).toBe(6);
  });
});
