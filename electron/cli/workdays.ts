// `workdays --from YYYY-MM-DD --add N`: the Nth working day after a date on the bundled
// calendar, with `certain: false` when the count runs outside the years the calendar covers.
import { flagString, requireFlag, type CliCommand } from './command';
import { loadCalendar } from '../core/rule-resources';
import { addWorkingDays, isValidDate, RuleError } from '../../shared/rules';

export const command: CliCommand = {
  name: 'workdays',
  summary: '工作日推算：某日之后第 N 个工作日',
  usage: 'workdays --from YYYY-MM-DD --add N [--resources DIR]',
  async run(args, io) {
    const from = requireFlag(args, 'from');
    const addText = requireFlag(args, 'add');
    try {
      if (!isValidDate(from)) throw new RuleError('INVALID_INPUT', `起始日期“${from}”无效，请按 YYYY-MM-DD 填写。`, 'from');
      if (!/^\d+$/.test(addText)) throw new RuleError('INVALID_INPUT', `工作日天数“${addText}”无效，请填写不小于 0 的整数。`, 'add');
      const cal = loadCalendar(flagString(args, 'resources'));
      const r = addWorkingDays(cal, from, Number(addText));
      io.stdout(JSON.stringify({ due: r.date, certain: r.certain }));
      return 0;
    } catch (e) {
      if (e instanceof RuleError) {
        io.stderr(e.message);
        return 2;
      }
      throw e;
    }
  },
};
