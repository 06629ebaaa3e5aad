// 运行监测 in Chromium: a manager sees the figures for a small store, switches a chart to its
// table, filters by office, exports every chart to Excel and one to CSV, and opens a flagged case
// from the 疑点 list; the help panel (F1), large text and the search shortcut work.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { test, expect, SCREENSHOTS } from './web-host-fixture';
import { acceptedCase, asUser, login, move, seedStaff } from './helpers';
import { beijingRider, withCheckDigit } from '../helpers/intake';

test('the dashboard shows its figures, each as a table, filtered by office, and exports them', async ({ page, app }) => {
  await seedStaff(app.core, [
    { username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] },
    { username: 'officer', displayName: '确认经办乙', roles: ['confirmation_officer'] },
    { username: 'boss', displayName: '业务主管丙', roles: ['manager'] },
  ]);
  const op = await asUser(app.core);
  const clerk = await asUser(app.core, 'clerk');
  const officer = await asUser(app.core, 'officer');
  await op('settings.update', { agencyName: '西宁市城东区社会保险服务中心' });
  // Two claims in 城东区 (one confirmed), one in 城中区 by the worker himself (a 疑点: the platform filed nothing).
  const a = await acceptedCase(clerk, beijingRider({ idNumber: withCheckDigit('11010819900315001'), applicantKind: 'platform' }));
  await move(officer, a, 'confirm', { reason: '送餐途中摔伤', article: '第十一条第一款第（一）项' });
  await acceptedCase(clerk, beijingRider({ idNumber: withCheckDigit('11010819900315002'), applicantKind: 'platform' }));
  await op('settings.update', { agencyName: '西宁市城中区社会保险服务中心' });
  const flagged = (await clerk('cases.register', beijingRider({ idNumber: withCheckDigit('11010819900315003') }))) as { caseId: string };

  await page.goto(app.host.openUrl);
  await login(page, 'boss');
  await page.getByRole('menu', { name: '主导航' }).getByText('运行监测').click();
  const status = page.getByTestId('figure-by_status');
  await expect(status).toBeVisible();
  await expect(page.getByTestId('figure-durations')).toBeVisible();
  await expect(page.getByTestId('figure-flags')).toBeVisible();
  await expect(status.getByRole('img', { name: '案件状态分布（图表）' })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png'), fullPage: true });

  // Every chart can show its table: the numbers behind the pie.
  await status.getByText('表格').click();
  await expect(status.getByRole('row', { name: '已登记 1' })).toBeVisible();
  await expect(status.getByRole('row', { name: '已受理 1' })).toBeVisible();
  await expect(status.getByRole('row', { name: '已确认 1' })).toBeVisible();
  const fast = page.getByTestId('figure-fast_track');
  await fast.getByText('表格').click();
  await expect(fast.getByRole('row', { name: /合计 3 3 100%/ })).toBeVisible();
  const flags = page.getByTestId('figure-flags');
  await flags.getByText('表格').click();
  await expect(flags.getByRole('row', { name: '本人申请而平台未报案 1 0 0' })).toBeVisible();

  // One office.
  await page.getByLabel('经办机构').click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle('西宁市城中区社会保险服务中心').click();
  await expect(status.getByRole('row', { name: '已登记 1' })).toBeVisible();
  await expect(status.getByRole('row', { name: '已确认 1' })).toHaveCount(0);

  // Every chart to Excel: a sheet per figure, with Chinese headers.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出全部图表' }).click();
  await page.getByText('Excel 表格（.xlsx）').click();
  const xlsx = path.join(app.core.deps.dataDir, 'dashboard.xlsx');
  await (await download).saveAs(xlsx);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsx);
  const sheet = wb.getWorksheet('案件状态分布')!;
  expect(sheet.getRow(1).values).toEqual([undefined, '案件状态', '件数']);
  expect(sheet.getRow(2).values).toEqual([undefined, '已登记', 1]);
  expect(wb.worksheets.length).toBe(15);

  // One chart to CSV, as Excel opens it (UTF-8 with a byte-order mark). The first menu closes
  // with an animation: wait until it is gone, so only the new menu offers 'CSV'.
  await expect(page.locator('.ant-dropdown:not(.ant-dropdown-hidden)')).toHaveCount(0);
  const csvDownload = page.waitForEvent('download');
  await fast.getByRole('button', { name: '导出' }).click();
  await page.locator('.ant-dropdown:not(.ant-dropdown-hidden)').getByText('CSV 文本（.csv）').click();
  const csv = path.join(app.core.deps.dataDir, 'fast.csv');
  await (await csvDownload).saveAs(csv);
  const bytes = fs.readFileSync(csv);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe('行业,申请件数,小伤快办件数,占比（%）');

  // The 疑点 list opens the case, where the flag is shown with its evidence.
  await page.getByRole('tab', { name: '疑点筛查' }).click();
  const queue = page.getByRole('tabpanel', { name: '疑点筛查' });
  await expect(queue.getByText('由本人申请，平台企业未报案（事故前后 30 日内无事故备案）')).toBeVisible();
  await page.getByRole('button', { name: '查看案件' }).click();
  await expect(page).toHaveURL(new RegExp(`case/${flagged.caseId}`));
  await expect(page.getByTestId('case-flag')).toContainText('平台企业未报案');
});

