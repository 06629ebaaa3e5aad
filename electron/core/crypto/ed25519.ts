// Ed25519 signing and verifying over bytes, with public keys as SPKI DER in base64 (the form
// key lines, notices, packages and the sync protocol carry). A malformed key or signature is
// a failed verification, never an exception.
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** A key's id: the first 16 hex digits of the SHA-256 of its SPKI DER. */
export function keyIdOf(publicKeyB64: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyB64, 'base64')).digest('hex').slice(0, 16);
}

export function signBytes(privateKey: KeyObject, bytes: Buffer | Uint8Array): string {
  return sign(null, bytes, privateKey).toString('base64');
}

export function verifyBytes(publicKeyB64: string, bytes: Buffer | Uint8Array, signatureB64: string): boolean {
  try {
    const pub = createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' });
    if (pub.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, bytes, pub, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

/** The key type of an SPKI DER public key in base64, or null when it is not one. */
export function publicKeyType(publicKeyB64: string): string | null {
  try {
    return createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyType ?? null;
  } catch {
    return null;
  }
}
