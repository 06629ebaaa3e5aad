// A clerk registers the Beijing rider of the seed (rib fracture, outpatient, 302 yuan) as
// 小伤快办 with all five materials; it is accepted; a second user confirms it; the bill is
// reimbursed. Then a late, incomplete case gets a supplement notice listing what is missing; its
// 10 days start when its delivery to the applicant is recorded (第十五条第一款); voided (作废, after a
// confirmation, with its reason) the clock stops, and it is issued again under the next number.
import path from 'node:path';
import { test, expect, SCREENSHOTS } from './web-host-fixture';
import { asUser, fillRegistration, login, logout, seedStaff, settledShot } from './helpers';
import { beijingRider, withCheckDigit } from '../helpers/intake';

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
  // An empty submit says what is missing next to each field and puts the cursor in the first.
  await page.getByRole('button', { name: '登记申请' }).click();
  await expect(page.getByText('请输入姓名')).toBeVisible();
  await expect(page.getByLabel('姓名', { exact: true })).toBeFocused();
  await expect(page.getByLabel('申请日期')).not.toHaveValue('');

  await fillRegistration(page, {
    name: '单通',
    idNumber: RIDER_ID.slice(0, 17) + (RIDER_ID.endsWith('0') ? '1' : '0'),
    phone: '13800138000',
    industry: '即时配送',
    platform: '美团',
    accidentAt: '2026-11-20T12:30',
    place: '北京市海淀区中关村大街',
    description: '送餐途中不慎摔倒，胸部着地',
    injury: '第6根肋骨不全骨折',
    orderNo: 'MT20261120-0001',
    acceptedAt: '2026-11-20T12:10',
    applicantKind: '本人',
    applicantName: '单通',
    applicationDate: '2026-11-23',
    treatment: ['仅门诊或急诊', '事实清楚'],
  });
  // A mistyped check digit is caught live, before anything is saved.
  await expect(page.getByText(/校验/).first()).toBeVisible();
  await page.getByLabel('身份证号码').fill(RIDER_ID);
  const panel = page.getByTestId('assessment');
  await expect(panel).toContainText('符合小伤快办条件');
  await expect(panel).toContainText('美团');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'intake-registration.png'), fullPage: true });
  await page.getByRole('button', { name: '登记申请' }).click();

  await expect(page.getByTestId('registration-no')).toHaveText(/^DJ2026-/);
  await page.getByRole('tab', { name: /材料/ }).click();
  for (const m of [
    '职业伤害保障伤残待遇申请表',
    '知情同意确认书',
    '诊断书（以处方替代病历）',
    '电子收费票据（支持电子发票或照片）',
    '事故责任认定书',
  ]) {
    await page.getByLabel(`已收到：${m}`).click();
    await expect(page.getByLabel(`已收到：${m}`)).toBeChecked();
  }
  await page.getByRole('button', { name: '受理', exact: true }).click();
  // Irreversible: the dialog says what accepting does before it is done.
  await expect(page.getByRole('dialog')).toContainText('受理后将生成受理编号');
  await page.getByRole('button', { name: '确认受理' }).click();
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
  // 报销 says what it does first; cancelling pays nothing.
  await page.getByRole('button', { name: '报销' }).click();
  await expect(page.getByRole('dialog').getByText(/由职业伤害保障基金支付.*报销后不能撤销/)).toBeVisible();
  await settledShot(page, path.join(SCREENSHOTS, 'intake-reimburse-confirm.png'));
  await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('button', { name: '报销', exact: true })).toBeVisible();
  await expect(page.getByText(/已报销 2026-11-24/)).toHaveCount(0);
  await page.getByRole('button', { name: '报销' }).click();
  await page.getByRole('button', { name: '确认报销' }).click();
  await expect(page.getByText(/已报销 2026-11-24/)).toBeVisible();
  await expect(page.locator('.ant-descriptions-item-container').filter({ hasText: '已报销' })).toContainText('302.00 元');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'intake-reimbursed.png'), fullPage: true });
});

