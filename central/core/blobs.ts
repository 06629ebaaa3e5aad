// Blobs (issued PDFs, attachments) by SHA-256: stored once, whoever sends them, checked on the way in.
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Clock } from './clock';
import { sha256Hex } from './crypto';
import { invalid } from './errors';

export async function missing(db: Db, hashes: readonly string[]): Promise<string[]> {
  const unique = [...new Set(hashes)];
  if (unique.length === 0) return [];
  const r = await sql<{ sha256: string }>`SELECT sha256 FROM blobs WHERE sha256 IN (${sql.join(unique)})`.execute(db);
  const have = new Set(r.rows.map((x) => x.sha256));
  return unique.filter((h) => !have.has(h));
}

/** Idempotent: the same bytes again change nothing. Returns whether they were new. */
export async function putBlob(db: Db, clock: Clock, sha256: string, bytes: Uint8Array): Promise<boolean> {
  if (sha256Hex(bytes) !== sha256) throw invalid('文件内容与其摘要不符（传输中损坏？），请重新上传');
  const r = await sql`
    INSERT INTO blobs (sha256, bytes, size, created_at) VALUES (${sha256}, ${bytes}, ${bytes.byteLength}, ${clock.now().toISOString()})
    ON CONFLICT (sha256) DO NOTHING RETURNING 1 AS ok`.execute(db);
  return r.rows.length === 1;
}

export async function getBlob(db: Db, sha256: string): Promise<Buffer | null> {
  const r = await sql<{ bytes: Uint8Array }>`SELECT bytes FROM blobs WHERE sha256 = ${sha256}`.execute(db);
  const b = r.rows[0]?.bytes;
  return b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : null;
}
