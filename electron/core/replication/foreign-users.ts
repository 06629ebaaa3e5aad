// People another device's records name. A file carries who they are and what they may do —
// {id, username, displayName, roles}, never password material or sign-in sessions — and an
// import (or a pull page: docs/sync-protocol.md §6) creates each unknown one as an account that cannot sign in (createSignInlessUser), so
// references hold and names show. A person already here (same id) is never changed.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import type { Clock } from '../clock';
import { ROLES, type Role } from '../../../shared/roles';
import { createSignInlessUser } from '../users';
import { carriedUserSchema, type CarriedUser } from '../../../shared/sync/protocol';

type Db = Kysely<Database>;

// One shape for the hearing package and the pull reply (the protocol's).
export { carriedUserSchema, type CarriedUser };

export async function carriedUsers(db: Db, ids: Iterable<string>): Promise<CarriedUser[]> {
  const all = [...new Set(ids)].sort();
  const out: CarriedUser[] = [];
  for (let i = 0; i < all.length; i += 500) {
    const part = all.slice(i, i + 500);
    const rows = await db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', part).orderBy('id').execute();
    const roles = await db.selectFrom('user_roles').select(['user_id', 'role']).where('user_id', 'in', part).orderBy('role').execute();
    for (const u of rows)
      out.push({
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        roles: roles.filter((r) => r.user_id === u.id).map((r) => r.role),
      });
  }
  return out;
}

/** Creates the unknown ones as accounts that cannot sign in; a username taken here gets the id's last digits. */
export async function importCarriedUsers(
  db: Db,
  clock: Clock,
  users: CarriedUser[],
  refuse: (message: string) => never,
): Promise<{ added: number; existing: number }> {
  const out = { added: 0, existing: 0 };
  for (const u of users) {
    if (await db.selectFrom('users').select('id').where('id', '=', u.id).executeTakeFirst()) {
      out.existing++;
      continue;
    }
    const digits = u.id.replace(/-/g, '');
    let username = u.username;
    for (let n = 6; await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst(); n += 4) {
      if (n > digits.length) refuse(`人员账号“${u.username}”无法在本机建立（用户名已被占用），未导入任何数据。请联系管理员`);
      username = `${u.username.slice(0, 24)}.${digits.slice(-n)}`;
    }
    const roles = u.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
    await createSignInlessUser(db, clock, { id: u.id, username, displayName: u.displayName, roles });
    out.added++;
  }
  return out;
}
