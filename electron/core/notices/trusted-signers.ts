// Trusted devices: the keys of the unit's other laptops, registered by an administrator so that
// their notices verify as valid (not "unknown signer") and their 专场包 can be imported — and
// addressed to them. Keys travel as one line of text:
//   OIPKEY2:<fingerprint>:<Ed25519 public key>:<X25519 public key>
// The fingerprint (16 hex digits of the SHA-256 over both keys) is what two administrators read
// to each other to be sure the line was not swapped. An old line, OIPKEY1:<key id>:<Ed25519
// key>, is still accepted: the device's notices then verify, but no package can be encrypted
// to it until it is registered again from its new line.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { ApiError } from '../../../shared/api/errors';
import { deviceKey, type DeviceKey } from '../crypto/device-key';
import { keyIdOf, publicKeyType } from '../crypto/ed25519';

type Db = Kysely<Database>;
const V1 = 'OIPKEY1';
const V2 = 'OIPKEY2';

/** 16 hex digits over both public keys (DER), so neither can be swapped without the fingerprint changing. */
export function fingerprintOf(publicKeyB64: string, encPublicKeyB64: string | null): string {
  if (!encPublicKeyB64) return keyIdOf(publicKeyB64);
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(publicKeyB64, 'base64'), Buffer.from(encPublicKeyB64, 'base64')]))
    .digest('hex')
    .slice(0, 16);
}

export function keyLine(key: Pick<DeviceKey, 'publicKeyB64' | 'encryption'>): string {
  const enc = key.encryption.publicKeyB64;
  return `${V2}:${fingerprintOf(key.publicKeyB64, enc)}:${key.publicKeyB64}:${enc}`;
}

export interface ParsedKeyLine {
  keyId: string;
  publicKeyB64: string;
  encPublicKeyB64: string | null;
  fingerprint: string;
}

const bad = (message: string, field: string): never => {
  throw new ApiError('INVALID_INPUT', message, [{ path: 'key', message: field }]);
};
const B64 = /^[A-Za-z0-9+/]+=*$/;

/** Reads a key line (OIPKEY2, OIPKEY1, or a bare base64 Ed25519 key) and checks its keys and fingerprint. */
export function parseKeyLine(text: string): ParsedKeyLine {
  const parts = text.trim().split(':');
  let given: string | null = null;
  let ed = '';
  let x: string | null = null;
  if (parts.length === 4 && parts[0] === V2) [given, ed, x] = [parts[1]!, parts[2]!, parts[3]!];
  else if (parts.length === 3 && parts[0] === V1) [given, ed] = [parts[1]!, parts[2]!];
  else if (parts.length === 1) ed = parts[0]!;
  if (!B64.test(ed) || (x !== null && !B64.test(x)))
    bad('设备公钥格式不正确：请粘贴对方“可信设备”页显示的整行（以 OIPKEY2: 开头）', '格式不正确');
  if (publicKeyType(ed) !== 'ed25519') bad('这不是有效的设备签名公钥（Ed25519），请重新复制对方设备的整行', '不是有效的公钥');
  if (x !== null && publicKeyType(x) !== 'x25519') bad('这一行中的加密公钥无效，请重新复制对方设备的整行', '加密公钥无效');
  const fingerprint = fingerprintOf(ed, x);
  if (given !== null && given !== fingerprint) bad(`指纹与公钥不符（应为 ${fingerprint}），文本可能被改动，请重新复制`, '指纹不符');
  return { keyId: keyIdOf(ed), publicKeyB64: ed, encPublicKeyB64: x, fingerprint };
}

export async function listSigners(db: Db, dataDir: string) {
  const own = deviceKey(dataDir);
  const rows = await db.selectFrom('trusted_signers').selectAll().orderBy('added_at').execute();
  return {
    own: { keyId: own.keyId, fingerprint: fingerprintOf(own.publicKeyB64, own.encryption.publicKeyB64), line: keyLine(own) },
    trusted: rows.map((r) => ({
      keyId: r.key_id,
      fingerprint: fingerprintOf(r.public_key, r.enc_public_key),
      label: r.label,
      addedAt: r.added_at,
      canReceive: r.enc_public_key !== null,
    })),
  };
}

export async function addSigner(db: Db, clock: Clock, dataDir: string, input: { label: string; key: string }) {
  const line = parseKeyLine(input.key);
  if (line.keyId === deviceKey(dataDir).keyId) throw new ApiError('RULE_REFUSED', '这是本机自己的密钥，无需登记');
  const existing = await db.selectFrom('trusted_signers').selectAll().where('key_id', '=', line.keyId).executeTakeFirst();
  if (existing) {
    // The same device registered from its old line gets its encryption key from the new one.
    if (existing.public_key === line.publicKeyB64 && !existing.enc_public_key && line.encPublicKeyB64) {
      await db.updateTable('trusted_signers').set({ enc_public_key: line.encPublicKeyB64 }).where('key_id', '=', line.keyId).execute();
      return { keyId: line.keyId, fingerprint: line.fingerprint, upgraded: true };
    }
    throw new ApiError('CONFLICT', `该设备（${line.fingerprint}）已登记为“${existing.label}”`);
  }
  await db
    .insertInto('trusted_signers')
    .values({
      key_id: line.keyId,
      public_key: line.publicKeyB64,
      enc_public_key: line.encPublicKeyB64,
      label: input.label.trim(),
      added_at: chinaInstant(clock.now()),
    })
    .execute();
  return { keyId: line.keyId, fingerprint: line.fingerprint, upgraded: false };
}

export async function removeSigner(db: Db, keyId: string) {
  const row = await db.selectFrom('trusted_signers').select('label').where('key_id', '=', keyId).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', '该设备未登记');
  await db.deleteFrom('trusted_signers').where('key_id', '=', keyId).execute();
  return { label: row.label };
}
