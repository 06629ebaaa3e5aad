// Scene-setting for appraisal tests: the staff of an appraisal committee, a confirmed claim
// whose appraisal was applied for and pre-checked (预审), four orthopaedic experts, a drawn panel of three and a
// session with the case assigned (as in appraisal-hearing.test.ts).
import type { TestCore } from './core';
import { signIn } from './core';
import { beijingRider, staff } from './intake';
import { CONFIRM, move, registered } from './desk';

export const STAFF_PASSWORD = 'Staff-pass-2026';
export const ITEM_45 = { code: '5.8.2(45)', text: '双侧≥3根肋骨骨折致胸廓畸形', grade: 8 };
export const ITEM_56 = { code: '5.8.2(56)', text: '脾部分切除', grade: 8 };

/** Creates the appraisal secretary and leader (usernames `secretary`, `leader`) and signs them in. */
export async function appraisalStaff(
  t: TestCore,
  admin: string,
  names: { secretary: string; leader: string } = { secretary: '鉴定秘书丁', leader: '鉴定组长戊' },
) {
  await t.call(
    'users.create',
    { username: 'secretary', displayName: names.secretary, password: STAFF_PASSWORD, roles: ['appraisal_secretary'] },
    admin,
  );
  await t.call(
    'users.create',
    { username: 'leader', displayName: names.leader, password: STAFF_PASSWORD, roles: ['appraisal_leader'] },
    admin,
  );
  return { secretary: await signIn(t, 'secretary', STAFF_PASSWORD), leader: await signIn(t, 'leader', STAFF_PASSWORD) };
}

/** A confirmed case whose appraisal the secretary has applied for (accident dates differ per case). */
export async function requestedCase(
  t: TestCore,
  who: { clerk: string; officer: string; secretary: string },
  accidentAt?: string,
): Promise<string> {
  const { caseId } = await t.call('cases.register', beijingRider(accidentAt ? { accidentAt } : {}), who.clerk);
  let c = await t.call('cases.get', { caseId }, who.clerk);
  await t.call(
    'cases.setMaterials',
    { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
    who.clerk,
  );
  c = await t.call('cases.get', { caseId }, who.clerk);
  await t.call('cases.transition', { caseId, action: 'accept', expectedVersion: c.version }, who.clerk);
  c = await t.call('cases.get', { caseId }, who.officer);
  await t.call(
    'cases.transition',
    { caseId, action: 'confirm', expectedVersion: c.version, reason: '送餐途中摔伤', article: '第十一条第（一）项' },
    who.officer,
  );
  c = await t.call('cases.get', { caseId }, who.secretary);
  await t.call('cases.transition', { caseId, action: 'request_appraisal', expectedVersion: c.version }, who.secretary);
  return caseId;
}

/** The 预审 with every material present, or all but the codes named missing. */
export async function precheck(t: TestCore, secretary: string, caseId: string, missing: string[] = []) {
  const { checklist } = await t.call('appraisal.requests', { caseId }, secretary);
  return t.call(
    'appraisal.precheck',
    {
      caseId,
      items: checklist.map((i) => ({ code: i.code, present: !missing.includes(i.code), note: missing.includes(i.code) ? '未提交' : '' })),
    },
    secretary,
  );
}

export async function hearingScene(t: TestCore, admin: string) {
  const s = await staff(t, admin);
  const { secretary, leader } = await appraisalStaff(t, admin);
  const caseId = await requestedCase(t, { ...s, secretary });
  await precheck(t, secretary, caseId);
  for (const name of ['李骨科', '王骨科', '孙骨科', '周骨科']) {
    await t.call(
      'experts.save',
      { id: null, name, organisation: `${name}医院`, categories: ['ortho'], departments: ['骨科'], available: true, platformTies: [] },
      admin,
    );
  }
  const { panel } = await t.call('appraisal.drawPanel', { caseId, size: 3, categories: ['ortho'] }, secretary);
  const { id: hearingId } = await t.call(
    'hearings.create',
    { date: '2026-11-24', venue: '西宁市劳动能力鉴定中心', committee: '西宁市劳动能力鉴定委员会', kind: 'initial' },
    secretary,
  );
  await t.call('hearings.assign', { hearingId, caseIds: [caseId] }, secretary);
  return { ...s, secretary, leader, caseId, hearingId, panel };
}

/** At the table: present, three opinions of grade 7 (two grade-8 items, promoted), signed by the leader. */
export async function gradeAndSign(
  t: TestCore,
  scene: { secretary: string; leader: string; hearingId: string; caseId: string; panel: { id: string }[] },
) {
  const { hearingId, caseId } = scene;
  await t.call('hearings.attendance', { hearingId, caseId, attendance: 'present', findings: '胸廓畸形，脾部分切除术后' }, scene.secretary);
  for (const p of scene.panel)
    await t.call(
      'hearings.opinion',
      { hearingId, caseId, expertId: p.id, items: [ITEM_45, ITEM_56], promotionApplied: true, promotionReason: '', nursingLevel: null },
      scene.secretary,
    );
  return t.call('hearings.sign', { hearingId, caseId, grade: 7, nursingLevel: null, advice: '' }, scene.leader);
}

/** Records the delivery (送达) of an issued document to a party, by hand, on the clock's day or the one given. */
export async function deliver(
  t: TestCore,
  token: string,
  documentId: string,
  party: 'worker' | 'platform',
  deliveredOn?: string,
  method: 'direct' | 'mail' | 'electronic' | 'public_notice' = 'direct',
) {
  const on = deliveredOn ?? t.clock.now().toISOString().slice(0, 10);
  return t.call(
    'deliveries.record',
    { documentId, party, method, deliveredOn: on, receiver: party === 'platform' ? '平台服务站经办人' : '单通', note: '' },
    token,
  );
}

/** Adds cases to a scene's hearing, each with its own person, confirmed, pre-checked, drawn, heard and signed at grade 7. */
export async function signedCasesOnHearing(
  t: TestCore,
  scene: { clerk: string; officer: string; secretary: string; leader: string; hearingId: string },
  names: string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) {
    const caseId = await registered(t, scene.clerk, { name, applicantKind: 'platform' });
    await move(t, scene.clerk, caseId, 'accept');
    await move(t, scene.officer, caseId, 'confirm', CONFIRM);
    await move(t, scene.secretary, caseId, 'request_appraisal');
    await precheck(t, scene.secretary, caseId);
    const { panel } = await t.call('appraisal.drawPanel', { caseId, size: 3, categories: ['ortho'] }, scene.secretary);
    await t.call('hearings.assign', { hearingId: scene.hearingId, caseIds: [caseId] }, scene.secretary);
    await gradeAndSign(t, { ...scene, caseId, panel });
    ids.push(caseId);
  }
  return ids;
}
