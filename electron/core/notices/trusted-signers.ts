// Trusted devices: the signing keys of the unit's other laptops, registered by an administrator
// so that their notices verify as valid (not "unknown signer") and their 专场包 import without a
// warning. Keys travel as one line of text, `OIPKEY1:<key id>:<public key>`; the key id is the
// fingerprint two administrators read to each other to be sure the line was not swapped.
import { createPublicKey } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { ApiError } from '../../../shared/api/errors';
import { deviceKey, keyIdOf } from './device-key';

type Db = Kysely<Database>;
const PREFIX = 'OIPKEY1';

export function keyLine(keyId: string, publicKeyB64: string): string {
  return `${PREFIX}:${keyId}:${publicKeyB64}`;
}

/** Reads a key line (or a bare base64 public key) and checks it is an Ed25519 key. */
export function parseKeyLine(text: string): { keyId: string; publicKeyB64: string } {
  const parts = text.trim().split(':');
  const [given, b64] =
    parts.length === 3 && parts[0] === PREFIX ? [parts[1]!, parts[2]!] : parts.length === 1 ? [null, parts[0]!] : [null, ''];
  if (!/^[A-Za-z0-9+/]+=*$/.test(b64))
    throw new ApiError('INVALID_INPUT', '设备公钥格式不正确：请粘贴对方“可信设备”页显示的整行（以 OIPKEY1: 开头）', [
      { path: 'key', message: '格式不正确' },
    ]);
  let type: string | undefined;
  try {
    type = createPublicKey({ key: Buffer.from(b64, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyType;
  } catch {
    type = undefined;
  }
  if (type !== 'ed25519')
    throw new ApiError('INVALID_INPUT', '这不是有效的设备签名公钥（Ed25519），请重新复制对方设备的整行', [
      { path: 'key', message: '不是有效的公钥' },
    ]);
  const keyId = keyIdOf(b64);
  if (given !== null && given !== keyId)
    throw new ApiError('INVALID_INPUT', `指纹与公钥不符（应为 ${keyId}），文本可能被改动，请重新复制`, [
      { path: 'key', message: '指纹不符' },
    ]);
  return { keyId, publicKeyB64: b64 };
}

export async function listSigners(db: Db, dataDir: string) {
  const own = deviceKey(dataDir);
  const rows = await db.selectFrom('trusted_signers').selectAll().orderBy('added_at').execute();
  return {
    own: { keyId: own.keyId, line: keyLine(own.keyId, own.publicKeyB64) },
    trusted: rows.map((r) => ({ keyId: r.key_id, label: r.label, addedAt: r.added_at })),
  };
}

export async function addSigner(db: Db, clock: Clock, dataDir: string, input: { label: string; key: string }) {
  const { keyId, publicKeyB64 } = parseKeyLine(input.key);
  if (keyId === deviceKey(dataDir).keyId) throw new ApiError('RULE_REFUSED', '这是本机自己的密钥，无需登记');
  const existing = await db.selectFrom('trusted_signers').select('label').where('key_id', '=', keyId).executeTakeFirst();
  if (existing) throw new ApiError('CONFLICT', `该设备（${keyId}）已登记为“${existing.label}”`);
  await db
    .insertInto('trusted_signers')
    .values({ key_id: keyId, public_key: publicKeyB64, label: input.label.trim(), added_at: chinaInstant(clock.now()) })
    .execute();
  return { keyId };
}

export async function removeSigner(db: Db, keyId: string) {
  const row = await db.selectFrom('trusted_signers').select('label').where('key_id', '=', keyId).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', '该设备未登记');
  await db.deleteFrom('trusted_signers').where('key_id', '=', keyId).execute();
  return { label: row.label };
}
