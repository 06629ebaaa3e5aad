// Key files: a missing key beside an existing store is never replaced by a new one (the store
// would be unreadable for good); key files and their folder must be this account's own and not
// links, and looser permissions are tightened when the store opens.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, STORE_FILE } from '../../electron/core/db';
import { storeKey, type KeyProtector } from '../../electron/core/store-key';
import { makeTestCore, openTestCore, setupAdmin, type TestCore } from '../helpers/core';

const posix = process.platform !== 'win32';
let t: TestCore | null = null;
afterEach(async () => {
  await t?.cleanup();
  t = null;
});

async function closedStore(): Promise<TestCore> {
  t = makeTestCore();
  // The device's signing key is made on first use: list it once so it exists too.
  await t.call('signers.list', {}, await setupAdmin(t));
  await t.close();
  return t;
}

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('a missing key', () => {
  it('is refused, not replaced, when a store exists, naming what to restore', async () => {
    const { dir } = await closedStore();
    const keyFile = path.join(dir, 'keys', 'store.key');
    const storeBytes = fs.readFileSync(path.join(dir, STORE_FILE));
    fs.rmSync(keyFile);
    expect(() => openStore(dir)).toThrow(/找不到它的密钥.*请从备份恢复整个 keys 文件夹，或用恢复密钥恢复：npm run -s cli -- recover/);
    expect(fs.existsSync(keyFile)).toBe(false);
    expect(fs.readFileSync(path.join(dir, STORE_FILE)).equals(storeBytes)).toBe(true);
    // The whole keys folder gone: the same.
    fs.rmSync(path.join(dir, 'keys'), { recursive: true });
    expect(() => openStore(dir)).toThrow(/找不到它的密钥/);
    expect(fs.existsSync(path.join(dir, 'keys'))).toBe(false);
  });

  it('is refused under an OS protector too (the sealed file lost), instead of sealing a new key', async () => {
    const { dir } = await closedStore();
    const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
    const protector: KeyProtector = { encrypt: xor, decrypt: xor };
    storeKey(dir, protector);
    expect(fs.existsSync(path.join(dir, 'keys', 'store.key.sealed'))).toBe(true);
    fs.rmSync(path.join(dir, 'keys', 'store.key.sealed'));
    expect(() => storeKey(dir, protector)).toThrow(/找不到它的密钥/);
    expect(fs.readdirSync(path.join(dir, 'keys'))).not.toContain('store.key.sealed');
  });
});

describe.runIf(posix)('key file permissions', () => {
  it('tightens a readable key file and keys folder when the store opens', async () => {
    const { dir } = await closedStore();
    const keys = path.join(dir, 'keys');
    fs.chmodSync(keys, 0o755);
    fs.chmodSync(path.join(keys, 'store.key'), 0o644);
    fs.chmodSync(path.join(keys, 'device-ed25519.pem'), 0o664);
    t = openTestCore(dir);
    // The device key is read when something is signed or listed.
    const admin = await t.call('auth.login', { username: 'admin', password: 'Admin-pass-2026' });
    if (admin.ok) await t.call('signers.list', {}, admin.sessionToken);
    expect(mode(keys)).toBe(0o700);
    expect(mode(path.join(keys, 'store.key'))).toBe(0o600);
    expect(mode(path.join(keys, 'device-ed25519.pem'))).toBe(0o600);
  });

  it('refuses a key file that is a link, or that belongs to another account', async () => {
    const { dir } = await closedStore();
    const keyFile = path.join(dir, 'keys', 'store.key');
    const elsewhere = path.join(dir, 'elsewhere.key');
    fs.renameSync(keyFile, elsewhere);
    fs.symlinkSync(elsewhere, keyFile);
    expect(() => openStore(dir)).toThrow(/是一个链接/);
    fs.rmSync(keyFile);
    fs.renameSync(elsewhere, keyFile);
    let chowned = true;
    try {
      fs.chownSync(keyFile, 4321, 4321);
    } catch {
      chowned = false; // not root: another account's file cannot be made here
    }
    if (chowned) expect(() => openStore(dir)).toThrow(/不属于当前操作系统账户/);
  });
});
