// The desktop host's security decisions, checked without the Electron binary: fuses flipped at
// packaging (on a stand-in binary carrying Electron's fuse wire), the store key never "sealed" by
// Linux's plain-text backend, permissions denied by default, external links only to an
// allow-list, no new windows, the app:// protocol confined to the renderer, no bridge in the PDF
// window.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { getCurrentFuseWire } from '@electron/fuses';
import {
  allowPermission,
  CONTENT_SECURITY_POLICY,
  isAllowedExternal,
  isAppUrl,
  mainWindowPreferences,
  pdfWindowPreferences,
  rendererFile,
  windowOpenDecision,
} from '../../electron/security-policy';
import { chooseKeyProtection, type SafeStorageLike } from '../../electron/key-protection';

const require = createRequire(import.meta.url);
const afterPack = require('../../scripts/after-pack.cjs') as ((context: unknown) => Promise<void>) & {
  electronBinary(context: unknown): string;
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('fuses flipped by the afterPack hook', () => {
  // Electron's fuse wire: a sentinel, the wire version (1), its length, then one byte per fuse
  // ('0' off, '1' on) — here with Electron's shipped defaults.
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  const DEFAULTS = '10110001'; // RunAsNode, cookie encryption, NODE_OPTIONS, --inspect, asar integrity, asar only, V8 snapshot, file:// privileges

  it('turns off RunAsNode, NODE_OPTIONS and --inspect and turns on asar integrity and asar-only loading', async () => {
    const appOutDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oip-pack-'));
    dirs.push(appOutDir);
    const binary = path.join(appOutDir, 'oip-desk');
    fs.writeFileSync(
      binary,
      Buffer.concat([
        Buffer.from('\x7fELF…'),
        Buffer.from(SENTINEL),
        Buffer.from([1, DEFAULTS.length]),
        Buffer.from(DEFAULTS),
        Buffer.from('…'),
      ]),
    );
    const context = {
      electronPlatformName: 'linux',
      appOutDir,
      packager: { appInfo: { productFilename: '职伤保障工作台' }, executableName: 'oip-desk' },
    };
    expect(afterPack.electronBinary(context)).toBe(binary);
    await afterPack(context);
    const wire = await getCurrentFuseWire(binary);
    const on = (i: number) => String.fromCharCode(wire[i as unknown as keyof typeof wire] as number);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(on).join('')).toBe('00001101');
  });

  it('is the hook electron-builder runs, on the asar it packs', () => {
    const yml = fs.readFileSync('electron-builder.yml', 'utf8');
    expect(yml).toMatch(/^afterPack: scripts\/after-pack\.cjs$/m);
    expect(yml).toMatch(/^asar: true$/m);
  });
});

describe('the store key and the operating system', () => {
  const storage = (backend: string | undefined, available = true): SafeStorageLike => ({
    isEncryptionAvailable: () => available,
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
    encryptString: (s) => Buffer.from(`sealed:${s}`),
    decryptString: (b) => b.toString().replace(/^sealed:/, ''),
  });

  it('refuses to seal it with Linux’s plain-text backend, and says so in Chinese', () => {
    for (const backend of ['basic_text', 'unknown']) {
      const r = chooseKeyProtection(storage(backend), 'linux');
      expect(r.protector).toBeUndefined();
      expect(r.warning).toMatch(/系统密钥环.*不用它封存数据库密钥/);
    }
  });

  it('seals it with a real keyring, Keychain or DPAPI, and reads it back', () => {
    for (const [backend, platform] of [
      ['gnome_libsecret', 'linux'],
      ['kwallet5', 'linux'],
      [undefined, 'darwin'],
      [undefined, 'win32'],
    ] as const) {
      const r = chooseKeyProtection(storage(backend), platform);
      expect(r.warning).toBeUndefined();
      const key = Buffer.from('0123456789abcdef0123456789abcdef');
      expect(r.protector!.decrypt(r.protector!.encrypt(key)).equals(key)).toBe(true);
    }
  });

  it('says so when the system offers no encryption at all', () => {
    expect(chooseKeyProtection(storage(undefined, false), 'win32')).toMatchObject({ warning: expect.stringContaining('未由系统封存') });
  });
});

describe('the window’s security decisions', () => {
  it('denies every permission but the app’s own clipboard write', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'midi', 'openExternal', 'fullscreen', 'clipboard-read', 'hid', 'serial'])
      expect(allowPermission(p, 'app://oip/index.html')).toBe(false);
    expect(allowPermission('clipboard-sanitized-write', 'app://oip/index.html')).toBe(true);
    expect(allowPermission('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(allowPermission('clipboard-sanitized-write', null)).toBe(false);
  });

  it('opens only allow-listed https sites externally, and never a new window', () => {
    expect(isAllowedExternal('https://www.mohrss.gov.cn/SYrlzyhshbzb/')).toBe(true);
    for (const url of [
      'http://www.mohrss.gov.cn/',
      'https://www.mohrss.gov.cn.evil.example/',
      'https://user:pw@www.mohrss.gov.cn/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'not a url',
    ])
      expect(isAllowedExternal(url)).toBe(false);
    expect(windowOpenDecision('https://www.mohrss.gov.cn/')).toEqual({ action: 'deny', openExternally: true });
    expect(windowOpenDecision('blob:app://oip/1234')).toEqual({ action: 'deny', openExternally: false });
    expect(isAppUrl('app://oip/index.html#/intake')).toBe(true);
    expect(isAppUrl('https://oip/')).toBe(false);
  });

  it('serves only files inside the renderer folder', () => {
    const root = path.resolve('/srv/renderer');
    expect(rendererFile(root, 'app://oip/')).toBe(path.join(root, 'index.html'));
    expect(rendererFile(root, 'app://oip/intake/case/1')).toBe(path.join(root, 'index.html'));
    expect(rendererFile(root, 'app://oip/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    for (const url of [
      'app://oip/..%2f..%2fetc%2fpasswd.txt',
      'app://oip/assets/..%2f..%2fsecret.txt',
      'app://oip/a%00.js',
      'app://oip/%zz.js',
    ])
      expect(rendererFile(root, url)).toBeNull();
    // Dot segments the URL parser resolves itself stay inside the folder.
    expect(rendererFile(root, 'app://oip/%2e%2e/%2e%2e/secret.txt')).toBe(path.join(root, 'secret.txt'));
  });

  it('gives the bridge to the app window only: the PDF window has no preload', () => {
    const main = mainWindowPreferences('/app/preload.cjs');
    expect(main).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
    const pdf = pdfWindowPreferences();
    expect(pdf).not.toHaveProperty('preload');
    expect(pdf).toMatchObject({ plugins: true, contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });
});
