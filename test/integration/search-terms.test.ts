// Full identifiers are found through the exact term index (fast at any size); fragments still
// through the trigram index; and stores from before get the identifier terms by migration 602.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { staff } from '../helpers/intake';
import { move, registered } from '../helpers/desk';
import { deskMigrations } from '../../electron/core/migrations/desk';

let t: TestCore;
let s: Awaited<ReturnType<typeof staff>>;
beforeEach(async () => {
  t = makeTestCore();
  s = await staff(t, await setupAdmin(t));
});
afterEach(() => t.cleanup());

const terms = (caseId: string) =>
  (t.store.sqlite.prepare('SELECT term FROM case_search_terms WHERE case_id = ? ORDER BY term').all(caseId) as { term: string }[]).map(
    (r) => r.term,
  );

describe('identifier search terms', () => {
  it('indexes the ID number, phone, 登记号, 受理编号 and order numbers in full, and finds each', async () => {
    const caseId = await registered(t, s.clerk, { applicantKind: 'platform', orderNo: 'mt-2026-abc-001' });
    await move(t, s.clerk, caseId, 'accept');
    const c = await t.call('cases.get', { caseId }, s.clerk);
    expect(terms(caseId)).toEqual(
      expect.arrayContaining([c.worker.idNumber, c.worker.phone, c.registrationNo, c.caseNo!, 'MT-2026-ABC-001']),
    );
    for (const q of [c.worker.idNumber, c.worker.phone, c.registrationNo, c.caseNo!, 'MT-2026-ABC-001', 'mt-2026-abc-001'])
      expect(
        (await t.call('cases.search', { q, limit: 10 }, s.clerk)).map((x) => x.id),
        q,
      ).toEqual([caseId]);
    // A fragment is no term: the trigram index finds it.
    expect((await t.call('cases.search', { q: c.worker.idNumber.slice(-6), limit: 10 }, s.clerk)).map((x) => x.id)).toEqual([caseId]);
  });

  it('gives the cases already in a store their identifier terms (migration 602)', async () => {
    const caseId = await registered(t, s.clerk, { applicantKind: 'platform' });
    const before = terms(caseId);
    const c = await t.call('cases.get', { caseId }, s.clerk);
    t.store.sqlite.prepare('DELETE FROM case_search_terms WHERE case_id = ? AND length(term) > 3').run(caseId);
    expect(terms(caseId)).not.toContain(c.worker.idNumber);
    t.store.sqlite.exec(deskMigrations.find((m) => m.version === 602)!.sql);
    expect(terms(caseId)).toEqual(before);
  });
});
