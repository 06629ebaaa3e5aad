// Applying what the centre sends, on the device, without a network: synthetic pull pages built
// from another real store's rows (as the centre would pass them on). A page and its cursor are
// applied together or not at all — also across a SIGKILL just before or after the commit — with
// capture off (nothing echoes into the outbox), the search index kept up to date, and the whole
// page refused, writing nothing, on any bad change. Rows with unanswered local changes wait for
// the push result, which is recorded idempotently.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, openTestCore, setupAdmin, signIn, type TestCore } from '../helpers/core';
import { beijingRider, staff } from '../helpers/intake';
import { gradeAndSign, hearingScene } from '../helpers/appraisal';
import type { Change } from '../../shared/sync/protocol';
import { SYNC_TABLES } from '../../shared/sync/tables';
import { storeMetaSync } from '../../electron/core/replication/table-meta';
import { toSyncRow } from '../../electron/core/replication/row-codec';
import { applyPullPage, pullCursor, PullRefused } from '../../electron/core/replication/pull';
import { recordPushResult, recordPushResults, PushResultRefused } from '../../electron/core/replication/push-result';
import { stageBlob, missingBlobs, readBlob } from '../../electron/core/replication/blobs';
import { parseOutboxRow } from '../../electron/core/replication/outbox';
import { newId } from '../../electron/core/ids';

let src: TestCore; // where the rows come from (another office's device, via the centre)
let dev: TestCore; // the device applying pages
let devAdmin: string;

beforeEach(async () => {
  src = makeTestCore(new Date('2026-11-23T02:00:00Z'));
  dev = makeTestCore(new Date('2026-11-25T02:00:00Z'));
  devAdmin = await setupAdmin(dev, 'devadmin');
});
afterEach(async () => {
  await src.cleanup();
  await dev.cleanup();
});

