// Handlers for the walk-in claim. Each one only translates between the contract and the
// case services; the dispatcher owns the transaction and the audit entry.
import type { Handlers } from '../rpc-types';
import { requireUser } from '../rpc-types';
import { chinaDate } from '../clock';
import { getSettings } from '../settings';
import { actionLabel, STATUS_LABELS } from '../../../shared/cases/lifecycle';
import { DEPENDANT_RELATION_LABELS } from '../../../shared/rules/benefit-facts';
import { assessDraft, registerCase } from '../cases/registration';
import { caseSummaries, getCaseDetail, loadCaseRow } from '../cases/case-file';
import { describeTransition, transitionCase } from '../cases/case-transitions';
import { attachFile, setMaterials } from '../cases/case-materials';
import { readAttachment } from '../cases/attachment-files';
import { requireCase, visibleCaseIds } from '../cases/case-access';
import { maskPhone } from '../cases/masking';
import { ROLE_CASE_RIGHTS } from '../../../shared/cases/access';
import { ApiError } from '../../../shared/api/errors';
import { addBill, reimburseBill } from '../cases/medical-bills';
import { caseQueue, recentCases, worklist } from '../cases/worklist';
import { intakeDocumentData } from '../cases/case-documents';
import { importAccidentReports, listPlatforms, savePlatform, searchAccidentReports } from '../cases/reference-data';
import { searchCaseIds } from '../cases/case-search';
import { ruleData, type RuleData } from '../cases/rule-data';
import type { HandlerContext } from '../rpc-types';
import { listDependants, recordDeath, removeDependant, saveDependant } from '../cases/death';
import { setCircumstance } from '../cases/circumstance';
import { setPayee } from '../cases/payee';
import { deleteStoredFile, isRemoved, removeAttachment } from '../cases/attachment-removal';

/** Keeps the results the query matches by name or by case, order or registration number: not by ID number or phone. */
async function matchedWithoutIdentity<T extends { id: string; workerName: string; registrationNo: string; caseNo: string | null }>(
  db: HandlerContext['db'],
  found: T[],
  rawQuery: string,
): Promise<T[]> {
  const q = rawQuery.trim().toUpperCase();
  if (q.length === 0 || found.length === 0) return found;
  const orders = new Map(
    (
      await db
        .selectFrom('cases')
        .select(['id', 'orders'])
        .where(
          'id',
          'in',
          found.map((f) => f.id),
        )
        .execute()
    ).map((r) => [r.id, (JSON.parse(r.orders) as { orderNo: string }[]).map((o) => o.orderNo.toUpperCase())]),
  );
  return found.filter(
    (f) =>
      f.workerName.toUpperCase().includes(q) ||
      f.registrationNo.toUpperCase().includes(q) ||
      (f.caseNo ?? '').toUpperCase().includes(q) ||
      (orders.get(f.id) ?? []).some((o) => o.includes(q)),
  );
}

async function rulesFor(ctx: HandlerContext): Promise<RuleData> {
  return ruleData(ctx.db, (await getSettings(ctx.db)).jurisdiction);
}

type CaseHandlers = Pick<
  Handlers,
  | 'platforms.list'
  | 'platforms.save'
  | 'accidentReports.import'
  | 'accidentReports.search'
  | 'intake.assess'
  | 'cases.register'
  | 'cases.get'
  | 'cases.search'
  | 'cases.queue'
  | 'cases.recent'
  | 'cases.worklist'
  | 'cases.setMaterials'
  | 'cases.attach'
  | 'cases.attachment'
  | 'cases.removeAttachment'
  | 'cases.setPayee'
  | 'cases.transition'
  | 'cases.documentData'
  | 'bills.add'
  | 'bills.reimburse'
  | 'cases.recordDeath'
  | 'cases.setCircumstance'
  | 'dependants.list'
  | 'dependants.save'
  | 'dependants.remove'
>;

