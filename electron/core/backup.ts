// Backup and restore: one file with everything needed to bring a data folder back — a
// consistent snapshot of the store taken while it stays in use, the (encrypted) attachment
// files it refers to, the device's signing key and the recovery information — with a manifest
// of SHA-256 checksums, all encrypted and authenticated (AES-256-GCM) under a key derived from
// the store key. The header (readable without the key) names the store key by its id and
// carries the recovery-wrapped store key, so the file can be restored on a fresh machine with
// the recovery key alone.
//
// Restore verifies everything first — the authentication tag over the whole file, every
// checksum, SQLite's integrity check, the schema version and the audit chain — in a staging
// folder, and only then moves the current store aside (kept beside it as replaced-<time>/) and
// puts the restored one in place. A refused restore leaves the folder exactly as it was.
//
// The snapshot is VACUUM INTO on the live connection: one read transaction, so it is
// consistent, and it stays encrypted with the same key. (better-sqlite3's backup() cannot be
// used here: it opens the destination without a key and refuses a chacha20 source, whose pages
// reserve bytes for the cipher — "backup is not supported with incompatible source and target".)
import fs from 'node:fs';
import path from 'node:path';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { sql, Kysely, SqliteDialect } from 'kysely';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import type { Database } from './db-schema';
import { STORE_FILE } from './db';
import { chinaInstant, type Clock } from './clock';
import { deriveStoreKeys, storeKeyId, type StoreKeys } from './keys';
import { KEYS_DIR, KeyFileError } from './store-key';
import { migrations } from './migrations/index';
import { appendAuditSync, verifyAudit } from './audit';
import { parseRecoveryFile, readRecoveryFile, unwrapStoreKey, RECOVERY_FILE, RecoveryError } from './recovery';

const MAGIC = Buffer.from('OIPBAK1\n', 'latin1');
const TAG = 16;
// The device's signing key and the key hearing packages are encrypted to.
const DEVICE_KEYS = ['device-ed25519.pem', 'device-x25519.pem'];
const CHUNK = 1024 * 1024;
export const BACKUPS_DIR = 'backups';

const headerSchema = z.object({
  format: z.literal(1),
  createdAt: z.string(),
  appVersion: z.string(),
  keyId: z.string(),
  salt: z.string(),
  nonce: z.string(),
  schemaVersion: z.number().int(),
  recovery: z.unknown().nullable(),
});
type Header = z.infer<typeof headerSchema>;

interface ManifestEntry {
  name: string;
  size: number;
  sha256: string;
}

export interface BackupResult {
  file: string;
  size: number;
  sha256: string;
  cases: number;
  attachments: number;
  /** Attachment rows whose file is not on this device (rows pulled from another device arrive
   * without their bytes, or a file was lost): not in the backup, said on screen and in the audit. */
  missingAttachments: number;
  createdAt: string;
}

export class BackupError extends Error {}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

