// Scenes for the legal paths (issue #14): the whole staff of an office (intake, confirmation,
// appraisal, benefits with both review rounds), document-number blocks, and a case taken to a
// given stage through the RPC as those people would.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import type { FrozenCore, TestCore } from './core';
import { freeze, makeTestCore, setupAdmin, signIn, thaw } from './core';
import { beijingRider, staff } from './intake';
import { appraisalStaff, STAFF_PASSWORD } from './appraisal';
import type { Registration } from '../../shared/api/methods/cases';

export interface Office {
  admin: string;
  clerk: string;
  officer: string;
  secretary: string;
  leader: string;
  benefits: string;
  reviewer: string;
  insurer: string;
  experts: { id: string; name: string }[];
}

const NUMBER_BLOCKS = [
  { series: 'intake', pattern: '宁职伤受〔{year}〕{seq}号', issuer: '西宁市社会保险服务中心' },
  { series: 'confirmation', pattern: '宁人社职伤确〔{year}〕{seq}号', issuer: '西宁市人力资源和社会保障局' },
  { series: 'appraisal', pattern: '宁劳鉴〔{year}〕第{seq:4}号', issuer: '西宁市劳动能力鉴定委员会' },
  { series: 'benefits', pattern: '宁职伤待〔{year}〕{seq}号', issuer: '西宁市社会保险服务中心' },
];

/** An office with everyone, number blocks for 2026–2028 and four orthopaedic experts. */
export async function office(t: TestCore): Promise<Office> {
  const admin = await setupAdmin(t);
  const s = await staff(t, admin);
  const { secretary, leader } = await appraisalStaff(t, admin);
  for (const [username, displayName, role] of [
    ['benefits', '待遇核定己', 'benefit_officer'],
    ['reviewer', '待遇复核庚', 'benefit_reviewer'],
    ['insurer', '社保复核辛', 'insurance_reviewer'],
  ] as const)
    await t.call('users.create', { username, displayName, password: STAFF_PASSWORD, roles: [role] }, admin);
  await t.call('settings.update', { agencyName: '西宁市社会保险服务中心' }, admin);
  for (const year of [2026, 2027, 2028])
    for (const b of NUMBER_BLOCKS) await t.call('numbering.addBlock', { ...b, year, first: 1, last: 999 }, admin);
  const experts = [];
  for (const name of ['李骨科', '王骨科', '孙骨科', '周骨科']) {
    const { id } = await t.call(
      'experts.save',
      { id: null, name, organisation: `${name}医院`, categories: ['ortho'], departments: ['骨科'], available: true, platformTies: [] },
      admin,
    );
    experts.push({ id, name });
  }
  return {
    admin,
    clerk: s.clerk,
    officer: s.officer,
    secretary,
    leader,
    benefits: await signIn(t, 'benefits', STAFF_PASSWORD),
    reviewer: await signIn(t, 'reviewer', STAFF_PASSWORD),
    insurer: await signIn(t, 'insurer', STAFF_PASSWORD),
    experts,
  };
}

/**
 * The office built once per test file (its beforeAll) and removed after it: `fresh()` gives a test
 * its own copy of the store and the office's own sign-ins (a test that signs people in again does
 * so on its copy only).
 */
export function officePerFile(start: Date): { fresh(): { t: TestCore; o: Office } } {
  let frozen: FrozenCore | undefined;
  let built: Office | undefined;
  beforeAll(async () => {
    const t = makeTestCore(start);
    built = await office(t);
    frozen = await freeze(t);
  });
  afterAll(() => {
    if (frozen) fs.rmSync(frozen.dir, { recursive: true, force: true });
  });
  return {
    fresh() {
      if (!frozen || !built) throw new Error('officePerFile: the office is not built yet (call fresh() in beforeEach)');
      return { t: thaw(frozen), o: built };
    },
  };
}

/** Signs everyone in again (after the clock moved past the idle lock). */
export async function signInAgain(t: TestCore, o: Office): Promise<Office> {
  const again = async (u: string) => signIn(t, u, u === 'admin' ? 'Admin-pass-2026' : STAFF_PASSWORD);
  return {
    ...o,
    admin: await again('admin'),
    clerk: await again('clerk'),
    officer: await again('officer'),
    secretary: await again('secretary'),
    leader: await again('leader'),
    benefits: await again('benefits'),
    reviewer: await again('reviewer'),
    insurer: await again('insurer'),
  };
}

export async function move(t: TestCore, token: string, caseId: string, action: string, extra: Record<string, unknown> = {}) {
  const c = await t.call('cases.get', { caseId }, token);
  return t.call('cases.transition', { caseId, action: action as never, expectedVersion: c.version, ...extra }, token);
}

