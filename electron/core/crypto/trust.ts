// Which devices this device trusts: its own key, the unit's laptops an administrator registered
// under 可信设备 (trusted_signers), and — once the sync client brings the centre's roster —
// devices the centre vouches for, added as one more TrustSource. Notices verify, and hearing
// packages import, only against this; a key id known here with another public key is not trusted.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import type { DeviceKey } from './device-key';

export interface TrustedDevice {
  keyId: string;
  /** Ed25519, SPKI DER base64. */
  publicKey: string;
  /** X25519 for packages addressed to it; null when only a verification key was registered. */
  encPublicKey: string | null;
  label: string;
  source: 'own' | 'registered' | 'centre';
}

/** Where trusted keys come from; the sync client adds the centre's vouched devices as one of these. */
export type TrustSource = (db: Kysely<Database>) => Promise<TrustedDevice[]>;

export const registeredDevices: TrustSource = async (db) =>
  (await db.selectFrom('trusted_signers').selectAll().execute()).map((r) => ({
    keyId: r.key_id,
    publicKey: r.public_key,
    encPublicKey: r.enc_public_key,
    label: r.label,
    source: 'registered' as const,
  }));

export interface Trust {
  isTrusted(keyId: string, publicKeyB64: string): boolean;
  device(keyId: string): TrustedDevice | undefined;
}

export async function loadTrust(db: Kysely<Database>, own: DeviceKey, sources: TrustSource[] = [registeredDevices]): Promise<Trust> {
  const byId = new Map<string, TrustedDevice>();
  byId.set(own.keyId, {
    keyId: own.keyId,
    publicKey: own.publicKeyB64,
    encPublicKey: own.encryption.publicKeyB64,
    label: '本机',
    source: 'own',
  });
  for (const source of sources) for (const d of await source(db)) if (!byId.has(d.keyId)) byId.set(d.keyId, d);
  return {
    isTrusted: (keyId, publicKeyB64) => byId.get(keyId)?.publicKey === publicKeyB64,
    device: (keyId) => byId.get(keyId),
  };
}
