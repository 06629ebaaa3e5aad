// Small schemas reused across the contract: ids, dates, bounded text, and the character rules
// every piece of text a person types must meet before it is stored, printed or hashed.
import { z } from 'zod';

export const idSchema = z.string().regex(/^[0-9a-f-]{36}$/, '记录编号格式不正确');

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the string cannot be stored as UTF-8 exactly as given (SQLite would store something else). */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

/**
 * Characters with no business in a name, a file name or a reason: C0 and C1 control characters
 * (NUL included), the bidirectional marks and overrides that make text display in a different
 * order than it is stored (a file name "gpj.exe" shown as "exe.jpg"), and zero-width characters
 * that make two different strings look the same. Line breaks and tabs are allowed only where
 * the field is a paragraph.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_IN_LINE = /[\u0000-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_IN_PARAGRAPH = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u2069\uFEFF]/;

export function forbiddenCharacter(s: string, paragraph: boolean): string | null {
  if ((paragraph ? CONTROL_IN_PARAGRAPH : CONTROL_IN_LINE).test(s)) return paragraph ? '控制字符' : '换行、制表符或控制字符';
  if (INVISIBLE.test(s)) return '零宽字符或文字方向控制符';
  return null;
}

function bounded(label: string, max: number, min: number, paragraph: boolean) {
  // An empty field is "请填写…", not a complaint about its type.
  let s = z.string({ error: (iss) => (iss.input === undefined || iss.input === null ? `请填写${label}` : `${label}必须是文字`) }).trim();
  if (min > 0) s = s.min(min, min === 1 ? `请填写${label}` : `${label}至少需要 ${min} 个字符`);
  return s.max(max, `${label}不能超过 ${max} 个字符，请精简后再提交`).superRefine((v, ctx) => {
    const bad = forbiddenCharacter(v, paragraph);
    if (bad) ctx.addIssue({ code: 'custom', message: `${label}中含有${bad}，请删除后重新输入（可能是从其他软件复制时带入的）` });
  });
}

/** Bounded single-line text (names, numbers, places, file names): refuses oversize input and invisible characters. */
export function text(label: string, max: number, min = 0) {
  return bounded(label, max, min, false);
}

/** Bounded free text that may run over several lines (reasons, descriptions, findings). */
export function paragraph(label: string, max: number, min = 0) {
  return bounded(label, max, min, true);
}

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, '日期不存在，请检查年月日');

export const passwordSchema = z
  .string({ error: '请输入密码' })
  .min(10, '密码至少 10 个字符')
  .max(200, '密码不能超过 200 个字符')
  .refine((p) => /[A-Za-z]/.test(p) && /[0-9]/.test(p), '密码需同时包含字母和数字');

export const usernameSchema = z
  .string({ error: '请输入用户名' })
  .trim()
  .regex(/^[a-z][a-z0-9._-]{2,31}$/, '用户名需为 3–32 位小写字母、数字或 . _ -，并以字母开头');

export const pageSchema = z.object({
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
});
