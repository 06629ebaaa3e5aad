// Screens follow changes made elsewhere, without a reload: the core publishes data.changed after
// every commit and the renderer's one subscription refetches what is on screen. Two windows: the
// clerk keeps a case open while the officer confirms it in the other; then a change made through
// the core with no window at all (as sync will) appears in the clerk's bills tab.
import { test, expect } from './web-host-fixture';
import { acceptedCase, asUser, login, seedStaff } from './helpers';
import { beijingRider } from '../helpers/intake';

test('a change made in another window, or outside any window, shows up without reloading', async ({ page, app, context }) => {
  await seedStaff(app.core, [
    { username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] },
    { username: 'officer', displayName: '确认经办乙', roles: ['confirmation_officer'] },
  ]);
  const clerkCall = await asUser(app.core, 'clerk');
  const caseId = await acceptedCase(clerkCall, beijingRider());

  // Window 1: the clerk, looking at the case.
  await page.goto(app.host.openUrl);
  await login(page, 'clerk');
  await page.goto(`${app.host.url}#/intake/case/${caseId}`);
  const header = page.locator('.ant-card').first();
  await expect(header.getByText('已受理', { exact: true })).toBeVisible();

  // Window 2: the officer confirms it.
  const other = await context.newPage();
  await other.goto(app.host.openUrl);
  await login(other, 'officer');
  await other.goto(`${app.host.url}#/confirmation/case/${caseId}`);
  await other.getByRole('button', { name: '确认为职业伤害' }).click();
  await other.getByLabel('结论理由').fill('执行平台订单任务期间因工作原因受到事故伤害');
  await other.getByRole('button', { name: '确定' }).click();
  await expect(other.getByText('已确认', { exact: true }).first()).toBeVisible();

  // Window 1 was not touched: its case header follows, and so does the history.
  await expect(header.getByText('已确认', { exact: true })).toBeVisible();
  await page.getByRole('tab', { name: '办理记录' }).click();
  await expect(page.getByText(/已受理 → 已确认 · 确认经办乙/)).toBeVisible();

  // A change with no window behind it (the core called directly, as sync will).
  await page.getByRole('tab', { name: /医疗费/ }).click();
  await expect(page.getByText('E20261120009')).toHaveCount(0);
  await clerkCall('bills.add', {
    caseId,
    billDate: '2026-11-20',
    hospital: '北京大学第三医院',
    invoiceNo: 'E20261120009',
    amount: '120',
    eligible: '120',
    submittedDate: '2026-11-24',
  });
  await expect(page.getByText('E20261120009')).toBeVisible();
  await other.close();
});
