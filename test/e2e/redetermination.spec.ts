// A 复查 a year after a grade 7 conclusion finds grade 5, through the screens: the leader signs the
// new conclusion, the benefit officer redetermines (the one-time allowance added, the lump sum's
// difference), both review rounds approve, and the notice shows the earlier determination beside
// the new one.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { test, expect, SCREENSHOTS } from './web-host-fixture';
import { acceptedCase, asUser, login, logout, move, seedStaff } from './helpers';
import { beijingRider } from '../helpers/intake';
import type { ManualClock } from '../../electron/core/clock';

type Call = Awaited<ReturnType<typeof asUser>>;

/** 预审, draw, hearing on the clock's day, three opinions of one item of the grade. */
async function heard(secretary: Call, caseId: string, date: string, kind: 'initial' | 'review', grade: number) {
  const { checklist } = (await secretary('appraisal.requests', { caseId })) as { checklist: { code: string }[] };
  await secretary('appraisal.precheck', { caseId, items: checklist.map((i) => ({ code: i.code, present: true, note: '' })) });
  const { panel } = (await secretary('appraisal.drawPanel', { caseId, size: 3, categories: ['ortho'] })) as { panel: { id: string }[] };
  const { id: hearingId } = (await secretary('hearings.create', {
    date,
    venue: '西宁市劳动能力鉴定中心',
    committee: '西宁市劳动能力鉴定委员会',
    kind,
  })) as { id: string };
  await secretary('hearings.assign', { hearingId, caseIds: [caseId] });
  await secretary('hearings.attendance', { hearingId, caseId, attendance: 'present', findings: '复查：踝关节功能障碍加重' });
  for (const p of panel)
    await secretary('hearings.opinion', {
      hearingId,
      caseId,
      expertId: p.id,
      items: [{ code: `5.${grade}.2(1)`, text: `${grade}级条款`, grade }],
      promotionApplied: false,
      promotionReason: '',
      nursingLevel: null,
    });
  return hearingId;
}

