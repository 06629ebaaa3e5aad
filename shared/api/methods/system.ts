// What the shell needs before and around sign-in: app identity and setup state.
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
};
