// `restore --from FILE`: puts a backup back into a data folder (the app must be closed). Verifies
// the whole file first and replaces nothing if anything is wrong; the replaced store is kept
// beside it. On another machine the recovery key opens the backup.
import { CliError, flagString, requireFlag, type CliCommand } from './command';
import { defaultDataDir } from '../core/data-dir';
import { systemClock } from '../core/clock';
import { BackupError, restoreBackup } from '../core/backup';
import { recoveryKeyInput } from './secret-input';

export const command: CliCommand = {
  name: 'restore',
  summary: '从备份文件恢复数据目录（先校验，再替换，原数据保留在旁）',
  usage:
    'restore --from FILE [--data DIR] [--with-recovery-key < 恢复密钥 | --recovery-key-env 变量名]\n  请先关闭应用。在另一台电脑上恢复时需要恢复密钥',
  async run(args, io) {
    const dataDir = flagString(args, 'data') ?? defaultDataDir();
    try {
      const r = await restoreBackup(dataDir, requireFlag(args, 'from'), { clock: systemClock, recoveryKey: await recoveryKeyInput(args) });
      io.stdout(JSON.stringify(r, null, 2));
      return 0;
    } catch (e) {
      if (e instanceof BackupError) throw new CliError(`未恢复：${e.message}`, 2);
      throw e;
    }
  },
};
