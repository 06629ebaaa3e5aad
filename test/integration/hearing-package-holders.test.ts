// The 专场包 obeys who holds a case (issue #13, docs/sync-protocol.md §12): a package that would
// change a case the importing device's office does not hold — by the custody record its last sync
// stored (storeHolders, as a pass does) — is refused whole, in Chinese, writing nothing; the same
// package imports once this office holds the case, and a package that changes nothing of such a
// case is no change to refuse. Both directions: office → venue laptop, and the laptop's day back.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { freeze, makeTestCore, setupAdmin, thaw, type FrozenCore, type TestCore } from '../helpers/core';
import { appraisalStaff, gradeAndSign, hearingScene } from '../helpers/appraisal';
import { keyIdOf, trustEachOther } from '../helpers/package';
import { storeHolders } from '../../electron/core/sync/holders';

const HERE = { id: '11111111-1111-4111-8111-111111111111', name: '西宁市劳动能力鉴定委员会' };
const ELSEWHERE = { id: '22222222-2222-4222-8222-222222222222', name: '西宁市社会保险服务中心待遇核定科' };

let A: TestCore;
let B: TestCore;
let scene: Awaited<ReturnType<typeof hearingScene>>;
let adminB: string;
let laptop: { secretary: string; leader: string };
let office: FrozenCore;
let laptopStore: FrozenCore;

beforeAll(async () => {
  const a = makeTestCore(new Date('2026-11-23T02:00:00Z'));
  const b = makeTestCore(new Date('2026-11-24T01:00:00Z'));
  const adminA = await setupAdmin(a);
  scene = await hearingScene(a, adminA);
  adminB = await setupAdmin(b);
  laptop = await appraisalStaff(b, adminB, { secretary: '笔记本秘书', leader: '笔记本组长' });
  await trustEachOther(a, adminA, b, adminB);
  office = await freeze(a);
  laptopStore = await freeze(b);
});
afterAll(() => {
  for (const f of [office, laptopStore]) if (f) fs.rmSync(f.dir, { recursive: true, force: true });
});
beforeEach(() => {
  A = thaw(office);
  B = thaw(laptopStore);
});
afterEach(async () => {
  await A.cleanup();
  await B.cleanup();
});

/** What the last sync pass of `t` said about who holds the scene's case. */
async function custody(t: TestCore, holder: { id: string; name: string }) {
  await storeHolders(t.store.db, t.clock, HERE.id, {
    ok: true,
    holders: [{ caseId: scene.caseId, officeId: holder.id, officeName: holder.name, since: '2026-11-23T10:00:00.000+08:00' }],
  });
}

function counts(t: TestCore): Record<string, number> {
  const tables = t.store.sqlite
    .prepare(
      "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'case_search_%'",
    )
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [name, (t.store.sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]),
  );
}

const exportFrom = (from: TestCore, token: string, to: TestCore) =>
  from.call('hearings.exportPackage', { hearingId: scene.hearingId, recipientKeyId: to === from ? null : keyIdOf(to) }, token);

async function refused(t: TestCore, token: string, content: string) {
  const before = counts(t);
  const err = await t.fail('hearings.importPackage', { content }, token);
  expect(err.code).toBe('RULE_REFUSED');
  expect(err.message).toContain(`现由「${ELSEWHERE.name}」办理，本机所在机构不能修改它，未导入任何数据`);
  // No codes on screen. A case number's device tag is hex and may be all letters (SL2026-AABB-000001):
  // the numbers people read are taken out first.
  expect(err.message.replace(/\b[A-Z]{2}\d{4}-[0-9A-F]{4}-\d{6}\b/g, '')).not.toMatch(/[A-Za-z_]{4,}/);
  expect(counts(t)).toEqual(before);
}

describe('hearing package and case holders', () => {
  it('a laptop whose office does not hold the case refuses the package whole; once it holds it, the package imports', async () => {
    const out = await exportFrom(A, scene.secretary, B);
    await custody(B, ELSEWHERE);
    await refused(B, laptop.secretary, out.content);
    await custody(B, HERE);
    const ok = await B.call('hearings.importPackage', { content: out.content }, laptop.secretary);
    expect(ok.tables.find((x) => x.table === 'cases')).toMatchObject({ added: 1 });
  });

  it("the laptop's day back is refused by an office that no longer holds the case, and taken by one that does", async () => {
    await B.call('hearings.importPackage', { content: (await exportFrom(A, scene.secretary, B)).content }, laptop.secretary);
    await gradeAndSign(B, { ...laptop, hearingId: scene.hearingId, caseId: scene.caseId, panel: scene.panel });
    const back = await exportFrom(B, laptop.secretary, A);

    // Meanwhile the centre handed the case on: the office may only look.
    await custody(A, ELSEWHERE);
    await refused(A, scene.secretary, back.content);
    expect(A.store.sqlite.prepare('SELECT count(*) AS n FROM appraisal_conclusions').get()).toEqual({ n: 0 });

    // A package that changes nothing of the case is no change to refuse (the office's own export, re-imported).
    const same = await exportFrom(A, scene.secretary, A);
    expect((await A.call('hearings.importPackage', { content: same.content }, scene.secretary)).changed).toBe(false);

    await custody(A, HERE);
    const ok = await A.call('hearings.importPackage', { content: back.content }, scene.secretary);
    expect(ok.tables.find((x) => x.table === 'appraisal_conclusions')).toMatchObject({ added: 1 });
  });
});
