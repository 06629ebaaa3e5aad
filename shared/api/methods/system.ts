// What the shell needs before and around sign-in: app identity, setup state, sync status.
import { z } from 'zod';
import { method } from '../define';
import { HOST_KINDS } from '../../hosts';

export const systemMethods = {
  'system.info': method({
    label: '系统信息',
    access: 'public',
    mutates: false,
    allowWhenLocked: true,
    input: z.object({}),
    output: z.object({
      appName: z.string(),
      version: z.string(),
      needsSetup: z.boolean(),
      host: z.enum(HOST_KINDS),
    }),
  }),
  'sync.status': method({
    label: '同步状态',
    access: 'authenticated',
    mutates: false,
    allowWhenLocked: true,
    input: z.object({}),
    output: z.object({
      configured: z.boolean(),
      online: z.boolean(),
      pendingOutbox: z.number(),
      lastSyncAt: z.string().nullable(),
    }),
  }),
};
