// Failed sign-ins in the audit trail without flooding it: per account (and one subject for
// names that match no account, which are never recorded), the first failure of a window and
// every lockout get their own entry at once; the other failures are counted and summarised in
// one entry when the window ends (at the next sign-in attempt after it, or a successful one).
import type { Kysely } from 'kysely';
import type { Database } from './db-schema';
import { chinaInstant, type Clock } from './clock';
import type { AuditNote } from './rpc-types';

type Db = Kysely<Database>;

export const FAILURE_WINDOW_MINUTES = 15;
const UNKNOWN = '*';

function hhmm(iso: string): string {
  return iso.slice(11, 16);
}

function summary(
  row: { user_id: string | null; window_start: string; window_end: string; failures: number; audited: number },
  end: string,
) {
  const who = row.user_id ? '' : '（不存在的用户名）';
  return {
    entity: 'user',
    entityId: row.user_id,
    summary: `登录失败汇总${who}：${row.window_start.slice(0, 10)} ${hhmm(row.window_start)}–${hhmm(end)} 共 ${row.failures} 次（其中 ${row.audited} 次已单独记录）`,
  } satisfies AuditNote;
}

/** Ends every window whose time is up; returns the summaries still owed to the audit trail. */
export async function closeEndedWindows(db: Db, clock: Clock): Promise<AuditNote[]> {
  const now = chinaInstant(clock.now());
  const ended = await db.selectFrom('login_failures').selectAll().where('window_end', '<=', now).execute();
  if (ended.length === 0) return [];
  await db.deleteFrom('login_failures').where('window_end', '<=', now).execute();
  return ended.filter((r) => r.failures > r.audited).map((r) => summary(r, r.window_end));
}

/** Counts one failure; returns the entry to write now (first of a window, or a lockout) or null. */
export async function recordFailure(
  db: Db,
  clock: Clock,
  f: { userId: string | null; message: string; lockedNow: boolean },
): Promise<AuditNote | null> {
  const subject = f.userId ?? UNKNOWN;
  const now = clock.now();
  const row = await db.selectFrom('login_failures').selectAll().where('subject', '=', subject).executeTakeFirst();
  const note: AuditNote = {
    entity: 'user',
    entityId: f.userId,
    summary: `登录失败${f.userId ? '' : '（不存在的用户名）'}：${f.message}`,
  };
  if (!row) {
    await db
      .insertInto('login_failures')
      .values({
        subject,
        user_id: f.userId,
        window_start: chinaInstant(now),
        window_end: chinaInstant(new Date(now.getTime() + FAILURE_WINDOW_MINUTES * 60_000)),
        failures: 1,
        audited: 1,
      })
      .execute();
    return note;
  }
  const audited = f.lockedNow ? row.audited + 1 : row.audited;
  await db
    .updateTable('login_failures')
    .set({ failures: row.failures + 1, audited })
    .where('subject', '=', subject)
    .execute();
  return f.lockedNow ? note : null;
}

/** A successful sign-in ends the account's window early: its summary, if one is owed. */
export async function closeWindowOf(db: Db, clock: Clock, userId: string): Promise<AuditNote | null> {
  const row = await db.selectFrom('login_failures').selectAll().where('subject', '=', userId).executeTakeFirst();
  if (!row) return null;
  await db.deleteFrom('login_failures').where('subject', '=', userId).execute();
  return row.failures > row.audited ? summary(row, chinaInstant(clock.now())) : null;
}
