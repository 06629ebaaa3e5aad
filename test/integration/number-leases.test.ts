// Document-number leases on the device (issue #13) against a real centre (PGlite, in memory):
// blocks arrive with a sync pass and are used offline by real issuance, the centre accepts the
// documents; a typed block is not used once the centre leases its series; a handed-back block is
// closed at once and confirmed at the next pass; a lease not signed by the pinned centre key is
// refused whole. Then a fast-check property: several devices, random offline periods, random
// issuing and hand-backs — no 文号 is ever issued twice, and each lies in its device's lease.
import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestCore } from '../helpers/core';
import { enrolledDevice } from '../helpers/enrolled';
import { useFileCentre, type TestCentre } from '../helpers/central';
import { defineSeries, listLeases, seqOf } from '../../central/core/leases';
import { runSyncPass } from '../../electron/core/sync/engine';
import { applyLeaseReply, LeaseRefused } from '../../electron/core/sync/leases';
import { readSyncState } from '../../electron/core/sync/state';
import { deviceKey } from '../../electron/core/crypto/device-key';
import { takeNumber } from '../../electron/core/notices/numbering';
import { ApiError } from '../../shared/api/errors';
import type { FetchLike } from '../../electron/core/sync/centre-client';

let centre: TestCentre;
const cores: TestCore[] = [];

useFileCentre((c) => (centre = c), cores);

const PATTERN = '宁职伤受〔{year}〕{seq}号';

const enrolled = (office: string, name: string) => enrolledDevice(centre, cores, office, name);

const example = () => JSON.parse(fs.readFileSync('docs/examples/notice-acceptance.json', 'utf8')) as Record<string, unknown>;

const blocks = (t: TestCore) =>
  t.store.sqlite.prepare('SELECT * FROM doc_number_blocks ORDER BY first_no').all() as {
    id: string;
    first_no: number;
    last_no: number;
    next_no: number;
    source: string;
    lease_id: string | null;
    returned_from: number | null;
    return_acked_at: string | null;
  }[];

const offlineFetch: FetchLike = () => Promise.reject(new TypeError('fetch failed: 网络不可达'));

function pass(t: TestCore, online = true) {
  return runSyncPass({ db: t.store.db, clock: t.clock, key: deviceKey(t.dir), ...(online ? {} : { fetch: offlineFetch }) }, 'cli');
}

