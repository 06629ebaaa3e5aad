// Sign-in, lockout after repeated failures, and the idle lock. Session tokens are random and
// only their SHA-256 is stored, so a copied database file does not hand out live sessions.
// A name that matches no account gets the same answer after the same work as a wrong password
// (a password check against a dummy hash, failures counted and "locked" alike), so the sign-in
// screen does not tell who has an account.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './db-schema';
import { chinaInstant, type Clock } from './clock';
import { verifyPassword, type PasswordHasher } from './passwords';
import { getSettings } from './settings';
import { getUser } from './users';
import type { User } from '../../shared/api/methods/auth';
import type { Settings } from '../../shared/api/methods/admin';

type Db = Kysely<Database>;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type LoginResult =
  { ok: true; token: string; user: User } | { ok: false; message: string; userId: string | null; lockedNow: boolean; disabled: boolean };

const BAD_CREDENTIALS = '用户名或密码不正确，请重新输入';

function badCredentials(s: Settings): string {
  return `${BAD_CREDENTIALS}（连续输错 ${s.maxLoginFailures} 次将锁定 ${s.lockoutMinutes} 分钟）`;
}

const lockedUntilMessage = (until: string) => `连续输错密码次数过多，账号已锁定至 ${until.slice(11, 16)}，请稍后再试或联系管理员`;
const lockedNowMessage = (s: Settings) => `连续 ${s.maxLoginFailures} 次输错密码，账号已锁定 ${s.lockoutMinutes} 分钟`;

/**
 * What sign-in needs beyond the store: the dummy hash an unknown name is checked against, and the
 * failures of names that match no account (kept in memory only: such names may be mistyped
 * passwords and are never written anywhere).
 */
export class SignInGuard {
  private dummy: Promise<{ hash: string; salt: string }> | null = null;
  private unknown = new Map<string, { failures: number; lockedUntil: number }>();

  constructor(private hasher: PasswordHasher) {}

  /** A hash at the cost new passwords get, so checking it takes as long as checking a real one. */
  dummyHash(): Promise<{ hash: string; salt: string }> {
    return (this.dummy ??= this.hasher.hash(randomBytes(16).toString('hex')));
  }

  /** Mirrors checkPassword's counting for a name without an account. */
  unknownFailure(name: string, now: Date, s: Settings): { message: string; lockedNow: boolean; disabled: false } {
    const e = this.unknown.get(name) ?? { failures: 0, lockedUntil: 0 };
    if (e.lockedUntil > now.getTime())
      return { message: lockedUntilMessage(chinaInstant(new Date(e.lockedUntil))), lockedNow: false, disabled: false };
    e.failures++;
    const lock = e.failures >= s.maxLoginFailures;
    if (lock) Object.assign(e, { failures: 0, lockedUntil: now.getTime() + s.lockoutMinutes * 60_000 });
    this.unknown.delete(name);
    this.unknown.set(name, e);
    // Bounded: the oldest names are forgotten first.
    while (this.unknown.size > 1000) this.unknown.delete(this.unknown.keys().next().value as string);
    return { message: lock ? lockedNowMessage(s) : badCredentials(s), lockedNow: lock, disabled: false };
  }
}

export type PasswordCheck = { ok: true } | { ok: false; message: string; lockedNow: boolean; disabled: boolean };

/**
 * Checks a password against an account, counting failures towards the lockout. Used both for
 * sign-in and for unlocking an idle-locked session, so neither is a way around the other. The
 * password is always checked first, so a locked or disabled account answers after the same work,
 * and "disabled" is said only to someone who knows the password.
 */
