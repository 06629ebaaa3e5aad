// Document-number leases at the centre (issue #13; docs/central.md, docs/sync-protocol.md §9).
// Owns the number series an administrator defines for an office, the blocks leased from them to
// the office's devices (granted during sync when a device runs low, signed with the centre's key),
// hand-backs of unused numbers (leased again later), voiding a revoked device's blocks (kept on
// record), and the check a pushed issued document must pass: its 文号 lies in a lease of the
// device that signed or pushed it, in a part neither handed back nor voided. Uniqueness of each
// 文号 stays documents.ts's claim.
import { sql } from 'kysely';
import { formatDocumentNo } from '../../shared/notices/layout';
import { leaseSigningText, type Lease, type LeasesReply, type LeasesRequest, type SignedLease } from '../../shared/sync/leases';
import type { Db } from '../db/database';
import { revokedError, type Device } from './auth';
import { ensureCentreKey, signWithCentreKey, type CentreKey } from './centre-key';
import type { Clock } from './clock';
import { newId } from './crypto';
import { CentralError, invalid, isUniqueViolation } from './errors';
import { ensureOffice } from './offices';
import type { Refusal } from './roles';

export interface SeriesInput {
  office?: string | undefined;
  series: string;
  year: number;
  issuer: string;
  pattern: string;
  blockSize?: number | undefined;
  lowWater?: number | undefined;
}

export interface SeriesView {
  id: string;
  office: string;
  series: string;
  year: number;
  issuer: string;
  pattern: string;
  blockSize: number;
  lowWater: number;
  nextNo: number;
  created: boolean;
}

// The device's own rule for a series code (shared/api/methods/notices.ts blockSchema).
const SERIES_NAME = /^[a-z-]{2,30}$/;

/** Defines a series for an office; defining the same one again is a no-op, a different one under its name is refused. */
export async function defineSeries(db: Db, clock: Clock, s: SeriesInput): Promise<SeriesView> {
  if (!SERIES_NAME.test(s.series)) throw invalid('序列代码应为 2 到 30 个小写英文字母或连字符（如 appraisal、intake）');
  if (!Number.isInteger(s.year) || s.year < 2000 || s.year > 2200) throw invalid('年份应为 2000 到 2200 之间的整数');
  const issuer = s.issuer.trim();
  if (!issuer || issuer.length > 200) throw invalid('发文机关应为 1 到 200 个字符');
  if (!/\{seq(?::\d+)?\}/.test(s.pattern) || s.pattern.length > 200)
    throw invalid('文号格式须包含 {seq}（序号），例如 青人社鉴〔{year}〕第{seq:4}号');
  const blockSize = s.blockSize ?? 100;
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 100_000) throw invalid('每段号数应为 1 到 100000 之间的整数');
  const lowWater = s.lowWater ?? Math.max(1, Math.floor(blockSize / 5));
  if (!Number.isInteger(lowWater) || lowWater < 0 || lowWater > blockSize) throw invalid('补号下限应为 0 到每段号数之间的整数');
  const office = await ensureOffice(db, clock, s.office);
  const row = { series: s.series, year: s.year, issuer, pattern: s.pattern, block_size: blockSize, low_water: lowWater };
  let created = false;
  try {
    const ins = await sql<{ id: string }>`
      INSERT INTO number_series (id, office_id, series, year, issuer, pattern, block_size, low_water, created_at)
      VALUES (${newId()}, ${office.id}, ${row.series}, ${row.year}, ${row.issuer}, ${row.pattern}, ${row.block_size}, ${row.low_water},
        ${clock.now().toISOString()})
      ON CONFLICT (series, year, issuer) DO NOTHING RETURNING id`.execute(db);
    created = ins.rows.length === 1;
  } catch (e) {
    if (isUniqueViolation(e))
      throw new CentralError('INVALID_INPUT', 409, `${s.year} 年已有使用同一文号格式的序列：两个序列不能共用一种文号格式`);
    throw e;
  }
  const r = await sql<{
    id: string;
    office_id: string;
    pattern: string;
    block_size: number;
    low_water: number;
    next_no: number;
  }>`SELECT id, office_id, pattern, block_size, low_water, next_no FROM number_series
     WHERE series = ${row.series} AND year = ${row.year} AND issuer = ${row.issuer}`.execute(db);
  const got = r.rows[0]!;
  if (!created && (got.office_id !== office.id || got.pattern !== row.pattern))
    throw new CentralError(
      'INVALID_INPUT',
      409,
      `序列 ${s.series}（${s.year} 年，${issuer}）已存在且机构或文号格式不同：已发出的号段不能改格式，请另设序列`,
    );
  return {
    id: got.id,
    office: office.name,
    series: row.series,
    year: row.year,
    issuer,
    pattern: got.pattern,
    blockSize: got.block_size,
    lowWater: got.low_water,
    nextNo: got.next_no,
    created,
  };
}