/** Registered with every material received and accepted. */
export async function acceptedCase(t: TestCore, o: Office, reg: Registration = beijingRider()): Promise<string> {
  const { caseId } = await t.call('cases.register', reg, o.clerk);
  const c = await t.call('cases.get', { caseId }, o.clerk);
  await t.call(
    'cases.setMaterials',
    { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
    o.clerk,
  );
  await move(t, o.clerk, caseId, 'accept');
  return caseId;
}

export async function confirmedCase(t: TestCore, o: Office, reg?: Registration): Promise<string> {
  const caseId = await acceptedCase(t, o, reg);
  await move(t, o.officer, caseId, 'confirm', { reason: '送餐途中摔伤', article: '第十一条第一款第（一）项' });
  return caseId;
}

/**
 * Through a hearing on the clock's day: appraisal applied for, 预审 complete, a panel drawn, and
 * the three drawn experts agreeing on one item of the grade; the leader signs.
 */
export async function appraise(
  t: TestCore,
  o: Office,
  caseId: string,
  grade: number,
  nursingLevel: 'full' | 'most' | 'partial' | null = null,
  kind: 'initial' | 'review' | 'reappraisal' = 'initial',
): Promise<{ hearingId: string; conclusionId: string }> {
  const c = await t.call('cases.get', { caseId }, o.secretary);
  if (c.status !== 'awaiting_appraisal') await move(t, o.secretary, caseId, 'request_appraisal');
  const { checklist } = await t.call('appraisal.requests', { caseId }, o.secretary);
  await t.call('appraisal.precheck', { caseId, items: checklist.map((i) => ({ code: i.code, present: true, note: '' })) }, o.secretary);
  const { panel } = await t.call('appraisal.drawPanel', { caseId, size: 3, categories: ['ortho'] }, o.secretary);
  const today = t.clock.now().toISOString().slice(0, 10);
  const { id: hearingId } = await t.call(
    'hearings.create',
    {
      date: today,
      venue: '西宁市劳动能力鉴定中心',
      committee: kind === 'reappraisal' ? '青海省劳动能力鉴定委员会' : '西宁市劳动能力鉴定委员会',
      kind,
    },
    o.secretary,
  );
  await t.call('hearings.assign', { hearingId, caseIds: [caseId] }, o.secretary);
  await t.call('hearings.attendance', { hearingId, caseId, attendance: 'present', findings: '伤情稳定' }, o.secretary);
  const item = { code: `5.${grade}.2(1)`, text: `${grade}级条款`, grade };
  for (const p of panel)
    await t.call(
      'hearings.opinion',
      { hearingId, caseId, expertId: p.id, items: [item], promotionApplied: false, promotionReason: '', nursingLevel },
      o.secretary,
    );
  const { conclusionId } = await t.call('hearings.sign', { hearingId, caseId, grade, nursingLevel }, o.leader);
  return { hearingId, conclusionId };
}

/** Prepared by the benefit officer and approved in both review rounds. */
export async function determine(
  t: TestCore,
  o: Office,
  caseId: string,
  extra: Record<string, unknown> = { figures: { provincialPrivateAnnualWage: '72000' } },
): Promise<string> {
  const { id } = await t.call('determinations.prepare', { caseId, ...extra }, o.benefits);
  await t.call('determinations.review', { determinationId: id, approve: true }, o.reviewer);
  await t.call('determinations.review', { determinationId: id, approve: true }, o.insurer);
  return id;
}

export function pdfOf(t: TestCore, id: string): Buffer {
  return (t.store.sqlite.prepare('SELECT pdf FROM issued_documents WHERE id = ?').get(id) as { pdf: Buffer }).pdf;
}

export function dataOf(t: TestCore, id: string): Record<string, unknown> {
  return JSON.parse((t.store.sqlite.prepare('SELECT data FROM issued_documents WHERE id = ?').get(id) as { data: string }).data);
}

export const count = (t: TestCore, table: string) => (t.store.sqlite.prepare(`SELECT COUNT(*) n FROM ${table}`).get() as { n: number }).n;

export function auditSummaries(t: TestCore, like: string): string[] {
  return (t.store.sqlite.prepare('SELECT summary FROM audit_log WHERE summary LIKE ? ORDER BY seq').all(like) as { summary: string }[]).map(
    (r) => r.summary,
  );
}

/** The text of an issued document, whitespace removed (pdftotext breaks lines anywhere). */
export function documentText(t: TestCore, id: string): string {
  const file = path.join(t.dir, `doc-${id}.pdf`);
  fs.writeFileSync(file, pdfOf(t, id));
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}