test('F1 opens the help panel with the shortcuts and each role’s guide; large text; Ctrl+K searches; Alt+J/K move through a list', async ({
  page,
  app,
}) => {
  await seedStaff(app.core, [{ username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] }]);
  const clerk = await asUser(app.core, 'clerk');
  const { caseId } = (await clerk('cases.register', beijingRider())) as { caseId: string };
  const second = (await clerk('cases.register', beijingRider({ idNumber: withCheckDigit('11010819900315004') }))) as {
    caseId: string;
  };
  const third = (await clerk('cases.register', beijingRider({ idNumber: withCheckDigit('11010819900315012') }))) as {
    caseId: string;
  };
  await page.goto(app.host.openUrl);
  await login(page, 'clerk');

  await page.keyboard.press('F1');
  const help = page.getByTestId('help-panel');
  await expect(help.getByRole('cell', { name: 'Alt + N' })).toBeVisible();
  await expect(help.getByRole('cell', { name: 'Ctrl + K 或 /' })).toBeVisible();
  await help.getByRole('tab', { name: '使用指南' }).click();
  await expect(help.getByRole('heading', { name: '受理专员' })).toBeVisible();
  await help.getByRole('tab', { name: '显示' }).click();
  await help.getByRole('switch', { name: '大字号' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-large-text', '1');
  await page.keyboard.press('Escape');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-large-text', '1');
  // The attribute is set before the app has signed back in; the shortcuts listen once the shell is there.
  await expect(page.getByRole('menu', { name: '主导航' })).toBeVisible();

  // Alt+N: a new claim; Ctrl+K: search from anywhere and open the case.
  await page.keyboard.press('Alt+n');
  await expect(page).toHaveURL(/#\/intake\/new/);
  await page.getByRole('menu', { name: '主导航' }).getByText('首页').click();
  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: '检索案件' }).getByLabel('检索案件').fill('单通');
  await page.getByRole('dialog', { name: '检索案件' }).getByRole('cell', { name: '单通' }).first().click();
  await expect(page).toHaveURL(new RegExp(`intake/case/(${caseId}|${second.caseId})`));

  // Alt+J / Alt+K: the next and previous case of the list a case was opened from.
  await page.getByRole('menu', { name: '主导航' }).getByText('受理大厅').click();
  const rows = page.getByRole('tabpanel').getByRole('row').filter({ hasText: '单通' });
  await expect(rows).toHaveCount(3);
  const order = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-row-key')));
  await rows.first().click();
  await expect(page).toHaveURL(new RegExp(`intake/case/${order[0]}`));
  await page.keyboard.press('Alt+j');
  await expect(page).toHaveURL(new RegExp(`intake/case/${order[1]}`));
  await page.keyboard.press('Alt+k');
  await expect(page).toHaveURL(new RegExp(`intake/case/${order[0]}`));
  // Two presses before the page can catch up (one task, no render between them, as on a busy
  // machine): the second step counts on from where the first went.
  await page.evaluate(() => {
    for (let i = 0; i < 2; i++) window.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', altKey: true }));
  });
  await expect(page).toHaveURL(new RegExp(`intake/case/${order[2]}`));
  expect(new Set(order)).toEqual(new Set([caseId, second.caseId, third.caseId]));
});
