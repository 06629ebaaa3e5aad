// At the table: a secretary plans a session and records three experts' opinions on a case
// with two grade-8 items; the engine proposes grade 7 (晋级原则); the leader signs; the
// benefits officer prepares the determination and a second person approves it.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SCREENSHOTS } from './web-host-fixture';
import { acceptedCase, asUser, login, logout, move, seedStaff } from './helpers';
import { beijingRider } from '../helpers/intake';

async function pickItem(page: Page, expert: string, query: string, option: RegExp) {
  await page.getByLabel(`${expert} 检索条款`).click();
  await page.keyboard.type(query);
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option-content').filter({ hasText: option }).last().click();
}

test('session: two grade-8 items → grade 7 signed by the leader → benefits prepared and approved', async ({ page, app }) => {
  test.setTimeout(120_000);
  await seedStaff(app.core, [
    { username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] },
    { username: 'officer', displayName: '确认经办乙', roles: ['confirmation_officer'] },
    { username: 'secretary', displayName: '鉴定秘书丁', roles: ['appraisal_secretary'] },
    { username: 'leader', displayName: '鉴定组长戊', roles: ['appraisal_leader'] },
    { username: 'benefits', displayName: '待遇核定己', roles: ['benefit_officer'] },
    { username: 'reviewer', displayName: '待遇复核庚', roles: ['benefit_reviewer'] },
  ]);
  const operator = await asUser(app.core);
  const secretary = await asUser(app.core, 'secretary');
  const caseId = await acceptedCase(await asUser(app.core, 'clerk'), beijingRider());
  await move(await asUser(app.core, 'officer'), caseId, 'confirm', { reason: '送餐途中摔伤', article: '第十一条第（一）项' });
  await move(secretary, caseId, 'request_appraisal');
  for (const name of ['李骨科', '王普外', '孙胸外']) {
    await operator('experts.save', { id: null, name, organisation: `${name}医院`, categories: ['ortho', 'surgery'], departments: [], available: true, platformTies: [] });
  }
  await secretary('appraisal.drawPanel', { caseId, size: 3, categories: ['ortho'] });
  await operator('numbering.addBlock', { series: 'appraisal', pattern: '宁劳鉴〔{year}〕第{seq:4}号', issuer: '西宁市劳动能力鉴定委员会', year: 2026, first: 1, last: 99 });

  await page.goto(app.host.openUrl);
  await login(page, 'secretary');
  await page.getByRole('menu', { name: '主导航' }).getByText('鉴定专场').click();
  await page.getByLabel('专场日期').fill('2026-11-24');
  await page.getByLabel('专场地点').fill('西宁市劳动能力鉴定中心');
  await page.getByLabel('鉴定委员会').fill('西宁市劳动能力鉴定委员会');
  await page.getByRole('button', { name: '创建专场' }).click();
  await page.getByLabel('安排待鉴定案件').click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last().getByText(/单通/).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: '安排', exact: true }).click();
  await expect(page.getByText('1.', { exact: true })).toBeVisible();
  await page.getByLabel('检查所见').fill('双侧多根肋骨骨折致胸廓畸形；脾部分切除术后');
  await page.getByRole('button', { name: '本人到场' }).click();
  await expect(page.getByText('已到场')).toBeVisible();
  for (const expert of ['李骨科', '王普外', '孙胸外']) {
    await pickItem(page, expert, '肋骨', /5\.8\.2\(45\)/);
    await pickItem(page, expert, '脾部分', /5\.8\.2\(56\)/);
    const card = page.locator('.ant-card', { hasText: `专家：${expert}` });
    if (expert === '孙胸外') await card.getByLabel(`${expert} 不晋级理由`).fill('脾部分切除对劳动能力影响有限');
    else await card.getByText('按晋级原则晋升一级').click();
    await card.getByRole('button', { name: `保存 ${expert} 的意见` }).click();
    await expect(card.locator('.ant-card-extra')).toHaveText(expert === '孙胸外' ? '八级' : '七级');
  }
  await expect(page.getByText('拟定结论：七级')).toBeVisible();
  await expect(page.getByText('不同意见 1 人')).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'appraisal-grading.png'), fullPage: true });
  const sessionUrl = page.url();
  await logout(page);

  await login(page, 'leader');
  await page.goto(sessionUrl);
  await page.getByRole('button', { name: '签发结论' }).click();
  await expect(page.getByText('鉴定结论已签发，不能再修改')).toBeVisible();
  const conclusionPdf = page.waitForEvent('popup');
  await page.getByRole('button', { name: '出具鉴定结论书' }).click();
  await conclusionPdf;
  await expect(page.getByText('本专场已出具的结论书与待遇核定通知书：1 份')).toBeVisible();
  const batch = page.waitForEvent('popup');
  await page.getByRole('button', { name: /合并打印所选（1）/ }).click();
  await batch;
  await expect(page.getByText('已合并 1 份文书')).toBeVisible();
  await logout(page);

  await login(page, 'benefits');
  await page.goto(`${app.host.url}#/benefits/case/${caseId}`);
  await page.getByLabel('全省私营单位年平均工资').fill('72000');
  await page.getByRole('button', { name: '计算并提交复核' }).click();
  await expect(page.getByRole('cell', { name: '3,600.00 × 13 个月 = 46,800.00' })).toBeVisible();
  await logout(page);

  await login(page, 'reviewer');
  await page.goto(`${app.host.url}#/benefits/case/${caseId}`);
  await page.getByRole('button', { name: '复核通过' }).click();
  await expect(page.getByText('复核通过').first()).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'benefits-approved.png'), fullPage: true });
});
