// Whether the desktop app seals the store key with the operating system (Electron's
// safeStorage), decided without Electron so tests can check it. On Linux without a keyring
// (no GNOME Keyring / KWallet), Chromium falls back to the `basic_text` backend: "encryption"
// with a fixed, public password, i.e. none. Sealing the key that way would only pretend; so the
// key stays an owner-only file (as in the web host) and the person is told why, in Chinese.
import type { KeyProtector } from './core/store-key';

/** The part of Electron's safeStorage this needs. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only in Electron; absent or unused elsewhere. */
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

/** Linux backends that do not protect anything. */
const PLAIN_BACKENDS = new Set(['basic_text', 'unknown']);

export interface KeyProtection {
  protector?: KeyProtector;
  /** Shown to the person at start when the key is not sealed by the system. */
  warning?: string;
}

export function chooseKeyProtection(safeStorage: SafeStorageLike, platform: NodeJS.Platform): KeyProtection {
  if (!safeStorage.isEncryptionAvailable()) {
    return {
      warning:
        '操作系统的密钥保管服务不可用，数据库密钥未由系统封存，只以仅本账户可读的文件保存在数据文件夹的 keys 中。复制了整个数据文件夹的人可以读取数据：请妥善保管本机并开启磁盘加密。',
    };
  }
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (PLAIN_BACKENDS.has(backend)) {
      return {
        warning:
          '本机没有可用的系统密钥环（GNOME 密钥环或 KWallet），系统只能以明文方式“加密”，因此不用它封存数据库密钥；密钥以仅本账户可读的文件保存在数据文件夹的 keys 中。请安装并解锁系统密钥环后重新启动本应用，以获得系统级保护。',
      };
    }
  }
  return {
    protector: {
      encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
      decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
    },
  };
}