interface LeaseRow {
  id: string;
  device_id: string;
  series: string;
  year: number;
  issuer: string;
  pattern: string;
  first_no: number;
  last_no: number;
  leased_at: Date | string;
  key_id: string;
  signature: string;
}

const leaseOf = (r: Omit<LeaseRow, 'key_id' | 'signature'>): Lease => ({
  id: r.id,
  deviceId: r.device_id,
  series: r.series,
  year: r.year,
  issuer: r.issuer,
  pattern: r.pattern,
  first: r.first_no,
  last: r.last_no,
  leasedAt: new Date(r.leased_at).toISOString(),
});

function signLease(key: CentreKey, l: Lease): string {
  return signWithCentreKey(key, Buffer.from(leaseSigningText(l), 'utf8'));
}

/** The year in China now: series of earlier years are not topped up any more. */
const chinaYear = (d: Date): number => new Date(d.getTime() + 8 * 3600_000).getUTCFullYear();

/**
 * One exchange, in one transaction under the device row's lock (one device's exchanges are
 * serialised across nodes): record hand-backs and usage, top up every series of the device's
 * office that runs low (under the series row's lock, so two devices never get the same numbers),
 * and answer with all the device's active leases. Asked again after a lost reply it grants
 * nothing new (the lost lease still counts as unused) and returns the same leases.
 */
export async function exchangeLeases(db: Db, clock: Clock, device: Device, req: LeasesRequest): Promise<LeasesReply> {
  const key = await ensureCentreKey(db, clock);
  const now = clock.now();
  return db.transaction().execute(async (trx) => {
    const d = await sql<{ revoked: boolean }>`
      SELECT revoked_at IS NOT NULL AS revoked FROM devices WHERE id = ${device.id} FOR UPDATE`.execute(trx);
    if (!d.rows[0]) throw new CentralError('UNAUTHENTICATED', 401, '中心没有这台设备的注册记录，请重新注册');
    if (d.rows[0].revoked) throw revokedError();

    const returned: string[] = [];
    for (const r of req.returns) {
      const q = await sql<{ id: string; series_id: string; status: string; first_no: number; last_no: number; used_next: number }>`
        SELECT id, series_id, status, first_no, last_no, used_next FROM number_leases
        WHERE id = ${r.leaseId} AND device_id = ${device.id} FOR UPDATE`.execute(trx);
      const l = q.rows[0];
      if (!l) continue;
      if (l.status === 'returned') {
        returned.push(l.id);
        continue;
      }
      if (l.status !== 'active') continue;
      if (r.from < l.first_no || r.from > l.last_no + 1) throw invalid(`交还号段的起始号 ${r.from} 不在号段 ${l.first_no}–${l.last_no} 内`);
      // Never free a number the centre has seen used, whatever the device says.
      const from = Math.max(r.from, l.used_next);
      await sql`UPDATE number_leases SET status = 'returned', returned_from = ${from}, returned_at = ${now.toISOString()}
        WHERE id = ${l.id}`.execute(trx);
      if (from <= l.last_no)
        await sql`
          INSERT INTO number_leases (id, series_id, device_id, first_no, last_no, status, used_next, returned_by, created_at)
          VALUES (${newId()}, ${l.series_id}, NULL, ${from}, ${l.last_no}, 'free', ${from}, ${device.id}, ${now.toISOString()})`.execute(
          trx,
        );
      returned.push(l.id);
    }

    for (const u of req.usage)
      await sql`UPDATE number_leases SET used_next = GREATEST(used_next, LEAST(${u.next}::int, last_no + 1))
        WHERE id = ${u.leaseId} AND device_id = ${device.id} AND status = 'active'`.execute(trx);

    const series = await sql<{ id: string; block_size: number; low_water: number; next_no: number }>`
      SELECT id, block_size, low_water, next_no FROM number_series
      WHERE office_id = ${device.officeId}::uuid AND year >= ${chinaYear(now)}
      ORDER BY series, year, issuer FOR UPDATE`.execute(trx);
    for (const s of series.rows) {
      const rem = await sql<{ n: number }>`
        SELECT coalesce(sum(last_no - used_next + 1), 0)::int AS n FROM number_leases
        WHERE series_id = ${s.id} AND device_id = ${device.id} AND status = 'active' AND used_next <= last_no`.execute(trx);
      if (rem.rows[0]!.n > s.low_water) continue;
      await grant(trx, key, s, device.id, now);
    }

    const held = await sql<LeaseRow>`
      SELECT l.id, l.device_id, s.series, s.year, s.issuer, s.pattern, l.first_no, l.last_no, l.leased_at, l.key_id, l.signature
      FROM number_leases l JOIN number_series s ON s.id = l.series_id
      WHERE l.device_id = ${device.id} AND l.status = 'active' ORDER BY s.series, s.year, l.first_no`.execute(trx);
    const leases: SignedLease[] = held.rows.map((r) => ({ lease: leaseOf(r), keyId: r.key_id, signature: r.signature }));
    return { ok: true as const, leases, returned };
  });
}

