// Who holds a case at the centre (issue #13; docs/central.md, docs/sync-protocol.md §11). A case
// has one holder office at a time (case_custody, migration 0022): first the office of the device
// that first pushed it, then wherever an administrator hands it over (hall → committee →
// benefits office), each move on record. Only the holder's devices may change the case's rows:
// push refuses the others' changes (hook in push.ts). Handing over also makes the new office a
// viewer (links.ts addHolder), so its devices receive the whole case at their next pull.
import { sql } from 'kysely';
import { caseHolderSchema, holderFree, NOT_HOLDER, type HoldersReply } from '../../shared/sync/holders';
import { syncTable } from '../../shared/sync/tables';
import type { Mutation } from '../../shared/sync/protocol';
import type { Db } from '../db/database';
import type { Device } from './auth';
import { instantOf, type Clock } from './clock';
import { CentralError, invalid } from './errors';
import { addHolder, caseIdOf } from './links';
import { ensureOffice, shownOfficeNames } from './offices';
import type { Refusal } from './roles';

export async function handOver(
  db: Db,
  clock: Clock,
  caseId: string,
  office: string,
): Promise<{ caseId: string; from: string | null; to: string }> {
  const id = caseId.trim();
  if (!id) throw invalid('请用 --case 指定案件编号');
  const o = await ensureOffice(db, clock, office);
  const at = clock.now().toISOString();
  return db.transaction().execute(async (trx) => {
    const known = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM records WHERE table_name = 'cases' AND case_id = ${id} AND NOT deleted`.execute(trx);
    if (known.rows[0]!.n === 0) throw new CentralError('NOT_FOUND', 404, `中心没有案件 ${id}`);
    const cur = await sql<{ office_id: string; name: string }>`
      SELECT c.office_id, o.name FROM case_custody c JOIN offices o ON o.id = c.office_id WHERE c.case_id = ${id} FOR UPDATE`.execute(trx);
    const from = cur.rows[0] ?? null;
    if (from?.office_id === o.id) return { caseId: id, from: from.name, to: o.name };
    await sql`
      INSERT INTO case_custody (case_id, office_id, since) VALUES (${id}, ${o.id}, ${at})
      ON CONFLICT (case_id) DO UPDATE SET office_id = EXCLUDED.office_id, since = EXCLUDED.since`.execute(trx);
    await sql`INSERT INTO case_custody_moves (case_id, from_office, to_office, at) VALUES (${id}, ${from?.office_id ?? null}, ${o.id}, ${at})`.execute(
      trx,
    );
    await addHolder(trx, id, o.id, at);
    return { caseId: id, from: from?.name ?? null, to: o.name };
  });
}

/** The holder of every case the device's office sees. */
export async function listHolders(db: Db, device: Device): Promise<HoldersReply> {
  const shown = await shownOfficeNames(db);
  const r = await sql<{ case_id: string; office_id: string; name: string; code: string | null; since: Date | string }>`
    SELECT c.case_id, c.office_id, o.name, o.code, c.since FROM case_custody c JOIN offices o ON o.id = c.office_id
    WHERE c.case_id IN (SELECT case_id FROM case_holders WHERE office_id = ${device.officeId}::uuid)
    ORDER BY c.case_id`.execute(db);
  return {
    ok: true,
    holders: r.rows.map((h) =>
      caseHolderSchema.parse({ caseId: h.case_id, officeId: h.office_id, officeName: shown(h), since: instantOf(h.since) }),
    ),
  };
}

/**
 * The push check (hook in push.ts): a mutation that changes rows of a case another office holds
 * is refused whole. A case not yet on record has no holder: its first pusher becomes it. A new
 * note or request to the holder (holderFree) is the exception — from an office that sees the case.
 */
function caseIdsOf(m: Mutation, free: boolean): Set<string> {
  const ids = new Set<string>();
  for (const r of m.rows) {
    if (holderFree(r) !== free) continue;
    const t = syncTable(r.table);
    // A merge record goes to the kept case's holders but is the closed case's holder's to write.
    const custody = t?.custodyColumn ? r.row?.[t.custodyColumn] : undefined;
    const id = t?.custodyColumn ? (typeof custody === 'string' ? custody : null) : t ? caseIdOf(t, r.key, r.row) : null;
    if (id) ids.add(id);
  }
  return ids;
}

export interface BatchCustody {
  /** Cases the batch changes that another office holds, with the holder's name. */
  elsewhere: Map<string, string>;
  /** Cases the batch leaves a note or request on that this office does not see. */
  unseen: Set<string>;
}

/**
 * The custody facts of a push batch, read once for the batch (not once per mutation). Custody
 * only moves by an administrator's hand-over, and the cases this batch creates become this
 * office's: what is read at the batch's start holds for all of it.
 */
export async function custodyElsewhere(trx: Db, device: Device, batch: readonly Mutation[]): Promise<BatchCustody> {
  const out: BatchCustody = { elsewhere: new Map(), unseen: new Set() };
  const ids = new Set<string>();
  const free = new Set<string>();
  for (const m of batch) {
    for (const id of caseIdsOf(m, false)) ids.add(id);
    for (const id of caseIdsOf(m, true)) free.add(id);
  }
  if (ids.size > 0) {
    const r = await sql<{ case_id: string; name: string }>`
      SELECT c.case_id, o.name FROM case_custody c JOIN offices o ON o.id = c.office_id
      WHERE c.case_id IN (${sql.join([...ids])}) AND c.office_id <> ${device.officeId}::uuid`.execute(trx);
    for (const x of r.rows) out.elsewhere.set(x.case_id, x.name);
  }
  if (free.size > 0) {
    const r = await sql<{ case_id: string }>`
      SELECT c.case_id FROM case_custody c
      WHERE c.case_id IN (${sql.join([...free])})
        AND NOT EXISTS (SELECT 1 FROM case_holders h WHERE h.case_id = c.case_id AND h.office_id = ${device.officeId}::uuid)`.execute(trx);
    for (const x of r.rows) out.unseen.add(x.case_id);
  }
  return out;
}

/** Refuses a mutation that changes a case another office holds (NOT_HOLDER), else null. */
export function checkCustody(custody: BatchCustody, device: Device, m: Mutation): Refusal | null {
  if (custody.elsewhere.size > 0)
    for (const id of caseIdsOf(m, false)) {
      const holder = custody.elsewhere.get(id);
      if (holder === undefined) continue;
      return {
        code: NOT_HOLDER,
        message: `这件案件现由「${holder}」办理，本机所在的「${device.officeName}」不能修改；如需变更请联系办理机构，或由中心移交案件`,
      };
    }
  if (custody.unseen.size > 0)
    for (const id of caseIdsOf(m, true))
      if (custody.unseen.has(id))
        return { code: NOT_HOLDER, message: `「${device.officeName}」看不到这件案件，不能给它的办理机构留言或提出请求` };
  return null;
}
