// Applies the role × data rules of shared/cases/access.ts to the store: which cases a person
// may open (an 鉴定专家 only those of the hearings they sit on, through the account linked to
// their expert-pool record), and whether the full ID number and phone are shown. Handlers call
// these before returning anything about a case.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { ApiError } from '../../../shared/api/errors';
import type { User } from '../../../shared/api/methods/auth';
import { caseRights, ROLE_CASE_RIGHTS, seesAllCases, type CaseRights } from '../../../shared/cases/access';
import { maskIdNumber, maskPhone } from './masking';

type Db = Kysely<Database>;

/** The hearings whose panel (the latest draw of one of its cases) includes the user's expert record. */
export async function hearingsOfExpertUser(db: Db, userId: string): Promise<Set<string>> {
  const link = await db.selectFrom('expert_accounts').select('expert_id').where('user_id', '=', userId).executeTakeFirst();
  if (!link) return new Set();
  const rows = await db
    .selectFrom('hearing_cases')
    .innerJoin('panel_draws', 'panel_draws.case_id', 'hearing_cases.case_id')
    .select(['hearing_cases.hearing_id', 'hearing_cases.case_id', 'panel_draws.result', 'panel_draws.drawn_at', 'panel_draws.id'])
    .execute();
  // The panel of a case is its latest draw.
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const k = `${r.hearing_id}|${r.case_id}`;
    const seen = latest.get(k);
    if (!seen || r.drawn_at > seen.drawn_at || (r.drawn_at === seen.drawn_at && r.id > seen.id)) latest.set(k, r);
  }
  const out = new Set<string>();
  for (const r of latest.values()) {
    const panel = JSON.parse(r.result) as { id: string }[];
    if (panel.some((p) => p.id === link.expert_id)) out.add(r.hearing_id);
  }
  return out;
}

/** The cases of the hearings the user sits on as an expert. */
async function casesOfExpertHearings(db: Db, userId: string): Promise<Set<string>> {
  const hearings = [...(await hearingsOfExpertUser(db, userId))];
  if (hearings.length === 0) return new Set();
  const rows = await db.selectFrom('hearing_cases').select('case_id').where('hearing_id', 'in', hearings).execute();
  return new Set(rows.map((r) => r.case_id));
}

const hearingScoped = (user: User) => user.roles.some((r) => ROLE_CASE_RIGHTS[r]?.scope === 'hearings');

/** Null when the person sees every case; otherwise the ids of the cases they may open. */
export async function visibleCaseIds(db: Db, user: User | null): Promise<Set<string> | null> {
  // The local operator (CLI) already holds the whole store.
  if (!user || seesAllCases(user.roles)) return null;
  return casesOfExpertHearings(db, user.id);
}

export async function rightsOn(db: Db, user: User | null, caseId: string): Promise<CaseRights> {
  if (!user) return { visible: true, fullIdentity: true, attachments: true, payeeAccount: true };
  const onHearing = hearingScoped(user) ? (await casesOfExpertHearings(db, user.id)).has(caseId) : false;
  return caseRights(user.roles, onHearing);
}

export const NOT_YOUR_CASE = '您只能查看自己参加的鉴定专场中的案件；如需查看，请联系鉴定秘书';

/** Refuses a case the person may not open; returns their rights on it. */
export async function requireCase(db: Db, user: User | null, caseId: string): Promise<CaseRights> {
  const r = await rightsOn(db, user, caseId);
  if (!r.visible) throw new ApiError('FORBIDDEN', NOT_YOUR_CASE);
  return r;
}

/** Refuses a hearing the person neither organises nor sits on. */
export async function requireHearing(db: Db, user: User | null, hearingId: string): Promise<void> {
  if (!user || seesAllCases(user.roles)) return;
  if (!(await hearingsOfExpertUser(db, user.id)).has(hearingId))
    throw new ApiError('FORBIDDEN', '您只能查看自己参加的鉴定专场；如需查看，请联系鉴定秘书');
}

/** The identity as this person may see it. */
export function shownIdentity(rights: CaseRights, idNumber: string, phone: string): { idNumber: string; phone: string } {
  return rights.fullIdentity ? { idNumber, phone } : { idNumber: maskIdNumber(idNumber), phone: maskPhone(phone) };
}
