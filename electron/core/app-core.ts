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
import { hearingPackageHandlers } from './handlers/hearing-package';
import { syncHandlers } from './handlers/sync';
import { conflictHandlers } from './handlers/conflicts';
import { caseRequestHandlers } from './handlers/case-requests';
import { SyncService } from './sync/service';
import type { FetchLike } from './sync/centre-client';
import { deviceKey } from './crypto/device-key';
import { backupHandlers } from './handlers/backup';
import { deskHandlers } from './handlers/desk';
import { BatchJobs } from './batch/batch-issue';
import { PrintJobs } from './notices/print-jobs';
import { DownloadShelf, type DocumentDelivery } from './documents/delivery';
import { documentHandlers } from './handlers/documents';
import { createPasswordHasher, type PasswordCost } from './passwords';
import { SignInGuard } from './sessions';
import { secureAttachments } from './cases/attachment-files';
import { DerivedMaintainer } from './monitoring/maintenance';
import pkg from '../../package.json' with { type: 'json' };

export const handlers: Handlers = {
  ...systemHandlers,
  ...authHandlers,
  ...adminHandlers,
  ...caseHandlers,
  ...ruleHandlers,
  ...noticeHandlers,
  ...appraisalHandlers,
  ...hearingPackageHandlers,
  ...syncHandlers,
  ...deskHandlers,
  ...documentHandlers,
  ...backupHandlers,
  ...conflictHandlers,
  ...caseRequestHandlers,
};

export interface Core {
  store: Store;
  /** Projection upkeep (rebuilt after rule changes); tools wait on derived.idle(). */
  derived: DerivedMaintainer;
  deps: CoreDeps;
  dispatch: Dispatch;
  events: EventBus;
  /** Downloads waiting for the browser (the web host serves them); unused when the host delivers itself. */
  downloads: DownloadShelf;
  close(): Promise<void>;
}

export interface CoreOptions {
  dataDir: string;
  host: HostKind;
  clock?: Clock;
  nativeBinding?: string;
  /** Electron: the OS protects the store key (safeStorage). */
  keyProtector?: KeyProtector;
  /** scrypt cost for new password hashes; the production cost unless a test lowers it. */
  passwordCost?: PasswordCost;
  /** Prepared statements kept per connection; 0 turns the cache off (for benchmarks). */
  statementCache?: number;
  /** The transport to the centre (fetch by default); tests pass a fault-injecting one. */
  syncFetch?: FetchLike;
  /** Test hook: named points of a sync pass (a child process is killed there). */
  syncCheckpoint?: ConstructorParameters<typeof SyncService>[0]['checkpoint'];
  /** Electron: the system viewer, print dialog and folders. Others answer with downloads. */
  desktop?: DocumentDelivery;
}

export function createCore(opts: CoreOptions): Core {
  const store = openStore(opts.dataDir, {
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    ...(opts.keyProtector ? { keyProtector: opts.keyProtector } : {}),
    ...(opts.statementCache !== undefined ? { statementCache: opts.statementCache } : {}),
  });
  const events = new EventBus();
  const passwords = createPasswordHasher(opts.passwordCost);
  const clock = opts.clock ?? systemClock;
  const sync = new SyncService({
    db: store.db,
    clock,
    events,
    key: () => deviceKey(opts.dataDir),
    appVersion: pkg.version,
    ...(opts.syncFetch ? { fetch: opts.syncFetch } : {}),
    ...(opts.syncCheckpoint ? { checkpoint: opts.syncCheckpoint } : {}),
  });
  const downloads = new DownloadShelf(clock);
  const deps: CoreDeps = {
    clock,
    events,
    printJobs: new PrintJobs(events, clock),
    batchJobs: new BatchJobs(store.db, clock, opts.dataDir, events),
    passwords,
    signIn: new SignInGuard(passwords),
    keys: store.keys,
    desktop: opts.desktop ?? downloads,
    host: opts.host,
    dataDir: opts.dataDir,
    version: pkg.version,
    sync,
  };
  try {
    secureAttachments(store.sqlite, opts.dataDir, store.keys.attachments, clock);
  } catch (e) {
    void store.close();
    throw e;
  }
  const inner = createDispatcher(store.db, deps, handlers);
  // Calls still running when the host closes finish first: closing the store under a running
  // call would fail it half-way (and, in tests, fail the next test with a closed-store error).
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | null = null;
  const dispatch: Dispatch = (call) => {
    if (closing) return Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: '应用正在关闭，操作未执行，请重新打开后再试' } });
    const p = inner(call);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };
  // Projections rebuilt in the background when the rules they were built from changed.
  const derived = new DerivedMaintainer(store.db, deps.clock);
  void derived.ensure();
  events.subscribe('data.changed', (e) => {
    if (e.method === 'settings.update' && !closing) void derived.ensure();
  });
  const close = () =>
    (closing ??= (async () => {
      await sync.stop();
      await deps.batchJobs.stopAll();
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      deps.printJobs.close();
      await derived.stop();
      await store.close();
    })());
  return { store, deps, dispatch, events, downloads, close, derived };
}
