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

export const ruleMethods = {
  'rules.packs': method({ label: '查看规则包', access: 'authenticated', mutates: false, input: z.object({}), output: z.array(rulePackInfoSchema) }),
};
