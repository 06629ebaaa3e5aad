// Reference data owned by the centre, end to end over a real centre (PGlite) and real device
// stores: a rule pack published on the centre is in force on the device after its next sync,
// without a restart, and recorded with what it computes; items with a bad schema, a bad signature
// or another key's signature are refused whole and the previous version stays; the platform list
// and the expert pool land in their tables; accounts come down with verifiers only, sign in on
// any laptop of the office, and a central deactivation ends the person's sessions at the next
// sync; `reference list` prints each kind with its version and source.
import { beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { generateKeyPairSync, sign } from 'node:crypto';
import { sql } from 'kysely';
import { makeTestCore, setupAdmin, signIn, type TestCore } from '../helpers/core';
import { useFileCentre, resetCentral, ROOT, type TestCentre } from '../helpers/central';
import { makeEnrolCode } from '../../central/core/enrolment';
import { publishReference } from '../../central/core/reference';
import { passwordVerifier } from '../../central/core/accounts';
import { runAdmin } from '../../central/admin-socket';
import { ensureCentreKey, signWithCentreKey } from '../../central/core/centre-key';
import { referenceSigningBytes } from '../../shared/reference/items';
import { ruleData } from '../../electron/core/cases/rule-data';
import { command as referenceCli } from '../../electron/cli/reference';
import { appraise, confirmedCase, office } from '../helpers/legal';
import { enrolledDevice } from '../helpers/enrolled';

let centre: TestCentre;
const cores: TestCore[] = [];
const OFFICE = '西宁市社保经办';

const bundledPack = () =>
  JSON.parse(fs.readFileSync(path.join(ROOT, 'resources/rules/qinghai-2026.json'), 'utf8')) as Record<string, unknown>;

useFileCentre((c) => (centre = c), cores);
beforeEach(async () => {
  await resetCentral(centre.db);
  await sql`TRUNCATE reference_items, central_accounts`.execute(centre.db);
});

const device = (office = OFFICE) => enrolledDevice(centre, cores, office, '办公室台式机');

async function sync(t: TestCore, token: string) {
  const r = await t.call('sync.now', {}, token);
  expect(r.errors).toEqual([]);
  return r;
}

/** Stores an item on the centre as given (for items the publish path would never sign). */
async function forge(item: Record<string, unknown>, signature: string, keyId = 'forged') {
  await sql`INSERT INTO reference_items (kind, item_id, version, revision, office_id, published_at, body, key_id, signature)
    VALUES (${item.kind as string}, ${item.itemId as string}, ${item.version as string}, ${item.revision as number}, NULL,
            ${item.publishedAt as string}, ${JSON.stringify(item.body)}, ${keyId}, ${signature})`.execute(centre.db);
}

describe('reference data from the centre', () => {
  it('a published rule pack and calendar are in force after the next sync, without a restart', async () => {
    const { t, admin } = await device();
    const before = await t.call('rules.packs', {}, admin);
    expect(before.find((p) => p.id === 'qinghai-2026')).toMatchObject({ source: 'bundled' });

    const pack = bundledPack();
    pack.version = '2026.9.0';
    const pub = await runAdmin(centre.db, centre.clock, { command: 'publish', kind: 'rule_pack', body: pack });
    expect(pub).toMatchObject({ kind: 'rule_pack', itemId: 'qinghai-2026', version: '2026.9.0', revision: 1 });

    await sync(t, admin);
    const after = await t.call('rules.packs', {}, admin);
    expect(after.find((p) => p.id === 'qinghai-2026')).toMatchObject({ version: '2026.9.0', source: 'centre' });
    // The case services read the same (no cache of the old version survives the install).
    const rules = await ruleData(t.store.db, 'qinghai');
    expect(rules.packs.find((p) => p.id === 'qinghai-2026')?.version).toBe('2026.9.0');

    // A calendar with a new year reaches the device as data.
    const cal = JSON.parse(fs.readFileSync(path.join(ROOT, 'resources/calendar/cn-workdays.json'), 'utf8')) as {
      version: string;
      years: Record<string, unknown>;
    };
    cal.version = '2027.01.01';
    cal.years['2027'] = {
      source: '国务院办公厅关于2027年部分节假日安排的通知（测试数据）',
      status: 'unconfirmed',
      holidays: ['2027-01-01'],
      workdays: [],
    };
    await publishReference(centre.db, centre.clock, { kind: 'calendar', body: cal });
    await sync(t, admin);
    expect((await ruleData(t.store.db, 'qinghai')).calendar).toMatchObject({ version: '2027.01.01' });
    expect((await ruleData(t.store.db, 'qinghai')).calendar.coveredYears).toContain(2027);
  });

  it('a determination prepared after the centre pack arrived records that pack and version', async () => {
    const t = makeTestCore();
    cores.push(t);
    const o = await office(t);
    const { code } = await makeEnrolCode(centre.db, centre.clock, { office: OFFICE });
    await t.call('sync.enrol', { url: centre.url, code, deviceName: '待遇科电脑' }, o.admin);
    const caseId = await confirmedCase(t, o);
    await appraise(t, o, caseId, 8);
    const pack = bundledPack();
    pack.version = '2026.9.9';
    await publishReference(centre.db, centre.clock, { kind: 'rule_pack', body: pack });
    await sync(t, o.admin);
    await t.call('determinations.prepare', { caseId, figures: { provincialPrivateAnnualWage: '72000' } }, o.benefits);
    const [d] = await t.call('determinations.list', { caseId }, o.benefits);
    expect((d!.result as { rulePack: { id: string; version: string } }).rulePack).toMatchObject({
      id: 'qinghai-2026',
      version: '2026.9.9',
    });
  });

  it('the centre refuses a body that fails its schema and stores nothing', async () => {
    const pack = bundledPack();
    delete pack.parameters;
    await expect(publishReference(centre.db, centre.clock, { kind: 'rule_pack', body: pack })).rejects.toThrow(/规则包格式不正确/);
    await expect(publishReference(centre.db, centre.clock, { kind: 'weather', body: {} })).rejects.toThrow(/未知的参考数据种类/);
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM reference_items`.execute(centre.db);
    expect(n.rows[0]!.n).toBe(0);
  });

  it('refuses whole an item with a bad schema, a bad signature or another key, and keeps the version in force', async () => {
    const { t, admin } = await device();
    const good = bundledPack();
    good.version = '2026.5.0';
    await publishReference(centre.db, centre.clock, { kind: 'rule_pack', body: good });
    await sync(t, admin);

    const key = await ensureCentreKey(centre.db, centre.clock);
    const base = { kind: 'rule_pack', itemId: 'qinghai-2026', office: null, publishedAt: '2026-11-24T10:00:00.000+08:00' };
    // 1. Signed by the centre, but the body breaks the schema (a rate as a JSON number).
    const bad = bundledPack();
    bad.version = '2026.6.0';
    (bad.parameters as { base: { wageShare: unknown } }).base.wageShare = 0.6;
    const badItem = { ...base, version: '2026.6.0', revision: 2, body: bad };
    await forge(badItem, signWithCentreKey(key, referenceSigningBytes(badItem as never)), key.keyId);
    // 2. Signed by the centre, then altered on the way.
    const tampered = bundledPack();
    tampered.version = '2026.7.0';
    const tItem = { ...base, version: '2026.7.0', revision: 3, body: tampered };
    const tSig = signWithCentreKey(key, referenceSigningBytes(tItem as never));
    (tampered.statistics as Record<string, unknown>).tampered = true;
    await forge(tItem, tSig, key.keyId);
    // 3. A well-formed item signed by another key that names the centre's key id.
    const other = generateKeyPairSync('ed25519');
    const oPack = bundledPack();
    oPack.version = '2026.8.0';
    const oItem = { ...base, version: '2026.8.0', revision: 4, body: oPack };
    await forge(oItem, sign(null, referenceSigningBytes(oItem as never), other.privateKey).toString('base64'), key.keyId);

    await sync(t, admin);
    const list = await t.call('reference.list', {}, admin);
    expect(list.items.find((i) => i.itemId === 'qinghai-2026')).toMatchObject({ version: '2026.5.0', source: 'centre' });
    expect(list.rejections).toHaveLength(3);
    for (const r of list.rejections) expect(r.message).toMatch(/拒收/);
    expect(list.rejections.filter((r) => r.message.includes('签名'))).toHaveLength(2);
    expect(list.rejections.find((r) => r.version === '2026.6.0')?.message).toMatch(/格式不正确/);
    expect((await ruleData(t.store.db, 'qinghai')).packs.find((p) => p.id === 'qinghai-2026')?.version).toBe('2026.5.0');

    // The next good publication supersedes them.
    const next = bundledPack();
    next.version = '2026.10.0';
    await publishReference(centre.db, centre.clock, { kind: 'rule_pack', body: next });
    await sync(t, admin);
    expect((await ruleData(t.store.db, 'qinghai')).packs.find((p) => p.id === 'qinghai-2026')?.version).toBe('2026.10.0');

    // An older revision, genuinely signed (a replay, or a downgrade), is not taken.
    const old = bundledPack();
    old.version = '2026.3.0';
    const oldItem = { ...base, version: '2026.3.0', revision: 3, body: old };
    // (kind, item, revision) is unique at the centre: free the slot of the tampered revision 3 for it.
    await sql`DELETE FROM reference_items WHERE revision = 3`.execute(centre.db);
    await forge(oldItem, signWithCentreKey(key, referenceSigningBytes(oldItem as never)), key.keyId);
    await sync(t, admin);
    expect((await ruleData(t.store.db, 'qinghai')).packs.find((p) => p.id === 'qinghai-2026')?.version).toBe('2026.10.0');
    expect((await t.call('reference.list', {}, admin)).rejections[0]!.message).toMatch(/不比本机现行的新/);
  });

  it('the platform list and the expert pool land in their tables', async () => {
    const { t, admin } = await device();
    await publishReference(centre.db, centre.clock, {
      kind: 'platforms',
      body: {
        version: '2026.11',
        platforms: [
          {
            code: 'meituan',
            name: '美团',
            legalName: '北京三快在线科技有限公司',
            creditCode: '91110108551385082Q',
            industry: 'instant_delivery',
          },
        ],
      },
    });
    await publishReference(centre.db, centre.clock, {
      kind: 'experts',
      body: {
        version: '2026.11',
        experts: [
          {
            id: '0193a5b0-0000-7000-8000-0000000e0001',
            name: '王医生',
            organisation: '青海省人民医院',
            categories: ['ortho'],
            departments: ['骨科'],
            available: true,
            platformTies: [],
          },
        ],
      },
    });
    await sync(t, admin);
    const platforms = await t.call('platforms.list', {}, admin);
    expect(platforms.find((p) => p.code === 'meituan')).toMatchObject({
      legalName: '北京三快在线科技有限公司',
      creditCode: '91110108551385082Q',
    });
    expect(platforms.filter((p) => p.active).map((p) => p.code)).toEqual(['meituan']);
    const experts = t.store.sqlite.prepare('SELECT id, name FROM experts').all();
    expect(experts).toEqual([{ id: '0193a5b0-0000-7000-8000-0000000e0001', name: '王医生' }]);
    // Centre rows do not travel back as this device's changes.
    expect(t.store.sqlite.prepare("SELECT count(*) AS n FROM sync_outbox WHERE status = 'pending'").get()).toEqual({ n: 0 });
  });

  it('prints each kind with its version and source (CLI reference list)', async () => {
    const { t, admin } = await device();
    const pack = bundledPack();
    pack.version = '2026.9.1';
    await publishReference(centre.db, centre.clock, { kind: 'rule_pack', body: pack });
    await sync(t, admin);
    const out: string[] = [];
    const code = await referenceCli.run(
      { positionals: ['list'], flags: { data: t.dir } },
      { stdout: (x) => out.push(x), stderr: () => undefined },
    );
    expect(code).toBe(0);
    const printed = JSON.parse(out.join('')) as {
      kinds: { kind: string; item: string | null; version: string | null; source: string | null }[];
    };
    expect(printed.kinds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'rule_pack', item: 'qinghai-2026', version: '2026.9.1', source: 'centre' }),
        expect.objectContaining({ kind: 'rule_pack', item: 'shandong-2025', source: 'bundled' }),
        expect.objectContaining({ kind: 'calendar', source: 'bundled' }),
        expect.objectContaining({ kind: 'catalogue', source: 'bundled' }),
        expect.objectContaining({ kind: 'accounts', version: null, source: null }),
      ]),
    );
  });
});

describe('accounts owned by the centre', () => {
  it('come down with verifiers only, sign in on any laptop of the office, and a central deactivation ends sessions', async () => {
    const A = await device();
    const B = await device();
    const other = await device('海东市社保经办');
    const verifier = await passwordVerifier('Clerk-pass-2026', 10);
    const accounts = (active: boolean) => ({
      version: active ? '1' : '2',
      users: [
        {
          id: '0193a5b0-0000-7000-8000-00000000c1e1',
          username: 'zhangsan',
          displayName: '张三',
          roles: ['intake_clerk'],
          active,
          verifier,
        },
      ],
    });
    await publishReference(centre.db, centre.clock, { kind: 'accounts', office: OFFICE, body: accounts(true) });
    for (const d of [A, B, other]) await sync(d.t, d.admin);

    const onA = await signIn(A.t, 'zhangsan', 'Clerk-pass-2026');
    const onB = await signIn(B.t, 'zhangsan', 'Clerk-pass-2026');
    expect((await A.t.call('auth.me', {}, onA)) as unknown).toBeTruthy();
    // Another office's laptop did not receive them.
    expect((await other.t.call('auth.login', { username: 'zhangsan', password: 'Clerk-pass-2026' })).ok).toBe(false);
    // The store holds the verifier, never the password.
    const row = A.t.store.sqlite.prepare("SELECT password_hash FROM users WHERE id = '0193a5b0-0000-7000-8000-00000000c1e1'").get() as {
      password_hash: string;
    };
    expect(row.password_hash).toBe(verifier.hash);

    // The centre decides their roles, password and status: a local edit is refused.
    expect((await A.t.fail('users.update', { userId: '0193a5b0-0000-7000-8000-00000000c1e1', roles: ['admin'] }, A.admin)).message).toMatch(
      /中心统一管理/,
    );

    // The clerk's work is accepted by the centre (its own record of the account).
    const caseInput = (await import('../helpers/intake')).beijingRider();
    await A.t.call('cases.register', caseInput, onA);
    const pushed = await sync(A.t, A.admin);
    expect(pushed.rejected).toBe(0);

    await publishReference(centre.db, centre.clock, { kind: 'accounts', office: OFFICE, body: accounts(false) });
    await sync(A.t, A.admin);
    expect((await A.t.fail('auth.me', {}, onA)).code).toBe('UNAUTHENTICATED');
    expect((await A.t.call('auth.login', { username: 'zhangsan', password: 'Clerk-pass-2026' })).ok).toBe(false);
    // B has not synced yet: still signed in; its next sync ends the session.
    expect(await B.t.call('auth.me', {}, onB)).toBeTruthy();
    await sync(B.t, B.admin);
    expect((await B.t.fail('auth.me', {}, onB)).code).toBe('UNAUTHENTICATED');
  });

  it('local accounts keep working on a device that is not enrolled', async () => {
    const t = makeTestCore();
    cores.push(t);
    const admin = await setupAdmin(t);
    expect((await t.call('sync.status', {}, admin)).configured).toBe(false);
    expect((await t.call('rules.packs', {}, admin)).length).toBeGreaterThan(0);
  });
});
