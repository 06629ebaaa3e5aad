// The expert pool and the panel draw through the RPC: conflicted experts are never drawn, the
// draw is stored with its seed and candidates and re-runs to the same panel.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, signIn, type TestCore } from '../helpers/core';
import { beijingRider, staff } from '../helpers/intake';

let t: TestCore;
let admin: string;
let secretary: string;
let caseId: string;

beforeEach(async () => {
  t = makeTestCore(new Date('2026-11-24T02:00:00Z'));
  admin = await setupAdmin(t);
  const s = await staff(t, admin);
  await t.call(
    'users.create',
    { username: 'secretary', displayName: '鉴定秘书丁', password: 'Staff-pass-2026', roles: ['appraisal_secretary'] },
    admin,
  );
  secretary = await signIn(t, 'secretary', 'Staff-pass-2026');
  ({ caseId } = await t.call('cases.register', beijingRider(), s.clerk));
  let c = await t.call('cases.get', { caseId }, s.clerk);
  await t.call(
    'cases.setMaterials',
    { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
    s.clerk,
  );
  c = await t.call('cases.get', { caseId }, s.clerk);
  await t.call('cases.transition', { caseId, action: 'accept', expectedVersion: c.version }, s.clerk);
  await t.call(
    'bills.add',
    {
      caseId,
      billDate: '2026-11-20',
      hospital: '北京大学第三医院',
      invoiceNo: 'E1',
      amount: '302.00',
      eligible: '302.00',
      submittedDate: '2026-11-24',
    },
    s.clerk,
  );
  c = await t.call('cases.get', { caseId }, s.officer);
  await t.call(
    'cases.transition',
    { caseId, action: 'confirm', expectedVersion: c.version, reason: '送餐途中摔伤', article: '第十一条第（一）项' },
    s.officer,
  );
  const pool: [string, string, string[]][] = [
    ['李骨科', '青海省人民医院', []],
    ['王骨科', '西宁市第一人民医院', []],
    ['赵骨科', '北京大学第三医院', []], // treated the worker
    ['钱骨科', '青海大学附属医院', ['meituan']], // tied to the responsible platform
    ['孙骨科', '青海红十字医院', []],
    ['周骨科', '西宁市第二人民医院', []],
    ['吴骨科', '青海省中医院', []],
  ];
  for (const [name, organisation, platformTies] of pool) {
    await t.call(
      'experts.save',
      { id: null, name, organisation, categories: ['ortho'], departments: ['骨科'], available: true, platformTies },
      admin,
    );
  }
  await t.call(
    'experts.save',
    {
      id: null,
      name: '郑眼科',
      organisation: '青海省人民医院',
      categories: ['eye_ent'],
      departments: ['眼科'],
      available: true,
      platformTies: [],
    },
    admin,
  );
});
afterEach(async () => {
  await t.cleanup();
});

describe('panel draw', () => {
  it('never draws a conflicted expert, stores the seed and candidates, and re-runs to the same panel', async () => {
    const wang = (await t.call('experts.list', {}, secretary)).find((e) => e.name === '王骨科')!;
    await t.call('appraisal.recuse', { caseId, expertId: wang.id, reason: '系申请人近亲属' }, secretary);
    for (let i = 0; i < 10; i++) {
      const d = await t.call('appraisal.drawPanel', { caseId, size: 3, categories: ['ortho'] }, secretary);
      const names = d.panel.map((p) => p.name);
      expect(names).toHaveLength(3);
      for (const conflicted of ['赵骨科', '钱骨科', '王骨科', '郑眼科']) expect(names).not.toContain(conflicted);
      expect(d.excluded.map((e) => [e.name, e.reason])).toEqual(
        expect.arrayContaining([
          ['赵骨科', '任职于为其治疗的医院（北京大学第三医院）'],
          ['钱骨科', '与责任平台有利害关系'],
          ['王骨科', '登记回避：系申请人近亲属'],
        ]),
      );
      expect(await t.call('appraisal.checkDraw', { drawId: d.id }, secretary)).toEqual({ reproduced: true, panel: d.panel });
    }
    expect(await t.call('appraisal.draws', { caseId }, secretary)).toHaveLength(10);
  });

  it('refuses a panel of five when only four are eligible, saying how many were excluded', async () => {
    const zhou = (await t.call('experts.list', {}, secretary)).find((e) => e.name === '周骨科')!;
    await t.call('appraisal.recuse', { caseId, expertId: zhou.id, reason: '曾参与该案治疗会诊' }, secretary);
    const err = await t.fail('appraisal.drawPanel', { caseId, size: 5, categories: ['ortho'] }, secretary);
    expect(err.message).toContain('符合条件的专家只有 4 人，不足 5 人（已回避 3 人）');
    expect(t.store.sqlite.prepare('SELECT COUNT(*) n FROM panel_draws').get()).toEqual({ n: 0 });
  });

  it('detects a stored draw that was tampered with', async () => {
    const d = await t.call('appraisal.drawPanel', { caseId, size: 3, categories: ['ortho'] }, secretary);
    t.store.sqlite.exec('DROP TRIGGER panel_draws_no_update');
    const other = (await t.call('experts.list', {}, secretary)).find((e) => !d.panel.some((p) => p.id === e.id) && e.name !== '赵骨科')!;
    t.store.sqlite
      .prepare('UPDATE panel_draws SET result = ? WHERE id = ?')
      .run(JSON.stringify([{ id: other.id, name: other.name }, ...d.panel.slice(1)]), d.id);
    expect((await t.call('appraisal.checkDraw', { drawId: d.id }, secretary)).reproduced).toBe(false);
  });

  it('only a 鉴定秘书 draws, and only for a case ready for appraisal', async () => {
    expect((await t.fail('appraisal.drawPanel', { caseId, size: 3, categories: ['ortho'] }, admin)).code).toBe('FORBIDDEN');
    const s2 = await signIn(t, 'clerk', 'Staff-pass-2026');
    const { caseId: fresh } = await t.call('cases.register', beijingRider({ accidentAt: '2026-11-21T10:00' }), s2);
    expect((await t.fail('appraisal.drawPanel', { caseId: fresh, size: 3, categories: ['ortho'] }, secretary)).message).toContain(
      '才能抽取鉴定专家',
    );
  });
});
