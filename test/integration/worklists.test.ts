// Worklists a clerk can read: each case names its 经办人 (who accepted it, or registered it while
// it waits), and 我最近办理的案件 lists the cases this person registered or moved, the one acted on
// last first, and only the cases they may see.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { beijingRider, staff, withCheckDigit } from '../helpers/intake';

let t: TestCore;
let s: Awaited<ReturnType<typeof staff>>;
beforeEach(async () => {
  t = makeTestCore();
  s = await staff(t, await setupAdmin(t));
});
afterEach(async () => {
  await t.cleanup();
});

describe('worklists', () => {
  it('name the handler and list my recent cases, the last acted on first', async () => {
    const first = (await t.call('cases.register', beijingRider(), s.clerk)).caseId;
    const other = beijingRider({ idNumber: withCheckDigit('11010819900101123') });
    other.worker.name = '李四';
    other.applicant.name = '李四';
    other.accident.orders = [{ ...other.accident.orders[0]!, orderNo: 'MT20261120-0002' }];
    const second = (await t.call('cases.register', other, s.both)).caseId;
    expect((await t.call('cases.recent', {}, s.clerk)).map((c) => c.id)).toEqual([first]);
    expect(await t.call('cases.recent', {}, s.officer)).toEqual([]);

    // The clerk accepts the second case (registered by 兼岗丙): it becomes the clerk's latest, handled by the clerk.
    t.clock.set(new Date(t.clock.now().getTime() + 60_000));
    const c = await t.call('cases.get', { caseId: second }, s.clerk);
    await t.call(
      'cases.setMaterials',
      { caseId: second, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
      s.clerk,
    );
    const v = (await t.call('cases.get', { caseId: second }, s.clerk)).version;
    await t.call('cases.transition', { caseId: second, action: 'accept', expectedVersion: v }, s.clerk);
    const recent = await t.call('cases.recent', { limit: 10 }, s.clerk);
    expect(recent.map((r) => r.id)).toEqual([second, first]);
    expect(recent[0]!.lastActedAt >= recent[1]!.lastActedAt).toBe(true);

    const queue = await t.call('cases.queue', { queue: 'intake' }, s.clerk);
    expect(queue.find((r) => r.id === first)?.handlerName).toBe('受理员甲');
    const confirmation = await t.call('cases.queue', { queue: 'confirmation' }, s.officer);
    expect(confirmation.find((r) => r.id === second)?.handlerName).toBe('受理员甲');
    // 兼岗丙 registered it, so it is in their recent cases too.
    expect((await t.call('cases.recent', {}, s.both)).map((r) => r.id)).toEqual([second]);
  });
});
