import path from 'node:path';
import { test, expect, SCREENSHOTS } from './web-host-fixture';

test('first start → create administrator → log out → wrong password refused → log in → shell', async ({ page, app }) => {
  await page.goto(app.host.openUrl);
  await expect(page.getByText('初始化：创建首个管理员')).toBeVisible();
  // The launch key leaves the address bar once read.
  await expect.poll(() => page.url()).not.toContain('key=');

  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('姓名').fill('王管理');
  await page.getByLabel('密码', { exact: true }).fill('short');
  await page.getByLabel('再次输入密码').fill('short');
  await page.getByRole('button', { name: '创建管理员' }).click();
  await expect(page.getByText('密码至少 10 个字符').first()).toBeVisible();

  await page.getByLabel('密码', { exact: true }).fill('Admin-pass-2026');
  await page.getByLabel('再次输入密码').fill('Admin-pass-2026');
  await page.getByRole('button', { name: '创建管理员' }).click();

  // The recovery key is shown once; going on needs the confirmation that it was kept.
  await expect(page.getByTestId('recovery-key')).toHaveText(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}/);
  const goOn = page.getByRole('button', { name: '已保存，去登录' });
  await expect(goOn).toBeDisabled();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'first-start-recovery-key.png') });
  await page.getByLabel('我已抄写或打印恢复密钥，并将妥善保管').check();
  await goOn.click();

  await expect(page.getByText('职伤保障工作台 · 登录')).toBeVisible();
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill('Admin-pass-2026');
  await page.getByLabel('密码').press('Enter');
  await expect(page.getByRole('menu', { name: '主导航' })).toBeVisible();

  await page.getByTestId('account-menu').click();
  await page.getByText('退出登录').click();
  await expect(page.getByText('职伤保障工作台 · 登录')).toBeVisible();

  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill('Wrong-pass-2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toContainText('用户名或密码不正确');

  await page.getByLabel('密码').fill('Admin-pass-2026');
  await page.getByRole('button', { name: '登录' }).click();
  const nav = page.getByRole('menu', { name: '主导航' });
  for (const area of ['受理大厅', '职业伤害确认', '鉴定专场', '待遇核定', '文书', '同步', '系统管理']) {
    await expect(nav.getByText(area)).toBeVisible();
  }
  await expect(page.getByTestId('status-slot')).toContainText('未配置中心同步');
  await expect(page.getByText('您好，王管理')).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'first-start-shell.png') });

  // The audit trail shows what happened, and the chain verifies.
  await nav.getByText('系统管理').click();
  await page.getByRole('tab', { name: '审计日志' }).click();
  await expect(page.getByText('登录失败').first()).toBeVisible();
  await page.getByRole('button', { name: '校验审计链' }).click();
  await expect(page.getByText(/审计链完整：已校验 \d+ 条记录/)).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-audit.png') });
});
