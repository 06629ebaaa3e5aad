// Electron's main process: a hardened window over the same core the web host uses.
// It only wires things together; all behaviour lives in electron/core and shared/.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session, shell, type WebContents } from 'electron';
import { createCore, type Core } from './core/app-core';
import { parseHostArgs } from './host-args';
import { TOPICS, type Topic } from '../shared/api/contract';
import { cleanDocuments, desktopDelivery, type DesktopDocumentDeps } from './desktop-documents';
import {
  allowPermission,
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  mainWindowPreferences,
  pdfWindowPreferences,
  rendererFile,
  windowOpenDecision,
} from './security-policy';
import { chooseKeyProtection } from './key-protection';

const here = path.dirname(fileURLToPath(import.meta.url));
const RENDERER_DIR = path.join(here, '..', 'renderer');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** The Electron build of better-sqlite3-multiple-ciphers (npm run electron:native), next to the app. */
function electronNativeBinding(): string {
  const candidates = [
    path.join(process.resourcesPath ?? '', 'native', 'electron', 'better_sqlite3.node'),
    path.join(here, '..', '..', 'native', 'electron', 'better_sqlite3.node'),
  ];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error('缺少 Electron 版 better-sqlite3-multiple-ciphers，请先运行 npm run electron:native');
  return found;
}

function isAppFrame(frame: Electron.WebFrameMain | null): boolean {
  return !!frame && isAppUrl(frame.url);
}

function serveRenderer(): void {
  protocol.handle('app', (request) => {
    const file = rendererFile(RENDERER_DIR, request.url);
    if (!file) return new Response('forbidden', { status: 403 });
    return net.fetch(pathToFileURL(file).href);
  });
}

function harden(contents: WebContents): void {
  contents.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) void shell.openExternal(url);
    return { action: decision.action };
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    title: '职伤保障工作台',
    show: false,
    webPreferences: mainWindowPreferences(path.join(here, '..', 'preload', 'preload.cjs')),
  });
  harden(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/** Opening in the system viewer and printing through the system dialog (Electron ≥ 32 prints PDFs). */
function documentDeps(): DesktopDocumentDeps {
  return {
    dir: path.join(app.getPath('temp'), `oip-documents-${process.pid}`),
    openPath: (file) => shell.openPath(file),
    chooseFolder: async () => {
      const r = await dialog.showOpenDialog({ title: '选择保存文书的文件夹', properties: ['openDirectory', 'createDirectory'] });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    printFile: (file) =>
      new Promise((resolve) => {
        // No preload: the PDF window gets no bridge to the core.
        const win = new BrowserWindow({ show: false, webPreferences: pdfWindowPreferences() });
        win.webContents.once('did-finish-load', () => {
          win.webContents.print({ silent: false, printBackground: true }, (success, reason) => {
            resolve({ ok: success, reason });
            win.destroy();
          });
        });
        win.webContents.once('did-fail-load', (_e, _code, description) => {
          resolve({ ok: false, reason: description });
          win.destroy();
        });
        void win.loadURL(pathToFileURL(file).href);
      }),
  };
}

function wireIpc(core: Core): void {
  ipcMain.handle('oip:rpc', async (event, call: { method?: unknown; input?: unknown; sessionToken?: unknown }) => {
    if (!isAppFrame(event.senderFrame)) return { ok: false, error: { code: 'FORBIDDEN', message: '来源不受信任' } };
    return core.dispatch({
      method: String(call?.method ?? ''),
      input: call?.input,
      sessionToken: typeof call?.sessionToken === 'string' ? call.sessionToken : null,
    });
  });
  ipcMain.on('oip:subscribe', (event, topic: unknown) => {
    if (!isAppFrame(event.senderFrame) || !(TOPICS as readonly string[]).includes(String(topic))) return;
    const sender = event.sender;
    const unsubscribe = core.events.subscribe(topic as Topic, (payload) => {
      if (!sender.isDestroyed()) sender.send(`oip:event:${String(topic)}`, payload);
    });
    sender.once('destroyed', unsubscribe);
  });
}

async function main(): Promise<void> {
  const args = parseHostArgs(process.argv.slice(app.isPackaged ? 1 : 2));
  await app.whenReady();
  // Packaged builds carry the rule packs and calendars as extra resources (electron-builder.yml).
  if (app.isPackaged) process.env.OIP_RESOURCES_DIR ??= path.join(process.resourcesPath, 'resources');
  const dataDir = process.argv.some((a) => a.startsWith('--data')) ? args.dataDir : app.getPath('userData');
  // The store key is sealed by the OS (Keychain, DPAPI, libsecret) when it really can be.
  const protection = chooseKeyProtection(safeStorage, process.platform);
  if (protection.warning) {
    console.warn('[desktop] store key not sealed by the system');
    dialog.showMessageBoxSync({ type: 'warning', title: '数据库密钥未由系统保护', message: protection.warning });
  }
  const documents = documentDeps();
  app.on('quit', () => cleanDocuments(documents.dir));
  let core: Core;
  try {
    core = createCore({
      dataDir,
      host: 'electron',
      nativeBinding: electronNativeBinding(),
      desktop: desktopDelivery(documents),
      ...(protection.protector ? { keyProtector: protection.protector } : {}),
    });
  } catch (e) {
    dialog.showErrorBox(
      '无法打开数据',
      `${e instanceof Error ? e.message : String(e)}${protection.warning ? `\n\n${protection.warning}` : ''}`,
    );
    app.exit(1);
    return;
  }
  // Deny by default: no camera, microphone, location, notifications… (security-policy.ts).
  session.defaultSession.setPermissionRequestHandler((wc, permission, callback, details) =>
    callback(allowPermission(permission, details.requestingUrl ?? wc.getURL())),
  );
  session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin) => allowPermission(permission, requestingOrigin));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  serveRenderer();
  wireIpc(core);
  app.on('web-contents-created', (_e, contents) => harden(contents));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('window-all-closed', () => {
    void core.close().then(() => app.quit());
  });
}

void main();