describe('leases on the device', () => {
  it('arrive with a pass, are used offline by real issuance, and the centre accepts the documents', async () => {
    const office = '西宁市社保经办';
    await defineSeries(centre.db, centre.clock, {
      office,
      series: 'intake',
      year: 2026,
      issuer: '西宁市社保经办',
      pattern: PATTERN,
      blockSize: 3,
      lowWater: 1,
    });
    const A = await enrolled(office, 'A');
    const B = await enrolled(office, 'B');
    // A typed block for the same series: once the centre leases the series here it is not used.
    await A.t.call(
      'numbering.addBlock',
      { series: 'intake', pattern: PATTERN, issuer: '手工', year: 2026, first: 100, last: 109 },
      A.admin,
    );
    expect(await A.t.call('notices.issue', { caseId: null, data: example() }, A.admin)).toMatchObject({
      documentNo: '宁职伤受〔2026〕100号',
    });
    // Pushed, it is refused: the centre leases the series and the number is in no lease of A's.
    expect(await pass(A.t)).toMatchObject({ ok: true, rejected: 1 });
    const refused = A.t.store.sqlite.prepare("SELECT result FROM sync_outbox WHERE status = 'rejected'").get() as { result: string };
    expect(JSON.parse(refused.result)).toMatchObject({ code: 'DOC_NO_NOT_LEASED' });
    expect((await pass(B.t)).ok).toBe(true);
    const leasedA = blocks(A.t).filter((b) => b.lease_id);
    expect(leasedA.map((b) => [b.first_no, b.last_no])).toEqual([[1, 3]]);
    expect(blocks(B.t).map((b) => [b.first_no, b.last_no, b.source])).toEqual([[4, 6, 'sync']]);
    const audit = A.t.store.sqlite.prepare("SELECT summary FROM audit_log WHERE method = 'sync.leases'").all() as { summary: string }[];
    expect(audit[0]!.summary).toContain('中心分配文号号段：intake 2026 年 1–3');

    // Offline: numbers still come, from the lease.
    const a1 = await A.t.call('notices.issue', { caseId: null, data: example() }, A.admin);
    const b1 = await B.t.call('notices.issue', { caseId: null, data: example() }, B.admin);
    expect([a1.documentNo, b1.documentNo]).toEqual(['宁职伤受〔2026〕1号', '宁职伤受〔2026〕4号']);
    expect(await pass(A.t)).toMatchObject({ ok: true, rejected: 0 });
    expect(await pass(B.t)).toMatchObject({ ok: true, rejected: 0 });

    // Used up: the pass that saw 1 left topped A up; two more, then the third block's first.
    await A.t.call('notices.issue', { caseId: null, data: example() }, A.admin);
    expect(await pass(A.t)).toMatchObject({ ok: true, errors: [] });
    expect(
      blocks(A.t)
        .filter((b) => b.lease_id)
        .map((b) => [b.first_no, b.last_no]),
    ).toEqual([
      [1, 3],
      [7, 9],
    ]);
    await A.t.call('notices.issue', { caseId: null, data: example() }, A.admin);
    expect((await A.t.call('notices.issue', { caseId: null, data: example() }, A.admin)).documentNo).toBe('宁职伤受〔2026〕7号');
    expect((await pass(A.t)).rejected).toBe(0);
  }, 120_000);

  it('a hand-back closes the block at once, audited, and is confirmed by the centre at the next pass', async () => {
    const office = '海东市社保经办';
    await defineSeries(centre.db, centre.clock, {
      office,
      series: 'confirmation',
      year: 2026,
      issuer: '海东市社保经办',
      pattern: '东职确〔{year}〕{seq}号',
      blockSize: 5,
      lowWater: 0,
    });
    const A = await enrolled(office, 'A');
    await pass(A.t);
    const [lease] = blocks(A.t);
    const r = await A.t.call('numbering.returnBlock', { id: lease!.id }, A.admin);
    expect(r).toMatchObject({ from: 1, last: 5 });
    await expect(A.t.store.db.transaction().execute((trx) => takeNumber(trx, 'confirmation', 2026))).rejects.toThrow(ApiError);
    expect((await A.t.call('numbering.listBlocks', {}, A.admin))[0]).toMatchObject({
      returnedFrom: 1,
      returnAcknowledged: false,
      remaining: 0,
    });
    const second = await A.t.fail('numbering.returnBlock', { id: lease!.id }, A.admin);
    expect(second.message).toContain('已于');
    expect((await pass(A.t)).ok).toBe(true);
    expect((await A.t.call('numbering.listBlocks', {}, A.admin))[0]).toMatchObject({ returnAcknowledged: true });
    // The centre leased it a fresh block (low-water 0, nothing left), not the one it returned.
    expect(blocks(A.t).map((b) => [b.first_no, b.last_no])).toEqual([
      [1, 5],
      [6, 10],
    ]);
    const audit = A.t.store.sqlite.prepare("SELECT summary FROM audit_log WHERE method = 'numbering.returnBlock'").all() as {
      summary: string;
    }[];
    expect(audit[0]!.summary).toContain('交还文号号段 confirmation 2026 年未用的 1–5');
  }, 120_000);

  it('a lease not signed by the pinned centre key, or made out to another device, is refused whole', async () => {
    const office = '海北州社保经办';
    await defineSeries(centre.db, centre.clock, {
      office,
      series: 'benefits',
      year: 2026,
      issuer: '海北州社保经办',
      pattern: '北待核〔{year}〕{seq}号',
      blockSize: 5,
    });
    const A = await enrolled(office, 'A');
    const B = await enrolled(office, 'B');
    const enrolment = (await readSyncState(A.t.store.db)).enrolment!;
    const keyB = deviceKey(B.t.dir);
    const { CentreClient } = await import('../../electron/core/sync/centre-client');
    const stateB = (await readSyncState(B.t.store.db)).enrolment!;
    const clientB = new CentreClient({ baseUrl: centre.url, key: keyB, deviceId: stateB.deviceId });
    const replyB = await clientB.leases({ usage: [], returns: [] });
    const good = replyB.leases[0]!;
    // B's genuine lease offered to A: made out to another device.
    await expect(applyLeaseReply(A.t.store.db, A.t.clock, enrolment, replyB)).rejects.toThrow(/不是分配给本机/);
    // Re-addressed to A: the signature no longer holds.
    const forged = { ...replyB, leases: [{ ...good, lease: { ...good.lease, deviceId: enrolment.deviceId } }] };
    await expect(applyLeaseReply(A.t.store.db, A.t.clock, enrolment, forged)).rejects.toThrow(LeaseRefused);
    expect(blocks(A.t)).toEqual([]);
  }, 120_000);
});

