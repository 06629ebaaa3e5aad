// `recover`: a data folder copied from a machine whose operating system sealed its key (or
// whose key file was lost) is opened again with the recovery key.
import { CliError, flagString, type CliCommand } from './command';
import { defaultDataDir } from '../core/data-dir';
import { systemClock } from '../core/clock';
import { BackupError, recoverStoreKey } from '../core/backup';
import { recoveryKeyInput } from './secret-input';

export const command: CliCommand = {
  name: 'recover',
  summary: '用恢复密钥重新打开密钥丢失或由另一台电脑保护的数据目录',
  usage: 'recover [--data DIR] (--with-recovery-key < 恢复密钥 | --recovery-key-env 变量名)',
  async run(args, io) {
    const key = await recoveryKeyInput(args);
    if (!key) throw new CliError(`需要恢复密钥。用法：npm run -s cli -- ${command.usage}`);
    try {
      io.stdout(JSON.stringify(await recoverStoreKey(flagString(args, 'data') ?? defaultDataDir(), key, systemClock)));
      return 0;
    } catch (e) {
      if (e instanceof BackupError) throw new CliError(`未恢复：${e.message}`, 2);
      throw e;
    }
  },
};
