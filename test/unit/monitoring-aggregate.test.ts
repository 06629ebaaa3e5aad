// The histogram forms of mean and percentile give what the per-case forms give.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { histogramMean, histogramPercentile, mean, percentile } from '../../shared/monitoring/figures';

describe('histogram statistics', () => {
  it('equal the statistics of the values they stand for', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 300 }), fc.constantFrom(0.5, 0.9, 0.95, 1), (values, p) => {
        const counts = new Map<number, number>();
        for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
        const buckets = [...counts].map(([days, cases]) => ({ days, cases }));
        expect(histogramMean(buckets)).toBe(mean(values));
        expect(histogramPercentile(buckets, p)).toBe(percentile(values, p));
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
