// Least privilege through the RPC: each role sees the cases and the part of the person its work
// needs (the matrix of shared/cases/access.ts and docs/architecture.md), and an 鉴定专家 sees
// only the cases of the hearings they sit on, through the account linked to their pool record.
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, signIn, type TestCore } from '../helpers/core';
import { beijingRider, RIDER_ID } from '../helpers/intake';
import { hearingScene, STAFF_PASSWORD } from '../helpers/appraisal';
import { storeState } from '../helpers/store-state';
import { ROLES, type Role } from '../../shared/roles';
import { ROLE_CASE_RIGHTS } from '../../shared/cases/access';

let t: TestCore;
let admin: string;
let scene: Awaited<ReturnType<typeof hearingScene>>;
/** A case on no hearing. */
let other: string;
let onPanel: string;
let offPanel: string;
let unlinked: string;
let docA: string;
let docB: string;
let attachmentA: string;
let attachmentB: string;

const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex').toString('base64');
const png2 = Buffer.from('89504e470d0a1a0a0000000d4948445200000002', 'hex').toString('base64');

beforeAll(async () => {
  t = makeTestCore();
  admin = await setupAdmin(t);
  scene = await hearingScene(t, admin);
  other = (await t.call('cases.register', beijingRider({ accidentAt: '2026-11-20T13:30' }), scene.clerk)).caseId;
  await t.call(
    'numbering.addBlock',
    { series: 'intake', pattern: '宁职伤受〔{year}〕{seq}号', issuer: '西宁市人社局', year: 2026, first: 1, last: 99 },
    admin,
  );
  docA = (await t.call('notices.issueForCase', { caseId: scene.caseId, type: 'acceptance' }, scene.clerk)).id;
  // The other case accepted so it has a notice too.
  let c = await t.call('cases.get', { caseId: other }, scene.clerk);
  await t.call(
    'cases.setMaterials',
    { caseId: other, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
    scene.clerk,
  );
  c = await t.call('cases.get', { caseId: other }, scene.clerk);
  await t.call('cases.transition', { caseId: other, action: 'accept', expectedVersion: c.version }, scene.clerk);
  docB = (await t.call('notices.issueForCase', { caseId: other, type: 'acceptance' }, scene.clerk)).id;
  attachmentA = (
    await t.call('cases.attach', { caseId: scene.caseId, materialCode: null, filename: 'a.png', dataBase64: png }, scene.clerk)
  ).attachmentId;
  attachmentB = (await t.call('cases.attach', { caseId: other, materialCode: null, filename: 'b.png', dataBase64: png2 }, scene.clerk))
    .attachmentId;

  const experts = await t.call('experts.list', {}, admin);
  const inPanel = experts.find((e) => scene.panel.some((p) => p.id === e.id))!;
  const notInPanel = experts.find((e) => !scene.panel.some((p) => p.id === e.id))!;
  const make = async (username: string) =>
    (await t.call('users.create', { username, displayName: username, password: STAFF_PASSWORD, roles: ['appraisal_expert'] }, admin))
      .userId;
  await t.call('experts.save', { ...inPanel, userId: await make('expert-in') }, admin);
  await t.call('experts.save', { ...notInPanel, userId: await make('expert-out') }, admin);
  await make('expert-none');
  onPanel = await signIn(t, 'expert-in', STAFF_PASSWORD);
  offPanel = await signIn(t, 'expert-out', STAFF_PASSWORD);
  unlinked = await signIn(t, 'expert-none', STAFF_PASSWORD);
});
afterAll(async () => {
  await t.cleanup();
});

describe('an appraisal expert', () => {
  it('sees the hearings they sit on and their cases, with ID number and phone masked', async () => {
    expect((await t.call('hearings.list', {}, onPanel)).map((h) => h.id)).toEqual([scene.hearingId]);
    expect((await t.call('hearings.get', { hearingId: scene.hearingId }, onPanel)).items.map((i) => i.caseId)).toEqual([scene.caseId]);
    expect((await t.call('hearings.sheet', { hearingId: scene.hearingId, caseId: scene.caseId }, onPanel)).opinions).toHaveLength(3);
    const c = await t.call('cases.get', { caseId: scene.caseId }, onPanel);
    expect(c.worker.idNumber).toBe(`${RIDER_ID.slice(0, 6)}********${RIDER_ID.slice(-4)}`);
    expect(c.worker.phone).toBe('138****8000');
    expect(JSON.stringify(c)).not.toContain(RIDER_ID);
    expect(JSON.stringify(c)).not.toContain('13800138000');
    expect(c.canOpenAttachments).toBe(true);
    expect((await t.call('cases.attachment', { attachmentId: attachmentA }, onPanel)).filename).toBe('a.png');
    expect((await t.call('notices.list', {}, onPanel)).map((d) => d.id)).toEqual([docA]);
    expect((await t.call('notices.get', { id: docA }, onPanel)).documentNo).toBeTruthy();
    expect((await t.call('cases.search', { q: '', limit: 50 }, onPanel)).map((s) => s.id)).toEqual([scene.caseId]);
    expect((await t.call('cases.search', { q: '单通', limit: 50 }, onPanel)).map((s) => s.id)).toEqual([scene.caseId]);
  });

  it('cannot find a person by ID number or phone, since it cannot see them', async () => {
    expect(await t.call('cases.search', { q: RIDER_ID, limit: 50 }, onPanel)).toEqual([]);
    expect(await t.call('cases.search', { q: '13800138000', limit: 50 }, onPanel)).toEqual([]);
    expect(await t.call('cases.search', { q: RIDER_ID.slice(-6), limit: 50 }, onPanel)).toEqual([]);
  });

  it('is refused any case, document, scan or hearing outside their hearings, with nothing written', async () => {
    const before = storeState(t.store.sqlite).tables;
    for (const [method, input] of [
      ['cases.get', { caseId: other }],
      ['cases.attachment', { attachmentId: attachmentB }],
      ['cases.documentData', { caseId: other, type: 'acceptance' }],
      ['appraisal.requests', { caseId: other }],
      ['notices.get', { id: docB }],
      ['notices.list', { caseId: other }],
      ['print.start', { ids: [docA, docB] }],
    ] as const) {
      const err = await t.fail(method, input, onPanel);
      expect(err.code, method).toBe('FORBIDDEN');
      expect(err.message).toContain('自己参加的鉴定专场');
    }
    for (const token of [offPanel, unlinked]) {
      expect(await t.call('hearings.list', {}, token)).toEqual([]);
      expect((await t.fail('hearings.get', { hearingId: scene.hearingId }, token)).code).toBe('FORBIDDEN');
      expect((await t.fail('hearings.sheet', { hearingId: scene.hearingId, caseId: scene.caseId }, token)).code).toBe('FORBIDDEN');
      expect((await t.fail('cases.get', { caseId: scene.caseId }, token)).code).toBe('FORBIDDEN');
      expect(await t.call('cases.search', { q: '', limit: 50 }, token)).toEqual([]);
      expect(await t.call('cases.queue', { queue: 'appraisal' }, token)).toEqual([]);
      expect(await t.call('notices.list', {}, token)).toEqual([]);
    }
    expect(storeState(t.store.sqlite).tables).toEqual(before);
  });
});

describe('the role × data matrix', () => {
  it.each(ROLES.filter((r) => r !== 'appraisal_expert'))(
    '%s sees what shared/cases/access.ts grants, through the RPC',
    async (role: Role) => {
      const username = `m-${role.replace(/_/g, '-')}`;
      await t.call('users.create', { username, displayName: username, password: STAFF_PASSWORD, roles: [role] }, admin);
      const token = await signIn(t, username, STAFF_PASSWORD);
      const rights = ROLE_CASE_RIGHTS[role]!;
      for (const caseId of [scene.caseId, other]) {
        const c = await t.call('cases.get', { caseId }, token);
        expect(c.worker.idNumber === RIDER_ID, `${role} full ID`).toBe(rights.fullIdentity);
        expect(c.worker.phone === '13800138000', `${role} full phone`).toBe(rights.fullIdentity);
        expect(c.canOpenAttachments).toBe(rights.attachments);
      }
      const open = await t.dispatch({ method: 'cases.attachment', input: { attachmentId: attachmentB }, sessionToken: token });
      expect(open.ok, `${role} opens scans`).toBe(rights.attachments);
      const byId = await t.call('cases.search', { q: RIDER_ID, limit: 50 }, token);
      expect(byId.length > 0, `${role} finds by ID number`).toBe(rights.fullIdentity);
    },
  );
});

describe('linking an expert account', () => {
  it('takes only an account with the 鉴定专家 role, one expert per account, writing nothing when refused', async () => {
    const experts = await t.call('experts.list', {}, admin);
    const linked = experts.find((e) => e.userId !== null)!;
    const free = experts.find((e) => e.userId === null)!;
    const clerk = await t.call('auth.me', {}, scene.clerk);
    const before = storeState(t.store.sqlite).tables;
    const notExpert = await t.fail('experts.save', { ...free, userId: clerk.user.id }, admin);
    expect(notExpert).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('鉴定专家') });
    const twice = await t.fail('experts.save', { ...free, userId: linked.userId }, admin);
    expect(twice.code).toBe('CONFLICT');
    expect(storeState(t.store.sqlite).tables).toEqual(before);
    expect((await t.fail('experts.save', { ...free, userId: linked.userId }, scene.secretary)).code).toBe('FORBIDDEN');
  });
});
