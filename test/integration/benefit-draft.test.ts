// The 待遇核定 page's preview: a determination computed from the officer's inputs and shown line by
// line before it is sent to review, nothing stored; figures typed as the bulletins print them
// ("57,360", "57,360.50"); every input with its source, for the officer and the reviewer alike; the
// conclusion the determination rests on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestCore } from '../helpers/core';
import { appraise, confirmedCase, count, officePerFile, type Office } from '../helpers/legal';

const scene = officePerFile(new Date('2026-11-24T02:00:00Z'));
let t: TestCore;
let o: Office;
beforeEach(() => {
  ({ t, o } = scene.fresh());
});
afterEach(async () => {
  await t.cleanup();
});

describe('the determination preview', () => {
  it('computes every line from "57,360"-style figures without storing anything, then prepares the same', async () => {
    const caseId = await confirmedCase(t, o);
    await appraise(t, o, caseId, 8);
    const conclusion = await t.call('determinations.preview', { caseId }, o.benefits);
    expect(conclusion).toMatchObject({ grade: 8, nursingLevel: null, conclusionDate: '2026-11-24' });

    const audit = count(t, 'audit_log');
    const outbox = count(t, 'sync_outbox');
    const draft = await t.call('determinations.draft', { caseId, figures: { provincialPrivateAnnualWage: '72,000.00' } }, o.benefits);
    expect(count(t, 'benefit_determinations')).toBe(0);
    expect(count(t, 'sync_outbox')).toBe(outbox);
    expect(count(t, 'audit_log')).toBe(audit);
    expect(draft.lines.length).toBeGreaterThan(0);
    for (const l of draft.lines) {
      expect(l.article).toMatch(/第.+条/);
      expect(l.amount).toMatch(/^\d+\.\d{2}$/);
      expect(['fund', 'platform']).toContain(l.payer);
    }
    expect(draft.inputs).toContainEqual(expect.objectContaining({ value: '72000.00元/年', source: '核定人录入' }));
    expect(JSON.stringify(draft)).not.toMatch(/figures|appraised|qinghai|xining/);

    const { id } = await t.call('determinations.prepare', { caseId, figures: { provincialPrivateAnnualWage: '72,000' } }, o.benefits);
    const [d] = await t.call('determinations.list', { caseId }, o.reviewer);
    expect(d!.id).toBe(id);
    expect(d!.inputs).toContainEqual(expect.objectContaining({ source: '核定人录入' }));
    expect((d!.result as { totals: { once: { all: string } } }).totals.once.all).toBe(draft.totals.once);
    expect((await t.call('determinations.queue', {}, o.reviewer)).map((q) => q.determinationId)).toEqual([id]);
  });

  it('refuses a figure that is not a number, in Chinese, naming the example', async () => {
    const caseId = await confirmedCase(t, o);
    await appraise(t, o, caseId, 8);
    for (const bad of ['57，36', '5,7360', '五万'])
      await expect(t.call('determinations.draft', { caseId, figures: { provincialPrivateAnnualWage: bad } }, o.benefits)).rejects.toThrow(
        '统计数据应为正数，例如 57360 或 57,360.50',
      );
    await expect(
      t.call('determinations.draft', { caseId, figures: { provincialPrivateAnnualWage: '57，360' } }, o.benefits),
    ).resolves.toBeTruthy();
  });
});
