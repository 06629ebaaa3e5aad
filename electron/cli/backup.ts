// `backup --out FILE`: a backup of the data folder made through the core (audited), while the
// app may keep running on it; written to the backups/ folder and then moved to FILE.
import fs from 'node:fs';
import path from 'node:path';
import { CliError, flagString, type CliCommand } from './command';
import { openCore, runAsOperator } from './cli-core';

export const command: CliCommand = {
  name: 'backup',
  summary: '备份数据目录（加密的单个文件，含附件、清单和校验和）',
  usage: 'backup [--out FILE] [--data DIR]',
  async run(args, io) {
    const out = flagString(args, 'out');
    if (out && fs.existsSync(out)) throw new CliError(`文件 ${out} 已存在，请换一个文件名`);
    const core = openCore(args);
    try {
      const r = await runAsOperator(core, 'backup.create', {});
      if (out) {
        fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
        try {
          fs.renameSync(r.file, out);
        } catch {
          // Another file system (a USB stick): copy, then remove the original.
          fs.copyFileSync(r.file, out, fs.constants.COPYFILE_EXCL);
          fs.rmSync(r.file);
        }
        r.file = path.resolve(out);
      }
      io.stdout(JSON.stringify(r, null, 2));
      return 0;
    } finally {
      await core.close();
    }
  },
};
