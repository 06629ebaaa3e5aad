// A monthly session of five cases, through the screens: the secretary checks each case's
// materials (预审) and draws its panel, plans the session and assigns the five, records three
// experts' opinions on each (one case with two grade-8 items: the engine proposes grade 7 by the
// 晋级原则); the leader moves through the list by keyboard and signs all five, and issues the
// session report; the benefits officer prepares the five determinations, and the two review rounds
// of the pack (待遇复核, then 社保复核 from its own worklist) approve them.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SCREENSHOTS } from './web-host-fixture';
import { acceptedCase, asUser, login, logout, move, seedStaff, settledShot } from './helpers';
import { beijingRider, withCheckDigit } from '../helpers/intake';

const EXPERTS = ['李骨科', '王普外', '孙胸外'];
const PEOPLE = [
  { name: '单通', id: '11010819950315123', promoted: true },
  { name: '柯远', id: '11010819900101201', promoted: false },
  { name: '韦晴', id: '11010819920202302', promoted: false },
  { name: '祁岳', id: '11010819880303403', promoted: false },
  { name: '庞川', id: '11010819930404504', promoted: false },
];

function rider(p: (typeof PEOPLE)[number], i: number) {
  const r = beijingRider({ idNumber: withCheckDigit(p.id), accidentAt: `2026-11-${String(15 + i).padStart(2, '0')}T12:30` });
  return {
    ...r,
    worker: { ...r.worker, name: p.name },
    applicant: { ...r.applicant, name: p.name },
    accident: {
      ...r.accident,
      orders: [{ ...r.accident.orders[0]!, orderNo: `MT202611${15 + i}-000${i + 1}`, acceptedAt: `2026-11-${15 + i}T12:10` }],
    },
  };
}

/**
 * Adds a GB/T 16180 item to an expert's opinion from the search box, and checks it is in the
 * opinion's table before going on (retrying: a click while the dropdown re-renders can be lost,
 * and saving then would record an opinion without the item).
 */
