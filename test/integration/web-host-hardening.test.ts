// No request can stop the web host: malformed targets, broken bodies, oversize and concurrent
// large uploads, an error inside a handler. These tests speak raw bytes to a real server (as an
// <img> on another local page or a script with a socket would) and check that every attack is
// answered with a JSON error, nothing is written, and the host keeps serving afterwards.
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../electron/web-host';
import { makeTestCore, setupAdmin, type TestCore, tempDir, ADMIN_PASSWORD } from '../helpers/core';
import { storeState } from '../helpers/store-state';

let t: TestCore;
let host: WebHost;
const rendererDir = tempDir('oip-renderer-');

beforeAll(async () => {
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  t = makeTestCore();
  await setupAdmin(t);
  host = await startWebHost({ core: t, rendererDir, passwordAttempts: { burst: 3, perMinute: 3 } });
});
afterAll(async () => {
  await host.close();
  await t.cleanup();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

/** Sends raw bytes and returns what came back until the server closed or answered in full. */
function raw(bytes: string | Buffer, port = host.port): Promise<{ status: number; body: string; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString('utf8');
      const headEnd = text.indexOf('\r\n\r\n');
      const len = /content-length: (\d+)/i.exec(text.slice(0, headEnd));
      if (headEnd >= 0 && len && Buffer.byteLength(text.slice(headEnd + 4)) >= Number(len[1])) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4), text });
    });
    socket.write(bytes);
  });
}

const hostHeader = () => `Host: 127.0.0.1:${host.port}\r\n`;

function get(target: string): Promise<{ status: number; body: string }> {
  return raw(`GET ${target} HTTP/1.1\r\n${hostHeader()}Connection: close\r\n\r\n`);
}

function rpcRaw(body: string, contentType = 'application/json', extra = ''): Promise<{ status: number; body: string }> {
  return raw(
    `POST /rpc HTTP/1.1\r\n${hostHeader()}Content-Type: ${contentType}\r\nx-oip-key: ${host.secret}\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

async function stillServing(): Promise<void> {
  expect((await get('/')).status).toBe(200);
  const r = await rpcRaw(JSON.stringify({ method: 'system.info', input: {} }));
  expect(r.status).toBe(200);
  expect(JSON.parse(r.body)).toMatchObject({ ok: true, result: { needsSetup: false } });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('malformed request targets', () => {
  it.each([
    ['bad percent-encoding', '/%zz'],
    ['an encoded NUL', '/a%00.js'],
    ['an encoded NUL in an RPC path', '/rpc%00'],
    ['an absolute-form target with a broken host', 'http://%zz/'],
    ['an absolute-form target', 'http://127.0.0.1/index.html'],
    ['a truncated UTF-8 escape', '/%E4%B8'],
    ['an encoded lone surrogate', '/%ED%A0%80.js'],
    ['an encoded control character', '/a%1b.js'],
    ['a protocol-relative path', '//evil.example/a.js'],
    ['the asterisk form', '*'],
  ])('answers %s with a JSON 400 and keeps serving', async (_what, target) => {
    const before = storeState(t.store.sqlite);
    const r = await get(target);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: '请求地址无效' } });
    expect(storeState(t.store.sqlite)).toEqual(before);
    await stillServing();
  });

  it('answers a raw NUL or a broken request line (refused by the HTTP parser) with a JSON 400', async () => {
    for (const bytes of [
      `GET /a\0b.js HTTP/1.1\r\n${hostHeader()}\r\n`,
      `GET / HTTP/1.1\r\n${hostHeader()}X-Bad\0: 1\r\n\r\n`,
      'NOT-HTTP\r\n\r\n',
    ]) {
      const r = await raw(bytes);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    await stillServing();
  });

  it('survives a request an <img> on another local page would send, without the key', async () => {
    const r = await raw(`GET /%zz HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nReferer: http://127.0.0.1:9/evil.html\r\n\r\n`);
    expect(r.status).toBe(400);
    await stillServing();
  });
});

