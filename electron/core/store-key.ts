// The store's encryption key (the SQLite file is encrypted with SQLite3MultipleCiphers,
// chacha20): 32 random bytes made on first use and kept in the data folder's keys/ with
// owner-only permissions. A host that can protect it with the operating system (Electron's
// safeStorage: Keychain, DPAPI, libsecret) passes a protector; the folder then holds only the
// protected form, useless on another machine or to another OS account. The web host, the CLI
// and the tests keep the plain key file: a copied database file (a backup, a file carried on a
// stick) is still unreadable without the keys folder.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface KeyProtector {
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
}

const PLAIN = 'store.key';
const SEALED = 'store.key.sealed';

export function storeKey(dataDir: string, protector?: KeyProtector): Buffer {
  const dir = path.join(dataDir, 'keys');
  const plainFile = path.join(dir, PLAIN);
  const sealedFile = path.join(dir, SEALED);
  if (fs.existsSync(sealedFile)) {
    if (!protector) throw new Error('此数据文件夹的密钥由操作系统保护，只能在桌面版中打开（或在原电脑、原账户下运行桌面版）');
    return protector.decrypt(fs.readFileSync(sealedFile));
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  let key: Buffer;
  if (fs.existsSync(plainFile)) key = fs.readFileSync(plainFile);
  else {
    key = randomBytes(32);
    fs.writeFileSync(plainFile, key, { mode: 0o600, flag: 'wx' });
  }
  if (key.length !== 32) throw new Error(`数据库密钥文件 ${plainFile} 已损坏（长度不对），请从备份恢复 keys 文件夹`);
  if (protector) {
    // First run under a protecting host: keep only the sealed form from now on.
    fs.writeFileSync(sealedFile, protector.encrypt(key), { mode: 0o600, flag: 'wx' });
    fs.rmSync(plainFile);
  }
  return key;
}
