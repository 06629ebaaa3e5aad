import { describe, expect, it } from 'vitest';
import { parseRulePack, RuleError, selectRulePack } from '../../../shared/rules';
import { clonePack, packs, qinghai, shandong } from './fixtures';

describe('bundled rule packs', () => {
  it('both validate and carry their ids and start dates', () => {
    expect(packs.map((p) => `${p.id}@${p.effectiveFrom}`).sort()).toEqual(['qinghai-2026@2026-07-01', 'shandong-2025@2025-07-01']);
  });

  it('Qinghai carries the seed measures’ parameters with their articles', () => {
    const P = qinghai.parameters;
    expect(Object.values(P.disabilityLumpSum.months)).toEqual([27, 25, 23, 21, 18, 16, 13, 11, 9, 7]);
    expect(P.disabilityAllowance.rates).toEqual({ '1': '0.9', '2': '0.85', '3': '0.8', '4': '0.75' });
    expect(P.oneTimeAllowance.months).toEqual({ '5': 30, '6': 25 });
    expect(P.nursing.rates).toEqual({ full: '0.5', most: '0.4', partial: '0.3' });
    expect(P.funeral.months).toBe(6);
    expect(P.deathLumpSum.multiple).toBe(20);
    expect(P.livingAllowance).toMatchObject({ payer: 'platform', treatmentMonths: 12, extensionMonthsMax: 12, article: '第二十四条' });
    expect(qinghai.articles.exclusions).toBe('第十二条');
  });

  it('Qinghai marks the unknown figures as unknown, and the national income as known', () => {
    expect(qinghai.statistics.provincialPrivateAnnualWage.byYear['2025']).toMatchObject({ value: null, status: 'unknown' });
    expect(qinghai.statistics.cityMinimumLivingMonthly.cities.xining!.byYear['2026']).toMatchObject({ value: null, status: 'unknown' });
    expect(qinghai.statistics.nationalUrbanDisposableIncome.byYear['2025']).toMatchObject({ value: '56502' });
    expect(qinghai.statistics.nationalUrbanDisposableIncome.byYear['2024']).toMatchObject({ value: '54188' });
  });

  it('Shandong’s 2024 wage is labelled derived from the Qingdao case', () => {
    const f = shandong.statistics.provincialPrivateAnnualWage.byYear['2024']!;
    expect(f).toMatchObject({ value: '61200', status: 'derived' });
    expect(f.source).toMatch(/青岛/);
  });

  it('every deadline the issue lists is in each pack', () => {
    for (const p of packs) {
      expect(p.deadlines.map((d) => d.code).sort()).toEqual([
        'administrative_litigation',
        'administrative_review',
        'appraisal_conclusion',
        'appraisal_delivery',
        'appraisal_materials_notice',
        'confirmation',
        'medical_reimbursement',
        'others_application',
        'platform_application',
        'reappraisal_request',
        'supplement',
        'treatment_period',
      ]);
    }
  });
});

describe('selectRulePack', () => {
  it.each([
    ['qinghai', '2026-07-01', 'qinghai-2026'],
    ['qinghai', '2030-01-01', 'qinghai-2026'],
    ['shandong', '2025-07-01', 'shandong-2025'],
  ])('%s on %s → %s', (j, d, id) => expect(selectRulePack(packs, j, d).id).toBe(id));

  it('refuses a date before any pack, saying the ranges', () => {
    expect(() => selectRulePack(packs, 'qinghai', '2026-06-30')).toThrow(/qinghai-2026 自 2026-07-01 起/);
  });
  it('refuses an unknown jurisdiction, listing the known ones', () => {
    expect(() => selectRulePack(packs, 'tibet', '2026-08-01')).toThrow(/已有：qinghai、shandong/);
  });
  it('the later pack wins for overlapping periods; an ended pack stops applying', () => {
    const old = { ...clonePack(qinghai), id: 'qinghai-old', effectiveTo: '2027-06-30' };
    const next = { ...clonePack(qinghai), id: 'qinghai-2027', effectiveFrom: '2027-07-01' };
    expect(selectRulePack([old, next], 'qinghai', '2027-07-01').id).toBe('qinghai-2027');
    expect(selectRulePack([old, next], 'qinghai', '2027-06-30').id).toBe('qinghai-old');
  });
});

describe('parseRulePack refuses malformed packs', () => {
  it.each([
    [
      'a figure with a value but status unknown',
      (p: ReturnType<typeof clonePack>) => {
        p.statistics.provincialPrivateAnnualWage.byYear['2025'] = { value: '1', status: 'unknown' };
      },
    ],
    [
      'a rounding list without line',
      (p: ReturnType<typeof clonePack>) => {
        p.rounding.points = ['base'];
      },
    ],
    [
      'an effective-to before effective-from',
      (p: ReturnType<typeof clonePack>) => {
        p.effectiveTo = '2026-01-01';
      },
    ],
    [
      'a rate written as a number',
      (p: ReturnType<typeof clonePack>) => {
        (p.parameters.nursing.rates as Record<string, unknown>).full = 0.5;
      },
    ],
  ])('%s', (_n, mutate) => {
    const p = clonePack(qinghai);
    mutate(p);
    const call = () => parseRulePack(p, 'qinghai-2026.json');
    expect(call).toThrow(RuleError);
    expect(call).toThrow(/qinghai-2026.json 格式不正确/);
  });
});
