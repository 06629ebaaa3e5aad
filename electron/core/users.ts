// Named accounts and their roles. Passwords never leave this module unhashed.
import type { Kysely } from 'kysely';
import type { Database } from './db-schema';
import type { Clock } from './clock';
import { chinaInstant } from './clock';
import { newId } from './ids';
import type { PasswordHasher } from './passwords';
import { ApiError } from '../../shared/api/errors';
import type { User } from '../../shared/api/methods/auth';
import { ROLES, type Role } from '../../shared/roles';

type Db = Kysely<Database>;

export async function countUsers(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function rolesOf(db: Db, userId: string): Promise<Role[]> {
  const rows = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
  return rows.map((r) => r.role).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
}

export async function getUser(db: Db, userId: string): Promise<User> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', '用户不存在，请刷新列表后重试');
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: await rolesOf(db, row.id),
    active: row.active === 1,
    lockedUntil: row.locked_until,
    createdAt: row.created_at,
  };
}

export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.selectFrom('users').select('id').orderBy('username').execute();
  return Promise.all(rows.map((r) => getUser(db, r.id)));
}

export async function createUser(
  db: Db,
  clock: Clock,
  hasher: PasswordHasher,
  input: { username: string; displayName: string; password: string; roles: Role[] },
): Promise<string> {
  const taken = await db.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
  if (taken)
    throw new ApiError('CONFLICT', `用户名“${input.username}”已被使用，请换一个`, [{ path: 'username', message: '用户名已被使用' }]);
  const { hash, salt } = await hasher.hash(input.password);
  const id = newId();
  const now = chinaInstant(clock.now());
  await db
    .insertInto('users')
    .values({
      id,
      username: input.username,
      display_name: input.displayName,
      password_hash: hash,
      password_salt: salt,
      active: 1,
      failed_attempts: 0,
      locked_until: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await setRoles(db, id, input.roles);
  return id;
}

/**
 * Stored instead of a password hash for accounts that have no password: no password verifies
 * against it (verifyPassword accepts only scrypt hashes), so such an account cannot sign in.
 */
export const NO_PASSWORD = 'none';

/**
 * An account for a person known here only from another device's records (a session package):
 * it exists so that the records' references hold and the person's name shows. It has no
 * password and is disabled; an administrator who wants that person to work on this device
 * enables it and sets a password (users.update, users.resetPassword).
 */
export async function createSignInlessUser(
  db: Db,
  clock: Clock,
  u: { id: string; username: string; displayName: string; roles: Role[] },
): Promise<void> {
  const now = chinaInstant(clock.now());
  await db
    .insertInto('users')
    .values({
      id: u.id,
      username: u.username,
      display_name: u.displayName,
      password_hash: NO_PASSWORD,
      password_salt: '',
      active: 0,
      failed_attempts: 0,
      locked_until: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await setRoles(db, u.id, u.roles);
}

async function setRoles(db: Db, userId: string, roles: Role[]): Promise<void> {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  for (const role of new Set(roles)) await db.insertInto('user_roles').values({ user_id: userId, role }).execute();
}

async function activeAdminCount(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .where('user_roles.role', '=', 'admin')
    .where('users.active', '=', 1)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Accounts the centre publishes (reference/store.ts) are changed at the centre only: a local edit would be overwritten. */
async function refuseCentreAccount(db: Db, userId: string): Promise<void> {
  const managed = await db.selectFrom('centre_accounts').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  if (managed) throw new ApiError('RULE_REFUSED', '该账号由中心统一管理，角色、口令和启用状态请联系中心管理员修改');
}

export async function updateUser(
  db: Db,
  clock: Clock,
  input: { userId: string; displayName?: string | undefined; roles?: Role[] | undefined; active?: boolean | undefined },
): Promise<void> {
  const before = await getUser(db, input.userId);
  await refuseCentreAccount(db, input.userId);
  await db
    .updateTable('users')
    .set({
      display_name: input.displayName ?? before.displayName,
      active: input.active === undefined ? (before.active ? 1 : 0) : input.active ? 1 : 0,
      updated_at: chinaInstant(clock.now()),
    })
    .where('id', '=', input.userId)
    .execute();
  if (input.roles) await setRoles(db, input.userId, input.roles);
  if (input.active === false) await endSessionsOf(db, clock, input.userId);
  // Checked after the change, inside the transaction: the dispatcher rolls it back.
  if ((await activeAdminCount(db)) === 0) throw new ApiError('CONFLICT', '至少需要保留一名启用的管理员，请先为其他用户授予管理员角色');
}

export async function setPassword(db: Db, clock: Clock, hasher: PasswordHasher, userId: string, password: string): Promise<void> {
  await getUser(db, userId);
  await refuseCentreAccount(db, userId);
  const { hash, salt } = await hasher.hash(password);
  await db
    .updateTable('users')
    .set({ password_hash: hash, password_salt: salt, failed_attempts: 0, locked_until: null, updated_at: chinaInstant(clock.now()) })
    .where('id', '=', userId)
    .execute();
}

/** Ends the user's live sessions, except the one named (the caller's own); returns how many ended. */
export async function endSessionsOf(db: Db, clock: Clock, userId: string, exceptTokenHash: string | null = null): Promise<number> {
  let q = db
    .updateTable('sessions')
    .set({ ended_at: chinaInstant(clock.now()) })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null);
  if (exceptTokenHash) q = q.where('token_hash', '!=', exceptTokenHash);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
