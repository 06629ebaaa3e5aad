// 留言与请求 end to end (issue #13): on a computer whose office does not hold the case (its last
// sync said another office does), the clerk may only look — and leave a request for the holder on
// the case's 留言与请求 tab. Once this office holds the case, the request is in the home page's
// inbox; the clerk answers it in a dialog that asks for confirmation, and the case shows the answer.
import path from 'node:path';
import { test, expect, SCREENSHOTS } from './web-host-fixture';
import { acceptedCase, asUser, login, seedStaff } from './helpers';
import { beijingRider } from '../helpers/intake';
import { storeHolders } from '../../electron/core/sync/holders';
import type { Core } from '../../electron/core/app-core';
import { ManualClock } from '../../electron/core/clock';

const HERE = '11111111-1111-4111-8111-111111111111';

async function heldBy(core: Core, caseId: string, office: { id: string; name: string }) {
  await storeHolders(core.store.db, new ManualClock(new Date('2026-11-24T02:00:00Z')), HERE, {
    ok: true,
    holders: [{ caseId, officeId: office.id, officeName: office.name, since: '2026-11-24T09:00:00.000+08:00' }],
  });
}

test('a non-holder leaves a request; the holder answers it from the home page inbox', async ({ page, app }) => {
  await seedStaff(app.core, [{ username: 'clerk', displayName: '受理员甲', roles: ['intake_clerk'] }]);
  const caseId = await acceptedCase(await asUser(app.core, 'clerk'), beijingRider());
  await heldBy(app.core, caseId, { id: '22222222-2222-4222-8222-222222222222', name: '西宁市劳动能力鉴定委员会' });

  await page.goto(app.host.openUrl);
  await login(page, 'clerk');
  await page.evaluate((id) => (window.location.hash = `#/intake/case/${id}`), caseId);
  await expect(page.getByTestId('case-holder-elsewhere')).toContainText('西宁市劳动能力鉴定委员会');
  await page.getByRole('tab', { name: '留言与请求' }).click();
  await expect(page.getByText('本机不能修改案件，但可以给办理机构留言或提出请求')).toBeVisible();
  await page.getByLabel('请求材料').check();
  await page.getByTestId('request-body').fill('请补充门诊病历复印件');
  await page.getByTestId('send-request').click();
  const line = page.getByTestId('case-request');
  await expect(line).toContainText('请补充门诊病历复印件');
  await expect(line).toContainText('待答复');
  // Not the holder: no answer here.
  await expect(line.getByTestId('answer-request')).toHaveCount(0);

  // The centre hands the case to this office: the request waits in the home page's inbox.
  await heldBy(app.core, caseId, { id: HERE, name: '西宁市社会保险服务中心' });
  await page.evaluate(() => (window.location.hash = '#/home'));
  await page.reload();
  const inbox = page.getByTestId('request-inbox');
  await expect(inbox).toContainText('待答复的留言与请求（1）');
  await expect(inbox).toContainText('请求材料');
  await inbox.getByTestId('answer-request').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: '确认答复' }).click();
  await expect(dialog.getByText('请填写答复')).toBeVisible(); // nothing sent without an answer
  await dialog.getByLabel('答复内容（答复后不能修改）').fill('已收到病历，已归档');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'case-requests-answer.png') });
  await dialog.getByRole('button', { name: '确认答复' }).click();
  await expect(page.getByTestId('request-inbox')).toHaveCount(0);

  await page.evaluate((id) => (window.location.hash = `#/intake/case/${id}`), caseId);
  await page.getByRole('tab', { name: '留言与请求' }).click();
  await expect(page.getByTestId('case-request')).toContainText('答复：已收到病历，已归档（受理员甲');
  await expect(page.getByTestId('case-request')).toContainText('已答复');
});
