// The two halves of the protocol against each other: what a real device's outbox holds after a
// day's work (a registered, confirmed, appraised case with its signed 结论书) is pushed with the
// protocol client to a real centre (PGlite), every mutation applied and its result recorded on the
// device; a second device of the same office pulls the pages, fetches the document's bytes, and
// applies them: it then holds and finds the case, with its 送达, death and dependant. Not the sync loop (later work): one pass by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGlite } from '@electric-sql/pglite';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { deliver, gradeAndSign, hearingScene } from '../helpers/appraisal';
import { memoryPGlite, startTestCentre, type TestCentre } from '../helpers/central';
import { deviceKey } from '../../electron/core/crypto/device-key';
import { CentreClient } from '../../electron/core/sync/centre-client';
import { makeEnrolCode } from '../../central/core/enrolment';
import { parseOutboxRow, pendingMutations } from '../../electron/core/replication/outbox';
import { recordPushResult } from '../../electron/core/replication/push-result';
import { readBlob, missingBlobs, stageBlob } from '../../electron/core/replication/blobs';
import { applyPullPage, pullCursor } from '../../electron/core/replication/pull';

let pg: PGlite;
let centre: TestCentre;
let A: TestCore;
let B: TestCore;

beforeAll(async () => {
  pg = await memoryPGlite();
  centre = await startTestCentre({ pglite: pg });
  A = makeTestCore(new Date('2026-11-24T02:00:00Z'));
  B = makeTestCore(new Date('2026-11-25T02:00:00Z'));
}, 120_000);
afterAll(async () => {
  await A.cleanup();
  await B.cleanup();
  await centre.close();
  await pg.close();
});

async function enrol(t: TestCore, name: string): Promise<CentreClient> {
  const { code } = await makeEnrolCode(centre.db, centre.clock, { office: '西宁市社保经办' });
  const client = new CentreClient({ baseUrl: centre.url, key: deviceKey(t.dir) });
  const r = await client.enrol({ code, deviceName: name, appVersion: '0.1.0', schemaVersion: 502 });
  t.store.sqlite
    .prepare('UPDATE sync_state SET device_id = ?, centre_key_id = ?, enrolled_at = ?')
    .run(r.deviceId, r.centre.keyId, '2026-11-24T10:00:00+08:00');
  return client;
}

/** One push pass: blobs first, then the mutations in seq order, each result recorded. */
async function pushAll(t: TestCore, client: CentreClient) {
  const results = [];
  for (;;) {
    const batch = await pendingMutations(t.store.db, 500);
    if (batch.length === 0) break;
    const hashes = batch.flatMap((m) =>
      m.rows.flatMap((r) => Object.values(r.row ?? {}).flatMap((v) => (v && typeof v === 'object' && '$blob' in v ? [v.$blob] : []))),
    );
    for (const h of await client.blobsMissing(hashes)) await client.putBlob(h, (await readBlob(t.store.db, h))!);
    const reply = await client.push(batch);
    for (const r of reply.results) {
      results.push(r);
      await recordPushResult(t.store.db, t.clock, r);
    }
  }
  return results;
}

