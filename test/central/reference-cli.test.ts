// `publish`, `reference` and `password-verifier` as an administrator uses them, against a running
// PGlite centre (through its administrator socket, the admin endpoint): a valid item is signed and
// stored with its revision, a malformed one is refused in Chinese and stores nothing, and a
// password comes out as a verifier only.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centreCli, ROOT, spawnCentre, tempDir, type CentreProcess } from '../helpers/central';

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
