import { describe, expect, it } from 'vitest';
import { combineGrades, parseCatalogue, RuleError, searchCatalogue, selfCareLevel, nursingRate } from '../../../shared/rules';
import { NURSING_LABELS } from '../../../shared/appraisal/grades';
import { catalogue, qinghai } from './fixtures';

describe('4.2 晋级原则 (combineGrades)', () => {
  it.each([
    [[7], 7, false, 7],
    [[9, 10], 9, false, 9],
    [[10, 10, 10, 10], 10, true, 9],
    [[7, 7], 7, true, 6],
    [[7, 7, 7], 7, true, 6], // at most one grade
    [[5, 7, 7], 5, false, 5], // only the most severe grade counts
    [[2, 2], 2, true, 1],
    [[1, 1], 1, false, 1], // never above grade 1
    [[8, null], 8, false, 8],
  ])('%j → base %s, promotion %s, promoted %s', (grades, base, proposed, promoted) => {
    const r = combineGrades(grades.map((grade) => ({ grade })));
    expect(r.baseGrade).toBe(base);
    expect(r.promotionProposed).toBe(proposed);
    expect(r.promotedGrade).toBe(promoted);
  });
  it('items not reaching grade 10 do not count', () => {
    expect(combineGrades([{ grade: null }, { grade: null }])).toMatchObject({
      baseGrade: null,
      promotionProposed: false,
      promotedGrade: null,
    });
  });
  it('the explanation leaves the promotion to the panel', () => {
    expect(combineGrades([{ grade: 7 }, { grade: 7 }]).explanation).toMatch(/专家组确认/);
  });
  it.each([0, 11, 2.5])('refuses grade %s', (g) => {
    expect(() => combineGrades([{ grade: g }])).toThrow(RuleError);
  });
});

describe('GB/T 16180 catalogue', () => {
  it('loads, says how complete it is, and item codes match their grades', () => {
    expect(catalogue.completeness.itemsInStandard).toBe(530);
    expect(catalogue.items.length).toBeGreaterThanOrEqual(10);
    for (const i of catalogue.items) expect(i.code.startsWith(`5.${i.grade}.2(`)).toBe(true);
  });
  it('searches by code prefix', () => {
    expect(searchCatalogue(catalogue.items, '5.7').map((i) => i.code)).toEqual(['5.7.2(24)', '5.7.2(47)']);
    expect(searchCatalogue(catalogue.items, '5.7.2(47)').map((i) => i.code)).toEqual(['5.7.2(47)']);
    expect(searchCatalogue(catalogue.items, '5.10').every((i) => i.grade === 10)).toBe(true);
  });
  it('searches by words and keywords (all words must match)', () => {
    expect(searchCatalogue(catalogue.items, '脾').map((i) => i.code)).toEqual(['5.7.2(47)', '5.8.2(56)']);
    expect(searchCatalogue(catalogue.items, '肋骨 胸廓').map((i) => i.code)).toEqual(['5.8.2(45)']);
    expect(searchCatalogue(catalogue.items, '半月板').map((i) => i.code)).toEqual(['5.10.2(11)']);
    expect(searchCatalogue(catalogue.items, '不存在的伤情')).toEqual([]);
  });
  it('an empty query returns everything', () => {
    expect(searchCatalogue(catalogue.items, '  ')).toHaveLength(catalogue.items.length);
  });
  it('refuses an item whose code disagrees with its grade', () => {
    expect(() => parseCatalogue({ ...catalogue, items: [{ ...catalogue.items[0]!, grade: 8 }] })).toThrow(/等级条目目录格式不正确/);
  });
});

describe('生活自理障碍 levels and 生活护理费', () => {
  it.each([
    [['eating', 'turning', 'toileting', 'dressing', 'moving'], 'full'],
    [['eating', 'turning', 'toileting', 'dressing'], 'most'],
    [['eating', 'turning', 'toileting'], 'most'],
    [['eating', 'moving'], 'partial'],
    [['moving'], 'partial'],
    [[], null],
  ] as const)('%j → %s', (acts, level) => {
    expect(selfCareLevel(acts)).toBe(level);
  });
  it('thresholds are a parameter (older texts: 3 for 大部分, 1 for 部分)', () => {
    expect(selfCareLevel(['eating', 'turning'], { full: 5, most: 2, partial: 1 })).toBe('most');
  });
  it('maps levels to the pack rates and labels', () => {
    expect([nursingRate(qinghai, 'full'), nursingRate(qinghai, 'most'), nursingRate(qinghai, 'partial')]).toEqual(['0.5', '0.4', '0.3']);
    expect(NURSING_LABELS.most).toBe('大部分生活自理障碍');
  });
  it('refuses an unknown activity', () => {
    expect(() => selfCareLevel(['walking' as 'moving'])).toThrow(/五项活动/);
  });
});
