// The browser host: serves the built renderer and the RPC contract over HTTP on 127.0.0.1.
// Only this app's own page may call it: every RPC request must carry the per-launch secret,
// a Host header naming this server, a matching Origin when one is sent, and a JSON body.
// No request can stop it: a malformed target, a bad body or an error inside a handler is
// answered (400, 413, 415, 429, 500, 503) and the server keeps serving everyone else.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import type { Core } from './core/app-core';
import { hashToken, resolveSession } from './core/sessions';
import { RateLimiter } from './core/rate-limit';
import { TOPICS, type Topic } from '../shared/api/contract';
import { ApiError } from '../shared/api/errors';

export const SECRET_HEADER = 'x-oip-key';
export const SESSION_HEADER = 'x-oip-session';
// Room for a 专场包 (hearings.importPackage: the session's records and its documents' PDFs).
const MAX_BODY = 64 * 1024 * 1024;
/** Body bytes being received at once over all requests: a few large uploads, not unbounded memory. */
const MAX_BODY_BYTES_IN_FLIGHT = 160 * 1024 * 1024;
const MAX_EVENT_STREAMS = 64;
/** Methods that check a password: rate-limited per client. */
const PASSWORD_METHODS = new Set(['auth.login', 'auth.unlock', 'auth.setup', 'auth.changePassword']);

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // antd injects its styles at run time
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface WebHost {
  url: string;
  /** The URL to open, with the secret in the fragment (never sent to the server in requests). */
  openUrl: string;
  port: number;
  secret: string;
  /** Body bytes being received right now (tests wait on it; never timed). */
  bodyBytesInFlight(): number;
  close(): Promise<void>;
}

export interface WebHostOptions {
  core: Core;
  rendererDir: string;
  port?: number;
  secret?: string;
  /** Sign-in attempts per client: a burst, then so many a minute (defaults 10 and 10). */
  passwordAttempts?: { burst: number; perMinute: number };
}

type ErrorCode = 'INVALID_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'RATE_LIMITED' | 'INTERNAL';

function sameSecret(given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: http.ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const json = JSON.stringify(body);
  const headers: http.OutgoingHttpHeaders = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
  };
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(json);
}

function refuse(res: http.ServerResponse, status: number, code: ErrorCode, message: string, close = false): void {
  send(res, status, { ok: false, error: { code, message } }, close);
}

/** The JSON error a broken request gets, written straight to its socket (Node's parser refused it). */
function rawBadRequest(socket: Socket, status: 400 | 408 | 431): void {
  const body = JSON.stringify({ ok: false, error: { code: 'INVALID_INPUT', message: '请求格式不正确' } });
  const reason = status === 400 ? 'Bad Request' : status === 408 ? 'Request Timeout' : 'Request Header Fields Too Large';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * The request target as a path this server can serve, or null. Only origin-form targets
 * ("/path?query") are taken: absolute-form ("http://host/"), authority-form and "*" are not for
 * a server that is no proxy. The path must decode (no broken %-escapes) to text without NUL or
 * other control characters.
 */
export function parseTarget(target: string | undefined): { url: URL; path: string } | null {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(target)) return null;
  let url: URL;
  let decoded: string;
  try {
    url = new URL(target, 'http://127.0.0.1');
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(decoded)) return null;
  return { url, path: decoded };
}

/** `application/json`, optionally with a UTF-8 charset; nothing else (no text/plain, no application/jsonp). */
function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => p === '' || p === 'charset=utf-8');
}

