// Sync with the province's centre, as the app shows it: enrolment (administrators), the status
// slot, 立即同步, the outbox's waiting, rejected and conflicting items, the history of passes,
// and a revoked device's export of what it could not send. The engine is electron/core/sync/.
import { z } from 'zod';
import { method } from '../define';

export const syncStatusSchema = z.object({
  /** Enrolled with a centre. */
  configured: z.boolean(),
  /** The centre answered the last pass of this session. */
  online: z.boolean(),
  /** A pass is running now. */
  running: z.boolean(),
  revoked: z.boolean(),
  pendingOutbox: z.number(),
  rejected: z.number(),
  conflicts: z.number(),
  lastSyncAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  /** Plain Chinese, null after a pass that succeeded. */
  lastError: z.string().nullable(),
  centreUrl: z.string().nullable(),
  deviceTag: z.string().nullable(),
  officeName: z.string().nullable(),
  enrolledAt: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const syncSummarySchema = z.object({
  ok: z.boolean(),
  pushed: z.number(),
  pulled: z.number(),
  conflicts: z.number(),
  rejected: z.number(),
  errors: z.array(z.string()),
});

export const OUTBOX_FILTERS = ['waiting', 'problems', 'all'] as const;

export const outboxItemSchema = z.object({
  seq: z.number(),
  /** What the change was, in Chinese (the method's label). */
  label: z.string(),
  entity: z.string().nullable(),
  userName: z.string().nullable(),
  createdAt: z.string(),
  status: z.enum(['pending', 'acked', 'rejected', 'conflict']),
  attempts: z.number(),
  /** The centre's message (rejected, conflict) or the last failed attempt's. */
  message: z.string().nullable(),
  rows: z.number(),
});

export const syncPassSchema = z.object({
  id: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  trigger: z.enum(['background', 'manual', 'cli']),
  outcome: z.enum(['running', 'ok', 'failed', 'offline', 'revoked']),
  pushed: z.number(),
  pulled: z.number(),
  conflicts: z.number(),
  rejected: z.number(),
  message: z.string().nullable(),
});

/** Payload of the `sync.progress` topic. */
export interface SyncProgress {
  phase: 'push' | 'pull' | 'done' | 'failed';
  done: number;
  total: number;
  message: string;
}

export const syncMethods = {
  'sync.status': method({
    label: '同步状态',
    access: 'authenticated',
    mutates: false,
    allowWhenLocked: true,
    input: z.object({}),
    output: syncStatusSchema,
  }),
  'sync.enrol': method({
    label: '在中心注册本机',
    access: ['admin'],
    mutates: true,
    input: z.object({
      url: z.string().trim().min(1, '请填写中心地址').max(300, '中心地址过长'),
      code: z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, '注册码格式应为 XXXX-XXXX-XXXX-XXXX（16 位字母数字）'),
      deviceName: z.string().trim().min(1, '请填写本机名称').max(60, '本机名称最多 60 个字').default('办公电脑'),
    }),
    output: z.object({ deviceTag: z.string(), officeName: z.string(), centreUrl: z.string() }),
  }),
  'sync.now': method({
    label: '立即同步',
    access: 'authenticated',
    mutates: false,
    input: z.object({}),
    output: syncSummarySchema,
  }),
  'sync.outbox': method({
    label: '查看待同步记录',
    access: 'authenticated',
    mutates: false,
    input: z.object({ filter: z.enum(OUTBOX_FILTERS).default('waiting'), limit: z.number().int().min(1).max(500).default(200) }),
    output: z.object({ items: z.array(outboxItemSchema), total: z.number() }),
  }),
  'sync.history': method({
    label: '查看同步记录',
    access: 'authenticated',
    mutates: false,
    input: z.object({ limit: z.number().int().min(1).max(200).default(30) }),
    output: z.array(syncPassSchema),
  }),
  'sync.exportOutbox': method({
    label: '导出未同步的记录',
    access: ['admin'],
    mutates: true,
    input: z.object({}),
    output: z.object({ fileName: z.string(), content: z.string(), count: z.number() }),
  }),
};
