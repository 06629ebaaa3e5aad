// A corrupt or malicious centre reply is refused with a clear Chinese error and changes nothing:
// a proxy on 127.0.0.1 in front of a real centre (PGlite) rewrites the pull reply (not JSON, the
// wrong shape, more changes than asked for, a record of a case this device does not hold) or the
// enrolment reply (a centre key that is not the one its id names: the key the device would pin).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { v7 } from 'uuid';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { beijingRider, staff } from '../helpers/intake';
import { memoryPGlite, startTestCentre, type TestCentre } from '../helpers/central';
import { makeEnrolCode } from '../../central/core/enrolment';
import { canonicalSha256 } from '../../electron/core/crypto/hash';

type Mode = 'pass' | 'bad-json' | 'wrong-schema' | 'over-large' | 'foreign-case' | 'bad-centre-key';

let pg: PGlite;
let centre: TestCentre;
let proxy: http.Server;
let proxyUrl: string;
let mode: Mode = 'pass';
const cores: TestCore[] = [];

beforeAll(async () => {
  pg = await memoryPGlite();
  centre = await startTestCentre({ pglite: pg });
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers))
          if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
        const body = chunks.length ? Buffer.concat(chunks) : undefined;
        const real = await fetch(`${centre.url}${req.url}`, { method: req.method, headers, body });
        let bytes = Buffer.from(await real.arrayBuffer());
        const nonce = real.headers.get('x-oip-next-nonce');
        const path = req.url ?? '';
        if (path.startsWith('/v1/pull') && real.status === 200 && mode !== 'pass') {
          const page = JSON.parse(bytes.toString()) as { changes: unknown[]; cursor: string; more: boolean };
          if (mode === 'bad-json') bytes = Buffer.from('{"ok": true, "changes": [');
          if (mode === 'wrong-schema') bytes = Buffer.from(JSON.stringify({ ok: true, changes: 'alle', cursor: 7 }));
          if (mode === 'over-large')
            bytes = Buffer.from(JSON.stringify({ ...page, changes: Array.from({ length: 1001 }, () => page.changes[0] ?? {}) }));
          if (mode === 'foreign-case') {
            const foreign = v7();
            bytes = Buffer.from(
              JSON.stringify({
                ...page,
                cursor: `${page.cursor || '1.1'}9`,
                changes: [
                  {
                    table: 'case_materials',
                    key: { case_id: foreign, code: 'diagnosis' },
                    version: 1,
                    deleted: false,
                    row: { case_id: foreign, code: 'diagnosis', label: '诊断书', required: 1, received: 1, note: '', row_version: 1 },
                  },
                ],
              }),
            );
          }
        }
        if (path === '/v1/enrol' && mode === 'bad-centre-key' && real.status === 200) {
          const r = JSON.parse(bytes.toString()) as { centre: { keyId: string } };
          r.centre.keyId = r.centre.keyId.replace(/^./, (c) => (c === '0' ? '1' : '0'));
          bytes = Buffer.from(JSON.stringify(r));
        }
        res.writeHead(real.status, {
          'content-type': real.headers.get('content-type') ?? 'application/json',
          ...(nonce ? { 'x-oip-next-nonce': nonce } : {}),
        });
        res.end(bytes);
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  for (const c of cores) await c.cleanup();
  await new Promise<void>((r) => proxy.close(() => r()));
  await centre.close();
  await pg.close();
});

// Everything a pull could touch (the pass's own status columns aside: they say what went wrong).
const snapshot = (t: TestCore): string =>
  canonicalSha256([
    ...['workers', 'cases', 'case_materials', 'sync_outbox', 'sync_deferred', 'sync_blobs', 'sync_tombstones'].map((tbl) =>
      t.store.sqlite.prepare(`SELECT * FROM ${tbl} ORDER BY 1`).all(),
    ),
    t.store.sqlite.prepare('SELECT pull_cursor, pulled_at, device_id, centre_public_key FROM sync_state').get(),
  ]);

describe('a corrupt or malicious centre', () => {
  it('pull replies that are not JSON, of the wrong shape, too large, or for a case not held: refused, nothing changed', async () => {
    // A holds a case at the centre; B, of the same office, is about to pull it.
    const A = makeTestCore();
    cores.push(A);
    const adminA = await setupAdmin(A);
    const s = await staff(A, adminA);
    await A.call('cases.register', beijingRider(), s.clerk);
    const codeA = (await makeEnrolCode(centre.db, centre.clock, { office: '西宁市社保经办' })).code;
    await A.call('sync.enrol', { url: centre.url, code: codeA, deviceName: 'A' }, adminA);
    expect((await A.call('sync.now', {}, adminA)).ok).toBe(true);

    const B = makeTestCore();
    cores.push(B);
    const adminB = await setupAdmin(B);
    const codeB = (await makeEnrolCode(centre.db, centre.clock, { office: '西宁市社保经办' })).code;
    await B.call('sync.enrol', { url: proxyUrl, code: codeB, deviceName: 'B' }, adminB);
    // B's own baseline goes up in a first pass (only pull replies are tampered with); its pull is refused.
    mode = 'bad-json';
    const first = await B.deps.sync.syncNow();
    expect(first.ok).toBe(false);
    expect(B.store.sqlite.prepare("SELECT count(*) AS n FROM sync_outbox WHERE status = 'pending'").get()).toEqual({ n: 0 });

    const expected: Record<Exclude<Mode, 'pass' | 'bad-centre-key'>, RegExp> = {
      'bad-json': /不是有效的 JSON/,
      'wrong-schema': /格式不符合同步协议/,
      // The device asks for the protocol's largest page, so a longer one breaks the contract itself
      // (a page longer than a smaller request: test/central/input.test.ts).
      'over-large': /格式不符合同步协议/,
      'foreign-case': /本机没有的案件/,
    };
    for (const [m, message] of Object.entries(expected)) {
      mode = m as Mode;
      const before = snapshot(B);
      const r = await B.deps.sync.syncNow();
      expect(r.ok, m).toBe(false);
      expect(r.errors[0], m).toMatch(message);
      expect(snapshot(B), m).toBe(before);
      expect((await B.call('sync.status', {}, adminB)).lastError).toMatch(message);
    }
    // Once the centre behaves, the same pass brings the case.
    mode = 'pass';
    const ok = await B.deps.sync.syncNow();
    expect(ok.errors).toEqual([]);
    expect(B.store.sqlite.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 1 });
  }, 240_000);

  it('an enrolment reply whose centre key is not the one its id names: refused, the device stays unenrolled', async () => {
    const t = makeTestCore();
    cores.push(t);
    const admin = await setupAdmin(t);
    mode = 'bad-centre-key';
    const { code } = await makeEnrolCode(centre.db, centre.clock, { office: '西宁市社保经办' });
    const e = await t.fail('sync.enrol', { url: proxyUrl, code, deviceName: 'C' }, admin);
    expect(e.message).toMatch(/中心公钥与其编号不符/);
    expect((await t.call('sync.status', {}, admin)).configured).toBe(false);
    mode = 'pass';
  }, 120_000);
});
