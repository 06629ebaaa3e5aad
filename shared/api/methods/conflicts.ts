// The 同步冲突 inbox (issue #13): what the centre could not merge by itself — an edit made on top of
// a version the centre no longer holds, or a registration that looks like one made at another
// hall — shown side by side in Chinese for an authorised person to decide. The decision is an
// ordinary audited, replicated change (docs/sync-protocol.md §10). Also the correction of a
// worker's phone number, the commonest edit made in two places.
import { z } from 'zod';
import { method } from '../define';
import { idSchema } from '../common';
import { CONFLICT_DECISIONS, CONFLICT_KINDS } from '../../sync/conflicts';

/** Who decides conflicts: administrators and the office's managers. */
export const CONFLICT_DECIDERS = ['admin', 'manager'] as const;

export const conflictFieldSchema = z.object({
  label: z.string(),
  /** The edit made on a device (for a duplicate: the later registration). */
  mine: z.string(),
  /** The centre's version (for a duplicate: the other hall's registration). */
  centre: z.string(),
  differs: z.boolean(),
});

export const conflictItemSchema = z.object({
  id: z.string(),
  kind: z.enum(CONFLICT_KINDS),
  /** In Chinese: what kind of record, which call met the conflict. */
  recordLabel: z.string(),
  callLabel: z.string(),
  /** Whose edit it was: this computer or another of the office. */
  madeHere: z.boolean(),
  createdAt: z.string(),
  fields: z.array(conflictFieldSchema),
  /** The decisions open for it, with their Chinese labels. */
  choices: z.array(z.object({ decision: z.enum(CONFLICT_DECISIONS), label: z.string() })),
  decided: z.object({ decision: z.enum(CONFLICT_DECISIONS), label: z.string(), at: z.string(), synced: z.boolean() }).nullable(),
});
export type ConflictItem = z.infer<typeof conflictItemSchema>;

export const conflictMethods = {
  'conflicts.list': method({
    label: '查看同步冲突',
    access: [...CONFLICT_DECIDERS],
    mutates: false,
    input: z.object({ show: z.enum(['open', 'all']).default('open') }),
    output: z.array(conflictItemSchema),
  }),
  'conflicts.resolve': method({
    label: '处理同步冲突',
    access: [...CONFLICT_DECIDERS],
    mutates: true,
    input: z.object({ id: idSchema, decision: z.enum(CONFLICT_DECISIONS) }),
    output: z.object({ ok: z.literal(true), summary: z.string() }),
  }),
  'workers.correctPhone': method({
    label: '更正伤者联系电话',
    access: ['intake_clerk', 'confirmation_officer'],
    mutates: true,
    input: z.object({
      workerId: idSchema,
      phone: z
        .string()
        .trim()
        .regex(/^1\d{10}$/, '手机号码应为 11 位数字，以 1 开头'),
    }),
    output: z.object({ ok: z.literal(true) }),
  }),
};
