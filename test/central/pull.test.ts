// Pull: pages from a cursor, scoped to the device's office by the catalogue's links (cases held
// by the office, their rows, the workers and hearings they name, office-wide rows), the device's
// own changes never echoed, a case assigned to another office back-filled in dependency order.
import { v7 } from 'uuid';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../../shared/sync/protocol';
import { assignCase } from '../../central/core/admin';
import {
  enrolTestDevice,
  mutation,
  registration,
  seedUsers,
  upsert,
  type TestCentre,
  type TestDevice,
  useSharedCentre,
} from '../helpers/central';

let centre: TestCentre;
useSharedCentre((c) => (centre = c));

/** Everything the device would receive, page by page, with the cursors it would store. */
async function pullAll(dev: TestDevice, limit = 1000, from = ''): Promise<{ changes: Change[]; pages: number; cursor: string }> {
  const changes: Change[] = [];
  let cursor = from;
  let pages = 0;
  for (;;) {
    const page = await dev.client.pull(cursor, limit);
    pages++;
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.more) return { changes, pages, cursor };
  }
}
const ids = (changes: Change[], table: string): string[] =>
  changes.filter((c) => c.table === table).map((c) => String(c.key.id ?? c.key.case_id));

describe('pull', () => {
  let x1: TestDevice;
  let x2: TestDevice;
  let y1: TestDevice;
  beforeEach(async () => {
    x1 = await enrolTestDevice(centre, '西宁市社保经办', { name: 'X1' });
    x2 = await enrolTestDevice(centre, '西宁市社保经办', { name: 'X2' });
    y1 = await enrolTestDevice(centre, '海东市社保经办', { name: 'Y1' });
    await seedUsers(x1);
    await seedUsers(y1);
    x2.userId = x1.userId;
  });

  it('pages through the office’s changes in order and resumes from any stored cursor', async () => {
    const regs = Array.from({ length: 30 }, () => registration(x1));
    await x1.client.push(regs.map((r) => r.mutation));
    const all = await pullAll(x2, 1000);
    // 3 users + 3 roles, then 30 × (worker, case, 2 materials).
    expect(all.changes).toHaveLength(6 + 30 * 4);
    expect(ids(all.changes, 'cases')).toEqual(regs.map((r) => r.caseId));
    // Dependency order: each worker before its case, each case before its materials.
    regs.forEach((r) => {
      const at = (t: string, id: string): number => all.changes.findIndex((c) => c.table === t && (c.key.id ?? c.key.case_id) === id);
      expect(at('workers', r.workerId)).toBeLessThan(at('cases', r.caseId));
      expect(at('cases', r.caseId)).toBeLessThan(at('case_materials', r.caseId));
    });

    const paged = await pullAll(x2, 7);
    expect(paged.pages).toBe(Math.ceil(all.changes.length / 7));
    expect(paged.changes).toEqual(all.changes);
    // An interrupted first sync resumes from the cursor of the last page it stored.
    const first = await x2.client.pull('', 50);
    const rest = await pullAll(x2, 50, first.cursor);
    expect([...first.changes, ...rest.changes]).toEqual(all.changes);
    // At the end the cursor stays put and nothing more comes.
    const end = await x2.client.pull(all.cursor, 10);
    expect(end).toMatchObject({ changes: [], cursor: all.cursor, more: false });
  });

  it('a device does not get its own changes back, nor another office’s cases', async () => {
    const mine = registration(x1);
    const theirs = registration(y1);
    await x1.client.push([mine.mutation]);
    await y1.client.push([theirs.mutation]);
    expect((await pullAll(x1)).changes).toEqual([]);
    const x2sees = (await pullAll(x2)).changes;
    expect(ids(x2sees, 'cases')).toEqual([mine.caseId]);
    expect(ids(x2sees, 'workers')).toEqual([mine.workerId]);
    expect(JSON.stringify(x2sees)).not.toContain(theirs.caseId);
    expect(JSON.stringify(x2sees)).not.toContain(theirs.workerId);
    // Y's own office-wide rows (its accounts) stay in Y's office too.
    expect(x2sees.filter((c) => c.table === 'users')).toHaveLength(3);
    expect((await pullAll(y1)).changes).toEqual([]);
  });

  it('an edit made elsewhere comes down as the row’s new state with its version; a newer own edit is never undone by an older entry', async () => {
    const reg = registration(x1);
    await x1.client.push([reg.mutation]);
    const base = await pullAll(x2);
    const edit = mutation(x2, 'cases.transition', [
      upsert('cases', { id: reg.caseId }, { worker_id: reg.workerId, status: 'accepted', version: 2 }, 1, 2),
    ]);
    await x2.client.push([edit]);
    const forX1 = await pullAll(x1);
    expect(forX1.changes).toEqual([{ table: 'cases', key: { id: reg.caseId }, version: 2, deleted: false, row: edit.rows[0]!.row }]);

    // X1 edits again on top of X2's version; X2 has not pulled since. X2 then receives X1's
    // newest state only; X1 is not sent X2's now-older entry.
    const again = mutation(x1, 'cases.transition', [
      upsert('cases', { id: reg.caseId }, { worker_id: reg.workerId, status: 'confirmed', version: 3 }, 2, 3),
    ]);
    await x1.client.push([again]);
    const forX2 = await x2.client.pull(base.cursor);
    expect(forX2.changes.map((c) => [c.table, c.version])).toEqual([['cases', 3]]);
    expect((await x1.client.pull(forX1.cursor)).changes).toEqual([]);
  });

  it('a case assigned to another office reaches it whole: worker, case, details, in that order', async () => {
    const reg = registration(x1);
    await x1.client.push([reg.mutation]);
    expect(ids((await pullAll(y1)).changes, 'cases')).toEqual([]);
    const r = await assignCase(centre.db, centre.clock, reg.caseId, '海东市社保经办');
    expect(r.added).toBe(true);
    const got = (await pullAll(y1)).changes;
    expect(got.map((c) => c.table)).toEqual(['workers', 'cases', 'case_materials', 'case_materials']);
    // From then on the holder gets the case's changes too.
    const edit = mutation(x1, 'cases.transition', [
      upsert('cases', { id: reg.caseId }, { worker_id: reg.workerId, status: 'accepted', version: 2 }, 1, 2),
    ]);
    await x1.client.push([edit]);
    const after = await y1.client.pull((await pullAll(y1, 1000, '')).cursor);
    expect(after.changes).toEqual([]);
    const all = (await pullAll(y1)).changes;
    expect(all.filter((c) => c.table === 'cases').map((c) => c.version)).toEqual([1, 2]);
    // Assigning again adds nothing.
    expect((await assignCase(centre.db, centre.clock, reg.caseId, '海东市社保经办')).added).toBe(false);
  });

  it('a hearing reaches every office holding a case on it, before the hearing_cases row', async () => {
    const reg = registration(x1);
    await x1.client.push([reg.mutation]);
    await assignCase(centre.db, centre.clock, reg.caseId, '海东市社保经办');
    const start = (await pullAll(y1)).cursor;
    const hearingId = v7();
    // The committee (X) plans a hearing, then puts the case on it.
    x1.userId = null;
    const plan = mutation(x1, 'sync.baseline', [
      upsert('hearings', { id: hearingId }, { title: '十一月专场', date: '2026-11-28', row_version: 1 }, null, 1),
      upsert('hearing_cases', { hearing_id: hearingId, case_id: reg.caseId }, { row_version: 1 }, null, 1),
    ]);
    expect((await x1.client.push([plan])).results[0]!.status).toBe('applied');
    const got = (await pullAll(y1, 1000, start)).changes;
    expect(got.map((c) => c.table)).toEqual(['hearings', 'hearing_cases']);
    // A hearing with no case of Y's office on it stays with X.
    const other = v7();
    await x1.client.push([
      mutation(x1, 'sync.baseline', [upsert('hearings', { id: other }, { title: '十二月专场', row_version: 1 }, null, 1)]),
    ]);
    expect(JSON.stringify((await pullAll(y1)).changes)).not.toContain(other);
    expect(JSON.stringify((await pullAll(x2)).changes)).toContain(other);
  });

  it('rows of a case that arrive before the case wait until an office holds it', async () => {
    const caseId = v7();
    const workerId = v7();
    // Y1 got the case by other means (a hearing package) and pushes a bill for it first.
    const bill = mutation(y1, 'sync.baseline', [
      upsert('medical_bills', { id: v7() }, { case_id: caseId, amount_fen: 12_345, row_version: 1 }, null, 1),
    ]);
    expect((await y1.client.push([bill])).results[0]!.status).toBe('applied');
    expect((await pullAll(x2)).changes.filter((c) => c.table === 'medical_bills')).toEqual([]);
    await x1.client.push([registration(x1, { caseId, workerId }).mutation]);
    const got = (await pullAll(x2)).changes.filter((c) => ['workers', 'cases', 'medical_bills'].includes(c.table));
    expect(got.map((c) => c.table)).toEqual(['workers', 'cases', 'medical_bills']);
  });

  it('refuses a malformed cursor or limit with a clear message', async () => {
    await expect(x1.client.pull('not-a-cursor')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('游标') });
    await expect(x1.client.pull('', 5000)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
