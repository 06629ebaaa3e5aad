// Eligibility checks at the counter: 第十二条 exclusions, 小伤快办 criteria with its material
// checklist, which platform is responsible (第十八条), the no-double-claim rule, and the
// application's timeliness (re-exported from application-timeliness).
import type { RulePack } from './rule-pack-schema';
import { RuleError } from './errors';
import { lastFinishedOrder, type Circumstance } from './injury-items';
import { EXCLUSION_LABELS, type ExclusionCode } from '../cases/enums';

export { applicationTimeliness, type ApplicationTimeliness, type Applicant } from './application-timeliness';

export interface ExclusionResult {
  excluded: boolean;
  reasons: Array<{ code: ExclusionCode; label: string; article: string }>;
  message: string;
}

/** 第十二条: any of these means the injury cannot be confirmed as 职业伤害. */
export function checkExclusions(pack: RulePack, found: readonly ExclusionCode[]): ExclusionResult {
  const article = pack.articles.exclusions;
  const reasons = [...new Set(found)].map((code) => {
    if (!EXCLUSION_LABELS[code])
      throw new RuleError('INVALID_INPUT', `“${code}”不是排除情形代码（crime、intoxication、self_harm），请核对。`);
    return { code, label: EXCLUSION_LABELS[code], article };
  });
  return {
    excluded: reasons.length > 0,
    reasons,
    message:
      reasons.length > 0
        ? `存在${reasons.map((r) => r.label).join('、')}情形，依据${article}不得确认为职业伤害。`
        : '未发现不得确认为职业伤害的情形。',
  };
}

export interface SmallInjuryFacts {
  outpatientOnly: boolean;
  hospitalized: boolean;
  factsClear: boolean;
  disputed: boolean;
  /** Codes of the materials received (see the pack's smallInjury.materials). */
  materials: readonly string[];
}

export interface SmallInjuryResult {
  eligible: boolean;
  /** What rules it out, in Chinese, one reason per unmet criterion. */
  reasons: string[];
  checklist: Array<{ code: string; label: string; note?: string; received: boolean }>;
  missingMaterials: string[];
  source: string;
}

/** 小伤快办: outpatient or emergency only, no hospital stay, facts clear, materials complete, no dispute. */
export function checkSmallInjury(pack: RulePack, f: SmallInjuryFacts): SmallInjuryResult {
  const got = new Set(f.materials);
  const checklist = pack.smallInjury.materials.map((m) => ({ ...m, received: got.has(m.code) }));
  const missing = checklist.filter((m) => !m.received).map((m) => m.label);
  const reasons: string[] = [];
  if (!f.outpatientOnly) reasons.push('不是仅在门（急）诊就医');
  if (f.hospitalized) reasons.push('有住院治疗');
  if (!f.factsClear) reasons.push('事实不清楚');
  if (f.disputed) reasons.push('责任有争议');
  if (missing.length > 0) reasons.push(`材料不齐：缺${missing.join('、')}`);
  return { eligible: reasons.length === 0, reasons, checklist, missingMaterials: missing, source: pack.smallInjury.source };
}

export interface OrderAtAccident {
  platform: string;
  orderNo?: string;
  /** 'YYYY-MM-DDTHH:mm' (China time), as typed at the counter. */
  acceptedAt: string;
  finishedAt: string | null;
}

export interface ResponsibilityResult {
  platform: string | null;
  order: OrderAtAccident | null;
  reason: string;
  article: string;
}

const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/**
 * 第十八条: the platform whose order was being executed at the accident; with several orders
 * in progress at once, the order accepted first on that trip. A commute home after an order
 * (第十一条第二项) falls to the platform of the last order finished before the accident; a trip to
 * a platform's routine management, to that platform.
 */
