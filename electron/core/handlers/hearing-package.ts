// Handlers for the 专场包: export a hearing for a laptop with no network, import one back.
// The logic is in ../appraisal/hearing-package.ts; here the device's key and the audit note.
import type { Handlers } from '../rpc-types';
import { requireUser } from '../rpc-types';
import { exportHearingPackage, importHearingPackage } from '../appraisal/hearing-package';
import { deviceKey } from '../crypto/device-key';
import { deviceTag } from '../cases/counters';

type HearingPackageHandlers = Pick<Handlers, 'hearings.packageRecipients' | 'hearings.exportPackage' | 'hearings.importPackage'>;

export const hearingPackageHandlers: HearingPackageHandlers = {
  async 'hearings.packageRecipients'(_input, ctx) {
    const own = deviceKey(ctx.dataDir);
    const rows = await ctx.db.selectFrom('trusted_signers').select(['key_id', 'label', 'enc_public_key']).orderBy('label').execute();
    return {
      own: { keyId: own.keyId, label: '本机' },
      devices: rows.map((r) => ({ keyId: r.key_id, label: r.label, canReceive: r.enc_public_key !== null })),
    };
  },

  async 'hearings.exportPackage'(input, ctx) {
    const user = requireUser(ctx);
    const r = await exportHearingPackage(ctx.db, ctx.clock, {
      hearingId: input.hearingId,
      key: deviceKey(ctx.dataDir),
      deviceTag: await deviceTag(ctx.db),
      exportedBy: { id: user.id, name: ctx.actorName },
      recipientKeyId: input.recipientKeyId,
    });
    const rows = Object.values(r.counts).reduce((a, b) => a + b, 0);
    ctx.note({
      entity: 'appraisal_session',
      entityId: input.hearingId,
      summary: `导出专场包 ${r.hearingNo}（加密给“${r.recipient}”）：案件 ${r.counts.cases ?? 0} 件，记录 ${rows} 条，文件 SHA-256 ${r.sha256.slice(0, 16)}…`,
    });
    return { fileName: r.fileName, content: r.content, recipient: r.recipient };
  },

  async 'hearings.importPackage'(input, ctx) {
    const r = await importHearingPackage(ctx.db, ctx.clock, input.content, { ownKey: deviceKey(ctx.dataDir) });
    const part = (pick: 'added' | 'updated' | 'keptLocal') =>
      r.tables
        .filter((t) => t[pick] > 0)
        .map((t) => `${t.label} ${t[pick]}`)
        .join('、');
    const changes = [
      part('added') && `新增 ${part('added')}`,
      part('updated') && `更新 ${part('updated')}`,
      part('keptLocal') && `保留本机较新的 ${part('keptLocal')}`,
      r.users.added > 0 && `新建不可登录的账号 ${r.users.added} 个`,
      r.audit.added > 0 && `外机审计记录 ${r.audit.added} 条`,
    ].filter(Boolean);
    const source = `来源设备 ${r.source.deviceTag}（可信设备“${r.source.signer}”，密钥 ${r.source.keyId}），${r.source.exportedBy} 导出于 ${r.source.exportedAt}`;
    ctx.note({
      entity: 'appraisal_session',
      entityId: r.hearingId,
      summary: `导入专场包 ${r.hearingNo}，${source}：${changes.length ? changes.join('；') : '无变化'}${
        r.changed && !r.sentToCentre ? '（这些变更由导出的电脑自行同步到中心）' : ''
      }`,
    });
    return r;
  },
};