test('a late, incomplete case gets a one-time supplement notice listing what is missing, voided and issued again', async ({
  page,
  app,
}) => {
  await seedStaff(app.core, [{ username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] }]);
  const operator = await asUser(app.core);
  await operator('numbering.addBlock', {
    series: 'intake',
    pattern: '宁职伤受〔{year}〕{seq}号',
    issuer: '西宁市社会保险服务中心',
    year: 2026,
    first: 1,
    last: 99,
  });
  // A 回证 to the platform names its legal entity (a made-up one).
  await operator('platforms.save', {
    code: 'huolala',
    name: '货拉拉',
    legalName: '青海测试依时货运科技有限公司',
    industry: 'freight',
    creditCode: null,
    active: true,
  });
  await page.goto(app.host.openUrl);
  await login(page, 'clerk');
  await page.goto(`${app.host.url}#/intake/new`);
  await fillRegistration(page, {
    name: '马小跑',
    idNumber: withCheckDigit('63010219900101003'),
    phone: '13912345678',
    industry: '同城货运',
    platform: '货拉拉',
    accidentAt: '2026-08-01T15:00',
    place: '西宁市城西区',
    description: '装卸货物时被车门夹伤',
    injury: '左手中指骨折',
    orderNo: 'HLL-0801-77',
    acceptedAt: '2026-08-01T14:20',
    applicantKind: '平台企业',
    applicantName: '货拉拉',
    applicationDate: '2026-11-20',
    treatment: ['曾住院'],
  });
  await expect(page.getByTestId('assessment')).toContainText('由平台企业承担');
  await page.getByRole('button', { name: '登记申请' }).click();
  await expect(page.getByTestId('registration-no')).toHaveText(/^DJ2026-/);
  await page.getByRole('tab', { name: /材料/ }).click();
  await page.getByLabel('已收到：职业伤害保障待遇给付申请表').click();
  await expect(page.getByLabel('已收到：职业伤害保障待遇给付申请表')).toBeChecked();
  await page.getByRole('button', { name: '出具一次性补正告知' }).click();
  await expect(page.getByRole('dialog')).toContainText('列明全部未收到的材料');
  await page.getByRole('button', { name: '确认出具一次性补正告知' }).click();
  await expect(page.getByText('待补正').first()).toBeVisible();
  // Issued is not received: the 10 days run once the delivery to the applicant is recorded.
  await page.getByRole('tab', { name: '文书' }).click();
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: '出具一次性补正告知书' }).click();
  await (await popup).close();
  await page.getByRole('button', { name: '送达', exact: true }).click();
  await page.getByRole('radio', { name: '平台企业' }).check();
  await page.getByLabel('签收人').fill('货拉拉服务站王经理');
  const receipt = page.waitForEvent('popup');
  await page.getByRole('button', { name: '登记并出具送达回证' }).click();
  await (await receipt).close();
  await expect(page.getByRole('cell', { name: '货拉拉服务站王经理' })).toBeVisible();
  await page.getByRole('tab', { name: '案件信息' }).click();
  await expect(page.getByText('2026-12-04')).toBeVisible();
  const caseId = decodeURIComponent(page.url().split('/').pop()!);
  const doc = await app.core.dispatch({ method: 'cases.documentData', input: { caseId, type: 'supplement' }, asLocalOperator: 'e2e' });
  expect(doc.ok && (doc.result as { missing: string[] }).missing).toEqual([
    '本人有效身份证件',
    '接单数据（接单时间、地点、行程轨迹）',
    '事故伤害经过说明',
    '医疗诊断证明及病历',
    '医疗费用票据',
  ]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'intake-supplement.png'), fullPage: true });

  // Issued by mistake: voided after a confirmation with its reason, then issued again under a new
  // number; the 10 days no longer run from the voided notice's delivery.
  await page.getByRole('tab', { name: '文书' }).click();
  const first = page.getByRole('row', { name: /一次性补正告知书/ });
  await first.getByRole('button', { name: '作废' }).click();
  await expect(page.getByRole('dialog')).toContainText('作废 一次性补正告知书 宁职伤受〔2026〕1号？');
  await page.getByRole('button', { name: '确认作废' }).click();
  // No reason, nothing voided: the message says what is missing.
  await expect(page.getByText(/请填写作废理由/).first()).toBeVisible();
  expect(app.core.store.sqlite.prepare('SELECT count(*) AS n FROM voided_documents').get()).toEqual({ n: 0 });
  await page.getByLabel('作废理由').fill('缺件清单漏列身份证件，重新出具');
  await page.getByRole('button', { name: '确认作废' }).click();
  await expect(page.getByText('已作废').first()).toBeVisible();
  await page.getByRole('tab', { name: '案件信息' }).click();
  await expect(page.getByText('待补正').first()).toBeVisible();
  await expect(page.getByText('2026-12-04')).toHaveCount(0);
  await page.getByRole('tab', { name: '文书' }).click();
  const again = page.waitForEvent('popup');
  await page.getByRole('button', { name: '出具一次性补正告知书' }).click();
  await (await again).close();
  const numbers = app.core.store.sqlite
    .prepare(
      `SELECT d.document_no AS no, v.reason FROM issued_documents d LEFT JOIN voided_documents v ON v.document_id = d.id
       WHERE d.type = 'supplement' ORDER BY d.issued_at`,
    )
    .all();
  expect(numbers).toEqual([
    { no: '宁职伤受〔2026〕1号', reason: '缺件清单漏列身份证件，重新出具' },
    { no: '宁职伤受〔2026〕2号', reason: null },
  ]);
  await expect(page.getByRole('row', { name: /宁职伤受〔2026〕2号/ }).getByRole('button', { name: '作废' })).toBeVisible();
});