/**
 * One block for a device: a range another device handed back first (lowest first), else the
 * series' next numbers. A device is not given back what it just returned (it was returned for a
 * reason, e.g. the laptop leaves service).
 */
async function grant(
  trx: Db,
  key: CentreKey,
  s: { id: string; block_size: number; next_no: number },
  deviceId: string,
  now: Date,
): Promise<void> {
  const meta = await sql<{ series: string; year: number; issuer: string; pattern: string }>`
    SELECT series, year, issuer, pattern FROM number_series WHERE id = ${s.id}`.execute(trx);
  const m = meta.rows[0]!;
  const free = await sql<{ id: string; first_no: number; last_no: number }>`
    SELECT id, first_no, last_no FROM number_leases
    WHERE series_id = ${s.id} AND status = 'free' AND returned_by IS DISTINCT FROM ${deviceId}::uuid
    ORDER BY first_no LIMIT 1 FOR UPDATE`.execute(trx);
  const piece = free.rows[0];
  const id = piece?.id ?? newId();
  const first = piece?.first_no ?? s.next_no;
  const last = piece?.last_no ?? s.next_no + s.block_size - 1;
  const lease: Lease = {
    id,
    deviceId,
    series: m.series,
    year: m.year,
    issuer: m.issuer,
    pattern: m.pattern,
    first,
    last,
    leasedAt: now.toISOString(),
  };
  const signature = signLease(key, lease);
  if (piece) {
    await sql`UPDATE number_leases SET device_id = ${deviceId}, status = 'active', used_next = first_no, leased_at = ${lease.leasedAt},
      key_id = ${key.keyId}, signature = ${signature} WHERE id = ${id}`.execute(trx);
    return;
  }
  await sql`UPDATE number_series SET next_no = ${last + 1} WHERE id = ${s.id}`.execute(trx);
  await sql`
    INSERT INTO number_leases (id, series_id, device_id, first_no, last_no, status, used_next, leased_at, key_id, signature, created_at)
    VALUES (${id}, ${s.id}, ${deviceId}, ${first}, ${last}, 'active', ${first}, ${lease.leasedAt}, ${key.keyId}, ${signature},
      ${lease.leasedAt})`.execute(trx);
}

