// Fills a store with synthetic cases through the same RPC dispatcher the windows use, so every
// case has its audit entries (and, later, outbox entries) exactly as if people had typed them.
import { randomBytes } from 'node:crypto';
import type { Core } from '../app-core';
import { chinaDate } from '../clock';
import type { ApiInput, ApiOutput, MethodName } from '../../../shared/api/contract';
import type { Role } from '../../../shared/roles';
import { seededRandom, syntheticClaim } from './synthetic';

export interface DemoAccount {
  username: string;
  displayName: string;
  roles: Role[];
  password: string;
}

export interface DemoResult {
  cases: number;
  byStage: Record<string, number>;
  accounts: DemoAccount[];
}

const DEMO_STAFF: Omit<DemoAccount, 'password'>[] = [
  { username: 'demo-clerk', displayName: '演示受理员', roles: ['intake_clerk'] },
  { username: 'demo-officer', displayName: '演示确认经办', roles: ['confirmation_officer'] },
  { username: 'demo-secretary', displayName: '演示鉴定秘书', roles: ['appraisal_secretary'] },
  { username: 'demo-leader', displayName: '演示鉴定组长', roles: ['appraisal_leader'] },
];

const DEMO_EXPERTS: { name: string; organisation: string; categories: ApiInput<'experts.save'>['categories']; departments: string[] }[] = [
  { name: '演示专家·骨科甲', organisation: '青海省人民医院', categories: ['ortho'], departments: ['骨科'] },
  { name: '演示专家·骨科乙', organisation: '西宁市第一人民医院', categories: ['ortho'], departments: ['骨科'] },
  { name: '演示专家·骨科丙', organisation: '青海大学附属医院', categories: ['ortho'], departments: ['创伤骨科'] },
  { name: '演示专家·骨科丁', organisation: '青海省第五人民医院', categories: ['ortho'], departments: ['骨科'] },
  { name: '演示专家·骨科戊', organisation: '西宁市第二人民医院', categories: ['ortho'], departments: ['手外科'] },
  { name: '演示专家·普外己', organisation: '青海省人民医院', categories: ['surgery'], departments: ['普外科'] },
  { name: '演示专家·神经庚', organisation: '青海红十字医院', categories: ['neuro'], departments: ['神经外科'] },
];

/** At most this many confirmed demo cases go on to appraisal, on one planned session. */
const DEMO_APPRAISALS = 4;

/** Demo passwords are made fresh for each store and shown once: no default password exists. */
function freshPassword(): string {
  return `Demo-${randomBytes(6).toString('base64url')}-${Math.floor(Math.random() * 90 + 10)}`;
}

