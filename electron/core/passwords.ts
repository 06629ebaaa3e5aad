// Password hashing with scrypt from node:crypto, a per-user random salt, and parameters
// stored with the hash so they can be raised later without locking anyone out. The cost is a
// dependency of the core: production always uses PRODUCTION_COST; tests pass a low one so a
// scene with a dozen accounts does not take seconds (one test checks the production default).
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';

/** scrypt's N as a power of two (N = 2^logN); r and p are fixed. */
export interface PasswordCost {
  logN: number;
}

export const PRODUCTION_COST: PasswordCost = { logN: 15 };
/** Only for tests: fast, and still a real scrypt hash that verifies like any other. */
export const TEST_COST: PasswordCost = { logN: 10 };

const R = 8;
const P = 1;
const KEYLEN = 32;

export interface PasswordHasher {
  readonly cost: PasswordCost;
  hash(password: string): Promise<{ hash: string; salt: string }>;
  verify(password: string, stored: { hash: string; salt: string }): Promise<boolean>;
}

function scrypt(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), salt, KEYLEN, { N: n, r, p, maxmem: 256 * n * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export function createPasswordHasher(cost: PasswordCost = PRODUCTION_COST): PasswordHasher {
  if (!Number.isInteger(cost.logN) || cost.logN < 4 || cost.logN > 20) throw new Error('scrypt cost out of range');
  const n = 1 << cost.logN;
  return {
    cost,
    async hash(password) {
      const salt = randomBytes(16);
      const key = await scrypt(password, salt, n, R, P);
      return { hash: `scrypt$${n}$${R}$${P}$${key.toString('hex')}`, salt: salt.toString('hex') };
    },
    verify: verifyPassword,
  };
}

/** Verifies with the parameters stored beside the hash, whatever this hasher's own cost. */
export async function verifyPassword(password: string, stored: { hash: string; salt: string }): Promise<boolean> {
  const [kind, n, r, p, hex] = stored.hash.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !hex) return false;
  const expected = Buffer.from(hex, 'hex');
  const N = Number(n);
  // Stored parameters come from this store; still refuse absurd ones rather than allocate gigabytes.
  if (!Number.isInteger(N) || N < 16 || N > 1 << 20 || Number(r) !== R || Number(p) !== P) return false;
  const key = await scrypt(password, Buffer.from(stored.salt, 'hex'), N, R, P);
  return key.length === expected.length && timingSafeEqual(key, expected);
}
