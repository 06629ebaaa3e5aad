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

/**
 * Picks an option in an antd Select: open it by its label, click the option in the open
 * dropdown, and check that the select now shows it (retrying: a click during the dropdown's
 * opening animation is sometimes lost).
 */
export async function choose(page: Page, label: string, option: string): Promise<void> {
  const box = page.getByLabel(label, { exact: true });
  const select = box.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  await expect(async () => {
    await box.click();
    // Typing filters searchable selects, so options beyond the virtual list's window show up.
    // Select what an earlier attempt typed first, so a retry replaces it instead of adding to it.
    if (await box.evaluate((el) => !(el as HTMLInputElement).readOnly)) {
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(option);
    }
    // The newest dropdown is the last one in the document; an earlier one may still be closing.
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
      .last()
      .getByTitle(option, { exact: true })
      .click({ timeout: 2000 });
    await expect(select).toContainText(option, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
}

export interface WalkIn {
  name: string;
  idNumber: string;
  phone: string;
  industry: string;
  platform: string;
  accidentAt: string;
  place: string;
  description: string;
  injury: string;
  orderNo: string;
  acceptedAt: string;
  applicantKind: '平台企业' | '本人' | '近亲属' | '工会组织';
  applicantName: string;
  applicationDate: string;
  treatment: ('仅门诊或急诊' | '曾住院' | '事实清楚' | '存在争议')[];
}

/**
 * A screenshot once antd's opening animations have ended (a dialog caught mid-zoom is blank):
 * waits for the condition, not for a time.
 */
export async function settledShot(page: Page, file: string): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector('[class*="-appear-active"], [class*="-enter-active"], [class*="-appear-start"], [class*="-enter-start"]') ===
      null,
  );
  await page.screenshot({ path: file });
}

/** Types a walk-in claim into the registration form, field by field, as a clerk would. */
export async function fillRegistration(page: Page, w: WalkIn): Promise<void> {
  await page.getByLabel('姓名').fill(w.name);
  await page.getByLabel('身份证号码').fill(w.idNumber);
  await page.getByLabel('手机号码').fill(w.phone);
  await choose(page, '行业', w.industry);
  await choose(page, '接单平台', w.platform);
  await page.keyboard.press('Escape');
  await page.getByLabel('事故时间').fill(w.accidentAt);
  await page.getByLabel('事故地点').fill(w.place);
  await page.getByLabel('事故经过').fill(w.description);
  await page.getByLabel('伤情（每行一处）').fill(w.injury);
  await choose(page, '第十一条情形', '（一）执行平台订单任务期间受到事故伤害');
  await choose(page, '订单1平台', w.platform);
  await page.getByLabel('订单1订单号').fill(w.orderNo);
  await page.getByLabel('订单1接单时间').fill(w.acceptedAt);
  await page.getByLabel(w.applicantKind).check();
  await page.getByLabel('申请人名称').fill(w.applicantName);
  await page.getByLabel('申请日期').fill(w.applicationDate);
  for (const t of w.treatment) await page.getByLabel(t).check();
}

type Call = (method: string, input: unknown) => Promise<Record<string, unknown>>;

/** Calls the core directly as a signed-in user (or, with no name, as the local operator): for setting the scene fast. */
export async function asUser(core: Core, username?: string): Promise<Call> {
  let token: string | null = null;
  if (username) {
    const r = await core.dispatch({ method: 'auth.login', input: { username, password: PASSWORD } });
    if (!r.ok || !(r.result as { ok: boolean }).ok) throw new Error(`login ${username} failed`);
    token = (r.result as { sessionToken: string }).sessionToken;
  }
  return async (method, input) => {
    const r = await core.dispatch(token ? { method, input, sessionToken: token } : { method, input, asLocalOperator: 'e2e' });
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.result as Record<string, unknown>;
  };
}

/** Moves a case one step through the lifecycle as the given caller. */
export async function move(call: Call, caseId: string, action: string, extra: Record<string, unknown> = {}): Promise<void> {
  const c = (await call('cases.get', { caseId })) as { version: number };
  await call('cases.transition', { caseId, action, expectedVersion: c.version, ...extra });
}

/** Registers the Beijing rider's case and accepts it with every material received. */
export async function acceptedCase(clerk: Call, registration: unknown): Promise<string> {
  const { caseId } = (await clerk('cases.register', registration)) as { caseId: string };
  const c = (await clerk('cases.get', { caseId })) as { version: number; materials: { code: string }[] };
  await clerk('cases.setMaterials', {
    caseId,
    expectedVersion: c.version,
    materials: c.materials.map((m) => ({ code: m.code, received: true })),
  });
  await move(clerk, caseId, 'accept');
  return caseId;
}