test('复查 7 → 5: new conclusion, new determination beside the old, both reviews, a notice that shows both', async ({ page, app }) => {
  test.setTimeout(240_000);
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
  for (const year of [2026, 2027])
    for (const [series, pattern] of [
      ['appraisal', '宁劳鉴〔{year}〕第{seq:4}号'],
      ['benefits', '宁职伤待〔{year}〕{seq}号'],
    ] as const)
      await operator('numbering.addBlock', { series, pattern, issuer: '西宁市社会保险服务中心', year, first: 1, last: 99 });
  for (const name of ['李骨科', '王骨科', '孙骨科'])
    await operator('experts.save', {
      id: null,
      name,
      organisation: `${name}医院`,
      categories: ['ortho'],
      departments: ['骨科'],
      available: true,
      platformTies: [],
    });

  // 2026: grade 7, determined and approved in both rounds.
  const caseId = await acceptedCase(await asUser(app.core, 'clerk'), beijingRider());
  await move(await asUser(app.core, 'officer'), caseId, 'confirm', { reason: '送餐途中摔伤', article: '第十一条第一款第（一）项' });
  let secretary = await asUser(app.core, 'secretary');
  await move(secretary, caseId, 'request_appraisal');
  const first = await heard(secretary, caseId, '2026-11-24', 'initial', 7);
  await (
    await asUser(app.core, 'leader')
  )('hearings.sign', { hearingId: first, caseId, grade: 7, nursingLevel: null });
  const { id: d1 } = (await (
    await asUser(app.core, 'benefits')
  )('determinations.prepare', {
    caseId,
    figures: { provincialPrivateAnnualWage: '72000' },
  })) as { id: string };
  await (
    await asUser(app.core, 'reviewer')
  )('determinations.review', { determinationId: d1, approve: true });
  await (
    await asUser(app.core, 'insurer')
  )('determinations.review', { determinationId: d1, approve: true });
  await (
    await asUser(app.core, 'insurer')
  )('determinations.issueNotice', { determinationId: d1 });

  // A year and a day later: 复查, heard on its day.
  (app.core.deps.clock as ManualClock).set(new Date('2027-11-25T02:00:00Z'));
  secretary = await asUser(app.core, 'secretary');
  await move(secretary, caseId, 'request_review', { reason: '踝关节功能障碍加重，申请复查鉴定' });
  const review = await heard(secretary, caseId, '2027-11-25', 'review', 5);

  // The leader signs the new conclusion at the table.
  await page.goto(app.host.openUrl);
  await login(page, 'leader');
  await page.goto(`${app.host.url}#/appraisal/hearing/${review}`);
  await page.getByRole('button', { name: '签发结论' }).click();
  await page.getByRole('button', { name: '确认签发' }).click();
  await expect(page.getByText('鉴定结论已签发，不能再修改')).toBeVisible();
  await expect(page.locator('.ant-list-item', { hasText: '单通' }).locator('.ant-tag')).toHaveText('五级');
  await logout(page);

  // The benefit officer redetermines: the difference is shown line by line.
  await login(page, 'benefits');
  await page.goto(`${app.host.url}#/benefits/case/${caseId}`);
  await expect(page.getByText('重新核定待遇')).toBeVisible();
  await page.getByLabel('全省私营单位年平均工资').fill('72000');
  await page.getByRole('button', { name: '预览核定结果' }).click();
  await page.getByRole('button', { name: '提交复核' }).click();
  const comparison = page.getByTestId('comparison');
  await expect(comparison).toContainText('新旧对照（自 2027-11-25 起）');
  await expect(comparison.getByRole('row', { name: /一次性津贴（五级）.*108000\.00.*新增，全额支付/ })).toBeVisible();
  await expect(comparison.getByRole('row', { name: /一次性伤残补助金（五级）.*46800\.00.*64800\.00.*18000\.00.*补发差额/ })).toBeVisible();
  await expect(comparison).toContainText('本次应补发一次性待遇 126000.00 元');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'redetermination.png'), fullPage: true });
  await logout(page);

  await login(page, 'reviewer');
  await page.goto(`${app.host.url}#/benefits/case/${caseId}`);
  await page.getByRole('button', { name: '第1轮复核通过' }).click();
  await page.getByRole('button', { name: '确认复核通过' }).click();
  await expect(page.getByText('待第2轮社保复核')).toBeVisible();
  await logout(page);
  await login(page, 'insurer');
  await page.getByRole('menu', { name: '主导航' }).getByText('待遇核定').click();
  await page.getByRole('cell', { name: '单通' }).click();
  await page.getByRole('button', { name: '第2轮复核通过' }).click();
  await page.getByRole('button', { name: '确认复核通过' }).click();
  await expect(page.getByText('已被新核定取代')).toBeVisible();
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: '出具待遇核定通知书' }).click();
  await (await popup).close();
  await expect(page.getByText(/已出具 宁职伤待〔2027〕1号/)).toBeVisible();

  const row = app.core.store.sqlite
    .prepare("SELECT pdf FROM issued_documents WHERE type = 'benefit-determination' ORDER BY issued_at DESC")
    .get() as { pdf: Buffer };
  const file = path.join(SCREENSHOTS, 'redetermination-notice.pdf');
  fs.writeFileSync(file, row.pdf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  for (const phrase of [
    '职业伤害保障待遇重新核定通知书',
    '本核定自2027年11月25日起取代原核定（2026年11月24日签发的劳动能力鉴定结论（七级），宁职伤待〔2026〕1号）',
    '一、原核定',
    '3,600.00×13个月=46,800.00',
    '二、重新核定',
    '3,600.00×18个月=64,800.00',
    '三、新旧对照',
    '本次应补发一次性待遇：126000.00元',
  ])
    expect(text).toContain(phrase);
});
