// Handlers of the 同步 page and the status slot; the engine is ../sync/. Enrolment and the
// outbox export are mutating calls, so the dispatcher audits them like any other change.
import type { Handlers } from '../rpc-types';
import { api, isMethodName } from '../../../shared/api/contract';
import { chinaDate } from '../clock';
import { deviceKey } from '../crypto/device-key';
import { signEnvelope } from '../replication/signed-envelope';
import { listPasses, readSyncState } from '../sync/state';
import { parseOutboxRow } from '../replication/outbox';

type SyncHandlers = Pick<Handlers, 'sync.status' | 'sync.enrol' | 'sync.now' | 'sync.outbox' | 'sync.history' | 'sync.exportOutbox'>;

function kindLabel(kind: string): string {
  if (kind === 'sync.baseline') return '本机原有数据';
  return isMethodName(kind) ? api[kind].label : '其他变更';
}

export const OUTBOX_EXPORT_FORMAT = 'oip-outbox-export/1';

export const syncHandlers: SyncHandlers = {
  async 'sync.status'(_input, ctx) {
    return ctx.sync.status(ctx.db);
  },

  async 'sync.enrol'(input, ctx) {
    const e = await ctx.sync.enrol(ctx.db, input);
    ctx.note({
      entity: 'sync',
      entityId: e.deviceId,
      summary: `在中心 ${e.centreUrl} 注册本机“${input.deviceName}”：设备标识 ${e.deviceTag}，所属 ${e.officeName}，中心公钥 ${e.centreKeyId}`,
    });
    return { deviceTag: e.deviceTag, officeName: e.officeName, centreUrl: e.centreUrl };
  },

  async 'sync.now'(_input, ctx) {
    const s = await ctx.sync.syncNow('manual');
    return { ok: s.ok, pushed: s.pushed, pulled: s.pulled, conflicts: s.conflicts, rejected: s.rejected, errors: s.errors };
  },

  async 'sync.outbox'(input, ctx) {
    let q = ctx.db.selectFrom('sync_outbox');
    if (input.filter === 'waiting') q = q.where('status', '=', 'pending');
    if (input.filter === 'problems') q = q.where('status', 'in', ['rejected', 'conflict']);
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const rows = await q
      .select(['seq', 'kind', 'entity', 'user_name', 'created_at', 'status', 'attempts', 'last_error', 'rows'])
      .orderBy('seq', input.filter === 'all' ? 'desc' : 'asc')
      .limit(input.limit)
      .execute();
    return {
      total,
      items: rows.map((r) => ({
        seq: r.seq,
        label: kindLabel(r.kind),
        entity: r.entity,
        userName: r.user_name,
        createdAt: r.created_at,
        status: r.status,
        attempts: r.attempts,
        message: r.last_error,
        rows: (JSON.parse(r.rows) as unknown[]).length,
      })),
    };
  },

  async 'sync.history'(input, ctx) {
    return (await listPasses(ctx.db, input.limit)).map((p) => ({
      id: p.id,
      startedAt: p.started_at,
      finishedAt: p.finished_at,
      trigger: p.trigger,
      outcome: p.outcome,
      pushed: p.pushed,
      pulled: p.pulled,
      conflicts: p.conflicts,
      rejected: p.rejected,
      message: p.message,
    }));
  },

  async 'sync.exportOutbox'(_input, ctx) {
    // What the centre has not taken (waiting, rejected, conflicting), signed by this device so
    // the centre's administrator can tell it came from here unchanged.
    const rows = await ctx.db.selectFrom('sync_outbox').selectAll().where('status', '!=', 'acked').orderBy('seq').execute();
    const state = await readSyncState(ctx.db);
    const key = deviceKey(ctx.dataDir);
    const body = {
      format: OUTBOX_EXPORT_FORMAT,
      exportedAt: ctx.clock.now().toISOString(),
      device: {
        keyId: key.keyId,
        publicKey: key.publicKeyB64,
        deviceId: state.enrolment?.deviceId ?? null,
        tag: state.enrolment?.deviceTag ?? null,
      },
      mutations: rows.map((r) => ({
        ...parseOutboxRow(r),
        status: r.status,
        result: r.result === null ? null : (JSON.parse(r.result) as unknown),
      })),
    };
    const content = JSON.stringify(signEnvelope(OUTBOX_EXPORT_FORMAT, body, key));
    ctx.note({ entity: 'sync', entityId: null, summary: `导出未同步的记录 ${rows.length} 条` });
    return {
      fileName: `未同步记录-${state.enrolment?.deviceTag ?? key.keyId}-${chinaDate(ctx.clock.now())}.json`,
      content,
      count: rows.length,
    };
  },
};
