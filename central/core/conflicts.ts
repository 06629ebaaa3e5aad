// The centre's side of the 同步冲突 inbox (issue #13; docs/sync-protocol.md §10). Conflicts are
// recorded by push.ts (stale edits) and by the records_duplicate_case trigger (a registration
// matching another case's 身份证号 and accident date, migration 0021); each names the office that
// must decide. This module answers a device with its office's conflicts — open ones, and those
// decided in the last 30 days so every device of the office learns the outcome. Decisions arrive
// as replicated conflict_decisions rows; the records_conflict_decided trigger closes the conflict.
import { sql } from 'kysely';
import type { CentreConflict, ConflictsReply } from '../../shared/sync/conflicts';
import type { Db } from '../db/database';
import type { Device } from './auth';
import type { Clock } from './clock';
import { instantOf } from './clock';

const RECENT_DAYS = 30;

interface ConflictRow {
  id: string;
  conflict_kind: CentreConflict['conflictKind'];
  kind: string;
  table_name: string;
  key_json: CentreConflict['key'];
  device_id: string | null;
  device_op: CentreConflict['deviceOp'];
  base_version: number | null;
  device_version: number;
  device_row: Record<string, unknown> | null;
  centre_version: number | null;
  centre_deleted: boolean | null;
  centre_row: Record<string, unknown> | null;
  detail: Record<string, unknown> | null;
  created_at: Date | string;
  resolved_at: Date | string | null;
  resolution: string | null;
}

export async function listConflicts(db: Db, clock: Clock, device: Device): Promise<ConflictsReply> {
  const since = new Date(clock.now().getTime() - RECENT_DAYS * 86_400_000).toISOString();
  const r = await sql<ConflictRow>`
    SELECT id, conflict_kind, kind, table_name, key_json, device_id, device_op, base_version, device_version, device_row,
      centre_version, centre_deleted, centre_row, detail, created_at, resolved_at, resolution
    FROM conflicts
    WHERE office_id = ${device.officeId}::uuid AND (resolved_at IS NULL OR resolved_at >= ${since})
    ORDER BY created_at, id LIMIT 1000`.execute(db);
  return {
    ok: true,
    conflicts: r.rows.map((c) => ({
      id: c.id,
      conflictKind: c.conflict_kind,
      mutationKind: c.kind,
      table: c.table_name,
      key: c.key_json,
      deviceId: c.device_id,
      deviceOp: c.device_op,
      baseVersion: c.base_version,
      deviceVersion: c.device_version,
      deviceRow: c.device_row,
      centreVersion: c.centre_version,
      centreDeleted: c.centre_deleted,
      centreRow: c.centre_row,
      detail: c.detail,
      createdAt: instantOf(c.created_at),
      resolvedAt: c.resolved_at === null ? null : instantOf(c.resolved_at),
      resolution: c.resolution,
    })),
  };
}
