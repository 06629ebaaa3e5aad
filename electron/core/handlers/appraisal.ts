// Handlers for the expert pool and panel draws.
import type { Handlers } from '../rpc-types';
import { requireUser } from '../rpc-types';
import { chinaInstant } from '../clock';
import { checkDraw, drawForCase, drawsForCase, listExperts, saveExpert } from '../appraisal/panel-draw';
import { loadCaseRow } from '../cases/case-file';
import { ApiError } from '../../../shared/api/errors';
import { gradeLabel, nursingLabel } from '../../../shared/appraisal/grades';
import {
  assignCases,
  caseSheet,
  conclusionNoticeData,
  createHearing,
  getHearing,
  listHearings,
  recordAttendance,
  recordOpinion,
  hearingDocumentIds,
  hearingCandidates,
  hearingReportData,
  hearingReportNoticeData,
  signConclusion,
} from '../appraisal/hearings';
import { extendConclusionPeriod, precheckTemplate, recordPrecheck, requestsOf } from '../appraisal/appraisal-requests';
import { getSettings } from '../settings';
import {
  determinationNoticeData,
  determinationsOf,
  prepareDetermination,
  draftDetermination,
  draftView,
  reviewDetermination,
  reviewQueue,
} from '../appraisal/benefit-determination';
import { issueOnce } from '../notices/notice-service';
import { benefitPreview } from '../appraisal/benefit-preview';
import { ruleData } from '../cases/rule-data';
import { hearingsOfExpertUser, requireCase, requireHearing } from '../cases/case-access';
import { seesAllCases } from '../../../shared/cases/access';

type AppraisalHandlers = Pick<
  Handlers,
  | 'hearings.candidates'
  | 'determinations.preview'
  | 'appraisal.requests'
  | 'appraisal.precheck'
  | 'appraisal.extend'
  | 'hearings.report'
  | 'hearings.issueReport'
  | 'hearings.issueConclusion'
  | 'hearings.documents'
  | 'hearings.list'
  | 'hearings.get'
  | 'determinations.prepare'
  | 'determinations.draft'
  | 'determinations.review'
  | 'determinations.list'
  | 'determinations.queue'
  | 'determinations.issueNotice'
  | 'hearings.create'
  | 'hearings.assign'
  | 'hearings.attendance'
  | 'hearings.opinion'
  | 'hearings.sheet'
  | 'hearings.sign'
  | 'experts.list'
  | 'experts.save'
  | 'appraisal.recuse'
  | 'appraisal.drawPanel'
  | 'appraisal.draws'
  | 'appraisal.checkDraw'
>;

