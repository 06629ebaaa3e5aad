// Enrolment (one-time codes: hashed, single use, expiry, attempts; unique device tags; the centre's
// key) and signed requests (bad signature, replayed nonce, wrong device, revoked device), through
// the device's real protocol client against a real centre on PGlite.
import { createHash, sign } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { CentreClient, CentreError } from '../../electron/core/sync/centre-client';
import { deviceKey } from '../../electron/core/crypto/device-key';
import { HEADER_DEVICE, HEADER_NEXT_NONCE, HEADER_NONCE, HEADER_SIGNATURE, signingString } from '../../shared/sync/protocol';
import { CATALOGUE_VERSION } from '../../shared/sync/tables';
import { makeEnrolCode, MAX_ATTEMPTS, newDeviceTag } from '../../central/core/enrolment';
import { revokeDevice } from '../../central/core/admin';
import { count, enrolTestDevice, tempDir, type TestCentre, useSharedCentre } from '../helpers/central';

let centre: TestCentre;
useSharedCentre((c) => (centre = c));
beforeEach(() => {
  centre.clock.set(new Date('2026-11-24T02:00:00Z'));
});

const newClient = (): CentreClient => new CentreClient({ baseUrl: centre.url, key: deviceKey(tempDir('oip-device-')) });
const enrolInput = (code: string) => ({ code, deviceName: '县服务大厅 1 号机', appVersion: '0.1.0', schemaVersion: 304 });

async function refusal(p: Promise<unknown>): Promise<CentreError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CentreError);
  return e as CentreError;
}

