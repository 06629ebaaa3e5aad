// `sync enrol | now | status` on a real store against a real centre (PGlite): the JSON each
// prints, and a failed pass (centre gone) exiting non-zero with the reason in Chinese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { memoryPGlite, startTestCentre, tempDir, ROOT, type TestCentre } from '../helpers/central';
import { makeEnrolCode } from '../../central/core/enrolment';
import { command as sync } from '../../electron/cli/sync';
import { command as demo } from '../../electron/cli/demo';
import { command as user } from '../../electron/cli/user';
import { sql } from 'kysely';
import { SYSTEM_ACTOR_ID } from '../../shared/sync/protocol';
import type { CliArgs, CliCommand } from '../../electron/cli/command';

let pg: PGlite;
let centre: TestCentre;
const dir = tempDir('oip-sync-cli-');

beforeAll(async () => {
  pg = await memoryPGlite();
  centre = await startTestCentre({ pglite: pg });
}, 120_000);
afterAll(async () => {
  await centre.close().catch(() => undefined);
  await pg.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(cmd: CliCommand, positionals: string[], flags: CliArgs['flags']) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await cmd.run({ positionals, flags: { data: dir, ...flags } }, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return {
    code,
    stdout: out.join('\n'),
    stderr: err.join('\n'),
    json: out.length ? (JSON.parse(out.join('\n')) as Record<string, unknown>) : null,
  };
}

describe('cli sync', () => {
  it('enrols, syncs (JSON summary), reports status; fails with exit 2 when the centre is gone', async () => {
    expect((await run(demo, [], { cases: '3', seed: '7' })).code).toBe(0);
    const before = await run(sync, ['status'], {});
    expect(before.json).toMatchObject({ configured: false });

    const { code } = await makeEnrolCode(centre.db, centre.clock, { office: '西宁市社保经办' });
    const e = await run(sync, ['enrol'], { url: centre.url, code, name: '命令行测试机' });
    expect(e.code).toBe(0);
    expect(e.json).toMatchObject({ officeName: '西宁市社保经办', centreUrl: centre.url });

    const now = await run(sync, ['now'], {});
    expect(now.code, now.stderr).toBe(0);
    expect(now.json).toMatchObject({ ok: true, conflicts: 0, errors: [] });
    expect(Object.keys(now.json!).sort()).toEqual(['conflicts', 'errors', 'ok', 'pulled', 'pushed', 'rejected']);
    expect(now.json!.pushed).toBeGreaterThan(3);

    // The local operator's changes (no account signed in) travel as the device's system actor, and the centre takes them.
    process.env.OIP_TEST_CLI_PASSWORD = 'Cli-pass-2026-x';
    const added = await run(user, ['add'], {
      username: 'cli-made',
      name: '命令行建的账号',
      roles: 'intake_clerk',
      'password-env': 'OIP_TEST_CLI_PASSWORD',
    });
    expect(added.code, added.stderr).toBe(0);
    const again = await run(sync, ['now'], {});
    expect(again.json).toMatchObject({ ok: true, pushed: 1, rejected: 0, conflicts: 0 });
    const atCentre = await sql<{ status: string; user_id: string | null }>`
      SELECT status, user_id FROM mutations WHERE kind = 'users.create' ORDER BY seq DESC LIMIT 1`.execute(centre.db);
    expect(atCentre.rows[0]).toEqual({ status: 'applied', user_id: SYSTEM_ACTOR_ID });
    expect(
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM records WHERE table_name = 'users' AND row ->> 'username' = 'cli-made'`.execute(centre.db)
      ).rows[0]!.n,
    ).toBe(1);
    // Nothing the demo's or the command line's operator made was refused.
    expect(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM mutations WHERE status <> 'applied'`.execute(centre.db)).rows[0]!.n,
    ).toBe(0);

    const st = await run(sync, ['status'], {});
    expect(st.json).toMatchObject({ configured: true, pendingOutbox: 0, lastError: null, deviceTag: e.json!.deviceTag });

    // The npm script itself, as a person runs it.
    const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    const p = spawnSync(tsx, ['electron/cli.ts', 'sync', 'status', '--data', dir], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    expect(p.status, p.stderr).toBe(0);
    expect(JSON.parse(p.stdout)).toMatchObject({ configured: true, deviceTag: e.json!.deviceTag });

    await centre.close();
    const down = await run(sync, ['now'], {});
    expect(down.code).toBe(2);
    expect(down.json).toMatchObject({ ok: false });
    expect(down.stderr).toMatch(/无法连接中心/);

    await expect(run(sync, ['enrol'], { url: centre.url })).rejects.toThrow(/--code/);
  }, 240_000);
});
