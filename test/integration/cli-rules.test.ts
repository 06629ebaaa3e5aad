// The benefits and workdays CLI contract, through the commands' run() with captured output.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { command as benefits } from '../../electron/cli/benefits';
import { command as workdays } from '../../electron/cli/workdays';
import { CliError, type CliArgs } from '../../electron/cli/command';
import { LINE_CODES, benefitResultSchema } from '../../shared/rules';

async function run(cmd: typeof benefits, flags: CliArgs['flags']) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await cmd.run({ positionals: [], flags }, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const examples = path.resolve(__dirname, '../../docs/examples');
const tmp = mkdtempSync(path.join(tmpdir(), 'oip-cli-rules-'));
function inputFile(obj: unknown): string {
  const f = path.join(tmp, `in-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(f, JSON.stringify(obj));
  return f;
}

describe('cli benefits', () => {
  it('Qingdao example: one JSON object with rulePack, parameters.base, lines and totals', async () => {
    const r = await run(benefits, { input: path.join(examples, 'benefits-qingdao-grade7.json') });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(benefitResultSchema.parse(out)).toBeTruthy();
    expect(out.rulePack).toMatchObject({ id: 'shandong-2025', version: '2025.2.0' });
    expect(out.parameters.base).toBe('3060.00');
    expect(out.lines).toEqual([
      {
        code: 'disability_lump_sum',
        label: '一次性伤残补助金（七级）',
        amount: '39780.00',
        payer: 'fund',
        period: 'once',
        article: '相应条款（山东办法条款号待核）',
        formula: '3,060.00 × 13 个月 = 39,780.00',
      },
    ]);
    expect(out.totals.once.all).toBe('39780.00');
  });

  it.each(['benefits-qinghai-death-cap.json', 'benefits-qinghai-grade3-nursing.json', 'benefits-qinghai-late-platform.json'])(
    '%s computes, with known line codes and two-place amounts',
    async (file) => {
      const r = await run(benefits, { input: path.join(examples, file) });
      expect(r.code, r.stderr).toBe(0);
      const out = benefitResultSchema.parse(JSON.parse(r.stdout));
      for (const l of out.lines) {
        expect(LINE_CODES).toContain(l.code);
        expect(l.amount).toMatch(/^\d+\.\d{2}$/);
      }
      const once = out.lines.filter((l) => l.period === 'once').reduce((s, l) => s.plus(l.amount), new Decimal(0));
      expect(out.totals.once.all).toBe(once.toFixed(2));
    },
  );

  it('death example: dependants capped at the base', async () => {
    const out = JSON.parse((await run(benefits, { input: path.join(examples, 'benefits-qinghai-death-cap.json') })).stdout);
    expect(out.totals.monthly.all).toBe(out.parameters.base);
    expect(out.lines.find((l: { code: string }) => l.code === 'death_lump_sum').amount).toBe('1130040.00');
  });

  it('grade-3 example: nursing, allowance and the platform-paid living allowance', async () => {
    const out = JSON.parse((await run(benefits, { input: path.join(examples, 'benefits-qinghai-grade3-nursing.json') })).stdout);
    const by = (c: string) => out.lines.find((l: { code: string }) => l.code === c);
    // 三级 goes with 部分生活自理障碍 only (GB/T 16180-2014 5.3.1): 30 % of the base.
    expect(by('nursing_allowance')).toMatchObject({ label: '生活护理费（部分生活自理障碍）', amount: '1080.00' });
    expect(by('disability_allowance').amount).toBe('2880.00');
    expect(by('living_allowance').payer).toBe('platform');
    expect(out.parameters.livingAllowanceTo).toBe('2027-02-28');
  });

  it('late platform example: the accident-to-receipt range falls to the platform', async () => {
    const out = JSON.parse((await run(benefits, { input: path.join(examples, 'benefits-qinghai-late-platform.json') })).stdout);
    expect(out.platformBorneCosts).toMatchObject({ from: '2026-08-01', to: '2026-09-15', article: '第十五条第三款' });
  });

  it('a refused input exits non-zero with the Chinese message on stderr and nothing on stdout', async () => {
    const r = await run(benefits, {
      input: inputFile({
        jurisdiction: 'qinghai',
        injuryDate: '2026-08-01',
        outcome: { kind: 'disability', grade: 11, nursingLevel: null, conclusionDate: '2026-12-01' },
      }),
    });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/伤残等级须为 1 至 10/);
  });

  it('a missing statistical figure is refused naming it', async () => {
    const r = await run(benefits, {
      input: inputFile({
        jurisdiction: 'qinghai',
        injuryDate: '2026-08-01',
        outcome: { kind: 'disability', grade: 7, nursingLevel: null, conclusionDate: '2026-12-01' },
      }),
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/2025年度青海省城镇私营单位就业人员年平均工资/);
  });

  it('figures given in the input are used and recorded as given', async () => {
    const r = await run(benefits, {
      input: inputFile({
        jurisdiction: 'qinghai',
        injuryDate: '2026-08-01',
        outcome: { kind: 'disability', grade: 7, nursingLevel: null, conclusionDate: '2026-12-01' },
        figures: { provincialPrivateAnnualWage: '72000' },
      }),
    });
    const out = JSON.parse(r.stdout);
    expect(out.parameters.base).toBe('3600.00');
    expect(out.provenance.find((p: { key: string }) => p.key === 'provincialPrivateAnnualWage').status).toBe('given');
  });

  it('unreadable or non-JSON input is a CliError', async () => {
    await expect(run(benefits, { input: path.join(tmp, 'nope.json') })).rejects.toBeInstanceOf(CliError);
    const f = path.join(tmp, 'bad.json');
    writeFileSync(f, '{');
    await expect(run(benefits, { input: f })).rejects.toThrow(/不是有效的 JSON/);
  });
});

describe('cli workdays', () => {
  it.each([
    ['2026-09-30', '1', { due: '2026-10-08', certain: true }],
    ['2026-10-09', '1', { due: '2026-10-10', certain: true }],
    ['2026-02-12', '7', { due: '2026-02-28', certain: true }],
    ['2025-01-27', '1', { due: '2025-02-05', certain: true }],
  ])('--from %s --add %s', async (from, add, want) => {
    const r = await run(workdays, { from, add });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(want);
  });

  it('past the calendar’s years: certain false', async () => {
    const out = JSON.parse((await run(workdays, { from: '2026-12-30', add: '3' })).stdout);
    expect(out.certain).toBe(false);
  });

  it.each([
    [{ from: '2026-02-30', add: '1' }, /起始日期/],
    [{ from: '2026-11-24', add: '-2' }, /工作日天数/],
    [{ from: '2026-11-24', add: 'x' }, /工作日天数/],
  ])('refuses %j', async (flags, msg) => {
    const r = await run(workdays, flags);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(msg);
  });

  it('a missing flag is a CliError', async () => {
    await expect(run(workdays, { from: '2026-11-24' })).rejects.toThrow(/--add/);
  });
});