describe('enrolment', () => {
  it('registers the device under the code office, returns a unique tag and the centre key, and stores the code only hashed', async () => {
    const { code, expiresAt } = await makeEnrolCode(centre.db, centre.clock, { office: '海东市社保经办' });
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(expiresAt).toBe('2026-11-25T10:00:00.000+08:00');
    const stored = await centre.db.selectFrom('enrol_codes').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(code.slice(5));

    const client = newClient();
    const reply = await client.enrol(enrolInput(code.toLowerCase()));
    expect(reply.office.name).toBe('海东市社保经办');
    expect(reply.deviceTag).toMatch(/^[0-9A-Z]{3,4}$/);
    expect(client.deviceId).toBe(reply.deviceId);
    const key = await centre.db.selectFrom('centre_key').select(['public_key', 'key_id']).executeTakeFirstOrThrow();
    expect(reply.centre).toEqual({ publicKey: key.public_key, keyId: key.key_id });
    // The device can sign straight away with the nonce the enrolment handed back.
    const status = await client.status();
    expect(status).toMatchObject({ deviceId: reply.deviceId, deviceTag: reply.deviceTag, lastSeq: 0, office: reply.office });
  });

  it('a code works once', async () => {
    const { code } = await makeEnrolCode(centre.db, centre.clock, {});
    await newClient().enrol(enrolInput(code));
    const e = await refusal(newClient().enrol(enrolInput(code)));
    expect(e.code).toBe('ENROL_CODE_INVALID');
    expect(e.message).toContain('已使用');
    expect(await count(centre.db, 'devices')).toBe(1);
  });

  it('a code expires (the clock is the centre’s)', async () => {
    const { code } = await makeEnrolCode(centre.db, centre.clock, { hours: 2 });
    centre.clock.advanceMinutes(121);
    const e = await refusal(newClient().enrol(enrolInput(code)));
    expect(e.code).toBe('ENROL_CODE_INVALID');
    expect(e.message).toContain('过期');
    expect(await count(centre.db, 'devices')).toBe(0);
  });

  it(`a code is burnt after ${MAX_ATTEMPTS} wrong secrets, even if the right one comes next`, async () => {
    const { code } = await makeEnrolCode(centre.db, centre.clock, {});
    const wrong = (i: number): string => `${code.slice(0, 4)}-${String(i).padStart(4, '0')}-ZZZZ-ZZZZ`;
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const e = await refusal(newClient().enrol(enrolInput(wrong(i))));
      expect(e.code).toBe('ENROL_CODE_INVALID');
      expect(e.message).toMatch(i < MAX_ATTEMPTS - 1 ? /还可再试 \d 次/ : /已作废/);
    }
    const e = await refusal(newClient().enrol(enrolInput(code)));
    expect(e.code).toBe('ENROL_CODE_INVALID');
    expect(await count(centre.db, 'devices')).toBe(0);
  });

  it('letters people confuse with digits are read as those digits', async () => {
    const { code } = await makeEnrolCode(centre.db, centre.clock, {});
    const typed = code.replace(/0/g, 'O').replace(/1/g, 'I');
    await newClient().enrol(enrolInput(typed));
    expect(await count(centre.db, 'devices')).toBe(1);
  });

  it('device tags are unique across the centre, and a key cannot enrol twice while live', async () => {
    const tags = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const { code } = await makeEnrolCode(centre.db, centre.clock, { office: `机构${i % 3}` });
      tags.add((await newClient().enrol(enrolInput(code))).deviceTag);
    }
    expect(tags.size).toBe(12);
    expect(await count(centre.db, 'offices')).toBe(3);
    const key = deviceKey(tempDir('oip-device-'));
    const first = await makeEnrolCode(centre.db, centre.clock, {});
    await new CentreClient({ baseUrl: centre.url, key }).enrol(enrolInput(first.code));
    const second = await makeEnrolCode(centre.db, centre.clock, {});
    const e = await refusal(new CentreClient({ baseUrl: centre.url, key }).enrol(enrolInput(second.code)));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain('已在中心注册');
  });

  it('the tag space is enforced by the database, not by luck', async () => {
    const { code } = await makeEnrolCode(centre.db, centre.clock, {});
    const reply = await newClient().enrol(enrolInput(code));
    const office = await centre.db.selectFrom('offices').select('id').executeTakeFirstOrThrow();
    const dup = centre.db
      .insertInto('devices')
      .values({
        id: '01900000-0000-7000-8000-000000000001',
        tag: reply.deviceTag,
        office_id: office.id,
        name: 'x',
        public_key: 'x',
        key_id: 'x',
        app_version: 'x',
        schema_version: 1,
        catalogue_version: 1,
        enrolled_at: new Date().toISOString(),
      })
      .execute();
    await expect(dup).rejects.toThrow();
  });

  it('a centre tag can never be read as a store’s old local tag (four hex digits), at either length', async () => {
    const { code } = await makeEnrolCode(centre.db, centre.clock, {});
    const reply = await newClient().enrol(enrolInput(code));
    const tags = [reply.deviceTag, ...Array.from({ length: 3000 }, (_, i) => newDeviceTag(i % 2 === 0 ? 3 : 4))];
    for (const tag of tags) {
      // A non-hex letter first, then Crockford base-32 (no I, L, O, U).
      expect(tag).toMatch(/^[GHJKMNPQRSTVWXYZ][0-9A-HJKMNP-TV-Z]{2,3}$/);
      expect(tag).not.toMatch(/^[0-9A-F]{4}$/);
    }
    // Every allowed first letter and both lengths turn up (the space is not accidentally narrower).
    expect(new Set(tags.map((t) => t[0])).size).toBe(16);
    expect(new Set(tags.map((t) => t.length))).toEqual(new Set([3, 4]));
  });
});

