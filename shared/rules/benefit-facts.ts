// The facts a benefit computation starts from (the CLI's --input and the benefits screen),
// validated so bad facts are refused in Chinese before anything is computed.
import { z } from 'zod';
import { decimalStringSchema, isoDateSchema } from './rule-pack-schema';
import { RuleError } from './errors';

import { NURSING_LEVELS } from '../appraisal/grades';
import { APPLICANT_KINDS } from '../cases/enums';

/** 供养亲属 (《因工死亡职工供养亲属范围规定》). */
export const DEPENDANT_RELATIONS = ['spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling'] as const;
export type DependantRelation = (typeof DEPENDANT_RELATIONS)[number];
export const DEPENDANT_RELATION_LABELS: Record<DependantRelation, string> = {
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  grandparent: '祖父母/外祖父母',
  grandchild: '孙子女/外孙子女',
  sibling: '兄弟姐妹',
};
export const SEXES = ['male', 'female'] as const;
export const SEX_LABELS: Record<(typeof SEXES)[number], string> = { male: '男', female: '女' };
/** What ends a dependant's pension (《因工死亡职工供养亲属范围规定》第四条). */
export const DEPENDANT_END_REASONS = ['employed', 'enlisted', 'remarried', 'adopted', 'died', 'other'] as const;
export const DEPENDANT_END_LABELS: Record<(typeof DEPENDANT_END_REASONS)[number], string> = {
  employed: '就业',
  enlisted: '参军',
  remarried: '再婚',
  adopted: '被他人或组织收养',
  died: '死亡',
  other: '其他原因',
};

const gradeSchema = z
  .number({ error: '伤残等级须为 1 至 10 的整数；未达级请填 null' })
  .int({ error: '伤残等级须为 1 至 10 的整数' })
  .min(1, { error: '伤残等级须为 1 至 10 的整数（一级最重，十级最轻）' })
  .max(10, { error: '伤残等级须为 1 至 10 的整数（一级最重，十级最轻）' });

const positiveDecimal = decimalStringSchema.refine((s) => Number(s) > 0, { error: '须为大于 0 的金额' });

export const disabilityOutcomeSchema = z.strictObject({
  kind: z.literal('disability'),
  grade: gradeSchema.nullable(),
  nursingLevel: z
    .enum(NURSING_LEVELS, { error: '生活自理障碍程度须为 full（完全）、most（大部分）、partial（部分）或 null' })
    .nullable()
    .default(null),
  conclusionDate: isoDateSchema,
});

export const dependantSchema = z.strictObject({
  relation: z.enum(DEPENDANT_RELATIONS, { error: '供养亲属关系须为 spouse、child、parent、grandparent、grandchild 或 sibling' }),
  /** 孤儿 (a child, grandchild or sibling) or 孤寡老人 (a spouse, parent or grandparent): +10 %. */
  orphanOrSolitaryElder: z.boolean().default(false),
  name: z.string().optional(),
  // The facts that give or end eligibility. With a birth date the engine decides eligibility and
  // the end date from the pack's rule; without one the dependant is taken as eligible as given.
  sex: z.enum(SEXES, { error: '性别须为 male 或 female' }).optional(),
  birthDate: isoDateSchema.optional(),
  /** 依靠死者生前提供主要生活来源. */
  dependent: z.boolean().default(true),
  /** 完全丧失劳动能力: eligible whatever the age, for life. */
  fullyDisabled: z.boolean().default(false),
  /** In full-time study (only extends eligibility where the pack's rule says so). */
  student: z.boolean().default(false),
  /**
   * The nearer relatives are gone: for a grandparent, the worker's parents have both died; for a
   * grandchild, the worker's children have died or cannot work at all; for a sibling, the worker's
   * parents have both died or cannot work at all.
   */
  nearerRelativesGone: z.boolean().default(false),
  /** What ended the pension, and when. */
  ended: z.strictObject({ date: isoDateSchema, reason: z.enum(DEPENDANT_END_REASONS) }).optional(),
});
export type Dependant = z.output<typeof dependantSchema>;

export const deathOutcomeSchema = z.strictObject({
  kind: z.literal('death'),
  deathDate: isoDateSchema,
  dependants: z.array(dependantSchema).default([]),
  /** A person graded 1–4 who died after the treatment period (第二十九条第三款): no death lump sum. */
  afterTreatmentWithGrade1to4: z.boolean().default(false),
  /** The paragraph of the death article the death falls under, as the case file decided it. */
  basisArticle: z.string().optional(),
});

