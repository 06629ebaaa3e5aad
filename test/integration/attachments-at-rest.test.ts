// Attachments are encrypted at rest like the store: a scanned ID card's bytes appear nowhere in
// the data folder, files are owner-only, plain files left by an earlier release are encrypted
// when the store opens, and a scan opens (audited) only for the roles that work the case and
// only when the file is exactly the one uploaded.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, openTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { beijingRider, staff } from '../helpers/intake';
import { storeState } from '../helpers/store-state';

let t: TestCore;
let admin: string;
let s: Awaited<ReturnType<typeof staff>>;
let caseId: string;
beforeEach(async () => {
  t = makeTestCore();
  admin = await setupAdmin(t);
  s = await staff(t, admin);
  caseId = (await t.call('cases.register', beijingRider(), s.clerk)).caseId;
});
afterEach(async () => {
  await t.cleanup();
});

/** A PNG "scan of an ID card": a real header, a distinctive marker and some noise. */
function idCardScan(marker = 'ID-CARD-110108199503151234-单通'): { bytes: Buffer; marker: Buffer } {
  const head = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const m = Buffer.from(marker);
  return { bytes: Buffer.concat([head, m, randomBytes(2048), m]), marker: m };
}

function everyFile(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

function onDiskAnywhere(dir: string, needle: Buffer): string[] {
  t.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return everyFile(dir).filter((f) => fs.readFileSync(f).includes(needle));
}

async function attach(bytes: Buffer, filename = '身份证正面.png') {
  return t.call('cases.attach', { caseId, materialCode: null, filename, dataBase64: bytes.toString('base64') }, s.clerk);
}

describe('at rest', () => {
  it('leaves the ID card bytes, and their hash, nowhere on disk; files 0600 in 0700 folders', async () => {
    const { bytes, marker } = idCardScan();
    const { sha256 } = await attach(bytes);
    expect(onDiskAnywhere(t.dir, marker)).toEqual([]);
    expect(onDiskAnywhere(t.dir, bytes.subarray(16, 80))).toEqual([]);
    const files = everyFile(path.join(t.dir, 'attachments'));
    expect(files).toHaveLength(1);
    expect(files[0]).not.toContain(sha256);
    if (process.platform !== 'win32') {
      expect(fs.statSync(files[0]!).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(files[0]!)).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(t.dir, 'attachments')).mode & 0o777).toBe(0o700);
    }
  });

  it('opens for the people who work the case, audited, with the very bytes uploaded', async () => {
    const { bytes } = idCardScan();
    const { attachmentId } = await attach(bytes);
    const before = storeState(t.store.sqlite).audit;
    const opened = await t.call('cases.attachment', { attachmentId }, s.officer);
    expect(opened).toMatchObject({ filename: '身份证正面.png', mime: 'image/png' });
    expect(Buffer.from(opened.dataBase64, 'base64').equals(bytes)).toBe(true);
    const entry = t.store.sqlite.prepare('SELECT actor_name, method, entity_id, summary FROM audit_log WHERE seq = ?').get(before + 1);
    expect(entry).toMatchObject({ actor_name: '确认经办乙', method: 'cases.attachment', entity_id: caseId });
    expect((entry as { summary: string }).summary).toMatch(/^调阅附件 .+：身份证正面\.png$/);
  });

  it('refuses roles that do not work the case, and strangers, writing nothing', async () => {
    const { attachmentId } = await attach(idCardScan().bytes);
    const before = storeState(t.store.sqlite);
    expect((await t.fail('cases.attachment', { attachmentId }, admin)).code).toBe('FORBIDDEN');
    expect((await t.fail('cases.attachment', { attachmentId }, null)).code).toBe('UNAUTHENTICATED');
    expect(storeState(t.store.sqlite)).toEqual(before);
  });

  it('refuses a file altered on disk, or swapped for another attachment, writing nothing', async () => {
    const first = await attach(idCardScan('FIRST-SCAN').bytes, '正面.png');
    const second = await attach(idCardScan('SECOND-SCAN').bytes, '反面.png');
    const rows = t.store.sqlite.prepare('SELECT id, stored_path FROM attachments ORDER BY uploaded_at, id').all() as {
      id: string;
      stored_path: string;
    }[];
    const fileOf = (id: string) => path.join(t.dir, rows.find((r) => r.id === id)!.stored_path);
    const original = fs.readFileSync(fileOf(first.attachmentId));
    const before = storeState(t.store.sqlite);
    // One bit flipped in the middle.
    const flipped = Buffer.from(original);
    const mid = flipped.length >> 1;
    flipped[mid] = flipped[mid]! ^ 1;
    fs.writeFileSync(fileOf(first.attachmentId), flipped);
    const err = await t.fail('cases.attachment', { attachmentId: first.attachmentId }, s.officer);
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('已损坏或被改动');
    // The other attachment's (valid) file put in its place.
    fs.copyFileSync(fileOf(second.attachmentId), fileOf(first.attachmentId));
    expect((await t.fail('cases.attachment', { attachmentId: first.attachmentId }, s.officer)).code).toBe('CONFLICT');
    // Truncated.
    fs.writeFileSync(fileOf(first.attachmentId), original.subarray(0, 40));
    expect((await t.fail('cases.attachment', { attachmentId: first.attachmentId }, s.officer)).code).toBe('CONFLICT');
    // No row added or removed anywhere, no audit entry (the officer's session was touched, nothing else).
    expect(storeState(t.store.sqlite).tables).toEqual(before.tables);
    fs.writeFileSync(fileOf(first.attachmentId), original);
    expect((await t.call('cases.attachment', { attachmentId: first.attachmentId }, s.officer)).filename).toBe('正面.png');
  });
});

