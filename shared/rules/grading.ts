// Disability grading after GB/T 16180-2014: the 4.2 晋级原则 proposal for several injuries and
// the catalogue of grading items (resources/gbt16180/catalogue.json) with its search. The
// engine never relies on the catalogue being complete: an item is a grade plus a reference.
import { z } from 'zod';
import { RuleError } from './errors';
import { CATEGORIES, CATEGORY_LABELS } from '../appraisal/enums';
import { gradeLabel } from '../appraisal/grades';

/** The catalogue names each item's 门类 in words, as the standard prints it. */
export const GBT16180_CATEGORIES: readonly string[] = CATEGORIES.map((c) => CATEGORY_LABELS[c]);

export const catalogueItemSchema = z.object({
  /** '5.7.2(47)': clause 5.N.2 of grade N, item number k. */
  code: z.string().regex(/^5\.(10|[1-9])\.2\(\d{1,3}\)$/),
  category: z.string().refine((c) => GBT16180_CATEGORIES.includes(c), { error: '门类应为 GB/T 16180-2014 的五个门类之一' }),
  grade: z.number().int().min(1).max(10),
  text: z.string().min(1),
  keywords: z.array(z.string().min(1)).default([]),
  status: z.enum(['official', 'secondary', 'unconfirmed']).default('secondary'),
});
export const catalogueSchema = z
  .object({
    standard: z.string().min(1),
    version: z.string().min(1),
    completeness: z.object({ itemsInStandard: z.number().int().positive(), note: z.string() }),
    items: z.array(catalogueItemSchema),
  })
  .refine((c) => c.items.every((i) => i.code.startsWith(`5.${i.grade}.2(`)), { error: '条目编号 5.N.2(k) 中的 N 必须等于该条目的伤残等级' })
  .refine((c) => new Set(c.items.map((i) => i.code)).size === c.items.length, { error: '条目编号重复' });

export type CatalogueItem = z.infer<typeof catalogueItemSchema>;
export type Catalogue = z.infer<typeof catalogueSchema>;

export function parseCatalogue(data: unknown): Catalogue {
  const r = catalogueSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new RuleError(
      'INVALID_INPUT',
      `伤残等级条目目录格式不正确（${i?.path.join('.') || '根'}：${i?.message}）。请恢复随附的目录文件。`,
    );
  }
  return r.data;
}

/**
 * Items whose code starts with the query (e.g. '5.7', '5.7.2(4'), or whose text or keywords
 * contain every word of it (space-separated). Code matches come first, then by grade and code.
 */
export function searchCatalogue(items: readonly CatalogueItem[], query: string): CatalogueItem[] {
  const q = query.trim();
  if (q === '') return [...items];
  const byCode = items.filter((i) => i.code.startsWith(q) || i.code.replace(/[()]/g, '').startsWith(q.replace(/[()（）]/g, '')));
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const byWords = items.filter(
    (i) =>
      !byCode.includes(i) &&
      words.every(
        (w) => i.text.toLowerCase().includes(w) || i.keywords.some((k) => k.toLowerCase().includes(w) || w.includes(k.toLowerCase())),
      ),
  );
  const order = (a: CatalogueItem, b: CatalogueItem) => a.grade - b.grade || itemNo(a.code) - itemNo(b.code);
  return [...byCode.sort(order), ...byWords.sort(order)];
}

function itemNo(code: string): number {
  return Number(/\((\d+)\)$/.exec(code)?.[1] ?? 0);
}

export interface GradedInjury {
  /** 1 (most severe) … 10, or null when the injury does not reach grade 10 (未达级). */
  grade: number | null;
  itemCode?: string;
  description?: string;
}

export interface CombinedGrade {
  /** The most severe single grade, null when no item reaches grade 10. */
  baseGrade: number | null;
  /** How many items share that grade. */
  itemsAtBaseGrade: number;
  /** Two or more items at the most severe grade: promotion by one grade may be applied. */
  promotionProposed: boolean;
  /** The grade if the panel applies the promotion (never above grade 1); equals baseGrade otherwise. */
  promotedGrade: number | null;
  explanation: string;
}

/**
 * GB/T 16180-2014 4.2 晋级原则: grade each injury; the most severe grade stands; two or more
 * items at that grade propose promotion by at most one grade. Lower grades never add up.
 * Returns the proposal; the panel confirms or declines it.
 */
export function combineGrades(injuries: readonly GradedInjury[]): CombinedGrade {
  for (const [i, inj] of injuries.entries()) {
    if (inj.grade !== null && (!Number.isInteger(inj.grade) || inj.grade < 1 || inj.grade > 10)) {
      throw new RuleError(
        'INVALID_INPUT',
        `第 ${i + 1} 项伤情的等级“${inj.grade}”无效：须为 1 至 10 的整数，未达级填 null。`,
        `injuries.${i}.grade`,
      );
    }
  }
  const graded = injuries.map((i) => i.grade).filter((g): g is number => g !== null);
  if (graded.length === 0) {
    return {
      baseGrade: null,
      itemsAtBaseGrade: 0,
      promotionProposed: false,
      promotedGrade: null,
      explanation: '各项伤情均未达十级，结论为未达级。',
    };
  }
  const baseGrade = Math.min(...graded);
  const itemsAtBaseGrade = graded.filter((g) => g === baseGrade).length;
  const name = gradeLabel(baseGrade);
  if (itemsAtBaseGrade < 2) {
    return {
      baseGrade,
      itemsAtBaseGrade,
      promotionProposed: false,
      promotedGrade: baseGrade,
      explanation: `以最重的单项伤残${name}定级；其他较轻等级不累加晋级。`,
    };
  }
  if (baseGrade === 1) {
    return {
      baseGrade,
      itemsAtBaseGrade,
      promotionProposed: false,
      promotedGrade: 1,
      explanation: `${itemsAtBaseGrade} 项均为一级，一级为最高等级，不再晋级。`,
    };
  }
  const promoted = baseGrade - 1;
  return {
    baseGrade,
    itemsAtBaseGrade,
    promotionProposed: true,
    promotedGrade: promoted,
    explanation: `${itemsAtBaseGrade} 项同为${name}，按晋级原则最多晋升一级，拟定为${gradeLabel(promoted)}；是否晋级由专家组确认。`,
  };
}
