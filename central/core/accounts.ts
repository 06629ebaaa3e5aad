// Accounts the centre owns (issue #13): one account per person for the whole office. The centre
// keeps the accounts each office was last published with (roles, active, never a password — the
// published item carries scrypt verifiers only), checks mutations' users against them first
// (push.ts reads central_accounts before the replicated users rows), and makes verifiers for
// the administrator who prepares an accounts file (`password-verifier`).
import { randomBytes, scrypt as scryptCb } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Clock } from './clock';
import type { ReferenceBody } from '../../shared/reference/items';

/** The desktop's verifier format (electron/core/passwords.ts): scrypt$N$r$p$hex with a 16-byte salt. */
const LOG_N = 15;
const R = 8;
const P = 1;

export async function passwordVerifier(password: string, logN = LOG_N): Promise<{ hash: string; salt: string }> {
  const n = 1 << logN;
  const salt = randomBytes(16);
  const key = await new Promise<Buffer>((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, 32, { N: n, r: R, p: P, maxmem: 256 * n * R }, (e, k) => (e ? reject(e) : resolve(k))),
  );
  return { hash: `scrypt$${n}$${R}$${P}$${key.toString('hex')}`, salt: salt.toString('hex') };
}

/** Stores an office's published accounts; accounts left out of the new list are kept as inactive. */
export async function recordAccounts(
  trx: Db,
  clock: Clock,
  officeId: string,
  revision: number,
  body: ReferenceBody<'accounts'>,
): Promise<void> {
  const at = clock.now().toISOString();
  for (const u of body.users) {
    const row = {
      office_id: officeId,
      username: u.username,
      display_name: u.displayName,
      roles: u.roles,
      active: u.active,
      revision,
      updated_at: at,
    };
    await trx
      .insertInto('central_accounts')
      .values({ user_id: u.id, ...row })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(row))
      .execute();
  }
  const listed = body.users.map((u) => u.id);
  await trx
    .updateTable('central_accounts')
    .set({ active: false, revision, updated_at: at })
    .where('office_id', '=', officeId)
    .where(sql<boolean>`NOT (user_id = ANY(${listed}::text[]))`)
    .execute();
}
