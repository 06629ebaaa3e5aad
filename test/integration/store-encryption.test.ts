// The store is encrypted at rest: nothing readable in the file without the keys folder, a wrong
// key is refused clearly, a plain store from an earlier release is encrypted in place, and an
// OS protector (Electron's safeStorage) seals the key.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, STORE_FILE } from '../../electron/core/db';
import { storeKey, type KeyProtector } from '../../electron/core/store-key';
import { runMigrations } from '../../electron/core/migrations/index';
import { makeTestCore, openTestCore, setupAdmin, tempDir, type TestCore } from '../helpers/core';
import { staff, beijingRider, RIDER_ID } from '../helpers/intake';

const dirs: string[] = [];
let t: TestCore | null = null;
afterEach(async () => {
  await t?.cleanup();
  t = null;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Every byte the store has on disk: the file and its WAL. */
function onDisk(dir: string): Buffer {
  return Buffer.concat(
    [STORE_FILE, `${STORE_FILE}-wal`]
      .map((f) => path.join(dir, f))
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f)),
  );
}

describe('encryption at rest', () => {
  it('keeps names and ID numbers out of the file, with an owner-only key beside it', async () => {
    t = makeTestCore();
    const admin = await setupAdmin(t);
    const s = await staff(t, admin);
    await t.call('cases.register', beijingRider(), s.clerk);
    t.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = onDisk(t.dir);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(bytes.includes(Buffer.from(RIDER_ID))).toBe(false);
    expect(bytes.includes(Buffer.from('单通'))).toBe(false);
    const keyFile = path.join(t.dir, 'keys', 'store.key');
    expect(fs.readFileSync(keyFile)).toHaveLength(32);
    if (process.platform !== 'win32') expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    // Without the key the file is not a database at all.
    const raw = new BetterSqlite3(path.join(t.dir, STORE_FILE));
    expect(() => raw.prepare('SELECT count(*) FROM cases').get()).toThrow(/not a database/);
    raw.close();
  });

  it('refuses a key that does not match, saying what to check', async () => {
    t = makeTestCore();
    await setupAdmin(t);
    await t.close();
    fs.writeFileSync(path.join(t.dir, 'keys', 'store.key'), Buffer.alloc(32, 7));
    expect(() => openStore(t!.dir)).toThrow(/密钥与文件不匹配/);
    fs.rmSync(t.dir, { recursive: true, force: true });
    t = null;
  });

  it('encrypts a plain store from an earlier release in place, keeping its data', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const plain = new BetterSqlite3(path.join(dir, STORE_FILE));
    plain.pragma('journal_mode = WAL');
    runMigrations(plain);
    plain.exec(`INSERT INTO settings VALUES ('agencyName', '"西宁市城东区社会保险服务中心"')`);
    plain.close();
    expect(onDisk(dir).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    const core = openTestCore(dir);
    try {
      expect(onDisk(dir).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
      expect(await core.call('system.info', {})).toBeTruthy();
      const row = core.store.sqlite.prepare("SELECT value FROM settings WHERE key = 'agencyName'").get() as { value: string };
      expect(JSON.parse(row.value)).toBe('西宁市城东区社会保险服务中心');
    } finally {
      await core.close();
    }
  });

  it('seals the key with an OS protector and keeps no plain copy', () => {
    const dir = tempDir();
    dirs.push(dir);
    const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
    const protector: KeyProtector = { encrypt: xor, decrypt: xor };
    const plainKey = storeKey(dir);
    expect(storeKey(dir, protector).equals(plainKey)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'keys', 'store.key'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'keys', 'store.key.sealed')).equals(plainKey)).toBe(false);
    expect(storeKey(dir, protector).equals(plainKey)).toBe(true);
    expect(() => storeKey(dir)).toThrow(/只能在桌面版中打开/);
  });
});
