// Password hashing with scrypt from node:crypto, a per-user random salt, and parameters
// stored with the hash so they can be raised later without locking anyone out.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';

const N = 1 << 15;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), salt, KEYLEN, { N: n, r, p, maxmem: 256 * n * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<{ hash: string; salt: string }> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, N, R, P);
  return { hash: `scrypt$${N}$${R}$${P}$${key.toString('hex')}`, salt: salt.toString('hex') };
}

export async function verifyPassword(password: string, stored: { hash: string; salt: string }): Promise<boolean> {
  const [kind, n, r, p, hex] = stored.hash.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !hex) return false;
  const expected = Buffer.from(hex, 'hex');
  const key = await scrypt(password, Buffer.from(stored.salt, 'hex'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}
