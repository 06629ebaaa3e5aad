// This device's Ed25519 signing key, made on first use and kept in the data folder with
// owner-only permissions. The key id is the first 16 hex digits of the public key's SHA-256.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { secureKeyPath } from '../store-key';

export interface DeviceKey {
  keyId: string;
  privateKey: KeyObject;
  /** SPKI DER, base64. */
  publicKeyB64: string;
}

export function keyIdOf(publicKeyB64: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyB64, 'base64')).digest('hex').slice(0, 16);
}

const cache = new Map<string, DeviceKey>();

export function deviceKey(dataDir: string): DeviceKey {
  const file = path.join(dataDir, 'keys', 'device-ed25519.pem');
  const hit = cache.get(file);
  if (hit) {
    // Still checked: permissions loosened while the app runs are tightened at the next use.
    if (fs.existsSync(file)) secureKeyPath(file, 'file');
    return hit;
  }
  let privateKey: KeyObject;
  if (fs.existsSync(file)) {
    secureKeyPath(file, 'file');
    privateKey = createPrivateKey(fs.readFileSync(file));
  } else {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    privateKey = generateKeyPairSync('ed25519').privateKey;
    fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  const publicKeyB64 = (createPublicKey(privateKey).export({ type: 'spki', format: 'der' }) as Buffer).toString('base64');
  const key = { keyId: keyIdOf(publicKeyB64), privateKey, publicKeyB64 };
  cache.set(file, key);
  return key;
}
