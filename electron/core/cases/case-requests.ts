// Notes and requests to the office holding a case (issue #13; shared/api/methods/case-requests.ts).
// Owns the case_requests rows: written by anyone who may see the case — also on a computer of an
// office that does not hold it (the commit hook and the centre let a new one through:
// HOLDER_FREE_TABLES) — and answered by the holder's staff (an update, so the holder rule applies
// as to any change of the case). The dispatcher audits and sends both.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { CASE_REQUEST_KIND_LABELS, type CaseRequestItem, type CaseRequestKind } from '../../../shared/api/methods/case-requests';
import { readSyncState } from '../sync/state';
import { getSettings } from '../settings';

type Db = Kysely<Database>;

/** How this computer's office signs a note: its name at the centre, else the agency set locally. */
async function officeName(db: Db): Promise<string> {
  const s = await readSyncState(db);
  if (s.enrolment?.officeName) return s.enrolment.officeName;
  const { agencyName } = await getSettings(db);
  return agencyName.trim() || '本机构';
}

export async function createRequest(
  db: Db,
  clock: Clock,
  userId: string,
  input: { caseId: string; kind: CaseRequestKind; body: string },
): Promise<{ id: string; summary: string }> {
  const id = newId();
  const fromOffice = await officeName(db);
  await db
    .insertInto('case_requests')
    .values({
      id,
      case_id: input.caseId,
      kind: input.kind,
      body: input.body,
      from_office: fromOffice,
      from_user: userId,
      created_at: chinaInstant(clock.now()),
      status: 'open',
      answer: null,
      answered_by: null,
      answered_at: null,
    })
    .execute();
  return { id, summary: `${fromOffice}：${CASE_REQUEST_KIND_LABELS[input.kind]}` };
}

/** The case a request is on (to check the person may see it before anything is written). */
export async function requestCaseId(db: Db, id: string): Promise<string> {
  const r = await db.selectFrom('case_requests').select('case_id').where('id', '=', id).executeTakeFirst();
  if (!r) throw new ApiError('NOT_FOUND', '没有这条留言或请求（可能尚未同步到本机）');
  return r.case_id;
}

export async function answerRequest(
  db: Db,
  clock: Clock,
  userId: string,
  id: string,
  answer: string,
): Promise<{ caseId: string; summary: string }> {
  const r = await db
    .selectFrom('case_requests')
    .select(['case_id', 'status', 'kind', 'from_office'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) throw new ApiError('NOT_FOUND', '没有这条留言或请求（可能尚未同步到本机）');
  if (r.status === 'answered') throw new ApiError('RULE_REFUSED', '这条留言或请求已经答复过了');
  const held = await db.selectFrom('case_custody').select(['held_here', 'office_name']).where('case_id', '=', r.case_id).executeTakeFirst();
  if (held && held.held_here === 0)
    throw new ApiError('RULE_REFUSED', `这件案件现由「${held.office_name}」办理，留言和请求由该机构答复，本机不能答复`);
  await db
    .updateTable('case_requests')
    .set({ status: 'answered', answer, answered_by: userId, answered_at: chinaInstant(clock.now()) })
    .where('id', '=', id)
    .execute();
  return { caseId: r.case_id, summary: `答复${r.from_office}的${CASE_REQUEST_KIND_LABELS[r.kind]}` };
}

/** A case's notes and requests (caseIds given), or the inbox: those on cases this office holds. */
export async function listRequests(
  db: Db,
  o: { caseId: string | null; show: 'open' | 'all'; visible: Set<string> | null },
): Promise<CaseRequestItem[]> {
  let q = db
    .selectFrom('case_requests as r')
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .innerJoin('workers as w', 'w.id', 'c.worker_id')
    .leftJoin('users as f', 'f.id', 'r.from_user')
    .leftJoin('users as a', 'a.id', 'r.answered_by')
    .leftJoin('case_custody as h', 'h.case_id', 'r.case_id')
    .select([
      'r.id',
      'r.case_id',
      'c.case_no',
      'c.registration_no',
      'w.name as worker_name',
      'r.kind',
      'r.body',
      'r.from_office',
      'f.display_name as from_name',
      'r.created_at',
      'r.status',
      'r.answer',
      'a.display_name as answered_name',
      'r.answered_at',
      'h.held_here',
    ])
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id');
  if (o.caseId) q = q.where('r.case_id', '=', o.caseId);
  else q = q.where((eb) => eb.or([eb('h.held_here', 'is', null), eb('h.held_here', '=', 1)]));
  if (o.show === 'open') q = q.where('r.status', '=', 'open');
  const rows = (await q.limit(500).execute()).filter((r) => !o.visible || o.visible.has(r.case_id));
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    caseLabel: r.case_no ?? r.registration_no,
    workerName: r.worker_name,
    kind: r.kind,
    kindLabel: CASE_REQUEST_KIND_LABELS[r.kind],
    body: r.body,
    fromOffice: r.from_office,
    fromName: r.from_name ?? '—',
    createdAt: r.created_at,
    status: r.status,
    answer: r.answer,
    answeredByName: r.answered_name,
    answeredAt: r.answered_at,
    heldHere: r.held_here === null || r.held_here === 1,
  }));
}
