// `notice render` renders, numbers and signs one document from JSON; `notice verify` checks a
// PDF's signature. Both run on the same core and store as the app.
import fs from 'node:fs';
import { CliError, flagString, requireFlag, type CliCommand } from './command';
import { openCore, runAsOperator } from './cli-core';
import { NOTICE_TYPES, VERIFY_STATUS_LABELS, type NoticeType } from '../../shared/notices/schemas';
import { factsForDisplay } from '../../shared/notices/facts';
import { SERIES_OF } from '../core/notices/numbering';
import { verifyNotice } from '../core/notices/notice-service';
import { chinaDate } from '../core/clock';
import { DEFAULT_PATTERNS, seriesLabel, type NumberSeries } from '../../shared/notices/series';

export const command: CliCommand = {
  name: 'notice',
  summary: '文书：notice render / notice verify',
  usage: [
    `notice render --type ${NOTICE_TYPES.filter((t) => t !== 'session-report').join('|')} --input FILE.json --out FILE.pdf [--data DIR]`,
    'notice verify FILE.pdf [--data DIR] [--json]',
  ].join('\n'),
  async run(args, io) {
    const sub = args.positionals[0];
    const core = openCore(args);
    try {
      if (sub === 'render') {
        const type = requireFlag(args, 'type') as NoticeType;
        if (!NOTICE_TYPES.includes(type)) throw new CliError(`未知的文书类型“${type}”，可选：${NOTICE_TYPES.join('、')}`);
        let data: Record<string, unknown>;
        try {
          data = JSON.parse(fs.readFileSync(requireFlag(args, 'input'), 'utf8')) as Record<string, unknown>;
        } catch (e) {
          throw new CliError(`无法读取输入文件：${e instanceof Error ? e.message : String(e)}`);
        }
        if (data.type !== undefined && data.type !== type)
          throw new CliError(`输入文件的 type 为“${String(data.type)}”，与 --type ${type} 不一致`);
        const series = SERIES_OF[type];
        const year = Number(chinaDate(core.deps.clock.now()).slice(0, 4));
        const blocks = await runAsOperator(core, 'numbering.listBlocks', {});
        if (!blocks.some((b) => b.series === series && b.year === year && b.remaining > 0)) {
          const issuer = String(data.agency ?? data.committee ?? '经办机构');
          const from = Math.max(0, ...blocks.filter((b) => b.series === series && b.year === year).map((b) => b.last)) + 1;
          await runAsOperator(core, 'numbering.addBlock', {
            series,
            pattern: DEFAULT_PATTERNS[series as NumberSeries],
            issuer,
            year,
            first: from,
            last: from + 9999,
          });
          io.stderr(`本机没有“${seriesLabel(series)}”文号号段，已为命令行设置 ${from}–${from + 9999}`);
        }
        const r = await runAsOperator(core, 'notices.issue', { caseId: null, data: { ...data, type } });
        const doc = await runAsOperator(core, 'notices.get', { id: r.id });
        const out = requireFlag(args, 'out');
        fs.writeFileSync(out, Buffer.from(doc.pdfBase64, 'base64'));
        io.stdout(JSON.stringify({ documentNo: r.documentNo, sha256: r.sha256, out }));
        return 0;
      }
      if (sub === 'verify') {
        const file = args.positionals[1] ?? flagString(args, 'file');
        if (!file) throw new CliError(`请给出要核验的 PDF 文件。用法：${command.usage}`);
        let bytes: Buffer;
        try {
          bytes = fs.readFileSync(file);
        } catch {
          throw new CliError(`无法读取文件 ${file}`);
        }
        const r = await verifyNotice(core.store.db, core.deps.dataDir, bytes);
        // People read the result in Chinese; a script (a pipe, or --json) gets the JSON.
        const human = [
          `核验结果：${VERIFY_STATUS_LABELS[r.status]}`,
          r.message,
          ...factsForDisplay(r.facts).map((f) => `${f.label}：${f.value}`),
        ].join('\n');
        if (io.terminal && args.flags.json !== true) io.stdout(human);
        else {
          io.stdout(JSON.stringify(r));
          io.stderr(human);
        }
        return r.status === 'valid' ? 0 : 3;
      }
      throw new CliError(`未知的子命令“${sub ?? ''}”。用法：\n${command.usage}`);
    } finally {
      await core.close();
    }
  },
};
