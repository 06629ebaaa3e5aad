// Document-number leases at the centre (issue #13), through the device's real protocol client
// against a real centre on PGlite: series per office, blocks granted when a device runs low and
// signed with the centre key, a lost reply asked again grants nothing new, hand-backs leased
// again to another device, a revoked device's blocks voided and kept, and the push check that a
// document's 文号 lies in its device's lease.
import { sql } from 'kysely';
import { v7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { appendSignature } from '../../electron/core/notices/signature';
import { sha256 } from '../../electron/core/crypto/hash';
import type { DeviceKey } from '../../electron/core/crypto/device-key';
import { verifyBytes } from '../../electron/core/crypto/ed25519';
import { CentreError } from '../../electron/core/sync/centre-client';
import { leaseSigningText, type SignedLease } from '../../shared/sync/leases';
import type { RowChange } from '../../shared/sync/protocol';
import { defineSeries, listLeases, seqOf } from '../../central/core/leases';
import { revokeDevice } from '../../central/core/admin';
import { enrolTestDevice, mutation, seedUsers, upsert, type TestCentre, type TestDevice, useSharedCentre } from '../helpers/central';

let centre: TestCentre;
useSharedCentre((c) => (centre = c));

const PATTERN = '宁人社鉴〔{year}〕第{seq:4}号';
const OFFICE = '西宁市社保经办';

async function series(o: { office?: string; block?: number; low?: number; pattern?: string; name?: string } = {}) {
  return defineSeries(centre.db, centre.clock, {
    office: o.office ?? OFFICE,
    series: o.name ?? 'appraisal',
    year: 2026,
    issuer: '西宁市劳动能力鉴定委员会',
    pattern: o.pattern ?? PATTERN,
    blockSize: o.block ?? 10,
    lowWater: o.low ?? 2,
  });
}

const ranges = (ls: SignedLease[]) => ls.map((l) => [l.lease.first, l.lease.last]);

describe('series and grants', () => {
  it('grants each device of the office its own signed block; devices of other offices get none', async () => {
    await series();
    const a = await enrolTestDevice(centre, OFFICE, { name: 'A' });
    const b = await enrolTestDevice(centre, OFFICE, { name: 'B' });
    const c = await enrolTestDevice(centre, '海东市社保经办', { name: 'C' });
    const ra = await a.client.leases({ usage: [], returns: [] });
    const rb = await b.client.leases({ usage: [], returns: [] });
    const rc = await c.client.leases({ usage: [], returns: [] });
    expect(ranges(ra.leases)).toEqual([[1, 10]]);
    expect(ranges(rb.leases)).toEqual([[11, 20]]);
    expect(rc.leases).toEqual([]);
    const l = ra.leases[0]!;
    expect(l.lease).toMatchObject({ deviceId: a.deviceId, series: 'appraisal', year: 2026, pattern: PATTERN });
    expect(verifyBytes(a.centrePublicKey, Buffer.from(leaseSigningText(l.lease)), l.signature)).toBe(true);
    // Any change to the lease breaks the signature.
    expect(verifyBytes(a.centrePublicKey, Buffer.from(leaseSigningText({ ...l.lease, last: 99 })), l.signature)).toBe(false);
  });

  it('asked again (a lost reply) it grants nothing new; once usage passes the low-water mark it tops up', async () => {
    await series();
    const a = await enrolTestDevice(centre, OFFICE);
    const first = await a.client.leases({ usage: [], returns: [] });
    const again = await a.client.leases({ usage: [], returns: [] });
    expect(again.leases).toEqual(first.leases);
    const id = first.leases[0]!.lease.id;
    // 7 used, 3 left: above the mark of 2.
    expect(ranges((await a.client.leases({ usage: [{ leaseId: id, next: 8 }], returns: [] })).leases)).toEqual([[1, 10]]);
    // 9 used, 1 left: a second block.
    expect(ranges((await a.client.leases({ usage: [{ leaseId: id, next: 10 }], returns: [] })).leases)).toEqual([
      [1, 10],
      [11, 20],
    ]);
  });

  it('defining a series again is a no-op; another pattern under its name, or one pattern for two series, is refused', async () => {
    const s = await series();
    expect(s.created).toBe(true);
    expect((await series()).created).toBe(false);
    await expect(series({ pattern: '宁人社鉴〔{year}〕{seq}号' })).rejects.toThrow(/文号格式不同/);
    await expect(series({ name: 'benefits' })).rejects.toThrow(/同一文号格式/);
    await expect(series({ pattern: '没有序号', name: 'intake' })).rejects.toThrow(/\{seq\}/);
  });
});

describe('hand-backs and revocation', () => {
  it('a handed-back rest is leased again to another device; the hand-back is confirmed every time it is asked', async () => {
    await series();
    const a = await enrolTestDevice(centre, OFFICE, { name: 'A' });
    const b = await enrolTestDevice(centre, OFFICE, { name: 'B' });
    const la = (await a.client.leases({ usage: [], returns: [] })).leases[0]!.lease;
    const back = await a.client.leases({ usage: [], returns: [{ leaseId: la.id, from: 4 }] });
    expect(back.returned).toEqual([la.id]);
    // A has nothing left: a new block from the series' next numbers.
    expect(ranges(back.leases)).toEqual([[11, 20]]);
    expect((await a.client.leases({ usage: [], returns: [{ leaseId: la.id, from: 4 }] })).returned).toEqual([la.id]);
    // B gets A's unused 4–10 first.
    expect(ranges((await b.client.leases({ usage: [], returns: [] })).leases)).toEqual([[4, 10]]);
    const all = (await listLeases(centre.db)).leases;
    expect(all.find((l) => l.id === la.id)).toMatchObject({ status: 'returned', returnedFrom: 4, first: 1, last: 10 });
  });

  it("a revoked device's blocks are voided and kept on record, never leased again", async () => {
    await series();
    const a = await enrolTestDevice(centre, OFFICE, { name: 'A' });
    const b = await enrolTestDevice(centre, OFFICE, { name: 'B' });
    await a.client.leases({ usage: [], returns: [] });
    await revokeDevice(centre.db, centre.clock, a.deviceId);
    const e = await a.client.leases({ usage: [], returns: [] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CentreError);
    expect((e as CentreError).code).toBe('DEVICE_REVOKED');
    expect(ranges((await b.client.leases({ usage: [], returns: [] })).leases)).toEqual([[11, 20]]);
    const all = (await listLeases(centre.db)).leases;
    expect(all.map((l) => [l.first, l.status])).toEqual([
      [1, 'voided'],
      [11, 'active'],
    ]);
  });
});

describe('push check on issued documents', () => {
  function signedDoc(key: DeviceKey, documentNo: string): { pdf: Buffer; sha: string; row: RowChange } {
    const facts = { no: documentNo, type: 'appraisal-conclusion', date: '2026-11-24', issuer: OFFICE, signer: '测试人员' };
    const { signed, block } = appendSignature(Buffer.from(`%PDF-1.3\n${documentNo}\n%%EOF`), key, facts);
    const sha = sha256(signed);
    const row = upsert(
      'issued_documents',
      { id: v7() },
      {
        type: 'appraisal-conclusion',
        case_id: null,
        series: 'appraisal',
        document_no: documentNo,
        data: '{}',
        pdf: { $blob: sha },
        pdf_sha256: sha,
        key_id: block.keyId,
        signature: block.signature,
        signer_id: null,
        signer_name: '测试人员',
        issued_at: 'x',
      },
      null,
      1,
    );
    return { pdf: signed, sha, row };
  }

  async function issue(dev: TestDevice, no: string, signer = dev) {
    const doc = signedDoc(signer.key, no);
    await dev.client.putBlob(doc.sha, doc.pdf);
    return (await dev.client.push([mutation(dev, 'notices.issueForCase', [doc.row])])).results[0]!;
  }

  it('accepts a number of the pusher’s lease and refuses one of another device’s, one handed back, or outside any lease', async () => {
    await series();
    const a = await enrolTestDevice(centre, OFFICE, { name: 'A' });
    const b = await enrolTestDevice(centre, OFFICE, { name: 'B' });
    await seedUsers(a);
    b.userId = a.userId;
    const la = (await a.client.leases({ usage: [], returns: [] })).leases[0]!.lease;
    await b.client.leases({ usage: [], returns: [] });

    expect(await issue(a, '宁人社鉴〔2026〕第0001号')).toMatchObject({ status: 'applied' });
    const other = await issue(a, '宁人社鉴〔2026〕第0011号');
    expect(other).toMatchObject({ status: 'rejected', code: 'DOC_NO_NOT_LEASED' });
    expect(other.message).toContain('不在签发设备从中心领用的号段内');
    expect(await issue(a, '宁人社鉴〔2026〕第0099号')).toMatchObject({ status: 'rejected', code: 'DOC_NO_NOT_LEASED' });
    // Another spelling of a leased number is not the number.
    expect(await issue(a, '宁人社鉴〔2026〕第02号')).toMatchObject({ status: 'rejected', code: 'DOC_NO_NOT_LEASED' });

    await a.client.leases({ usage: [{ leaseId: la.id, next: 2 }], returns: [{ leaseId: la.id, from: 3 }] });
    expect(await issue(a, '宁人社鉴〔2026〕第0002号')).toMatchObject({ status: 'applied' });
    const back = await issue(a, '宁人社鉴〔2026〕第0003号');
    expect(back).toMatchObject({ status: 'rejected', code: 'DOC_NO_NOT_LEASED' });
    expect(back.message).toContain('交还');
    // A number of a series the centre does not lease is left to the uniqueness claim.
    expect(await issue(a, '宁职确〔2026〕1号')).toMatchObject({ status: 'applied' });
    // The centre now knows 1–2 used: the hand-back never freed them.
    const row = (await listLeases(centre.db)).leases.find((l) => l.id === la.id)!;
    expect(row).toMatchObject({ usedNext: 3, returnedFrom: 3 });
    expect(await sql`SELECT 1 FROM number_leases WHERE status = 'free' AND first_no = 3`.execute(centre.db)).toMatchObject({
      rows: [{}],
    });
  });

  it('a document signed by another enrolled device comes home under that device’s lease', async () => {
    await series();
    const a = await enrolTestDevice(centre, OFFICE, { name: 'A' });
    const venue = await enrolTestDevice(centre, OFFICE, { name: '专场' });
    await seedUsers(a);
    await venue.client.leases({ usage: [], returns: [] });
    await a.client.leases({ usage: [], returns: [] });
    expect(await issue(a, '宁人社鉴〔2026〕第0001号', venue)).toMatchObject({ status: 'applied' });
  });
});

describe('seqOf', () => {
  it('reads the number back only in the exact form the device formats', () => {
    expect(seqOf(PATTERN, 2026, '宁人社鉴〔2026〕第0042号')).toBe(42);
    expect(seqOf(PATTERN, 2026, '宁人社鉴〔2026〕第12345号')).toBe(12345);
    expect(seqOf(PATTERN, 2026, '宁人社鉴〔2026〕第042号')).toBeNull();
    expect(seqOf(PATTERN, 2025, '宁人社鉴〔2026〕第0042号')).toBeNull();
    expect(seqOf('{seq}/{year}(a.b)', 2026, '7/2026(a.b)')).toBe(7);
    expect(seqOf('{seq}/{year}(a.b)', 2026, '7/2026(axb)')).toBeNull();
  });
});
