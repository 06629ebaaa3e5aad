// `benefits --input FILE.json`: computes the benefits for the facts in the file with the bundled
// rule pack for its jurisdiction and injury date, and prints one JSON object. No database.
import { readFileSync } from 'node:fs';
import { CliError, flagString, requireFlag, type CliCommand } from './command';
import { loadRuleResources } from '../core/rule-resources';
import { computeBenefits, RuleError, selectRulePack } from '../../shared/rules';

function readInput(file: string): unknown {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`无法读取输入文件 ${file}，请确认路径正确。`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`输入文件 ${file} 不是有效的 JSON：${e instanceof Error ? e.message : String(e)}`);
  }
}

export const command: CliCommand = {
  name: 'benefits',
  summary: '按规则包计算待遇（输入 JSON 事实，输出 JSON 结果）',
  usage: ['benefits --input FILE.json [--resources DIR]', '  输入格式见 docs/cli-rules.md，示例见 docs/examples/benefits-*.json'].join(
    '\n',
  ),
  async run(args, io) {
    const facts = readInput(requireFlag(args, 'input'));
    try {
      const res = loadRuleResources(flagString(args, 'resources'));
      const f = facts as { jurisdiction?: unknown; injuryDate?: unknown };
      if (typeof f !== 'object' || f === null || typeof f.jurisdiction !== 'string' || typeof f.injuryDate !== 'string') {
        throw new RuleError('INVALID_FACTS', '输入须为 JSON 对象，且包含 jurisdiction（如 qinghai）和 injuryDate（YYYY-MM-DD）。');
      }
      const pack = selectRulePack(res.packs, f.jurisdiction, f.injuryDate);
      const result = computeBenefits(facts, pack, { calendar: res.calendar });
      io.stdout(JSON.stringify(result, null, 2));
      return 0;
    } catch (e) {
      if (e instanceof RuleError) {
        io.stderr(`不予计算：${e.message}`);
        return 2;
      }
      throw e;
    }
  },
};
