// A clerk registers the Beijing rider of the seed (rib fracture, outpatient, 302 yuan) as
// 小伤快办 with all five materials; it is accepted; a second user confirms it; the bill is
// reimbursed. Then a late, incomplete case gets a supplement notice listing what is missing.
import path from 'node:path';
import { test, expect, SCREENSHOTS } from './web-host-fixture';
import { choose, login, logout, seedStaff } from './helpers';
import { withCheckDigit } from '../helpers/intake';

const RIDER_ID = withCheckDigit('11010819950315123');

test('小伤快办: register, accept, confirm by a second user, reimburse 302 yuan', async ({ page, app }) => {
  await seedStaff(app.core, [
    { username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] },
    { username: 'officer', displayName: '确认经办乙', roles: ['confirmation_officer'] },
  ]);
  await page.goto(app.host.openUrl);
  await login(page, 'clerk');
  await page.getByRole('menu', { name: '主导航' }).getByText('受理大厅').click();
  await page.getByRole('button', { name: '新登记' }).click();

  await page.getByLabel('姓名').fill('单通');
  await page.getByLabel('身份证号码').fill(RIDER_ID.slice(0, 17) + (RIDER_ID.endsWith('0') ? '1' : '0'));
  await expect(page.getByText(/校验/).first()).toBeVisible();
  await page.getByLabel('身份证号码').fill(RIDER_ID);
  await page.getByLabel('手机号码').fill('13800138000');
  await choose(page, '行业', '即时配送');
  await choose(page, '接单平台', '美团');
  await page.keyboard.press('Escape');
  await page.getByLabel('事故时间').fill('2026-11-20T12:30');
  await page.getByLabel('事故地点').fill('北京市海淀区中关村大街');
  await page.getByLabel('事故经过').fill('送餐途中不慎摔倒，胸部着地');
  await page.getByLabel('伤情（每行一处）').fill('第6根肋骨不全骨折');
  await choose(page, '订单1平台', '美团');
  await page.getByLabel('订单1订单号').fill('MT20261120-0001');
  await page.getByLabel('订单1接单时间').fill('2026-11-20T12:10');
  await page.getByLabel('本人').check();
  await page.getByLabel('申请人名称').fill('单通');
  await page.getByLabel('申请日期').fill('2026-11-23');
  await page.getByLabel('仅门诊或急诊').check();
  await page.getByLabel('事实清楚').check();
  const panel = page.getByTestId('assessment');
  await expect(panel).toContainText('符合小伤快办条件');
  await expect(panel).toContainText('美团');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'intake-registration.png'), fullPage: true });
  await page.getByRole('button', { name: '登记申请' }).click();

  await expect(page.getByTestId('registration-no')).toHaveText(/^DJ2026-/);
  await page.getByRole('tab', { name: /材料/ }).click();
  for (const m of ['职业伤害保障伤残待遇申请表', '知情同意确认书', '诊断书（以处方替代病历）', '电子收费票据（支持电子发票或照片）', '事故责任认定书']) {
    await page.getByLabel(`已收到：${m}`).click();
    await expect(page.getByLabel(`已收到：${m}`)).toBeChecked();
  }
  await page.getByRole('button', { name: '受理', exact: true }).click();
  await expect(page.getByTestId('case-no')).toHaveText(/^SL2026-/);
  const caseNo = await page.getByTestId('case-no').textContent();

  await page.getByRole('tab', { name: /医疗费/ }).click();
  await page.getByLabel('就诊日期').fill('2026-11-20');
  await page.getByLabel('医院').fill('北京大学第三医院');
  await page.getByLabel('票据号').fill('E20261120001');
  await page.getByLabel('金额（元）').fill('302');
  await page.getByLabel('可报销（元）').fill('302');
  await page.getByLabel('提交日期').fill('2026-11-24');
  await page.getByRole('button', { name: '录入' }).click();
  await expect(page.getByText('票据合计').locator('..')).toContainText('302.00');
  await logout(page);

  await login(page, 'officer');
  await page.getByRole('menu', { name: '主导航' }).getByText('职业伤害确认').click();
  await expect(page.getByRole('cell', { name: caseNo! })).toBeVisible();
  await page.getByRole('cell', { name: caseNo! }).click();
  await page.getByRole('button', { name: '确认为职业伤害' }).click();
  await page.getByLabel('调查核实情况').fill('平台订单数据与事故经过一致，门诊病历确认肋骨不全骨折');
  await page.getByLabel('结论理由').fill('执行平台订单任务期间因工作原因受到事故伤害');
  await page.getByRole('button', { name: '确定' }).click();
  await expect(page.getByText('已确认', { exact: true }).first()).toBeVisible();
  await logout(page);

  await login(page, 'clerk');
  await page.getByRole('menu', { name: '主导航' }).getByText('受理大厅').click();
  await page.getByRole('tab', { name: '检索' }).click();
  await page.getByLabel('检索案件').fill('单通');
  await page.getByRole('cell', { name: '单通' }).click();
  await page.getByRole('tab', { name: /医疗费/ }).click();
  await page.getByRole('button', { name: '报销' }).click();
  await expect(page.getByText(/已报销 2026-11-24/)).toBeVisible();
  await expect(page.locator('.ant-descriptions-item-container').filter({ hasText: '已报销' })).toContainText('302.00 元');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'intake-reimbursed.png'), fullPage: true });
});