describe('RPC bodies', () => {
  it.each([
    ['null', 'null'],
    ['an array', '[]'],
    ['a string', '"system.info"'],
    ['a number', '42'],
    ['an object without a method', '{"input":{}}'],
    ['a method that is not a string', '{"method":7,"input":{}}'],
    ['broken JSON', '{"method":'],
  ])('answers %s with a 400 and writes nothing', async (_what, body) => {
    const before = storeState(t.store.sqlite);
    const r = await rpcRaw(body);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(storeState(t.store.sqlite)).toEqual(before);
  });

  it.each([
    'text/plain',
    'application/jsonp',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
    'multipart/form-data',
  ])('accepts only application/json, not %s', async (type) => {
    const r = await rpcRaw(JSON.stringify({ method: 'system.info', input: {} }), type);
    expect(r.status).toBe(415);
  });

  it('accepts application/json with a UTF-8 charset', async () => {
    const r = await rpcRaw(JSON.stringify({ method: 'system.info', input: {} }), 'application/json; charset=UTF-8');
    expect(r.status).toBe(200);
  });

  it('refuses a body declared larger than the limit before reading it', async () => {
    const r = await raw(
      `POST /rpc HTTP/1.1\r\n${hostHeader()}Content-Type: application/json\r\nx-oip-key: ${host.secret}\r\nContent-Length: ${200 * 1024 * 1024}\r\n\r\n{`,
    );
    expect(r.status).toBe(413);
    expect(host.bodyBytesInFlight()).toBe(0);
    await stillServing();
  });

  it('caps the body bytes in flight over concurrent uploads, and frees them when uploads end', async () => {
    const declare = (n: number) => {
      const s = net.connect(host.port, '127.0.0.1');
      s.on('error', () => undefined);
      const answer = new Promise<string>((resolve) => {
        let got = '';
        s.on('data', (c: Buffer) => (got += c.toString('utf8')));
        s.on('close', () => resolve(got));
      });
      s.write(
        `POST /rpc HTTP/1.1\r\n${hostHeader()}Content-Type: application/json\r\nx-oip-key: ${host.secret}\r\nContent-Length: ${n}\r\n\r\n{"method":`,
      );
      return { s, answer };
    };
    const size = 60 * 1024 * 1024;
    const a = declare(size);
    await until(() => host.bodyBytesInFlight() >= size);
    const b = declare(size);
    await until(() => host.bodyBytesInFlight() >= 2 * size);
    // A third 60 MB upload would take the host past 160 MB held at once: refused before it arrives.
    const c = declare(size);
    expect(await c.answer).toMatch(/^HTTP\/1\.1 503/);
    expect(host.bodyBytesInFlight()).toBe(2 * size);
    a.s.destroy();
    b.s.destroy();
    await until(() => host.bodyBytesInFlight() === 0);
    await stillServing();
  });
});

describe('errors inside a request', () => {
  it('answers a failure inside a handler with a 500 and keeps serving others', async () => {
    // A second host over a core whose store is closed under it: every store access fails.
    const broken = makeTestCore();
    const token = await setupAdmin(broken);
    const other = await startWebHost({ core: broken, rendererDir });
    try {
      await broken.store.close();
      const events = await raw(
        `GET /events?topics=print.progress HTTP/1.1\r\nHost: 127.0.0.1:${other.port}\r\nx-oip-key: ${other.secret}\r\nx-oip-session: ${token}\r\n\r\n`,
        other.port,
      );
      expect(events.status).toBe(500);
      expect(JSON.parse(events.body)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      const index = await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${other.port}\r\nConnection: close\r\n\r\n`, other.port);
      expect(index.status).toBe(200);
    } finally {
      await other.close();
      fs.rmSync(broken.dir, { recursive: true, force: true });
    }
    await stillServing();
  });
});

describe('password attempts per client', () => {
  it('limits sign-in attempts per client, so nobody can lock accounts as fast as they can send', async () => {
    const before = storeState(t.store.sqlite).tables.audit_log;
    const attempt = async (password: string) => {
      const r = await rpcRaw(JSON.stringify({ method: 'auth.login', input: { username: 'admin', password } }));
      return { status: r.status, body: JSON.parse(r.body) as { ok: boolean; error?: { code: string; message: string } } };
    };
    for (let i = 0; i < 3; i++) expect((await attempt('Wrong-pass-1')).status).toBe(200);
    const limited = await attempt(ADMIN_PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('秒后再试') });
    // The refused attempt never reached the account: no failure counted, nothing audited.
    const row = t.store.sqlite.prepare("SELECT failed_attempts FROM users WHERE username = 'admin'").get() as { failed_attempts: number };
    expect(row.failed_attempts).toBe(3);
    expect(storeState(t.store.sqlite).tables.audit_log).toBeLessThanOrEqual(before! + 3);
    t.clock.advanceMinutes(1);
    const again = await attempt(ADMIN_PASSWORD);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ ok: true, result: { ok: true } });
  });
});

describe('session-scoped events', () => {
  it('opens an event stream for a keyed client only, and keeps listeners bounded by open streams', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(
        { host: '127.0.0.1', port: host.port, path: '/events?topics=data.changed', headers: { host: `127.0.0.1:${host.port}` } },
        resolve,
      ),
    );
    expect(res.statusCode).toBe(401);
    res.resume();
  });
});
