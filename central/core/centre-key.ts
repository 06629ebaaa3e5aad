// The centre's own Ed25519 key: made by the first node that starts (under an advisory lock, so
// two nodes starting together make one), kept in the database (back it up with the data), and
// handed to each device at enrolment, which pins it to verify what the centre signs.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import { LOCK_CENTRE_KEY } from '../db/migrate';
import type { Clock } from './clock';
import { keyIdOf } from './crypto';

export interface CentreKey {
  keyId: string;
  /** SPKI DER, base64. */
  publicKey: string;
  privateKey: KeyObject;
}

// The key never changes once made, so a node may keep what it read (this is a cache, not state).
const cache = new WeakMap<Db, CentreKey>();

export async function ensureCentreKey(db: Db, clock: Clock): Promise<CentreKey> {
  const hit = cache.get(db);
  if (hit) return hit;
  const key = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_CENTRE_KEY}::bigint)`.execute(trx);
    const row = await trx.selectFrom('centre_key').selectAll().where('id', '=', 1).executeTakeFirst();
    if (row) return { keyId: row.key_id, publicKey: row.public_key, privateKey: createPrivateKey(row.private_key) };
    const { privateKey } = generateKeyPairSync('ed25519');
    const publicKey = (createPublicKey(privateKey).export({ type: 'spki', format: 'der' }) as Buffer).toString('base64');
    const keyId = keyIdOf(publicKey);
    await trx
      .insertInto('centre_key')
      .values({
        id: 1,
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
        public_key: publicKey,
        key_id: keyId,
        created_at: clock.now().toISOString(),
      })
      .execute();
    return { keyId, publicKey, privateKey };
  });
  cache.set(db, key);
  return key;
}

/** The centre's signature over bytes (reference data and leases will use it; issue #13). */
export function signWithCentreKey(key: CentreKey, data: Uint8Array): string {
  return sign(null, data, key.privateKey).toString('base64');
}
