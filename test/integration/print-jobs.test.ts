// Print jobs belong to the sign-in session that started them: others cannot see, take or cancel
// them, nor hear their progress; each person holds a few jobs of bounded size; a job is freed
// when taken, when its session ends, or after waiting too long on the core's clock.
import http from 'node:http';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeTestCore, setupAdmin, signIn, takeDownloads, tempDir, type TestCore } from '../helpers/core';
import { startWebHost } from '../../electron/web-host';
import { PrintJobs, DEFAULT_PRINT_LIMITS } from '../../electron/core/notices/print-jobs';
import { EventBus } from '../../electron/core/events';

let t: TestCore;
let admin: string;
let ids: string[];
const example = JSON.parse(fs.readFileSync('docs/examples/notice-appraisal-conclusion.json', 'utf8')) as Record<string, unknown>;

beforeEach(async () => {
  t = makeTestCore();
  admin = await setupAdmin(t);
  await t.call(
    'numbering.addBlock',
    { series: 'appraisal', pattern: '青人社鉴〔{year}〕第{seq:4}号', issuer: '委员会', year: 2026, first: 1, last: 50 },
    admin,
  );
  ids = [];
  for (let i = 0; i < 3; i++) ids.push((await t.call('notices.issue', { caseId: null, data: example }, admin)).id);
});
afterEach(async () => {
  await t.cleanup();
});

function finished(jobId: string): Promise<string> {
  return new Promise((resolve) => {
    const off = t.events.subscribe('print.progress', (p) => {
      if (p.jobId === jobId && p.state !== 'running') {
        off();
        resolve(p.state);
      }
    });
  });
}

async function startAndFinish(token: string): Promise<string> {
  const { jobId } = await t.call('print.start', { ids }, token);
  const state = finished(jobId);
  // The job may already be done by the time we listen: status tells.
  const now = await t.call('print.status', { jobId }, token);
  if (now.state === 'running') await state;
  return jobId;
}

describe('ownership', () => {
  it('only the session that started a job can see, cancel or take it', async () => {
    const sameUserOtherWindow = await signIn(t, 'admin', ADMIN_PASSWORD);
    await t.call(
      'users.create',
      { username: 'officer', displayName: '待遇', password: 'Staff-pass-2026', roles: ['benefit_officer'] },
      admin,
    );
    const someoneElse = await signIn(t, 'officer', 'Staff-pass-2026');
    const jobId = await startAndFinish(admin);
    for (const token of [sameUserOtherWindow, someoneElse]) {
      for (const m of ['print.status', 'print.cancel'] as const) {
        const err = await t.fail(m, { jobId }, token);
        expect(err).toEqual({ code: 'NOT_FOUND', message: '打印任务不存在或已结束' });
      }
      expect(await t.fail('documents.print', { printJobId: jobId }, token)).toEqual({
        code: 'NOT_FOUND',
        message: '打印任务不存在或已结束',
      });
    }
    expect((await t.fail('print.status', { jobId }, null)).code).toBe('UNAUTHENTICATED');
    const [combined] = takeDownloads(t, await t.call('documents.print', { printJobId: jobId }, admin), admin);
    expect(combined!.bytes.length).toBeGreaterThan(1000);
    // Taken: freed.
    expect((await t.fail('print.status', { jobId }, admin)).code).toBe('NOT_FOUND');
    expect(t.deps.printJobs.size).toBe(0);
  });
});

describe('limits', () => {
  it('holds at most two jobs per person, across their windows', async () => {
    const other = await signIn(t, 'admin', ADMIN_PASSWORD);
    const first = await startAndFinish(admin);
    await startAndFinish(other);
    const err = await t.fail('print.start', { ids }, admin);
    expect(err.code).toBe('RULE_REFUSED');
    expect(err.message).toContain('每人最多 2 个');
    takeDownloads(t, await t.call('documents.print', { printJobId: first }, admin), admin);
    await startAndFinish(admin);
  });

  it('refuses a job whose documents exceed the size limit before combining anything', async () => {
    const total = (t.store.sqlite.prepare('SELECT SUM(length(pdf)) n FROM issued_documents').get() as { n: number }).n;
    const owner = { userId: 'u', sessionTokenHash: 'h' };
    const tight = new PrintJobs(new EventBus(), t.clock, { ...DEFAULT_PRINT_LIMITS, bytesPerJob: total - 1 });
    const enough = new PrintJobs(new EventBus(), t.clock, { ...DEFAULT_PRINT_LIMITS, bytesPerJob: total });
    try {
      await expect(tight.start(t.store.db, ids, owner)).rejects.toMatchObject({
        code: 'RULE_REFUSED',
        message: expect.stringContaining('请分批打印'),
      });
      expect(tight.size).toBe(0);
      await expect(enough.start(t.store.db, ids, owner)).resolves.toBeTruthy();
    } finally {
      tight.close();
      enough.close();
    }
  });

  it('refuses a job naming documents that do not exist', async () => {
    const err = await t.fail('print.start', { ids: [...ids, '0190a4c0-0000-7000-8000-000000000000'] }, admin);
    expect(err.code).toBe('NOT_FOUND');
    expect(t.deps.printJobs.size).toBe(0);
  });
});

