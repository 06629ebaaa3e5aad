// BLOBs by hash. A BLOB column travels as {"$blob": sha256}; its bytes stay where they are (the
// row's own column) and sync_blob_refs says where, so the sync client can upload them by hash.
// Blobs fetched for a pull page wait in sync_blobs until the page that names them is applied.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { sha256 } from '../crypto/hash';
import { syncTable } from '../../../shared/sync/tables';

type Db = Kysely<Database>;
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

export async function noteBlobRef(db: Db, ref: { sha256: string; tbl: string; key: string; col: string }): Promise<void> {
  await db
    .insertInto('sync_blob_refs')
    .values(ref)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The bytes of a blob known here by its hash (a stored row's column, or one fetched for a pull); null when unknown. */
export async function readBlob(db: Db, hash: string): Promise<Buffer | null> {
  const staged = await db.selectFrom('sync_blobs').select('bytes').where('sha256', '=', hash).executeTakeFirst();
  if (staged && sha256(staged.bytes) === hash) return Buffer.from(staged.bytes);
  const refs = await db.selectFrom('sync_blob_refs').selectAll().where('sha256', '=', hash).execute();
  for (const ref of refs) {
    const key = JSON.parse(ref.key) as (string | number)[];
    const pk = syncTable(ref.tbl)?.key ?? [];
    if (pk.length === 0) continue;
    let q = (db as unknown as AnyDb).selectFrom(ref.tbl).select(ref.col);
    pk.forEach((k, i) => (q = q.where(k, '=', key[i]!)));
    const row = await q.executeTakeFirst();
    const v = row?.[ref.col];
    if (Buffer.isBuffer(v) && sha256(v) === hash) return v;
  }
  return null;
}

/** Keeps a blob fetched from the centre until its page is applied; refuses bytes that do not match the hash. */
export async function stageBlob(db: Db, clock: Clock, hash: string, bytes: Buffer): Promise<void> {
  if (sha256(bytes) !== hash) throw new Error('blob bytes do not match their hash');
  await db
    .insertInto('sync_blobs')
    .values({ sha256: hash, bytes, received_at: chinaInstant(clock.now()) })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Hashes a pull page names that are not available here yet (the client fetches these first). */
export async function missingBlobs(db: Db, hashes: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const h of new Set(hashes)) if (!(await readBlob(db, h))) out.push(h);
  return out;
}
