// Batch issuing: a hearing's 结论书 and the approved 待遇核定通知书 in one action, numbers taken in
// list order, a failure in the middle leaving the others issued and named in the summary,
// progress events, cancel between documents, and the PDF engine kept off the host's thread.
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, signIn, type TestCore } from '../helpers/core';
import { gradeAndSign, hearingScene, signedCasesOnHearing } from '../helpers/appraisal';
import type { TopicPayload } from '../../shared/api/contract';

let t: TestCore;
let admin: string;
let scene: Awaited<ReturnType<typeof hearingScene>>;

beforeEach(async () => {
  t = makeTestCore();
  admin = await setupAdmin(t);
  scene = await hearingScene(t, admin);
  await t.call(
    'numbering.addBlock',
    { series: 'appraisal', pattern: '宁劳鉴〔{year}〕{seq}号', issuer: '西宁市劳动能力鉴定委员会', year: 2026, first: 1, last: 999 },
    admin,
  );
});
afterEach(() => t.cleanup());

const addSignedCases = (names: string[]) => signedCasesOnHearing(t, scene, names);

async function waitFor(jobId: string) {
  return t.deps.batchJobs.settled(jobId);
}

describe('batch issuing of a hearing’s 结论书', () => {
  it('issues every 结论书 in hearing order with numbers in order; the one that fails is named and the others stand', async () => {
    await gradeAndSign(t, scene);
    // The third person's name has a character no bundled font can print: that 结论书 is refused.
    const [second, third, fourth, fifth] = await addSignedCases(['李四', '王𰻞', '赵六', '钱七']);
    const events: TopicPayload['batch.progress'][] = [];
    t.events.subscribe('batch.progress', (e) => events.push(e));
    expect(
      (await t.call('batch.pending', { kind: 'conclusions', hearingId: scene.hearingId }, scene.secretary)).map((p) => p.caseId),
    ).toEqual([scene.caseId, second, third, fourth, fifth]);

    const started = await t.call('batch.issueConclusions', { hearingId: scene.hearingId }, scene.secretary);
    expect(started).toMatchObject({ state: 'running', total: 5, done: 0 });
    const done = await waitFor(started.id);
    expect(done.state).toBe('done');
    expect(done.issued.map((i) => [i.caseId, i.documentNo])).toEqual([
      [scene.caseId, '宁劳鉴〔2026〕1号'],
      [second, '宁劳鉴〔2026〕2号'],
      [fourth, '宁劳鉴〔2026〕3号'],
      [fifth, '宁劳鉴〔2026〕4号'],
    ]);
    expect(done.failed).toHaveLength(1);
    expect(done.failed[0]!.caseId).toBe(third);
    expect(done.failed[0]!.label).toContain('王𰻞');
    expect(done.failed[0]!.message).toContain('内置字体无法显示字符“𰻞”');
    // The status call gives the same summary to the person who started it, and to no one else.
    expect(await t.call('batch.status', { jobId: started.id }, scene.secretary)).toEqual(done);
    expect((await t.fail('batch.status', { jobId: started.id }, scene.leader)).code).toBe('FORBIDDEN');

    // Each issued document is stored, signed and audited on its own; the failed one left nothing.
    const docs = t.store.sqlite
      .prepare("SELECT case_id, document_no FROM issued_documents WHERE type = 'appraisal-conclusion' ORDER BY document_no")
      .all();
    expect(docs).toEqual(done.issued.map((i) => ({ case_id: i.caseId, document_no: i.documentNo })));
    const audit = (await t.call('audit.list', { limit: 10, offset: 0 }, admin)).entries.filter(
      (e) => e.method === 'hearings.issueConclusion',
    );
    expect(audit.map((e) => e.entityId).reverse()).toEqual([scene.caseId, second, fourth, fifth]);
    // Progress: one event per document as it starts, then the end.
    expect(events.filter((e) => e.jobId === started.id).map((e) => [e.done, e.state])).toEqual([
      [0, 'running'],
      [1, 'running'],
      [2, 'running'],
      [3, 'running'],
      [4, 'running'],
      [5, 'done'],
    ]);
    expect(events.at(-1)).toMatchObject({ failed: 1, current: null });

    // Only the failed one is still pending; a second batch takes just it (and fails again, clearly).
    expect(
      (await t.call('batch.pending', { kind: 'conclusions', hearingId: scene.hearingId }, scene.secretary)).map((p) => p.caseId),
    ).toEqual([third]);
    // The host never loaded the PDF engine: rendering ran in the worker threads.
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes(`${'/node_modules/'}pdfmake/`));
    expect(loaded).toEqual([]);
  });

  it('stops between documents when cancelled, saying how many were not attempted', async () => {
    await gradeAndSign(t, scene);
    await addSignedCases(['李四', '王五', '赵六']);
    const secretaryId = (t.store.sqlite.prepare("SELECT id FROM users WHERE username = 'secretary'").get() as { id: string }).id;
    t.events.subscribe('batch.progress', (e) => {
      // As the third document starts, the secretary presses 取消: it finishes, the fourth is not attempted.
      if (e.state === 'running' && e.done === 2) t.deps.batchJobs.cancel(e.jobId, secretaryId);
    });
    const started = await t.call('batch.issueConclusions', { hearingId: scene.hearingId }, scene.secretary);
    const done = await waitFor(started.id);
    expect(done).toMatchObject({ state: 'cancelled', done: 3, notAttempted: 1 });
    expect(done.issued.map((i) => i.documentNo)).toEqual(['宁劳鉴〔2026〕1号', '宁劳鉴〔2026〕2号', '宁劳鉴〔2026〕3号']);
    expect(
      (t.store.sqlite.prepare("SELECT COUNT(*) n FROM issued_documents WHERE type = 'appraisal-conclusion'").get() as { n: number }).n,
    ).toBe(3);

    // Cancelled through the contract before the first document: nothing issued.
    const next = await t.call('batch.issueConclusions', { hearingId: scene.hearingId }, scene.secretary);
    const cancelled = await t.call('batch.cancel', { jobId: next.id }, scene.secretary);
    expect(cancelled.state === 'running' || cancelled.state === 'cancelled').toBe(true);
    expect(await waitFor(next.id)).toMatchObject({ state: 'cancelled', done: 0, notAttempted: 1, issued: [] });
  });

  it('refuses a second batch of the same kind while one runs, and says when there is nothing to issue', async () => {
    expect((await t.fail('batch.issueConclusions', { hearingId: scene.hearingId }, scene.secretary)).message).toContain('没有可出具的文书');
    await gradeAndSign(t, scene);
    await addSignedCases(['李四']);
    const first = await t.call('batch.issueConclusions', { hearingId: scene.hearingId }, scene.secretary);
    expect((await t.fail('batch.issueConclusions', { hearingId: scene.hearingId }, scene.secretary)).code).toBe('CONFLICT');
    await waitFor(first.id);
    expect((await t.fail('batch.issueConclusions', { hearingId: scene.hearingId }, scene.clerk)).code).toBe('FORBIDDEN');
  });
});