describe('property: two devices never issue the same 文号', () => {
  it('several devices, random offline periods, issuing and hand-backs', async () => {
    const office = '玉树州社保经办';
    const pattern = '玉职伤受〔{year}〕{seq}号';
    await defineSeries(centre.db, centre.clock, {
      office,
      series: 'intake',
      year: 2026,
      issuer: office,
      pattern,
      blockSize: 4,
      lowWater: 1,
    });
    const devices = [await enrolled(office, 'P1'), await enrolled(office, 'P2'), await enrolled(office, 'P3')];
    const online = devices.map(() => true);
    const issued = new Map<string, number>(); // 文号 → device index
    let duplicates = 0;

    const step = fc.oneof(
      fc.record({ kind: fc.constant('take' as const), dev: fc.nat(2), n: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant('sync' as const), dev: fc.nat(2) }),
      fc.record({ kind: fc.constant('toggle' as const), dev: fc.nat(2) }),
      fc.record({ kind: fc.constant('return' as const), dev: fc.nat(2) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 30 }), async (steps) => {
        for (const s of steps) {
          const d = devices[s.dev]!;
          if (s.kind === 'toggle') online[s.dev] = !online[s.dev];
          else if (s.kind === 'sync') await pass(d.t, online[s.dev]);
          else if (s.kind === 'return') {
            const open = blocks(d.t).filter((b) => b.returned_from === null && b.next_no <= b.last_no);
            if (open.length > 0) await d.t.call('numbering.returnBlock', { id: open[0]!.id }, d.admin);
          } else
            for (let i = 0; i < s.n; i++) {
              // The same function issuance uses, in a transaction of its own (the document's).
              const got = await d.t.store.db
                .transaction()
                .execute((trx) => takeNumber(trx, 'intake', 2026))
                .catch((e: unknown) => {
                  if (e instanceof ApiError) return null; // none left until the next online pass
                  throw e;
                });
              if (!got) break;
              if (issued.has(got.documentNo)) duplicates++;
              issued.set(got.documentNo, s.dev);
            }
        }
        expect(duplicates).toBe(0);
      }),
      { numRuns: 12 },
    );

    // Every device back online once: each number lies in a lease the centre made out to its
    // device, in a part that was not handed back before it was used.
    for (const d of devices) await pass(d.t, true);
    const tags = await Promise.all(devices.map(async (d) => (await readSyncState(d.t.store.db)).enrolment!.deviceTag));
    const leases = (await listLeases(centre.db)).leases.filter((l) => l.series === 'intake' && l.issuer === office);
    expect(issued.size).toBeGreaterThan(0);
    for (const [no, dev] of issued) {
      const seq = seqOf(pattern, 2026, no)!;
      const own = leases.filter((l) => l.device === tags[dev] && l.first <= seq && seq <= l.last);
      expect(own.length, `${no} 应在设备 ${tags[dev]} 的号段内`).toBeGreaterThan(0);
      expect(own.some((l) => l.returnedFrom === null || seq < l.returnedFrom)).toBe(true);
    }
  }, 600_000);
});
