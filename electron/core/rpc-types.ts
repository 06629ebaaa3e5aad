// What a handler receives. Handlers never open transactions or write audit entries
// themselves: the dispatcher does both, around every mutating call.
import type { Kysely } from 'kysely';
import type { Database } from './db-schema';
import type { Clock } from './clock';
import type { Api, MethodName, ApiOutput } from '../../shared/api/contract';
import type { ParsedInputOf } from '../../shared/api/define';
import type { User } from '../../shared/api/methods/auth';
import type { EventBus } from './events';
import { ApiError, type ApiErrorBody } from '../../shared/api/errors';
import type { PrintJobs } from './notices/print-jobs';
import type { PasswordHasher } from './passwords';
import type { BatchJobs } from './batch/batch-issue';
import type { DocumentDelivery } from './documents/delivery';
import type { SignInGuard } from './sessions';
import type { StoreKeys } from './keys';
import type { HostKind } from '../../shared/hosts';

export type { HostKind } from '../../shared/hosts';

export interface AuditNote {
  entity?: string | null;
  entityId?: string | null;
  summary: string;
  /** `id@version` of the rule pack the call computed with; travels on the call's sync mutation. */
  rulePack?: string | null;
}

export interface CoreDeps {
  clock: Clock;
  events: EventBus;
  printJobs: PrintJobs;
  batchJobs: BatchJobs;
  passwords: PasswordHasher;
  /** Where issued documents go when someone opens, prints or saves them (the host's capability). */
  desktop: DocumentDelivery;
  signIn: SignInGuard;
  /** Keys derived from the store key (attachments, backups); never logged. */
  keys: StoreKeys;
  host: HostKind;
  dataDir: string;
  version: string;
}

export interface HandlerContext extends CoreDeps {
  /** The transaction for mutating methods; the plain connection for reads. */
  db: Kysely<Database>;
  /** Null only for public methods called without a session (and for the local operator). */
  user: User | null;
  /** Who is acting, as printed and audited: the user's name or the local operator's. */
  actorName: string;
  sessionTokenHash: string | null;
  /**
   * Describes the change for the audit entry the dispatcher writes. Called more than once, each
   * note becomes its own entry, in order (sign-in: the summary of an earlier window, then this one).
   */
  note(n: AuditNote): void;
  /** Runs once the call's transaction has committed (never if it rolls back). Must not fail. */
  afterCommit(fn: () => void): void;
  /**
   * Makes a further call on the same caller's authority (their session, or the local operator),
   * through the whole dispatcher: validation, roles, its own transaction and audit entry. For
   * long work a handler starts and leaves running (batch issuing).
   */
  callAsCaller(method: MethodName, input: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: ApiErrorBody }>;
}

export type Handler<N extends MethodName> = (input: ParsedInputOf<Api[N]>, ctx: HandlerContext) => Promise<ApiOutput<N>>;
export type Handlers = { [N in MethodName]: Handler<N> };

/** Narrows ctx.user for methods that require a session (the dispatcher has checked). */
export function requireUser(ctx: HandlerContext): User {
  // The local operator (CLI, tools) has no account: methods that need a named person refuse it.
  if (!ctx.user) throw new ApiError('UNAUTHENTICATED', '此操作需要以具名账号登录后办理（命令行的本机操作员不能办理）');
  return ctx.user;
}
