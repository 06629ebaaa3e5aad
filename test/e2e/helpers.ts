// Steps shared by the end-to-end tests.
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import type { Core } from '../../electron/core/app-core';
import type { Role } from '../../shared/roles';

export const PASSWORD = 'Staff-pass-2026';

/** Creates the administrator and staff through the core (the UI path is tested elsewhere). */
export async function seedStaff(core: Core, users: { username: string; displayName: string; roles: Role[] }[]): Promise<void> {
  const op = '测试初始化';
  const call = async (method: string, input: unknown) => {
    const r = await core.dispatch({ method, input, asLocalOperator: op });
    if (!r.ok) throw new Error(r.error.message);
  };
  await call('users.create', { username: 'admin', displayName: '管理员', password: PASSWORD, roles: ['admin'] });
  for (const u of users) await call('users.create', { ...u, password: PASSWORD });
}

export async function login(page: Page, username: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('menu', { name: '主导航' })).toBeVisible();
}

export async function logout(page: Page): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByText('退出登录').click();
  await expect(page.getByText('· 登录')).toBeVisible();
}

/** Picks an option in an antd Select: open it by its label, click the option in the open dropdown. */
export async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  // The newest dropdown is the last one in the document; an earlier one may still be closing.
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last().getByTitle(option, { exact: true }).click();
}
