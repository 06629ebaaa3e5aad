// Screens speak Chinese, at the office laptop's 1366×768: every role signs in on a store filled
// with the demo data and walks every area, every tab, and a case page; any visible Latin-letter
// word not on a short allow-list fails the test (with the screen it was on). A screenshot of
// each screen is saved under test-results/screens/. Also here: the registration form's mistakes,
// a fresh install issuing its first notice with no administrator setup, and what the app says
// when it is opened without its launch key or loses its local service.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './web-host-fixture';
import { acceptedCase, asUser, login, PASSWORD, seedStaff } from './helpers';
import { fillDemo } from '../../electron/core/demo/demo-data';
import { beijingRider } from '../helpers/intake';
import type { Role } from '../../shared/roles';

const SHOTS = path.resolve('test-results/screens');

/**
 * Latin words (two letters or more; a lone letter is not a word) a clerk may see: file formats and keys known by these names, and the letter of an
 * ID card number. Also let through: numbers the office uses that start with letters
 * (DJ2026-41DC-000001, an order number MT2026…), a format shown as X's (XXXX-XXXX), web
 * addresses, login names (people type them), and text in code style (a key line, a hash, a
 * command to copy), which is a string to copy, not words to read.
 */
const ALLOWED = new Set(['PDF', 'QR', 'Excel', 'CSV', 'JSON', 'xlsx', 'csv', 'Alt', 'Ctrl', 'Shift', 'Enter', 'Esc', 'Tab', 'F1', 'X']);
const NUMBER_CODE = /^[A-Z]{1,4}\d[0-9A-Z-]*$/;
const FORMAT_MASK = /^X+(-X+)*$/;

async function latinOnScreen(page: Page, logins: Set<string>): Promise<string[]> {
  const text = await page.evaluate(() => {
    const parts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('code, kbd, [data-code], script, style')) continue;
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      parts.push(n.textContent ?? '');
    }
    for (const el of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[placeholder], textarea[placeholder]'))
      if (el.checkVisibility()) parts.push(el.placeholder);
    return parts.join('\n');
  });
  const words = text.replace(/https?:\/\/\S+/g, ' ').match(/[A-Za-z][A-Za-z0-9_.-]*/g) ?? [];
  return [
    ...new Set(
      words
        .map((w) => w.replace(/[.-]+$/, ''))
        .filter((w) => w.length > 1 && !ALLOWED.has(w) && !NUMBER_CODE.test(w) && !FORMAT_MASK.test(w) && !logins.has(w)),
    ),
  ];
}

/** Waits until nothing on screen is loading (a spinner or skeleton), however long that takes. */
async function settled(page: Page): Promise<void> {
  await expect(
    page.locator('.ant-spin-spinning:visible, .ant-skeleton-active:visible, .ant-table-placeholder .ant-spin:visible'),
  ).toHaveCount(0);
}

const ROLE_ACCOUNTS: { username: string; displayName: string; roles: Role[] }[] = [
  { username: 'walk-expert', displayName: '走查专家', roles: ['appraisal_expert'] },
  { username: 'walk-benefit', displayName: '走查待遇经办', roles: ['benefit_officer'] },
  { username: 'walk-reviewer', displayName: '走查待遇复核', roles: ['benefit_reviewer'] },
  { username: 'walk-insurance', displayName: '走查保险复核', roles: ['insurance_reviewer'] },
  { username: 'walk-manager', displayName: '走查管理人员', roles: ['manager'] },
];

