// The rows a store held before it had an outbox, enqueued once (by migration 502) as
// `sync.baseline` mutations: every replicated row as it is, table by table in the catalogue's
// dependency order, BASELINE_ROWS rows to a mutation, with no base version (the centre has
// never seen them) and no audit copy. Runs on the raw connection inside the migration's
// transaction, with the same row codec as the commit hook.
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { type Mutation, type RowChange } from '../../../shared/sync/protocol';
import { SYNC_TABLES } from '../../../shared/sync/tables';
import { chinaInstant } from '../clock';
import { newId } from '../ids';
import { keyOf, keyString, toSyncRow } from './row-codec';
import { storeMetaSync } from './table-meta';

/** Small enough that a push of 500 mutations stays a reasonable request. */
export const BASELINE_ROWS = 200;

/**
 * `only`: just these tables (rows of tables that joined the catalogue after 502 ran on this store);
 * keys other work captured meanwhile are then left for the next call's mutation.
 */
export function enqueueBaseline(db: BetterSqlite3.Database, only?: ReadonlySet<string>): void {
  const meta = storeMetaSync(db);
  const at = chinaInstant(new Date());
  const last = db.prepare('SELECT max(seq) AS s FROM sync_outbox').get() as { s: number | null };
  let seq = last.s ?? 0;
  const insert = db.prepare(
    `INSERT INTO sync_outbox (seq, mutation_id, kind, entity, entity_id, user_id, user_name, rule_pack, schema_version, rows, audit, created_at)
     VALUES (?, ?, 'sync.baseline', ?, NULL, NULL, NULL, NULL, ?, ?, NULL, ?)`,
  );
  const insertKey = db.prepare('INSERT OR IGNORE INTO sync_outbox_keys (tbl, key, seq) VALUES (?, ?, ?)');
  const insertRef = db.prepare('INSERT OR IGNORE INTO sync_blob_refs (sha256, tbl, key, col) VALUES (?, ?, ?, ?)');
  for (const spec of SYNC_TABLES) {
    if (only && !only.has(spec.table)) continue;
    const t = meta.tables.get(spec.table);
    if (!t) continue;
    let rows = db.prepare(`SELECT * FROM ${spec.table} ORDER BY ${spec.key.join(', ')}`).all() as Record<string, unknown>[];
    if (only) {
      // A store that had neither the table nor the outbox enqueued these rows in its full baseline.
      const queued = new Set(
        (db.prepare('SELECT key FROM sync_outbox_keys WHERE tbl = ?').all(spec.table) as { key: string }[]).map((r) => r.key),
      );
      rows = rows.filter((row) => !queued.has(keyString(t, row)));
    }
    for (let i = 0; i < rows.length; i += BASELINE_ROWS) {
      const part = rows.slice(i, i + BASELINE_ROWS);
      seq++;
      const refs: [string, string, string, string][] = [];
      const changes: RowChange[] = part.map((row) => {
        const wire = toSyncRow(t, row);
        for (const b of wire.blobs) refs.push([b.sha256, spec.table, keyString(t, row), b.column]);
        return {
          table: spec.table,
          key: keyOf(t, row),
          op: 'upsert',
          baseVersion: null,
          version: spec.merge === 'versioned' && spec.versionColumn ? Number(row[spec.versionColumn]) : 1,
          row: wire.row,
        };
      });
      const m: Mutation = {
        seq,
        mutationId: newId(),
        kind: 'sync.baseline',
        entity: spec.table,
        entityId: null,
        userId: null,
        userName: null,
        rulePack: null,
        schemaVersion: meta.schemaVersion,
        at,
        rows: changes,
        audit: null,
      };
      // Not parsed here: an old row beyond the wire's limits must not stop the app from opening;
      // the push parses every baseline mutation before sending it (outbox.ts wireOfOutboxRow).
      insert.run(m.seq, m.mutationId, spec.table, m.schemaVersion, JSON.stringify(changes), at);
      for (const row of part) insertKey.run(spec.table, keyString(t, row), seq);
      for (const ref of refs) insertRef.run(...ref);
    }
  }
  if (!only) db.prepare('DELETE FROM sync_capture').run();
}
