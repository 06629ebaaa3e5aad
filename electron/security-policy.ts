// The desktop window's security decisions, as plain functions main.ts applies and tests check
// without Electron: which permissions a page gets (none, but the app's own clipboard write),
// which external links may open in the system browser (an allow-list), where the window may
// navigate (only the app), which file the app:// protocol may serve (only the built renderer),
// and the web preferences of the main window and of the PDF print window (no preload bridge).
import path from 'node:path';

export const APP_ORIGIN = 'app://oip';

/** Official sites the app may open in the system browser; nothing else leaves the app. */
export const EXTERNAL_ALLOWLIST: readonly string[] = ['https://www.mohrss.gov.cn', 'https://rst.qinghai.gov.cn'];

function origin(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'app:' ? `app://${u.host}` : u.origin;
  } catch {
    return null;
  }
}

/**
 * Permission requests and checks: denied unless listed. The only one granted is writing to the
 * clipboard from the app itself (copying this device's key line on 可信设备).
 */
export function allowPermission(permission: string, requestingUrl: string | null | undefined): boolean {
  return permission === 'clipboard-sanitized-write' && !!requestingUrl && origin(requestingUrl) === APP_ORIGIN;
}

/** A link to open in the system browser: https, an allow-listed site, no user name or password in it. */
export function isAllowedExternal(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && !u.username && !u.password && EXTERNAL_ALLOWLIST.includes(u.origin);
}

/** The window stays on the app: any other navigation is stopped. */
export function isAppUrl(url: string): boolean {
  return origin(url) === APP_ORIGIN;
}

/**
 * New windows are never opened (documents go to the system viewer through documents.open);
 * an allow-listed link opens in the system browser instead.
 */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: isAllowedExternal(url) };
}

/** The file app://oip/<path> serves, or null: only files inside the built renderer folder. */
export function rendererFile(rendererDir: string, url: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const rel = pathname === '/' || !path.extname(pathname) ? '/index.html' : pathname;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${rel}`);
  return file.startsWith(root + path.sep) ? file : null;
}

/** The hardened preferences every window shares. */
const LOCKED_DOWN = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  enableBlinkFeatures: '',
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;

/** The app window: the only one with the preload bridge (invoke and subscribe). */
export function mainWindowPreferences(preload: string) {
  return { ...LOCKED_DOWN, preload };
}

/** The hidden window that loads a PDF for the print dialog: the PDF plug-in, and no bridge. */
export function pdfWindowPreferences() {
  return { ...LOCKED_DOWN, plugins: true };
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