test('every screen of every role speaks Chinese at 1366×768', async ({ page, app }) => {
  test.setTimeout(900_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const demo = await fillDemo(app.core, { cases: 21, seed: 15 });
  for (const a of ROLE_ACCOUNTS) {
    const r = await app.core.dispatch({ method: 'users.create', input: { ...a, password: PASSWORD }, asLocalOperator: '走查初始化' });
    expect(r.ok).toBe(true);
  }
  const accounts = [
    ...demo.accounts.map((a) => ({ username: a.username, password: a.password })),
    ...ROLE_ACCOUNTS.map((a) => ({ username: a.username, password: PASSWORD })),
  ];
  const someCase = (status: string) =>
    (app.core.store.sqlite.prepare('SELECT id FROM cases WHERE status = ? ORDER BY id LIMIT 1').get(status) as { id: string } | undefined)
      ?.id;
  const caseFor: Record<string, string | undefined> = {
    intake: someCase('accepted') ?? someCase('registered'),
    confirmation: someCase('accepted'),
    appraisal: someCase('awaiting_appraisal') ?? someCase('confirmed'),
    benefits: someCase('in_treatment') ?? someCase('confirmed'),
  };

  const logins = new Set(accounts.map((a) => a.username));
  const findings: string[] = [];
  let shots = 0;
  const look = async (where: string) => {
    await settled(page);
    const words = await latinOnScreen(page, logins);
    if (words.length > 0) findings.push(`${where}: ${words.join(' ')}`);
    await page.screenshot({ path: path.join(SHOTS, `${String(++shots).padStart(3, '0')}-${where.replace(/[\\/:*?"<>| ]+/g, '_')}.png`) });
  };
  /** Every tab of the screen, once each (nested tabs are reached from their parent tab). */
  const walkTabs = async (where: string) => {
    const tabs = page.locator('.ant-layout-content [role=tab]:visible');
    const names = await tabs.allInnerTexts();
    for (const name of names) {
      await page.locator('.ant-layout-content [role=tab]:visible').filter({ hasText: name }).first().click();
      await look(`${where}-${name.replace(/[（(]\d+[）)]/g, '')}`);
    }
  };

  await page.goto(app.host.openUrl);
  for (const acct of accounts) {
    await page.getByLabel('用户名').fill(acct.username);
    await page.getByLabel('密码').fill(acct.password);
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.getByRole('menu', { name: '主导航' })).toBeVisible();
    const areas = await page.getByRole('menu', { name: '主导航' }).getByRole('menuitem').allInnerTexts();
    for (const area of areas) {
      await page.getByRole('menu', { name: '主导航' }).getByRole('menuitem', { name: area }).click();
      await look(`${acct.username}-${area}`);
      await walkTabs(`${acct.username}-${area}`);
    }
    // A case as this role opens it, with each of its tabs.
    const key = Object.keys(caseFor).find((k) =>
      areas.some((a) => a.includes({ intake: '受理', confirmation: '确认', appraisal: '鉴定', benefits: '待遇' }[k]!)),
    );
    if (key && caseFor[key]) {
      await page.goto(`${app.host.url}#/${key}/case/${caseFor[key]}`);
      await look(`${acct.username}-案件`);
      await walkTabs(`${acct.username}-案件`);
    }
    await page.getByTestId('account-menu').click();
    await page.getByText('退出登录').click();
    await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  }
  expect(shots).toBeGreaterThan(30);
  expect(findings).toEqual([]);
});