/** Every replicated row of a store as the centre would send it, parents first. */
function changesOf(t: TestCore, only?: (table: string, row: Record<string, unknown>) => boolean): Change[] {
  const meta = storeMetaSync(t.store.sqlite);
  const out: Change[] = [];
  for (const spec of SYNC_TABLES) {
    const tm = meta.tables.get(spec.table)!;
    for (const row of t.store.sqlite.prepare(`SELECT * FROM ${spec.table}`).all() as Record<string, unknown>[]) {
      if (only && !only(spec.table, row)) continue;
      out.push({
        table: spec.table,
        key: Object.fromEntries(spec.key.map((k) => [k, row[k] as string])),
        version: spec.versionColumn ? Number(row[spec.versionColumn]) : 1,
        deleted: false,
        row: toSyncRow(tm, row).row,
      });
    }
  }
  return out;
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

const outboxCount = (t: TestCore) => (t.store.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;

async function refusedPage(changes: unknown, text: string | RegExp) {
  const before = counts(dev);
  const cursor = await pullCursor(dev.store.db);
  const err = await applyPullPage(dev.store.db, dev.clock, { changes, cursor: 'should-not-be-stored' }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PullRefused);
  expect((err as Error).message).toMatch(text);
  expect((err as Error).message).toContain('本页数据未写入');
  expect(counts(dev)).toEqual(before);
  expect(await pullCursor(dev.store.db)).toBe(cursor);
}

/**
 * The platform list as both devices hold it: the source's administrator entered 美团's legal entity
 * (decisions are addressed to it); this device received that long ago, so the page's platform
 * rows are the same here (written with capture off, as a pull apply does).
 */
function samePlatforms(): void {
  const rows = src.store.sqlite.prepare('SELECT * FROM platforms').all() as Record<string, unknown>[];
  const set = dev.store.sqlite.prepare(
    'UPDATE platforms SET name = ?, legal_name = ?, credit_code = ?, industry = ?, active = ?, updated_at = ?, row_version = ? WHERE code = ?',
  );
  dev.store.sqlite.transaction(() => {
    dev.store.sqlite.prepare('INSERT INTO sync_capture_off (id) VALUES (1)').run();
    for (const r of rows) set.run(r.name, r.legal_name, r.credit_code, r.industry, r.active, r.updated_at, r.row_version, r.code);
    dev.store.sqlite.prepare('DELETE FROM sync_capture_off').run();
  })();
}

/** A confirmed case at the source, with its people under other usernames than the device's. */
async function sourceCase() {
  const admin = await setupAdmin(src);
  const s = await staff(src, admin);
  const { caseId } = await src.call('cases.register', beijingRider(), s.clerk);
  const c = await src.call('cases.get', { caseId }, s.clerk);
  await src.call(
    'cases.setMaterials',
    { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
    s.clerk,
  );
  samePlatforms();
  return { caseId, s, admin };
}

describe('applying a pull page', () => {
  it('applies a case the centre assigns, with its cursor, searchable, echoing nothing into the outbox', async () => {
    const { caseId } = await sourceCase();
    const changes = changesOf(src);
    const outboxBefore = outboxCount(dev);
    const r = await applyPullPage(dev.store.db, dev.clock, { changes, cursor: 'c-1' });
    expect(r).toMatchObject({ applied: changes.length - 11, unchanged: 11, deferred: 0, keptLocal: 0, cursor: 'c-1' }); // 11 seeded platforms are the same
    expect(await pullCursor(dev.store.db)).toBe('c-1');
    expect(outboxCount(dev)).toBe(outboxBefore);
    expect(dev.store.sqlite.prepare('SELECT count(*) AS n FROM sync_capture').get()).toEqual({ n: 0 });
    const srcCase = src.store.sqlite.prepare('SELECT * FROM cases WHERE id = ?').get(caseId) as Record<string, unknown>;
    expect(dev.store.sqlite.prepare('SELECT * FROM cases WHERE id = ?').get(caseId)).toEqual(srcCase);
    expect((await dev.call('cases.search', { q: '单通' }, devAdmin)).map((c) => c.id)).toEqual([caseId]);
    // The source's people arrive as accounts that cannot sign in here; the source's `admin` is not ours.
    const pulledAdmin = dev.store.sqlite
      .prepare("SELECT username, password_hash FROM users WHERE display_name = '系统管理员' AND username != 'devadmin'")
      .get();
    expect(pulledAdmin).toEqual({ username: 'admin', password_hash: 'none' });
    expect((await dev.call('auth.login', { username: 'clerk', password: 'Staff-pass-2026' })).ok).toBe(false);
    // The same page again changes nothing.
    const again = await applyPullPage(dev.store.db, dev.clock, { changes, cursor: 'c-2' });
    expect(again).toMatchObject({ applied: 0, unchanged: changes.length });
    // A later version of the case moves it here; an older one (e.g. a re-sent page) does not go back.
    const c = await src.call('cases.get', { caseId }, await signIn(src, 'clerk', 'Staff-pass-2026'));
    expect(c.version).toBe(2);
    const later = changesOf(src, (t, row) => t === 'cases' && row.id === caseId).map((x) => ({
      ...x,
      version: 5,
      row: { ...x.row!, version: 5, place: '海淀区' },
    }));
    expect(await applyPullPage(dev.store.db, dev.clock, { changes: later, cursor: 'c-3' })).toMatchObject({ applied: 1 });
    expect(
      await applyPullPage(dev.store.db, dev.clock, {
        changes: changesOf(src, (t, row) => t === 'cases' && row.id === caseId),
        cursor: 'c-4',
      }),
    ).toMatchObject({ keptLocal: 1 });
    expect(dev.store.sqlite.prepare('SELECT version, place FROM cases WHERE id = ?').get(caseId)).toEqual({ version: 5, place: '海淀区' });
  });

  it('gives a person from the centre another username when theirs is taken here', async () => {
    await sourceCase();
    await dev.call(
      'users.create',
      { username: 'clerk', displayName: '本机受理员', password: 'Staff-pass-2026', roles: ['intake_clerk'] },
      devAdmin,
    );
    await applyPullPage(dev.store.db, dev.clock, { changes: changesOf(src), cursor: 'c-1' });
    const names = dev.store.sqlite.prepare("SELECT username, display_name FROM users WHERE username LIKE 'clerk%' ORDER BY username").all();
    expect(names).toEqual([
      { username: 'clerk', display_name: '本机受理员' },
      { username: expect.stringMatching(/^clerk\.[0-9a-f]{6}$/), display_name: '受理员甲' },
    ]);
    expect(await signIn(dev, 'clerk', 'Staff-pass-2026')).toBeTruthy();
  });

  it('refuses the whole page on a table outside the catalogue, a bad row, or a case this device does not hold', async () => {
    const { caseId } = await sourceCase();
    const good = changesOf(src);
    const caseChange = good.find((c) => c.table === 'cases')!;
    const material = good.find((c) => c.table === 'case_materials')!;
    await refusedPage(
      [...good, { table: 'sessions', key: { token_hash: 'x' }, version: 1, deleted: false, row: { token_hash: 'x' } }],
      '不同步的数据表“sessions”',
    );
    await refusedPage([...good, { ...material, row: { ...material.row, surprise: 1 } }], /申请材料.*格式不正确/);
    await refusedPage(
      [...good.filter((c) => c !== caseChange), { ...caseChange, row: { ...caseChange.row, version: 'two' } }],
      /案件.*格式不正确/,
    );
    await refusedPage(
      [...good.filter((c) => c !== caseChange), { ...caseChange, row: { ...caseChange.row, status: null } }],
      /案件.*格式不正确/,
    );
    await refusedPage([...good.filter((c) => c !== caseChange), { ...caseChange, key: { id: newId() } }], '数据与主键不一致');
    await refusedPage([...good.filter((c) => c !== caseChange), { ...caseChange, version: 9 }], '版本号与数据不一致');
    await refusedPage([...good, { ...material, deleted: true }], '既是删除又带有数据');
    await refusedPage([{ broken: true }], '数据页格式不正确');
    // Details of a case the device does not hold (and the page does not bring): refused.
    await refusedPage(
      good.filter((c) => c.table !== 'cases'),
      '属于本机没有的案件',
    );
    // A row pointing at a worker neither here nor in the page.
    await refusedPage(
      good.filter((c) => c.table !== 'workers'),
      '引用的伤者在本机和本页中都没有',
    );
    expect(dev.store.sqlite.prepare('SELECT count(*) AS n FROM cases WHERE id = ?').get(caseId)).toEqual({ n: 0 });
  });

  it('refuses a person registered separately here and at the centre (the same ID number under another record)', async () => {
    await sourceCase();
    // The device's own clerk registered the same rider: another worker record with the same 身份证号.
    const clerk = await deviceClerk();
    await dev.call('cases.register', beijingRider(), clerk);
    await refusedPage(changesOf(src), '唯一值');
  });

  it('takes issued documents only with their bytes fetched first, and keeps them addressable by hash', async () => {
    // Signed on the hearing's own day (a conclusion is never signed before it).
    await src.cleanup();
    src = makeTestCore(new Date('2026-11-24T02:00:00Z'));
    const admin = await setupAdmin(src);
    const scene = await hearingScene(src, admin);
    await gradeAndSign(src, scene);
    samePlatforms();
    await src.call(
      'numbering.addBlock',
      { series: 'appraisal', pattern: '宁劳鉴〔{year}〕第{seq:4}号', issuer: '西宁市劳动能力鉴定委员会', year: 2026, first: 1, last: 9 },
      admin,
    );
    const notice = await src.call('hearings.issueConclusion', { hearingId: scene.hearingId, caseId: scene.caseId }, scene.leader);
    const changes = changesOf(src);
    const doc = changes.find((c) => c.table === 'issued_documents')!;
    const hash = (doc.row!.pdf as { $blob: string }).$blob;
    expect(await missingBlobs(dev.store.db, [hash])).toEqual([hash]);
    await refusedPage(changes, '尚未下载');
    const pdf = (src.store.sqlite.prepare('SELECT pdf FROM issued_documents WHERE id = ?').get(notice.id) as { pdf: Buffer }).pdf;
    await expect(stageBlob(dev.store.db, dev.clock, hash, Buffer.concat([pdf, Buffer.from('x')]))).rejects.toThrow('do not match');
    await stageBlob(dev.store.db, dev.clock, hash, pdf);
    await applyPullPage(dev.store.db, dev.clock, { changes, cursor: 'c-1' });
    const here = dev.store.sqlite.prepare('SELECT pdf FROM issued_documents WHERE id = ?').get(notice.id) as { pdf: Buffer };
    expect(here.pdf.equals(pdf)).toBe(true);
    expect(dev.store.sqlite.prepare('SELECT count(*) AS n FROM sync_blobs').get()).toEqual({ n: 0 });
    expect((await readBlob(dev.store.db, hash))!.equals(pdf)).toBe(true);
    // A signed conclusion the centre sends differently: refused (append-only).
    const conclusion = changes.find((c) => c.table === 'appraisal_conclusions')!;
    await refusedPage([{ ...conclusion, row: { ...conclusion.row, grade: 1 } }], '签发后不能修改');
    await refusedPage([{ ...conclusion, deleted: true, row: null }], '只能追加');
  });

  it('applies a delete with its tombstone version, and refuses one that would orphan other rows', async () => {
    const { caseId } = await sourceCase();
    await applyPullPage(dev.store.db, dev.clock, { changes: changesOf(src), cursor: 'c-1' });
    const material = changesOf(src).find((c) => c.table === 'case_materials')!;
    const r = await applyPullPage(dev.store.db, dev.clock, {
      changes: [{ ...material, deleted: true, row: null, version: material.version + 1 }],
      cursor: 'c-2',
    });
    expect(r.applied).toBe(1);
    const key = JSON.stringify([material.key.case_id, material.key.code]);
    expect(dev.store.sqlite.prepare("SELECT version FROM sync_tombstones WHERE tbl = 'case_materials' AND key = ?").get(key)).toEqual({
      version: material.version + 1,
    });
    const caseChange = changesOf(src).find((c) => c.table === 'cases')!;
    await refusedPage([{ ...caseChange, deleted: true, row: null, version: 9 }], '失去所引用的数据');
    expect(dev.store.sqlite.prepare('SELECT count(*) AS n FROM cases WHERE id = ?').get(caseId)).toEqual({ n: 1 });
  });
});

/** A clerk of the device itself (the source's `clerk` is already a pulled account here). */
async function deviceClerk(): Promise<string> {
  await dev.call(
    'users.create',
    { username: 'devclerk', displayName: '本机受理员', password: 'Staff-pass-2026', roles: ['intake_clerk'] },
    devAdmin,
  );
  return signIn(dev, 'devclerk', 'Staff-pass-2026');
}

describe('local changes not yet answered', () => {
  it('never overwrites a row with a pending change; applies the centre row after the answer', async () => {
    const { caseId } = await sourceCase();
    await applyPullPage(dev.store.db, dev.clock, { changes: changesOf(src), cursor: 'c-1' });
    // The device's clerk (a person of this device) edits the pulled case's materials: a pending mutation.
    const clerk = await deviceClerk();
    const c = await dev.call('cases.get', { caseId }, clerk);
    await dev.call(
      'cases.setMaterials',
      { caseId, expectedVersion: c.version, materials: [{ code: c.materials[0]!.code, received: false }] },
      clerk,
    );
    const mine = parseOutboxRow(dev.store.sqlite.prepare('SELECT * FROM sync_outbox ORDER BY seq DESC LIMIT 1').get() as never);
    expect(mine.kind).toBe('cases.setMaterials');

    // Meanwhile at the centre the case moved on (version 3): the page's change to it waits.
    const centreCase = changesOf(src, (t, row) => t === 'cases' && row.id === caseId).map((x) => ({
      ...x,
      version: 3,
      row: { ...x.row!, version: 3, description: '中心更正的事故经过' },
    }));
    const r = await applyPullPage(dev.store.db, dev.clock, { changes: centreCase, cursor: 'c-2' });
    expect(r).toMatchObject({ deferred: 1, applied: 0 });
    expect(await pullCursor(dev.store.db)).toBe('c-2');
    const local = () =>
      dev.store.sqlite.prepare('SELECT version, description FROM cases WHERE id = ?').get(caseId) as {
        version: number;
        description: string;
      };
    expect(local()).toEqual({ version: 3, description: '送餐途中不慎摔倒，胸部着地' });

    // The centre's answer: a conflict. Its row wins here; ours stays in the outbox record.
    const result = {
      seq: mine.seq,
      mutationId: mine.mutationId,
      status: 'conflict',
      code: 'STALE',
      message: '案件已在中心更新',
      conflictId: newId(),
    };
    const recorded = await recordPushResult(dev.store.db, dev.clock, result);
    expect(recorded).toEqual({ status: 'conflict', deferredApplied: 1, repeated: false });
    expect(local()).toEqual({ version: 3, description: '中心更正的事故经过' });
    expect(dev.store.sqlite.prepare('SELECT status, last_error FROM sync_outbox WHERE seq = ?').get(mine.seq)).toEqual({
      status: 'conflict',
      last_error: '案件已在中心更新',
    });
    expect(dev.store.sqlite.prepare('SELECT count(*) AS n FROM sync_deferred').get()).toEqual({ n: 0 });
    // Recording the same answer again (a replay) changes nothing; another answer for it is refused.
    expect(await recordPushResult(dev.store.db, dev.clock, result)).toMatchObject({ repeated: true });
    await expect(recordPushResult(dev.store.db, dev.clock, { ...result, status: 'applied' })).rejects.toBeInstanceOf(PushResultRefused);
    await expect(recordPushResult(dev.store.db, dev.clock, { ...result, mutationId: newId() })).rejects.toThrow('不符');
    await expect(recordPushResult(dev.store.db, dev.clock, { ...result, status: 'maybe' })).rejects.toThrow('格式不正确');
  });

  it('after an acknowledgement, applies a waiting centre row only if it is newer than ours', async () => {
    const { caseId } = await sourceCase();
    await applyPullPage(dev.store.db, dev.clock, { changes: changesOf(src), cursor: 'c-1' });
    const clerk = await deviceClerk();
    const c = await dev.call('cases.get', { caseId }, clerk);
    await dev.call(
      'cases.setMaterials',
      { caseId, expectedVersion: c.version, materials: [{ code: c.materials[0]!.code, received: false }] },
      clerk,
    );
    const mine = parseOutboxRow(dev.store.sqlite.prepare('SELECT * FROM sync_outbox ORDER BY seq DESC LIMIT 1').get() as never);
    // An older centre state of the case (from before our change reached it) waits, then is dropped.
    const stale = changesOf(src, (t, row) => t === 'cases' && row.id === caseId);
    expect(await applyPullPage(dev.store.db, dev.clock, { changes: stale, cursor: 'c-2' })).toMatchObject({ deferred: 1 });
    const r = await recordPushResult(dev.store.db, dev.clock, {
      seq: mine.seq,
      mutationId: mine.mutationId,
      status: 'applied',
      code: null,
      message: null,
      conflictId: null,
    });
    expect(r).toEqual({ status: 'acked', deferredApplied: 0, repeated: false });
    expect(dev.store.sqlite.prepare('SELECT version FROM cases WHERE id = ?').get(caseId)).toEqual({ version: 3 });
    expect(dev.store.sqlite.prepare('SELECT status, acked_at IS NOT NULL AS acked FROM sync_outbox WHERE seq = ?').get(mine.seq)).toEqual({
      status: 'acked',
      acked: 1,
    });
    // Now nothing is pending for the case: the next centre row applies directly.
    const newer = stale.map((x) => ({ ...x, version: 4, row: { ...x.row!, version: 4 } }));
    expect(await applyPullPage(dev.store.db, dev.clock, { changes: newer, cursor: 'c-3' })).toMatchObject({ applied: 1 });
  });

  it('a whole batch acknowledged at once releases its keys, and a centre row that waited on them then applies', async () => {
    const { caseId } = await sourceCase();
    await applyPullPage(dev.store.db, dev.clock, { changes: changesOf(src), cursor: 'c-1' });
    const clerk = await deviceClerk();
    const setMaterials = async (received: boolean): Promise<void> => {
      const c = await dev.call('cases.get', { caseId }, clerk);
      await dev.call(
        'cases.setMaterials',
        { caseId, expectedVersion: c.version, materials: [{ code: c.materials[0]!.code, received }] },
        clerk,
      );
    };
    const last = () => parseOutboxRow(dev.store.sqlite.prepare('SELECT * FROM sync_outbox ORDER BY seq DESC LIMIT 1').get() as never);
    const applied = (m: { seq: number; mutationId: string }) => ({ ...m, status: 'applied', code: null, message: null, conflictId: null });
    const keysOf = (seq: number) => dev.store.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox_keys WHERE seq = ?').get(seq);
    // Nothing waits: the keys just go.
    await setMaterials(false);
    const first = last();
    expect(keysOf(first.seq)).not.toEqual({ n: 0 });
    await recordPushResults(dev.store.db, dev.clock, [applied(first)]);
    expect(keysOf(first.seq)).toEqual({ n: 0 });
    // A newer centre row of the case waits for our next change; once that is acknowledged it applies.
    await setMaterials(true);
    const second = last();
    const newer = changesOf(src, (t, row) => t === 'cases' && row.id === caseId).map((x) => ({
      ...x,
      version: 9,
      row: { ...x.row!, version: 9 },
    }));
    expect(await applyPullPage(dev.store.db, dev.clock, { changes: newer, cursor: 'c-2' })).toMatchObject({ deferred: 1 });
    await recordPushResults(dev.store.db, dev.clock, [applied(second)]);
    expect(keysOf(second.seq)).toEqual({ n: 0 });
    expect(dev.store.sqlite.prepare('SELECT version FROM cases WHERE id = ?').get(caseId)).toEqual({ version: 9 });
    expect(dev.store.sqlite.prepare('SELECT count(*) AS n FROM sync_deferred').get()).toEqual({ n: 0 });
  });
});

describe('a crash while applying a page', () => {
  function runChild(dir: string, page: unknown, when: 'before-commit' | 'after-commit') {
    const file = path.join(dir, `page-${when}.json`);
    fs.writeFileSync(file, JSON.stringify(page));
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, '../helpers/pull-child.ts'), dir, file, when],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(r.signal).toBe('SIGKILL');
  }

  it('keeps rows and cursor together: neither after a kill before the commit, both after a kill after it; the page then resumes', async () => {
    const { caseId } = await sourceCase();
    const page = { changes: changesOf(src), cursor: 'c-1' };
    const dir = dev.dir;
    await dev.close();
    runChild(dir, page, 'before-commit');
    let again = openTestCore(dir);
    expect(await pullCursor(again.store.db)).toBeNull();
    expect(again.store.sqlite.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 0 });
    expect(again.store.sqlite.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    await again.close();
    // The same page again (resumed from the stored cursor, which did not move), killed after the commit.
    runChild(dir, page, 'after-commit');
    again = openTestCore(dir);
    try {
      expect(await pullCursor(again.store.db)).toBe('c-1');
      expect(again.store.sqlite.prepare('SELECT count(*) AS n FROM cases WHERE id = ?').get(caseId)).toEqual({ n: 1 });
      expect(
        (await again.call('cases.search', { q: '单通' }, await signIn(again, 'devadmin', 'Admin-pass-2026'))).map((c) => c.id),
      ).toEqual([caseId]);
    } finally {
      await again.close();
    }
    dev = openTestCore(dir);
  });
});

describe('checks', () => {
  it('refuses a changes list longer than a page', async () => {
    await refusedPage(
      Array.from({ length: 1001 }, () => ({ table: 'cases', key: { id: 'x' }, version: 1, deleted: true, row: null })),
      '数据页格式不正确',
    );
  });
});
