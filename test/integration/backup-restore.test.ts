// Backup and restore, and the recovery key: a backup made while the store is in use restores
// to the same data (here or on a fresh machine with the recovery key), an altered or truncated
// file or a wrong key is refused with nothing replaced, the replaced store is kept beside, and
// a store whose key another machine's OS sealed opens again with the recovery key.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeTestCore, openTestCore, signIn, tempDir, type TestCore } from '../helpers/core';
import { beijingRider, staff, withCheckDigit } from '../helpers/intake';
import { reindexCase, unindexCase } from '../../electron/core/cases/case-search';
import { restoreBackup, BackupError } from '../../electron/core/backup';
import { storeKey, type KeyProtector } from '../../electron/core/store-key';
import { runCli } from '../../electron/cli';
import { deviceKey } from '../../electron/core/crypto/device-key';

let t: TestCore;
let admin: string;
let recoveryKey: string;
let caseId: string;
let attachmentId: string;
const scan = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('SCAN-OF-AN-ID-CARD')]);
const dirs: string[] = [];

beforeEach(async () => {
  t = makeTestCore();
  recoveryKey = (await t.call('auth.setup', { username: 'admin', displayName: '系统管理员', password: ADMIN_PASSWORD })).recoveryKey;
  admin = await signIn(t, 'admin', ADMIN_PASSWORD);
  const s = await staff(t, admin);
  caseId = (await t.call('cases.register', beijingRider(), s.clerk)).caseId;
  attachmentId = (
    await t.call('cases.attach', { caseId, materialCode: null, filename: '身份证.png', dataBase64: scan.toString('base64') }, s.clerk)
  ).attachmentId;
});
afterEach(async () => {
  await t.cleanup();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function fresh(): string {
  const d = tempDir('oip-restore-');
  dirs.push(d);
  return d;
}

/** Every file in a folder with its SHA-256: "nothing replaced" is this staying equal. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    out[path.relative(dir, p)] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  }
  return out;
}

async function backup(): Promise<string> {
  return (await t.call('backup.create', {}, admin)).file;
}

async function opened(dir: string): Promise<TestCore> {
  const core = openTestCore(dir);
  return core;
}

describe('the recovery key', () => {
  it('is shown once at setup, kept only wrapped, and never written in the clear', async () => {
    expect(recoveryKey).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(await t.call('recovery.status', {}, admin)).toMatchObject({ exists: true });
    t.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const everything = Object.keys(snapshot(t.dir)).map((f) => fs.readFileSync(path.join(t.dir, f)));
    for (const form of [recoveryKey, recoveryKey.replace(/-/g, '')])
      expect(everything.some((b) => b.includes(Buffer.from(form)))).toBe(false);
  });

  it('is re-issued by an administrator only, audited, and the old one stops working', async () => {
    const s = await signIn(t, 'clerk', 'Staff-pass-2026');
    expect((await t.fail('recovery.issue', {}, s)).code).toBe('FORBIDDEN');
    const { recoveryKey: next } = await t.call('recovery.issue', {}, admin);
    expect(next).not.toBe(recoveryKey);
    const entry = t.store.sqlite.prepare("SELECT actor_name, summary FROM audit_log WHERE method = 'recovery.issue'").get() as {
      summary: string;
    };
    expect(entry).toMatchObject({ actor_name: '系统管理员', summary: expect.stringContaining('旧的恢复密钥作废') });
    const file = await backup();
    await expect(restoreBackup(fresh(), file, { clock: t.clock, recoveryKey })).rejects.toThrow(/恢复密钥不正确/);
    await expect(restoreBackup(fresh(), file, { clock: t.clock, recoveryKey: next })).resolves.toMatchObject({ cases: 1 });
  });
});

describe('round trip', () => {
  it('keeps the case rowids the search indexes are keyed by, gaps and all (VACUUM INTO keeps rowids)', async () => {
    const s = await signIn(t, 'clerk', 'Staff-pass-2026');
    const rider = beijingRider({ idNumber: withCheckDigit('63010219880712407') });
    const second = (await t.call('cases.register', { ...rider, worker: { ...rider.worker, name: '岳鸣' } }, s)).caseId;
    // A gap below the case, as deletions leave in a year's store: a rowid-renumbering copy would move it.
    await unindexCase(t.store.db, second);
    t.store.sqlite.prepare('UPDATE cases SET rowid = 5000 WHERE id = ?').run(second);
    await reindexCase(t.store.db, second);
    const dir = fresh();
    await restoreBackup(dir, await backup(), { clock: t.clock, recoveryKey });
    const back = await opened(dir);
    try {
      const officer = await signIn(back, 'officer', 'Staff-pass-2026');
      const c = await back.call('cases.get', { caseId: second }, officer);
      for (const q of ['岳鸣', c.worker.idNumber, c.worker.idNumber.slice(-6)])
        expect(
          (await back.call('cases.search', { q, limit: 10 }, officer)).map((x) => x.id),
          q,
        ).toEqual([second]);
    } finally {
      await back.close();
    }
  });

  it('restores a backup on a fresh machine with the recovery key: same cases, same scan, a verified chain', async () => {
    const file = await backup();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // The backup file is encrypted: the scan and the person's name are not in it.
    const bytes = fs.readFileSync(file);
    expect(bytes.includes(Buffer.from('SCAN-OF-AN-ID-CARD'))).toBe(false);
    expect(bytes.includes(Buffer.from('单通'))).toBe(false);
    const dir = fresh();
    const r = await restoreBackup(dir, file, { clock: t.clock, recoveryKey: recoveryKey.toLowerCase().replace(/-/g, ' ') });
    expect(r).toMatchObject({ cases: 1, attachments: 1, previous: null });
    const back = await opened(dir);
    try {
      const officer = await signIn(back, 'officer', 'Staff-pass-2026');
      expect((await back.call('cases.get', { caseId }, officer)).worker.name).toBe('单通');
      const doc = await back.call('cases.attachment', { attachmentId }, officer);
      expect(Buffer.from(doc.dataBase64, 'base64').equals(scan)).toBe(true);
      const a = await signIn(back, 'admin', ADMIN_PASSWORD);
      expect((await back.call('audit.verify', {}, a)).ok).toBe(true);
      const entries = await back.call('audit.list', { limit: 5, offset: 0 }, a);
      expect(entries.entries.map((e) => e.method)).toContain('system.restore');
    } finally {
      await back.close();
    }
  });

  it("carries the device's signing and encryption keys: the restored device is the same device", async () => {
    deviceKey(t.dir);
    const file = await backup();
    const dir = fresh();
    await restoreBackup(dir, file, { clock: t.clock, recoveryKey });
    for (const k of ['device-ed25519.pem', 'device-x25519.pem']) {
      expect(fs.readFileSync(path.join(dir, 'keys', k)).equals(fs.readFileSync(path.join(t.dir, 'keys', k))), k).toBe(true);
      expect(fs.statSync(path.join(dir, 'keys', k)).mode & 0o777, k).toBe(0o600);
    }
  });

  it('completes when an attachment row has no file on this device (a case pulled from elsewhere), and says so', async () => {
    const row = await t.store.db.selectFrom('attachments').select('stored_path').where('id', '=', attachmentId).executeTakeFirstOrThrow();
    fs.rmSync(path.join(t.dir, row.stored_path));
    const made = await t.call('backup.create', {}, admin);
    expect(made).toMatchObject({ attachments: 0, missingAttachments: 1 });
    const entries = await t.call('audit.list', { limit: 1, offset: 0 }, admin);
    expect(entries.entries[0]!.summary).toContain('1 个附件文件不在本机');
    const dir = fresh();
    const r = await restoreBackup(dir, made.file, { clock: t.clock, recoveryKey });
    expect(r).toMatchObject({ cases: 1, attachments: 0 });
    const back = await opened(dir);
    try {
      const officer = await signIn(back, 'officer', 'Staff-pass-2026');
      expect((await back.call('cases.get', { caseId }, officer)).worker.name).toBe('单通');
      expect((await back.fail('cases.attachment', { attachmentId }, officer)).code).toBe('NOT_FOUND');
    } finally {
      await back.close();
    }
  });

  it('restores into the same folder with its own key, keeping the replaced store beside it', async () => {
    const file = await backup();
    const s = await signIn(t, 'clerk', 'Staff-pass-2026');
    const another = beijingRider({ accidentAt: '2026-11-21T13:00' });
    another.accident.orders[0]!.acceptedAt = '2026-11-21T12:50';
    const later = (await t.call('cases.register', another, s)).caseId;
    await t.close();
    const r = await restoreBackup(t.dir, file, { clock: t.clock });
    expect(r.previous).toMatch(/replaced-/);
    expect(fs.existsSync(path.join(r.previous!, 'oip-desk.sqlite'))).toBe(true);
    const back = await opened(t.dir);
    try {
      const clerk = await signIn(back, 'clerk', 'Staff-pass-2026');
      expect((await back.call('cases.get', { caseId }, clerk)).id).toBe(caseId);
      expect((await back.fail('cases.get', { caseId: later }, clerk)).code).toBe('NOT_FOUND');
    } finally {
      await back.close();
    }
  });

  it('goes through the command line too', async () => {
    const out = path.join(fresh(), 'stick', 'office.oipbak');
    await t.close();
    const io = { stdout: () => undefined, stderr: () => undefined };
    expect(await runCli(['backup', '--data', t.dir, '--out', out], io)).toBe(0);
    expect(fs.existsSync(out)).toBe(true);
    const target = fresh();
    process.env.OIP_TEST_RECOVERY = recoveryKey;
    try {
      expect(await runCli(['restore', '--data', target, '--from', out, '--recovery-key-env', 'OIP_TEST_RECOVERY'], io)).toBe(0);
    } finally {
      delete process.env.OIP_TEST_RECOVERY;
    }
    const back = await opened(target);
    try {
      expect((await back.call('system.info', {})).needsSetup).toBe(false);
    } finally {
      await back.close();
    }
    t = openTestCore(t.dir);
  });
});

describe('a store without a recovery key or a signing key yet', () => {
  it('restores in its own folder, and says a fresh machine needs a backup made after a recovery key was issued', async () => {
    const bare = makeTestCore();
    dirs.push(bare.dir);
    await bare.dispatch({
      method: 'users.create',
      input: { username: 'admin', displayName: '管理员', password: ADMIN_PASSWORD, roles: ['admin'] },
      asLocalOperator: '命令行',
    });
    const file = (await bare.dispatch({ method: 'backup.create', input: {}, asLocalOperator: '命令行' })) as {
      ok: true;
      result: { file: string };
    };
    expect(fs.existsSync(path.join(bare.dir, 'keys', 'recovery.json'))).toBe(false);
    await bare.close();
    await expect(restoreBackup(fresh(), file.result.file, { clock: t.clock, recoveryKey })).rejects.toThrow(/不含恢复信息/);
    await expect(restoreBackup(bare.dir, file.result.file, { clock: t.clock })).resolves.toMatchObject({ cases: 0 });
    const back = openTestCore(bare.dir);
    try {
      expect((await back.call('system.info', {})).needsSetup).toBe(false);
    } finally {
      await back.close();
    }
  });
});

describe('refusals', () => {
  it.each([
    ['one byte changed in the middle', (b: Buffer) => ((b[b.length >> 1] = b[b.length >> 1]! ^ 0x40), b), /已被改动或已损坏/],
    ['the authentication tag changed', (b: Buffer) => ((b[b.length - 1] = b[b.length - 1]! ^ 1), b), /已被改动或已损坏/],
    ['cut short', (b: Buffer) => b.subarray(0, b.length - 1000), /已被改动或已损坏|不完整/],
    [
      'the header edited',
      (b: Buffer) => Buffer.from(b.toString('latin1').replace('"createdAt":"2026', '"createdAt":"2025'), 'latin1'),
      /已被改动或已损坏/,
    ],
    ['not a backup at all', () => Buffer.from('%PDF-1.4 hello'), /不是本系统的备份文件/],
  ])('refuses a backup %s, replacing nothing', async (_what, alter, says) => {
    const file = await backup();
    const altered = path.join(fresh(), 'altered.oipbak');
    fs.writeFileSync(altered, alter(Buffer.from(fs.readFileSync(file))));
    await t.close();
    const before = snapshot(t.dir);
    await expect(restoreBackup(t.dir, altered, { clock: t.clock })).rejects.toThrow(says);
    expect(snapshot(t.dir)).toEqual(before);
    const target = fresh();
    await expect(restoreBackup(target, altered, { clock: t.clock, recoveryKey })).rejects.toBeInstanceOf(BackupError);
    expect(fs.readdirSync(target)).toEqual([]);
    t = openTestCore(t.dir);
  });

  it('refuses a wrong recovery key, and a fresh folder without one, replacing nothing', async () => {
    const file = await backup();
    const target = fresh();
    const wrong = recoveryKey.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    await expect(restoreBackup(target, file, { clock: t.clock, recoveryKey: wrong })).rejects.toThrow(/恢复密钥不正确/);
    await expect(restoreBackup(target, file, { clock: t.clock, recoveryKey: 'not-a-key' })).rejects.toThrow(/恢复密钥格式不对/);
    await expect(restoreBackup(target, file, { clock: t.clock })).rejects.toThrow(/请提供恢复密钥/);
    expect(fs.readdirSync(target)).toEqual([]);
  });
});

describe('a store sealed by another machine', () => {
  it('opens on this one with the recovery key (recover), and not without it', async () => {
    await t.close();
    const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
    const otherMachine: KeyProtector = { encrypt: xor, decrypt: xor };
    storeKey(t.dir, otherMachine); // sealed: keys/ holds only the sealed form now
    const copy = fresh();
    fs.cpSync(t.dir, copy, { recursive: true });
    expect(() => openTestCore(copy)).toThrow(/只能在桌面版中打开/);
    const io = { stdout: () => undefined, stderr: () => undefined };
    process.env.OIP_TEST_RECOVERY = 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA';
    expect(await runCli(['recover', '--data', copy, '--recovery-key-env', 'OIP_TEST_RECOVERY'], io)).toBe(2);
    process.env.OIP_TEST_RECOVERY = recoveryKey;
    try {
      expect(await runCli(['recover', '--data', copy, '--recovery-key-env', 'OIP_TEST_RECOVERY'], io)).toBe(0);
    } finally {
      delete process.env.OIP_TEST_RECOVERY;
    }
    const back = openTestCore(copy);
    try {
      const a = await signIn(back, 'admin', ADMIN_PASSWORD);
      expect((await back.call('audit.verify', {}, a)).ok).toBe(true);
      expect(fs.readdirSync(path.join(copy, 'keys')).some((f) => f.startsWith('store.key.sealed.replaced-'))).toBe(true);
    } finally {
      await back.close();
    }
    // The sealed original cannot be opened here any more: a fresh core for the clean-up.
    dirs.push(t.dir);
    t = makeTestCore();
  });
});
