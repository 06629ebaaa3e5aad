// The entitlement lines of a conclusion, read from the pack: what the preview shows before the
// statistics are in.
import { describe, expect, it } from 'vitest';
import { computeBenefits, entitlementsFor } from '../../../shared/rules';
import { calendar, clonePack, qinghai } from './fixtures';

describe('entitlementsFor', () => {
  it('lists the lump sum, the allowance and the nursing allowance of a grade 1–4 conclusion', () => {
    expect(entitlementsFor(qinghai, 2, 'most').map((l) => [l.code, l.multiple, l.period])).toEqual([
      ['disability_lump_sum', '25 个月 × 计发基数', 'once'],
      ['disability_allowance', '85% × 计发基数／月', 'monthly'],
      ['nursing_allowance', '40% × 计发基数／月', 'monthly'],
    ]);
    // GB/T 16180-2014: grade 3 goes with 部分 only, so 大部分 gives no nursing line.
    expect(entitlementsFor(qinghai, 3, 'most').map((l) => l.code)).toEqual(['disability_lump_sum', 'disability_allowance']);
  });

  it('gives grade 5 the 一次性津贴 and grade 7 only the lump sum; 未达级 nothing', () => {
    expect(entitlementsFor(qinghai, 5, null).map((l) => [l.code, l.multiple])).toEqual([
      ['disability_lump_sum', '18 个月 × 计发基数'],
      ['one_time_allowance', '30 个月 × 计发基数'],
    ]);
    expect(entitlementsFor(qinghai, 7, null).map((l) => l.multiple)).toEqual(['13 个月 × 计发基数']);
    expect(entitlementsFor(qinghai, null, null)).toEqual([]);
  });

  it('reads the pack, so a changed parameter changes the line, and agrees with the engine', () => {
    const p = clonePack(qinghai);
    p.parameters.disabilityLumpSum.months['7'] = 14;
    expect(entitlementsFor(p, 7, null)[0]!.multiple).toBe('14 个月 × 计发基数');
    const r = computeBenefits(
      {
        jurisdiction: 'qinghai',
        injuryDate: '2026-08-01',
        veteranOldInjury: false,
        outcome: { kind: 'disability', grade: 3, nursingLevel: 'partial', conclusionDate: '2026-11-24' },
        figures: { provincialPrivateAnnualWage: '72000' },
      },
      qinghai,
      { calendar },
    );
    expect(r.lines.map((l) => l.code)).toEqual(entitlementsFor(qinghai, 3, 'partial').map((l) => l.code));
  });
});
