import { describe, expect, it } from 'vitest';
import { panelProposal, type ExpertOpinion } from '../../shared/appraisal/panel-conclusion';

const op = (expertId: string, grade: number | null, nursingLevel: ExpertOpinion['nursingLevel'] = null): ExpertOpinion => ({
  expertId,
  grade,
  nursingLevel,
});

describe('panel proposal (少数服从多数)', () => {
  it('takes a unanimous view', () => {
    const p = panelProposal([op('a', 7), op('b', 7), op('c', 7)]);
    expect(p.grade.value).toBe(7);
    expect(p.unanimous).toBe(true);
    expect(p.dissenting).toEqual([]);
  });

  it('lets two of three decide and names the dissent', () => {
    const p = panelProposal([op('a', 7), op('b', 8), op('c', 7)]);
    expect(p.grade).toMatchObject({ value: 7, votes: 2 });
    expect(p.dissenting).toEqual(['b']);
    expect(p.unanimous).toBe(false);
  });

  it('treats 未达级 as a view of its own', () => {
    expect(panelProposal([op('a', null), op('b', null), op('c', 10)]).grade.value).toBeNull();
  });

  it('makes no proposal without a majority: three different grades, or 2-2-1 among five', () => {
    const three = panelProposal([op('a', 6), op('b', 7), op('c', 8)]);
    expect(three.grade.value).toBeUndefined();
    expect(three.dissenting).toEqual(['a', 'b', 'c']);
    const five = panelProposal([op('a', 7), op('b', 7), op('c', 8), op('d', 8), op('e', 9)]);
    expect(five.grade.value).toBeUndefined();
    expect(five.grade.tally.map((t) => t.votes)).toEqual([2, 2, 1]);
    expect(panelProposal([op('a', 7), op('b', 7), op('c', 7), op('d', 8), op('e', 9)]).grade.value).toBe(7);
  });

  it('counts the nursing level separately', () => {
    const p = panelProposal([op('a', 3, 'partial'), op('b', 3, 'most'), op('c', 3, 'partial')]);
    expect(p.grade.value).toBe(3);
    expect(p.nursingLevel.value).toBe('partial');
    expect(p.unanimous).toBe(false);
  });

  it('needs every one of 3 or 5 experts', () => {
    expect(() => panelProposal([op('a', 7), op('b', 7)])).toThrow('3 名或 5 名');
  });
});
