// Bad input at the centre gets a structured Chinese error and writes nothing; a bad reply at the
// device (malformed, wrongly shaped, over-large, truncated, too slow, unreachable) is a clear
// CentreError and never a crash or a half-trusted value.
import http from 'node:http';
import { createHash, sign } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceKey } from '../../electron/core/crypto/device-key';
import { CentreClient, CentreError, type FetchLike } from '../../electron/core/sync/centre-client';
import { HEADER_DEVICE, HEADER_NONCE, HEADER_SIGNATURE, signingString, syncErrorSchema, type Mutation } from '../../shared/sync/protocol';
import { CATALOGUE_VERSION } from '../../shared/sync/tables';
import { makeEnrolCode } from '../../central/core/enrolment';
import { enrolTestDevice, registration, seedUsers, tempDir, type TestCentre, type TestDevice, useSharedCentre } from '../helpers/central';

let centre: TestCentre;
useSharedCentre((c) => (centre = c));

/** Row counts of everything a push or enrolment could write (nonces aside: a request consumes one). */
async function footprint(): Promise<Record<string, number>> {
  const r = await sql<Record<string, number>>`
    SELECT (SELECT count(*)::int FROM devices) AS devices, (SELECT coalesce(sum(last_seq), 0)::int FROM devices) AS seqs,
      (SELECT count(*)::int FROM mutations) AS mutations, (SELECT count(*)::int FROM records) AS records,
      (SELECT count(*)::int FROM changes) AS changes, (SELECT count(*)::int FROM blobs) AS blobs,
      (SELECT count(*)::int FROM audit_copies) AS audit, (SELECT count(*)::int FROM conflicts) AS conflicts,
      (SELECT count(*)::int FROM enrol_codes WHERE used_at IS NOT NULL) AS used_codes`.execute(centre.db);
  return r.rows[0]!;
}

/** Sends a signed request with any body at all, as a broken or hostile device might. */
async function signedRaw(
  dev: TestDevice,
  method: string,
  path: string,
  body: string | Buffer,
  contentType = 'application/json',
): Promise<Response> {
  const nr = await fetch(`${centre.url}/v1/nonce`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId: dev.deviceId }),
  });
  const { nonce } = (await nr.json()) as { nonce: string };
  const bytes = Buffer.from(body);
  const digest = createHash('sha256').update(bytes).digest('hex');
  const signature = sign(null, Buffer.from(signingString(method, path, digest, nonce)), dev.key.privateKey).toString('base64');
  const headers: Record<string, string> = { [HEADER_DEVICE]: dev.deviceId, [HEADER_NONCE]: nonce, [HEADER_SIGNATURE]: signature };
  if (method === 'GET') return fetch(`${centre.url}${path}`, { headers });
  return fetch(`${centre.url}${path}`, { method, headers: { ...headers, 'content-type': contentType }, body: bytes });
}

async function expectRefusal(r: Response, status: number, code: string): Promise<string> {
  expect(r.status).toBe(status);
  const body = syncErrorSchema.parse(await r.json());
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  return body.error.message;
}