export async function checkPassword(db: Db, clock: Clock, userId: string, password: string): Promise<PasswordCheck> {
  const settings = await getSettings(db);
  const row = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  const matches = await verifyPassword(password, { hash: row.password_hash, salt: row.password_salt });
  const now = clock.now();
  if (row.locked_until && new Date(row.locked_until) > now) {
    return { ok: false, message: lockedUntilMessage(row.locked_until), lockedNow: false, disabled: false };
  }
  if (matches) {
    if (row.active !== 1) return { ok: false, message: '该账号已停用，请联系管理员', lockedNow: false, disabled: true };
    await db.updateTable('users').set({ failed_attempts: 0, locked_until: null }).where('id', '=', row.id).execute();
    return { ok: true };
  }
  const failures = row.failed_attempts + 1;
  const lock = failures >= settings.maxLoginFailures;
  await db
    .updateTable('users')
    .set({
      failed_attempts: lock ? 0 : failures,
      locked_until: lock ? chinaInstant(new Date(now.getTime() + settings.lockoutMinutes * 60_000)) : null,
    })
    .where('id', '=', row.id)
    .execute();
  return { ok: false, message: lock ? lockedNowMessage(settings) : badCredentials(settings), lockedNow: lock, disabled: false };
}

export async function login(db: Db, clock: Clock, guard: SignInGuard, username: string, password: string): Promise<LoginResult> {
  const name = username.trim().toLowerCase();
  const row = await db.selectFrom('users').select('id').where('username', '=', name).executeTakeFirst();
  if (!row) {
    await verifyPassword(password, await guard.dummyHash());
    return { ok: false, userId: null, ...guard.unknownFailure(name, clock.now(), await getSettings(db)) };
  }
  const checked = await checkPassword(db, clock, row.id, password);
  if (!checked.ok) return { ...checked, userId: row.id };
  const token = randomBytes(32).toString('base64url');
  const at = chinaInstant(clock.now());
  await db
    .insertInto('sessions')
    .values({ token_hash: hashToken(token), user_id: row.id, created_at: at, last_seen_at: at, locked: 0, ended_at: null })
    .execute();
  return { ok: true, token, user: await getUser(db, row.id) };
}

export interface ActiveSession {
  tokenHash: string;
  user: User;
  locked: boolean;
}

/**
 * Finds the live session for a token. A session idle for longer than the setting becomes
 * locked here, on the server, so the idle lock holds even if the window's timer is bypassed.
 */
export async function resolveSession(db: Db, clock: Clock, token: string): Promise<ActiveSession | null> {
  const tokenHash = hashToken(token);
  const row = await db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const user = await getUser(db, row.user_id);
  if (!user.active) return null;
  let locked = row.locked === 1;
  if (!locked) {
    const { idleLockMinutes } = await getSettings(db);
    if (clock.now().getTime() - new Date(row.last_seen_at).getTime() > idleLockMinutes * 60_000) {
      await db.updateTable('sessions').set({ locked: 1 }).where('token_hash', '=', tokenHash).execute();
      locked = true;
    }
  }
  return { tokenHash, user, locked };
}

/**
 * Activity keeps a session awake. The time is written at most every TOUCH_EVERY_SECONDS: an
 * idle lock counted in minutes does not need more, and a search typed letter by letter then
 * costs no disk write (and no fsync) per keystroke.
 */
export const TOUCH_EVERY_SECONDS = 15;

export async function touchSession(db: Db, clock: Clock, tokenHash: string): Promise<void> {
  const now = clock.now();
  await db
    .updateTable('sessions')
    .set({ last_seen_at: chinaInstant(now) })
    .where('token_hash', '=', tokenHash)
    .where('last_seen_at', '<', chinaInstant(new Date(now.getTime() - TOUCH_EVERY_SECONDS * 1000)))
    .execute();
}

export async function setSessionLocked(db: Db, clock: Clock, tokenHash: string, locked: boolean): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ locked: locked ? 1 : 0, last_seen_at: chinaInstant(clock.now()) })
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function endSession(db: Db, clock: Clock, tokenHash: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ ended_at: chinaInstant(clock.now()) })
    .where('token_hash', '=', tokenHash)
    .execute();
}
