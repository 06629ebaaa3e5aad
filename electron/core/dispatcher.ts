// The one place every RPC call goes through, whichever host it came from:
// resolve the session → check roles → normalise and validate the input → run the handler (in
// one write transaction if it mutates) → refresh the projections of the cases it touched, write
// the audit entries and the sync outbox mutation, in that same transaction → publish. The
// session and role checks come before validation on purpose: a caller who may not call a
// method learns nothing about its input schema.
import { ZodError } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from './db-schema';
import { api, isMethodName, type MethodName } from '../../shared/api/contract';
import { ApiError, type ApiErrorBody, type FieldIssue } from '../../shared/api/errors';
import { InputTextError, normaliseInput } from '../../shared/api/input-text';
import { describeIssues } from '../../shared/api/zh-errors';
import { ROLE_LABELS } from '../../shared/roles';
import { SYSTEM_ACTOR_ID } from '../../shared/sync/protocol';
import { appendAudit } from './audit';
import { refreshDirty } from './monitoring/derived';
import { recordMutation } from './replication/outbox';
import { chinaInstant } from './clock';
import { resolveSession, touchSession, type ActiveSession } from './sessions';
import type { AuditNote, CoreDeps, HandlerContext, Handlers } from './rpc-types';

export interface RpcCall {
  method: string;
  input: unknown;
  sessionToken?: string | null;
  /**
   * Set only by a host that runs on the operator's own authority without a window (the CLI).
   * It skips the session and role checks but not validation, the transaction or the audit
   * entry, which names this operator. Network hosts never set it.
   */
  asLocalOperator?: string;
}

export type RpcResult = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