describe('freeing', () => {
  it('frees a finished job nobody took after 30 minutes on the core clock', async () => {
    await t.call('settings.update', { idleLockMinutes: 240 }, admin);
    const jobId = await startAndFinish(admin);
    t.clock.advanceMinutes(29);
    expect((await t.call('print.status', { jobId }, admin)).ready).toBe(true);
    t.clock.advanceMinutes(2);
    expect((await t.fail('print.status', { jobId }, admin)).code).toBe('NOT_FOUND');
    expect(t.deps.printJobs.size).toBe(0);
  });

  it('stops and frees a job still running after an hour', async () => {
    const jobs = new PrintJobs(new EventBus(), t.clock);
    try {
      const owner = { userId: 'u', sessionTokenHash: 'h' };
      const jobId = await jobs.start(t.store.db, [...ids, ...ids, ...ids], owner);
      expect(jobs.status(jobId, owner).state).toBe('running');
      t.clock.advanceMinutes(61);
      jobs.sweep();
      expect(jobs.size).toBe(0);
    } finally {
      jobs.close();
    }
  });

  it('frees the jobs of a session that signs out', async () => {
    await startAndFinish(admin);
    expect(t.deps.printJobs.size).toBe(1);
    await t.call('auth.logout', {}, admin);
    expect(t.deps.printJobs.size).toBe(0);
  });
});

describe('progress events over the web host', () => {
  it('go to the owning session only, never to a stream that is not signed in or belongs to another session', async () => {
    const dir = tempDir('oip-renderer-');
    const host = await startWebHost({ core: t, rendererDir: dir });
    const other = await signIn(t, 'admin', ADMIN_PASSWORD);
    const open = (token: string | null) => {
      let buf = '';
      const waiters: { text: string; resolve: () => void }[] = [];
      const req = http.get({
        host: '127.0.0.1',
        port: host.port,
        path: '/events?topics=print.progress,data.changed',
        headers: { host: `127.0.0.1:${host.port}`, 'x-oip-key': host.secret, ...(token ? { 'x-oip-session': token } : {}) },
      });
      const connected = new Promise<void>((resolve) => waiters.push({ text: ': connected', resolve }));
      req.on('response', (res) =>
        res.on('data', (c: Buffer) => {
          buf += c.toString('utf8');
          for (const w of waiters.splice(0)) (buf.includes(w.text) ? w.resolve : () => waiters.push(w))();
        }),
      );
      req.on('error', () => undefined);
      const seen = (text: string) =>
        buf.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ text, resolve }));
      return { connected, seen, text: () => buf, close: () => req.destroy() };
    };
    const stranger = open(null);
    const otherWindow = open(other);
    const owner = open(admin);
    try {
      await Promise.all([stranger.connected, otherWindow.connected, owner.connected]);
      const { jobId } = await t.call('print.start', { ids }, admin);
      await owner.seen('"state":"done"');
      expect(owner.text()).toContain(jobId);
      // A change every stream hears, published after the job's events: once it arrived, any
      // print event for them would have arrived before it.
      await t.call('settings.update', { agencyName: '西宁市社会保险服务中心' }, admin);
      await Promise.all([stranger.seen('event: data.changed'), otherWindow.seen('event: data.changed')]);
      expect(stranger.text()).not.toContain('print.progress');
      expect(otherWindow.text()).not.toContain('print.progress');
    } finally {
      for (const s of [stranger, otherWindow, owner]) s.close();
      await host.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