test('bad input through the UI is refused clearly and saves nothing', async ({ page, app }) => {
  await seedStaff(app.core, [{ username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] }]);
  const cases = () => (app.core.store.sqlite.prepare('SELECT COUNT(*) n FROM cases').get() as { n: number }).n;
  await page.goto(app.host.openUrl);
  await login(page, 'clerk');
  await page.goto(`${app.host.url}#/intake/new`);
  await fillRegistration(page, {
    name: '测试员',
    idNumber: '110108199503151230',
    phone: '13800138001',
    industry: '出行',
    platform: '滴滴出行',
    accidentAt: '2026-11-23T10:00',
    place: '西宁市城东区',
    description: '接乘客途中被追尾',
    injury: '颈部扭伤',
    orderNo: 'DD-1',
    acceptedAt: '2026-11-23T09:50',
    applicantKind: '本人',
    applicantName: '测试员',
    applicationDate: '2026-11-21',
    treatment: ['仅门诊或急诊'],
  });
  // The ID number's check digit is wrong, and the application predates the accident.
  await expect(page.getByText(/校验位不符/).first()).toBeVisible();
  await expect(page.getByTestId('assessment')).toContainText('早于事故日期');
  await page.getByRole('button', { name: '登记申请' }).click();
  await expect(page.getByTestId('form-error')).toContainText('登记信息有误');
  // A future accident date.
  await page.getByLabel('身份证号码').fill(withCheckDigit('11010819950315123'));
  await page.getByLabel('事故时间').fill('2026-12-01T10:00');
  await page.getByLabel('订单1接单时间').fill('2026-12-01T09:50');
  await page.getByLabel('申请日期').fill('2026-12-02');
  await expect(page.getByTestId('assessment')).toContainText('晚于今天');
  await page.getByRole('button', { name: '登记申请' }).click();
  // Marked on the fields themselves, before anything is sent.
  await expect(page.getByText('事故时间晚于今天，请核对')).toBeVisible();
  await expect(page.getByText('申请日期晚于今天，请核对')).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'intake-future-dates.png'), fullPage: true });
  // 5 MB of text: the field stops at its limit instead of sending it.
  await page.getByLabel('事故经过').fill('摔'.repeat(5 * 1024 * 1024));
  expect((await page.getByLabel('事故经过').inputValue()).length).toBeLessThanOrEqual(2000);
  expect(cases()).toBe(0);

  // SQL metacharacters in search are just text: they find nothing and break nothing.
  const login2 = await app.core.dispatch({ method: 'auth.login', input: { username: 'clerk', password: 'Staff-pass-2026' } });
  const token = login2.ok && (login2.result as { sessionToken: string }).sessionToken;
  const reg = await app.core.dispatch({ method: 'cases.register', input: beijingRider(), sessionToken: token || null });
  expect(reg.ok).toBe(true);
  await page.goto(`${app.host.url}#/intake`);
  await page.getByRole('tab', { name: '检索' }).click();
  for (const q of ["' OR 1=1 --", '"; DROP TABLE cases; --', 'NEAR(a b)*']) {
    await page.getByLabel('检索案件').fill(q);
    await expect(page.locator('.ant-empty-description:visible')).toHaveText('暂无数据');
  }
  await page.getByLabel('检索案件').fill('单通');
  await expect(page.getByRole('cell', { name: '单通' })).toBeVisible();
  await expect(page.getByText('系统内部错误')).toHaveCount(0);
  expect(cases()).toBe(1);
});