function stamp(clock: Clock): string {
  return chinaInstant(clock.now()).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

/** Takes the backup while the store stays in use; writes it to `out` (default: backups/ in the data folder). */
export async function createBackup(
  store: { db: Kysely<Database>; keys: StoreKeys },
  opts: { dataDir: string; clock: Clock; appVersion: string; out?: string | undefined },
): Promise<BackupResult> {
  const createdAt = chinaInstant(opts.clock.now());
  const out = path.resolve(opts.out ?? path.join(opts.dataDir, BACKUPS_DIR, `oip-backup-${stamp(opts.clock)}.oipbak`));
  fs.mkdirSync(path.dirname(out), { recursive: true, mode: 0o700 });
  if (fs.existsSync(out)) throw new BackupError(`备份文件 ${out} 已存在，请换一个文件名`);
  const snapshot = path.join(opts.dataDir, `.backup-${randomBytes(6).toString('hex')}.sqlite`);
  const partial = `${out}.${randomBytes(4).toString('hex')}.partial`;
  try {
    // One statement, one read transaction on the live connection: a consistent snapshot.
    await sql`VACUUM INTO ${snapshot}`.execute(store.db);
    const snap = new BetterSqlite3(snapshot, { readonly: true });
    let refs: { stored_path: string }[];
    let cases: number;
    let schemaVersion: number;
    try {
      snap.pragma(`key = "x'${store.keys.storeKey.toString('hex')}'"`);
      // A removed scan's file is deleted (or only hidden): it is not missing, and not backed up.
      refs = snap
        .prepare(
          'SELECT DISTINCT stored_path FROM attachments WHERE id NOT IN (SELECT attachment_id FROM attachment_removals) ORDER BY stored_path',
        )
        .all() as { stored_path: string }[];
      cases = (snap.prepare('SELECT COUNT(*) n FROM cases').get() as { n: number }).n;
      schemaVersion = (snap.prepare('SELECT MAX(version) v FROM schema_migrations').get() as { v: number }).v;
    } finally {
      snap.close();
    }
    const salt = randomBytes(16);
    const nonce = randomBytes(12);
    const recovery = readRecoveryFile(opts.dataDir);
    const header: Header = {
      format: 1,
      createdAt,
      appVersion: opts.appVersion,
      keyId: store.keys.keyId,
      salt: salt.toString('base64'),
      nonce: nonce.toString('base64'),
      schemaVersion,
      recovery,
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const prefix = Buffer.concat([MAGIC, u32(headerBytes.length), headerBytes]);
    const cipher = createCipheriv('aes-256-gcm', store.keys.backup(salt), nonce);
    cipher.setAAD(prefix);
    const fh = await fs.promises.open(partial, 'wx', 0o600);
    const whole = createHash('sha256');
    const write = async (b: Buffer) => {
      whole.update(b);
      await fh.write(b);
    };
    const manifest: ManifestEntry[] = [];
    let missing = 0;
    const entryHead = (name: string, size: number) => {
      const nameBytes = Buffer.from(name, 'utf8');
      return Buffer.concat([u32(nameBytes.length), nameBytes, u64(size)]);
    };
    const entry = async (name: string, data: Buffer) => {
      manifest.push({ name, size: data.length, sha256: sha256(data) });
      await write(cipher.update(entryHead(name, data.length)));
      await write(cipher.update(data));
    };
    /** A large file (the store) in chunks, never whole in memory. */
    const entryFile = async (name: string, abs: string) => {
      const size = (await fs.promises.stat(abs)).size;
      const hash = createHash('sha256');
      await write(cipher.update(entryHead(name, size)));
      let seen = 0;
      for await (const chunk of fs.createReadStream(abs, { highWaterMark: CHUNK })) {
        hash.update(chunk as Buffer);
        seen += (chunk as Buffer).length;
        await write(cipher.update(chunk as Buffer));
      }
      if (seen !== size) throw new BackupError('数据库快照在读取时发生变化，备份未完成，请重试');
      manifest.push({ name, size, sha256: hash.digest('hex') });
    };
    try {
      await write(prefix);
      await entryFile(STORE_FILE, snapshot);
      for (const r of refs) {
        const abs = path.join(opts.dataDir, r.stored_path);
        // Refusing the whole backup for a file this device never had would leave no backup at all.
        if (!fs.existsSync(abs)) {
          missing++;
          continue;
        }
        await entryFile(r.stored_path, abs);
      }
      for (const k of [...DEVICE_KEYS, RECOVERY_FILE]) {
        const abs = path.join(opts.dataDir, KEYS_DIR, k);
        if (fs.existsSync(abs)) await entry(`${KEYS_DIR}/${k}`, await fs.promises.readFile(abs));
      }
      // The manifest is last: written once every checksum is known; restore checks all of them.
      await entry('manifest.json', Buffer.from(JSON.stringify({ createdAt, files: manifest }), 'utf8'));
      await write(cipher.final());
      await write(cipher.getAuthTag());
      await fh.sync();
    } finally {
      await fh.close();
    }
    fs.renameSync(partial, out);
    return {
      file: out,
      size: fs.statSync(out).size,
      sha256: whole.digest('hex'),
      cases,
      attachments: refs.length - missing,
      missingAttachments: missing,
      createdAt,
    };
  } finally {
    fs.rmSync(snapshot, { force: true });
    fs.rmSync(partial, { force: true });
  }
}

export function readBackupHeader(bytes: Buffer, fileSize = bytes.length): { header: Header; prefix: Buffer } {
  const bad = () => new BackupError('这不是本系统的备份文件，或文件头已损坏');
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw bad();
  const len = bytes.readUInt32BE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (len > 1_000_000 || bytes.length < start + len || fileSize < start + len + TAG) throw bad();
  let header: Header;
  try {
    header = headerSchema.parse(JSON.parse(bytes.subarray(start, start + len).toString('utf8')));
  } catch {
    throw bad();
  }
  return { header, prefix: bytes.subarray(0, start + len) };
}

/** The store key this folder holds now, if it is readable here (a plain key file). */
function currentKey(dataDir: string): Buffer | null {
  const file = path.join(dataDir, KEYS_DIR, 'store.key');
  if (!fs.existsSync(file)) return null;
  const key = fs.readFileSync(file);
  return key.length === 32 ? key : null;
}

export interface RestoreResult {
  dataDir: string;
  createdAt: string;
  cases: number;
  attachments: number;
  /** Where the store that was replaced now is (null: the folder held none). */
  previous: string | null;
}

/**
 * Restores a backup into a data folder (the app must not be running on it). The store key
 * comes from the recovery key when given, else from the folder's own key when it is the
 * backup's. Everything is verified before anything is replaced.
 */
export async function restoreBackup(
  dataDir: string,
  from: string,
  opts: { clock: Clock; recoveryKey?: string | undefined },
): Promise<RestoreResult> {
  let fd: number;
  let fileSize: number;
  try {
    fd = fs.openSync(from, 'r');
    fileSize = fs.fstatSync(fd).size;
  } catch {
    throw new BackupError(`无法读取备份文件 ${from}，请确认路径正确`);
  }
  try {
    return await restoreFrom(fd, fileSize, dataDir, opts);
  } finally {
    fs.closeSync(fd);
  }
}

function readAt(fd: number, start: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  const n = fs.readSync(fd, b, 0, length, start);
  return b.subarray(0, n);
}

/** Cuts the decrypted stream into entries and writes each into the staging folder, hashing as it goes. */
class EntryWriter {
  private pending: Buffer = Buffer.alloc(0);
  private current: { name: string; left: number; fd: number; hash: ReturnType<typeof createHash>; size: number } | null = null;
  readonly written = new Map<string, { size: number; sha256: string; path: string }>();

  constructor(private staging: string) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      if (this.current) {
        const take = Math.min(this.current.left, this.pending.length);
        if (take > 0) {
          const part = this.pending.subarray(0, take);
          fs.writeSync(this.current.fd, part);
          this.current.hash.update(part);
          this.current.left -= take;
          this.pending = this.pending.subarray(take);
        }
        if (this.current.left > 0) return;
        fs.closeSync(this.current.fd);
        this.written.set(this.current.name, {
          size: this.current.size,
          sha256: this.current.hash.digest('hex'),
          path: this.pathOf(this.current.name),
        });
        this.current = null;
      }
      if (this.pending.length < 4) return;
      const nameLen = this.pending.readUInt32BE(0);
      if (nameLen > 4096) throw new BackupError('备份内容格式不正确，未作任何替换');
      if (this.pending.length < 12 + nameLen) return;
      const name = this.pending.subarray(4, 4 + nameLen).toString('utf8');
      const size = Number(this.pending.readBigUInt64BE(4 + nameLen));
      this.pending = this.pending.subarray(12 + nameLen);
      if (this.written.has(name)) throw new BackupError(`备份中的文件 ${name} 重复，未作任何替换`);
      const target = this.pathOf(name);
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      this.current = { name, left: size, size, fd: fs.openSync(target, 'wx', 0o600), hash: createHash('sha256') };
    }
  }

  finish(): void {
    if (this.current || this.pending.length > 0) throw new BackupError('备份文件不完整，未作任何替换');
  }

  close(): void {
    if (this.current) fs.closeSync(this.current.fd);
    this.current = null;
  }

  /** Names are ours, but never let one escape the staging folder. */
  private pathOf(name: string): string {
    if (!name || path.isAbsolute(name) || name.split(/[\\/]/).some((p) => p === '..' || p === ''))
      throw new BackupError(`备份中的文件名 ${name} 无效，未作任何替换`);
    return path.join(this.staging, name);
  }
}

