// Pull (docs/sync-protocol.md §6): the change log of the device's office, after the device's
// cursor, in commit order. Entries are served only below the oldest transaction still running
// (pg_snapshot_xmin of the current snapshot): an entry whose transaction commits late has a
// smaller id than ones already visible, and a plain serial cursor would skip it for good.
import { sql } from 'kysely';
import { PULL_MAX_LIMIT, type Change, type PullReply } from '../../shared/sync/protocol';
import type { Db } from '../db/database';
import type { JsonRow } from '../db/schema';
import type { Device } from './auth';
import { invalid } from './errors';

/** `<xid>.<id>`: the last entry served. The empty cursor is the start. */
const CURSOR = /^(\d{1,20})\.(\d{1,20})$/;

export function parseCursor(c: string): { xid: string; id: string } {
  if (c === '') return { xid: '0', id: '0' };
  const m = CURSOR.exec(c);
  if (!m) throw invalid('同步游标格式不正确：请清除本机的拉取进度后重新同步');
  return { xid: m[1]!, id: m[2]! };
}

export async function pull(db: Db, device: Device, cursor: string, limit: number): Promise<PullReply> {
  if (!Number.isInteger(limit) || limit < 1 || limit > PULL_MAX_LIMIT) throw invalid(`每页条数应在 1 到 ${PULL_MAX_LIMIT} 之间`);
  const from = parseCursor(cursor);
  // Not sent, though scanned (the cursor moves past them, so a device that mostly pushes does not
  // rescan its own entries): the device's own writes, and any entry for a row whose current
  // state at the centre is this device's write — the device holds that newer state already, and
  // an older entry applied after it would undo it with nothing later to put it right.
  const r = await sql<{
    id: string;
    xid: string;
    mine: boolean;
    table_name: string;
    key_json: Change['key'];
    version: number;
    deleted: boolean;
    row: JsonRow | null;
  }>`
    SELECT id::text AS id, xid::text AS xid, mine, table_name, key_json, version, deleted, rw AS row
    FROM oip_pull_page(${device.officeId}::uuid, ${device.id}::uuid, ${from.xid}::xid8, ${from.id}::bigint, ${limit + 1})`.execute(db);
  const more = r.rows.length > limit;
  const page = r.rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    ok: true,
    changes: page
      .filter((c) => !c.mine)
      .map((c) => ({
        table: c.table_name,
        key: c.key_json,
        version: c.version,
        deleted: c.deleted,
        row: c.row as Change['row'],
      })),
    cursor: last ? `${last.xid}.${last.id}` : cursor,
    more,
  };
}
