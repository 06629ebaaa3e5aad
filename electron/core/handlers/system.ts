// Handlers for app identity.
import type { Handlers } from '../rpc-types';
import { countUsers } from '../users';

export const APP_NAME = '职伤保障工作台';

export const systemHandlers: Pick<Handlers, 'system.info'> = {
  async 'system.info'(_input, ctx) {
    return { appName: APP_NAME, version: ctx.version, needsSetup: (await countUsers(ctx.db)) === 0, host: ctx.host };
  },
};
