// The 同步 page end to end: a centre runs as its own process (PGlite, `npm run central`); an
// administrator enrols this computer on the 同步 page with a code from
// `npm run -s central -- enrol-code`; a case registered here goes up with 立即同步 and shows as
// received by the centre; a second computer (a second web host) enrolled to the same office
// receives the case on its 立即同步.
import fs from 'node:fs';
import path from 'node:path';
import { createCore } from '../../electron/core/app-core';
import { ManualClock } from '../../electron/core/clock';
import { startWebHost } from '../../electron/web-host';
import { TEST_COST } from '../../electron/core/passwords';
import { tempDir } from '../helpers/core';
import { centreCli, spawnCentre, type CentreProcess } from '../helpers/central';
import { beijingRider } from '../helpers/intake';
import { test, expect } from './web-host-fixture';
import { login, PASSWORD } from './helpers';
import type { Core } from '../../electron/core/app-core';
import type { Page } from '@playwright/test';

test.describe.configure({ timeout: 300_000 });

/**
 * People made as the centre will accept them: the administrator by first-start setup, the clerk by
 * that administrator (the centre refuses changes made by the command line's local operator, who
 * is nobody it knows: seedStaff's accounts would never reach it).
 */
async function staffFor(core: Core, clerk: boolean): Promise<void> {
  const setup = await core.dispatch({ method: 'auth.setup', input: { username: 'admin', displayName: '管理员', password: PASSWORD } });
  expect(setup.ok).toBe(true);
  if (!clerk) return;
  const login = await core.dispatch({ method: 'auth.login', input: { username: 'admin', password: PASSWORD } });
  const token = login.ok ? (login.result as { sessionToken: string }).sessionToken : null;
  const made = await core.dispatch({
    method: 'users.create',
    input: { username: 'clerk', displayName: '受理员甲', password: PASSWORD, roles: ['intake_clerk'] },
    sessionToken: token,
  });
  expect(made.ok).toBe(true);
}

let centre: CentreProcess;
const centreDir = tempDir('oip-e2e-centre-');

test.beforeAll(async () => {
  centre = await spawnCentre(['--data', centreDir, '--port', '0']);
});
test.afterAll(async () => {
  await centre.stop();
  fs.rmSync(centreDir, { recursive: true, force: true });
});

async function enrolCode(): Promise<string> {
  const r = await centreCli(['enrol-code', '--data', centreDir, '--office', '西宁市社保经办']);
  expect(r.code, r.stderr).toBe(0);
  return (r.json as { code: string }).code;
}

async function enrolOnPage(page: Page, name: string): Promise<void> {
  await page.getByRole('menuitem', { name: '同步' }).click();
  await expect(page.getByText('在中心注册本机')).toBeVisible();
  await page.getByLabel('中心地址').fill(centre.url);
  await page.getByLabel('注册码').fill(await enrolCode());
  await page.getByLabel('本机名称（中心用它区分各台电脑）').fill(name);
  await page.getByRole('button', { name: '注册' }).click();
  await expect(page.getByText(/注册成功：本机标识/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('同步状态')).toBeVisible();
}

test('enrol on the 同步 page, sync a case up, and a second computer of the office receives it', async ({ app, page, browser }) => {
  await staffFor(app.core, true);
  await page.goto(app.host.openUrl);
  await login(page, 'admin');
  await enrolOnPage(page, '办公室台式机');

  // A case registered on this computer (the intake screens are driven in intake.spec.ts).
  const clerk = await app.core.dispatch({ method: 'auth.login', input: { username: 'clerk', password: 'Staff-pass-2026' } });
  const token = clerk.ok ? (clerk.result as { sessionToken: string }).sessionToken : null;
  const reg = await app.core.dispatch({ method: 'cases.register', input: beijingRider(), sessionToken: token });
  expect(reg.ok).toBe(true);
  const caseId = reg.ok ? (reg.result as { caseId: string }).caseId : '';

  await expect(page.getByTestId('sync-pending')).not.toHaveText('0');
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect(page.getByText(/同步完成：上传 \d+ 条/).first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('sync-pending')).toHaveText('0');
  await expect(page.getByTestId('sync-state')).toHaveText('已连接中心');
  await page.getByRole('tab', { name: '全部记录' }).click();
  const row = page.getByRole('row').filter({ hasText: '登记申请' });
  await expect(row.getByText('中心已接收')).toBeVisible();
  await expect(page.getByTestId('status-slot')).toContainText('已连接中心');
  await expect(page.getByRole('tab', { name: '拒收与冲突（0）' })).toBeVisible();
  // The reference data in force, with its source.
  await page.getByRole('tab', { name: '参考数据' }).click();
  await expect(page.getByRole('row').filter({ hasText: '青海省新就业形态人员职业伤害保障' }).getByText('随安装包')).toBeVisible();

  // The second computer: its own store and web host, enrolled to the same office.
  const dir2 = tempDir('oip-e2e-2-');
  const core2 = createCore({
    dataDir: dir2,
    host: 'test',
    clock: new ManualClock(new Date('2026-11-24T03:00:00Z')),
    passwordCost: TEST_COST,
  });
  const host2 = await startWebHost({ core: core2, rendererDir: path.resolve('out/renderer') });
  try {
    await staffFor(core2, false);
    const context2 = await browser.newContext();
    const page2 = await context2.newPage();
    await page2.goto(host2.openUrl);
    await login(page2, 'admin');
    await enrolOnPage(page2, '窗口笔记本');
    await page2.getByRole('button', { name: '立即同步' }).click();
    await expect(page2.getByText(/同步完成：上传 \d+ 条，下载 [1-9]\d* 条/).first()).toBeVisible({ timeout: 60_000 });
    const held = await core2.dispatch({ method: 'cases.search', input: { q: '单通' }, sessionToken: null, asLocalOperator: '测试' });
    expect(held.ok && (held.result as { id: string }[]).map((c) => c.id)).toEqual([caseId]);
    await page2.getByRole('tab', { name: '同步记录' }).click();
    await expect(page2.getByRole('row').filter({ hasText: '手动' }).first().getByText('成功')).toBeVisible();
    await context2.close();
  } finally {
    await host2.close();
    await core2.close();
    fs.rmSync(dir2, { recursive: true, force: true });
  }
});
