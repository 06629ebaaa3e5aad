// Assembles the core for a host: opens the store, wires the handlers to the dispatcher.
// Electron's main process, the web host, the CLI and the tests all start here.
import { openStore, type Store } from './db';
import type { KeyProtector } from './store-key';
import { createDispatcher, type Dispatch } from './dispatcher';
import { EventBus } from './events';
import { systemClock, type Clock } from './clock';
import type { CoreDeps, Handlers, HostKind } from './rpc-types';
import { authHandlers } from './handlers/auth';
import { adminHandlers } from './handlers/admin';
import { systemHandlers } from './handlers/system';
import { caseHandlers } from './handlers/cases';
import { ruleHandlers } from './handlers/rules';
import { noticeHandlers } from './handlers/notices';
import { appraisalHandlers } from './handlers/appraisal';
import { sessionPackageHandlers } from './handlers/session-package';
import { PrintJobs } from './notices/print-jobs';
import pkg from '../../package.json' with { type: 'json' };

export const handlers: Handlers = {
  ...systemHandlers,
  ...authHandlers,
  ...adminHandlers,
  ...caseHandlers,
  ...ruleHandlers,
  ...noticeHandlers,
  ...appraisalHandlers,
  ...sessionPackageHandlers,
};

export interface Core {
  store: Store;
  deps: CoreDeps;
  dispatch: Dispatch;
  events: EventBus;
  close(): Promise<void>;
}

export interface CoreOptions {
  dataDir: string;
  host: HostKind;
  clock?: Clock;
  nativeBinding?: string;
  /** Electron: the OS protects the store key (safeStorage). */
  keyProtector?: KeyProtector;
}

export function createCore(opts: CoreOptions): Core {
  const store = openStore(opts.dataDir, { ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}), ...(opts.keyProtector ? { keyProtector: opts.keyProtector } : {}) });
  const events = new EventBus();
  const deps: CoreDeps = { clock: opts.clock ?? systemClock, events, printJobs: new PrintJobs(events), host: opts.host, dataDir: opts.dataDir, version: pkg.version };
  const dispatch = createDispatcher(store.db, deps, handlers);
  return { store, deps, dispatch, events, close: () => store.close() };
}
