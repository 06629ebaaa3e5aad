// The web host answers only this app's own page: loopback, the launch key, its own Host and
// Origin, JSON bodies. These tests speak raw HTTP to a real server.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../electron/web-host';
import { makeTestCore, type TestCore, tempDir } from '../helpers/core';

let t: TestCore;
let host: WebHost;
const rendererDir = tempDir('oip-renderer-');

beforeAll(async () => {
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  fs.mkdirSync(path.join(rendererDir, 'assets'));
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(path.dirname(rendererDir), 'secret.txt'), 'outside');
  t = makeTestCore();
  host = await startWebHost({ core: t, rendererDir });
});
afterAll(async () => {
  await host.close();
  await t.cleanup();
  fs.rmSync(rendererDir, { recursive: true, force: true });
  fs.rmSync(path.join(path.dirname(rendererDir), 'secret.txt'), { force: true });
});

function request(opts: {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
        path: opts.path,
        method: opts.method ?? 'GET',
        headers: { host: `127.0.0.1:${host.port}`, ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

function rpc(body: unknown, headers: Record<string, string> = {}) {
  return request({
    path: '/rpc',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-oip-key': host.secret, ...headers },
    body: JSON.stringify(body),
  });
}

describe('web host', () => {
  it('binds to loopback and prints an open URL carrying the key in the fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`);
    expect(host.openUrl).toBe(`${host.url}#key=${host.secret}`);
    expect(host.secret.length).toBeGreaterThanOrEqual(32);
  });

  it('answers RPC with the key and the right Host', async () => {
    const r = await rpc({ method: 'system.info', input: {} });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, result: { needsSetup: true, host: 'test' } });
  });

  it('refuses RPC without the key, with a wrong key, from another Host or Origin, or not as JSON', async () => {
    expect((await rpc({ method: 'system.info', input: {} }, { 'x-oip-key': '' })).status).toBe(401);
    expect((await rpc({ method: 'system.info', input: {} }, { 'x-oip-key': 'x'.repeat(host.secret.length) })).status).toBe(401);
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
    expect((await rpc({ method: 'system.info', input: {} }, { host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await rpc({ method: 'system.info', input: {} }, { origin: 'http://evil.example' })).status).toBe(403);
    const form = await request({
      path: '/rpc',
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-oip-key': host.secret },
      body: '{}',
    });
    expect(form.status).toBe(415);
    const refused = JSON.parse((await rpc({ method: 'system.info', input: {} }, { origin: 'http://evil.example' })).body) as {
      error: { message: string };
    };
    expect(refused.error.message).toBe('跨站请求被拒绝');
  });

  it('accepts its own Origin and the localhost name', async () => {
    expect((await rpc({ method: 'system.info', input: {} }, { origin: `http://127.0.0.1:${host.port}` })).status).toBe(200);
    expect(
      (await rpc({ method: 'system.info', input: {} }, { host: `localhost:${host.port}`, origin: `http://localhost:${host.port}` })).status,
    ).toBe(200);
  });

  it('returns structured Chinese errors for malformed bodies', async () => {
    const bad = await request({
      path: '/rpc',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-oip-key': host.secret },
      body: '{nope',
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toBe('请求内容不是有效的 JSON');
    const unknown = JSON.parse((await rpc({ method: 'drop.tables', input: {} })).body);
    expect(unknown.error.code).toBe('UNKNOWN_METHOD');
  });

  it('serves the renderer with a strict CSP and never a file outside its folder', async () => {
    const index = await request({ path: '/' });
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await request({ path: '/assets/app.js' })).body).toBe('console.log(1)');
    const traversal = await request({ path: '/..%2Fsecret.txt' });
    expect(traversal.status).toBe(403);
    expect(traversal.body).not.toContain('outside');
    expect((await request({ path: '/', headers: { host: 'evil.example' } })).status).toBe(403);
  });

  it('streams subscribed topics as server-sent events to a keyed client only', async () => {
    expect((await request({ path: '/events?topics=data.changed' })).status).toBe(401);
    const received = await new Promise<string>((resolve, reject) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/events?topics=data.changed',
          headers: { host: `127.0.0.1:${host.port}`, 'x-oip-key': host.secret },
        },
        (res) => {
          let buf = '';
          res.on('data', (c: Buffer) => {
            buf += c.toString('utf8');
            if (buf.includes('event: data.changed')) {
              req.destroy();
              resolve(buf);
            }
          });
          // Once connected, cause a change through the RPC.
          setTimeout(
            () => void rpc({ method: 'auth.setup', input: { username: 'admin', displayName: '管理员', password: 'Admin-pass-2026' } }),
            50,
          );
        },
      );
      req.on('error', reject);
    });
    expect(received).toContain('"method":"auth.setup"');
  });
});