export const appraisalHandlers: AppraisalHandlers = {
  async 'appraisal.requests'(input, ctx) {
    await requireCase(ctx.db, ctx.user, input.caseId);
    const { jurisdiction } = await getSettings(ctx.db);
    return {
      requests: await requestsOf(ctx.db, input.caseId),
      checklist: await precheckTemplate(ctx.db, await ruleData(ctx.db, jurisdiction), input.caseId),
    };
  },

  async 'appraisal.precheck'(input, ctx) {
    const { jurisdiction } = await getSettings(ctx.db);
    const r = await recordPrecheck(ctx.db, ctx.clock, await ruleData(ctx.db, jurisdiction), requireUser(ctx), input);
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary:
        r.result === 'complete' ? `鉴定材料预审（${r.requestNo}）：材料齐全` : `鉴定材料预审（${r.requestNo}）：缺 ${r.missing.join('、')}`,
    });
    return r;
  },

  async 'appraisal.extend'(input, ctx) {
    const r = await extendConclusionPeriod(ctx.db, ctx.clock, requireUser(ctx), input);
    ctx.note({ entity: 'case', entityId: input.caseId, summary: `鉴定结论期限延长 30 日（${r.requestNo}），理由：${input.reason.trim()}` });
    return r;
  },

  async 'determinations.preview'(input, ctx) {
    const { jurisdiction } = await getSettings(ctx.db);
    return benefitPreview(ctx.db, await ruleData(ctx.db, jurisdiction), input.caseId);
  },

  async 'hearings.candidates'(input, ctx) {
    return hearingCandidates(ctx.db, input.hearingId);
  },

  async 'hearings.report'(input, ctx) {
    return hearingReportData(ctx.db, input.hearingId);
  },

  async 'hearings.issueReport'(input, ctx) {
    const r = await issueOnce(ctx.db, ctx.clock, ctx.dataDir, input.requestId, async () => ({
      data: await hearingReportNoticeData(ctx.db, input.hearingId),
      caseId: null,
      subjectId: input.hearingId,
      signer: { id: ctx.user?.id ?? null, name: ctx.actorName },
    }));
    ctx.note({
      entity: 'appraisal_session',
      entityId: input.hearingId,
      summary: r.repeated ? `重复提交，返回已出具的专场报告 ${r.documentNo}` : `出具劳动能力鉴定专场报告 ${r.documentNo}`,
    });
    return { id: r.id, documentNo: r.documentNo, sha256: r.sha256, repeated: r.repeated };
  },

  async 'hearings.issueConclusion'(input, ctx) {
    const r = await issueOnce(ctx.db, ctx.clock, ctx.dataDir, input.requestId, async () => {
      const data = await conclusionNoticeData(ctx.db, input.hearingId, input.caseId);
      return { data, caseId: input.caseId, subjectId: data.conclusionId, signer: { id: ctx.user?.id ?? null, name: ctx.actorName } };
    });
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary: r.repeated ? `重复提交，返回已出具的鉴定结论书 ${r.documentNo}` : `出具劳动能力鉴定结论书 ${r.documentNo}`,
    });
    return { id: r.id, documentNo: r.documentNo, sha256: r.sha256, repeated: r.repeated };
  },

  async 'hearings.documents'(input, ctx) {
    return { ids: await hearingDocumentIds(ctx.db, input.hearingId) };
  },

  async 'hearings.list'(_i, ctx) {
    const all = await listHearings(ctx.db);
    if (!ctx.user || seesAllCases(ctx.user.roles)) return all;
    const mine = await hearingsOfExpertUser(ctx.db, ctx.user.id);
    return all.filter((h) => mine.has(h.id));
  },

  async 'hearings.get'(input, ctx) {
    await requireHearing(ctx.db, ctx.user, input.hearingId);
    return getHearing(ctx.db, input.hearingId);
  },

  async 'determinations.draft'(input, ctx) {
    await requireCase(ctx.db, ctx.user, input.caseId);
    const { jurisdiction } = await getSettings(ctx.db);
    const { result } = await draftDetermination(ctx.db, ctx.clock, await ruleData(ctx.db, jurisdiction), input);
    return draftView(result);
  },

  async 'determinations.prepare'(input, ctx) {
    const { jurisdiction } = await getSettings(ctx.db);
    const r = await prepareDetermination(ctx.db, ctx.clock, await ruleData(ctx.db, jurisdiction), requireUser(ctx), input);
    const once = r.result.totals.once.all;
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary: `${r.supersedes ? '重新核定待遇' : '待遇核定'}（规则包 ${r.result.rulePack.id} ${r.result.rulePack.version}）：一次性合计 ${once} 元，按月合计 ${r.result.totals.monthly.all} 元，待${r.rounds > 1 ? `${r.rounds}轮` : ''}复核`,
      rulePack: `${r.result.rulePack.id}@${r.result.rulePack.version}`,
    });
    return { id: r.id, supersedes: r.supersedes, rounds: r.rounds };
  },

  async 'determinations.review'(input, ctx) {
    const { jurisdiction, separationOfDuties } = await getSettings(ctx.db);
    const r = await reviewDetermination(
      ctx.db,
      ctx.clock,
      await ruleData(ctx.db, jurisdiction),
      requireUser(ctx),
      input,
      separationOfDuties,
    );
    ctx.note({
      entity: 'case',
      entityId: r.caseId,
      summary: `${r.label}：${
        r.status === 'returned' ? `退回核定人，理由：${input.reason}` : r.status === 'approved' ? '通过，待遇核定完成' : `通过，转${r.next}`
      }`,
    });
    return { status: r.status, round: r.round, next: r.next };
  },

  async 'determinations.queue'(_i, ctx) {
    return reviewQueue(ctx.db, requireUser(ctx));
  },

  async 'determinations.list'(input, ctx) {
    return determinationsOf(ctx.db, input.caseId);
  },

  async 'determinations.issueNotice'(input, ctx) {
    let caseId: string | null = null;
    const r = await issueOnce(ctx.db, ctx.clock, ctx.dataDir, input.requestId, async () => {
      const data = await determinationNoticeData(ctx.db, input.determinationId);
      caseId = data.caseId;
      return { data, caseId: data.caseId, subjectId: input.determinationId, signer: { id: ctx.user?.id ?? null, name: ctx.actorName } };
    });
    ctx.note({
      entity: 'case',
      entityId: caseId,
      summary: r.repeated ? `重复提交，返回已出具的待遇核定通知书 ${r.documentNo}` : `出具待遇核定通知书 ${r.documentNo}`,
    });
    return { id: r.id, documentNo: r.documentNo, sha256: r.sha256, repeated: r.repeated };
  },

  async 'hearings.create'(input, ctx) {
    const r = await createHearing(ctx.db, ctx.clock, requireUser(ctx), input);
    ctx.note({ entity: 'appraisal_session', entityId: r.id, summary: `创建鉴定专场 ${r.hearingNo}（${input.date}，${input.venue}）` });
    return r;
  },

  async 'hearings.assign'(input, ctx) {
    const cases = await assignCases(ctx.db, input.hearingId, input.caseIds);
    ctx.note({
      entity: 'appraisal_session',
      entityId: input.hearingId,
      summary: `安排 ${input.caseIds.length} 件案件，专场共 ${cases} 件`,
    });
    return { cases };
  },

  async 'hearings.attendance'(input, ctx) {
    await recordAttendance(ctx.db, ctx.clock, input.hearingId, input.caseId, input.attendance, input.findings);
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary: `鉴定专场登记：${input.attendance === 'present' ? '本人到场' : '本人缺席'}`,
    });
    return { ok: true as const };
  },

  async 'hearings.opinion'(input, ctx) {
    const { jurisdiction } = await getSettings(ctx.db);
    const r = await recordOpinion(ctx.db, ctx.clock, await ruleData(ctx.db, jurisdiction), requireUser(ctx), input);
    const expert = await ctx.db.selectFrom('experts').select('name').where('id', '=', input.expertId).executeTakeFirst();
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary: `记录专家 ${expert?.name ?? ''} 意见：${gradeLabel(r.grade)}（${input.items.map((i) => i.code).join('、') || '无条款'}）${r.combined.promotionProposed ? (input.promotionApplied ? '，晋级' : `，不晋级：${input.promotionReason}`) : ''}`,
    });
    return { grade: r.grade, promotionProposed: r.combined.promotionProposed, explanation: r.combined.explanation };
  },

  async 'hearings.sheet'(input, ctx) {
    await requireHearing(ctx.db, ctx.user, input.hearingId);
    return caseSheet(ctx.db, input.hearingId, input.caseId);
  },

  async 'hearings.sign'(input, ctx) {
    const { separationOfDuties, jurisdiction } = await getSettings(ctx.db);
    const r = await signConclusion(ctx.db, ctx.clock, await ruleData(ctx.db, jurisdiction), requireUser(ctx), input, separationOfDuties);
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary: `签发鉴定结论：${gradeLabel(input.grade)}，${nursingLabel(input.nursingLevel)}${r.followsMajority ? '' : `（未采多数意见，理由：${input.reason}）`}`,
    });
    return { conclusionId: r.id, followsMajority: r.followsMajority };
  },

  async 'experts.list'(_i, ctx) {
    return listExperts(ctx.db);
  },

  async 'experts.save'(input, ctx) {
    const id = await saveExpert(ctx.db, ctx.clock, input);
    const account =
      input.userId === undefined
        ? ''
        : input.userId === null
          ? '，取消关联登录账号'
          : `，关联登录账号 ${(await ctx.db.selectFrom('users').select('username').where('id', '=', input.userId).executeTakeFirst())?.username ?? ''}`;
    ctx.note({
      entity: 'expert',
      entityId: id,
      summary: `${input.id ? '修改' : '新增'}专家 ${input.name}（${input.organisation}）${account}`,
    });
    return { id };
  },

  async 'appraisal.recuse'(input, ctx) {
    const c = await loadCaseRow(ctx.db, input.caseId);
    const expert = await ctx.db.selectFrom('experts').select('name').where('id', '=', input.expertId).executeTakeFirst();
    if (!expert) throw new ApiError('NOT_FOUND', '专家不存在');
    await ctx.db
      .insertInto('case_recusals')
      .values({
        case_id: c.id,
        expert_id: input.expertId,
        reason: input.reason,
        recorded_by: requireUser(ctx).id,
        recorded_at: chinaInstant(ctx.clock.now()),
      })
      .onConflict((oc) => oc.columns(['case_id', 'expert_id']).doUpdateSet({ reason: input.reason }))
      .execute();
    ctx.note({ entity: 'case', entityId: c.id, summary: `登记专家 ${expert.name} 回避：${input.reason}` });
    return { ok: true as const };
  },

  async 'appraisal.drawPanel'(input, ctx) {
    const r = await drawForCase(ctx.db, ctx.clock, requireUser(ctx).id, input);
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary: `随机抽取 ${input.size} 名专家（种子 ${r.seed}，候选 ${r.candidates.length} 人，回避 ${r.excluded.length} 人）：${r.panel.map((p) => p.name).join('、')}`,
    });
    return r;
  },

  async 'appraisal.draws'(input, ctx) {
    await requireCase(ctx.db, ctx.user, input.caseId);
    return drawsForCase(ctx.db, input.caseId);
  },

  async 'appraisal.checkDraw'(input, ctx) {
    const draw = await ctx.db.selectFrom('panel_draws').select('case_id').where('id', '=', input.drawId).executeTakeFirst();
    if (draw) await requireCase(ctx.db, ctx.user, draw.case_id);
    return checkDraw(ctx.db, input.drawId);
  },
};
