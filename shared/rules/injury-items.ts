// 第十一条: the circumstance a claim is confirmed under, as structured facts with its checks — the
// order in progress (第一项), a commuting traffic accident not mainly the worker's fault (第二项),
// a sudden illness with death during the order or within the pack's 48 hours (第三项), public
// interest (第四项), a disabled veteran's old injury with the 残疾军人证 (第五项), another law (第六项).
import { z } from 'zod';
import type { RulePack } from './rule-pack-schema';

export const CIRCUMSTANCE_ITEMS = ['order', 'commute', 'sudden_death', 'public_interest', 'veteran', 'other_law'] as const;
export type CircumstanceItem = (typeof CIRCUMSTANCE_ITEMS)[number];

export const CIRCUMSTANCE_LABELS: Record<CircumstanceItem, string> = {
  order: '（一）执行平台订单任务期间受到事故伤害',
  commute: '（二）前往平台管理或返回居所途中受到非本人主要责任的交通事故伤害',
  sudden_death: '（三）执行订单期间突发疾病死亡或48小时之内经抢救无效死亡',
  public_interest: '（四）在抢险救灾等维护国家利益、公共利益活动中受到伤害',
  veteran: '（五）残疾军人在平台就业期间旧伤复发',
  other_law: '（六）法律、行政法规规定的其他情形',
};

export const COMMUTE_PURPOSES = ['platform_management', 'return_home'] as const;
export const COMMUTE_PURPOSE_LABELS: Record<(typeof COMMUTE_PURPOSES)[number], string> = {
  platform_management: '在指定时间前往指定场所接受平台企业常规管理',
  return_home: '执行平台订单任务后返回日常居所的合理路线途中',
};
export const COMMUTE_ACCIDENTS = ['traffic', 'urban_rail', 'ferry', 'train'] as const;
export const COMMUTE_ACCIDENT_LABELS: Record<(typeof COMMUTE_ACCIDENTS)[number], string> = {
  traffic: '交通事故',
  urban_rail: '城市轨道交通事故',
  ferry: '客运轮渡事故',
  train: '火车事故',
};

const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, '时间格式应为 YYYY-MM-DDTHH:mm')
  .refine((s) => !Number.isNaN(Date.parse(`${s}:00Z`)), '时间不存在，请检查年月日和时分');