function zodFields(err: ZodError): FieldIssue[] {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

// The overall message names fields by their Chinese labels (the issue messages do), never by path.
const describeFields = describeIssues;

/**
 * A handler's result did not match its method's output schema. Only the test host checks
 * (production hosts trust the types): the call fails loudly, naming the method and the paths,
 * never the values (they may carry personal data).
 */
export class OutputContractError extends Error {
  constructor(
    readonly method: string,
    readonly issues: FieldIssue[],
  ) {
    super(`${method} 的返回值不符合契约：${issues.map((i) => `${i.path || '（根）'} ${i.message}`).join('；')}`);
    this.name = 'OutputContractError';
  }
}

function parseInput(name: MethodName, raw: unknown): unknown {
  let input: unknown;
  try {
    input = normaliseInput(raw ?? {});
  } catch (e) {
    if (!(e instanceof InputTextError)) throw e;
    const fields = [{ path: e.path, message: e.message }];
    throw new ApiError('INVALID_INPUT', describeFields(fields), fields);
  }
  const parsed = api[name].input.safeParse(input);
  if (!parsed.success) {
    const fields = zodFields(parsed.error);
    throw new ApiError('INVALID_INPUT', describeFields(fields), fields);
  }
  return parsed.data;
}

export function createDispatcher(db: Kysely<Database>, deps: CoreDeps, handlers: Handlers) {
  const checkOutputs = deps.host === 'test';

  function checked(name: MethodName, out: unknown): unknown {
    if (!checkOutputs) return out;
    const r = api[name].output.safeParse(out);
    if (!r.success) throw new OutputContractError(name, zodFields(r.error));
    // Zod strips keys a schema does not name; a result carrying such keys would send the
    // renderer data the contract never promised (a raw row, an ID number), so that fails too.
    const extra = undeclaredKeys(out, r.data, '');
    if (extra.length > 0)
      throw new OutputContractError(
        name,
        extra.map((path) => ({ path, message: '契约中没有这个字段' })),
      );
    return out;
  }

  async function authorise(name: MethodName, session: ActiveSession | null): Promise<void> {
    const spec = api[name];
    if (spec.access === 'public') return;
    if (!session) throw new ApiError('UNAUTHENTICATED', '尚未登录或登录已过期，请重新登录');
    if (session.locked && !spec.allowWhenLocked) throw new ApiError('SESSION_LOCKED', '长时间未操作，屏幕已锁定，请输入密码解锁');
    if (spec.access === 'authenticated') return;
    if (!spec.access.some((r) => session.user.roles.includes(r))) {
      throw new ApiError(
        'FORBIDDEN',
        `没有权限执行“${spec.label}”，需要以下角色之一：${spec.access.map((r) => ROLE_LABELS[r]).join('、')}`,
      );
    }
  }

  async function run(name: MethodName, input: unknown, session: ActiveSession | null, call: RpcCall): Promise<unknown> {
    const operator = call.asLocalOperator;
    const spec = api[name];
    const handler = handlers[name] as (input: unknown, ctx: HandlerContext) => Promise<unknown>;
    const notes: AuditNote[] = [];
    const afterCommit: (() => void)[] = [];
    const makeCtx = (conn: Kysely<Database>): HandlerContext => ({
      ...deps,
      db: conn,
      user: session?.user ?? null,
      actorName: session?.user.displayName ?? operator ?? '—',
      sessionTokenHash: session?.tokenHash ?? null,
      note: (n) => {
        notes.push(n);
      },
      afterCommit: (fn) => {
        afterCommit.push(fn);
      },
      callAsCaller: (method, next) =>
        dispatch(
          call.asLocalOperator
            ? { method, input: next, asLocalOperator: call.asLocalOperator }
            : { method, input: next, sessionToken: call.sessionToken ?? null },
        ),
    });
    const actorName = session?.user.displayName ?? operator ?? null;
    /** Appends the call's audit entries; returns the first one's seq (null if it left none). */
    const audit = async (conn: Kysely<Database>, at: string): Promise<number | null> => {
      const entries = notes.length > 0 || spec.auditOnlyNotes ? notes : [{ summary: spec.label }];
      let first: number | null = null;
      for (const n of entries) {
        const seq = await appendAudit(conn, {
          at,
          actorId: session?.user.id ?? null,
          actorName,
          method: name,
          action: spec.label,
          entity: n.entity ?? null,
          entityId: n.entityId ?? null,
          summary: n.summary,
        });
        first ??= seq;
      }
      return first;
    };
    if (!spec.mutates) {
      const out = checked(name, await handler(input, makeCtx(db)));
      // An audited read changes no replicated table, so it leaves no outbox mutation.
      if (spec.auditedRead) await db.transaction().execute((trx) => audit(trx, chinaInstant(deps.clock.now())));
      for (const fn of afterCommit) fn();
      if (spec.auditedRead) deps.events.publish('data.changed', { entity: notes[0]?.entity ?? null, method: name });
      return out;
    }
    const result = await db.transaction().execute(async (trx) => {
      // Checked inside the transaction: a result that breaks the contract leaves nothing behind.
      const out = checked(name, await handler(input, makeCtx(trx)));
      // Clocks, facts and 疑点 of the cases the call touched, kept current with the change itself.
      await refreshDirty(trx, deps.clock);
      const at = chinaInstant(deps.clock.now());
      const auditSeq = await audit(trx, at);
      // The commit hook: what the call changed in replicated tables, as one outbox mutation. The
      // protocol carries one audit copy per mutation: the call's first entry.
      const n = notes[0] ?? null;
      await recordMutation(trx, {
        kind: name,
        entity: n?.entity ?? null,
        entityId: n?.entityId ?? null,
        // The local operator names no account: its changes travel as the device's system actor.
        userId: session?.user.id ?? (operator ? SYSTEM_ACTOR_ID : null),
        userName: actorName,
        rulePack: n?.rulePack ?? null,
        auditSeq,
        at,
      });
      return out;
    });
    // Work that must not happen unless the change is committed (a key file put in place).
    for (const fn of afterCommit) fn();
    deps.events.publish('data.changed', { entity: notes[0]?.entity ?? null, method: name });
    return result;
  }

  async function dispatch(call: RpcCall): Promise<RpcResult> {
    try {
      if (typeof call.method !== 'string' || !isMethodName(call.method)) {
        throw new ApiError('UNKNOWN_METHOD', `不支持的操作“${String(call.method).slice(0, 60)}”，请升级或重启应用`);
      }
      const name = call.method;
      const spec = api[name];
      if (call.asLocalOperator) return { ok: true, result: await run(name, parseInput(name, call.input), null, call) };
      const token = typeof call.sessionToken === 'string' && call.sessionToken.length > 0 ? call.sessionToken : null;
      const session = token ? await resolveSession(db, deps.clock, token) : null;
      await authorise(name, session);
      const input = parseInput(name, call.input);
      // Only real activity keeps a session awake; polling (status, me) and refused input do not.
      if (session && !session.locked && !spec.allowWhenLocked) await touchSession(db, deps.clock, session.tokenHash);
      return { ok: true, result: await run(name, input, session, call) };
    } catch (err) {
      return { ok: false, error: toErrorBody(err, call.method) };
    }
  }
  return dispatch;
}

export type Dispatch = ReturnType<typeof createDispatcher>;

/** Paths of keys present in a handler's result but dropped by its output schema. */
function undeclaredKeys(given: unknown, parsed: unknown, path: string): string[] {
  const at = (k: string | number) => (path ? `${path}.${k}` : String(k));
  if (Array.isArray(given) && Array.isArray(parsed)) return given.flatMap((g, i) => undeclaredKeys(g, parsed[i], at(i)));
  if (!isPlainObject(given) || !isPlainObject(parsed)) return [];
  return Object.entries(given).flatMap(([k, v]) => {
    if (v === undefined) return []; // never reaches the wire
    if (!Object.prototype.hasOwnProperty.call(parsed, k)) return [at(k)];
    return undeclaredKeys(v, parsed[k], at(k));
  });
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

function toErrorBody(err: unknown, method: unknown): ApiErrorBody {
  if (err instanceof ApiError) return err.toBody();
  if (err instanceof OutputContractError) {
    console.error(`[rpc] ${err.message}`);
    return { code: 'INTERNAL', message: err.message };
  }
  if (err instanceof ZodError) {
    const fields = zodFields(err);
    return { code: 'INVALID_INPUT', message: describeFields(fields), fields };
  }
  // Unexpected: log the method and the error kind only; messages may carry personal data.
  const kind = err instanceof Error ? err.name : typeof err;
  console.error(`[rpc] ${String(method).slice(0, 60)} failed: ${kind}`);
  return { code: 'INTERNAL', message: '系统内部错误，操作未保存。请重试；如仍失败，请联系管理员' };
}
