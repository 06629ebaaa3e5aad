// The expert pool and the random draw of a case's panel. Eligible: available experts of the
// 门类 the injuries need, minus anyone with a conflict for this case — recorded recusals, ties
// to the responsible platform, or working at a hospital that treated the worker. The seed,
// the candidates, who was excluded and why, and the panel are stored; re-running the draw from
// them must give the same panel (shared/appraisal/draw.ts).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import { drawPanel } from '../../../shared/appraisal/draw';
import type { Expert } from '../../../shared/api/methods/appraisal';
import { loadCaseRow } from '../cases/case-file';

type Db = Kysely<Database>;

export async function listExperts(db: Db): Promise<(Expert & { id: string; userId: string | null })[]> {
  const rows = await db.selectFrom('experts').selectAll().orderBy('name').execute();
  const links = new Map(
    (await db.selectFrom('expert_accounts').select(['expert_id', 'user_id']).execute()).map((l) => [l.expert_id, l.user_id]),
  );
  return rows.map((r) => ({
    userId: links.get(r.id) ?? null,
    id: r.id,
    name: r.name,
    organisation: r.organisation,
    categories: JSON.parse(r.categories) as Expert['categories'],
    departments: JSON.parse(r.departments) as string[],
    available: r.available === 1,
    platformTies: JSON.parse(r.platform_ties) as string[],
  }));
}

export async function saveExpert(db: Db, clock: Clock, e: Expert): Promise<string> {
  const id = e.id ?? newId();
  const values = {
    id,
    name: e.name,
    organisation: e.organisation,
    categories: JSON.stringify(e.categories),
    departments: JSON.stringify(e.departments),
    available: e.available ? (1 as const) : (0 as const),
    platform_ties: JSON.stringify(e.platformTies),
    updated_at: chinaInstant(clock.now()),
  };
  if (e.id) {
    const r = await db.updateTable('experts').set(values).where('id', '=', e.id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new ApiError('NOT_FOUND', '专家不存在，请刷新后重试');
  } else {
    await db.insertInto('experts').values(values).execute();
  }
  if (e.userId !== undefined) await linkExpertAccount(db, clock, id, e.userId);
  return id;
}

/** Links (or with null unlinks) the 鉴定专家 account that signs in as this expert. */
async function linkExpertAccount(db: Db, clock: Clock, expertId: string, userId: string | null): Promise<void> {
  await db.deleteFrom('expert_accounts').where('expert_id', '=', expertId).execute();
  if (userId === null) return;
  const isExpert = await db
    .selectFrom('user_roles')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('role', '=', 'appraisal_expert')
    .executeTakeFirst();
  if (!isExpert)
    throw new ApiError('INVALID_INPUT', '只能关联具有“鉴定专家”角色的账号，请先在“用户与角色”中授予该角色', [
      { path: 'userId', message: '该账号不是鉴定专家' },
    ]);
  const taken = await db
    .selectFrom('expert_accounts')
    .innerJoin('experts', 'experts.id', 'expert_accounts.expert_id')
    .select('experts.name')
    .where('expert_accounts.user_id', '=', userId)
    .executeTakeFirst();
  if (taken)
    throw new ApiError('CONFLICT', `该账号已关联专家“${taken.name}”，一个账号只能关联一名专家`, [
      { path: 'userId', message: '该账号已关联其他专家' },
    ]);
  await db
    .insertInto('expert_accounts')
    .values({ expert_id: expertId, user_id: userId, linked_at: chinaInstant(clock.now()) })
    .execute();
}

const READY = ['confirmed', 'in_treatment', 'awaiting_appraisal'];

export async function drawForCase(
  db: Db,
  clock: Clock,
  userId: string,
  input: { caseId: string; size: 3 | 5; categories: string[] },
  seed = randomBytes(16).toString('hex'),
) {
  const c = await loadCaseRow(db, input.caseId);
  if (!READY.includes(c.status)) throw new ApiError('RULE_REFUSED', '只有已确认为职业伤害、待鉴定的案件才能抽取鉴定专家');
  const experts = await listExperts(db);
  const recused = new Map(
    (await db.selectFrom('case_recusals').select(['expert_id', 'reason']).where('case_id', '=', c.id).execute()).map((r) => [
      r.expert_id,
      r.reason,
    ]),
  );
  const hospitals = new Set(
    (await db.selectFrom('medical_bills').select('hospital').where('case_id', '=', c.id).execute()).map((b) => b.hospital),
  );
  const excluded: { id: string; name: string; reason: string }[] = [];
  const candidates: { id: string; name: string }[] = [];
  for (const e of experts) {
    if (!e.available || !e.categories.some((k) => input.categories.includes(k))) continue;
    const reason = recused.has(e.id)
      ? `登记回避：${recused.get(e.id)}`
      : c.responsible_platform && e.platformTies.includes(c.responsible_platform)
        ? '与责任平台有利害关系'
        : hospitals.has(e.organisation)
          ? `任职于为其治疗的医院（${e.organisation}）`
          : null;
    if (reason) excluded.push({ id: e.id, name: e.name, reason });
    else candidates.push({ id: e.id, name: e.name });
  }
  let panel: { id: string; name: string }[];
  try {
    panel = drawPanel(candidates, input.size, seed);
  } catch (err) {
    throw new ApiError(
      'RULE_REFUSED',
      `${err instanceof Error ? err.message : String(err)}（已回避 ${excluded.length} 人），请扩充专家库或调整门类`,
    );
  }
  const id = newId();
  const drawnAt = chinaInstant(clock.now());
  await db
    .insertInto('panel_draws')
    .values({
      id,
      case_id: c.id,
      size: input.size,
      categories: JSON.stringify(input.categories),
      seed,
      candidates: JSON.stringify(candidates),
      excluded: JSON.stringify(excluded),
      result: JSON.stringify(panel),
      drawn_by: userId,
      drawn_at: drawnAt,
    })
    .execute();
  return { id, caseId: c.id, size: input.size, categories: input.categories, seed, candidates, excluded, panel, drawnBy: userId, drawnAt };
}

export async function drawsForCase(db: Db, caseId: string) {
  const rows = await db.selectFrom('panel_draws').selectAll().where('case_id', '=', caseId).orderBy('drawn_at').execute();
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    size: r.size,
    categories: JSON.parse(r.categories) as string[],
    seed: r.seed,
    candidates: JSON.parse(r.candidates) as { id: string; name: string }[],
    excluded: JSON.parse(r.excluded) as { id: string; name: string; reason: string }[],
    panel: JSON.parse(r.result) as { id: string; name: string }[],
    drawnBy: r.drawn_by,
    drawnAt: r.drawn_at,
  }));
}

/** Re-runs a stored draw from its seed and candidates and says whether the panel matches. */
export async function checkDraw(db: Db, drawId: string) {
  const row = await db.selectFrom('panel_draws').selectAll().where('id', '=', drawId).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', '抽取记录不存在');
  const panel = drawPanel(JSON.parse(row.candidates) as { id: string; name: string }[], row.size, row.seed);
  return { reproduced: JSON.stringify(panel) === row.result, panel };
}
