// Who holds each case, on the device (issue #13; docs/sync-protocol.md §11). Each sync pass
// replaces case_custody with the centre's list for this office. A call that would change rows of
// a case held by another office is refused here, in its own transaction, before anything is sent
// (the commit hook calls refuseForeignCases; the centre refuses the same at push). A case the
// centre has not listed — never synced, or this device not enrolled — is this device's to change.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { ApiError } from '../../../shared/api/errors';
import { syncTable } from '../../../shared/sync/tables';
import type { RowChange } from '../../../shared/sync/protocol';
import { holderFree, type HoldersReply } from '../../../shared/sync/holders';
import { officeShownName } from '../reference/offices';

type Db = Kysely<Database>;

export async function storeHolders(db: Db, clock: Clock, officeId: string, reply: HoldersReply): Promise<void> {
  if (!db.isTransaction) return db.transaction().execute((trx) => storeHolders(trx, clock, officeId, reply));
  const now = chinaInstant(clock.now());
  await db.deleteFrom('case_custody').execute();
  for (let i = 0; i < reply.holders.length; i += 200)
    await db
      .insertInto('case_custody')
      .values(
        reply.holders.slice(i, i + 200).map((h) => ({
          case_id: h.caseId,
          office_id: h.officeId,
          office_name: h.officeName,
          held_here: h.officeId === officeId ? 1 : 0,
          since: h.since,
          fetched_at: now,
        })),
      )
      .execute();
}

/** The holder as the case page shows it; null when the centre has not said (not enrolled, not synced yet). */
export async function caseHolder(db: Db, caseId: string): Promise<{ office: string; here: boolean; since: string } | null> {
  const h = await db.selectFrom('case_custody').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  // The name people read is the offices list's (issue #13), never a code the centre was given.
  return h ? { office: (await officeShownName(db))(h.office_name), here: h.held_here === 1, since: h.since } : null;
}

function caseOf(c: RowChange): string | null {
  const t = syncTable(c.table);
  if (!t) return null;
  // A merge record travels with the kept case but is written by the closed case's holder.
  if (t.custodyColumn) {
    const v = c.row?.[t.custodyColumn];
    return typeof v === 'string' ? v : null;
  }
  if (t.link.kind === 'self') {
    const id = c.key[t.key[0]!];
    return typeof id === 'string' ? id : null;
  }
  if (t.link.kind === 'column') {
    const v = c.row?.[t.link.column];
    return typeof v === 'string' ? v : null;
  }
  return null;
}

/** Called by the commit hook with the call's row changes: refuses the call if any belongs to a case held elsewhere. */
export async function refuseForeignCases(db: Db, changes: readonly RowChange[]): Promise<void> {
  const ids = [
    ...new Set(
      changes
        .filter((c) => !holderFree(c))
        .map(caseOf)
        .filter((x): x is string => x !== null),
    ),
  ];
  if (ids.length === 0) return;
  const other = await db
    .selectFrom('case_custody')
    .select(['office_name'])
    .where('case_id', 'in', ids)
    .where('held_here', '=', 0)
    .executeTakeFirst();
  if (other) {
    const office = (await officeShownName(db))(other.office_name);
    throw new ApiError(
      'RULE_REFUSED',
      `这件案件现由「${office}」办理，本机不能修改。如需变更，请联系「${office}」，或请中心把案件移交本机构`,
    );
  }
}
