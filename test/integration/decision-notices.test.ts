// A 职业伤害确认结论书 (or 不予确认结论书) is a legal decision: only the confirmation officer who
// made it may issue it, not another officer, a clerk or an appraisal role.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, signIn, type TestCore } from '../helpers/core';
import { beijingRider, staff } from '../helpers/intake';
import { storeState } from '../helpers/store-state';

let t: TestCore;
let s: Awaited<ReturnType<typeof staff>>;
let another: string;
let leader: string;
let caseId: string;
beforeEach(async () => {
  t = makeTestCore();
  const admin = await setupAdmin(t);
  s = await staff(t, admin);
  await t.call(
    'users.create',
    { username: 'officer2', displayName: '确认经办丁', password: 'Staff-pass-2026', roles: ['confirmation_officer'] },
    admin,
  );
  await t.call(
    'users.create',
    { username: 'lead', displayName: '鉴定组长', password: 'Staff-pass-2026', roles: ['appraisal_leader'] },
    admin,
  );
  another = await signIn(t, 'officer2', 'Staff-pass-2026');
  leader = await signIn(t, 'lead', 'Staff-pass-2026');
  for (const series of ['intake', 'confirmation'])
    await t.call(
      'numbering.addBlock',
      { series, pattern: `${series}〔{year}〕{seq}号`, issuer: '西宁市人社局', year: 2026, first: 1, last: 9 },
      admin,
    );
  caseId = (await t.call('cases.register', beijingRider(), s.clerk)).caseId;
  let c = await t.call('cases.get', { caseId }, s.clerk);
  await t.call(
    'cases.setMaterials',
    { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
    s.clerk,
  );
  c = await t.call('cases.get', { caseId }, s.clerk);
  await t.call('cases.transition', { caseId, action: 'accept', expectedVersion: c.version }, s.clerk);
});
afterEach(async () => {
  await t.cleanup();
});

async function decide(action: 'confirm' | 'not_confirm') {
  const c = await t.call('cases.get', { caseId }, s.officer);
  await t.call(
    'cases.transition',
    { caseId, action, expectedVersion: c.version, reason: '调查属实', article: action === 'confirm' ? '第十一条第（一）项' : '第十二条' },
    s.officer,
  );
}

describe.each([
  ['confirmation', 'confirm'],
  ['non-confirmation', 'not_confirm'],
] as const)('the %s notice', (type, action) => {
  it('is issued only by the officer who decided the case; others are refused with nothing written', async () => {
    await decide(action);
    const before = storeState(t.store.sqlite).tables;
    const otherOfficer = await t.fail('notices.issueForCase', { caseId, type }, another);
    expect(otherOfficer).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('只能由作出该确认决定的确认经办本人出具') });
    for (const token of [s.clerk, leader]) {
      const err = await t.fail('notices.issueForCase', { caseId, type }, token);
      expect(err.code).toBe('FORBIDDEN');
    }
    expect(storeState(t.store.sqlite).tables).toEqual(before);
    expect((await t.call('cases.get', { caseId }, another)).issuableNotices).not.toContain(type);
    expect((await t.call('cases.get', { caseId }, s.officer)).issuableNotices).toContain(type);
    const r = await t.call('notices.issueForCase', { caseId, type }, s.officer);
    expect(r.documentNo).toMatch(/^confirmation〔2026〕1号$/);
  });
});

it('the acceptance notice stays with intake and confirmation staff', async () => {
  expect((await t.call('cases.get', { caseId }, s.clerk)).issuableNotices).toEqual(['acceptance']);
  expect((await t.fail('notices.issueForCase', { caseId, type: 'acceptance' }, leader)).code).toBe('FORBIDDEN');
  await t.call('notices.issueForCase', { caseId, type: 'acceptance' }, s.clerk);
});
