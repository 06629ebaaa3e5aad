// The browser host: serves the built renderer and the RPC contract over HTTP on 127.0.0.1.
// Only this app's own page may call it: every RPC request must carry the per-launch secret,
// a Host header naming this server, a matching Origin when one is sent, and a JSON body.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Core } from './core/app-core';
import { TOPICS, type Topic } from '../shared/api/contract';
import { ApiError } from '../shared/api/errors';
import { hashToken } from './core/sessions';

export const SECRET_HEADER = 'x-oip-key';
export const SESSION_HEADER = 'x-oip-session';
// Room for a 专场包 (hearings.importPackage: the session's records and its documents' PDFs).
const MAX_BODY = 64 * 1024 * 1024;

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
  close(): Promise<void>;
}

export interface WebHostOptions {
  core: Core;
  rendererDir: string;
  port?: number;
  secret?: string;
}

function sameSecret(given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function refuse(res: http.ServerResponse, status: number, message: string): void {
  send(res, status, { ok: false, error: { code: status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', message } });
}

export function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const secret = opts.secret ?? randomBytes(24).toString('base64url');
  const rendererRoot = path.resolve(opts.rendererDir);
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  /** DNS rebinding and cross-site requests are stopped here, before anything else runs. */
  function trusted(req: http.IncomingMessage, res: http.ServerResponse, needSecret: boolean): boolean {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      refuse(res, 403, '请求的主机名不被允许');
      return false;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      refuse(res, 403, '跨站请求被拒绝');
      return false;
    }
    if (needSecret && !sameSecret(req.headers[SECRET_HEADER] as string | undefined, secret)) {
      refuse(res, 401, '缺少或错误的启动密钥，请使用启动时打印的完整地址打开');
      return false;
    }
    return true;
  }

  async function handleRpc(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      send(res, 415, { ok: false, error: { code: 'INVALID_INPUT', message: '请求格式必须是 JSON' } });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) {
        send(res, 413, {
          ok: false,
          error: { code: 'INVALID_INPUT', message: `提交的内容过大（超过 ${MAX_BODY / 1024 / 1024} MB），请精简后再试` },
        });
        req.destroy();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    let body: { method?: unknown; input?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      send(res, 400, { ok: false, error: { code: 'INVALID_INPUT', message: '请求内容不是有效的 JSON' } });
      return;
    }
    const result = await opts.core.dispatch({
      method: String(body.method ?? ''),
      input: body.input,
      sessionToken: (req.headers[SESSION_HEADER] as string | undefined) ?? null,
    });
    send(res, 200, result);
  }

  function handleEvents(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const wanted = (url.searchParams.get('topics') ?? '').split(',').filter((t): t is Topic => (TOPICS as readonly string[]).includes(t));
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    const unsubs = wanted.map((topic) =>
      opts.core.events.subscribe(topic, (payload) => res.write(`event: ${topic}\ndata: ${JSON.stringify(payload)}\n\n`)),
    );
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    req.on('close', () => {
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
    let rel = decodeURIComponent(pathname);
    if (rel === '/' || !path.extname(rel)) rel = '/index.html'; // client-side routes
    const file = path.resolve(rendererRoot, `.${rel}`);
    if (!file.startsWith(rendererRoot + path.sep)) {
      refuse(res, 403, '路径不被允许');
      return;
    }
    fs.readFile(file, (err, data) => {
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

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/rpc') {
      if (req.method !== 'POST') return refuse(res, 405, '只接受 POST');
      if (!trusted(req, res, true)) return;
      handleRpc(req, res).catch(() => send(res, 500, { ok: false, error: { code: 'INTERNAL', message: '系统内部错误，请重试' } }));
      return;
    }
    if (url.pathname === '/events') {
      if (!trusted(req, res, true)) return;
      return handleEvents(req, res, url);
    }
    const download = /^\/download\/([A-Za-z0-9_-]{16,64})$/.exec(url.pathname);
    if (download) {
      if (req.method !== 'GET') return refuse(res, 405, '只接受 GET');
      if (!trusted(req, res, true)) return;
      return serveDownload(req, res, download[1]!);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, '不支持的请求');
    if (!trusted(req, res, false)) return;
    serveStatic(res, url.pathname);
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
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
