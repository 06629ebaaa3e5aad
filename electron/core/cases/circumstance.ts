// The 第十一条 circumstance of a claim after registration: the clerk or the confirmation officer
// completes or corrects it as the investigation finds (a 事故责任认定书 arrives, the trip turns out
// to be a commute home). The responsible platform and the materials checklist follow it.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { ApiError } from '../../../shared/api/errors';
import type { Assessment } from '../../../shared/api/methods/cases';
import { circumstanceMaterials, responsiblePlatform, type Circumstance } from '../../../shared/rules';
import { loadCaseRow } from './case-file';
import { packFor, type RuleData } from './rule-data';

type Db = Kysely<Database>;

const EDITABLE = ['registered', 'awaiting_supplement', 'accepted'];

export async function setCircumstance(
  db: Db,
  clock: Clock,
  rules: RuleData,
  input: { caseId: string; expectedVersion: number; circumstance: Circumstance },
): Promise<{ version: number; label: string }> {
  const c = await loadCaseRow(db, input.caseId);
  if (c.version !== input.expectedVersion) throw new ApiError('CONFLICT', '案件已被他人更新，请刷新后再办理');
  if (!EDITABLE.includes(c.status)) throw new ApiError('RULE_REFUSED', '已作出确认结论的案件不能再更改第十一条情形');
  const ci = input.circumstance;
  const platforms = await db.selectFrom('platforms').select(['code', 'name']).execute();
  const names = new Map(platforms.map((p) => [p.code, p.name]));
  if (ci.item === 'commute' && ci.managementPlatform && !names.has(ci.managementPlatform))
    throw new ApiError('INVALID_INPUT', `平台“${ci.managementPlatform}”不在平台名录中，请从列表中选择`, [
      { path: 'circumstance.managementPlatform', message: '平台不在名录中' },
    ]);
  const pack = packFor(rules, c.accident_date);
  const orders = (JSON.parse(c.orders) as { platform: string; orderNo: string; acceptedAt: string; finishedAt: string | null }[]).map(
    (o) => ({ ...o, platform: names.get(o.platform) ?? o.platform }),
  );
  const r = responsiblePlatform(pack, c.accident_at.slice(0, 16), orders, ci, (code) => names.get(code) ?? code);
  const code = r.platform === null ? null : ([...names].find(([, name]) => name === r.platform)?.[0] ?? null);
  const assessment = JSON.parse(c.assessment) as Assessment;
  assessment.responsiblePlatform = { platform: code, reason: `${r.reason}（${r.article}）` };
  await db
    .updateTable('cases')
    .set({
      circumstance: JSON.stringify(ci),
      responsible_platform: code,
      assessment: JSON.stringify(assessment),
      traffic_accident: ci.item === 'commute' ? 1 : c.traffic_accident,
      version: c.version + 1,
      updated_at: chinaInstant(clock.now()),
    })
    .where('id', '=', c.id)
    .where('version', '=', c.version)
    .execute();
  const have = new Set((await db.selectFrom('case_materials').select('code').where('case_id', '=', c.id).execute()).map((m) => m.code));
  for (const m of circumstanceMaterials(ci))
    if (!have.has(m.code))
      await db
        .insertInto('case_materials')
        .values({ case_id: c.id, code: m.code, label: m.label, required: 1, received: 0, note: '' })
        .execute();
  return { version: c.version + 1, label: pack.articles.injuryItems[ci.item] };
}
