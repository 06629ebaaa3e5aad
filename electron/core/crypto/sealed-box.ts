// Encryption to one device's X25519 public key, for files that travel on a USB stick: a fresh
// ephemeral X25519 key per file, ECDH with the recipient's key, HKDF-SHA256 to a 256-bit key,
// AES-256-GCM over the (gzip-compressed) plaintext with the header as associated data. Only the
// holder of the recipient's private key can read it; any changed byte fails the GCM tag.
import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { canonical } from '../../../shared/crypto/canonical';

export interface SealedHeader {
  format: string;
  version: 1;
  /** The recipient's Ed25519 key id (which device can open it). */
  recipient: string;
  /** The ephemeral X25519 public key, SPKI DER base64. */
  epk: string;
  /** The GCM nonce, 12 bytes base64. */
  iv: string;
}

export interface Sealed extends SealedHeader {
  ciphertext: string;
  /** The GCM tag, 16 bytes base64. */
  tag: string;
}

const INFO = Buffer.from('oip-desk sealed-box v1');
/** Decompression stops here: a small file cannot unpack into gigabytes. */
const MAX_PLAIN = 256 * 1024 * 1024;

function x25519Public(b64: string): KeyObject {
  const key = createPublicKey({ key: Buffer.from(b64, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'x25519') throw new Error('not an X25519 key');
  return key;
}

function derive(shared: Buffer, epk: string, recipientPub: string): Buffer {
  const salt = Buffer.concat([Buffer.from(epk, 'base64'), Buffer.from(recipientPub, 'base64')]);
  return Buffer.from(hkdfSync('sha256', shared, salt, INFO, 32));
}

const aad = (h: SealedHeader): Buffer =>
  Buffer.from(canonical({ format: h.format, version: h.version, recipient: h.recipient, epk: h.epk, iv: h.iv }));

export function seal(plaintext: Buffer, to: { keyId: string; encPublicKey: string }, format: string): Sealed {
  const recipient = x25519Public(to.encPublicKey);
  const eph = generateKeyPairSync('x25519');
  const epk = (eph.publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64');
  const key = derive(diffieHellman({ privateKey: eph.privateKey, publicKey: recipient }), epk, to.encPublicKey);
  const header: SealedHeader = { format, version: 1, recipient: to.keyId, epk, iv: randomBytes(12).toString('base64') };
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(header.iv, 'base64'), { authTagLength: 16 });
  cipher.setAAD(aad(header));
  const ciphertext = Buffer.concat([cipher.update(gzipSync(plaintext)), cipher.final()]);
  return { ...header, ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Opens a sealed file with this device's X25519 private key; null when it cannot (wrong key, altered bytes). */
export function open(sealed: Sealed, own: { privateKey: KeyObject; publicKeyB64: string }): Buffer | null {
  try {
    const key = derive(diffieHellman({ privateKey: own.privateKey, publicKey: x25519Public(sealed.epk) }), sealed.epk, own.publicKeyB64);
    // A fixed tag length: otherwise GCM would accept a tag cut down to 4 bytes.
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(aad(sealed));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const packed = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    return gunzipSync(packed, { maxOutputLength: MAX_PLAIN });
  } catch {
    return null;
  }
}
