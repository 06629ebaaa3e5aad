// The audit chain survives any text: every string an RPC input carries is put into NFC or
// refused in one pass of the dispatcher (lone UTF-16 surrogates, which SQLite cannot store as
// given), names, file names and reasons refuse control, direction-override and zero-width
// characters, and an entry is hashed over exactly the text SQLite stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { beijingRider, staff } from '../helpers/intake';
import { storeState } from '../helpers/store-state';
import { appendAudit } from '../../electron/core/audit';

let t: TestCore;
let admin: string;
beforeEach(async () => {
  t = makeTestCore();
  admin = await setupAdmin(t);
});
afterEach(async () => {
  await t.cleanup();
});

const LONE_HIGH = '\uD83D';
const LONE_LOW = '\uDE00';

async function verified(): Promise<void> {
  expect(await t.call('audit.verify', {}, admin)).toMatchObject({ ok: true, firstBroken: null });
}

async function refusedWithNothingWritten(
  method: Parameters<TestCore['fail']>[0],
  input: unknown,
  token: string,
  path: string,
  says: RegExp,
) {
  const before = storeState(t.store.sqlite);
  const err = await t.fail(method, input, token);
  expect(err.code).toBe('INVALID_INPUT');
  expect(err.message).toMatch(says);
  expect(err.fields?.map((f) => f.path)).toContain(path);
  expect(storeState(t.store.sqlite)).toEqual(before);
}

describe('lone surrogates', () => {
  it('refuses one in a transition reason, a hospital name and the agency name; the chain still verifies', async () => {
    const s = await staff(t, admin);
    const { caseId } = await t.call('cases.register', beijingRider(), s.clerk);
    const c = await t.call('cases.get', { caseId }, s.clerk);
    await refusedWithNothingWritten(
      'cases.transition',
      { caseId, action: 'withdraw', expectedVersion: c.version, reason: `本人撤回${LONE_HIGH}` },
      s.clerk,
      'reason',
      /不完整的 Unicode 代理项/,
    );
    await refusedWithNothingWritten(
      'bills.add',
      {
        caseId,
        billDate: '2026-11-20',
        hospital: `北京大学${LONE_LOW}第三医院`,
        invoiceNo: 'FP-1',
        amount: '302.00',
        eligible: '302.00',
        submittedDate: '2026-11-23',
      },
      s.clerk,
      'hospital',
      /不完整的 Unicode 代理项/,
    );
    await refusedWithNothingWritten('settings.update', { agencyName: `西宁市${LONE_HIGH}` }, admin, 'agencyName', /代理项/);
    // A lone surrogate in an object key is refused too.
    await refusedWithNothingWritten('settings.update', { [`x${LONE_HIGH}`]: 1 }, admin, `x${LONE_HIGH}`, /代理项/);
    await verified();
  });

  it('hashes an entry over the text as stored, so one built with a lone surrogate still verifies', async () => {
    // Entries are also built from stored data and by other devices; the dispatcher is not the only writer.
    await t.store.db.transaction().execute((trx) =>
      appendAudit(trx, {
        at: '2026-11-24T10:00:00+08:00',
        actorId: null,
        actorName: `操作员${LONE_HIGH}`,
        method: 'test.append',
        action: '测试',
        entity: null,
        entityId: null,
        summary: `摘要${LONE_LOW}结束`,
      }),
    );
    const row = t.store.sqlite.prepare("SELECT summary FROM audit_log WHERE method = 'test.append'").get() as { summary: string };
    expect(row.summary).toBe('摘要\uFFFD结束');
    await verified();
  });
});

describe('invisible and control characters', () => {
  it.each([
    ['a right-to-left override in a name', '王\u202E五'],
    ['a zero-width space in a name', '王\u200B五'],
    ['a line break in a name', '王\n五'],
    ['a NUL in a name', '王\u0000五'],
    ['an escape character in a name', '王\u001b[31m五'],
  ])('refuses %s with a clear message', async (_what, displayName) => {
    await refusedWithNothingWritten(
      'users.create',
      { username: 'wangwu', displayName, password: 'Valid-pass-2026', roles: ['intake_clerk'] },
      admin,
      'displayName',
      /请删除后重新输入/,
    );
  });

  it('refuses a file name that would display reversed, and an agency name with a zero-width joiner', async () => {
    const s = await staff(t, admin);
    const { caseId } = await t.call('cases.register', beijingRider(), s.clerk);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');
    await refusedWithNothingWritten(
      'cases.attach',
      { caseId, materialCode: null, filename: '身份证\u202Egnp.exe', dataBase64: png },
      s.clerk,
      'filename',
      /方向控制符/,
    );
    await refusedWithNothingWritten('settings.update', { agencyName: '西宁市\u200D社保中心' }, admin, 'agencyName', /零宽字符/);
    await verified();
  });

  it('keeps line breaks where a field is a paragraph (a reason), and stores text in NFC', async () => {
    const s = await staff(t, admin);
    const { caseId } = await t.call('cases.register', beijingRider(), s.clerk);
    const c = await t.call('cases.get', { caseId }, s.clerk);
    await t.call(
      'cases.transition',
      { caseId, action: 'withdraw', expectedVersion: c.version, reason: '本人申请撤回。\n已当面确认。' },
      s.clerk,
    );
    const decomposed = 'A\u030Angstr\u00F6m 医院';
    await t.call('settings.update', { agencyName: decomposed }, admin);
    expect((await t.call('settings.get', {}, admin)).agencyName).toBe('\u00C5ngstr\u00F6m 医院');
    const after = await t.call('cases.get', { caseId }, s.clerk);
    expect(after.transitions.at(-1)?.reason).toBe('本人申请撤回。\n已当面确认。');
    await verified();
  });
});

describe('search terms', () => {
  it('treats a NUL or other control character in a search term as an ordinary "not found"', async () => {
    const s = await staff(t, admin);
    await t.call('cases.register', beijingRider(), s.clerk);
    for (const q of ['单\u0000通', '\u0000', '110108\u0000', 'MT2026\u0007']) {
      expect(await t.call('cases.search', { q, limit: 10 }, s.clerk)).toEqual([]);
    }
    expect(await t.call('cases.search', { q: '单通', limit: 10 }, s.clerk)).toHaveLength(1);
  });
});

describe('validation after authentication', () => {
  it('tells a stranger only that they must sign in, never what the input should look like', async () => {
    for (const [method, input] of [
      ['users.create', { username: 1 }],
      ['cases.register', null],
      ['cases.transition', 'garbage'],
      ['settings.update', { agencyName: LONE_HIGH }],
      ['audit.list', { limit: -1 }],
    ] as const) {
      const err = await t.fail(method, input, null);
      expect(err).toEqual({ code: 'UNAUTHENTICATED', message: '尚未登录或登录已过期，请重新登录' });
      const forged = await t.fail(method, input, 'not-a-session');
      expect(forged.code).toBe('UNAUTHENTICATED');
      expect(forged.fields).toBeUndefined();
    }
  });

  it('tells a signed-in user without the role only that they lack it', async () => {
    const s = await staff(t, admin);
    const err = await t.fail('users.create', { username: 'X Y', password: 1 }, s.clerk);
    expect(err.code).toBe('FORBIDDEN');
    expect(err.fields).toBeUndefined();
    expect(err.message).not.toMatch(/username|password|用户名需为/);
  });
});
