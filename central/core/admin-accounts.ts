// Centre administrators and their sign-in (issue #13; docs/central.md "Publishing over HTTP"). It
// owns the centre_admins accounts (made on the owner-only admin socket or command line, never over
// the network), the sign-in check (scrypt verifiers; the same answer and about the same work for an
// unknown user name as for a wrong password; 5 failures in 15 minutes lock the name for 15
// minutes, counted in the database so every node sees them), short-lived session tokens (stored
// as their SHA-256) and the administration audit (centre_admin_audit: who, what, refused or not).
import { scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Clock } from './clock';
import { CentralError, invalid, isUniqueViolation } from './errors';
import { newId, randomToken, sha256Hex } from './crypto';
import { passwordVerifier } from './accounts';
import { passwordVerifierSchema } from '../../shared/reference/items';

export const ADMIN_ROLES = ['publisher', 'viewer'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];
export const ADMIN_ROLE_LABELS: Record<AdminRole, string> = { publisher: '参考数据发布员', viewer: '只读查看' };

/** The socket and the command line act as the centre's owner; their audit entries say so. */
export const SOCKET_ACTOR = '管理端口';

export const SESSION_MINUTES = 30;
export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MINUTES = 15;
export const LOCK_MINUTES = 15;

export const SIGN_IN_REFUSED = '用户名或口令不正确';

export interface Admin {
  id: string;
  username: string;
  displayName: string;
  role: AdminRole;
}

function scrypt(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, 32, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 }, (e, k) =>
      e ? reject(e) : resolve(k),
    ),
  );
}

async function verifies(password: string, hash: string, saltHex: string): Promise<boolean> {
  const [kind, n, r, p, hex] = hash.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !hex) return false;
  const key = await scrypt(password, Buffer.from(saltHex, 'hex'), Number(n), Number(r), Number(p));
  const want = Buffer.from(hex, 'hex');
  return want.length === key.length && timingSafeEqual(want, key);
}

// An unknown user name costs a scrypt like a known one, so timing does not tell them apart.
let dummy: Promise<{ hash: string; salt: string }> | null = null;

export async function audit(
  db: Db,
  clock: Clock,
  actor: string,
  action: string,
  ok: boolean,
  detail: Record<string, unknown>,
): Promise<void> {
  await db
    .insertInto('centre_admin_audit')
    .values({ at: clock.now().toISOString(), actor, action, ok, detail: JSON.stringify(detail) })
    .execute();
}

const USERNAME = /^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,40}$/;

/** `admin-add`: an administrator from a verifier (made where the password was typed; never sent). */
export async function addAdmin(
  db: Db,
  clock: Clock,
  input: { username: string; displayName?: string | undefined; role: string; verifier: unknown },
): Promise<Admin> {
  const username = input.username.trim();
  if (!USERNAME.test(username)) throw invalid('用户名应为 2 到 40 个字母、数字、汉字或 _ . -');
  if (!(ADMIN_ROLES as readonly string[]).includes(input.role))
    throw invalid(`角色应为 ${ADMIN_ROLES.map((r) => `${r}（${ADMIN_ROLE_LABELS[r]}）`).join(' 或 ')}`);
  const v = passwordVerifierSchema.safeParse(input.verifier);
  if (!v.success) throw invalid('口令校验值格式不正确');
  const displayName = (input.displayName ?? username).trim().slice(0, 40) || username;
  const a: Admin = { id: newId(), username, displayName, role: input.role as AdminRole };
  try {
    await db
      .insertInto('centre_admins')
      .values({
        id: a.id,
        username,
        display_name: displayName,
        role: a.role,
        verifier_hash: v.data.hash,
        verifier_salt: v.data.salt,
        created_at: clock.now().toISOString(),
      })
      .execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw new CentralError('INVALID_INPUT', 409, `已有管理员 ${username}`);
    throw e;
  }
  await audit(db, clock, SOCKET_ACTOR, 'admin-add', true, { username, role: a.role });
  return a;
}

/** `admin-disable`: the administrator can no longer sign in; their sessions end. */
export async function disableAdmin(db: Db, clock: Clock, username: string): Promise<{ username: string; active: false }> {
  const r = await db
    .updateTable('centre_admins')
    .set({ active: false })
    .where('username', '=', username.trim())
    .returning('id')
    .executeTakeFirst();
  if (!r) throw new CentralError('NOT_FOUND', 404, `没有管理员 ${username}`);
  await db.deleteFrom('centre_admin_sessions').where('admin_id', '=', r.id).execute();
  await audit(db, clock, SOCKET_ACTOR, 'admin-disable', true, { username: username.trim() });
  return { username: username.trim(), active: false };
}