describe('upgrade', () => {
  it('encrypts the plain files an earlier release left when the store opens, audited, and removes the plain copies', async () => {
    const { bytes, marker } = idCardScan();
    const { attachmentId } = await attach(bytes);
    // The store as the previous release left it: the file in plain form under its SHA-256, 0644.
    const sha = createHash('sha256').update(bytes).digest('hex');
    const plainRel = path.join('attachments', sha.slice(0, 2), `${sha}.png`);
    fs.mkdirSync(path.join(t.dir, path.dirname(plainRel)), { recursive: true });
    fs.writeFileSync(path.join(t.dir, plainRel), bytes, { mode: 0o644 });
    const encrypted = t.store.sqlite.prepare('SELECT stored_path FROM attachments WHERE id = ?').get(attachmentId) as {
      stored_path: string;
    };
    fs.rmSync(path.join(t.dir, encrypted.stored_path));
    t.store.sqlite.prepare('UPDATE attachments SET stored_path = ? WHERE id = ?').run(plainRel.split(path.sep).join('/'), attachmentId);
    // A plain file nothing points to (a rolled-back upload of the old release).
    fs.writeFileSync(path.join(t.dir, 'attachments', 'orphan.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), marker]));
    await t.close();
    expect(everyFile(t.dir).some((f) => fs.readFileSync(f).includes(marker))).toBe(true);

    const again = openTestCore(t.dir);
    try {
      again.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      expect(everyFile(t.dir).filter((f) => fs.readFileSync(f).includes(marker))).toEqual([]);
      const entry = again.store.sqlite.prepare("SELECT summary FROM audit_log WHERE method = 'system.encryptAttachments'").get() as {
        summary: string;
      };
      expect(entry.summary).toContain('1 个明文附件文件加密保存');
      const officer = (await again.call('auth.login', { username: 'officer', password: 'Staff-pass-2026' })) as { sessionToken: string };
      const opened = await again.call('cases.attachment', { attachmentId }, officer.sessionToken);
      expect(Buffer.from(opened.dataBase64, 'base64').equals(bytes)).toBe(true);
      const a = (await again.call('auth.login', { username: 'admin', password: 'Admin-pass-2026' })) as { sessionToken: string };
      expect((await again.call('audit.verify', {}, a.sessionToken)).ok).toBe(true);
    } finally {
      await again.close();
    }
  });
});
