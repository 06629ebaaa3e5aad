// Security figures (printed, never asserted): sign-in time for a wrong password against a name
// that does not exist at the production password cost (they should be alike), a backup and a
// verified restore of a store with cases and attachments, and the encryption of attachments.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createCore } from '../electron/core/app-core';
import { restoreBackup } from '../electron/core/backup';
import { systemClock } from '../electron/core/clock';
import { encryptAttachment, decryptAttachment } from '../electron/core/cases/attachment-files';

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(1);
  return `median ${q(0.5)} ms, p95 ${q(0.95)} ms`;
}

export async function benchSecurity(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oip-bench-security-'));
  const core = createCore({ dataDir: dir, host: 'test' });
  try {
    await core.dispatch({ method: 'auth.setup', input: { username: 'admin', displayName: '管理员', password: 'Bench-pass-2026' } });
    const time = async (username: string) => {
      const out: number[] = [];
      for (let i = 0; i < 8; i++) {
        const t0 = performance.now();
        await core.dispatch({ method: 'auth.login', input: { username, password: `Wrong-pass-${i % 3}` } });
        out.push(performance.now() - t0);
      }
      return out;
    };
    await time('nobody'); // the dummy hash is made on first use
    core.store.sqlite.prepare('UPDATE users SET failed_attempts = 0, locked_until = NULL').run();
    console.log(`sign-in, wrong password (production scrypt cost): ${stats(await time('admin'))}`);
    console.log(`sign-in, name without an account:                 ${stats(await time('nobody'))}`);

    const key = randomBytes(32);
    const scan = randomBytes(5 * 1024 * 1024);
    let t0 = performance.now();
    const sealed = encryptAttachment(key, 'attachments/ab/x.bin', scan);
    const enc = performance.now() - t0;
    t0 = performance.now();
    decryptAttachment(key, 'attachments/ab/x.bin', sealed);
    console.log(`attachment 5 MB: encrypt ${enc.toFixed(1)} ms, decrypt ${(performance.now() - t0).toFixed(1)} ms`);
  } finally {
    await core.close();
  }
  // Backup and restore of a store with 40 demo cases and 20 scans of 1 MB.
  const { fillDemo } = await import('../electron/core/demo/demo-data');
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'oip-bench-backup-'));
  const c2 = createCore({ dataDir: src, host: 'test' });
  try {
    const demo = await fillDemo(c2, { cases: 40, seed: 1 });
    const clerk = demo.accounts.find((a) => a.username === 'demo-clerk')!;
    const login = await c2.dispatch({ method: 'auth.login', input: { username: clerk.username, password: clerk.password } });
    const token = (login as { result: { sessionToken: string } }).result.sessionToken;
    const caseId = (c2.store.sqlite.prepare('SELECT id FROM cases LIMIT 1').get() as { id: string }).id;
    for (let i = 0; i < 20; i++) {
      const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(1024 * 1024)]);
      await c2.dispatch({
        method: 'cases.attach',
        input: { caseId, materialCode: null, filename: `扫描${i}.pdf`, dataBase64: bytes.toString('base64') },
        sessionToken: token,
      });
    }
    const admin = demo.accounts.find((a) => a.username === 'admin')!;
    const al = await c2.dispatch({ method: 'auth.login', input: { username: 'admin', password: admin.password } });
    const adminToken = (al as { result: { sessionToken: string } }).result.sessionToken;
    let t0 = performance.now();
    const r = await c2.dispatch({ method: 'backup.create', input: {}, sessionToken: adminToken });
    if (!r.ok) throw new Error(r.error.message);
    const made = r.result as { file: string; size: number };
    console.log(
      `backup (40 cases, 20 × 1 MB scans): ${(performance.now() - t0).toFixed(0)} ms, ${(made.size / 1024 / 1024).toFixed(1)} MB`,
    );
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'oip-bench-restore-'));
    const keyFile = fs.readFileSync(path.join(src, 'keys', 'store.key'));
    fs.mkdirSync(path.join(target, 'keys'), { mode: 0o700 });
    fs.writeFileSync(path.join(target, 'keys', 'store.key'), keyFile, { mode: 0o600 });
    t0 = performance.now();
    await restoreBackup(target, made.file, { clock: systemClock });
    console.log(`restore with full verification: ${(performance.now() - t0).toFixed(0)} ms`);
    fs.rmSync(target, { recursive: true, force: true });
  } finally {
    await c2.close();
    fs.rmSync(src, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