const minutes = (d: Date, m: number): Date => new Date(d.getTime() + m * 60_000);

/**
 * Signs in: a session token on success. Refusals are one answer (`SIGN_IN_REFUSED`) whether the
 * name exists, is inactive or the password is wrong; a locked name is refused before any check.
 */
export async function signInAdmin(
  db: Db,
  clock: Clock,
  username: string,
  password: string,
): Promise<{ token: string; expiresAt: string; admin: Admin }> {
  const name = username.trim().slice(0, 40);
  const now = clock.now();
  const f = await db.selectFrom('centre_admin_failures').selectAll().where('username', '=', name).executeTakeFirst();
  if (f?.locked_until && new Date(f.locked_until) > now) {
    await audit(db, clock, name, 'sign-in', false, { reason: 'locked' });
    throw new CentralError('RATE_LIMITED', 429, `尝试次数过多，请 ${LOCK_MINUTES} 分钟后再试`);
  }
  const a = await db.selectFrom('centre_admins').selectAll().where('username', '=', name).executeTakeFirst();
  let ok: boolean;
  if (a && a.active) ok = await verifies(password, a.verifier_hash, a.verifier_salt);
  else {
    dummy ??= passwordVerifier('未知用户的占位口令');
    const d = await dummy;
    await verifies(password, d.hash, d.salt);
    ok = false;
  }
  if (!ok) {
    const fresh = !f || minutes(new Date(f.window_start), FAILURE_WINDOW_MINUTES) <= now;
    const failures = fresh ? 1 : f.failures + 1;
    const row = {
      failures: failures >= MAX_FAILURES ? 0 : failures,
      window_start: (fresh ? now : new Date(f.window_start)).toISOString(),
      locked_until: failures >= MAX_FAILURES ? minutes(now, LOCK_MINUTES).toISOString() : null,
    };
    await db
      .insertInto('centre_admin_failures')
      .values({ username: name, ...row })
      .onConflict((oc) => oc.column('username').doUpdateSet(row))
      .execute();
    await audit(db, clock, name, 'sign-in', false, { reason: 'refused' });
    throw new CentralError('UNAUTHENTICATED', 401, SIGN_IN_REFUSED);
  }
  await db.deleteFrom('centre_admin_failures').where('username', '=', name).execute();
  await db
    .deleteFrom('centre_admin_sessions')
    .where(sql<boolean>`expires_at < ${now.toISOString()}`)
    .execute();
  const token = randomToken(32);
  const expiresAt = minutes(now, SESSION_MINUTES).toISOString();
  await db
    .insertInto('centre_admin_sessions')
    .values({ token_hash: sha256Hex(token), admin_id: a!.id, created_at: now.toISOString(), expires_at: expiresAt })
    .execute();
  await audit(db, clock, name, 'sign-in', true, {});
  return { token, expiresAt, admin: { id: a!.id, username: a!.username, displayName: a!.display_name, role: a!.role } };
}

/** The administrator a bearer token names, or a refusal (missing, unknown, expired, deactivated). */
export async function sessionAdmin(db: Db, clock: Clock, authorization: string | undefined): Promise<Admin> {
  const m = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(authorization ?? '');
  if (!m) throw new CentralError('UNAUTHENTICATED', 401, '请先以中心管理员身份登录');
  const r = await sql<{ id: string; username: string; display_name: string; role: AdminRole }>`
    SELECT a.id, a.username, a.display_name, a.role FROM centre_admin_sessions s JOIN centre_admins a ON a.id = s.admin_id
    WHERE s.token_hash = ${sha256Hex(m[1]!)} AND s.expires_at > ${clock.now().toISOString()} AND a.active`.execute(db);
  const a = r.rows[0];
  if (!a) throw new CentralError('UNAUTHENTICATED', 401, '登录已过期或无效，请重新登录');
  return { id: a.id, username: a.username, displayName: a.display_name, role: a.role };
}

export async function signOutAdmin(db: Db, authorization: string | undefined): Promise<void> {
  const m = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(authorization ?? '');
  if (m) await db.deleteFrom('centre_admin_sessions').where('token_hash', '=', sha256Hex(m[1]!)).execute();
}

export function requirePublisher(a: Admin): void {
  if (a.role !== 'publisher')
    throw new CentralError('FORBIDDEN', 403, `「${ADMIN_ROLE_LABELS[a.role]}」不能发布参考数据，需要参考数据发布员`);
}
