// A signed envelope: a JSON body, the SHA-256 of its canonical form, and the Ed25519 signature of
// the device that made it over "<format>:<hash>". The body names the signing device (key id and
// public key); checking recomputes the hash, verifies the signature with that key and the key id
// against the key — whether the device is *trusted* is the caller's question (crypto/trust.ts).
import { signBytes, verifyBytes, keyIdOf } from '../crypto/ed25519';
import { canonicalSha256 } from '../crypto/hash';
import type { DeviceKey } from '../crypto/device-key';

export interface SignedEnvelope<B> {
  body: B;
  sha256: string;
  signature: string;
}

export interface SignerRef {
  keyId: string;
  publicKey: string;
}

const signedBytes = (format: string, hash: string): Buffer => Buffer.from(`${format}:${hash}`);

/** Flattened as the file stores it: the body's fields, then sha256 and signature. */
export function signEnvelope<B extends object>(format: string, body: B, key: DeviceKey): B & { sha256: string; signature: string } {
  const hash = canonicalSha256(body);
  return { ...body, sha256: hash, signature: signBytes(key.privateKey, signedBytes(format, hash)) };
}

export type EnvelopeCheck = { ok: true; hash: string } | { ok: false; reason: 'hash' | 'signature' };

/** Checks a body against its hash and the signature of the device it names. */
export function checkEnvelope(
  format: string,
  body: object,
  claimed: { sha256: string; signature: string },
  signer: SignerRef,
): EnvelopeCheck {
  const hash = canonicalSha256(body);
  if (hash !== claimed.sha256) return { ok: false, reason: 'hash' };
  if (keyIdOf(signer.publicKey) !== signer.keyId) return { ok: false, reason: 'signature' };
  if (!verifyBytes(signer.publicKey, signedBytes(format, hash), claimed.signature)) return { ok: false, reason: 'signature' };
  return { ok: true, hash };
}
