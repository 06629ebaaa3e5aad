// Hashes, random tokens, ids and Ed25519 for the centre. Canonical JSON is the same function
// the devices use for signed facts (keys sorted), so equal content compares equal.
import { createHash, createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { v7 } from 'uuid';

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function newId(): string {
  return v7();
}

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

// One canonical JSON for devices and centre: a second copy could drift and break every signature.
export { canonical } from '../../shared/crypto/canonical';

/** A key id: the first 16 hex digits of the SHA-256 of the SPKI DER (as devices compute it). */
export function keyIdOf(publicKeyB64: string): string {
  return sha256Hex(Buffer.from(publicKeyB64, 'base64')).slice(0, 16);
}

/** An Ed25519 public key from SPKI DER base64, or null when it is not one. */
export function ed25519PublicKey(publicKeyB64: string): KeyObject | null {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

export function verifyEd25519(publicKeyB64: string, data: Uint8Array, signatureB64: string): boolean {
  const key = ed25519PublicKey(publicKeyB64);
  if (!key) return false;
  try {
    return verify(null, data, key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}
