// Reference data the centre owns (issue #13): the kinds, one zod schema per kind for an item's
// body, the signed envelope a device pulls, and the exact bytes the centre's signature covers.
// The centre validates with these before it signs; the device validates again after checking the
// signature against the centre key it pinned at enrolment (never a key the item carries).
import { z } from 'zod';
import { canonical, utf8 } from '../crypto/canonical';
import { rulePackSchema } from '../rules/rule-pack-schema';
import { calendarSchema } from '../rules/calendar';
import { catalogueSchema } from '../rules/grading';
import { expertSchema } from '../api/methods/appraisal';
import { INDUSTRIES } from '../cases/enums';
import { ROLES } from '../roles';

export const REFERENCE_KINDS = ['rule_pack', 'calendar', 'catalogue', 'experts', 'platforms', 'offices', 'accounts'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export const REFERENCE_KIND_LABELS: Record<ReferenceKind, string> = {
  rule_pack: '规则包',
  calendar: '工作日历',
  catalogue: '伤残等级条目目录',
  experts: '鉴定专家库',
  platforms: '平台名录',
  offices: '经办机构与鉴定委员会',
  accounts: '本机构人员账号',
};

const version = z.string().trim().min(1, '缺少版本号').max(40);

export const expertPoolSchema = z.object({
  version,
  // UUIDs, as the desk's own expert ids: the panel draw and hearings name experts by them.
  experts: z
    .array(expertSchema.omit({ userId: true }).extend({ id: z.string().regex(/^[0-9a-f-]{36}$/, '专家编号应为 UUID') }))
    .max(5000)
    .refine((l) => new Set(l.map((e) => e.id)).size === l.length, { error: '专家编号重复' }),
});

export const platformListSchema = z.object({
  version,
  platforms: z
    .array(
      z.object({
        code: z.string().regex(/^[a-z0-9-]{2,40}$/, '平台代码应为 2–40 位小写字母、数字或 -'),
        name: z.string().trim().min(1).max(40),
        /** The legal entity notices are addressed to (the brand is not a legal person). */
        legalName: z.string().trim().min(1, '缺少平台企业法人名称').max(80),
        creditCode: z.string().trim().length(18, '统一社会信用代码应为 18 位'),
        industry: z.enum(INDUSTRIES),
        active: z.boolean().default(true),
      }),
    )
    .max(500)
    .refine((l) => new Set(l.map((p) => p.code)).size === l.length, { error: '平台代码重复' }),
});

export const OFFICE_KINDS = ['service', 'committee', 'benefits'] as const;
export const officeListSchema = z.object({
  version,
  offices: z
    .array(
      z.object({
        code: z.string().trim().min(1).max(40),
        name: z.string().trim().min(1).max(80),
        /** service = 经办机构, committee = 劳动能力鉴定委员会, benefits = 待遇经办. */
        kind: z.enum(OFFICE_KINDS),
        /** Committees: municipal or provincial level. */
        level: z.enum(['municipal', 'provincial']).nullable().default(null),
        jurisdiction: z.string().trim().max(40).nullable().default(null),
      }),
    )
    .max(1000)
    .refine((l) => new Set(l.map((o) => o.code)).size === l.length, { error: '机构代码重复' }),
});

/** A password verifier as the device stores it: scrypt with its parameters, and the salt. Never a password. */
export const passwordVerifierSchema = z.object({
  hash: z.string().regex(/^scrypt\$\d+\$8\$1\$[0-9a-f]{64}$/, '口令校验值格式不正确（应为 scrypt$N$8$1$…）'),
  salt: z.string().regex(/^[0-9a-f]{32}$/, '口令盐格式不正确'),
});

export const accountListSchema = z
  .object({
    version,
    users: z
      .array(
        z
          .object({
            // The device's record ids are UUIDs: an account is one row of users on every laptop.
            id: z.string().regex(/^[0-9a-f-]{36}$/, '人员编号应为 UUID'),
            username: z.string().trim().min(1).max(40),
            displayName: z.string().trim().min(1).max(40),
            roles: z.array(z.enum(ROLES)).max(ROLES.length),
            active: z.boolean(),
            verifier: passwordVerifierSchema,
          })
          .strict(),
      )
      .max(2000),
  })
  .refine((a) => new Set(a.users.map((u) => u.id)).size === a.users.length, { error: '人员编号重复' })
  .refine((a) => new Set(a.users.map((u) => u.username)).size === a.users.length, { error: '用户名重复' });

export const referenceBodySchemas = {
  rule_pack: rulePackSchema,
  calendar: calendarSchema,
  catalogue: catalogueSchema,
  experts: expertPoolSchema,
  platforms: platformListSchema,
  offices: officeListSchema,
  accounts: accountListSchema,
} as const satisfies Record<ReferenceKind, z.ZodType>;

export type ReferenceBody<K extends ReferenceKind> = z.output<(typeof referenceBodySchemas)[K]>;

/** Which item of a kind a body is: a rule pack by its id, the rest are one item per kind (accounts: per office). */
export function referenceItemId(kind: ReferenceKind, body: unknown): string {
  if (kind === 'rule_pack') return String((body as { id?: unknown }).id ?? '');
  return kind;
}

export type BodyCheck = { ok: true; body: unknown; version: string } | { ok: false; message: string };

/** Validates a body for its kind; the message names the field, in Chinese. */
export function checkReferenceBody(kind: ReferenceKind, body: unknown): BodyCheck {
  const r = referenceBodySchemas[kind].safeParse(body);
  if (!r.success) {
    const i = r.error.issues[0];
    return { ok: false, message: `${REFERENCE_KIND_LABELS[kind]}格式不正确（${i?.path.join('.') || '根'}：${i?.message ?? '无效'}）` };
  }
  return { ok: true, body: r.data, version: (r.data as { version: string }).version };
}

export const referenceItemSchema = z.object({
  kind: z.enum(REFERENCE_KINDS),
  itemId: z.string().min(1).max(80),
  version,
  /** The centre's count of publications of this item: a device never applies one at or below what it holds. */
  revision: z.number().int().positive(),
  /** Office id an item is for (accounts), null for every device. */
  office: z.string().nullable(),
  publishedAt: z.string(),
  body: z.unknown(),
  keyId: z.string(),
  signature: z.string(),
});
export type ReferenceItem = z.infer<typeof referenceItemSchema>;

/** The bytes the centre signs: everything of the item but the signature (and the key id, a hint only). */
export function referenceSigningBytes(item: Omit<ReferenceItem, 'signature' | 'keyId'>): Uint8Array {
  return utf8(
    canonical({
      format: 'oip-reference/1',
      kind: item.kind,
      itemId: item.itemId,
      version: item.version,
      revision: item.revision,
      office: item.office,
      publishedAt: item.publishedAt,
      body: item.body,
    }),
  );
}

export const REFERENCE_MAX_LIMIT = 100;
export const referenceQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(REFERENCE_MAX_LIMIT).default(50),
});
export const referenceReplySchema = z.object({
  ok: z.literal(true),
  // Each item is checked on its own by the device (signature, then schema): one bad item is refused
  // whole without refusing the others.
  items: z.array(z.object({ seq: z.number().int().positive(), item: z.unknown() })).max(REFERENCE_MAX_LIMIT),
  /** The seq to ask after next time. */
  cursor: z.number().int().min(0),
  more: z.boolean(),
});
export type ReferenceReply = z.infer<typeof referenceReplySchema>;
