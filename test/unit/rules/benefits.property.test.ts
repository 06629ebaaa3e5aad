import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { computeBenefits, shareDependantPensions, type BenefitResult } from '../../../shared/rules';
import { addDays } from '../../../shared/rules/dates';
import { calendar, qinghai } from './fixtures';

const wage = fc.integer({ min: 1_000_00, max: 500_000_00 }).map((fen) => new Decimal(fen).dividedBy(100).toFixed(2));
const minLiving = fc.integer({ min: 100_00, max: 3_000_00 }).map((fen) => new Decimal(fen).dividedBy(100).toFixed(2));
// Some dependants carry the facts of eligibility (birth date, sex …), so the engine decides.
const dependant = fc
  .record({
    relation: fc.constantFrom('spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling'),
    orphanOrSolitaryElder: fc.boolean(),
    facts: fc.option(
      fc.record({
        sex: fc.constantFrom('male', 'female'),
        bornDaysBefore: fc.integer({ min: 0, max: 90 * 365 }),
        fullyDisabled: fc.boolean(),
        nearerRelativesGone: fc.boolean(),
        dependent: fc.boolean(),
      }),
    ),
  })
  .map(({ facts, ...d }) =>
    facts
      ? {
          ...d,
          sex: facts.sex,
          birthDate: addDays('2026-07-01', -facts.bornDaysBefore),
          fullyDisabled: facts.fullyDisabled,
          nearerRelativesGone: facts.nearerRelativesGone,
          dependent: facts.dependent,
        }
      : d,
  );
const dependants = fc.array(dependant, { maxLength: 8 }).map((ds) => {
  let spouse = false;
  return ds.filter((d) => (d.relation === 'spouse' ? !spouse && (spouse = true) : true));
});

const facts = fc
  .record({
    injuryOffset: fc.integer({ min: 0, max: 180 }),
    treatmentDays: fc.option(fc.integer({ min: 0, max: 800 })),
    extended: fc.boolean(),
    conclusionOffset: fc.integer({ min: 0, max: 700 }),
    outcome: fc.oneof(
      fc.record({
        kind: fc.constant('disability' as const),
        grade: fc.option(fc.integer({ min: 1, max: 10 })),
        nursing: fc.constantFrom(null, 'full', 'most', 'partial'),
      }),
      fc.record({ kind: fc.constant('death' as const), dependants, afterTreatment: fc.boolean() }),
    ),
    veteran: fc.boolean(),
    wage,
    minLiving,
    appOffset: fc.option(fc.integer({ min: 0, max: 200 })),
    by: fc.constantFrom('platform', 'worker', 'relative', 'union'),
  })
  .map((x) => {
    const injuryDate = addDays('2026-07-01', x.injuryOffset);
    const end = addDays(injuryDate, x.conclusionOffset);
    const outcome =
      x.outcome.kind === 'disability'
        ? {
            kind: 'disability',
            grade: x.outcome.grade,
            // GB/T 16180-2014: 完全 only with grade 1, 大部分 with 1–2, 部分 with 1–4.
            nursingLevel:
              x.outcome.grade !== null && x.outcome.nursing && x.outcome.grade <= { full: 1, most: 2, partial: 4 }[x.outcome.nursing]
                ? x.outcome.nursing
                : null,
            conclusionDate: end,
          }
        : { kind: 'death', deathDate: end, dependants: x.outcome.dependants, afterTreatmentWithGrade1to4: x.outcome.afterTreatment };
    return {
      jurisdiction: 'qinghai',
      injuryDate,
      city: 'xining',
      veteranOldInjury: x.veteran,
      outcome,
      treatment:
        x.treatmentDays === null
          ? undefined
          : { start: injuryDate, end: addDays(injuryDate, Math.min(x.treatmentDays, x.conclusionOffset)), extended: x.extended },
      application: x.appOffset === null ? undefined : { by: x.by, date: addDays(injuryDate, x.appOffset) },
      figures: { provincialPrivateAnnualWage: x.wage, nationalUrbanDisposableIncome: '56502', cityMinimumLivingMonthly: x.minLiving },
    };
  });

function sum(r: BenefitResult, pred: (l: BenefitResult['lines'][number]) => boolean): string {
  return r.lines
    .filter(pred)
    .reduce((s, l) => s.plus(l.amount), new Decimal(0))
    .toFixed(2);
}

describe('benefit properties', () => {
  it('no amount is negative, and every total equals the sum of its lines', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const r = computeBenefits(f, qinghai, { calendar });
        for (const l of r.lines) {
          expect(new Decimal(l.amount).gte(0)).toBe(true);
          expect(l.amount).toMatch(/^\d+\.\d{2}$/);
        }
        for (const period of ['once', 'monthly'] as const) {
          expect(r.totals[period].all).toBe(sum(r, (l) => l.period === period));
          expect(r.totals[period].fund).toBe(sum(r, (l) => l.period === period && l.payer === 'fund'));
          expect(r.totals[period].platform).toBe(sum(r, (l) => l.period === period && l.payer === 'platform'));
          expect(new Decimal(r.totals[period].fund).plus(r.totals[period].platform).toFixed(2)).toBe(r.totals[period].all);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the disability lump sum never rises as the grade number rises', () => {
    fc.assert(
      fc.property(wage, fc.integer({ min: 1, max: 9 }), (w, g) => {
        const at = (grade: number) =>
          computeBenefits(
            {
              jurisdiction: 'qinghai',
              injuryDate: '2026-08-01',
              outcome: { kind: 'disability', grade, nursingLevel: null, conclusionDate: '2026-12-01' },
              figures: { provincialPrivateAnnualWage: w },
            },
            qinghai,
          ).lines.find((l) => l.code === 'disability_lump_sum')!.amount;
        expect(new Decimal(at(g)).gte(at(g + 1))).toBe(true);
      }),
    );
  });

  it('a capped dependants total never exceeds the base, and equals it exactly when capped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000_000 }), dependants, (baseFen, ds) => {
        const base = new Decimal(baseFen).dividedBy(100);
        const r = shareDependantPensions(qinghai, base, ds);
        const total = r.shares.reduce((s, x) => s.plus(x.amount), new Decimal(0));
        expect(total.lte(base)).toBe(true);
        if (r.capped) expect(total.toFixed(2)).toBe(base.toFixed(2));
        for (const s of r.shares) {
          expect(s.amount.gte(0)).toBe(true);
          expect(s.amount.lte(s.uncapped)).toBe(true);
          expect(s.amount.decimalPlaces()).toBeLessThanOrEqual(2);
        }
      }),
    );
  });
});
