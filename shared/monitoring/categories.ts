// Classifying free-text injuries and accident descriptions for 运行监测 (injury types, common
// accident scenarios). The categories and their keywords are reference data
// (resources/monitoring/categories.json), validated here; the first category whose keyword
// occurs in the text wins, and anything unmatched is 其他.
import { z } from 'zod';

const categorySchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/, '类别代码应为小写字母、数字或下划线'),
  label: z.string().min(1),
  keywords: z.array(z.string().min(1)).min(1),
});

export const categoriesSchema = z.object({
  id: z.string().min(1),
  version: z.string().min(1),
  source: z.string().min(1),
  injuryTypes: z.array(categorySchema).min(1),
  scenarios: z.array(categorySchema).min(1),
});
export type Categories = z.infer<typeof categoriesSchema>;
export type Category = z.infer<typeof categorySchema>;

export const OTHER_CATEGORY = 'other';
export const OTHER_LABEL = '其他';

export function parseCategories(data: unknown): Categories {
  const r = categoriesSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`监测分类文件格式不正确（${issue?.path.join('.') || '根'}：${issue?.message}），请恢复随附的 categories.json。`);
  }
  return r.data;
}

/** The first category with a keyword in the text, else 'other'. */
export function classify(text: string, list: readonly Category[]): string {
  for (const c of list) if (c.keywords.some((k) => text.includes(k))) return c.code;
  return OTHER_CATEGORY;
}

export function categoryLabel(code: string, list: readonly Category[]): string {
  return list.find((c) => c.code === code)?.label ?? OTHER_LABEL;
}
