// Documents from the counter: an administrator sets a number block, the clerk issues the
// 受理通知书 from the case, downloads it, and the verification screen calls it valid — and
// calls a tampered copy altered.
import fs from 'node:fs';
import { createHash, generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { test, expect, SCREENSHOTS } from './web-host-fixture';
import { acceptedCase, asUser, choose, login, logout, seedStaff } from './helpers';
import { beijingRider } from '../helpers/intake';

test('issue, download and verify a signed 受理通知书', async ({ page, app }) => {
  await seedStaff(app.core, [{ username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] }]);
  const caseId = await acceptedCase(await asUser(app.core, 'clerk'), beijingRider());

  await page.goto(app.host.openUrl);
  await login(page, 'admin');
  await page.getByRole('menu', { name: '主导航' }).getByText('系统管理').click();
  await page.getByRole('tab', { name: '文号号段' }).click();
  await choose(page, '序列', '受理类（受理通知书、一次性补正告知书）');
  await page.getByLabel('年度').fill('2026');
  await page.getByLabel('文号格式').fill('宁职伤受〔{year}〕{seq}号');
  await page.getByLabel('发文机关').fill('西宁市城东区社会保险服务中心');
  await page.getByLabel('起始号').fill('101');
  await page.getByLabel('结束号').fill('200');
  await expect(page.getByTestId('number-preview')).toHaveText('宁职伤受〔2026〕101号');
  await page.getByRole('button', { name: '设置号段' }).click();
  await expect(page.getByRole('cell', { name: '101–200' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '受理类', exact: true })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'numbering.png'), fullPage: true });

  // 可信设备: this device's key line is shown; another laptop's line is registered, a garbled one refused.
  await page.getByRole('tab', { name: '可信设备' }).click();
  await expect(page.getByLabel('本机公钥')).toContainText('OIPKEY2:');
  const spki = (type: 'ed25519' | 'x25519') =>
    (type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('x25519')).publicKey.export({ type: 'spki', format: 'der' });
  const [ed, x] = [spki('ed25519'), spki('x25519')];
  const fingerprint = createHash('sha256')
    .update(Buffer.concat([ed, x]))
    .digest('hex')
    .slice(0, 16);
  const line = (fp: string) => `OIPKEY2:${fp}:${ed.toString('base64')}:${x.toString('base64')}`;
  await page.getByLabel('设备名称').fill('鉴定现场笔记本 2 号');
  await page.getByLabel(/对方设备的密钥行/).fill(line('0000000000000000'));
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await expect(page.getByText(/指纹与公钥不符/).first()).toBeVisible();
  await page.getByLabel(/对方设备的密钥行/).fill(line(fingerprint));
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await expect(page.getByRole('cell', { name: fingerprint })).toBeVisible();
  await expect(page.getByRole('cell', { name: '是', exact: true })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'trusted-devices.png'), fullPage: true });
  await logout(page);

  await login(page, 'clerk');
  await page.goto(`${app.host.url}#/intake/case/${caseId}`);
  await page.getByRole('tab', { name: '文书' }).click();
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: '出具受理通知书' }).click();
  await popup;
  await expect(page.getByRole('cell', { name: '宁职伤受〔2026〕101号' })).toBeVisible();

  await page.getByRole('menu', { name: '主导航' }).getByText('文书').click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '下载' }).first().click();
  const file = path.join(app.core.deps.dataDir, 'downloaded.pdf');
  await (await download).saveAs(file);
  await page.getByRole('tab', { name: '核验文书' }).click();
  await page.locator('input[type=file]').setInputFiles(file);
  await expect(page.getByTestId('verify-result')).toContainText('核验结果：有效');
  await expect(page.getByTestId('verify-result')).toContainText('与本机存档的文书完全一致');
  // The signed facts in Chinese: labels, the document by its name, the date in words.
  await expect(page.getByTestId('verify-result')).toContainText('受理通知书');
  await expect(page.getByTestId('verify-result')).toContainText('出具日期');
  await expect(page.getByTestId('verify-result')).not.toContainText(/acceptance|conclusion|signer/);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'notice-verified.png'), fullPage: true });

  const bytes = fs.readFileSync(file);
  bytes[200] = bytes[200]! ^ 0x04;
  const tampered = path.join(app.core.deps.dataDir, 'tampered.pdf');
  fs.writeFileSync(tampered, bytes);
  await page.locator('input[type=file]').setInputFiles(tampered);
  await expect(page.getByTestId('verify-result')).toContainText('核验结果：已被改动');

  // Batch: select the issued documents and print them as one combined file.
  await page.getByRole('tab', { name: '已出具文书' }).click();
  await page.getByRole('checkbox', { name: 'Select all' }).check();
  const combined = page.waitForEvent('popup');
  await page.getByRole('button', { name: /合并打印所选/ }).click();
  await combined;
  await expect(page.getByText('已合并 1 份文书')).toBeVisible();
});
