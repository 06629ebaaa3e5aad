// Full identifiers are found through the exact term index (fast at any size); fragments still
// through the trigram index; stores from before get the identifier terms by migration 602, and
// both indexes keyed by the case's rowid by migration 609.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { staff } from '../helpers/intake';
import { move, registered } from '../helpers/desk';
import { deskMigrations } from '../../electron/core/migrations/desk';
import { reindexCase } from '../../electron/core/cases/case-search';

let t: TestCore;
let s: Awaited<ReturnType<typeof staff>>;
beforeEach(async () => {
  t = makeTestCore();
  s = await staff(t, await setupAdmin(t));
});
afterEach(() => t.cleanup());

const terms = (caseId: string) =>
  (
    t.store.sqlite
      .prepare('SELECT term FROM case_search_terms WHERE case_rowid = (SELECT rowid FROM cases WHERE id = ?) ORDER BY term')
      .all(caseId) as { term: string }[]
  ).map((r) => r.term);

/** The two search tables as stores before migration 609 had them (keyed by case id, FTS with content). */
const OLD_SHAPES = `
  DROP TABLE case_search_terms;
  DROP TABLE case_search;
  CREATE VIRTUAL TABLE case_search USING fts5(case_id UNINDEXED, body, tokenize = 'trigram');
  CREATE TABLE case_search_terms (
    term TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id),
    PRIMARY KEY (term, case_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX case_search_terms_case ON case_search_terms(case_id);`;

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

  it('gives the cases of an older store their identifier terms (602), then keys both indexes by rowid (609)', async () => {
    const caseId = await registered(t, s.clerk, { applicantKind: 'platform' });
    const other = await registered(t, s.clerk, { applicantKind: 'platform' });
    const before = terms(caseId);
    const c = await t.call('cases.get', { caseId }, s.clerk);
    const sqlite = t.store.sqlite;
    // The older store: old shapes, the name terms and trigram text as 0.x wrote them, no identifier terms.
    sqlite.exec(OLD_SHAPES);
    for (const id of [caseId, other]) {
      const row = sqlite
        .prepare(
          'SELECT c.rowid r, w.name, w.id_number, w.phone, c.registration_no FROM cases c JOIN workers w ON w.id = c.worker_id WHERE c.id = ?',
        )
        .get(id) as { r: number; name: string; id_number: string; phone: string; registration_no: string };
      sqlite
        .prepare('INSERT INTO case_search (rowid, case_id, body) VALUES (?, ?, ?)')
        .run(row.r, id, [row.name, row.id_number, row.phone, row.registration_no].join(' '));
      for (const term of new Set([row.name, row.name.slice(0, 1), row.name.slice(0, 2)]))
        sqlite.prepare('INSERT OR IGNORE INTO case_search_terms (term, case_id) VALUES (?, ?)').run(term, id);
    }
    sqlite.exec(deskMigrations.find((m) => m.version === 602)!.sql);
    sqlite.exec(deskMigrations.find((m) => m.version === 609)!.sql);
    expect(terms(caseId)).toEqual(before);
    for (const q of [c.worker.idNumber, c.worker.idNumber.slice(-6), c.worker.name, c.registrationNo])
      expect(
        (await t.call('cases.search', { q, limit: 10 }, s.clerk)).map((x) => x.id),
        q,
      ).toContain(caseId);
    // Contentless: the index answers, the text is not kept a second time.
    expect(sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'case_search'").get()).toMatchObject({
      sql: expect.stringContaining("content = ''"),
    });
  });

  it('keeps finding a re-indexed case, and forgets its old text', async () => {
    const caseId = await registered(t, s.clerk, { applicantKind: 'platform' });
    const c = await t.call('cases.get', { caseId }, s.clerk);
    const oldFragment = c.worker.phone.slice(-5);
    t.store.sqlite.prepare("UPDATE workers SET phone = '13900009999' WHERE id = (SELECT worker_id FROM cases WHERE id = ?)").run(caseId);
    await reindexCase(t.store.db, caseId);
    expect((await t.call('cases.search', { q: '00009999', limit: 10 }, s.clerk)).map((x) => x.id)).toEqual([caseId]);
    expect((await t.call('cases.search', { q: '13900009999', limit: 10 }, s.clerk)).map((x) => x.id)).toEqual([caseId]);
    expect((await t.call('cases.search', { q: oldFragment, limit: 10 }, s.clerk)).map((x) => x.id)).not.toContain(caseId);
    expect(terms(caseId)).not.toContain(c.worker.phone);
  });
});