describe('bad input at the centre', () => {
  it('push bodies that break the contract are refused whole, with the field named, and write nothing', async () => {
    const dev = await enrolTestDevice(centre);
    await seedUsers(dev);
    const good = registration(dev).mutation;
    const before = await footprint();
    const bodies: [string, string][] = [
      ['{"protocol":1,', '不是有效的 JSON'],
      [JSON.stringify({ protocol: 1, catalogueVersion: CATALOGUE_VERSION, mutations: [] }), 'mutations'],
      [JSON.stringify({ protocol: 2, catalogueVersion: CATALOGUE_VERSION, mutations: [good] }), 'protocol'],
      [JSON.stringify({ protocol: 1, catalogueVersion: CATALOGUE_VERSION, mutations: [{ ...good, seq: 0 }] }), 'mutations.0.seq'],
      [JSON.stringify({ protocol: 1, catalogueVersion: CATALOGUE_VERSION, mutations: [{ ...good, mutationId: 'x' }] }), 'mutationId'],
      [
        JSON.stringify({
          protocol: 1,
          catalogueVersion: CATALOGUE_VERSION,
          mutations: [{ ...good, rows: [{ ...good.rows[0], op: 'merge' }] }],
        }),
        'op',
      ],
      [
        JSON.stringify({
          protocol: 1,
          catalogueVersion: CATALOGUE_VERSION,
          mutations: [{ ...good, rows: [{ ...good.rows[0], row: { 'Bad Column': 1 } }] }],
        }),
        'row',
      ],
      [JSON.stringify([good]), ''],
    ];
    for (const [body, mention] of bodies) {
      const message = await expectRefusal(await signedRaw(dev, 'POST', '/v1/push', body), 400, 'INVALID_INPUT');
      expect(message, body.slice(0, 40)).toContain(mention);
    }
    const wrongCatalogue = await signedRaw(
      dev,
      'POST',
      '/v1/push',
      JSON.stringify({ protocol: 1, catalogueVersion: 99, mutations: [good] }),
    );
    await expectRefusal(wrongCatalogue, 400, 'PROTOCOL_UNSUPPORTED');
    await expectRefusal(await signedRaw(dev, 'POST', '/v1/push', 'x=1', 'text/plain'), 415, 'INVALID_INPUT');
    await expectRefusal(await signedRaw(dev, 'POST', '/v1/blobs/missing', JSON.stringify({ hashes: ['nothex'] })), 400, 'INVALID_INPUT');
    await expectRefusal(await signedRaw(dev, 'PUT', '/v1/blobs/abc', Buffer.from('x'), 'application/octet-stream'), 400, 'INVALID_INPUT');
    await expectRefusal(await signedRaw(dev, 'GET', '/v1/pull?limit=5000', ''), 400, 'INVALID_INPUT');
    await expectRefusal(await signedRaw(dev, 'GET', '/v1/pull?cursor=1.2.3', ''), 400, 'INVALID_INPUT');
    await expectRefusal(await fetch(`${centre.url}/v2/push`, { method: 'POST' }), 404, 'NOT_FOUND');
    expect(await footprint()).toEqual(before);
  });

  it('an over-large body is TOO_LARGE and writes nothing', async () => {
    const dev = await enrolTestDevice(centre);
    const before = await footprint();
    const big = Buffer.alloc(33 * 1024 * 1024, 0x20);
    const r = await signedRaw(dev, 'POST', '/v1/push', big);
    await expectRefusal(r, 413, 'TOO_LARGE');
    expect(await footprint()).toEqual(before);
  });

  it('enrolment input is checked before any code is touched', async () => {
    const { code } = await makeEnrolCode(centre.db, centre.clock, {});
    const key = deviceKey(tempDir('oip-device-'));
    const before = await footprint();
    const post = (body: unknown): Promise<Response> =>
      fetch(`${centre.url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const good = {
      protocol: 1,
      code,
      publicKey: key.publicKeyB64,
      keyId: key.keyId,
      deviceName: '一号机',
      appVersion: '0.1.0',
      schemaVersion: 304,
      catalogueVersion: CATALOGUE_VERSION,
    };
    expect(await expectRefusal(await post({ ...good, code: 'ABC' }), 400, 'INVALID_INPUT')).toContain('XXXX-XXXX-XXXX-XXXX');
    expect(await expectRefusal(await post({ ...good, keyId: '0'.repeat(16) }), 400, 'INVALID_INPUT')).toContain('密钥编号');
    expect(await expectRefusal(await post({ ...good, publicKey: Buffer.alloc(44).toString('base64') }), 400, 'INVALID_INPUT')).toContain(
      'Ed25519',
    );
    await expectRefusal(await post({ ...good, catalogueVersion: CATALOGUE_VERSION + 1 }), 400, 'PROTOCOL_UNSUPPORTED');
    await expectRefusal(await post({ ...good, deviceName: '' }), 400, 'INVALID_INPUT');
    expect(await footprint()).toEqual(before);
    expect((await post(good)).status).toBe(200);
  });
});

describe('bad replies at the device', () => {
  let server: http.Server;
  let url: string;
  let reply: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  beforeAll(async () => {
    // Signed calls first fetch a nonce: that part of the centre behaves; the call itself does not.
    server = http.createServer((req, res) => {
      if (req.url === '/v1/nonce') return void json(200, { ok: true, nonce: 'n'.repeat(32), expiresAt: 'x' })(req, res);
      reply(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );

  const key = deviceKey(tempDir('oip-device-'));
  const client = (o: { timeoutMs?: number; maxReplyBytes?: number; fetch?: FetchLike } = {}): CentreClient =>
    new CentreClient({ baseUrl: url, key, deviceId: '01900000-0000-7000-8000-000000000001', ...o });
  const json =
    (status: number, body: unknown, headers: Record<string, string> = {}) =>
    (_: http.IncomingMessage, res: http.ServerResponse) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body));
  async function failure(p: Promise<unknown>): Promise<CentreError> {
    const e = await p.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(CentreError);
    expect((e as CentreError).message).toMatch(/[\u4e00-\u9fff]/);
    return e as CentreError;
  }
  const nonceHeader = { 'x-oip-next-nonce': 'n'.repeat(32) };

  it('malformed JSON, a wrong shape, a truncated body', async () => {
    reply = json(200, '{"ok":true,"prot');
    expect((await failure(client().health())).code).toBe('BAD_REPLY');
    reply = json(200, { ok: true, protocol: 'one' });
    expect((await failure(client().health())).message).toContain('格式不符合同步协议');
    reply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"ok":true');
      res.destroy();
    };
    expect(['NETWORK', 'BAD_REPLY']).toContain((await failure(client().health())).code);
  });

  it('an over-large reply, declared or streamed', async () => {
    reply = json(200, { ok: true, protocol: 1, catalogueVersion: CATALOGUE_VERSION, serverTime: 'x'.repeat(2000) });
    expect((await failure(client({ maxReplyBytes: 1000 }).health())).message).toContain('过大');
    reply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('['.repeat(600));
      res.end(']'.repeat(600));
    };
    expect((await failure(client({ maxReplyBytes: 1000 }).health())).message).toContain('过大');
  });

  it('a pull page larger than asked for, push results that do not answer the batch, a blob that is not the one asked for', async () => {
    const change = { table: 'cases', key: { id: 'a' }, version: 1, deleted: false, row: { id: 'a' } };
    reply = json(200, { ok: true, changes: [change, change, change], cursor: '1.1', more: false }, nonceHeader);
    expect((await failure(client().pull('', 2))).message).toContain('超过了请求的 2 条');
    reply = json(
      200,
      {
        ok: true,
        results: [
          { seq: 9, mutationId: '01900000-0000-7000-8000-000000000009', status: 'applied', code: null, message: null, conflictId: null },
        ],
        lastSeq: 9,
      },
      nonceHeader,
    );
    const m: Mutation = {
      seq: 1,
      mutationId: '01900000-0000-7000-8000-000000000001',
      kind: 'cases.register',
      entity: null,
      entityId: null,
      userId: null,
      userName: null,
      rulePack: null,
      schemaVersion: 304,
      at: '2026-11-24T10:00:00.000+08:00',
      rows: [],
      audit: null,
    };
    expect((await failure(client().push([m]))).message).toContain('对不上');
    reply = (_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream', ...nonceHeader }).end('not the bytes');
    expect((await failure(client().getBlob('a'.repeat(64)))).message).toContain('摘要不符');
  });

  it('an error body in the protocol’s shape keeps its code and seq; anything else by status', async () => {
    reply = json(409, { ok: false, error: { code: 'SEQ_GAP', message: '应从第 7 条开始重新推送', expectedSeq: 7 } }, nonceHeader);
    const gap = await failure(client().status());
    expect([gap.code, gap.expectedSeq, gap.status]).toEqual(['SEQ_GAP', 7, 409]);
    reply = (_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
    const bad = await failure(client().status());
    expect([bad.code, bad.retryable]).toEqual(['INTERNAL', true]);
    expect(bad.message).toContain('502');
  });

  it('a centre that never answers is a timeout; one that is not there is a network error', async () => {
    reply = () => undefined; // hold the request open
    const slow = await failure(client({ timeoutMs: 300 }).health());
    expect([slow.code, slow.retryable]).toEqual(['TIMEOUT', true]);
    reply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"ok":true,');
    };
    expect((await failure(client({ timeoutMs: 300 }).health())).code).toBe('TIMEOUT');
    const gone = await failure(new CentreClient({ baseUrl: 'http://127.0.0.1:9', key }).health());
    expect(gone.code).toBe('NETWORK');
    expect(() => new CentreClient({ baseUrl: 'ftp://x', key })).toThrow(CentreError);
  });

  it('an enrolment reply whose centre key does not match its id is refused, so nothing wrong is pinned', async () => {
    reply = json(200, {
      ok: true,
      deviceId: '01900000-0000-7000-8000-000000000002',
      deviceTag: 'K7Q',
      office: { id: '01900000-0000-7000-8000-000000000003', name: '某机构' },
      centre: { publicKey: key.publicKeyB64, keyId: '0123456789abcdef' },
      nonce: 'n'.repeat(32),
    });
    const c = new CentreClient({ baseUrl: url, key });
    expect((await failure(c.enrol({ code: 'K7Q2-9XMV-4T8C-PL3D', deviceName: 'x', appVersion: '0', schemaVersion: 1 }))).message).toContain(
      '中心公钥',
    );
    expect(c.deviceId).toBeNull();
  });
});
