// Small schemas reused across the contract: ids, dates, bounded text.
import { z } from 'zod';

export const idSchema = z.string().regex(/^[0-9a-f-]{36}$/, '记录编号格式不正确');

/** Bounded text: refuses oversize input instead of storing it. */
export function text(label: string, max: number, min = 0) {
  let s = z.string({ error: `${label}必须是文字` }).trim();
  if (min > 0) s = s.min(min, min === 1 ? `请填写${label}` : `${label}至少需要 ${min} 个字符`);
  return s.max(max, `${label}不能超过 ${max} 个字符，请精简后再提交`);
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
