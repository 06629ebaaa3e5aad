// This device's keys, made on first use and kept in the data folder's keys/ with owner-only
// permissions: an Ed25519 key that signs notices, packages and sync requests (its key id, the
// first 16 hex digits of the public key's SHA-256, names the device), and an X25519 key that
// others encrypt hearing packages to. A device made before the X25519 key existed gets one on
// first use; the Ed25519 key, and so the key id, never changes.
//
// keys/device-keys.json remembers which keys this folder has had: a key file that goes missing
// later is refused, never silently replaced by a new one (a new signing key would leave every
// document this device issued unverifiable here, and a new encryption key every package on its
// way to it unreadable). A restore brings back the whole keys folder, so it starts afresh.
import fs from 'node:fs';
import path from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { keyIdOf } from './ed25519';
import { secureKeyPath } from '../store-key';
import { ApiError } from '../../../shared/api/errors';

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

const FILES = { ed25519: 'device-ed25519.pem', x25519: 'device-x25519.pem' } as const;
const MARKER = 'device-keys.json';
const LABEL = { ed25519: '签名', x25519: '专场包加密' } as const;

interface Marker {
  ed25519?: string;
  x25519?: string;
}

function readMarker(dir: string): Marker {
  const file = path.join(dir, MARKER);
  if (!fs.existsSync(file)) return {};
  try {
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as Marker;
    return { ed25519: typeof m.ed25519 === 'string' ? m.ed25519 : undefined, x25519: typeof m.x25519 === 'string' ? m.x25519 : undefined };
  } catch {
    return {};
  }
}

function refuseMissing(type: 'ed25519' | 'x25519'): ApiError {
  return new ApiError(
    'CONFLICT',
    `本机的${LABEL[type]}密钥文件 keys/${FILES[type]} 不见了。已出具文书的签名和专场包都依赖这把密钥，系统不会换用新密钥：请从备份恢复数据目录（npm run -s cli -- restore），或把原 keys 文件夹中的该文件放回`,
  );
}

function loadOrMake(dir: string, type: 'ed25519' | 'x25519', had: boolean): KeyObject {
  const file = path.join(dir, FILES[type]);
  if (fs.existsSync(file)) {
    secureKeyPath(file, 'file');
    const key = createPrivateKey(fs.readFileSync(file));
    if (key.asymmetricKeyType !== type) throw new Error(`密钥文件 ${path.basename(file)} 的类型不正确，请从备份恢复 keys 文件夹`);
    return key;
  }
  if (had) throw refuseMissing(type);
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
    // Still checked: permissions loosened while the app runs are tightened at the next use, and a
    // file removed meanwhile is refused now rather than at the next start.
    const files = Object.values(FILES).map((name) => path.join(dir, name));
    if (files.every((f) => fs.existsSync(f))) {
      for (const f of files) secureKeyPath(f, 'file');
      return hit;
    }
    cache.delete(dir);
  }
  const had = readMarker(dir);
  const privateKey = loadOrMake(dir, 'ed25519', had.ed25519 !== undefined);
  const encPrivate = loadOrMake(dir, 'x25519', had.x25519 !== undefined);
  const publicKeyB64 = spkiB64(privateKey);
  const key: DeviceKey = {
    keyId: keyIdOf(publicKeyB64),
    privateKey,
    publicKeyB64,
    encryption: { privateKey: encPrivate, publicKeyB64: spkiB64(encPrivate) },
  };
  const marker: Marker = { ed25519: key.keyId, x25519: keyIdOf(key.encryption.publicKeyB64) };
  if (had.ed25519 !== marker.ed25519 || had.x25519 !== marker.x25519)
    fs.writeFileSync(path.join(dir, MARKER), JSON.stringify(marker), { mode: 0o600 });
  cache.set(dir, key);
  return key;
}
