// Read access to the rule data: which rule packs are installed (per jurisdiction and period), the
// catalogue, and every reference item in force with its version and source (bundled / centre).
import { z } from 'zod';
import { method } from '../define';

export const REFERENCE_SOURCES = ['bundled', 'centre'] as const;

export const rulePackInfoSchema = z.object({
  id: z.string(),
  version: z.string(),
  jurisdiction: z.string(),
  name: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  source: z.enum(REFERENCE_SOURCES),
});

export const catalogueItemOut = z.object({ code: z.string(), category: z.string(), grade: z.number(), text: z.string() });

export const referenceListingSchema = z.object({
  kind: z.string(),
  kindLabel: z.string(),
  itemId: z.string(),
  version: z.string(),
  source: z.enum(REFERENCE_SOURCES),
  revision: z.number(),
  publishedAt: z.string().nullable(),
  installedAt: z.string(),
});

export const referenceRejectionSchema = z.object({
  at: z.string(),
  kind: z.string(),
  kindLabel: z.string(),
  itemId: z.string(),
  version: z.string(),
  message: z.string(),
});

export const ruleMethods = {
  'rules.catalogue': method({
    label: '检索伤残条款',
    access: 'authenticated',
    mutates: false,
    input: z.object({ q: z.string().trim().max(40) }),
    output: z.object({
      completeness: z.string(),
      /** Items the catalogue in force holds, and how many the standard has: the grading screen says both. */
      itemsHeld: z.number(),
      itemsInStandard: z.number(),
      version: z.string(),
      items: z.array(catalogueItemOut),
    }),
  }),
  'rules.packs': method({
    label: '查看规则包',
    access: 'authenticated',
    mutates: false,
    input: z.object({}),
    output: z.array(rulePackInfoSchema),
  }),
  'reference.list': method({
    label: '查看参考数据版本',
    access: 'authenticated',
    mutates: false,
    input: z.object({}),
    output: z.object({ items: z.array(referenceListingSchema), rejections: z.array(referenceRejectionSchema) }),
  }),
};
