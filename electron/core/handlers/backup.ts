// Handlers for backups and the recovery key. The work is in ../backup.ts and ../recovery.ts.
import type { Handlers } from '../rpc-types';
import { createBackup } from '../backup';
import { issueRecoveryKey, readRecoveryFile } from '../recovery';
import { chinaInstant } from '../clock';

type BackupHandlers = Pick<Handlers, 'backup.create' | 'recovery.status' | 'recovery.issue'>;

export const backupHandlers: BackupHandlers = {
  async 'backup.create'(_input, ctx) {
    const r = await createBackup({ db: ctx.db, keys: ctx.keys }, { dataDir: ctx.dataDir, clock: ctx.clock, appVersion: ctx.version });
    ctx.note({
      entity: 'backup',
      summary: `创建备份 ${r.file.split(/[\\/]/).pop()}：案件 ${r.cases} 件，附件 ${r.attachments} 个，${(r.size / 1024 / 1024).toFixed(1)} MB，SHA-256 ${r.sha256.slice(0, 16)}…`,
    });
    return r;
  },

  async 'recovery.status'(_input, ctx) {
    const f = readRecoveryFile(ctx.dataDir);
    return { exists: f !== null && f.keyId === ctx.keys.keyId, createdAt: f?.createdAt ?? null };
  },

  async 'recovery.issue'(_input, ctx) {
    const issued = await issueRecoveryKey(ctx.dataDir, ctx.keys.storeKey, ctx.passwords.cost.logN, chinaInstant(ctx.clock.now()));
    // The new key replaces the old one only once this call's audit entry is committed.
    ctx.afterCommit(issued.commit);
    ctx.note({ entity: 'recovery_key', summary: '重新生成恢复密钥（旧的恢复密钥作废；此前制作的备份仍需旧恢复密钥才能在其他电脑恢复）' });
    return { recoveryKey: issued.recoveryKey };
  },
};