test('a late, incomplete case gets a one-time supplement notice listing what is missing', async ({ page, app }) => {
  await seedStaff(app.core, [{ username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] }]);
  await page.goto(app.host.openUrl);
  await login(page, 'clerk');
  await page.goto(`${app.host.url}#/intake/new`);
  await page.getByLabel('姓名').fill('马小跑');
  await page.getByLabel('身份证号码').fill(withCheckDigit('63010219900101003'));
  await page.getByLabel('手机号码').fill('13912345678');
  await choose(page, '行业', '同城货运');
  await choose(page, '接单平台', '货拉拉');
  await page.keyboard.press('Escape');
  await page.getByLabel('事故时间').fill('2026-08-01T15:00');
  await page.getByLabel('事故地点').fill('西宁市城西区');
  await page.getByLabel('事故经过').fill('装卸货物时被车门夹伤');
  await page.getByLabel('伤情（每行一处）').fill('左手中指骨折');
  await choose(page, '订单1平台', '货拉拉');
  await page.getByLabel('订单1订单号').fill('HLL-0801-77');
  await page.getByLabel('订单1接单时间').fill('2026-08-01T14:20');
  await page.getByLabel('平台企业').check();
  await page.getByLabel('申请人名称').fill('货拉拉');
  await page.getByLabel('申请日期').fill('2026-11-20');
  await page.getByLabel('曾住院').check();
  await expect(page.getByTestId('assessment')).toContainText('由平台企业承担');
  await page.getByRole('button', { name: '登记申请' }).click();
  await expect(page.getByTestId('registration-no')).toHaveText(/^DJ2026-/);
  await page.getByRole('tab', { name: /材料/ }).click();
  await page.getByLabel('已收到：职业伤害保障待遇给付申请表').click();
  await expect(page.getByLabel('已收到：职业伤害保障待遇给付申请表')).toBeChecked();
  await page.getByRole('button', { name: '出具一次性补正告知' }).click();
  await expect(page.getByText('待补正').first()).toBeVisible();
  await page.getByRole('tab', { name: '案件信息' }).click();
  await expect(page.getByText('2026-12-04')).toBeVisible();
  const caseId = decodeURIComponent(page.url().split('/').pop()!);
  const doc = await app.core.dispatch({ method: 'cases.documentData', input: { caseId, type: 'supplement' }, asLocalOperator: 'e2e' });
  expect(doc.ok && (doc.result as { missing: string[] }).missing).toEqual(['本人有效身份证件', '接单数据（接单时间、地点、行程轨迹）', '事故伤害经过说明', '医疗诊断证明及病历', '医疗费用票据']);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'intake-supplement.png'), fullPage: true });
});
