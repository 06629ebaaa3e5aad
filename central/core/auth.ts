// Signed requests (docs/sync-protocol.md §3). Nonces live in the database, so any node accepts
// a nonce another node issued and every node refuses one already used: the nonce is deleted by
// the statement that accepts it, and the next one is issued in that same statement.
import { sql } from 'kysely';
import { HEADER_DEVICE, HEADER_NONCE, HEADER_SIGNATURE, signingString } from '../../shared/sync/protocol';
import type { Db } from '../db/database';
import { chinaInstant, type Clock } from './clock';
import { randomToken, sha256Hex, verifyEd25519 } from './crypto';
import { CentralError } from './errors';

export const NONCE_MINUTES = 5;
/** Unused nonces kept per device; older ones are dropped when a new one is issued. */
const NONCES_PER_DEVICE = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NONCE = /^[A-Za-z0-9_-]{16,100}$/;
const SIGNATURE = /^[A-Za-z0-9+/]{40,200}={0,2}$/;

export interface Device {
  id: string;
  tag: string;
  officeId: string;
  officeName: string;
  publicKey: string;
  keyId: string;
  lastSeq: number;
}

const unauthenticated = (message: string): CentralError => new CentralError('UNAUTHENTICATED', 401, message);
export const revokedError = (): CentralError =>
  new CentralError('DEVICE_REVOKED', 403, '这台设备已被中心停用，不能再同步。本机数据和待同步记录都保留着，可以导出后交给管理员处理');

export async function issueNonce(db: Db, clock: Clock, deviceId: string): Promise<{ nonce: string; expiresAt: string }> {
  const now = clock.now();
  const expires = new Date(now.getTime() + NONCE_MINUTES * 60_000);
  const nonce = randomToken();
  await sql`
    WITH dropped AS (
      DELETE FROM nonces WHERE device_id = ${deviceId} AND (expires_at <= ${now.toISOString()} OR nonce IN (
        SELECT nonce FROM nonces WHERE device_id = ${deviceId} ORDER BY expires_at DESC OFFSET ${NONCES_PER_DEVICE - 1})))
    INSERT INTO nonces (nonce, device_id, expires_at) VALUES (${nonce}, ${deviceId}, ${expires.toISOString()})`.execute(db);
  return { nonce, expiresAt: chinaInstant(expires) };
}

/** `POST /v1/nonce`: for a device that has none (first request after a restart). */
export async function nonceForDevice(db: Db, clock: Clock, deviceId: string): Promise<{ nonce: string; expiresAt: string }> {
  const d = await db.selectFrom('devices').select(['revoked_at']).where('id', '=', deviceId).executeTakeFirst();
  if (!d) throw unauthenticated('中心没有这台设备的注册记录，请重新注册');
  if (d.revoked_at) throw revokedError();
  return issueNonce(db, clock, deviceId);
}

export interface SignedRequest {
  method: string;
  /** Path and query exactly as sent (what the device signed). */
  url: string;
  body: Uint8Array;
  header(name: string): string | undefined;
}

/**
 * Checks a signed request and consumes its nonce; returns the device and its next nonce.
 * Order matters: an unknown or revoked device and a bad signature are refused before the nonce
 * is touched, so a forged request cannot burn a device's nonces.
 */
export async function authenticate(db: Db, clock: Clock, req: SignedRequest): Promise<{ device: Device; nextNonce: string }> {
  const deviceId = req.header(HEADER_DEVICE) ?? '';
  const nonce = req.header(HEADER_NONCE) ?? '';
  const signature = req.header(HEADER_SIGNATURE) ?? '';
  if (!UUID.test(deviceId) || !NONCE.test(nonce) || !SIGNATURE.test(signature))
    throw unauthenticated('请求缺少设备签名（设备编号、一次性随机数或签名），请用本应用同步');
  const row = await db
    .selectFrom('devices')
    .innerJoin('offices', 'offices.id', 'devices.office_id')
    .select([
      'devices.id',
      'devices.tag',
      'devices.office_id',
      'offices.name as office_name',
      'devices.public_key',
      'devices.key_id',
      'devices.last_seq',
      'devices.revoked_at',
    ])
    .where('devices.id', '=', deviceId)
    .executeTakeFirst();
  if (!row) throw unauthenticated('中心没有这台设备的注册记录，请重新注册');
  if (row.revoked_at) throw revokedError();
  const text = signingString(req.method, req.url, sha256Hex(req.body), nonce);
  if (!verifyEd25519(row.public_key, Buffer.from(text), signature))
    throw unauthenticated('请求签名无效：不是这台设备的密钥签的，或请求在途中被改动');

  const now = clock.now();
  const next = randomToken();
  const r = await sql<{ nonce: string }>`
    WITH used AS (
      DELETE FROM nonces WHERE nonce = ${nonce} AND device_id = ${deviceId} AND expires_at > ${now.toISOString()} RETURNING device_id)
    INSERT INTO nonces (nonce, device_id, expires_at)
    SELECT ${next}, device_id, ${new Date(now.getTime() + NONCE_MINUTES * 60_000).toISOString()} FROM used
    RETURNING nonce`.execute(db);
  if (r.rows.length !== 1)
    throw new CentralError('NONCE_INVALID', 401, '请求的一次性随机数无效、已过期或已被使用（重复的请求已拒绝），请重试');
  return {
    device: {
      id: row.id,
      tag: row.tag,
      officeId: row.office_id,
      officeName: row.office_name,
      publicKey: row.public_key,
      keyId: row.key_id,
      lastSeq: row.last_seq,
    },
    nextNonce: next,
  };
}