describe('signed requests', () => {
  /** A raw signed GET, to forge what the client never would. */
  async function rawStatus(o: { deviceId: string; nonce: string; signWith: Parameters<typeof sign>[2]; path?: string }): Promise<Response> {
    const path = o.path ?? '/v1/status';
    const digest = createHash('sha256').update('').digest('hex');
    const signature = sign(null, Buffer.from(signingString('GET', path, digest, o.nonce)), o.signWith).toString('base64');
    return fetch(`${centre.url}${path}`, {
      headers: { [HEADER_DEVICE]: o.deviceId, [HEADER_NONCE]: o.nonce, [HEADER_SIGNATURE]: signature },
    });
  }
  async function nonceFor(deviceId: string): Promise<string> {
    const r = await fetch(`${centre.url}/v1/nonce`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId }),
    });
    return ((await r.json()) as { nonce: string }).nonce;
  }

  it('accepts a good signature once; the same nonce again is a refused replay', async () => {
    const dev = await enrolTestDevice(centre);
    const nonce = await nonceFor(dev.deviceId);
    const ok = await rawStatus({ deviceId: dev.deviceId, nonce, signWith: dev.key.privateKey });
    expect(ok.status).toBe(200);
    expect(ok.headers.get(HEADER_NEXT_NONCE)).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    const replay = await rawStatus({ deviceId: dev.deviceId, nonce, signWith: dev.key.privateKey });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ ok: false, error: { code: 'NONCE_INVALID' } });
  });

  it('refuses a bad signature, a signature by another device’s key, and an expired nonce', async () => {
    const dev = await enrolTestDevice(centre);
    const other = await enrolTestDevice(centre);
    const nonce = await nonceFor(dev.deviceId);
    const signedByOther = await rawStatus({ deviceId: dev.deviceId, nonce, signWith: other.key.privateKey });
    expect(signedByOther.status).toBe(401);
    expect(await signedByOther.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    // The forged request did not burn the device's nonce.
    const wrongPath = await rawStatus({ deviceId: dev.deviceId, nonce, signWith: dev.key.privateKey, path: '/v1/status?x=1' });
    expect(wrongPath.status).toBe(200);

    const tampered = await fetch(`${centre.url}/v1/status`, {
      headers: {
        [HEADER_DEVICE]: dev.deviceId,
        [HEADER_NONCE]: await nonceFor(dev.deviceId),
        [HEADER_SIGNATURE]: Buffer.alloc(64).toString('base64'),
      },
    });
    expect(tampered.status).toBe(401);

    const late = await nonceFor(dev.deviceId);
    centre.clock.advanceMinutes(6);
    const expired = await rawStatus({ deviceId: dev.deviceId, nonce: late, signWith: dev.key.privateKey });
    expect(await expired.json()).toMatchObject({ error: { code: 'NONCE_INVALID' } });

    const unsigned = await fetch(`${centre.url}/v1/status`);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('a nonce issued to one device does not serve another', async () => {
    const a = await enrolTestDevice(centre);
    const b = await enrolTestDevice(centre);
    const nonceOfA = await nonceFor(a.deviceId);
    const r = await rawStatus({ deviceId: b.deviceId, nonce: nonceOfA, signWith: b.key.privateKey });
    expect(await r.json()).toMatchObject({ error: { code: 'NONCE_INVALID' } });
  });

  it('the client recovers from a lost nonce by asking for a fresh one', async () => {
    const dev = await enrolTestDevice(centre);
    await sql`DELETE FROM nonces`.execute(centre.db);
    expect((await dev.client.status()).deviceId).toBe(dev.deviceId);
  });

  it('a revoked device gets a clear Chinese refusal on every endpoint, and keeps what the centre holds', async () => {
    const dev = await enrolTestDevice(centre);
    await dev.client.status();
    await revokeDevice(centre.db, centre.clock, dev.tag);
    const e = await refusal(dev.client.status());
    expect(e.code).toBe('DEVICE_REVOKED');
    expect(e.status).toBe(403);
    expect(e.message).toContain('已被中心停用');
    expect((await refusal(dev.client.pull(''))).code).toBe('DEVICE_REVOKED');
    expect(await count(centre.db, 'devices')).toBe(1);
    // Revoking again is harmless; by id works as by tag.
    await revokeDevice(centre.db, centre.clock, dev.deviceId);
  });

  it('an unknown device is told to enrol again', async () => {
    const r = await fetch(`${centre.url}/v1/nonce`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: '01900000-0000-7000-8000-00000000abcd' }),
    });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('重新注册') } });
  });

  it('health answers without a signature', async () => {
    const client = newClient();
    expect(await client.health()).toMatchObject({ ok: true, protocol: 1, catalogueVersion: CATALOGUE_VERSION });
  });
});
