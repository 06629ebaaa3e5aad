// A 鉴定秘书 draws a panel for a confirmed case and re-checks the draw from its seed.
import path from 'node:path';
import { test, expect, SCREENSHOTS } from './web-host-fixture';
import { acceptedCase, asUser, login, move, seedStaff } from './helpers';
import { beijingRider } from '../helpers/intake';

test('draw a three-expert panel and re-check it from its seed', async ({ page, app }) => {
  await seedStaff(app.core, [
    { username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] },
    { username: 'officer', displayName: '确认经办乙', roles: ['confirmation_officer'] },
    { username: 'secretary', displayName: '鉴定秘书丁', roles: ['appraisal_secretary'] },
  ]);
  const operator = await asUser(app.core);
  const caseId = await acceptedCase(await asUser(app.core, 'clerk'), beijingRider());
  await move(await asUser(app.core, 'officer'), caseId, 'confirm', { reason: '送餐途中摔伤', article: '第十一条第（一）项' });
  for (const name of ['李骨科', '王骨科', '孙骨科', '周骨科', '吴骨科']) {
    await operator('experts.save', {
      id: null,
      name,
      organisation: `${name}所在医院`,
      categories: ['ortho'],
      departments: ['骨科'],
      available: true,
      platformTies: name === '吴骨科' ? ['meituan'] : [],
    });
  }

  await page.goto(app.host.openUrl);
  await login(page, 'secretary');
  await page.getByRole('menu', { name: '主导航' }).getByText('鉴定专场').click();
  await page.getByRole('tab', { name: '已确认、治疗中' }).click();
  await page.getByRole('cell', { name: '单通' }).click();
  await page.getByRole('button', { name: '抽取' }).click();
  const row = page.locator('tr', { has: page.getByRole('button', { name: '按种子重算' }) });
  await expect(row.locator('.ant-tag')).toHaveCount(3);
  await expect(row).not.toContainText('吴骨科');
  await row.getByRole('button', { name: '按种子重算' }).click();
  await expect(page.getByText('结果一致')).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'appraisal-draw.png'), fullPage: true });
});