const shortText = (label: string, max: number) =>
  z
    .string({ error: `${label}必须是文字` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字符`);

export const circumstanceSchema = z.discriminatedUnion(
  'item',
  [
    z.object({ item: z.literal('order') }),
    z.object({
      item: z.literal('commute'),
      purpose: z.enum(COMMUTE_PURPOSES, { error: '请选择途中情形' }),
      accident: z.enum(COMMUTE_ACCIDENTS, { error: '请选择事故类型' }),
      /** From the 事故责任认定书: the worker was not mainly responsible. */
      notMainlyResponsible: z.boolean(),
      /** The platform whose routine management the worker was going to (前往平台管理). */
      managementPlatform: z.string().max(40).nullable().default(null),
    }),
    z.object({
      item: z.literal('sudden_death'),
      /** When the worker died; the illness began at the accident time. */
      deathAt: localDateTime,
    }),
    z.object({ item: z.literal('public_interest'), activity: shortText('维护公共利益的活动', 200) }),
    z.object({ item: z.literal('veteran'), certificateNo: shortText('残疾军人证编号', 40) }),
    z.object({ item: z.literal('other_law'), legalBasis: shortText('法律、行政法规依据', 200) }),
  ],
  { error: '请选择第十一条的情形' },
);
export type Circumstance = z.infer<typeof circumstanceSchema>;

/** The materials an item adds to the claim's checklist (第五项: the 残疾军人证). */
export function circumstanceMaterials(c: Circumstance): { code: string; label: string }[] {
  if (c.item === 'veteran') return [{ code: 'veteran_certificate', label: '《中华人民共和国残疾军人证》' }];
  if (c.item === 'commute') return [{ code: 'liability_finding', label: '事故责任认定书' }];
  return [];
}

export interface CircumstanceContext {
  /** 'YYYY-MM-DDTHH:mm', China time. */
  accidentAt: string;
  orders: readonly { platform: string; orderNo?: string; acceptedAt: string; finishedAt: string | null }[];
  /** Codes of the materials received. */
  materialsReceived: readonly string[];
  /** A recorded death's date, if any. */
  deathDate: string | null;
}

function minutesBetween(a: string, b: string): number {
  return (Date.parse(`${b}:00Z`) - Date.parse(`${a}:00Z`)) / 60_000;
}

/**
 * What stands in the way of confirming under the recorded item, each in Chinese (empty: nothing).
 * The confirmation officer sees these as the reason the 确认 button is off.
 */
export function circumstanceProblems(pack: RulePack, c: Circumstance, ctx: CircumstanceContext): string[] {
  const article = pack.articles.injuryItems[c.item];
  const inProgress = (at: string) => ctx.orders.filter((o) => o.acceptedAt <= at && (o.finishedAt === null || o.finishedAt >= at));
  switch (c.item) {
    case 'order':
      return inProgress(ctx.accidentAt).length > 0
        ? []
        : [`事故时间没有正在执行的订单，不符合${article}；如属返回居所或前往平台管理途中，请将情形改为第（二）项`];
    case 'commute': {
      const out: string[] = [];
      if (!c.notMainlyResponsible)
        out.push(`${article}要求事故非本人主要责任：请根据事故责任认定书登记“非本人主要责任”，本人负主要或全部责任的不予确认`);
      if (!ctx.materialsReceived.includes('liability_finding')) out.push(`${article}须有事故责任认定书，请先收取该材料`);
      if (c.purpose === 'platform_management' && !c.managementPlatform) out.push('请登记要求其接受常规管理的平台企业');
      if (c.purpose === 'return_home' && !lastFinishedOrder(ctx.accidentAt, ctx.orders))
        out.push('返回居所途中的事故须登记事故前最后完成的订单（含完成时间），以确定责任平台');
      return out;
    }
    case 'sudden_death': {
      const hours = pack.parameters.suddenDeath.hours;
      const out: string[] = [];
      if (inProgress(ctx.accidentAt).length === 0) out.push(`突发疾病时没有正在执行的订单，不符合${article}`);
      if (!ctx.deathDate) out.push(`${article}以死亡为条件：请先登记死亡`);
      else if (ctx.deathDate !== c.deathAt.slice(0, 10))
        out.push(`登记的死亡日期 ${ctx.deathDate} 与情形中的死亡时间 ${c.deathAt.replace('T', ' ')} 不一致，请核对`);
      const after = minutesBetween(ctx.accidentAt, c.deathAt);
      const duringOrder = inProgress(c.deathAt).length > 0;
      if (after < 0) out.push('死亡时间早于发病时间，请核对');
      else if (!duringOrder && after > hours * 60)
        out.push(`死亡时间距发病超过 ${hours} 小时且不在订单执行期间（${Math.floor(after / 60)} 小时），不符合${article}`);
      return out;
    }
    case 'veteran':
      return ctx.materialsReceived.includes('veteran_certificate') ? [] : [`${article}须提交《中华人民共和国残疾军人证》，请先收取该材料`];
    case 'public_interest':
    case 'other_law':
      return [];
  }
}

/** The order finished last at or before the accident (a commute home after it). */
export function lastFinishedOrder<O extends { finishedAt: string | null }>(accidentAt: string, orders: readonly O[]): O | null {
  const done = orders.filter((o): o is O & { finishedAt: string } => o.finishedAt !== null && o.finishedAt <= accidentAt);
  done.sort((a, b) => (a.finishedAt < b.finishedAt ? 1 : a.finishedAt > b.finishedAt ? -1 : 0));
  return done[0] ?? null;
}
