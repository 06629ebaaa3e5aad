// Handlers of the 同步冲突 inbox (../sync/conflicts.ts) and of the phone correction, the
// commonest edit made in two places. Mutating calls are audited and sent by the dispatcher.
import type { Handlers } from '../rpc-types';
import { ApiError } from '../../../shared/api/errors';
import { chinaInstant } from '../clock';
import { listInbox, resolveConflict } from '../sync/conflicts';
import { readSyncState } from '../sync/state';

type ConflictHandlers = Pick<Handlers, 'conflicts.list' | 'conflicts.resolve' | 'workers.correctPhone'>;

export const conflictHandlers: ConflictHandlers = {
  async 'conflicts.list'(input, ctx) {
    const s = await readSyncState(ctx.db);
    return listInbox(ctx.db, s.enrolment?.deviceId ?? null, input.show);
  },

  async 'conflicts.resolve'(input, ctx) {
    const r = await resolveConflict(ctx.db, ctx.clock, ctx.user?.id ?? null, input.id, input.decision);
    ctx.note({ entity: 'sync_conflict', entityId: input.id, summary: r.summary });
    return { ok: true as const, summary: r.summary };
  },

  async 'workers.correctPhone'(input, ctx) {
    const w = await ctx.db.selectFrom('workers').select(['id', 'phone']).where('id', '=', input.workerId).executeTakeFirst();
    if (!w) throw new ApiError('NOT_FOUND', '没有这位伤者');
    if (w.phone === input.phone) return { ok: true as const };
    await ctx.db
      .updateTable('workers')
      .set({ phone: input.phone, updated_at: chinaInstant(ctx.clock.now()) })
      .where('id', '=', input.workerId)
      .execute();
    // The number itself is personal data: the audit says that it changed, not what to.
    ctx.note({ entity: 'worker', entityId: input.workerId, summary: `更正伤者联系电话（尾号 ${input.phone.slice(-4)}）` });
    return { ok: true as const };
  },
};
