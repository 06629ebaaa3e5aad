// The demo generator goes through the real services: every stage appears, every change is
// audited, the ID numbers are valid, and a second run with --if-empty adds nothing.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { makeTestCore, tempDir, type TestCore } from '../helpers/core';
import { fillDemo } from '../../electron/core/demo/demo-data';
import { runCli } from '../../electron/cli';
import { checkIdNumber } from '../../shared/identity/id-number';

let t: TestCore | null = null;
afterEach(async () => {
  await t?.cleanup();
  t = null;
});

describe('demo data', () => {
  it('fills cases at every intake stage through the core, audited, with valid synthetic IDs', async () => {
    const core = (t = makeTestCore());
    const r = await fillDemo(core, { cases: 20, seed: 7 });
    expect(r.cases).toBe(20);
    const statuses = (core.store.sqlite.prepare('SELECT DISTINCT status FROM cases ORDER BY status').all() as { status: string }[]).map(
      (x) => x.status,
    );
    expect(statuses).toEqual(
      [
        'accepted',
        'awaiting_appraisal',
        'awaiting_supplement',
        'confirmed',
        'in_treatment',
        'not_confirmed',
        'registered',
        'withdrawn',
      ].filter((s) => s !== 'confirmed' || r.byStage.confirmed! > 0),
    );
    // The appraisal side: confirmed cases pre-checked, with panels, on one planned session.
    const session = core.store.sqlite.prepare('SELECT COUNT(*) n FROM hearing_cases').get() as { n: number };
    expect(session.n).toBe(r.byStage.awaiting_appraisal);
    expect(session.n).toBeGreaterThan(0);
    const unchecked = core.store.sqlite
      .prepare("SELECT COUNT(*) n FROM appraisal_requests WHERE precheck_result IS NOT 'complete'")
      .get() as { n: number };
    expect(unchecked.n).toBe(0);
    for (const w of core.store.sqlite.prepare('SELECT id_number FROM workers').all() as { id_number: string }[]) {
      expect(checkIdNumber(w.id_number, '2026-11-24').ok).toBe(true);
    }
    const audited = core.store.sqlite.prepare("SELECT COUNT(*) n FROM audit_log WHERE method = 'cases.register'").get() as { n: number };
    expect(audited.n).toBe(20);
    const admin = r.accounts.find((a) => a.username === 'admin')!;
    const login = await core.call('auth.login', { username: 'admin', password: admin.password });
    expect(login.ok).toBe(true);
    if (login.ok) expect((await core.call('audit.verify', {}, login.sessionToken)).ok).toBe(true);
  });

  it('shows demo passwords once and only to a terminal, never into output that may be a log', async () => {
    const logged = tempDir();
    const out: string[] = [];
    const err: string[] = [];
    const pipe = { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), terminal: false };
    expect(await runCli(['demo', '--cases', '2', '--data', logged], pipe)).toBe(0);
    const result = JSON.parse(out.at(-1)!) as { accounts: { username: string; password?: string }[] };
    expect(result.accounts.map((a) => a.username)).toContain('admin');
    expect(result.accounts.every((a) => a.password === undefined)).toBe(true);
    expect([...out, ...err].join('\n')).not.toMatch(/Demo-/);
    expect(err.join('\n')).toContain('不显示密码');
    // The operator sets a password at the terminal instead; it is read from the environment, not the command line.
    process.env.OIP_TEST_NEW_PASSWORD = 'Chosen-pass-2026';
    expect(await runCli(['user', 'passwd', '--username', 'admin', '--password-env', 'OIP_TEST_NEW_PASSWORD', '--data', logged], pipe)).toBe(
      0,
    );
    delete process.env.OIP_TEST_NEW_PASSWORD;
    const shown: string[] = [];
    const screen = { stdout: (s: string) => shown.push(s), stderr: (s: string) => shown.push(s), terminal: true };
    const fresh = tempDir();
    expect(await runCli(['demo', '--cases', '2', '--data', fresh], screen)).toBe(0);
    expect(shown.join('\n')).toMatch(/"password": "Demo-/);
    for (const d of [logged, fresh]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('the CLI skips a store that already has cases when asked to', async () => {
    const dir = tempDir();
    const out: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: () => undefined };
    expect(await runCli(['demo', '--cases', '3', '--data', dir], io)).toBe(0);
    expect(await runCli(['demo', '--cases', '3', '--data', dir, '--if-empty'], io)).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ skipped: true });
    expect(await runCli(['demo', '--cases', '0', '--data', dir], io)).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
