// Rows between the store and the outside, in the two forms they travel: on the sync wire
// (local-only columns stripped, BLOBs as {"$blob": sha256} with the bytes sent apart) and in a
// file such as the hearing package (every column, BLOBs as base64). Also each table's key, and
// zod schemas that hold a foreign row to exactly this store's columns and SQLite types.
import { z } from 'zod';
import type { SyncRow } from '../../../shared/sync/protocol';
import { rowKeyString } from '../../../shared/sync/tables';
import { sha256 } from '../crypto/hash';
import type { TableMeta } from './table-meta';

/** A row as SQLite gives it: column → value, BLOBs as Buffers. */
export type DbRow = Record<string, unknown>;
/** A row as a file carries it: BLOBs as base64. */
export type FileRow = Record<string, unknown>;
export type RowKey = Record<string, string | number>;

export function keyOf(meta: TableMeta, row: DbRow | FileRow): RowKey {
  return Object.fromEntries(meta.spec.key.map((k) => [k, row[k] as string | number]));
}

/** The key as one string, the same on both sides (shared/sync/tables.ts rowKeyString). */
export function keyString(meta: TableMeta, row: DbRow | FileRow | RowKey): string {
  return rowKeyString(meta.spec, row);
}

export interface WireBlob {
  column: string;
  sha256: string;
}

/** A stored row for the sync wire: local columns dropped, BLOB columns replaced by their hash. */
export function toSyncRow(meta: TableMeta, row: DbRow): { row: SyncRow; blobs: WireBlob[] } {
  const out: SyncRow = {};
  const blobs: WireBlob[] = [];
  for (const c of meta.columns) {
    if (meta.local.has(c.name)) continue;
    const v = row[c.name];
    if (v === undefined) continue;
    if (Buffer.isBuffer(v) || v instanceof Uint8Array) {
      const hash = sha256(v);
      out[c.name] = { $blob: hash };
      blobs.push({ column: c.name, sha256: hash });
    } else if (typeof v === 'bigint') out[c.name] = Number(v);
    else out[c.name] = v as string | number | null;
  }
  return { row: out, blobs };
}

export function toFileRow(meta: TableMeta, row: DbRow): FileRow {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, meta.blobs.has(k) && Buffer.isBuffer(v) ? v.toString('base64') : v]));
}

export function fromFileRow(meta: TableMeta, row: FileRow): DbRow {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, meta.blobs.has(k) && typeof v === 'string' ? Buffer.from(v, 'base64') : v]),
  );
}

function cell(type: TableMeta['columns'][number]['type'], blob: z.ZodType): z.ZodType {
  switch (type) {
    case 'INTEGER':
      return z.number().int();
    case 'REAL':
      return z.number();
    case 'BLOB':
      return blob;
    case 'TEXT':
      return z.string();
    case 'ANY':
      return z.union([z.string(), z.number()]);
  }
}

/** A file row: exactly this store's columns, each of its type (BLOBs base64). */
export function fileRowSchema(meta: TableMeta) {
  const shape: Record<string, z.ZodType> = {};
  for (const c of meta.columns) {
    const s = cell(c.type, z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, '应为 base64'));
    shape[c.name] = c.notnull ? s : s.nullable();
  }
  return z.strictObject(shape);
}

const blobRef = z.strictObject({ $blob: z.string().regex(/^[0-9a-f]{64}$/, '应为 SHA-256') });

/**
 * A row from the centre: only columns this store has and that travel (never local ones); each of
 * its type; a NOT NULL column without a default must be present. Columns left out keep their
 * local value on an update and their default on an insert.
 */
export function syncRowSchema(meta: TableMeta): z.ZodType {
  // Built once per table of a store: a pull page checks every change against it.
  const hit = syncRowSchemas.get(meta);
  if (hit) return hit;
  const shape: Record<string, z.ZodType> = {};
  for (const c of meta.columns) {
    if (meta.local.has(c.name)) continue;
    const s = cell(c.type, blobRef);
    shape[c.name] = c.notnull ? (c.hasDefault ? s.optional() : s) : s.nullable().optional();
  }
  const schema = z.strictObject(shape);
  syncRowSchemas.set(meta, schema);
  return schema;
}
const syncRowSchemas = new WeakMap<TableMeta, z.ZodType>();

export function issueText(err: z.ZodError): string {
  const i = err.issues[0];
  return i ? `${i.path.length ? `字段 ${i.path.join('.')}：` : ''}${i.message}` : '格式不正确';
}
