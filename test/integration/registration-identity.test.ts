// One ID number, one person: a blank ID number is refused (such claimants would share one
// worker record and overwrite each other's name), a known ID number under another name asks the
// clerk instead of renaming the person on all their cases, and an empty platform is refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { beijingRider, staff, RIDER_ID } from '../helpers/intake';
import { storeState } from '../helpers/store-state';
import type { Registration } from '../../shared/api/methods/cases';

let t: TestCore;
let s: Awaited<ReturnType<typeof staff>>;
beforeEach(async () => {
  t = makeTestCore();
  s = await staff(t, await setupAdmin(t));
});
afterEach(async () => {
  await t.cleanup();
});

function rider(change: (r: Registration) => void, accidentAt?: string): Registration {
  const r = beijingRider(accidentAt ? { accidentAt } : {});
  change(r);
  return r;
}

async function refused(input: unknown, path: string, says: RegExp, code = 'INVALID_INPUT') {
  const before = storeState(t.store.sqlite).tables;
  const err = await t.fail('cases.register', input, s.clerk);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(says);
  expect(err.fields?.map((f) => f.path)).toContain(path);
  expect(storeState(t.store.sqlite).tables).toEqual(before);
  return err;
}

describe('the ID number', () => {
  it.each([
    ['empty', ''],
    ['blank', '   '],
  ])('is refused when %s, so claimants never share a worker', async (_what, idNumber) => {
    await refused(
      rider((r) => (r.worker.idNumber = idNumber)),
      'worker.idNumber',
      /请填写身份证号码/,
    );
    expect(t.store.sqlite.prepare('SELECT COUNT(*) n FROM workers').get()).toEqual({ n: 0 });
  });
});

describe('a known ID number under another name', () => {
  it('is refused with the registered name, renaming nobody, and the live check says so first', async () => {
    const first = await t.call('cases.register', beijingRider(), s.clerk);
    const other = rider((r) => (r.worker.name = '单同'), '2026-11-21T09:00');
    other.accident.orders[0]!.acceptedAt = '2026-11-21T08:40';
    const assessment = await t.call('intake.assess', { draft: other }, s.clerk);
    expect(assessment.registeredName).toBe('单通');
    const err = await refused(other, 'confirmRename', /已登记的姓名为“单通”，与本次填写的“单同”不一致/, 'CONFLICT');
    expect(err.fields).toContainEqual({ path: 'worker.name', message: '该身份证号码已登记的姓名为“单通”' });
    expect((await t.call('cases.get', { caseId: first.caseId }, s.clerk)).worker.name).toBe('单通');
  });

  it('renames the person on all their cases only when the clerk confirms, audited, and search follows', async () => {
    const first = await t.call('cases.register', beijingRider(), s.clerk);
    const other = rider((r) => (r.worker.name = '单同'), '2026-11-21T09:00');
    other.accident.orders[0]!.acceptedAt = '2026-11-21T08:40';
    const second = await t.call('cases.register', { ...other, confirmRename: true }, s.clerk);
    for (const caseId of [first.caseId, second.caseId]) expect((await t.call('cases.get', { caseId }, s.clerk)).worker.name).toBe('单同');
    expect((await t.call('cases.search', { q: '单同', limit: 10 }, s.clerk)).map((c) => c.id).sort()).toEqual(
      [first.caseId, second.caseId].sort(),
    );
    expect(await t.call('cases.search', { q: '单通', limit: 10 }, s.clerk)).toEqual([]);
    const entry = t.store.sqlite.prepare("SELECT summary FROM audit_log WHERE method = 'cases.register' ORDER BY seq DESC").get() as {
      summary: string;
    };
    expect(entry.summary).toContain('更正了该身份证号码已登记人员的姓名');
    expect(t.store.sqlite.prepare('SELECT COUNT(*) n FROM workers WHERE id_number = ?').get(RIDER_ID)).toEqual({ n: 1 });
  });

  it('is no question when the name matches', async () => {
    await t.call('cases.register', beijingRider(), s.clerk);
    const again = beijingRider({ accidentAt: '2026-11-21T09:00' });
    again.accident.orders[0]!.acceptedAt = '2026-11-21T08:40';
    expect((await t.call('intake.assess', { draft: again }, s.clerk)).registeredName).toBeNull();
    await t.call('cases.register', again, s.clerk);
  });
});

describe('platforms', () => {
  it.each([
    ['an empty platform among the worker’s platforms', (r: Registration) => (r.worker.platforms = ['meituan', '']), 'worker.platforms.1'],
    ['a blank platform', (r: Registration) => (r.worker.platforms = ['  ']), 'worker.platforms.0'],
    ['an order without a platform', (r: Registration) => (r.accident.orders[0]!.platform = ''), 'accident.orders.0.platform'],
  ])('refuses %s', async (_what, change, path) => {
    await refused(rider(change), path, /平台/);
  });
});
