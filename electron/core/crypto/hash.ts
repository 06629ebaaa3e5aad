// SHA-256 for the core: the same function as shared/crypto/canonical.ts's sha256Hex (a unit
// test holds them equal), backed by Node's crypto because PDFs and packages run to megabytes
// and the pure version is some thirty times slower.
import { createHash } from 'node:crypto';
import { canonical } from '../../../shared/crypto/canonical';

export function sha256(bytes: Buffer | Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 of a value's canonical JSON (keys sorted). */
export function canonicalSha256(value: unknown): string {
  return sha256(canonical(value));
}
