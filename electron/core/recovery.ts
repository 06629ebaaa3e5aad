// The recovery key: the way back into a store whose key was sealed by one machine's operating
// system (or lost with it). 160 random bits shown once as 8 groups of 4 characters; the store
// key is wrapped under a key derived from it with scrypt (AES-256-GCM) and the wrapped form
// kept in keys/recovery.json and in every backup's header. The recovery key itself is never
// stored. Issued at setup and re-issued by an administrator (the old one stops working).
import fs from 'node:fs';
import path from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb } from 'node:crypto';
import { z } from 'zod';
import { KEYS_DIR } from './store-key';
import { storeKeyId } from './keys';

export const RECOVERY_FILE = 'recovery.json';
/** Crockford's base32: no I, L, O, U, so a key read aloud or copied by hand has no look-alikes. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const KEY_BYTES = 20;

const recoveryFileSchema = z.object({
  format: z.literal('oip-recovery-1'),
  keyId: z.string(),
  createdAt: z.string(),
  kdf: z.object({ name: z.literal('scrypt'), logN: z.number().int().min(10).max(20), r: z.literal(8), p: z.literal(1), salt: z.string() }),
  nonce: z.string(),
  wrapped: z.string(),
  tag: z.string(),
});
export type RecoveryFile = z.infer<typeof recoveryFileSchema>;

export class RecoveryError extends Error {}

export function newRecoveryKey(): string {
  const bytes = randomBytes(KEY_BYTES);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** The key's bytes from what a person typed: case, spaces, dashes and look-alikes forgiven. */
export function parseRecoveryKey(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (clean.length !== 32 || [...clean].some((c) => !ALPHABET.includes(c)))
    throw new RecoveryError('恢复密钥格式不对：应为 32 个字母或数字（通常按 4 个一组、以短横线分隔），请核对后重新输入');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of clean) {
    value = ((value << 5) | ALPHABET.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function kek(recoveryKey: Buffer, salt: Buffer, logN: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(recoveryKey, salt, 32, { N: 1 << logN, r: 8, p: 1, maxmem: 256 * (1 << logN) * 8 }, (e, k) => (e ? reject(e) : resolve(k))),
  );
}

export async function wrapStoreKey(storeKey: Buffer, recoveryKey: string, logN: number, createdAt: string): Promise<RecoveryFile> {
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await kek(parseRecoveryKey(recoveryKey), salt, logN), nonce);
  const keyId = storeKeyId(storeKey);
  cipher.setAAD(Buffer.from(`oip-recovery-1:${keyId}`));
  const wrapped = Buffer.concat([cipher.update(storeKey), cipher.final()]);
  return {
    format: 'oip-recovery-1',
    keyId,
    createdAt,
    kdf: { name: 'scrypt', logN, r: 8, p: 1, salt: salt.toString('base64') },
    nonce: nonce.toString('base64'),
    wrapped: wrapped.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

export function parseRecoveryFile(json: unknown): RecoveryFile {
  const r = recoveryFileSchema.safeParse(json);
  if (!r.success) throw new RecoveryError('恢复信息（keys/recovery.json）已损坏，无法使用恢复密钥；请从备份恢复 keys 文件夹');
  return r.data;
}

/** The store key, or a clear refusal when the recovery key is not the one this file was made for. */
export async function unwrapStoreKey(file: RecoveryFile, recoveryKey: string): Promise<Buffer> {
  const decipher = createDecipheriv(
    'aes-256-gcm',
    await kek(parseRecoveryKey(recoveryKey), Buffer.from(file.kdf.salt, 'base64'), file.kdf.logN),
    Buffer.from(file.nonce, 'base64'),
  );
  decipher.setAAD(Buffer.from(`oip-recovery-1:${file.keyId}`));
  decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
  let key: Buffer;
  try {
    key = Buffer.concat([decipher.update(Buffer.from(file.wrapped, 'base64')), decipher.final()]);
  } catch {
    throw new RecoveryError('恢复密钥不正确（或已被管理员重新生成而作废），请核对后重试');
  }
  if (key.length !== 32 || storeKeyId(key) !== file.keyId) throw new RecoveryError('恢复信息与密钥不符，无法恢复');
  return key;
}

export function recoveryFilePath(dataDir: string): string {
  return path.join(dataDir, KEYS_DIR, RECOVERY_FILE);
}

export function readRecoveryFile(dataDir: string): RecoveryFile | null {
  const file = recoveryFilePath(dataDir);
  if (!fs.existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new RecoveryError('恢复信息（keys/recovery.json）已损坏，无法使用恢复密钥；请从备份恢复 keys 文件夹');
  }
  return parseRecoveryFile(json);
}

/**
 * Writes the new wrapped key beside the current one; `commit()` puts it in place. Called from a
 * handler, the commit runs after the transaction that records the issue: a refused call leaves
 * the previous recovery key working.
 */
export async function issueRecoveryKey(
  dataDir: string,
  storeKey: Buffer,
  logN: number,
  createdAt: string,
): Promise<{ recoveryKey: string; commit(): void }> {
  const recoveryKey = newRecoveryKey();
  const staged = stageRecoveryFile(dataDir, await wrapStoreKey(storeKey, recoveryKey, logN, createdAt));
  return { recoveryKey, commit: () => staged.commit() };
}

export function stageRecoveryFile(dataDir: string, file: RecoveryFile): { commit(): void } {
  const dir = path.join(dataDir, KEYS_DIR);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Left by a call that was refused after staging: never in use.
  for (const f of fs.readdirSync(dir)) if (f.startsWith(`${RECOVERY_FILE}.`) && f.endsWith('.pending')) fs.rmSync(path.join(dir, f));
  const pending = path.join(dir, `${RECOVERY_FILE}.${randomBytes(4).toString('hex')}.pending`);
  fs.writeFileSync(pending, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { commit: () => fs.renameSync(pending, path.join(dir, RECOVERY_FILE)) };
}
