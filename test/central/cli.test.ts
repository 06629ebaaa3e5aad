// The centre's command line as an administrator uses it: `enrol-code`, `stats`, `revoke` and
// `assign-case` print one JSON object; over PostgreSQL they open the database themselves, over a
// running PGlite centre they go through its administrator socket (PGlite is one process's), and
// over a stopped one they open its folder. A device enrols with a printed code.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentreClient } from '../../electron/core/sync/centre-client';
import { deviceKey } from '../../electron/core/crypto/device-key';
import { createDatabase, startPostgres, type TestPostgres } from '../helpers/postgres';
import { centreCli, spawnCentre, tempDir, type CentreProcess } from '../helpers/central';

const enrolInput = (code: string) => ({ code, deviceName: '一号机', appVersion: '0.1.0', schemaVersion: 304 });

describe('CLI over PostgreSQL', () => {
  let cluster: TestPostgres;
  let url = '';
  let node: CentreProcess;
  beforeAll(async () => {
    cluster = await startPostgres();
    url = await createDatabase(cluster, 'cli_check');
    node = await spawnCentre(['--port', '0'], { OIP_CENTRAL_DATABASE_URL: url });
  }, 180_000);
  afterAll(async () => {
    await node?.stop();
    cluster?.stop();
  });

  it('enrol-code, stats, revoke and assign-case print JSON; a printed code enrols a device', async () => {
    expect(node.output()).toContain('enrol-code');
    const made = await centreCli(['enrol-code', '--database', url, '--office', '海北州社保经办']);
    expect(made.code).toBe(0);
    expect(made.stdout.trim().split('\n')).toHaveLength(1);
    expect(made.json).toMatchObject({
      code: expect.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/),
      expiresAt: expect.stringMatching(/\+08:00$/),
      office: '海北州社保经办',
    });
    const client = new CentreClient({ baseUrl: node.url, key: deviceKey(tempDir('oip-device-')) });
    const reply = await client.enrol(enrolInput((made.json as { code: string }).code));
    expect(reply.office.name).toBe('海北州社保经办');

    const stats = await centreCli(['stats'], { OIP_CENTRAL_DATABASE_URL: url });
    expect(stats.json).toMatchObject({ devices: 1, mutations: 0, cases: 0, offices: 1 });

    const revoked = await centreCli(['revoke', '--device', reply.deviceTag, '--database', url]);
    expect(revoked.code).toBe(0);
    expect(revoked.json).toMatchObject({ deviceId: reply.deviceId, tag: reply.deviceTag });
    await expect(client.status()).rejects.toMatchObject({ code: 'DEVICE_REVOKED' });
    expect((await centreCli(['stats', '--database', url])).json).toMatchObject({ devices: 0, devicesRevoked: 1 });

    const assigned = await centreCli([
      'assign-case',
      '--case',
      '0190abcd-0000-7000-8000-000000000001',
      '--office',
      '省鉴定委员会',
      '--database',
      url,
    ]);
    expect(assigned.json).toEqual({ caseId: '0190abcd-0000-7000-8000-000000000001', office: '省鉴定委员会', added: true });
  }, 300_000);

  it('usage errors are Chinese, on stderr, with a non-zero exit', async () => {
    const r = await centreCli(['revoke', '--database', url]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('缺少 --device');
    const unknown = await centreCli(['revoke', '--device', 'ZZZZ', '--database', url]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('没有设备 ZZZZ');
    const hours = await centreCli(['enrol-code', '--hours', '0', '--database', url]);
    expect(hours.stderr).toContain('--hours');
  }, 300_000);
});

describe('CLI over PGlite in a folder', () => {
  it('talks to the running centre through its socket, and opens the folder itself once it is stopped', async () => {
    const dir = tempDir('oip-centre-data-');
    const node = await spawnCentre(['--data', dir, '--port', '0']);
    try {
      expect(fs.existsSync(path.join(dir, 'admin.sock'))).toBe(true);
      const made = await centreCli(['enrol-code', '--data', dir]);
      expect(made.code).toBe(0);
      expect(made.json).toMatchObject({ office: '本中心' });
      const client = new CentreClient({ baseUrl: node.url, key: deviceKey(tempDir('oip-device-')) });
      await client.enrol(enrolInput((made.json as { code: string }).code));
      expect((await centreCli(['stats', '--data', dir])).json).toMatchObject({ devices: 1 });
    } finally {
      await node.stop();
    }
    expect(fs.existsSync(path.join(dir, 'admin.sock'))).toBe(false);
    const offline = await centreCli(['stats', '--data', dir]);
    expect(offline.code).toBe(0);
    expect(offline.json).toMatchObject({ devices: 1, offices: 1 });
    fs.rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});