export const benefitFactsSchema = z.strictObject({
  jurisdiction: z.string().min(1, { error: '请填写地区（jurisdiction），例如 qinghai 或 shandong' }),
  injuryDate: isoDateSchema,
  city: z
    .string()
    .regex(/^[a-z]+$/, { error: '城市代码须为小写拼音，例如 xining' })
    .optional(),
  veteranOldInjury: z.boolean().default(false),
  outcome: z.discriminatedUnion('kind', [disabilityOutcomeSchema, deathOutcomeSchema], {
    error: '结果（outcome）的 kind 须为 disability（伤残）或 death（死亡）',
  }),
  treatment: z
    .strictObject({
      start: isoDateSchema,
      /** Last day of treatment, or null while it goes on. */
      end: isoDateSchema.nullable().default(null),
      extended: z.boolean().default(false),
    })
    .optional(),
  application: z
    .strictObject({ by: z.enum(APPLICANT_KINDS, { error: '申请人须为 platform、worker、relative 或 union' }), date: isoDateSchema })
    .optional(),
  figures: z
    .strictObject({
      provincialPrivateAnnualWage: positiveDecimal.optional(),
      nationalUrbanDisposableIncome: positiveDecimal.optional(),
      cityMinimumLivingMonthly: positiveDecimal.optional(),
    })
    .optional(),
  caseRef: z.string().optional(),
});

export type BenefitFactsInput = z.input<typeof benefitFactsSchema>;
export type BenefitFacts = z.output<typeof benefitFactsSchema>;

const FIELD_NAMES: Record<string, string> = {
  injuryDate: '事故日期',
  conclusionDate: '鉴定结论日期',
  deathDate: '死亡日期',
  grade: '伤残等级',
  nursingLevel: '生活自理障碍程度',
  start: '治疗开始日期',
  end: '治疗结束日期',
  date: '申请日期',
  provincialPrivateAnnualWage: '全省城镇私营单位就业人员年平均工资',
  nationalUrbanDisposableIncome: '全国城镇居民人均可支配收入',
  cityMinimumLivingMonthly: '城市月最低生活保障标准',
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function refuse(message: string, field?: string): never {
  throw new RuleError('INVALID_FACTS', message, field);
}

/** Parses and cross-checks the facts; every refusal says which field and what to do. */
export function parseBenefitFacts(input: unknown): BenefitFacts {
  const r = benefitFactsSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys;
      if (path === 'outcome' && keys.some((k) => k === 'grade' || k === 'nursingLevel')) {
        refuse(
          '死亡案件不能同时填写伤残等级或生活自理障碍程度：请删除 outcome.grade / outcome.nursingLevel，或把 outcome.kind 改为 disability。',
          'outcome.grade',
        );
      }
      refuse(
        `输入中有不认识的字段：${keys.map((k) => (path ? `${path}.${k}` : k)).join('、')}。请按 docs/cli-rules.md 核对字段名。`,
        path || keys[0],
      );
    }
    const last = String(issue.path[issue.path.length - 1] ?? '');
    const name = FIELD_NAMES[last] ?? (path || '输入');
    const missing = issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined;
    refuse(missing ? `缺少${name}（${path}），请补充后再计算。` : `${name}（${path}）不正确：${issue.message}。`, path);
  }
  const f = r.data;
  const o = f.outcome;
  if (o.kind === 'disability') {
    if (o.conclusionDate < f.injuryDate)
      refuse(`鉴定结论日期 ${o.conclusionDate} 早于事故日期 ${f.injuryDate}，请核对两个日期。`, 'outcome.conclusionDate');
    if (o.grade === null && o.nursingLevel !== null)
      refuse('未达级的鉴定结论不能有生活自理障碍程度，请核对鉴定结论。', 'outcome.nursingLevel');
  } else {
    if (o.deathDate < f.injuryDate) refuse(`死亡日期 ${o.deathDate} 早于事故日期 ${f.injuryDate}，请核对两个日期。`, 'outcome.deathDate');
    if (o.dependants.filter((d) => d.relation === 'spouse').length > 1)
      refuse('供养亲属中只能有一位配偶，请核对供养亲属名单。', 'outcome.dependants');
  }
  if (f.treatment) {
    if (f.treatment.start < f.injuryDate)
      refuse(`治疗开始日期 ${f.treatment.start} 早于事故日期 ${f.injuryDate}，请核对。`, 'treatment.start');
    if (f.treatment.end !== null && f.treatment.end < f.treatment.start)
      refuse(`治疗结束日期 ${f.treatment.end} 早于治疗开始日期 ${f.treatment.start}，请核对。`, 'treatment.end');
    if (o.kind === 'death' && f.treatment.start > o.deathDate)
      refuse(`治疗开始日期 ${f.treatment.start} 晚于死亡日期 ${o.deathDate}，请核对。`, 'treatment.start');
  }
  if (f.application && f.application.date < f.injuryDate)
    refuse(`申请日期 ${f.application.date} 早于事故日期 ${f.injuryDate}，请核对。`, 'application.date');
  return f;
}
