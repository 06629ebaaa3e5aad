// The review chain is the pack's setting, not code: a pack with one round (a province without the
// social insurance agency's second round) approves after that round alone. The resources folder is
// copied and the pack edited, as an administrator would edit it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCore, tempDir, type TestCore } from '../helpers/core';
import { appraise, confirmedCase, office } from '../helpers/legal';

let resources: string;
beforeAll(() => {
  resources = tempDir('oip-resources-');
  fs.cpSync(path.resolve('resources/rules'), path.join(resources, 'rules'), { recursive: true });
  fs.cpSync(path.resolve('resources/calendar'), path.join(resources, 'calendar'), { recursive: true });
  fs.cpSync(path.resolve('resources/gbt16180'), path.join(resources, 'gbt16180'), { recursive: true });
  const file = path.join(resources, 'rules', 'qinghai-2026.json');
  const pack = JSON.parse(fs.readFileSync(file, 'utf8'));
  pack.version = '2026.2.1-one-round';
  pack.benefitReview.rounds = [{ role: 'benefit_reviewer', label: '待遇复核', body: '经办机构' }];
  fs.writeFileSync(file, JSON.stringify(pack));
  process.env.OIP_RESOURCES_DIR = resources;
});
afterAll(() => {
  delete process.env.OIP_RESOURCES_DIR;
  fs.rmSync(resources, { recursive: true, force: true });
});

describe('a one-round review chain from the pack', () => {
  it('approves after the single round, with nothing waiting for 社保复核', async () => {
    const t: TestCore = makeTestCore(new Date('2026-11-24T02:00:00Z'));
    try {
      const o = await office(t);
      const caseId = await confirmedCase(t, o);
      await appraise(t, o, caseId, 8);
      const { id, rounds } = await t.call(
        'determinations.prepare',
        { caseId, figures: { provincialPrivateAnnualWage: '72000' } },
        o.benefits,
      );
      expect(rounds).toBe(1);
      expect(await t.call('determinations.review', { determinationId: id, approve: true }, o.reviewer)).toEqual({
        status: 'approved',
        round: 1,
        next: null,
      });
      expect(await t.call('determinations.queue', {}, o.insurer)).toEqual([]);
      expect((await t.call('cases.get', { caseId }, o.benefits)).status).toBe('benefits_determined');
      const [d] = await t.call('determinations.list', { caseId }, o.benefits);
      expect((d!.result as { rulePack: { version: string } }).rulePack.version).toBe('2026.2.1-one-round');
    } finally {
      await t.cleanup();
    }
  });
});
