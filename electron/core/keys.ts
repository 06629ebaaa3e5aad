// Keys derived from the store key, one per purpose (HKDF-SHA-256 with a purpose label), so the
// store key itself is used only by SQLite: attachment files, backup files, and the key id a
// backup names so that a restore can tell whether a folder's key is the right one. Handed to
// services as a dependency; never written anywhere, never logged.
import { createHash, hkdfSync } from 'node:crypto';

export interface StoreKeys {
  /** First 16 hex digits of a hash of the store key: names the key without revealing it. */
  keyId: string;
  /** AES-256-GCM key for attachment files and the HMAC key for their names. */
  attachments: Buffer;
  /** The key a backup file is encrypted with, from the store key and the backup's own salt. */
  backup(salt: Buffer): Buffer;
  /** The raw store key: only for wrapping it under a recovery key and for restores. */
  storeKey: Buffer;
}

function derive(key: Buffer, label: string, salt: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.from(hkdfSync('sha256', key, salt, `oip-desk ${label}`, 32));
}

export function storeKeyId(storeKey: Buffer): string {
  return createHash('sha256').update(derive(storeKey, 'key id v1')).digest('hex').slice(0, 16);
}

export function deriveStoreKeys(storeKey: Buffer): StoreKeys {
  return {
    keyId: storeKeyId(storeKey),
    attachments: derive(storeKey, 'attachments v1'),
    backup: (salt) => derive(storeKey, 'backup v1', salt),
    storeKey,
  };
}