describe('a device and the centre', () => {
  it('pushes a day of work, every mutation applied, and a second device pulls and holds it', async () => {
    const admin = await setupAdmin(A);
    const scene = await hearingScene(A, admin);
    await gradeAndSign(A, scene);
    await A.call(
      'numbering.addBlock',
      { series: 'appraisal', pattern: '宁劳鉴〔{year}〕第{seq:4}号', issuer: '西宁市劳动能力鉴定委员会', year: 2026, first: 1, last: 9 },
      admin,
    );
    const notice = await A.call('hearings.issueConclusion', { hearingId: scene.hearingId, caseId: scene.caseId }, scene.leader);
    // The legal records travel too: the 结论书's 送达 with its 回证, a recorded death, a dependant.
    await deliver(A, scene.leader, notice.id, 'worker');
    const { version } = await A.call('cases.get', { caseId: scene.caseId }, scene.clerk);
    await A.call(
      'cases.recordDeath',
      {
        caseId: scene.caseId,
        expectedVersion: version,
        deathDate: '2026-11-24',
        causedByInjury: true,
        evidence: '居民死亡医学证明书 No.002',
      },
      scene.clerk,
    );
    await A.call(
      'dependants.save',
      {
        caseId: scene.caseId,
        dependant: {
          id: null,
          name: '柯兰',
          relation: 'spouse',
          sex: 'female',
          birthDate: '1970-05-01',
          dependent: true,
          fullyDisabled: false,
          orphanOrSolitaryElder: false,
          student: false,
          nearerRelativesGone: false,
          ended: null,
        },
      },
      scene.clerk,
    );

    const clientA = await enrol(A, '办公室台式机');
    const results = await pushAll(A, clientA);
    const refused = results.filter((r) => r.status !== 'applied');
    expect(refused, JSON.stringify(refused.slice(0, 3))).toEqual([]);
    expect(A.store.sqlite.prepare("SELECT count(*) AS n FROM sync_outbox WHERE status != 'acked'").get()).toEqual({ n: 0 });
    // A replay (the reply was lost): the centre answers from its stored result, the device records nothing new.
    const first = parseOutboxRow(A.store.sqlite.prepare('SELECT * FROM sync_outbox WHERE seq = 1').get() as never);
    const replay = await clientA.push([first]);
    expect(await recordPushResult(A.store.db, A.clock, replay.results[0])).toMatchObject({ status: 'acked', repeated: true });

    await setupAdmin(B);
    const clientB = await enrol(B, '鉴定现场笔记本');
    let pages = 0;
    for (;;) {
      const page = await clientB.pull((await pullCursor(B.store.db)) ?? '');
      const hashes = page.changes.flatMap((c) =>
        Object.values(c.row ?? {}).flatMap((v) => (v && typeof v === 'object' && '$blob' in v ? [v.$blob] : [])),
      );
      for (const h of await missingBlobs(B.store.db, hashes)) await stageBlob(B.store.db, B.clock, h, await clientB.getBlob(h));
      await applyPullPage(B.store.db, B.clock, page);
      pages++;
      if (!page.more) break;
    }
    expect(pages).toBeGreaterThan(0);
    const caseA = A.store.sqlite.prepare('SELECT * FROM cases WHERE id = ?').get(scene.caseId);
    expect(B.store.sqlite.prepare('SELECT * FROM cases WHERE id = ?').get(scene.caseId)).toEqual(caseA);
    const pdfA = A.store.sqlite.prepare('SELECT pdf FROM issued_documents WHERE id = ?').get(notice.id) as { pdf: Buffer };
    const pdfB = B.store.sqlite.prepare('SELECT pdf FROM issued_documents WHERE id = ?').get(notice.id) as { pdf: Buffer };
    expect(pdfB.pdf.equals(pdfA.pdf)).toBe(true);
    for (const table of ['deliveries', 'case_deaths', 'dependants']) {
      const rows = (t: TestCore) => t.store.sqlite.prepare(`SELECT * FROM ${table} WHERE case_id = ?`).all(scene.caseId);
      expect(rows(A), table).toHaveLength(1);
      expect(rows(B), table).toEqual(rows(A));
    }
    const adminB = await (await import('../helpers/core')).signIn(B, 'admin', 'Admin-pass-2026');
    expect((await B.call('cases.search', { q: '单通' }, adminB)).map((c) => c.id)).toEqual([scene.caseId]);
    // Nothing pulled went back into B's outbox.
    expect(B.store.sqlite.prepare("SELECT count(*) AS n FROM sync_outbox WHERE kind NOT IN ('sync.baseline', 'auth.setup')").get()).toEqual(
      { n: 0 },
    );
  });
});
