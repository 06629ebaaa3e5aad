// `publish`, `reference` and `password-verifier` as an administrator uses them, against a running
// PGlite centre (through its administrator socket, the admin endpoint): a valid item is signed and
// stored with its revision, a malformed one is refused in Chinese and stores nothing, and a
// password comes out as a verifier only. Then the same core over a real PostgreSQL.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centreCli, ROOT, spawnCentre, tempDir, type CentreProcess } from '../helpers/central';
import { createDatabase, startPostgres, type TestPostgres } from '../helpers/postgres';
import { openDatabase } from '../../central/db/database';
import { publishReference, referenceFeed } from '../../central/core/reference';
import { passwordVerifier } from '../../central/core/accounts';
import { ManualClock } from '../../electron/core/clock';

describe('publishing reference data from the command line', () => {
  const dir = tempDir('oip-central-ref-');
  let node: CentreProcess;
  beforeAll(async () => {
    node = await spawnCentre(['--data', dir, '--port', '0']);
  }, 180_000);
  afterAll(async () => {
    await node?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publish signs and stores; a bad file is refused; reference lists the latest revisions', async () => {
    const pack = JSON.parse(fs.readFileSync(path.join(ROOT, 'resources/rules/qinghai-2026.json'), 'utf8')) as Record<string, unknown>;
    pack.version = '2026.9.0';
    const file = path.join(dir, 'pack.json');
    fs.writeFileSync(file, JSON.stringify(pack));
    const ok = await centreCli(['publish', '--kind', 'rule_pack', '--file', file, '--data', dir]);
    expect(ok.code).toBe(0);
    expect(ok.json).toMatchObject({ kind: 'rule_pack', itemId: 'qinghai-2026', version: '2026.9.0', revision: 1 });

    delete pack.deadlines;
    fs.writeFileSync(file, JSON.stringify(pack));
    const bad = await centreCli(['publish', '--kind', 'rule_pack', '--file', file, '--data', dir]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/规则包格式不正确/);
    const noOffice = await centreCli(['publish', '--kind', 'accounts', '--file', file, '--data', dir]);
    expect(noOffice.code).not.toBe(0);

    const list = await centreCli(['reference', '--data', dir]);
    expect(list.code).toBe(0);
    expect((list.json as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ kind: 'rule_pack', itemId: 'qinghai-2026', version: '2026.9.0', revision: 1 }),
    ]);
  });

  it('password-verifier prints a scrypt verifier, never the password', () => {
    const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['central/main.ts', 'password-verifier'], {
      cwd: ROOT,
      input: 'Clerk-pass-2026\n',
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    const v = JSON.parse(r.stdout) as { hash: string; salt: string };
    expect(v.hash).toMatch(/^scrypt\$32768\$8\$1\$[0-9a-f]{64}$/);
    expect(v.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(r.stdout).not.toContain('Clerk-pass-2026');
  });
});

describe('reference data on PostgreSQL', () => {
  let cluster: TestPostgres;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 180_000);
  afterAll(() => {
    cluster?.stop();
  });

  it('publishes with revisions, serves the feed by office, and records accounts', async () => {
    const database = await openDatabase({ url: await createDatabase(cluster, 'reference_check') });
    try {
      const { db } = database;
      const clock = new ManualClock(new Date('2026-11-24T02:00:00Z'));
      const pack = JSON.parse(fs.readFileSync(path.join(ROOT, 'resources/rules/qinghai-2026.json'), 'utf8')) as Record<string, unknown>;
      const first = await publishReference(db, clock, { kind: 'rule_pack', body: pack });
      const second = await publishReference(db, clock, { kind: 'rule_pack', body: { ...pack, version: '2026.9.0' } });
      expect([first.revision, second.revision]).toEqual([1, 2]);
      const users = [
        {
          id: '0193a5b0-0000-7000-8000-00000000c1e1',
          username: 'zhangsan',
          displayName: '张三',
          roles: ['intake_clerk'],
          active: true,
          verifier: await passwordVerifier('Clerk-pass-2026', 10),
        },
      ];
      const acc = await publishReference(db, clock, { kind: 'accounts', office: '海北州社保经办', body: { version: '1', users } });
      await publishReference(db, clock, { kind: 'accounts', office: '海北州社保经办', body: { version: '2', users: [] } });
      const office = await db.selectFrom('offices').select('id').where('name', '=', '海北州社保经办').executeTakeFirstOrThrow();
      const rec = await db.selectFrom('central_accounts').selectAll().executeTakeFirstOrThrow();
      expect(rec).toMatchObject({ username: 'zhangsan', roles: ['intake_clerk'], active: false, revision: 2 });

      const device = { id: '', tag: '', officeId: office.id, officeName: '', publicKey: '', keyId: '', lastSeq: 0 };
      const feed = await referenceFeed(db, device, 0, 3);
      expect(feed.items.map((e) => [e.item.kind, e.item.version])).toEqual([
        ['rule_pack', '2026.2.0'],
        ['rule_pack', '2026.9.0'],
        ['accounts', '1'],
      ]);
      expect(feed.more).toBe(true);
      expect(feed.items[2]!.seq).toBe(acc.seq);
      const other = await referenceFeed(db, { ...device, officeId: '0193a5b0-0000-7000-8000-000000000000' }, 0, 10);
      expect(other.items.map((e) => e.item.kind)).toEqual(['rule_pack', 'rule_pack']);
    } finally {
      await database.close();
    }
  });
});