export const caseHandlers: CaseHandlers = {
  async 'platforms.list'(_i, ctx) {
    return listPlatforms(ctx.db);
  },

  async 'platforms.save'(input, ctx) {
    await savePlatform(ctx.db, ctx.clock, input);
    ctx.note({ entity: 'platform', entityId: input.code, summary: `保存平台 ${input.name}（${input.active ? '启用' : '停用'}）` });
    return { ok: true as const };
  },

  async 'accidentReports.import'(input, ctx) {
    const r = await importAccidentReports(ctx.db, ctx.clock, input.reports, chinaDate(ctx.clock.now()));
    ctx.note({ entity: 'accident_report', summary: `导入事故备案 ${r.imported} 条，跳过已存在 ${r.skipped} 条` });
    return r;
  },

  async 'accidentReports.search'(input, ctx) {
    return searchAccidentReports(ctx.db, input.q);
  },

  async 'intake.assess'(input, ctx) {
    return assessDraft(ctx.db, ctx.clock, await rulesFor(ctx), input.draft);
  },

  async 'cases.register'(input, ctx) {
    const user = requireUser(ctx);
    const r = await registerCase(ctx.db, ctx.clock, await rulesFor(ctx), user.id, input);
    const flags = [
      r.assessment.fastTrack.eligible ? '小伤快办' : null,
      r.assessment.timeliness.inTime ? null : '逾期申请',
      r.assessment.duplicates.length > 0 ? '疑似重复' : null,
    ].filter(Boolean);
    ctx.note({
      entity: 'case',
      entityId: r.caseId,
      summary: `登记申请 ${r.registrationNo}${flags.length ? `（${flags.join('、')}）` : ''}${r.renamedFrom !== null ? '；经核对证件，更正了该身份证号码已登记人员的姓名（其所有案件同时更正）' : ''}`,
    });
    return { caseId: r.caseId, registrationNo: r.registrationNo };
  },

  async 'cases.get'(input, ctx) {
    const user = requireUser(ctx);
    const rights = await requireCase(ctx.db, user, input.caseId);
    const { separationOfDuties } = await getSettings(ctx.db);
    return getCaseDetail(ctx.db, ctx.clock, await rulesFor(ctx), input.caseId, user, separationOfDuties, rights);
  },

  async 'cases.search'(input, ctx) {
    const visible = await visibleCaseIds(ctx.db, ctx.user);
    let ids: string[];
    if (input.q.trim().length === 0) {
      let q = ctx.db.selectFrom('cases').select('id').orderBy('registered_at', 'desc').limit(input.limit);
      if (input.status) q = q.where('status', '=', input.status);
      if (visible) q = q.where('id', 'in', [...visible, '']);
      ids = (await q.execute()).map((r) => r.id);
    } else {
      // Searched past what a person may see, then narrowed: an expert's cases are few.
      ids = await searchCaseIds(ctx.db, input.q, visible ? 5000 : input.limit);
      if (visible) ids = ids.filter((id) => visible.has(id)).slice(0, input.limit);
    }
    let found = await caseSummaries(ctx.db, ids);
    // Whoever sees identities masked cannot find a person by ID number or phone either.
    if (ctx.user && !ctx.user.roles.some((r) => ROLE_CASE_RIGHTS[r]?.fullIdentity))
      found = await matchedWithoutIdentity(ctx.db, found, input.q);
    return input.status ? found.filter((c) => c.status === input.status) : found;
  },

  async 'cases.queue'(input, ctx) {
    const visible = await visibleCaseIds(ctx.db, ctx.user);
    const queue = await caseQueue(ctx.db, ctx.clock, await rulesFor(ctx), input.queue);
    return visible ? queue.filter((c) => visible.has(c.id)) : queue;
  },

  async 'cases.recent'(input, ctx) {
    const visible = await visibleCaseIds(ctx.db, ctx.user);
    const recent = await recentCases(ctx.db, requireUser(ctx).id, input.limit);
    return visible ? recent.filter((c) => visible.has(c.id)) : recent;
  },

  async 'cases.worklist'(_i, ctx) {
    const visible = await visibleCaseIds(ctx.db, ctx.user);
    const items = await worklist(ctx.db, ctx.clock, await rulesFor(ctx), requireUser(ctx).roles);
    return visible ? items.filter((i) => visible.has(i.caseId)) : items;
  },

  async 'cases.setMaterials'(input, ctx) {
    const version = await setMaterials(ctx.db, ctx.clock, input.caseId, input.expectedVersion, input.materials);
    const c = await loadCaseRow(ctx.db, input.caseId);
    const received = input.materials.filter((m) => m.received).length;
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary: `核对材料 ${c.registration_no}：本次标记收到 ${received} 项、未收到 ${input.materials.length - received} 项`,
    });
    return { version };
  },

  async 'cases.attach'(input, ctx) {
    const r = await attachFile(ctx.db, ctx.clock, ctx.dataDir, ctx.keys.attachments, requireUser(ctx).id, input);
    ctx.note({ entity: 'case', entityId: input.caseId, summary: `上传附件（SHA-256 ${r.sha256.slice(0, 16)}…）` });
    return r;
  },

  async 'cases.attachment'(input, ctx) {
    const row = await ctx.db.selectFrom('attachments').selectAll().where('id', '=', input.attachmentId).executeTakeFirst();
    if (!row || (await isRemoved(ctx.db, row.id))) throw new ApiError('NOT_FOUND', '附件不存在或已被删除，请刷新案件后重试');
    const rights = await requireCase(ctx.db, ctx.user, row.case_id);
    if (!rights.attachments) throw new ApiError('FORBIDDEN', '您的角色不能调阅本案的扫描材料');
    const c = await loadCaseRow(ctx.db, row.case_id);
    const bytes = readAttachment(ctx.dataDir, ctx.keys.attachments, row);
    ctx.note({ entity: 'case', entityId: row.case_id, summary: `调阅附件 ${c.registration_no}：${row.filename}` });
    return { filename: row.filename, mime: row.mime, dataBase64: bytes.toString('base64') };
  },

  async 'cases.removeAttachment'(input, ctx) {
    const row = await ctx.db.selectFrom('attachments').select('case_id').where('id', '=', input.attachmentId).executeTakeFirst();
    if (!row) throw new ApiError('NOT_FOUND', '附件不存在，请刷新案件后重试');
    await requireCase(ctx.db, ctx.user, row.case_id);
    const r = await removeAttachment(ctx.db, ctx.clock, requireUser(ctx), input.attachmentId, input.reason);
    const c = await loadCaseRow(ctx.db, r.caseId);
    ctx.note({ entity: 'case', entityId: r.caseId, summary: `删除附件 ${c.registration_no}：${r.filename}；理由：${input.reason}` });
    const file = r.fileToDelete;
    // Only once the removal is committed: a rolled-back removal must still find its file.
    if (file) ctx.afterCommit(() => deleteStoredFile(ctx.dataDir, file));
    return { ok: true as const };
  },

  async 'cases.setPayee'(input, ctx) {
    await requireCase(ctx.db, ctx.user, input.caseId);
    const r = await setPayee(ctx.db, ctx.clock, requireUser(ctx), input.caseId, input.payee, input.reason);
    const c = await loadCaseRow(ctx.db, input.caseId);
    ctx.note({ entity: 'case', entityId: input.caseId, summary: `${c.registration_no} ${r.summary}` });
    return { ok: true as const };
  },

  async 'cases.transition'(input, ctx) {
    const user = requireUser(ctx);
    const { separationOfDuties } = await getSettings(ctx.db);
    const r = await transitionCase(ctx.db, ctx.clock, await rulesFor(ctx), user, input, separationOfDuties);
    const c = await loadCaseRow(ctx.db, input.caseId);
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary: `${c.registration_no} ${describeTransition(r.from, r.status, actionLabel(input.action))}${input.party ? `（申请方：${input.party === 'platform' ? '平台企业' : '本人'}）` : ''}${input.reason ? `；理由：${input.reason.slice(0, 200)}` : ''}`,
    });
    return { status: r.status, version: r.version, caseNo: r.caseNo };
  },

  async 'cases.recordDeath'(input, ctx) {
    const { separationOfDuties } = await getSettings(ctx.db);
    const r = await recordDeath(ctx.db, ctx.clock, await rulesFor(ctx), requireUser(ctx), input, separationOfDuties);
    const c = await loadCaseRow(ctx.db, input.caseId);
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary: `${c.registration_no} 登记死亡：死亡日期 ${input.deathDate}，${input.causedByInjury ? '因职业伤害导致' : '非因职业伤害导致'}，证明 ${input.evidence.slice(0, 100)}（${STATUS_LABELS[r.from]} → ${STATUS_LABELS[r.status]}）`,
    });
    return { status: r.status, version: r.version };
  },

  async 'cases.setCircumstance'(input, ctx) {
    const r = await setCircumstance(ctx.db, ctx.clock, await rulesFor(ctx), input);
    ctx.note({ entity: 'case', entityId: input.caseId, summary: `登记第十一条情形：${r.label}` });
    return { version: r.version };
  },

  async 'dependants.list'(input, ctx) {
    return listDependants(ctx.db, await rulesFor(ctx), input.caseId);
  },

  async 'dependants.save'(input, ctx) {
    const r = await saveDependant(ctx.db, ctx.clock, requireUser(ctx), input.caseId, input.dependant);
    const d = input.dependant;
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary: `${r.created ? '登记' : '修改'}供养亲属（${DEPENDANT_RELATION_LABELS[d.relation]}，${d.birthDate} 生）${d.ended ? `；${d.ended.date} 终止` : ''}`,
    });
    return { id: r.id };
  },

  async 'dependants.remove'(input, ctx) {
    await removeDependant(ctx.db, input.caseId, input.id);
    ctx.note({ entity: 'case', entityId: input.caseId, summary: `删除供养亲属记录，理由：${input.reason}` });
    return { ok: true as const };
  },

  async 'cases.documentData'(input, ctx) {
    const rights = await requireCase(ctx.db, ctx.user, input.caseId);
    const data = await intakeDocumentData(ctx.db, input.caseId, input.type);
    const person = data.person as { phone?: string } | undefined;
    if (!rights.fullIdentity && person?.phone) person.phone = maskPhone(person.phone);
    return data;
  },

  async 'bills.add'(input, ctx) {
    const billId = await addBill(ctx.db, ctx.clock, requireUser(ctx).id, input);
    ctx.note({
      entity: 'case',
      entityId: input.caseId,
      summary: `录入医疗票据 ${input.hospital} ${input.invoiceNo}，金额 ${input.amount} 元，可报销 ${input.eligible} 元`,
    });
    return { billId };
  },

  async 'bills.reimburse'(input, ctx) {
    const r = await reimburseBill(ctx.db, ctx.clock, input.billId);
    ctx.note({ entity: 'case', entityId: r.caseId, summary: `医疗费报销：票据 ${r.invoiceNo}` });
    return { ok: true as const };
  },
};
