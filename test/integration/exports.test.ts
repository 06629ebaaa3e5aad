// Exports of every list and table to XLSX and CSV with Chinese headers: each file is opened and
// read back (exceljs for XLSX, a CSV parse for CSV) and compared with what the screen shows.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, setupAdmin, signIn, type TestCore } from '../helpers/core';
import { gradeAndSign, hearingScene } from '../helpers/appraisal';
import { registered } from '../helpers/desk';
import type { ExportFile } from '../../shared/api/methods/desk';

let t: TestCore;
let admin: string;
let scene: Awaited<ReturnType<typeof hearingScene>>;
let boss: string;

beforeEach(async () => {
  t = makeTestCore();
  admin = await setupAdmin(t);
  scene = await hearingScene(t, admin);
  await t.call('users.create', { username: 'boss', displayName: '业务主管', password: 'Staff-pass-2026', roles: ['manager'] }, admin);
  boss = await signIn(t, 'boss', 'Staff-pass-2026');
});
afterEach(() => t.cleanup());

async function sheets(file: ExportFile): Promise<Map<string, (string | number | null)[][]>> {
  expect(file.filename.endsWith('.xlsx')).toBe(true);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer);
  const out = new Map<string, (string | number | null)[][]>();
  wb.eachSheet((ws) => {
    const rows: (string | number | null)[][] = [];
    ws.eachRow({ includeEmpty: true }, (row) => {
      const cells: (string | number | null)[] = [];
      for (let c = 1; c <= ws.columnCount; c++) {
        const v = row.getCell(c).value;
        cells.push(v === undefined || v === null ? null : (v as string | number));
      }
      rows.push(cells);
    });
    out.set(ws.name, rows);
  });
  return out;
}

