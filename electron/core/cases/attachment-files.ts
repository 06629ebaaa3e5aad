// Attachment files at rest: encrypted like the store (a scanned ID card must not sit in the
// data folder as a readable image). Each file is AES-256-GCM with its own random nonce under a
// key derived from the store key; the authentication tag covers the file's name too, so a file
// altered, truncated or swapped for another is refused, never shown. A file is named by an HMAC
// of its content hash (not the hash itself, which would tell anyone with a candidate image
// whether it is stored), so the same upload twice is still stored once. Folders are 0700 and
// files 0600. Plain files left by an earlier release are encrypted when the store opens.
import fs from 'node:fs';
import path from 'node:path';
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { ApiError } from '../../../shared/api/errors';
import { appendAuditSync } from '../audit';
import { chinaInstant, type Clock } from '../clock';

export const ATTACHMENTS_DIR = 'attachments';
const MAGIC = Buffer.from('OIPATT1\n', 'latin1');
const NONCE = 12;
const TAG = 16;

export function isEncryptedAttachment(bytes: Buffer): boolean {
  return bytes.length >= MAGIC.length + NONCE + TAG && bytes.subarray(0, MAGIC.length).equals(MAGIC);
}

/** The stored file's path, relative to the data folder (forward slashes, as kept in the store). */
export function storedNameFor(key: Buffer, sha256: string): string {
  const name = createHmac('sha256', key).update(`attachment-name:${sha256}`).digest('hex');
  return `${ATTACHMENTS_DIR}/${name.slice(0, 2)}/${name}.bin`;
}

export function encryptAttachment(key: Buffer, rel: string, plain: Buffer): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.concat([MAGIC, Buffer.from(rel, 'utf8')]));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([MAGIC, nonce, body, cipher.getAuthTag()]);
}

export function decryptAttachment(key: Buffer, rel: string, data: Buffer): Buffer {
  if (!isEncryptedAttachment(data)) throw new Error('not an encrypted attachment');
  const nonce = data.subarray(MAGIC.length, MAGIC.length + NONCE);
  const tag = data.subarray(data.length - TAG);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.concat([MAGIC, Buffer.from(rel, 'utf8')]));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data.subarray(MAGIC.length + NONCE, data.length - TAG)), decipher.final()]);
}

function ensureDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') fs.chmodSync(dir, 0o700);
}

/** Writes the file under a temporary name and renames it: a crash never leaves half a file in place. */
function writeAtomically(abs: string, bytes: Buffer): void {
  ensureDir(path.dirname(abs));
  const tmp = `${abs}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, bytes, { flag: 'wx', mode: 0o600 });
  fs.renameSync(tmp, abs);
}

/** Stores an upload (once per content); returns its stored name and content hash. */
export function saveAttachment(dataDir: string, key: Buffer, bytes: Buffer): { rel: string; sha256: string } {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const rel = storedNameFor(key, sha256);
  const abs = path.join(dataDir, rel);
  ensureDir(path.join(dataDir, ATTACHMENTS_DIR));
  if (!fs.existsSync(abs)) writeAtomically(abs, encryptAttachment(key, rel, bytes));
  return { rel, sha256 };
}

/** Reads and decrypts a stored attachment, refusing one that is missing, altered or not the recorded file. */
export function readAttachment(dataDir: string, key: Buffer, row: { stored_path: string; sha256: string }): Buffer {
  const abs = path.join(dataDir, row.stored_path);
  const broken = () =>
    new ApiError('CONFLICT', '附件文件已损坏或被改动，为安全起见不予打开。请从备份恢复数据文件夹，或请经办人重新上传该材料');
  let data: Buffer;
  try {
    data = fs.readFileSync(abs);
  } catch {
    throw new ApiError('NOT_FOUND', '附件文件缺失，无法打开。请从备份恢复数据文件夹，或请经办人重新上传该材料');
  }
  let plain: Buffer;
  try {
    plain = decryptAttachment(key, row.stored_path, data);
  } catch {
    throw broken();
  }
  if (createHash('sha256').update(plain).digest('hex') !== row.sha256) throw broken();
  return plain;
}

function walk(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/**
 * Run when the store opens: encrypts attachment files an earlier release left in plain form
 * (recorded in the audit trail), removes plain files no record points to (left by a rolled-back
 * upload or an interrupted migration), and tightens the folder's permissions.
 */
export function secureAttachments(sqlite: BetterSqlite3.Database, dataDir: string, key: Buffer, clock: Clock): number {
  const root = path.join(dataDir, ATTACHMENTS_DIR);
  if (!fs.existsSync(root)) return 0;
  const rows = sqlite.prepare('SELECT DISTINCT stored_path, sha256 FROM attachments').all() as { stored_path: string; sha256: string }[];
  const moved: { from: string; to: string }[] = [];
  for (const r of rows) {
    const abs = path.join(dataDir, r.stored_path);
    if (!fs.existsSync(abs)) continue;
    const bytes = fs.readFileSync(abs);
    if (isEncryptedAttachment(bytes)) continue;
    const to = storedNameFor(key, r.sha256);
    const target = path.join(dataDir, to);
    if (!fs.existsSync(target)) writeAtomically(target, encryptAttachment(key, to, bytes));
    moved.push({ from: r.stored_path, to });
  }
  if (moved.length > 0) {
    sqlite.transaction(() => {
      const update = sqlite.prepare('UPDATE attachments SET stored_path = ? WHERE stored_path = ?');
      for (const m of moved) update.run(m.to, m.from);
      appendAuditSync(sqlite, {
        at: chinaInstant(clock.now()),
        actorId: null,
        actorName: '系统',
        method: 'system.encryptAttachments',
        action: '附件加密',
        entity: 'attachment',
        entityId: null,
        summary: `将早期版本留下的 ${moved.length} 个明文附件文件加密保存，并删除明文文件`,
      });
    })();
  }
  // Only after the records point at the encrypted copies: plain files nothing points to go.
  const referenced = new Set(
    (sqlite.prepare('SELECT DISTINCT stored_path FROM attachments').all() as { stored_path: string }[]).map((r) =>
      path.join(dataDir, r.stored_path),
    ),
  );
  for (const file of walk(root)) {
    if (referenced.has(file)) continue;
    const head = Buffer.alloc(MAGIC.length);
    const fd = fs.openSync(file, 'r');
    const n = fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    if (n < MAGIC.length || !head.equals(MAGIC)) fs.rmSync(file);
  }
  if (process.platform !== 'win32') {
    fs.chmodSync(root, 0o700);
    for (const file of walk(root)) fs.chmodSync(file, 0o600);
    for (const e of fs.readdirSync(root, { withFileTypes: true })) if (e.isDirectory()) fs.chmodSync(path.join(root, e.name), 0o700);
  }
  return moved.length;
}
