// Security in the screens: a known ID number under another name asks the clerk instead of
// renaming anyone; a scan opens from the case's materials (decrypted for the viewer, audited);
// an administrator makes a backup, re-issues the recovery key (shown once) and links an
// expert's account in the 专家库.
import path from 'node:path';
import { test, expect, SCREENSHOTS } from './web-host-fixture';
import { asUser, choose, fillRegistration, login, seedStaff } from './helpers';
import { beijingRider } from '../helpers/intake';

test('a known ID number under another name asks the clerk; a scan opens from the materials tab', async ({ page, app }) => {
  await seedStaff(app.core, [{ username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] }]);
  const clerk = await asUser(app.core, 'clerk');
  const rider = beijingRider();
  await clerk('cases.register', rider);

  await page.goto(app.host.openUrl);
  await login(page, 'clerk');
  await page.getByRole('menu', { name: '主导航' }).getByText('受理大厅').click();
  await page.getByRole('button', { name: '新登记' }).click();
  await fillRegistration(page, {
    name: '单同',
    idNumber: rider.worker.idNumber,
    phone: '13800138000',
    industry: '即时配送',
    platform: '美团',
    accidentAt: '2026-11-21T12:30',
    place: '北京市海淀区中关村大街',
    description: '送餐途中被电动车撞倒',
    injury: '右腕软组织挫伤',
    orderNo: 'MT20261121-0002',
    acceptedAt: '2026-11-21T12:10',
    applicantKind: '本人',
    applicantName: '单同',
    applicationDate: '2026-11-23',
    treatment: ['仅门诊或急诊', '事实清楚'],
  });
  await expect(page.getByTestId('assessment')).toContainText('该身份证号码已登记的姓名为“单通”');
  await page.getByRole('button', { name: '登记申请' }).click();
  const ask = page.getByRole('dialog').filter({ hasText: '身份证号码已登记为其他姓名' });
  await expect(ask).toBeVisible();
  await expect(ask.getByRole('button', { name: '确认更正为“单同”' })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'registration-name-check.png') });
  await ask.getByRole('button', { name: '改用已登记的“单通”' }).click();
  await expect(ask).toBeHidden();
  await expect(page.locator('#worker_name')).toHaveValue('单通');
  await page.getByRole('button', { name: '登记申请' }).click();
  await expect(page.getByTestId('registration-no')).toHaveText(/^DJ2026-/);

  await page.getByRole('tab', { name: /材料/ }).click();
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  await page.locator('input[type=file]').first().setInputFiles({ name: '身份证正面.png', mimeType: 'image/png', buffer: png });
  await expect(page.getByText('已上传 身份证正面.png')).toBeVisible();
  // Scans open in the app's own viewer, from a blob the page made (never a URL that names the file).
  await page.getByRole('button', { name: '查看 身份证正面.png' }).click();
  const viewer = page.getByRole('dialog', { name: '查看附件：身份证正面.png' });
  await expect(viewer.getByTestId('attachment-image')).toHaveAttribute('src', /^blob:/);
  await viewer
    .getByRole('button', { name: /关\s*闭|Close/ })
    .first()
    .click();
  await expect(viewer).toBeHidden();
  // A scanned PDF goes through documents.open: a one-time download, shown in the same viewer.
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  await page.locator('input[type=file]').first().setInputFiles({ name: '病历.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(page.getByText('已上传 病历.pdf')).toBeVisible();
  await page.getByRole('button', { name: '查看 病历.pdf' }).click();
  await expect(page.getByRole('dialog', { name: '查看附件：病历.pdf' }).getByTestId('attachment-pdf')).toHaveAttribute('src', /^blob:/);
});

test('an administrator makes a backup, re-issues the recovery key and links an expert account', async ({ page, app }) => {
  await seedStaff(app.core, [{ username: 'expert1', displayName: '李专家', roles: ['appraisal_expert'] }]);
  const op = await asUser(app.core);
  await op('experts.save', {
    id: null,
    name: '李骨科',
    organisation: '青海省人民医院',
    categories: ['ortho'],
    departments: ['骨科'],
    available: true,
    platformTies: [],
  });

  await page.goto(app.host.openUrl);
  await login(page, 'admin');
  await page.getByRole('menu', { name: '主导航' }).getByText('系统管理').click();
  await page.getByRole('tab', { name: '备份与恢复' }).click();
  await expect(page.getByText('本机尚未生成恢复密钥')).toBeVisible();
  await page.getByRole('button', { name: '立即备份' }).click();
  await expect(page.getByTestId('backup-result')).toContainText('.oipbak');
  await expect(page.getByTestId('backup-result')).toContainText('案件 0 件');

  await page.getByRole('button', { name: '生成恢复密钥' }).click();
  await page.getByRole('button', { name: '重新生成' }).click();
  await expect(page.getByTestId('recovery-key')).toHaveText(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}/);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-backup-recovery.png') });
  await page.getByLabel('我已抄写或打印恢复密钥，并将妥善保管').check();
  await page.getByRole('button', { name: '已保存' }).click();
  await expect(page.getByText(/当前恢复密钥生成于/)).toBeVisible();

  await page.getByRole('tab', { name: '专家库' }).click();
  await page
    .getByRole('row', { name: /李骨科/ })
    .getByRole('button', { name: '编辑' })
    .click();
  await choose(page, '登录账号（鉴定专家角色）', '李专家（expert1）');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('row', { name: /李骨科/ })).toContainText('李专家（expert1）');
});
