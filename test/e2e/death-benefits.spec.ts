// A worker dies during treatment (青海办法 第二十九条第二款), through the screens: the clerk records
// the death on the case (with confirmation), the benefit officer records the dependants and
// determines the death benefits, the two review rounds approve, and the 待遇核定通知书 is issued.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { test, expect, SCREENSHOTS } from './web-host-fixture';
import { acceptedCase, asUser, choose, login, logout, move, seedStaff } from './helpers';
import { beijingRider } from '../helpers/intake';

test('death during treatment: record the death, the dependants, the determination, both reviews, the notice', async ({ page, app }) => {
  test.setTimeout(180_000);
  await seedStaff(app.core, [
    { username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] },
    { username: 'officer', displayName: '确认经办乙', roles: ['confirmation_officer'] },
    { username: 'benefits', displayName: '待遇核定己', roles: ['benefit_officer'] },
    { username: 'reviewer', displayName: '待遇复核庚', roles: ['benefit_reviewer'] },
    { username: 'insurer', displayName: '社保复核辛', roles: ['insurance_reviewer'] },
  ]);
  const operator = await asUser(app.core);
  await operator('platforms.save', {
    code: 'meituan',
    name: '美团',
    legalName: '青海测试三快科技有限公司',
    industry: 'instant_delivery',
    creditCode: null,
    active: true,
  });
  await operator('numbering.addBlock', {
    series: 'benefits',
    pattern: '宁职伤待〔{year}〕{seq}号',
    issuer: '西宁市社会保险服务中心',
    year: 2026,
    first: 1,
    last: 99,
  });
  const clerk = await asUser(app.core, 'clerk');
  const caseId = await acceptedCase(clerk, beijingRider());
  await move(await asUser(app.core, 'officer'), caseId, 'confirm', { reason: '送餐途中摔伤', article: '第十一条第一款第（一）项' });
  await move(clerk, caseId, 'start_treatment');

  // The clerk records the death on the case page, confirming the irreversible move.
  await page.goto(app.host.openUrl);
  await login(page, 'clerk');
  await page.goto(`${app.host.url}#/intake/case/${caseId}`);
  await expect(page.getByText('治疗中').first()).toBeVisible();
  await page.getByRole('button', { name: '登记死亡' }).click();
  await page.getByLabel('死亡日期').fill('2026-11-24');
  await page.getByLabel('死亡证明').fill('居民死亡医学证明（推断）书 No.6301002026000123，西宁市第一人民医院出具');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await expect(page.locator('.ant-modal-confirm-title', { hasText: '确认登记死亡？' })).toBeVisible();
  await page.getByRole('button', { name: '确认登记' }).click();
  await expect(page.getByText('已死亡待核定').first()).toBeVisible();
  await expect(page.getByTestId('death-tag')).toHaveText('2026-11-24 死亡（因职业伤害）');
  await page.getByRole('tab', { name: '办理记录' }).click();
  await expect(page.getByText('治疗中 → 已死亡待核定')).toBeVisible();
  await logout(page);

  // The benefit officer records the dependants, then determines the death benefits.
  await login(page, 'benefits');
  await page.getByRole('menu', { name: '主导航' }).getByText('待遇核定').click();
  await page.getByRole('tab', { name: /待核定/ }).click();
  await page.getByRole('cell', { name: '单通' }).click();
  await expect(page.getByText(/2026-11-24 死亡（因职业伤害导致）/)).toBeVisible();
  await page.getByRole('tab', { name: '供养亲属' }).click();
  const addDependant = async (name: string, relation: string, sex: string, birthDate: string) => {
    await page.getByRole('button', { name: '添加供养亲属' }).click();
    const dialog = page.getByRole('dialog', { name: '添加供养亲属' });
    await dialog.getByLabel('供养亲属姓名').fill(name);
    // choose() checks each select shows its option (a click during a dropdown's animation can be lost).
    await choose(page, '与死者关系', relation);
    await choose(page, '性别', sex);
    await dialog.getByLabel('出生日期').fill(birthDate);
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();
  };
  await addDependant('柯兰', '配偶', '女', '1970-05-01');
  await addDependant('单小禾', '子女', '男', '2012-03-10');
  await expect(page.getByText(/发至 2030-03-09；子女死亡时未满 18 周岁/)).toBeVisible();
  await page.getByLabel('全省私营单位年平均工资').fill('72000');
  await page.getByRole('button', { name: '预览核定结果' }).click();
  await page.getByRole('button', { name: '提交复核' }).click();
  const card = page.getByTestId('determination');
  await expect(card.getByRole('cell', { name: '3,600.00 × 6 个月 = 21,600.00' })).toBeVisible();
  await expect(card.getByRole('cell', { name: '56,502.00 × 20 倍 = 1,130,040.00' })).toBeVisible();
  await expect(card.getByText('待第1轮待遇复核')).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'death-determination.png'), fullPage: true });
  await logout(page);

  // The two rounds of the pack, each by its own person.
  for (const [user, button] of [
    ['reviewer', '第1轮复核通过'],
    ['insurer', '第2轮复核通过'],
  ] as const) {
    await login(page, user);
    await page.goto(`${app.host.url}#/benefits/case/${caseId}`);
    await page.getByRole('button', { name: button }).click();
    await page.getByRole('button', { name: '确认复核通过' }).click();
    if (user === 'reviewer') await expect(page.getByText('待第2轮社保复核')).toBeVisible();
    else await expect(page.getByText('复核通过', { exact: true })).toBeVisible();
    if (user === 'reviewer') await logout(page);
  }
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: '出具待遇核定通知书' }).click();
  await (await popup).close();
  await expect(page.getByText(/已出具 宁职伤待〔2026〕1号/)).toBeVisible();

  const row = app.core.store.sqlite.prepare("SELECT pdf FROM issued_documents WHERE type = 'benefit-determination'").get() as {
    pdf: Buffer;
  };
  const file = path.join(SCREENSHOTS, 'death-notice.pdf');
  fs.writeFileSync(file, row.pdf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  for (const phrase of [
    '2026年11月24日死亡（第二十九条第二款',
    '丧葬补助金',
    '供养亲属抚恤金',
    '自2026年11月25日起发至2030年3月9日',
    '社保复核：社保复核辛',
  ])
    expect(text).toContain(phrase);
  const status = app.core.store.sqlite.prepare('SELECT status FROM cases WHERE id = ?').get(caseId) as { status: string };
  expect(status.status).toBe('benefits_determined');
});
