// Read access to the rule data: which rule packs are installed (per jurisdiction and period).
import { z } from 'zod';
import { method } from '../define';

export const rulePackInfoSchema = z.object({
  id: z.string(),
  version: z.string(),
  jurisdiction: z.string(),
  name: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
});

export const catalogueItemOut = z.object({ code: z.string(), category: z.string(), grade: z.number(), text: z.string() });

export const ruleMethods = {
  'rules.catalogue': method({
    label: '检索伤残条款',
    access: 'authenticated',
    mutates: false,
    input: z.object({ q: z.string().trim().max(40) }),
    output: z.object({ completeness: z.string(), items: z.array(catalogueItemOut) }),
  }),
  'rules.packs': method({
    label: '查看规则包',
    access: 'authenticated',
    mutates: false,
    input: z.object({}),
    output: z.array(rulePackInfoSchema),
  }),
};
