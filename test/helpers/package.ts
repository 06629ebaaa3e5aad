// Test helpers for the 专场包: trust between two test stores, and opening or forging sealed
// packages with a device's own keys (what a holder of that key could do).
import type { TestCore } from './core';
import { deviceKey } from '../../electron/core/crypto/device-key';
import { openPackage, signAndSeal, type PACKAGE_TABLES } from '../../electron/core/appraisal/hearing-package';

type Row = Record<string, unknown>;
export interface UnsealedPackage {
  [field: string]: unknown;
  tables: { [T in (typeof PACKAGE_TABLES)[number]]: Row[] };
  audit: Row[];
  users: Row[];
}

/** Each store registers the other's key line under 可信设备. */
export async function trustEachOther(
  a: TestCore,
  adminA: string,
  b: TestCore,
  adminB: string,
  labels = ['办公室台式机', '鉴定现场笔记本'],
) {
  await b.call('signers.add', { label: labels[0]!, key: (await a.call('signers.list', {}, adminA)).own.line }, adminB);
  await a.call('signers.add', { label: labels[1]!, key: (await b.call('signers.list', {}, adminB)).own.line }, adminA);
}

export const keyIdOf = (t: { dir: string }): string => deviceKey(t.dir).keyId;

/** The signed package inside a sealed file, opened with the recipient's key. */
export function unseal(content: string, recipient: { dir: string }): UnsealedPackage {
  const text = openPackage(content, deviceKey(recipient.dir));
  if (!text) throw new Error('package does not open with this key');
  return JSON.parse(text) as never;
}

/** A package edited and signed again with `signer`'s key, sealed for `recipient`. */
export function reseal(pkg: Record<string, unknown>, signer: { dir: string }, recipient: { dir: string }): string {
  const { sha256: _h, signature: _s, ...body } = pkg;
  const to = deviceKey(recipient.dir);
  return signAndSeal(body, deviceKey(signer.dir), { keyId: to.keyId, encPublicKey: to.encryption.publicKeyB64 });
}
