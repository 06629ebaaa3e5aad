// The case state machine: every status a claim can be in, and the only moves between them.
// The core refuses anything not listed here; the UI asks it which moves are open.
import { ROLE_LABELS, type Role } from '../roles';

export const CASE_STATUSES = [
  'registered',
  'awaiting_supplement',
  'accepted',
  'confirmed',
  'not_confirmed',
  'in_treatment',
  'awaiting_appraisal',
  'appraised',
  'benefits_determined',
  'deceased',
  'closed',
  'withdrawn',
  'terminated',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const STATUS_LABELS: Record<CaseStatus, string> = {
  registered: '已登记',
  awaiting_supplement: '待补正',
  accepted: '已受理',
  confirmed: '已确认',
  not_confirmed: '不予确认',
  in_treatment: '治疗中',
  awaiting_appraisal: '待鉴定',
  appraised: '已鉴定',
  benefits_determined: '待遇已核定',
  deceased: '已死亡待核定',
  closed: '已办结',
  withdrawn: '已撤回',
  terminated: '已终止',
};

export const CASE_ACTIONS = [
  'request_supplement',
  'accept',
  'confirm',
  'not_confirm',
  'start_treatment',
  'request_appraisal',
  'conclude_appraisal',
  'request_reappraisal',
  'request_review',
  'determine_benefits',
  'record_death',
  'extend_treatment',
  'close',
  'withdraw',
  'terminate',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export interface Transition {
  action: CaseAction;
  from: readonly CaseStatus[];
  to: CaseStatus;
  label: string;
  roles: readonly Role[];
  /** A reason must be given (refusals, withdrawals, terminations). */
  needsReason: boolean;
  /** Made through its own method, which carries the facts it needs (a death's date and evidence). */
  via?: 'cases.recordDeath';
}

const OPEN: readonly CaseStatus[] = [
  'registered',
  'awaiting_supplement',
  'accepted',
  'confirmed',
  'in_treatment',
  'awaiting_appraisal',
  'appraised',
  'benefits_determined',
  'deceased',
];

const DEATH_ROLES: readonly Role[] = ['intake_clerk', 'confirmation_officer', 'benefit_officer'];
// The treatment period is extended by the municipal appraisal committee (第二十四条第二款).
const EXTENSION_ROLES: readonly Role[] = ['appraisal_secretary', 'appraisal_leader'];

/** A move that records a fact and leaves the status where it is, from each of these statuses. */
function inPlace(action: CaseAction, statuses: readonly CaseStatus[], t: Omit<Transition, 'action' | 'from' | 'to'>): Transition[] {
  return statuses.map((s) => ({ ...t, action, from: [s], to: s }));
}

export const TRANSITIONS: readonly Transition[] = [
  {
    action: 'request_supplement',
    from: ['registered'],
    to: 'awaiting_supplement',
    label: '出具一次性补正告知',
    roles: ['intake_clerk'],
    needsReason: false,
  },
  {
    action: 'accept',
    from: ['registered', 'awaiting_supplement'],
    to: 'accepted',
    label: '受理',
    roles: ['intake_clerk'],
    needsReason: false,
  },
  { action: 'confirm', from: ['accepted'], to: 'confirmed', label: '确认为职业伤害', roles: ['confirmation_officer'], needsReason: true },
  { action: 'not_confirm', from: ['accepted'], to: 'not_confirmed', label: '不予确认', roles: ['confirmation_officer'], needsReason: true },
  {
    action: 'start_treatment',
    from: ['confirmed'],
    to: 'in_treatment',
    label: '进入治疗期',
    roles: ['intake_clerk', 'confirmation_officer'],
    needsReason: false,
  },
  {
    action: 'request_appraisal',
    from: ['confirmed', 'in_treatment'],
    to: 'awaiting_appraisal',
    label: '申请劳动能力鉴定',
    roles: ['intake_clerk', 'appraisal_secretary'],
    needsReason: false,
  },
  {
    action: 'conclude_appraisal',
    from: ['awaiting_appraisal'],
    to: 'appraised',
    label: '作出鉴定结论',
    roles: ['appraisal_leader'],
    needsReason: false,
  },
  // 再次鉴定 is open to each party for 15 days from its receipt of the 结论书, whatever has happened
  // since: an approval made meanwhile becomes provisional and is redone after the new conclusion.
  {
    action: 'request_reappraisal',
    from: ['appraised', 'benefits_determined'],
    to: 'awaiting_appraisal',
    label: '申请再次鉴定',
    roles: ['intake_clerk', 'appraisal_secretary'],
    needsReason: true,
  },
  // 复查鉴定: the injury has changed, one year or more after the conclusion (the pack says how long).
  // A closed case stays closed: 复查 is asked while benefits are still being paid.
  {
    action: 'request_review',
    from: ['appraised', 'benefits_determined'],
    to: 'awaiting_appraisal',
    label: '申请复查鉴定',
    roles: ['intake_clerk', 'appraisal_secretary'],
    needsReason: true,
  },
  // Made when the last review round approves the determination (双重复核), not when it is prepared.
  {
    action: 'determine_benefits',
    from: ['appraised', 'confirmed', 'deceased'],
    to: 'benefits_determined',
    label: '待遇核定',
    roles: ['benefit_reviewer', 'insurance_reviewer'],
    needsReason: false,
  },
  // 第二十九条: a death is recorded whatever stage the claim is at. Before the confirmation it is a
  // fact the decision weighs (the case is confirmed straight to 已死亡待核定); after it, the case
  // waits for the death benefits, even when disability benefits were already approved.
  ...inPlace('record_death', ['registered', 'awaiting_supplement', 'accepted'], {
    label: '登记死亡',
    roles: DEATH_ROLES,
    needsReason: false,
    via: 'cases.recordDeath',
  }),
  {
    action: 'record_death',
    from: ['confirmed', 'in_treatment', 'awaiting_appraisal', 'appraised', 'benefits_determined'],
    to: 'deceased',
    label: '登记死亡',
    roles: DEATH_ROLES,
    needsReason: false,
    via: 'cases.recordDeath',
  },
  // 第二十四条第二款: the treatment period (12 months) extended by at most 12, once, with the reason.
  ...inPlace('extend_treatment', ['confirmed', 'in_treatment', 'awaiting_appraisal'], {
    label: '延长治疗期',
    roles: EXTENSION_ROLES,
    needsReason: true,
  }),
  {
    action: 'close',
    from: ['confirmed', 'in_treatment', 'benefits_determined', 'not_confirmed'],
    to: 'closed',
    label: '办结',
    roles: ['intake_clerk', 'benefit_officer'],
    needsReason: false,
  },
  {
    action: 'withdraw',
    from: ['registered', 'awaiting_supplement', 'accepted'],
    to: 'withdrawn',
    label: '申请人撤回',
    roles: ['intake_clerk'],
    needsReason: true,
  },
  {
    action: 'terminate',
    from: OPEN,
    to: 'terminated',
    label: '终止',
    roles: ['intake_clerk', 'confirmation_officer', 'appraisal_secretary'],
    needsReason: true,
  },
];

export type TransitionCheck = { ok: true; transition: Transition } | { ok: false; message: string };

/** The move's label, whichever status it is made from. */
export function actionLabel(action: string): string {
  return TRANSITIONS.find((x) => x.action === action)?.label ?? action;
}

export function checkTransition(from: CaseStatus, action: CaseAction, roles: readonly Role[]): TransitionCheck {
  // A move may lead to different statuses from different ones: take the entry for this status.
  const all = TRANSITIONS.filter((x) => x.action === action);
  const t = all.find((x) => x.from.includes(from)) ?? all[0];
  if (!t) return { ok: false, message: `未知的办理动作“${action}”` };
  if (!t.from.includes(from)) {
    const allowed = [...new Set(all.flatMap((x) => x.from))].map((s) => STATUS_LABELS[s]).join('、');
    return { ok: false, message: `案件当前为“${STATUS_LABELS[from]}”，不能“${t.label}”（仅限${allowed}的案件）` };
  }
  if (!t.roles.some((r) => roles.includes(r))) {
    return { ok: false, message: `“${t.label}”需要由${t.roles.map((r) => ROLE_LABELS[r]).join('或')}办理` };
  }
  return { ok: true, transition: t };
}

/** The moves open from a status, for the buttons a person sees. */
export function availableActions(from: CaseStatus, roles: readonly Role[]): Transition[] {
  return TRANSITIONS.filter((t) => t.from.includes(from) && t.roles.some((r) => roles.includes(r)));
}

export function isOpen(status: CaseStatus): boolean {
  return OPEN.includes(status);
}