test('the registration form: Chinese messages next to empty fields, first error focused, typed dates, a future date marked', async ({
  page,
  app,
}) => {
  await seedStaff(app.core, [{ username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] }]);
  await page.goto(app.host.openUrl);
  await login(page, 'clerk');
  await page.goto(`${app.host.url}#/intake/new`);
  await page.getByRole('button', { name: '登记申请' }).click();
  for (const m of [
    '请输入姓名',
    '请输入身份证号码',
    '请输入手机号码',
    '请选择行业',
    '请至少选择一个接单平台',
    '请填写事故时间',
    '请填写事故地点',
    '请选择第十一条的情形',
  ])
    await expect(page.locator('.ant-form-item-explain-error').getByText(m, { exact: true })).toBeVisible();
  await expect(page.getByLabel('姓名', { exact: true })).toBeFocused();
  // Nothing chosen on the clerk's behalf: the selects are empty until picked.
  await expect(page.getByLabel('行业', { exact: true }).locator('xpath=ancestor::*[contains(@class,"ant-select")][1]')).toContainText(
    '请选择',
  );
  // No message anywhere names a field by its code or a type.
  for (const m of await page.locator('.ant-form-item-explain-error').allInnerTexts())
    expect(m).not.toMatch(/[A-Za-z]{2,}|期望|实际接收|必须是文字/);

  // Dates typed at the keyboard, with or without separators.
  await page.getByLabel('事故时间').fill('202611201230');
  await page.getByLabel('事故地点').click();
  await expect(page.getByLabel('事故时间')).toHaveValue('2026-11-20 12:30');
  await page.getByLabel('申请日期').fill('20261123');
  await page.getByLabel('事故地点').click();
  await expect(page.getByLabel('申请日期')).toHaveValue('2026-11-23');
  // Searchable by pinyin initials: "jsps" finds 即时配送.
  await page.getByLabel('行业', { exact: true }).click();
  await page.keyboard.type('jsps');
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last().getByTitle('即时配送', { exact: true }).click();
  await expect(page.getByLabel('行业', { exact: true }).locator('xpath=ancestor::*[contains(@class,"ant-select")][1]')).toContainText(
    '即时配送',
  );

  // A date in the future is marked on the field itself.
  await page.getByLabel('申请日期').fill('2099-01-01');
  await page.getByLabel('事故地点').click();
  await expect(page.getByText('申请日期晚于今天，请核对')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'registration-mistakes.png'), fullPage: true });
  expect((app.core.store.sqlite.prepare('SELECT COUNT(*) n FROM cases').get() as { n: number }).n).toBe(0);
});

test('a fresh install issues its first 受理通知书 with no administrator setup', async ({ page, app }) => {
  await seedStaff(app.core, [{ username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] }]);
  const caseId = await acceptedCase(await asUser(app.core, 'clerk'), beijingRider());
  await page.goto(app.host.openUrl);
  await login(page, 'clerk');
  await page.goto(`${app.host.url}#/intake/case/${caseId}`);
  await page.getByRole('tab', { name: '文书' }).click();
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: '出具受理通知书' }).click();
  await popup;
  await expect(page.getByRole('cell', { name: /〔2026〕\d+号/ }).first()).toBeVisible();
  await expect(page.getByText(/号段|文号/).filter({ hasText: /未设置|请.*管理员/ })).toHaveCount(0);
});

test('without its launch key the app says how to open it; a lost local service is said in a banner', async ({ page, app }) => {
  await seedStaff(app.core, [{ username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] }]);
  // The address cut short: no key.
  await page.goto(app.host.url);
  await expect(page.getByText('请使用完整的启动地址打开')).toBeVisible();
  await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);

  // Opened properly (a fresh load: only the fragment differs, which alone does not reload the page).
  await page.goto(app.host.openUrl);
  await page.reload();
  await login(page, 'clerk');
  await expect(page.getByTestId('connection-lost')).toHaveCount(0);
  // The service stops answering: every call fails as if the host had gone.
  await page.route('**/rpc', (r) => r.abort('connectionrefused'));
  await page.route('**/events*', (r) => r.abort('connectionrefused'));
  await page.getByRole('menu', { name: '主导航' }).getByText('受理大厅').click();
  await expect(page.getByTestId('connection-lost')).toContainText('与本机服务的连接已中断');
  await page.screenshot({ path: path.join(SHOTS, 'connection-lost.png') });
  // It comes back: the banner goes and the lists are read again.
  await page.unroute('**/rpc');
  await page.unroute('**/events*');
  await expect(page.getByTestId('connection-lost')).toHaveCount(0);
  await expect(page.getByRole('tab', { name: /待受理/ })).toBeVisible();
});
