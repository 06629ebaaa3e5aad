// The centre's re-check of who may do what: the user named on a mutation must have held a role
// the contract (shared/api/contract.ts) allows for the mutation's kind, by the centre's record of
// accounts — the `users` and `user_roles` rows devices replicate. A device cannot grant itself
// more than its accounts hold at the centre.
import { api, isMethodName } from '../../shared/api/contract';
import { ROLES, type Role } from '../../shared/roles';
import { SYSTEM_ACTOR_ID, type Mutation } from '../../shared/sync/protocol';

/** Rows that existed before the device's outbox: enqueued once by the device's migration, with no user. */
export const BASELINE_KIND = 'sync.baseline';

export interface Refusal {
  code: string;
  message: string;
}

export function kindLabel(kind: string): string {
  if (kind === BASELINE_KIND) return '既有数据上传';
  return isMethodName(kind) ? api[kind].label : '未知操作';
}

/** The centre's record of the acting user, read with the device lock (see push.ts). */
export interface UserRecord {
  user_exists: boolean;
  user_active: string | null;
  user_roles: string[] | null;
}

export function checkAccess(m: Mutation, user: UserRecord): Refusal | null {
  if (m.kind === BASELINE_KIND) return null;
  if (!isMethodName(m.kind))
    return { code: 'UNKNOWN_KIND', message: '中心不认识这类变更（本机与中心的应用版本不一致），未被采纳。请升级应用或联系管理员' };
  const spec = api[m.kind];
  if (spec.access === 'public') return null;
  // The device's local operator (command line): the device's own authority, as for its baseline.
  if (m.userId === SYSTEM_ACTOR_ID) return null;
  const who = m.userName ?? '（未署名）';
  if (!m.userId) return { code: 'FORBIDDEN', message: `「${spec.label}」没有署名的操作人员，中心未采纳` };
  if (!user.user_exists) return { code: 'FORBIDDEN', message: `中心没有人员 ${who} 的账号记录，「${spec.label}」未被采纳` };
  if (user.user_active === '0') return { code: 'FORBIDDEN', message: `人员 ${who} 的账号在中心已停用，「${spec.label}」未被采纳` };
  if (spec.access === 'authenticated') return null;
  const held = new Set((user.user_roles ?? []).filter((x): x is Role => (ROLES as readonly string[]).includes(x)));
  if (spec.access.some((role) => held.has(role))) return null;
  return { code: 'FORBIDDEN', message: `按中心记录，人员 ${who} 没有执行「${spec.label}」所需的角色，变更未被采纳` };
}
