// The installers' configuration, checked without building them (that needs Electron's binary):
// electron-builder accepts it; Windows NSIS x64 and Linux deb + AppImage for x64 and arm64;
// native modules unpacked and built per architecture; data and fonts as resources; an icon;
// no update server; renderer-only packages kept out of the app; nothing at start reaches the
// network.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fontFiles } from '../../electron/core/notices/pdf-engine';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(s: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(cfg: unknown, log: unknown): Promise<void>;
};

interface Target {
  target: string;
  arch: string[];
}
interface BuilderConfig {
  files: string[];
  extraResources: { from: string; to: string; filter?: string[] }[];
  asarUnpack: string[];
  npmRebuild: boolean;
  publish: null;
  directories: { buildResources: string };
  win: { target: Target[]; icon: string };
  linux: { target: Target[]; icon: string };
  mac?: unknown;
}

const root = path.resolve(import.meta.dirname, '../..');
const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

describe('installers', () => {
  it('is a configuration electron-builder accepts', async () => {
    await expect(
      validateConfiguration(config, { debug: () => undefined, info: () => undefined, warn: () => undefined }),
    ).resolves.toBeUndefined();
  });

  it('targets Windows NSIS x64 and Linux deb and AppImage for x64 and arm64, nothing else', () => {
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.linux.target).toEqual([
      { target: 'deb', arch: ['x64', 'arm64'] },
      { target: 'AppImage', arch: ['x64', 'arm64'] },
    ]);
    expect(config.mac).toBeUndefined();
    expect(pkg.scripts['dist:linux']).toContain('electron-builder --linux deb AppImage --x64 --arm64');
    expect(pkg.scripts['dist:linux']).toContain('--arch arm64');
  });

  it('unpacks native modules, ships the native build of each architecture, and never rebuilds in place', () => {
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.npmRebuild).toBe(false);
    expect(config.extraResources).toContainEqual({ from: 'native/electron/${arch}', to: 'native/electron' });
  });

  it('carries rule packs, calendar, catalogue, monitoring categories and fonts as resources, and an icon', () => {
    const data = config.extraResources.find((r) => r.from === 'resources')!;
    expect(data.filter).toEqual(expect.arrayContaining(['rules/**', 'calendar/**', 'gbt16180/**', 'monitoring/**', 'fonts/**']));
    for (const dir of ['rules', 'calendar', 'gbt16180', 'monitoring', 'fonts'])
      expect(fs.existsSync(path.join(root, 'resources', dir))).toBe(true);
    const icon = fs.readFileSync(path.join(root, config.directories.buildResources, config.linux.icon));
    expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([512, 512]);
    expect(config.win.icon).toBe(config.linux.icon);
  });

  it('uses the two vendored Noto Serif SC weights (with the OFL) instead of the npm font package', () => {
    const f = fontFiles();
    expect(path.relative(path.join(root, 'resources', 'fonts'), f.regular)).toBe('NotoSerifSC-Regular.ttf');
    expect(path.relative(path.join(root, 'resources', 'fonts'), f.bold)).toBe('NotoSerifSC-Bold.ttf');
    for (const file of [f.regular, f.bold]) expect(fs.readFileSync(file).readUInt32BE(0)).toBe(0x00010000);
    expect(fs.readFileSync(path.join(root, 'resources', 'fonts', 'NotoSerifSC-OFL.txt'), 'utf8')).toContain(
      'SIL OPEN FONT LICENSE Version 1.1',
    );
    expect(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })).not.toContain('@expo-google-fonts/noto-serif-sc');
  });

  it('keeps renderer-only packages out of the app and has no updater or update server', () => {
    for (const p of ['react', 'react-dom', 'antd', '@ant-design/icons', '@tanstack/react-query', 'dayjs', 'echarts']) {
      expect(pkg.dependencies[p], p).toBeUndefined();
      expect(pkg.devDependencies[p], p).toBeDefined();
    }
    expect(config.publish).toBeNull();
    expect(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => /updater/.test(d))).toEqual([]);
  });

  it('lists every package the main process and core import as a runtime dependency', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(path.join(root, 'electron'));
    walk(path.join(root, 'shared'));
    const imported = new Set<string>();
    for (const f of files)
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/^import (?!type )[^'"]*from '([^'.][^']*)'/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('node:') || spec === 'electron') continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    expect([...imported].filter((p) => !pkg.dependencies[p]).sort()).toEqual([]);
  });

  it('makes no network call at start: no updater, no requests from the main process', () => {
    const main = fs.readFileSync(path.join(root, 'electron', 'main.ts'), 'utf8');
    for (const forbidden of ['autoUpdater', 'net.request', 'crashReporter', 'https.get', 'http.get', "fetch('http", 'fetch(`http'])
      expect(main, forbidden).not.toContain(forbidden);
  });
});
