// This device's keys, made on first use and kept in the data folder's keys/ with owner-only
// permissions: an Ed25519 key that signs notices, packages and sync requests (its key id, the
// first 16 hex digits of the public key's SHA-256, names the device), and an X25519 key that
// others encrypt hearing packages to. A device made before the X25519 key existed gets one on
// first use; the Ed25519 key, and so the key id, never changes.
import fs from 'node:fs';
import path from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { keyIdOf } from './ed25519';
import { secureKeyPath } from '../store-key';

export { keyIdOf } from './ed25519';

export interface DeviceKey {
  keyId: string;
  privateKey: KeyObject;
  /** SPKI DER, base64. */
  publicKeyB64: string;
  /** The X25519 key packages are encrypted to. */
  encryption: { privateKey: KeyObject; publicKeyB64: string };
}

const cache = new Map<string, DeviceKey>();

function loadOrMake(file: string, type: 'ed25519' | 'x25519'): KeyObject {
  if (fs.existsSync(file)) {
    secureKeyPath(file, 'file');
    const key = createPrivateKey(fs.readFileSync(file));
    if (key.asymmetricKeyType !== type) throw new Error(`密钥文件 ${path.basename(file)} 的类型不正确，请从备份恢复 keys 文件夹`);
    return key;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // generateKeyPairSync's overloads want a literal type; both branches are the same call.
  const privateKey = type === 'ed25519' ? generateKeyPairSync('ed25519').privateKey : generateKeyPairSync('x25519').privateKey;
  fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  return privateKey;
}

const spkiB64 = (privateKey: KeyObject): string =>
  (createPublicKey(privateKey).export({ type: 'spki', format: 'der' }) as Buffer).toString('base64');

export function deviceKey(dataDir: string): DeviceKey {
  const dir = path.join(dataDir, 'keys');
  const hit = cache.get(dir);
  if (hit) {
    // Still checked: permissions loosened while the app runs are tightened at the next use.
    for (const f of ['device-ed25519.pem', 'device-x25519.pem'])
      if (fs.existsSync(path.join(dir, f))) secureKeyPath(path.join(dir, f), 'file');
    return hit;
  }
  const privateKey = loadOrMake(path.join(dir, 'device-ed25519.pem'), 'ed25519');
  const encPrivate = loadOrMake(path.join(dir, 'device-x25519.pem'), 'x25519');
  const publicKeyB64 = spkiB64(privateKey);
  const key: DeviceKey = {
    keyId: keyIdOf(publicKeyB64),
    privateKey,
    publicKeyB64,
    encryption: { privateKey: encPrivate, publicKeyB64: spkiB64(encPrivate) },
  };
  cache.set(dir, key);
  return key;
}
