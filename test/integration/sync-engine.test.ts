// The device's sync engine against a real centre (PGlite, in memory): enrolment through the
// `sync.enrol` call (the centre's tag in new numbers from then on), a pass that pushes a day's
// work and pulls it on a second device, a resend after the centre lost mutations (SEQ_GAP), a
// revoked device that keeps and can export its outbox, an unreachable centre (offline, local
// work carries on), and the background schedule with its backoff.
import { beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { beijingRider, staff, withCheckDigit } from '../helpers/intake';
import { useFileCentre, resetCentral, type TestCentre } from '../helpers/central';
import { makeEnrolCode } from '../../central/core/enrolment';
import { revokeDevice } from '../../central/core/admin';
import { SyncService, type Timers } from '../../electron/core/sync/service';
import { deviceKey } from '../../electron/core/crypto/device-key';
import { checkEnvelope } from '../../electron/core/replication/signed-envelope';
import { OUTBOX_EXPORT_FORMAT } from '../../electron/core/handlers/sync';
import { runSyncPass } from '../../electron/core/sync/engine';
import type { FetchLike } from '../../electron/core/sync/centre-client';
import { registered } from '../helpers/desk';

let centre: TestCentre;
const cores: TestCore[] = [];

useFileCentre((c) => (centre = c), cores);
beforeEach(async () => {
  await resetCentral(centre.db);
});

async function device(day = '2026-11-24'): Promise<{ t: TestCore; admin: string }> {
  const t = makeTestCore(new Date(`${day}T02:00:00Z`));
  cores.push(t);
  return { t, admin: await setupAdmin(t) };
}

async function enrol(t: TestCore, admin: string, office = '西宁市社保经办', name = '办公室台式机') {
  const { code } = await makeEnrolCode(centre.db, centre.clock, { office });
  return t.call('sync.enrol', { url: centre.url, code, deviceName: name }, admin);
}

const outbox = (t: TestCore, status = 'pending') =>
  (t.store.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox WHERE status = ?').get(status) as { n: number }).n;

describe('enrolment', () => {
  it('stores the device, its tag and the pinned centre key; new numbers carry the tag; audited; a second enrolment is refused', async () => {
    const { t, admin } = await device();
    const s = await staff(t, admin);
    const before = await t.call('cases.register', beijingRider(), s.clerk);
    const localTag = before.registrationNo.split('-')[1];

    const r = await enrol(t, admin);
    expect(r.officeName).toBe('西宁市社保经办');
    expect(r.deviceTag).toMatch(/^[0-9A-Z]{3,4}$/);
    const st = await t.call('sync.status', {}, admin);
    expect(st).toMatchObject({
      configured: true,
      revoked: false,
      deviceTag: r.deviceTag,
      officeName: '西宁市社保经办',
      centreUrl: centre.url,
    });
    const centreKey = (await sql<{ public_key: string }>`SELECT public_key FROM centre_keys LIMIT 1`.execute(centre.db).catch(() => null))
      ?.rows[0];
    const row = t.store.sqlite.prepare('SELECT * FROM sync_state').get() as Record<string, string>;
    if (centreKey) expect(row.centre_public_key).toBe(centreKey.public_key);
    expect(row.centre_public_key).toBeTruthy();

    const after = await t.call('cases.register', beijingRider({ idNumber: withCheckDigit('63010219900101123') }), s.clerk);
    expect(after.registrationNo.split('-')[1]).toBe(r.deviceTag);
    expect(localTag).not.toBe(r.deviceTag);
    const audit = t.store.sqlite.prepare("SELECT summary FROM audit_log WHERE method = 'sync.enrol'").all() as { summary: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).toContain(r.deviceTag);

    const again = await t.fail('sync.enrol', { url: centre.url, code: 'AAAA-BBBB-CCCC-DDDD', deviceName: 'x' }, admin);
    expect(again.message).toContain('已在中心注册');
  });

  it('refuses a wrong code and a bad address with a Chinese message next to the field, writing nothing', async () => {
    const { t, admin } = await device();
    const { code } = await makeEnrolCode(centre.db, centre.clock, { office: '西宁市社保经办' });
    const wrong = `${code.slice(0, 5)}${code.slice(5, 9) === 'AAAA' ? 'BBBB' : 'AAAA'}${code.slice(9)}`;
    const e1 = await t.fail('sync.enrol', { url: centre.url, code: wrong, deviceName: '台式机' }, admin);
    expect(e1.message).toMatch(/注册码/);
    expect(e1.fields?.[0]?.path).toBe('code');
    const e2 = await t.fail('sync.enrol', { url: 'ftp://example', code, deviceName: '台式机' }, admin);
    expect(e2.fields?.[0]?.path).toBe('url');
    const e3 = await t.fail('sync.enrol', { url: 'http://127.0.0.1:9', code, deviceName: '台式机' }, admin);
    expect(e3.message).toMatch(/无法连接中心/);
    expect((await t.call('sync.status', {}, admin)).configured).toBe(false);
    expect(t.store.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE method = 'sync.enrol'").get()).toEqual({ n: 0 });
    // A clerk may not enrol the device.
    const s = await staff(t, admin);
    expect((await t.fail('sync.enrol', { url: centre.url, code, deviceName: '台式机' }, s.clerk)).code).toBe('FORBIDDEN');
  });
});

describe('a sync pass', () => {
  it('pushes everything, then a second device of the office pulls the case', async () => {
    const { t: A, admin: adminA } = await device();
    const s = await staff(A, adminA);
    const { caseId } = await A.call('cases.register', beijingRider(), s.clerk);
    await enrol(A, adminA);
    const waiting = outbox(A);
    expect(waiting).toBeGreaterThan(0);
    const progress: string[] = [];
    const off = A.events.subscribe('sync.progress', (p) => progress.push(p.phase));
    const sum = await A.call('sync.now', {}, s.clerk);
    off();
    expect(sum).toMatchObject({ ok: true, pushed: waiting, conflicts: 0, rejected: 0, errors: [] });
    expect(outbox(A)).toBe(0);
    expect(progress[0]).toBe('push');
    expect(progress).toContain('pull');
    expect(progress.at(-1)).toBe('done');
    const st = await A.call('sync.status', {}, s.clerk);
    expect(st).toMatchObject({ online: true, pendingOutbox: 0, lastError: null });
    expect(st.lastSyncAt).toBeTruthy();
    const hist = await A.call('sync.history', {}, s.clerk);
    expect(hist[0]).toMatchObject({ outcome: 'ok', trigger: 'manual', pushed: waiting });
    // Nothing to do: a second pass pushes and pulls nothing.
    expect(await A.call('sync.now', {}, s.clerk)).toMatchObject({ ok: true, pushed: 0, pulled: 0 });

    const { t: B, admin: adminB } = await device('2026-11-25');
    await enrol(B, adminB, '西宁市社保经办', '窗口笔记本');
    const sumB = await B.call('sync.now', {}, adminB);
    expect(sumB.ok, sumB.errors.join()).toBe(true);
    expect(sumB.pulled).toBeGreaterThan(0);
    expect(B.store.sqlite.prepare('SELECT * FROM cases WHERE id = ?').get(caseId)).toEqual(
      A.store.sqlite.prepare('SELECT * FROM cases WHERE id = ?').get(caseId),
    );
    // B's own baseline went up; nothing pulled echoed back into its outbox.
    expect(outbox(B)).toBe(0);
    expect(B.store.sqlite.prepare("SELECT count(*) AS n FROM sync_outbox WHERE kind = 'cases.register'").get()).toEqual({ n: 0 });
  });

  it('two devices of one office: the second device’s baseline of the seeded platforms is no conflict', async () => {
    const { t: A, admin: adminA } = await device();
    await enrol(A, adminA);
    expect(await A.call('sync.now', {}, adminA)).toMatchObject({ ok: true, conflicts: 0, rejected: 0 });
    // A then edits a seeded platform: the centre's row is newer than any other device's baseline of it.
    await A.call(
      'platforms.save',
      { code: 'meituan', name: '美团', legalName: '北京三快在线科技有限公司', industry: 'instant_delivery', creditCode: '', active: true },
      adminA,
    );
    expect(await A.call('sync.now', {}, adminA)).toMatchObject({ ok: true, pushed: 1, conflicts: 0 });
    // Another day, another store: the same seeded rows, made at another moment.
    const { t: B, admin: adminB } = await device('2026-11-27');
    await enrol(B, adminB, '西宁市社保经办', '窗口笔记本');
    const baseline = B.store.sqlite.prepare("SELECT count(*) AS n FROM sync_outbox WHERE kind = 'sync.baseline'").get() as { n: number };
    expect(baseline.n).toBeGreaterThan(0);
    const sumB = await B.call('sync.now', {}, adminB);
    expect(sumB).toMatchObject({ ok: true, conflicts: 0, rejected: 0 });
    expect(outbox(B, 'conflict')).toBe(0);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM conflicts`.execute(centre.db)).rows[0]!.n).toBe(0);
    // B holds the centre's (A's) platform row now, and a further pass changes nothing.
    expect(B.store.sqlite.prepare("SELECT legal_name, row_version FROM platforms WHERE code = 'meituan'").get()).toEqual({
      legal_name: '北京三快在线科技有限公司',
      row_version: 2,
    });
    expect(await B.call('sync.now', {}, adminB)).toMatchObject({ ok: true, pushed: 0, conflicts: 0 });
  });

  it('a 疑点 cleared on one device is cleared on a colleague’s; pulled cases get their projections in the pull itself', async () => {
    const { t: A, admin: adminA } = await device();
    const s = await staff(A, adminA);
    // Applied by the worker with no platform report: the platform_silent flag.
    const caseId = await registered(A, s.clerk, { applicantKind: 'worker' });
    const [flag] = (await A.call('flags.ofCase', { caseId }, s.officer)).filter((f) => f.status === 'open');
    expect(flag).toBeTruthy();
    await A.call('flags.clear', { flagId: flag!.id, reason: '电话核实：平台系统故障未能报案' }, s.officer);
    await enrol(A, adminA);
    expect(await A.call('sync.now', {}, adminA)).toMatchObject({ ok: true, rejected: 0, conflicts: 0 });

    const { t: B, admin: adminB } = await device('2026-11-25');
    await enrol(B, adminB, '西宁市社保经办', '窗口笔记本');
    // The engine on its own (no RPC call around it): the pull itself must leave the projections current.
    const sum = await runSyncPass({ db: B.store.db, clock: B.clock, key: deviceKey(B.dir) }, 'cli');
    expect(sum.ok, sum.errors.join()).toBe(true);
    expect(B.store.sqlite.prepare('SELECT count(*) AS n FROM case_dirty').get()).toEqual({ n: 0 });
    expect(B.store.sqlite.prepare('SELECT count(*) AS n FROM case_facts WHERE case_id = ?').get(caseId)).toEqual({ n: 1 });
    expect(B.store.sqlite.prepare('SELECT code, status, cleared_by, clear_reason FROM case_flags WHERE case_id = ?').all(caseId)).toEqual([
      { code: flag!.code, status: 'cleared', cleared_by: expect.any(String), clear_reason: '电话核实：平台系统故障未能报案' },
    ]);
    // Pulled rows are never sent back.
    expect(outbox(B, 'pending')).toBe(0);
  });

  it('pushes in batches and resends from the seq the centre expects after it lost mutations (SEQ_GAP)', async () => {
    const { t, admin } = await device();
    const s = await staff(t, admin);
    await enrol(t, admin);
    expect((await t.call('sync.now', {}, admin)).ok).toBe(true);
    const top = (t.store.sqlite.prepare('SELECT max(seq) AS n FROM sync_outbox').get() as { n: number }).n;
    expect(top).toBeGreaterThan(3);
    // The centre restored from a backup taken after seq 2: it forgets the rest.
    const dev = (t.store.sqlite.prepare('SELECT device_id FROM sync_state').get() as { device_id: string }).device_id;
    await sql`DELETE FROM mutations WHERE device_id = ${dev}::uuid AND seq > 2`.execute(centre.db);
    await sql`UPDATE devices SET last_seq = 2 WHERE id = ${dev}::uuid`.execute(centre.db);
    await t.call('cases.register', beijingRider(), s.clerk);
    const sum = await t.deps.sync.syncNow('manual');
    expect(sum.ok, sum.errors.join()).toBe(true);
    expect(sum.pushed).toBe(1);
    const last = await sql<{ last_seq: number }>`SELECT last_seq FROM devices WHERE id = ${dev}::uuid`.execute(centre.db);
    expect(last.rows[0]!.last_seq).toBe(top + 1);
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM mutations WHERE device_id = ${dev}::uuid`.execute(centre.db);
    expect(n.rows[0]!.n).toBe(top + 1);
    expect(outbox(t)).toBe(0);
  });

  it('small batches: every mutation goes, in order, each result recorded', async () => {
    const { t, admin } = await device();
    const s = await staff(t, admin);
    for (let i = 0; i < 4; i++)
      await t.call('cases.register', beijingRider({ idNumber: withCheckDigit(`6301021990010${1000 + i}`) }), s.clerk);
    await enrol(t, admin);
    const waiting = outbox(t);
    const sum = await (
      await import('../../electron/core/sync/engine')
    ).runSyncPass({ db: t.store.db, clock: t.clock, key: deviceKey(t.dir), pushBatch: 3, pullLimit: 2 }, 'cli');
    expect(sum).toMatchObject({ ok: true, pushed: waiting });
    expect(outbox(t, 'acked')).toBe(waiting);
  });

  it('keeps each push body under the byte bound: fewer mutations to a request, at least one', async () => {
    const { t, admin } = await device();
    const s = await staff(t, admin);
    for (let i = 0; i < 4; i++)
      await t.call('cases.register', beijingRider({ idNumber: withCheckDigit(`6301021990010${2000 + i}`) }), s.clerk);
    await enrol(t, admin);
    const waiting = outbox(t);
    const sizes: number[] = [];
    const fetch: FetchLike = async (url, init) => {
      if (url.endsWith('/v1/push'))
        sizes.push((JSON.parse(Buffer.from(init.body!).toString('utf8')) as { mutations: unknown[] }).mutations.length);
      return (globalThis.fetch as unknown as FetchLike)(url, init);
    };
    const sum = await runSyncPass({ db: t.store.db, clock: t.clock, key: deviceKey(t.dir), fetch, pushBytes: 1 }, 'cli');
    expect(sum).toMatchObject({ ok: true, pushed: waiting });
    expect(sizes).toEqual(Array.from({ length: waiting }, () => 1));
    expect(outbox(t, 'acked')).toBe(waiting);
  });

  it('a revoked device stops cleanly, keeps its outbox and can export it; working on is never blocked', async () => {
    const { t, admin } = await device();
    const s = await staff(t, admin);
    const r = await enrol(t, admin);
    expect((await t.call('sync.now', {}, admin)).ok).toBe(true);
    await revokeDevice(centre.db, centre.clock, r.deviceTag);
    await t.call('cases.register', beijingRider(), s.clerk);
    const waiting = outbox(t);
    expect(waiting).toBeGreaterThan(0);
    const sum = await t.call('sync.now', {}, admin);
    expect(sum.ok).toBe(false);
    expect(sum.errors[0]).toMatch(/停用/);
    expect(outbox(t)).toBe(waiting);
    const st = await t.call('sync.status', {}, admin);
    expect(st).toMatchObject({ revoked: true, online: false, pendingOutbox: waiting });
    expect(st.lastError).toMatch(/停用/);
    // Later passes do not even try.
    expect((await t.call('sync.now', {}, admin)).errors[0]).toMatch(/停用/);
    await t.call('cases.register', beijingRider({ idNumber: withCheckDigit('63010219900101777') }), s.clerk);

    const exp = await t.call('sync.exportOutbox', {}, admin);
    expect(exp.count).toBe(waiting + 1);
    const file = JSON.parse(exp.content) as {
      format: string;
      device: { publicKey: string; keyId: string };
      mutations: { seq: number }[];
      sha256: string;
      signature: string;
    };
    expect(file.format).toBe(OUTBOX_EXPORT_FORMAT);
    const { sha256, signature, ...body } = file;
    expect(checkEnvelope(OUTBOX_EXPORT_FORMAT, body, { sha256, signature }, file.device)).toMatchObject({ ok: true });
    expect((await t.fail('sync.exportOutbox', {}, s.clerk)).code).toBe('FORBIDDEN');
    expect((await t.call('sync.outbox', { filter: 'waiting' }, s.clerk)).total).toBe(waiting + 1);
    const { code } = await makeEnrolCode(centre.db, centre.clock, { office: '西宁市社保经办' });
    expect((await t.fail('sync.enrol', { url: centre.url, code, deviceName: '台式机' }, admin)).message).toMatch(/停用，不能重新注册/);
  });

  it('an unreachable centre: offline, a plain Chinese error, outbox kept, attempts counted', async () => {
    const { t, admin } = await device();
    const s = await staff(t, admin);
    await enrol(t, admin);
    t.store.sqlite.prepare("UPDATE sync_state SET centre_url = 'http://127.0.0.1:9'").run();
    await t.call('cases.register', beijingRider(), s.clerk);
    const sum = await t.call('sync.now', {}, s.clerk);
    expect(sum.ok).toBe(false);
    expect(sum.errors[0]).toMatch(/无法连接中心/);
    const st = await t.call('sync.status', {}, s.clerk);
    expect(st).toMatchObject({ online: false, configured: true });
    expect(st.lastError).toMatch(/无法连接中心/);
    expect((await t.call('sync.history', {}, s.clerk))[0]).toMatchObject({ outcome: 'offline' });
    const items = await t.call('sync.outbox', { filter: 'waiting' }, s.clerk);
    expect(items.items[0]!.attempts).toBe(1);
    expect(items.items[0]!.message).toMatch(/无法连接中心/);
    expect(items.items.map((i) => i.label)).toContain('登记申请');
  });
});

describe('the background schedule', () => {
  class StepTimers implements Timers {
    pending: { fn: () => void; ms: number; id: number }[] = [];
    private next = 0;
    setTimeout(fn: () => void, ms: number) {
      const id = ++this.next;
      this.pending.push({ fn, ms, id });
      return id;
    }
    clearTimeout(h: unknown) {
      this.pending = this.pending.filter((p) => p.id !== h);
    }
    /** Runs the one due timer; returns its delay. */
    fire(): number {
      const p = this.pending.shift();
      if (!p) throw new Error('no timer');
      p.fn();
      return p.ms;
    }
  }

  it('syncs when the centre answers, backs off (doubling) when it does not, and nudges after local work', async () => {
    const { t, admin } = await device();
    const s = await staff(t, admin);
    await enrol(t, admin);
    const timers = new StepTimers();
    const svc = new SyncService({
      db: t.store.db,
      clock: t.clock,
      events: t.events,
      key: () => deviceKey(t.dir),
      appVersion: '0.1.0',
      timers,
      intervalMs: 60_000,
      backoffMs: 1_000,
      maxBackoffMs: 4_000,
      nudgeMs: 500,
    });
    const passes: boolean[] = [];
    const waitPass = () =>
      new Promise<void>((resolve) => {
        const off = t.events.subscribe('sync.progress', (p) => {
          if (p.phase === 'done' || p.phase === 'failed') {
            passes.push(p.phase === 'done');
            off();
            setTimeout(resolve, 0);
          }
        });
      });
    svc.start(10);
    expect(timers.pending.map((p) => p.ms)).toEqual([10]);
    let done = waitPass();
    timers.fire();
    await done;
    await svc.syncNow(); // joins or follows; the queue is empty
    expect(outbox(t)).toBe(0);
    expect(timers.pending.at(-1)!.ms).toBe(60_000);

    // The centre goes away: 1 s, 2 s, 4 s, 4 s.
    const good = t.store.sqlite.prepare('SELECT centre_url FROM sync_state').get() as { centre_url: string };
    t.store.sqlite.prepare("UPDATE sync_state SET centre_url = 'http://127.0.0.1:9'").run();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      done = waitPass();
      timers.fire();
      await done;
      delays.push(timers.pending.at(-1)!.ms);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 4_000]);
    expect((await svc.status()).online).toBe(false);

    // Local work while offline is not held up, and is not nudged (the centre does not answer).
    await t.call('cases.register', beijingRider(), s.clerk);
    expect(timers.pending.map((p) => p.ms)).toEqual([4_000]);
    // Back online: the next pass sends it and the interval resumes; then local work nudges a pass.
    t.store.sqlite.prepare('UPDATE sync_state SET centre_url = ?').run(good.centre_url);
    done = waitPass();
    timers.fire();
    await done;
    expect(outbox(t)).toBe(0);
    expect(timers.pending.at(-1)!.ms).toBe(60_000);
    await t.call('cases.register', beijingRider({ idNumber: withCheckDigit('63010219900101555') }), s.clerk);
    expect(timers.pending.map((p) => p.ms)).toEqual([500]);
    done = waitPass();
    timers.fire();
    await done;
    expect(outbox(t)).toBe(0);
    await svc.stop();
    expect(timers.pending).toEqual([]);
    expect(passes.filter((p) => !p)).toHaveLength(4);
  });
});
