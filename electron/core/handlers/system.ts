// Handlers for app identity and the sync status slot.
import type { Handlers } from '../rpc-types';
import { countUsers } from '../users';

export const APP_NAME = '职伤保障工作台';

export const systemHandlers: Pick<Handlers, 'system.info' | 'sync.status'> = {
  async 'system.info'(_input, ctx) {
    return { appName: APP_NAME, version: ctx.version, needsSetup: (await countUsers(ctx.db)) === 0, host: ctx.host };
  },

  async 'sync.status'() {
    // No central endpoint is configured until the sync issue lands: say so, do not pretend.
    return { configured: false, online: false, pendingOutbox: 0, lastSyncAt: null };
  },
};