async function pickItem(page: Page, expert: string, query: string, option: RegExp, code: string) {
  const card = page.locator('.ant-card', { hasText: `专家：${expert}` });
  await expect(async () => {
    const box = page.getByLabel(`${expert} 检索条款`);
    await box.click();
    await box.fill('');
    await page.keyboard.type(query);
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option-content')
      .filter({ hasText: option })
      .last()
      .click({ timeout: 5000 });
    await expect(card.getByRole('cell', { name: code, exact: true })).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
}

test('session of five: 预审, draws, three opinions each (8+8 → 7), signed by keyboard, report, benefits approved', async ({
  page,
  app,
}) => {
  test.setTimeout(480_000);
  await seedStaff(app.core, [
    { username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] },
    { username: 'officer', displayName: '确认经办乙', roles: ['confirmation_officer'] },
    { username: 'secretary', displayName: '鉴定秘书丁', roles: ['appraisal_secretary'] },
    { username: 'leader', displayName: '鉴定组长戊', roles: ['appraisal_leader'] },
    { username: 'benefits', displayName: '待遇核定己', roles: ['benefit_officer'] },
    { username: 'reviewer', displayName: '待遇复核庚', roles: ['benefit_reviewer'] },
    { username: 'insurer', displayName: '社保复核辛', roles: ['insurance_reviewer'] },
  ]);
  const operator = await asUser(app.core);
  // Letters to the platform name its legal entity (a made-up one: tests rely on no real company).
  await operator('platforms.save', {
    code: 'meituan',
    name: '美团',
    legalName: '青海测试三快科技有限公司',
    industry: 'instant_delivery',
    creditCode: null,
    active: true,
  });
  const clerk = await asUser(app.core, 'clerk');
  const officer = await asUser(app.core, 'officer');
  const secretaryCall = await asUser(app.core, 'secretary');
  const caseIds: string[] = [];
  for (const [i, p] of PEOPLE.entries()) {
    const id = await acceptedCase(clerk, rider(p, i));
    await move(officer, id, 'confirm', { reason: '送餐途中摔伤', article: '第十一条第（一）项' });
    await move(secretaryCall, id, 'request_appraisal');
    caseIds.push(id);
  }
  for (const name of EXPERTS) {
    await operator('experts.save', {
      id: null,
      name,
      organisation: `${name}医院`,
      categories: ['ortho', 'surgery'],
      departments: [],
      available: true,
      platformTies: [],
    });
  }
  await operator('numbering.addBlock', {
    series: 'appraisal',
    pattern: '宁劳鉴〔{year}〕第{seq:4}号',
    issuer: '西宁市劳动能力鉴定委员会',
    year: 2026,
    first: 1,
    last: 99,
  });

  // The secretary: 预审 and the panel draw, case by case.
  await page.goto(app.host.openUrl);
  await login(page, 'secretary');
  for (const id of caseIds) {
    await page.goto(`${app.host.url}#/appraisal/case/${id}`);
    const checklist = page.getByLabel('预审清单');
    await expect(checklist.getByRole('checkbox')).toHaveCount(5);
    for (const box of await checklist.getByRole('checkbox').all()) await box.check();
    await checklist.getByRole('button', { name: '保存预审' }).click();
    await expect(page.getByText(/材料齐全 2026-11-24/)).toBeVisible();
    await page.getByRole('button', { name: '抽取' }).click();
    await expect(page.getByRole('button', { name: '按种子重算' })).toBeVisible();
  }
  await page.screenshot({ path: path.join(SCREENSHOTS, 'appraisal-precheck-draw.png'), fullPage: true });

  await page.getByRole('menu', { name: '主导航' }).getByText('鉴定专场').click();
  await page.getByRole('tab', { name: '鉴定专场' }).click();
  await page.getByLabel('专场日期').fill('2026-11-24');
  await page.getByLabel('专场地点').fill('西宁市劳动能力鉴定中心');
  await page.getByLabel('鉴定委员会').fill('西宁市劳动能力鉴定委员会');
  await page.getByRole('button', { name: '创建专场' }).click();
  await page.getByLabel('安排待鉴定案件').click();
  for (const p of PEOPLE)
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last().getByText(new RegExp(p.name)).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: '安排', exact: true }).click();
  await expect(page.getByText('5.', { exact: true })).toBeVisible();

  // At the table: attendance, findings and three opinions per case; J moves to the next case.
  for (const [i, p] of PEOPLE.entries()) {
    if (i > 0) {
      await page.getByRole('button', { name: '本人到场' }).focus();
      await page.keyboard.press('j');
    }
    await expect(page.locator('.ant-list-item', { hasText: p.name })).toHaveCSS('background-color', 'rgb(230, 240, 251)');
    await page.getByLabel('检查所见').fill(p.promoted ? '双侧多根肋骨骨折致胸廓畸形；脾部分切除术后' : '双侧多根肋骨骨折致胸廓畸形');
    await page.getByRole('button', { name: '本人到场' }).click();
    await expect(page.getByText('已到场')).toBeVisible();
    for (const expert of EXPERTS) {
      await pickItem(page, expert, '肋骨', /5\.8\.2\(45\)/, '5.8.2(45)');
      const card = page.locator('.ant-card', { hasText: `专家：${expert}` });
      if (i === 0) await expect(card.getByText(/本机伤残条款目录收录 10 条（GB\/T 16180 共 530 条）/)).toBeVisible();
      if (p.promoted) {
        await pickItem(page, expert, '脾部分', /5\.8\.2\(56\)/, '5.8.2(56)');
        if (expert === '孙胸外') await card.getByLabel(`${expert} 不晋级理由`).fill('脾部分切除对劳动能力影响有限');
        else await card.getByText('按晋级原则晋升一级').click();
      }
      await card.getByRole('button', { name: `保存 ${expert} 的意见` }).click();
      await expect(card.locator('.ant-card-extra')).toHaveText(p.promoted && expert !== '孙胸外' ? '七级' : '八级');
    }
    await expect(page.getByText(`拟定结论：${p.promoted ? '七级' : '八级'}`)).toBeVisible();
    if (p.promoted) {
      await expect(page.getByText('不同意见 1 人')).toBeVisible();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'appraisal-grading.png'), fullPage: true });
    }
  }
  const sessionUrl = page.url();

  // The 专场包 for a laptop with no network: exported, re-imported unchanged, refused when edited.
  await page.getByRole('menu', { name: '主导航' }).getByText('鉴定专场').click();
  await page.getByLabel('要导出的专场').click();
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
    .last()
    .getByText(/JD2026-.*5 件/)
    .click();
  // The package is encrypted for the device that will import it: this one unless another is chosen.
  await expect(page.locator('.ant-select', { has: page.getByLabel('接收设备') })).toContainText('本机');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /导出专场包/ }).click();
  const file = path.join(SCREENSHOTS, 'hearing-package.json');
  await (await download).saveAs(file);
  expect((await download).suggestedFilename()).toMatch(/^专场-JD2026-.+-2026-11-24\.json$/);
  await page.locator('input[type=file]').setInputFiles(file);
  await expect(page.getByTestId('package-result')).toContainText('未做任何更改');
  // The file is encrypted for this device: nothing of the cases can be read from it, and one changed byte is refused.
  const sealed = JSON.parse(fs.readFileSync(file, 'utf8')) as { ciphertext: string; recipient: string };
  expect(fs.readFileSync(file, 'utf8')).not.toContain('单通');
  const edited = path.join(SCREENSHOTS, 'hearing-package-edited.json');
  const bytes = Buffer.from(sealed.ciphertext, 'base64');
  bytes.writeUInt8(bytes.readUInt8(200) ^ 1, 200);
  fs.writeFileSync(edited, JSON.stringify({ ...sealed, ciphertext: bytes.toString('base64') }));
  await page.locator('input[type=file]').setInputFiles(edited);
  await expect(page.getByTestId('package-result')).toContainText('专场包未导入');
  await expect(page.getByTestId('package-result')).toContainText('无法解密');
  await logout(page);

  // The leader signs all five, moving on with the keyboard.
  await login(page, 'leader');
  await page.goto(sessionUrl);
  for (const [i, p] of PEOPLE.entries()) {
    if (i > 0) await page.keyboard.press('j');
    await expect(page.locator('.ant-list-item', { hasText: p.name })).toHaveCSS('background-color', 'rgb(230, 240, 251)');
    // Ctrl+Enter signs, as the button does (the last two by keyboard).
    if (i < PEOPLE.length - 2) await page.getByRole('button', { name: '签发结论' }).click();
    else await page.keyboard.press('Control+Enter');
    // 签发 says what follows and that it cannot be undone; the first time it is cancelled once.
    await expect(page.getByRole('dialog').getByText(/签发后不能修改或撤回/)).toBeVisible();
    if (i === 0) {
      await settledShot(page, path.join(SCREENSHOTS, 'leader-sign-confirm.png'));
      await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
      await expect(page.getByText('鉴定结论已签发，不能再修改')).toHaveCount(0);
      await page.getByRole('button', { name: '签发结论' }).click();
    }
    await page.getByRole('button', { name: '确认签发' }).click();
    await expect(page.getByText('鉴定结论已签发，不能再修改')).toBeVisible();
    await expect(page.locator('.ant-list-item', { hasText: p.name }).locator('.ant-tag')).toHaveText(p.promoted ? '七级' : '八级');
    // The benefit preview from the rule pack, before any determination.
    await expect(page.getByRole('cell', { name: p.promoted ? '13 个月 × 计发基数' : '11 个月 × 计发基数' })).toBeVisible();
    await page.getByText('鉴定结论已签发，不能再修改').click();
  }
  const conclusionPdf = page.waitForEvent('popup');
  await page.keyboard.press('k');
  await page.keyboard.press('k');
  await page.keyboard.press('k');
  await page.keyboard.press('k');
  await expect(page.locator('.ant-list-item', { hasText: '单通' })).toHaveCSS('background-color', 'rgb(230, 240, 251)');
  await page.getByRole('button', { name: '出具鉴定结论书', exact: true }).click();
  await conclusionPdf;
  await expect(page.getByText('本专场已出具的结论书与待遇核定通知书：1 份')).toBeVisible();
  // The session's batch: one combined file for the printer, and the individual signed files.
  const combined = page.waitForEvent('popup');
  await page.getByRole('button', { name: /合并打印所选（1）/ }).click();
  await combined;
  await expect(page.getByText('已合并 1 份文书')).toBeVisible();
  const single = page.waitForEvent('download');
  await page.getByRole('button', { name: /逐份保存（1）/ }).click();
  expect((await single).suggestedFilename()).toBe('劳动能力鉴定结论书-宁劳鉴〔2026〕第0001号.pdf');
  await expect(page.getByText('已保存 1/1')).toBeVisible();

  await page.getByRole('tab', { name: '专场报告' }).click();
  const report = page.locator('.ant-card', { hasText: '出席专家' });
  await expect(report.getByText('七级 1 件，八级 4 件')).toBeVisible();
  const present = report.locator('.ant-descriptions-item', { hasText: '出席专家' });
  for (const e of EXPERTS) await expect(present).toContainText(e);
  const reportPdf = page.waitForEvent('popup');
  await report.getByRole('button', { name: '出具专场报告' }).click();
  await reportPdf;
  await expect(page.getByText(/已出具专场报告 宁劳鉴〔2026〕第0002号/)).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'appraisal-hearing-report.png'), fullPage: true });
  await logout(page);

  // Benefits: five prepared by the officer, five approved by someone else.
  await login(page, 'benefits');
  for (const [i, id] of caseIds.entries()) {
    await page.goto(`${app.host.url}#/benefits/case/${id}`);
    // The conclusion the determination rests on, in words.
    await expect(page.getByTestId('conclusion-grade')).toHaveText(PEOPLE[i]!.promoted ? '七级' : '八级');
    // Figures as printed in the bulletins (thousands separators) are numbers.
    await page.getByLabel('全省私营单位年平均工资').fill(i === 0 ? '72,000.00' : '72,000');
    await page.getByRole('button', { name: '预览核定结果' }).click();
    // Every line with its article, parameters, amount and payer, and every input with its source, before anything is sent.
    const preview = page.getByTestId('draft-preview');
    const line = PEOPLE[i]!.promoted ? '3,600.00 × 13 个月 = 46,800.00' : '3,600.00 × 11 个月 = 39,600.00';
    await expect(preview.getByRole('cell', { name: line })).toBeVisible();
    await expect(preview.getByRole('cell', { name: '核定人录入' })).toBeVisible();
    await expect(preview.getByRole('cell', { name: /72000(\.00)?元\/年/ })).toBeVisible();
    await expect(preview).not.toContainText(/figures|appraised|xining|qinghai/);
    if (i === 0) {
      await settledShot(page, path.join(SCREENSHOTS, 'benefit-preview.png'));
      // Back to the form: nothing was sent.
      await page.getByRole('button', { name: '返回修改' }).click();
      await expect(page.getByTestId('determination')).toHaveCount(0);
      await page.getByRole('button', { name: '预览核定结果' }).click();
    }
    await page.getByRole('button', { name: '提交复核' }).click();
    await expect(page.getByTestId('determination').getByRole('cell', { name: line })).toBeVisible();
  }
  await logout(page);

  await login(page, 'reviewer');
  for (const id of caseIds) {
    await page.goto(`${app.host.url}#/benefits/case/${id}`);
    await page.getByRole('button', { name: '第1轮复核通过' }).click();
    await expect(page.getByRole('dialog').getByText(/本轮复核通过后转“社保复核”/)).toBeVisible();
    await page.getByRole('button', { name: '确认复核通过' }).click();
    await expect(page.getByText('待第2轮社保复核')).toBeVisible();
    await expect(page.getByRole('button', { name: /复核通过/ })).toHaveCount(0);
  }
  await logout(page);

  // The second round works from its own list.
  await login(page, 'insurer');
  await page.getByRole('menu', { name: '主导航' }).getByText('待遇核定').click();
  await expect(page.getByRole('tab', { name: '待复核' })).toBeVisible();
  await expect(page.getByText(/第2轮（共2轮）：社保复核/)).toHaveCount(5);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'review-worklist.png') });
  for (const id of caseIds) {
    await page.goto(`${app.host.url}#/benefits/case/${id}`);
    // The reviewer sees every input the officer typed, with its source.
    await expect(page.getByTestId('determination').getByRole('cell', { name: '核定人录入' })).toBeVisible();
    await page.getByRole('button', { name: '第2轮复核通过' }).click();
    await expect(page.getByRole('dialog').getByText(/复核通过后待遇核定即完成/)).toBeVisible();
    await settledShot(page, path.join(SCREENSHOTS, 'review-approve-confirm.png'));
    await page.getByRole('button', { name: '确认复核通过' }).click();
    await expect(page.getByText('复核通过', { exact: true }).first()).toBeVisible();
  }
  await page.screenshot({ path: path.join(SCREENSHOTS, 'benefits-approved.png'), fullPage: true });
  const statuses = app.core.store.sqlite
    .prepare(`SELECT status FROM cases WHERE id IN (${caseIds.map(() => '?').join(',')})`)
    .all(...caseIds) as { status: string }[];
  expect(statuses.map((r) => r.status)).toEqual(Array(5).fill('benefits_determined'));
});