export async function fillDemo(
  core: Core,
  opts: { cases: number; seed: number; onProgress?: (done: number, total: number) => void },
): Promise<DemoResult> {
  async function call<N extends MethodName>(method: N, input: ApiInput<N>, token: string | null): Promise<ApiOutput<N>> {
    const r = await core.dispatch(token ? { method, input, sessionToken: token } : { method, input, asLocalOperator: '演示数据生成' });
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.result as ApiOutput<N>;
  }

  const accounts: DemoAccount[] = [];
  const existing = new Set((await call('users.list', {}, null)).map((u) => u.username));
  if (existing.size === 0) {
    const admin = { username: 'admin', displayName: '演示管理员', roles: ['admin'] as Role[], password: freshPassword() };
    await call('users.create', admin, null);
    accounts.push(admin);
  }
  const tokens: Record<string, string> = {};
  for (const s of DEMO_STAFF) {
    const password = freshPassword();
    if (existing.has(s.username)) {
      const u = (await call('users.list', {}, null)).find((x) => x.username === s.username)!;
      await call('users.resetPassword', { userId: u.id, newPassword: password }, null);
    } else {
      await call('users.create', { ...s, password }, null);
    }
    accounts.push({ ...s, password });
    const login = await call('auth.login', { username: s.username, password }, null);
    if (!login.ok) throw new Error(login.message);
    tokens[s.username] = login.sessionToken;
  }
  const clerk = tokens['demo-clerk']!;
  const officer = tokens['demo-officer']!;
  const platformNames = new Map((await call('platforms.list', {}, clerk)).map((p) => [p.code, p.name]));

  const rnd = seededRandom(opts.seed);
  const today = chinaDate(core.deps.clock.now());
  const usedIds = new Set<string>();
  const byStage: Record<string, number> = {};
  const confirmed: string[] = [];
  for (let i = 0; i < opts.cases; i++) {
    const claim = syntheticClaim(rnd, today, i, usedIds);
    const reg = claim.registration;
    if (reg.applicant.kind === 'platform') reg.applicant.name = platformNames.get(reg.applicant.name) ?? reg.applicant.name;
    const { caseId } = await call('cases.register', reg, clerk);
    let c = await call('cases.get', { caseId }, clerk);
    const move = async (
      action: ApiInput<'cases.transition'>['action'],
      token: string,
      extra: Partial<ApiInput<'cases.transition'>> = {},
    ) => {
      const r = await call('cases.transition', { caseId, action, expectedVersion: c.version, ...extra }, token);
      c = { ...c, version: r.version };
    };
    if (claim.stage !== 'registered') {
      const receiveAll = claim.stage !== 'awaiting_supplement';
      const materials = c.materials.map((m, k) => ({ code: m.code, received: receiveAll || k === 0 }));
      c = { ...c, version: (await call('cases.setMaterials', { caseId, expectedVersion: c.version, materials }, clerk)).version };
    }
    switch (claim.stage) {
      case 'awaiting_supplement':
        await move('request_supplement', clerk);
        break;
      case 'withdrawn':
        await move('withdraw', clerk, { reason: '申请人主动撤回申请' });
        break;
      case 'registered':
        break;
      default:
        await move('accept', clerk);
        for (const b of claim.bills) await call('bills.add', { caseId, ...b }, clerk);
        if (claim.stage === 'confirmed' || claim.stage === 'in_treatment') {
          await move('confirm', officer, {
            reason: '执行平台订单任务期间受到事故伤害，事实清楚',
            article: '第十一条第（一）项',
            investigation: '核对平台接单数据与就诊记录一致',
          });
          if (claim.stage === 'in_treatment') await move('start_treatment', clerk);
          else confirmed.push(caseId);
          const bills = (await call('cases.get', { caseId }, clerk)).bills;
          // A bill in the range a late platform bears (第十五条第三款) is the platform's, not the fund's.
          if (bills[0] && rnd() < 0.5 && bills[0].payer === 'fund') await call('bills.reimburse', { billId: bills[0].id }, clerk);
        }
        if (claim.stage === 'not_confirmed')
          await move('not_confirm', officer, { reason: '经调查，事故发生时处于醉酒状态', article: '第十二条第（二）项' });
    }
    byStage[claim.stage] = (byStage[claim.stage] ?? 0) + 1;
    opts.onProgress?.(i + 1, opts.cases);
  }
  await demoAppraisals(call, tokens['demo-secretary']!, confirmed.slice(0, DEMO_APPRAISALS), today, byStage);
  for (const token of Object.values(tokens)) await call('auth.logout', {}, token);
  return { cases: opts.cases, byStage, accounts };
}

type Call = <N extends MethodName>(method: N, input: ApiInput<N>, token: string | null) => Promise<ApiOutput<N>>;

/**
 * The appraisal committee's side: an expert pool (when the store has none), and confirmed cases
 * whose appraisal was applied for, pre-checked (预审), with a panel drawn, on next week's session.
 */
async function demoAppraisals(
  call: Call,
  secretary: string,
  caseIds: string[],
  today: string,
  byStage: Record<string, number>,
): Promise<void> {
  if ((await call('experts.list', {}, secretary)).length === 0) {
    for (const e of DEMO_EXPERTS) await call('experts.save', { id: null, ...e, available: true, platformTies: [] }, null);
  }
  if (caseIds.length === 0) return;
  for (const caseId of caseIds) {
    const c = await call('cases.get', { caseId }, secretary);
    await call('cases.transition', { caseId, action: 'request_appraisal', expectedVersion: c.version, reason: '' }, secretary);
    const { checklist } = await call('appraisal.requests', { caseId }, secretary);
    await call('appraisal.precheck', { caseId, items: checklist.map((i) => ({ code: i.code, present: true, note: '' })) }, secretary);
    await call('appraisal.drawPanel', { caseId, size: 3, categories: ['ortho'] }, secretary);
  }
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 7);
  const { appraisalCommittee } = await call('settings.get', {}, null);
  const { id } = await call(
    'hearings.create',
    { date: date.toISOString().slice(0, 10), venue: '劳动能力鉴定中心第一评定室', committee: appraisalCommittee, kind: 'initial' },
    secretary,
  );
  await call('hearings.assign', { hearingId: id, caseIds }, secretary);
  byStage.confirmed = (byStage.confirmed ?? 0) - caseIds.length;
  byStage.awaiting_appraisal = caseIds.length;
}