describe('batch issuing of 待遇核定通知书', () => {
  it('issues every approved determination not yet notified, and none twice', async () => {
    await gradeAndSign(t, scene);
    await t.call(
      'numbering.addBlock',
      { series: 'benefits', pattern: '宁职伤待〔{year}〕{seq}号', issuer: '西宁市社会保险事业服务中心', year: 2026, first: 1, last: 99 },
      admin,
    );
    await t.call(
      'users.create',
      { username: 'bofficer', displayName: '待遇核定己', password: 'Staff-pass-2026', roles: ['benefit_officer'] },
      admin,
    );
    await t.call(
      'users.create',
      { username: 'reviewer', displayName: '待遇复核庚', password: 'Staff-pass-2026', roles: ['benefit_reviewer'] },
      admin,
    );
    const officer = await signIn(t, 'bofficer', 'Staff-pass-2026');
    const reviewer = await signIn(t, 'reviewer', 'Staff-pass-2026');
    const { id } = await t.call(
      'determinations.prepare',
      { caseId: scene.caseId, figures: { provincialPrivateAnnualWage: '72000' } },
      officer,
    );
    expect(await t.call('batch.pending', { kind: 'determinations', hearingId: null }, officer)).toEqual([]);
    await t.call('determinations.review', { determinationId: id, approve: true, reason: '' }, reviewer);
    const started = await t.call('batch.issueDeterminations', {}, officer);
    const done = await waitFor(started.id);
    expect(done.issued.map((i) => [i.caseId, i.documentNo])).toEqual([[scene.caseId, '宁职伤待〔2026〕1号']]);
    expect(done.failed).toEqual([]);
    expect((await t.fail('batch.issueDeterminations', {}, officer)).message).toContain('没有可出具的文书');
  });
});