/** Called in the transaction that revokes a device: its active leases are voided, never leased again, kept on record. */
export async function voidLeases(trx: Db, deviceId: string, at: string): Promise<number> {
  const r = await sql<{ id: string }>`
    UPDATE number_leases SET status = 'voided', voided_at = ${at} WHERE device_id = ${deviceId} AND status = 'active' RETURNING id`.execute(
    trx,
  );
  return r.rows.length;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The sequence number of a 文号 under a series' pattern: null when the 文号 is not of the series'
 * shape; `exact` false when it is of its shape but not spelled as the device formats it (padding).
 */
export function parseSeq(pattern: string, year: number, documentNo: string): { seq: number; exact: boolean } | null {
  const seqAt = /\{seq(?::\d+)?\}/.exec(pattern);
  if (!seqAt) return null;
  const head = pattern.slice(0, seqAt.index);
  const before = head.replace('{year}', String(year));
  const tail = pattern.slice(seqAt.index + seqAt[0].length);
  const after = head.includes('{year}') ? tail : tail.replace('{year}', String(year));
  const m = new RegExp(`^${escapeRegExp(before)}(\\d{1,9})${escapeRegExp(after)}$`).exec(documentNo);
  if (!m) return null;
  const seq = Number(m[1]);
  return { seq, exact: seq >= 1 && formatDocumentNo(pattern, year, seq) === documentNo };
}

/** The sequence number of a 文号 in the exact form the device formats, else null. */
export function seqOf(pattern: string, year: number, documentNo: string): number | null {
  const p = parseSeq(pattern, year, documentNo);
  return p?.exact ? p.seq : null;
}

/**
 * The centre's check on a pushed issued document (hook in merge.ts checkDocument): a 文号 of a
 * series the centre leases must lie in a lease of the signing or the pushing device, in a part
 * neither handed back nor voided. Numbers of series the centre does not lease (blocks typed on a
 * device before the centre took the series over) are left to the uniqueness claim alone.
 */
export async function checkLeasedNumber(
  trx: Db,
  documentNo: string,
  by: { pusherId: string; signerKeyId: string },
): Promise<Refusal | null> {
  const all = await sql<{ id: string; year: number; pattern: string }>`SELECT id, year, pattern FROM number_series`.execute(trx);
  const refuse = (why: string): Refusal => ({ code: 'DOC_NO_NOT_LEASED', message: `文号 ${documentNo} ${why}，这份文书未被采纳` });
  for (const s of all.rows) {
    const p = parseSeq(s.pattern, s.year, documentNo);
    if (!p) continue;
    // Another spelling of a leased number (padding) would slip past the uniqueness claim.
    if (!p.exact) return refuse('的写法与中心序列的文号格式不符');
    const seq = p.seq;
    const q = await sql<{ id: string; status: string; returned_from: number | null }>`
      SELECT l.id, l.status, l.returned_from FROM number_leases l JOIN devices d ON d.id = l.device_id
      WHERE l.series_id = ${s.id} AND l.first_no <= ${seq} AND l.last_no >= ${seq}
        AND (d.id = ${by.pusherId}::uuid OR d.key_id = ${by.signerKeyId})
      ORDER BY l.leased_at DESC LIMIT 1 FOR UPDATE OF l`.execute(trx);
    const l = q.rows[0];
    if (!l) return refuse('不在签发设备从中心领用的号段内');
    if (l.status === 'voided') return refuse('所在号段已随设备停用而作废');
    if (l.status === 'returned' && l.returned_from !== null && seq >= l.returned_from) return refuse('所在的号段部分已交还中心');
    await sql`UPDATE number_leases SET used_next = GREATEST(used_next, ${seq + 1}::int) WHERE id = ${l.id}`.execute(trx);
    return null;
  }
  return null;
}

export interface LeaseRecord {
  id: string;
  series: string;
  year: number;
  issuer: string;
  device: string | null;
  first: number;
  last: number;
  usedNext: number;
  status: string;
  returnedFrom: number | null;
}

/** Every lease on record (the `leases` command): who holds which numbers, what came back, what was voided. */
export async function listLeases(db: Db): Promise<{ leases: LeaseRecord[] }> {
  const r = await sql<LeaseRecord>`
    SELECT l.id, s.series, s.year, s.issuer, d.tag AS device, l.first_no AS first, l.last_no AS last, l.used_next AS "usedNext",
      l.status, l.returned_from AS "returnedFrom"
    FROM number_leases l JOIN number_series s ON s.id = l.series_id LEFT JOIN devices d ON d.id = l.device_id
    ORDER BY s.series, s.year, s.issuer, l.first_no`.execute(db);
  return { leases: r.rows };
}