/** A strict RFC 4180 reader, enough to check what we write. */
function parseCsv(file: ExportFile): string[][] {
  const bytes = Buffer.from(file.dataBase64, 'base64');
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('exports', () => {
  it('exports the search results to XLSX and CSV with the same rows and Chinese headers, formulas neutralised', async () => {
    await registered(t, scene.clerk, { name: '=1+1', applicantKind: 'platform' });
    await registered(t, scene.clerk, { name: '王, "小二"', applicantKind: 'platform' });
    const onScreen = await t.call('cases.search', { q: '', limit: 50 }, scene.clerk);
    const x = await t.call('exports.search', { format: 'xlsx', q: '' }, scene.clerk);
    const c = await t.call('exports.search', { format: 'csv', q: '' }, scene.clerk);
    expect(x.rows).toBe(onScreen.length);
    expect(c.filename).toMatch(/^案件检索结果-2026-11-24\.csv$/);
    const sheet = (await sheets(x)).get('检索结果')!;
    const header = [
      '登记号',
      '受理编号',
      '姓名',
      '身份证号（部分隐藏）',
      '手机号（部分隐藏）',
      '事故日期',
      '责任平台',
      '案件状态',
      '小伤快办',
      '登记时间',
    ];
    expect(sheet[0]).toEqual(header);
    const csv = parseCsv(c);
    expect(csv[0]).toEqual(header);
    // Same rows in both formats and on screen, in the same order.
    expect(sheet.slice(1, 1 + onScreen.length).map((r) => r[0])).toEqual(onScreen.map((s) => s.registrationNo));
    expect(csv.slice(1, 1 + onScreen.length).map((r) => r[0])).toEqual(onScreen.map((s) => s.registrationNo));
    const names = csv.slice(1, 1 + onScreen.length).map((r) => r[2]);
    expect(names).toContain("'=1+1");
    expect(names).toContain('王, "小二"');
    expect(sheet.map((r) => r[2])).toContain("'=1+1");
    expect(
      csv
        .slice(1, 1 + onScreen.length)
        .map((r) => r[3])
        .every((id) => /\*{8}/.test(id!)),
    ).toBe(true);
    // Exporting is audited, with the row count, never the rows.
    const audit = await t.call('audit.list', { limit: 2, offset: 0 }, admin);
    expect(audit.entries.map((e) => e.summary)).toEqual([
      `导出案件检索结果（CSV，${onScreen.length} 行）`,
      `导出案件检索结果（XLSX，${onScreen.length} 行）`,
    ]);
  });

  it('exports the worklist, a queue, the audit log, the hearing results and the 疑点 list', async () => {
    await gradeAndSign(t, scene);
    const h = parseCsv(await t.call('exports.hearing', { format: 'csv', hearingId: scene.hearingId }, scene.secretary));
    expect(h[0]).toEqual(['序号', '受理编号', '姓名', '到场情况', '鉴定结论', '生活自理障碍', '评定用时（分钟）']);
    expect(h[1]!.slice(2, 6)).toEqual(['单通', '到场', '七级', '无']);

    const accepted = await registered(t, scene.clerk, { applicantKind: 'platform' });
    const c = await t.call('cases.get', { caseId: accepted }, scene.clerk);
    await t.call('cases.transition', { caseId: accepted, action: 'accept', expectedVersion: c.version }, scene.clerk);
    t.clock.set(new Date('2026-12-10T02:00:00Z'));
    const officer = await signIn(t, 'officer', 'Staff-pass-2026');
    const wl = await t.call('cases.worklist', {}, officer);
    expect(wl.map((i) => i.deadline.status)).toEqual(['逾期']);
    const w = (await sheets(await t.call('exports.worklist', { format: 'xlsx' }, officer))).get('临期逾期待办')!;
    expect(w[0]!.slice(0, 6)).toEqual(['期限状态', '期限事项', '期限日', '剩余天数', '计算方式', '依据']);
    expect(w.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[4]])).toEqual(
      wl.map((i) => [i.deadline.status, i.deadline.label, i.deadline.due, i.deadline.daysLeft, '工作日']),
    );

    const q = parseCsv(await t.call('exports.queue', { format: 'csv', queue: 'confirmation' }, officer));
    expect(q[0]!.slice(0, 3)).toEqual(['登记号', '受理编号', '姓名']);
    expect(q.slice(1).map((r) => r[1])).toEqual((await t.call('cases.queue', { queue: 'confirmation' }, officer)).map((r) => r.caseNo));

    const admin2 = await signIn(t, 'admin', 'Admin-pass-2026');
    const audit = (await sheets(await t.call('exports.audit', { format: 'xlsx', from: '2026-11-24', to: '2026-11-24' }, admin2))).get(
      '审计日志',
    )!;
    expect(audit[0]).toEqual(['序号', '时间', '操作人', '操作', '摘要', '哈希', '前一条哈希']);
    const listed = await t.call('audit.list', { limit: 500, offset: 0 }, admin2);
    const sameDay = listed.entries.filter((e) => e.at.startsWith('2026-11-24')).map((e) => e.seq);
    expect(audit.slice(1, 1 + sameDay.length).map((r) => r[0])).toEqual(sameDay.sort((a, b) => a - b));
    expect((await t.fail('exports.audit', { format: 'csv' }, officer)).code).toBe('FORBIDDEN');

    const boss2 = await signIn(t, 'boss', 'Staff-pass-2026');
    const flagsFile = parseCsv(await t.call('exports.flags', { format: 'csv', status: 'open' }, boss2));
    expect(flagsFile[0]).toEqual(['受理编号/登记号', '姓名', '经办机构', '筛查规则', '疑点说明', '依据', '状态', '发现时间', '清除理由']);
    expect(flagsFile.slice(1).some((r) => r[3] === '本人申请而平台未报案' && r[6] === '待核查')).toBe(true);
  });

  it('exports the whole dashboard (a sheet per figure), one figure, and the 第三十三条 annual figures', async () => {
    await gradeAndSign(t, scene);
    const filter = { from: '2026-11-01', to: '2026-11-30', office: null };
    const d = await t.call('monitoring.dashboard', filter, boss);
    const all = await sheets(await t.call('exports.dashboard', { format: 'xlsx', filter }, boss));
    expect([...all.keys()]).toEqual(d.figures.map((f) => f.title.slice(0, 28)));
    const grades = all.get('鉴定结论等级分布')!;
    expect(grades.slice(0, 2)).toEqual([
      ['伤残等级', '结论数'],
      ['七级', 1],
    ]);
    const durations = parseCsv(await t.call('exports.dashboard', { format: 'csv', filter, figure: 'fast_track' }, boss));
    expect(durations[0]).toEqual(['行业', '申请件数', '小伤快办件数', '占比（%）']);
    expect(durations[1]).toEqual(['即时配送', '1', '1', '100']);
    expect(durations.at(-1)![0]).toContain('统计期 2026-11-01 至 2026-11-30');

    const annual = await sheets(await t.call('exports.annual', { format: 'xlsx', year: 2026, office: null }, boss));
    const overview = annual.get('2026年度职业伤害保障业务概况')!;
    expect(overview[0]).toEqual(['项目', '数值', '单位']);
    const value = (item: string) => overview.find((r) => r[0] === item)?.[1];
    expect(value('参保人数')).toBe('本机无此数据');
    expect(value('待遇给付申请')).toBe('1');
    expect(value('确认为职业伤害')).toBe('1');
    expect(value('劳动能力鉴定结论')).toBe('1');
    expect([...annual.keys()]).toHaveLength(5);
    expect((await t.fail('exports.annual', { format: 'csv', year: 2027, office: null }, boss)).message).toContain('尚未开始');
    expect((await t.fail('exports.dashboard', { format: 'csv', filter }, scene.clerk)).code).toBe('FORBIDDEN');
  });
});