async function restoreFrom(
  fd: number,
  fileSize: number,
  dataDir: string,
  opts: { clock: Clock; recoveryKey?: string | undefined },
): Promise<RestoreResult> {
  const head = readAt(fd, 0, Math.min(fileSize, MAGIC.length + 4 + 1_000_000));
  const { header, prefix } = readBackupHeader(head, fileSize);
  let key: Buffer;
  if (opts.recoveryKey) {
    if (!header.recovery) throw new BackupError('这份备份不含恢复信息（备份时尚未生成恢复密钥），只能在原数据目录用原密钥恢复');
    try {
      key = await unwrapStoreKey(parseRecoveryFile(header.recovery), opts.recoveryKey);
    } catch (e) {
      throw new BackupError(e instanceof RecoveryError ? e.message : '恢复密钥无法解开这份备份');
    }
  } else {
    const own = currentKey(dataDir);
    if (!own || storeKeyId(own) !== header.keyId)
      throw new BackupError(
        '这份备份不是用本数据目录的密钥制作的（或本目录的密钥由操作系统保护）：请提供恢复密钥（--recovery-key-env 或从标准输入）',
      );
    key = own;
  }
  if (storeKeyId(key) !== header.keyId) throw new BackupError('密钥与备份不符，无法恢复');
  const known = Math.max(...migrations.map((m) => m.version));
  if (header.schemaVersion > known) throw new BackupError('这份备份来自更新版本的应用，请先升级本机应用再恢复');

  fs.mkdirSync(dataDir, { recursive: true });
  const staging = path.join(dataDir, `.restore-${randomBytes(6).toString('hex')}`);
  fs.mkdirSync(staging, { mode: 0o700 });
  try {
    // Decrypt everything into the staging folder; nothing is trusted until the tag checks out.
    const keys = deriveStoreKeys(key);
    const decipher = createDecipheriv('aes-256-gcm', keys.backup(Buffer.from(header.salt, 'base64')), Buffer.from(header.nonce, 'base64'));
    decipher.setAAD(prefix);
    decipher.setAuthTag(readAt(fd, fileSize - TAG, TAG));
    const writer = new EntryWriter(staging);
    try {
      for (let at = prefix.length; at < fileSize - TAG; at += CHUNK) {
        writer.push(decipher.update(readAt(fd, at, Math.min(CHUNK, fileSize - TAG - at))));
      }
      try {
        writer.push(decipher.final());
      } catch {
        throw new BackupError('备份文件已被改动或已损坏（校验失败），未作任何替换。请换用另一份备份');
      }
      writer.finish();
    } catch (e) {
      // Content read before a failed tag is not trusted, and the tag is checked only at the end:
      // any error here means the file is not what was backed up.
      if (e instanceof BackupError && e.message.includes('校验失败')) throw e;
      throw new BackupError('备份文件已被改动或已损坏（校验失败），未作任何替换。请换用另一份备份');
    } finally {
      writer.close();
    }
    const manifestFile = writer.written.get('manifest.json');
    const manifest = manifestFile ? (JSON.parse(fs.readFileSync(manifestFile.path, 'utf8')) as { files: ManifestEntry[] }) : null;
    if (!manifest) throw new BackupError('备份文件缺少清单，未作任何替换');
    fs.rmSync(manifestFile!.path);
    if (manifest.files.length !== writer.written.size - 1) throw new BackupError('备份内容与清单不符，未作任何替换');
    for (const m of manifest.files) {
      const got = writer.written.get(m.name);
      if (!got) throw new BackupError(`备份清单中的文件 ${m.name} 缺失，未作任何替换`);
      if (got.size !== m.size || got.sha256 !== m.sha256) throw new BackupError(`备份中的文件 ${m.name} 校验和不符，未作任何替换`);
    }
    // The store itself: opens with the key, passes SQLite's integrity check and the audit chain.
    const db = new BetterSqlite3(path.join(staging, STORE_FILE));
    let cases = 0;
    try {
      db.pragma(`key = "x'${key.toString('hex')}'"`);
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new BackupError('备份中的数据库未通过完整性检查，未作任何替换');
      cases = (db.prepare('SELECT COUNT(*) n FROM cases').get() as { n: number }).n;
      const k = new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
      const audit = await verifyAudit(k);
      if (!audit.ok) throw new BackupError(`备份中的审计日志在第 ${audit.firstBroken?.seq} 条处断裂，未作任何替换`);
    } catch (e) {
      if (e instanceof BackupError) throw e;
      throw new BackupError('备份中的数据库无法打开（密钥不符或已损坏），未作任何替换');
    } finally {
      if (db.open) db.close();
    }
    // A store that never signed a document nor had a recovery key issued has no keys/ entries.
    fs.mkdirSync(path.join(staging, KEYS_DIR), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(staging, KEYS_DIR, 'store.key'), key, { mode: 0o600 });
    fs.chmodSync(path.join(staging, KEYS_DIR), 0o700);

    // Verified: move what is there aside, then put the restored store in place.
    const present = [STORE_FILE, `${STORE_FILE}-wal`, `${STORE_FILE}-shm`, 'attachments', KEYS_DIR].filter((n) =>
      fs.existsSync(path.join(dataDir, n)),
    );
    let previous: string | null = null;
    if (present.length > 0) {
      previous = path.join(dataDir, `replaced-${stamp(opts.clock)}-${randomBytes(2).toString('hex')}`);
      fs.mkdirSync(previous, { mode: 0o700 });
      for (const n of present) fs.renameSync(path.join(dataDir, n), path.join(previous, n));
    }
    for (const n of fs.readdirSync(staging)) fs.renameSync(path.join(staging, n), path.join(dataDir, n));
    recordInStore(dataDir, key, opts.clock, {
      method: 'system.restore',
      action: '从备份恢复',
      summary: `从 ${header.createdAt} 的备份恢复数据目录（案件 ${cases} 件）${previous ? `，原数据保留在 ${path.basename(previous)}` : ''}`,
    });
    return {
      dataDir,
      createdAt: header.createdAt,
      cases,
      attachments: manifest.files.filter((f) => f.name.startsWith('attachments/')).length,
      previous,
    };
  } catch (e) {
    if (e instanceof BackupError || e instanceof KeyFileError) throw e;
    throw new BackupError(`恢复失败，未作任何替换：${e instanceof Error ? e.message : String(e)}`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Appends an entry to a store's audit trail from outside the app (restore, recover). */
function recordInStore(dataDir: string, key: Buffer, clock: Clock, e: { method: string; action: string; summary: string }): void {
  const db = new BetterSqlite3(path.join(dataDir, STORE_FILE));
  try {
    db.pragma(`key = "x'${key.toString('hex')}'"`);
    db.transaction(() =>
      appendAuditSync(db, {
        at: chinaInstant(clock.now()),
        actorId: null,
        actorName: '命令行（本机操作员）',
        method: e.method,
        action: e.action,
        entity: 'store',
        entityId: null,
        summary: e.summary,
      }),
    )();
  } finally {
    db.close();
  }
}

/**
 * A data folder copied from a machine whose OS sealed its store key (or whose key file was
 * lost): the recovery key unwraps the store key from keys/recovery.json; once it opens the
 * store, it is written as the folder's key file (the desktop app seals it again on its first
 * start) and the old sealed file is kept aside.
 */
export async function recoverStoreKey(
  dataDir: string,
  recoveryKey: string,
  clock: Clock,
): Promise<{ keyId: string; keptAside: string | null }> {
  const file = readRecoveryFile(dataDir);
  if (!file)
    throw new BackupError(`数据目录 ${dataDir} 中没有恢复信息（keys/recovery.json），无法用恢复密钥恢复。请改用备份文件恢复（restore）`);
  let key: Buffer;
  try {
    key = await unwrapStoreKey(file, recoveryKey);
  } catch (e) {
    throw new BackupError(e instanceof RecoveryError ? e.message : '恢复密钥无法解开恢复信息');
  }
  const storeFile = path.join(dataDir, STORE_FILE);
  if (!fs.existsSync(storeFile)) throw new BackupError(`数据目录 ${dataDir} 中没有数据文件，请确认目录正确`);
  const db = new BetterSqlite3(storeFile);
  try {
    db.pragma(`key = "x'${key.toString('hex')}'"`);
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
  } catch {
    throw new BackupError('恢复出的密钥打不开这个数据文件：恢复信息与数据文件不是同一套，请改用备份文件恢复');
  } finally {
    db.close();
  }
  const keys = path.join(dataDir, KEYS_DIR);
  const sealed = path.join(keys, 'store.key.sealed');
  let keptAside: string | null = null;
  if (fs.existsSync(sealed)) {
    keptAside = `${sealed}.replaced-${stamp(clock)}`;
    fs.renameSync(sealed, keptAside);
  }
  const plain = path.join(keys, 'store.key');
  if (fs.existsSync(plain) && !fs.readFileSync(plain).equals(key)) fs.renameSync(plain, `${plain}.replaced-${stamp(clock)}`);
  fs.writeFileSync(plain, key, { mode: 0o600 });
  recordInStore(dataDir, key, clock, { method: 'system.recover', action: '用恢复密钥恢复', summary: '用恢复密钥恢复了数据目录的密钥' });
  return { keyId: storeKeyId(key), keptAside };
}
