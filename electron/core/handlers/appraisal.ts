// Handlers for the expert pool and panel draws.
import type { Handlers } from '../rpc-types';
import { requireUser } from '../rpc-types';
import { chinaInstant } from '../clock';
import { checkDraw, drawForCase, drawsForCase, listExperts, saveExpert } from '../appraisal/panel-draw';
import { loadCaseRow } from '../cases/case-file';
import { ApiError } from '../../../shared/api/errors';

type AppraisalHandlers = Pick<Handlers, 'experts.list' | 'experts.save' | 'appraisal.recuse' | 'appraisal.drawPanel' | 'appraisal.draws' | 'appraisal.checkDraw'>;

export const appraisalHandlers: AppraisalHandlers = {
  async 'experts.list'(_i, ctx) {
    return listExperts(ctx.db);
  },

  async 'experts.save'(input, ctx) {
    const id = await saveExpert(ctx.db, ctx.clock, input);
    ctx.note({ entity: 'expert', entityId: id, summary: `${input.id ? '修改' : '新增'}专家 ${input.name}（${input.organisation}）` });
    return { id };
  },

  async 'appraisal.recuse'(input, ctx) {
    const c = await loadCaseRow(ctx.db, input.caseId);
    const expert = await ctx.db.selectFrom('experts').select('name').where('id', '=', input.expertId).executeTakeFirst();
    if (!expert) throw new ApiError('NOT_FOUND', '专家不存在');
    await ctx.db
      .insertInto('case_recusals')
      .values({ case_id: c.id, expert_id: input.expertId, reason: input.reason, recorded_by: requireUser(ctx).id, recorded_at: chinaInstant(ctx.clock.now()) })
      .onConflict((oc) => oc.columns(['case_id', 'expert_id']).doUpdateSet({ reason: input.reason }))
      .execute();
    ctx.note({ entity: 'case', entityId: c.id, summary: `登记专家 ${expert.name} 回避：${input.reason}` });
    return { ok: true as const };
  },

  async 'appraisal.drawPanel'(input, ctx) {
    const r = await drawForCase(ctx.db, ctx.clock, requireUser(ctx).id, input);
    ctx.note({ entity: 'case', entityId: input.caseId, summary: `随机抽取 ${input.size} 名专家（种子 ${r.seed}，候选 ${r.candidates.length} 人，回避 ${r.excluded.length} 人）：${r.panel.map((p) => p.name).join('、')}` });
    return r;
  },

  async 'appraisal.draws'(input, ctx) {
    return drawsForCase(ctx.db, input.caseId);
  },

  async 'appraisal.checkDraw'(input, ctx) {
    return checkDraw(ctx.db, input.drawId);
  },
};
