import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { drawPanel, seededRandom } from '../../shared/appraisal/draw';

const experts = Array.from({ length: 12 }, (_, i) => ({ id: `e${String(i).padStart(2, '0')}`, name: `专家${i}` }));

describe('panel draw', () => {
  it('gives the same panel for the same seed, whatever order the candidates come in', () => {
    const seed = '0123456789abcdef0123456789abcdef';
    const a = drawPanel(experts, 5, seed);
    const b = drawPanel([...experts].reverse(), 5, seed);
    expect(b).toEqual(a);
    expect(new Set(a.map((e) => e.id)).size).toBe(5);
  });

  it('is pinned: a known seed gives a known panel (the algorithm must not drift)', () => {
    expect(drawPanel(experts, 3, 'ffeeddccbbaa99887766554433221100').map((e) => e.id)).toMatchInlineSnapshot(`
      [
        "e09",
        "e06",
        "e01",
      ]
    `);
  });

  it('only ever picks from the candidates, 3 or 5, and refuses too few', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{32}$/), fc.integer({ min: 5, max: 12 }), fc.constantFrom(3, 5), (seed, n, size) => {
        const pool = experts.slice(0, n);
        const panel = drawPanel(pool, size, seed);
        return panel.length === size && panel.every((p) => pool.includes(p)) && new Set(panel).size === size;
      }),
    );
    expect(() => drawPanel(experts.slice(0, 2), 3, '0'.repeat(32))).toThrow('不足 3 人');
    expect(() => drawPanel(experts, 4, '0'.repeat(32))).toThrow('3 人或 5 人');
  });

  it('spreads draws evenly enough over many seeds', () => {
    const counts = new Map<string, number>();
    for (let s = 0; s < 3000; s++) {
      for (const e of drawPanel(experts, 3, s.toString(16).padStart(32, '0'))) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
    }
    // 9000 picks over 12 experts: 750 each on average.
    for (const c of counts.values()) expect(c).toBeGreaterThan(600);
    expect(seededRandom('1'.repeat(32))()).toBeLessThan(1);
  });
});