export function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const secret = opts.secret ?? randomBytes(24).toString('base64url');
  const rendererRoot = path.resolve(opts.rendererDir);
  const limiter = new RateLimiter(opts.core.deps.clock, opts.passwordAttempts ?? { burst: 10, perMinute: 10 });
  let port = 0;
  let inFlight = 0;
  let eventStreams = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  /** DNS rebinding and cross-site requests are stopped here, before anything else runs. */
  function trusted(req: http.IncomingMessage, res: http.ServerResponse, needSecret: boolean): boolean {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      refuse(res, 403, 'FORBIDDEN', '请求的主机名不被允许');
      return false;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      refuse(res, 403, 'FORBIDDEN', '跨站请求被拒绝');
      return false;
    }
    if (needSecret && !sameSecret(req.headers[SECRET_HEADER] as string | undefined, secret)) {
      refuse(res, 401, 'UNAUTHENTICATED', '缺少或错误的启动密钥，请使用启动时打印的完整地址打开');
      return false;
    }
    return true;
  }

  function sessionToken(req: http.IncomingMessage): string | null {
    const v = req.headers[SESSION_HEADER];
    return typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : null;
  }

  /**
   * Reads a body of at most MAX_BODY bytes, counting it against the bytes in flight over all
   * requests; answers and returns null when either limit is hit (the connection is then closed,
   * so the rest of the body is never read).
   */
  function readBody(req: http.IncomingMessage, res: http.ServerResponse): Promise<Buffer | null> {
    const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
    const tooLarge = () => refuse(res, 413, 'INVALID_INPUT', `提交的内容过大（超过 ${MAX_BODY / 1024 / 1024} MB），请精简后再试`, true);
    const busy = () => refuse(res, 503, 'INTERNAL', '本机服务正在接收其他大文件，请稍后重试', true);
    if (declared !== null && (!Number.isSafeInteger(declared) || declared < 0 || declared > MAX_BODY)) {
      tooLarge();
      return Promise.resolve(null);
    }
    // A declared length is reserved up front, so concurrent large uploads are refused before they arrive.
    let reserved = declared ?? 0;
    if (inFlight + reserved > MAX_BODY_BYTES_IN_FLIGHT) {
      busy();
      return Promise.resolve(null);
    }
    inFlight += reserved;
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const finish = (value: Buffer | null) => {
        if (settled) return;
        settled = true;
        inFlight -= reserved;
        req.off('data', onData);
        resolve(value);
      };
      const stop = (answer: () => void) => {
        answer();
        finish(null);
        req.pause();
        res.once('finish', () => req.socket.destroy());
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) return stop(tooLarge);
        if (size > reserved) {
          const more = size - reserved;
          if (inFlight + more > MAX_BODY_BYTES_IN_FLIGHT) return stop(busy);
          inFlight += more;
          reserved = size;
        }
        chunks.push(chunk);
      };
      req.on('data', onData);
      req.once('end', () => finish(Buffer.concat(chunks)));
      req.once('error', () => finish(null));
      req.once('close', () => finish(null));
    });
  }

  async function handleRpc(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!isJson(req.headers['content-type'])) {
      refuse(res, 415, 'INVALID_INPUT', '请求格式必须是 JSON（application/json）');
      return;
    }
    const raw = await readBody(req, res);
    if (!raw) return;
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      refuse(res, 400, 'INVALID_INPUT', '请求内容不是有效的 JSON');
      return;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      refuse(res, 400, 'INVALID_INPUT', '请求内容必须是包含 method 和 input 的 JSON 对象');
      return;
    }
    const { method, input } = body as { method?: unknown; input?: unknown };
    if (typeof method !== 'string') {
      refuse(res, 400, 'INVALID_INPUT', '请求中缺少要执行的操作（method）');
      return;
    }
    if (PASSWORD_METHODS.has(method)) {
      const wait = limiter.take(req.socket.remoteAddress ?? 'unknown');
      if (wait > 0) {
        refuse(res, 429, 'RATE_LIMITED', `密码尝试过于频繁，请 ${wait} 秒后再试`);
        return;
      }
    }
    const result = await opts.core.dispatch({ method, input, sessionToken: sessionToken(req) });
    send(res, 200, result);
  }

  async function handleEvents(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (eventStreams >= MAX_EVENT_STREAMS) {
      refuse(res, 503, 'INTERNAL', '打开的窗口过多，请关闭不用的标签页后重试');
      return;
    }
    const wanted = (url.searchParams.get('topics') ?? '').split(',').filter((t): t is Topic => (TOPICS as readonly string[]).includes(t));
    // Events for one sign-in session (a print job's progress) go only to that session's stream.
    const token = sessionToken(req);
    const session = token ? await resolveSession(opts.core.store.db, opts.core.deps.clock, token) : null;
    const mine = session?.tokenHash ?? null;
    if (res.destroyed) return;
    eventStreams++;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    const unsubs = wanted.map((topic) =>
      opts.core.events.subscribe(topic, (payload, audience) => {
        if (audience && audience.sessionTokenHash !== mine) return;
        res.write(`event: ${topic}\ndata: ${JSON.stringify(payload)}\n\n`);
      }),
    );
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    res.once('close', () => {
      eventStreams--;
      clearInterval(ping);
      for (const u of unsubs) u();
    });
  }

  /**
   * A document the core delivered as a download (documents.open / print / save): handed once,
   * to the session that asked, with the launch key. The renderer fetches it and opens or saves it.
   */
  function serveDownload(req: http.IncomingMessage, res: http.ServerResponse, token: string): void {
    const session = req.headers[SESSION_HEADER];
    try {
      const file = opts.core.downloads.take(token, typeof session === 'string' && session ? hashToken(session) : null);
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-length': file.bytes.length,
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(file.bytes);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      send(res, 404, { ok: false, error: e.toBody() });
    }
  }

  function serveStatic(res: http.ServerResponse, pathname: string): void {
    let rel = pathname;
    if (rel === '/' || !path.extname(rel)) rel = '/index.html'; // client-side routes
    const file = path.resolve(rendererRoot, `.${rel}`);
    if (!file.startsWith(rendererRoot + path.sep)) {
      refuse(res, 403, 'FORBIDDEN', '路径不被允许');
      return;
    }
    fs.readFile(file, (err, data) => {
      if (res.destroyed) return;
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(rel === '/index.html' ? '界面尚未构建，请先运行 npm run build' : '未找到');
        return;
      }
      res.writeHead(200, {
        'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'cache-control': rel === '/index.html' ? 'no-store' : 'public, max-age=3600',
      });
      res.end(data);
    });
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const target = parseTarget(req.url);
    if (!target) return refuse(res, 400, 'INVALID_INPUT', '请求地址无效', true);
    if (target.path === '/rpc') {
      if (req.method !== 'POST') return refuse(res, 405, 'FORBIDDEN', '只接受 POST');
      if (!trusted(req, res, true)) return;
      return handleRpc(req, res);
    }
    if (target.path === '/events') {
      if (req.method !== 'GET') return refuse(res, 405, 'FORBIDDEN', '只接受 GET');
      if (!trusted(req, res, true)) return;
      return handleEvents(req, res, target.url);
    }
    const download = /^\/download\/([A-Za-z0-9_-]{16,64})$/.exec(target.path);
    if (download) {
      if (req.method !== 'GET') return refuse(res, 405, 'FORBIDDEN', '只接受 GET');
      if (!trusted(req, res, true)) return;
      return serveDownload(req, res, download[1]!);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'FORBIDDEN', '不支持的请求');
    if (!trusted(req, res, false)) return;
    serveStatic(res, target.path);
  }

  const server = http.createServer((req, res) => {
    // Whatever goes wrong inside one request is answered there; it never reaches the process.
    const fail = (err: unknown) => {
      console.error(`[web] request failed: ${err instanceof Error ? err.name : typeof err}`);
      refuse(res, 500, 'INTERNAL', '系统内部错误，请重试', true);
    };
    try {
      route(req, res).catch(fail);
    } catch (err) {
      fail(err);
    }
  });
  // Requests Node's own parser refuses (NUL or spaces in the target, broken headers) get a JSON 400 too.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    rawBadRequest(socket, err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Bound to loopback only: never reachable from the network.
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      const url = `http://127.0.0.1:${port}/`;
      resolve({
        url,
        openUrl: `${url}#key=${secret}`,
        port,
        secret,
        bodyBytesInFlight: () => inFlight,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
