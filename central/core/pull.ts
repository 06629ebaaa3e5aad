// Pull (docs/sync-protocol.md §6): the change log of the device's office, after the device's
// cursor, in commit order. Entries are served only below the oldest transaction still running
// (pg_snapshot_xmin of the current snapshot): an entry whose transaction commits late has a
// smaller id than ones already visible, and a plain serial cursor would skip it for good.
import { sql } from 'kysely';
import { PULL_MAX_LIMIT, type CarriedUser, type Change, type PullReply } from '../../shared/sync/protocol';
import { syncTable } from '../../shared/sync/tables';
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
  const changes = page
    .filter((c) => !c.mine)
    .map((c) => ({
      table: c.table_name,
      key: c.key_json,
      version: c.version,
      deleted: c.deleted,
      row: c.row as Change['row'],
    }));
  const carried = await carriedFor(db, device, changes);
  return {
    ok: true,
    changes,
    ...(carried.users.length > 0 ? { users: carried.users } : {}),
    ...(carried.references.length > 0 ? { references: carried.references } : {}),
    cursor: last ? `${last.xid}.${last.id}` : cursor,
    more,
  };
}

/**
 * What a page's rows name that the device's office does not see (issue #13: a case handed over
 * names the accounts and experts of the office it came from): the people, as carried users, and
 * the office-wide rows (experts, platforms), as they stand at the centre now. Without them the
 * receiving device's references would not hold and it would refuse the page.
 */
async function carriedFor(db: Db, device: Device, changes: Change[]): Promise<{ users: CarriedUser[]; references: Change[] }> {
  const userIds = new Set<string>();
  const refs = new Map<string, Set<string>>();
  for (const c of changes) {
    const t = c.row ? syncTable(c.table) : undefined;
    if (!t || !c.row) continue;
    for (const col of t.userColumns ?? []) if (typeof c.row[col] === 'string') userIds.add(c.row[col]);
    for (const r of t.refColumns ?? []) {
      const v = c.row[r.column];
      if (typeof v !== 'string') continue;
      if (!refs.has(r.table)) refs.set(r.table, new Set());
      refs.get(r.table)!.add(JSON.stringify([v]));
    }
  }
  const users: CarriedUser[] = [];
  if (userIds.size > 0) {
    const keys = [...userIds].map((id) => JSON.stringify([id]));
    // Accounts pushed by another office's devices, then accounts the centre publishes for another office.
    const pushed = await sql<{ id: string; username: string; display_name: string; roles: string[] | null }>`
      SELECT r.key_json->>'id' AS id, r.row->>'username' AS username, r.row->>'display_name' AS display_name,
        (SELECT array_agg(ur.row->>'role' ORDER BY ur.row->>'role') FROM records ur
          WHERE ur.table_name = 'user_roles' AND NOT ur.deleted AND ur.row->>'user_id' = r.key_json->>'id') AS roles
      FROM records r
      WHERE r.table_name = 'users' AND NOT r.deleted AND r.key IN (${sql.join(keys)})
        AND NOT EXISTS (SELECT 1 FROM record_offices o WHERE o.table_name = 'users' AND o.key = r.key AND o.office_id = ${device.officeId}::uuid)`.execute(
      db,
    );
    const seen = new Set<string>();
    for (const u of pushed.rows) {
      seen.add(u.id);
      users.push({ id: u.id, username: u.username, displayName: u.display_name, roles: u.roles ?? [] });
    }
    const published = await sql<{ user_id: string; username: string; display_name: string; roles: string[] }>`
      SELECT user_id, username, display_name, roles FROM central_accounts
      WHERE user_id IN (${sql.join([...userIds])}) AND office_id <> ${device.officeId}::uuid`.execute(db);
    for (const u of published.rows)
      if (!seen.has(u.user_id)) users.push({ id: u.user_id, username: u.username, displayName: u.display_name, roles: u.roles });
  }
  const references: Change[] = [];
  for (const [table, keys] of refs) {
    const r = await sql<{ key_json: Change['key']; version: number; row: JsonRow }>`
      SELECT r.key_json, r.version, r.row FROM records r
      WHERE r.table_name = ${table} AND NOT r.deleted AND r.key IN (${sql.join([...keys])})
        AND NOT EXISTS (SELECT 1 FROM record_offices o WHERE o.table_name = r.table_name AND o.key = r.key AND o.office_id = ${device.officeId}::uuid)`.execute(
      db,
    );
    for (const x of r.rows) references.push({ table, key: x.key_json, version: x.version, deleted: false, row: x.row as Change['row'] });
  }
  return { users, references };
}
