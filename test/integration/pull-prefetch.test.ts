// The pull loop asks for the next page while it applies this one (engine.ts pull()), and a page
// the client has checked against the contract is not parsed again (applyCheckedPage). Here, in
// front of a real centre (PGlite), a transport that records every pull and spoils one page's row:
// the spoiled page is refused with the same words applyPullPage gives, the page already asked for
// behind it is dropped unapplied, the stored cursor stays at the last good page, and the next
// pass resumes from there and brings everything.
import { describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { beijingRider, staff, withCheckDigit } from '../helpers/intake';
import { useFileCentre, type TestCentre } from '../helpers/central';
import { makeEnrolCode } from '../../central/core/enrolment';
import { deviceKey } from '../../electron/core/crypto/device-key';
import { runSyncPass } from '../../electron/core/sync/engine';
import type { FetchLike, FetchLikeResponse } from '../../electron/core/sync/centre-client';
import { applyCheckedPage, applyPullPage, pullCursor, PullRefused } from '../../electron/core/replication/pull';
import type { Change, PullReply } from '../../shared/sync/protocol';

let centre: TestCentre;
const cores: TestCore[] = [];

useFileCentre((c) => (centre = c), cores);

interface Pulled {
  cursor: string;
  reply: PullReply;
}

/** Real fetch, recording every pull reply; `spoil` may rewrite one (by its place among the pulls). */
function recordingFetch(spoil: (n: number, reply: PullReply) => PullReply | null) {
  const pulls: Pulled[] = [];
  const inflight: Promise<unknown>[] = [];
  const fetchLike: FetchLike = (url, init) => {
    const p = (async (): Promise<FetchLikeResponse> => {
      const res = await fetch(url, {
        method: init.method,
        headers: init.headers,
        body: init.body as BodyInit | undefined,
        signal: init.signal,
      });
      let bytes = new Uint8Array(await res.arrayBuffer());
      const u = new URL(url);
      if (u.pathname === '/v1/pull' && res.status === 200) {
        let reply = JSON.parse(Buffer.from(bytes).toString('utf8')) as PullReply;
        reply = spoil(pulls.length, reply) ?? reply;
        pulls.push({ cursor: u.searchParams.get('cursor') ?? '', reply });
        bytes = new TextEncoder().encode(JSON.stringify(reply));
      }
      return { status: res.status, headers: { get: (n) => res.headers.get(n) }, body: null, arrayBuffer: async () => bytes.slice().buffer };
    })();
    inflight.push(p.catch(() => undefined));
    return p;
  };
  return { pulls, fetch: fetchLike, settled: () => Promise.all(inflight) };
}

const keyOf = (c: Change): string => `${c.table}|${JSON.stringify(c.key)}`;
const CASE_TABLES = new Set(['workers', 'cases', 'case_materials', 'case_transitions']);

function has(t: TestCore, c: Change): boolean {
  const cols = Object.keys(c.key);
  const row = t.store.sqlite
    .prepare(`SELECT 1 FROM ${c.table} WHERE ${cols.map((k) => `${k} = ?`).join(' AND ')}`)
    .get(...cols.map((k) => c.key[k]));
  return row !== undefined;
}

describe('pulling ahead', () => {
  it('drops the page asked for ahead when the page before it is refused; the next pass resumes from the last good cursor', async () => {
    // A registers three cases and pushes them; B, of the same office, pulls in pages of 3.
    const A = makeTestCore(new Date('2026-11-24T02:00:00Z'));
    cores.push(A);
    const adminA = await setupAdmin(A);
    const s = await staff(A, adminA);
    for (const n of ['001', '002', '003'])
      await A.call('cases.register', beijingRider({ idNumber: withCheckDigit(`63010219900101${n}`) }), s.clerk);
    const codeA = (await makeEnrolCode(centre.db, centre.clock, { office: '西宁市社保经办' })).code;
    await A.call('sync.enrol', { url: centre.url, code: codeA, deviceName: 'A' }, adminA);
    expect((await A.call('sync.now', {}, adminA)).ok).toBe(true);

    const B = makeTestCore(new Date('2026-11-25T02:00:00Z'));
    cores.push(B);
    const adminB = await setupAdmin(B);
    const codeB = (await makeEnrolCode(centre.db, centre.clock, { office: '西宁市社保经办' })).code;
    await B.call('sync.enrol', { url: centre.url, code: codeB, deviceName: 'B' }, adminB);

    // The first page that brings a case gets a column this store does not have (the contract allows it; the store does not).
    let spoiled: number | null = null;
    const t = recordingFetch((n, reply) => {
      if (spoiled !== null || n === 0 || !reply.more || !reply.changes.some((c) => c.table === 'cases')) return null;
      spoiled = n;
      const i = reply.changes.findIndex((c) => c.table === 'cases');
      return { ...reply, changes: reply.changes.map((c, j) => (j === i ? { ...c, row: { ...c.row, surprise: 1 } } : c)) };
    });
    const pass = (fetch: FetchLike) => runSyncPass({ db: B.store.db, clock: B.clock, key: deviceKey(B.dir), fetch, pullLimit: 3 }, 'cli');
    const failed = await pass(t.fetch);
    await t.settled();
    expect(failed.ok).toBe(false);
    expect(spoiled).not.toBeNull();
    const bad = t.pulls[spoiled!]!;
    const ahead = t.pulls[spoiled! + 1]!;
    // The page behind the spoiled one was asked for (with the spoiled page's cursor) before the refusal...
    expect(ahead.cursor).toBe(bad.reply.cursor);
    expect(t.pulls).toHaveLength(spoiled! + 2);
    // ...and dropped: none of its case rows (new to this page) is here, and the cursor is the last good page's.
    const before = new Set(t.pulls.slice(0, spoiled! + 1).flatMap((p) => p.reply.changes.map(keyOf)));
    const onlyAhead = ahead.reply.changes.filter((c) => CASE_TABLES.has(c.table) && !c.deleted && !before.has(keyOf(c)));
    expect(onlyAhead.length).toBeGreaterThan(0);
    for (const c of onlyAhead) expect(has(B, c), keyOf(c)).toBe(false);
    for (const c of bad.reply.changes.filter((x) => CASE_TABLES.has(x.table))) expect(has(B, c), keyOf(c)).toBe(false);
    expect(await pullCursor(B.store.db)).toBe(bad.cursor);

    // The refusal is the one applyPullPage gives for the same page (checked once, by the same rules).
    const direct = await applyPullPage(B.store.db, B.clock, bad.reply).then(
      () => null,
      (e: unknown) => e,
    );
    expect(direct).toBeInstanceOf(PullRefused);
    expect((direct as Error).message).toMatch(/案件.*格式不正确/);
    expect(failed.errors[0]).toBe((direct as Error).message);
    expect(await pullCursor(B.store.db)).toBe(bad.cursor);

    // The centre behaves again: the next pass starts at the stored cursor and brings all three cases.
    const clean = recordingFetch(() => null);
    const ok = await pass(clean.fetch);
    await clean.settled();
    expect(ok.errors).toEqual([]);
    expect(clean.pulls[0]!.cursor).toBe(bad.cursor);
    expect(B.store.sqlite.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 3 });
    expect(B.store.sqlite.prepare('SELECT count(*) AS n FROM case_search').get()).toEqual({ n: 3 });
    expect((await B.call('cases.search', { q: '单通' }, adminB)).length).toBe(3);
  }, 240_000);

  it('refuses a checked page without a cursor to store as applyPullPage does, writing nothing', async () => {
    const t = makeTestCore();
    cores.push(t);
    await setupAdmin(t);
    const page = { changes: [], cursor: '' };
    const viaChecked = await applyCheckedPage(t.store.db, t.clock, page).then(
      () => null,
      (e: unknown) => e,
    );
    const viaParse = await applyPullPage(t.store.db, t.clock, page).then(
      () => null,
      (e: unknown) => e,
    );
    expect(viaChecked).toBeInstanceOf(PullRefused);
    expect((viaChecked as Error).message).toBe((viaParse as Error).message);
    expect((viaChecked as Error).message).toContain('数据页格式不正确');
    expect(await pullCursor(t.store.db)).toBeNull();
  });
});
