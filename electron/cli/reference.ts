// `reference list`: the reference data in force on this device, kind by kind, with its version and
// where it came from (bundled with the release, or published by the centre). JSON on stdout.
import { CliError, type CliCommand } from './command';
import { openCore } from './cli-core';
import { listReference, referenceRejections } from '../core/reference/store';
import { REFERENCE_KINDS, REFERENCE_KIND_LABELS } from '../../shared/reference/items';

const USAGE = 'reference list [--data DIR]';

export const command: CliCommand = {
  name: 'reference',
  summary: '参考数据（规则包、日历、目录、专家库、平台、机构、账号）的现行版本：reference list',
  usage: USAGE,
  async run(args, io) {
    const sub = args.positionals[0];
    if (sub !== 'list') throw new CliError(`未知的子命令“${sub ?? ''}”。用法：${USAGE}`);
    const core = openCore(args);
    try {
      const items = await listReference(core.store.db);
      // Kinds with no item yet (no expert pool until the centre sends one) are listed too.
      const missing = REFERENCE_KINDS.filter((k) => !items.some((i) => i.kind === k)).map((k) => ({
        kind: k,
        label: REFERENCE_KIND_LABELS[k],
        item: null,
        version: null,
        source: null,
        revision: 0,
        publishedAt: null,
        installedAt: null,
      }));
      io.stdout(
        JSON.stringify({
          kinds: [
            ...items.map((i) => ({
              kind: i.kind,
              label: i.kindLabel,
              item: i.itemId,
              version: i.version,
              source: i.source,
              revision: i.revision,
              publishedAt: i.publishedAt,
              installedAt: i.installedAt,
            })),
            ...missing,
          ],
          rejected: await referenceRejections(core.store.db),
        }),
      );
      return 0;
    } finally {
      await core.close();
    }
  },
};
