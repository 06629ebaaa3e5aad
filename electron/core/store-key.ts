// The store's encryption key (the SQLite file is encrypted with SQLite3MultipleCiphers,
// chacha20): 32 random bytes made on first use and kept in the data folder's keys/ with
// owner-only permissions. A host that can protect it with the operating system (Electron's
// safeStorage: Keychain, DPAPI, libsecret) passes a protector; the folder then holds only the
// protected form, useless on another machine or to another OS account. The web host, the CLI
// and the tests keep the plain key file: a copied database file (a backup, a file carried on a
// stick) is still unreadable without the keys folder.
//
// A key is made only for a folder with no store yet: a missing key beside an existing store is
// refused (a new key would make the data unreadable for good), naming what to restore. The key
// folder and files must be this account's own, not links; looser permissions are tightened.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface KeyProtector {
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
}

export const KEYS_DIR = 'keys';
const PLAIN = 'store.key';
const SEALED = 'store.key.sealed';
const STORE_FILE = 'oip-desk.sqlite';
const SQLITE_HEADER = 'SQLite format 3\0';

export class KeyFileError extends Error {}

const checksPermissions = () => process.platform !== 'win32' && typeof process.getuid === 'function';

/**
 * Checks a key file or the keys folder: it must be this account's own and not a link (a key
 * file another account can replace is not a key); permissions wider than owner-only are
 * tightened, since the fix is certain and refusing would only lock people out.
 */
export function secureKeyPath(p: string, kind: 'dir' | 'file'): void {
  if (!checksPermissions()) return;
  const st = fs.lstatSync(p);
  if (st.isSymbolicLink())
    throw new KeyFileError(
      `密钥${kind === 'dir' ? '文件夹' : '文件'} ${p} 是一个链接，出于安全考虑不予使用。请改为普通${kind === 'dir' ? '文件夹' : '文件'}后重试`,
    );
  if (kind === 'dir' ? !st.isDirectory() : !st.isFile())
    throw new KeyFileError(`${p} 不是密钥${kind === 'dir' ? '文件夹' : '文件'}，请检查数据目录`);
  if (st.uid !== process.getuid!()) {
    throw new KeyFileError(
      `密钥${kind === 'dir' ? '文件夹' : '文件'} ${p} 不属于当前操作系统账户，出于安全考虑不予使用。请以数据目录所属账户运行，或由管理员更正其所有者`,
    );
  }
  const want = kind === 'dir' ? 0o700 : 0o600;
  if ((st.mode & 0o777 & ~want) !== 0) fs.chmodSync(p, want);
}

/** A store already exists in the folder (encrypted: a plain one from an earlier release gets a key). */
function encryptedStoreExists(dataDir: string): boolean {
  const file = path.join(dataDir, STORE_FILE);
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return false;
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    return !(n === 16 && head.toString('latin1') === SQLITE_HEADER);
  } finally {
    fs.closeSync(fd);
  }
}

export function storeKey(dataDir: string, protector?: KeyProtector): Buffer {
  const dir = path.join(dataDir, KEYS_DIR);
  const plainFile = path.join(dir, PLAIN);
  const sealedFile = path.join(dir, SEALED);
  if (fs.existsSync(dir)) secureKeyPath(dir, 'dir');
  if (fs.existsSync(sealedFile)) {
    secureKeyPath(sealedFile, 'file');
    if (!protector)
      throw new KeyFileError(
        '此数据文件夹的密钥由操作系统保护，只能在桌面版中打开（或在原电脑、原账户下运行桌面版）；在其他电脑上请用恢复密钥恢复（npm run -s cli -- recover）',
      );
    return protector.decrypt(fs.readFileSync(sealedFile));
  }
  let key: Buffer;
  if (fs.existsSync(plainFile)) {
    secureKeyPath(plainFile, 'file');
    key = fs.readFileSync(plainFile);
  } else {
    if (encryptedStoreExists(dataDir)) {
      throw new KeyFileError(
        `数据文件 ${path.join(dataDir, STORE_FILE)} 已存在，但找不到它的密钥（${plainFile}）。为免生成新密钥使数据永久无法读取，已停止打开。请从备份恢复整个 keys 文件夹，或用恢复密钥恢复：npm run -s cli -- recover --data ${dataDir}`,
      );
    }
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    secureKeyPath(dir, 'dir');
    key = randomBytes(32);
    fs.writeFileSync(plainFile, key, { mode: 0o600, flag: 'wx' });
  }
  if (key.length !== 32) throw new KeyFileError(`数据库密钥文件 ${plainFile} 已损坏（长度不对），请从备份恢复 keys 文件夹`);
  if (protector) {
    // First run under a protecting host: keep only the sealed form from now on.
    fs.writeFileSync(sealedFile, protector.encrypt(key), { mode: 0o600, flag: 'wx' });
    fs.rmSync(plainFile);
  }
  return key;
}