export function responsiblePlatform(
  pack: RulePack,
  accidentAt: string,
  orders: readonly OrderAtAccident[],
  circumstance: Circumstance = { item: 'order' },
  platformName: (code: string) => string = (c) => c,
): ResponsibilityResult {
  const article = pack.articles.platformResponsibility;
  for (const t of [accidentAt, ...orders.flatMap((o) => [o.acceptedAt, o.finishedAt ?? accidentAt])]) {
    if (!DATETIME_RE.test(t))
      throw new RuleError('INVALID_INPUT', `时间“${t}”格式不正确，应为 YYYY-MM-DDTHH:mm（例如 2026-07-15T12:30）。`);
  }
  if (circumstance.item === 'commute') {
    if (circumstance.purpose === 'platform_management') {
      const p = circumstance.managementPlatform;
      return p
        ? {
            platform: platformName(p),
            order: null,
            reason: `事故发生在前往${platformName(p)}指定场所接受常规管理途中，由该平台企业承担责任。`,
            article,
          }
        : { platform: null, order: null, reason: '请登记要求其接受常规管理的平台企业。', article };
    }
    const last = lastFinishedOrder(accidentAt, orders);
    return last
      ? {
          platform: last.platform,
          order: last,
          reason: `事故发生在执行${last.platform}的订单${last.orderNo ? ` ${last.orderNo}` : ''}（完成于 ${last.finishedAt!.replace('T', ' ')}）后返回日常居所途中，由该订单所属平台企业承担责任。`,
          article,
        }
      : {
          platform: null,
          order: null,
          reason: `返回居所途中的事故：事故时间 ${accidentAt.replace('T', ' ')} 之前没有已完成的订单，无法确定责任平台，请登记事故前最后完成的订单。`,
          article,
        };
  }
  const inProgress = orders.filter((o) => o.acceptedAt <= accidentAt && (o.finishedAt === null || o.finishedAt >= accidentAt));
  if (inProgress.length === 0) {
    return {
      platform: null,
      order: null,
      reason: `事故时间 ${accidentAt.replace('T', ' ')} 没有正在执行的订单，无法确定责任平台，请核对订单的接单和完成时间。`,
      article,
    };
  }
  const sorted = [...inProgress].sort((a, b) => (a.acceptedAt < b.acceptedAt ? -1 : a.acceptedAt > b.acceptedAt ? 1 : 0));
  const first = sorted[0]!;
  const platforms = new Set(inProgress.map((o) => o.platform));
  if (platforms.size === 1) {
    return {
      platform: first.platform,
      order: first,
      reason: `事故发生时正在执行${first.platform}的订单${first.orderNo ? ` ${first.orderNo}` : ''}，由该平台企业承担责任。`,
      article,
    };
  }
  if (sorted[1] && sorted[1].acceptedAt === first.acceptedAt && sorted[1].platform !== first.platform) {
    return {
      platform: null,
      order: null,
      reason: `多个平台的订单在同一时间（${first.acceptedAt.replace('T', ' ')}）接单，无法按首接单确定责任平台，请调查核实。`,
      article,
    };
  }
  return {
    platform: first.platform,
    order: first,
    reason: `事故发生时同时执行 ${[...platforms].join('、')} 的订单，按同一路程首接单原则，由最先接单（${first.acceptedAt.replace('T', ' ')}）的${first.platform}承担责任。`,
    article,
  };
}

export interface DoubleClaimResult {
  hit: boolean;
  message: string;
  article: string;
}

/** 第十八条: one accident cannot be claimed both as 工伤 and as 职业伤害. */
export function checkDoubleClaim(pack: RulePack, workInjuryClaimForSameAccident: boolean): DoubleClaimResult {
  const article = pack.articles.doubleClaim;
  return workInjuryClaimForSameAccident
    ? {
        hit: true,
        message: `同一事故伤害已申请工伤认定，依据${article}不得同时申请职业伤害保障待遇，也不得重复享受待遇。请先确认工伤认定申请的结果或撤回情况。`,
        article,
      }
    : { hit: false, message: '未申请工伤认定。', article };
}
