// The 同步冲突 inbox end to end (issue #13): a centre as its own process (PGlite); this computer is
// enrolled on the 同步 page; another computer of the office (a second store, driven directly)
// corrects a worker's phone and syncs first; this computer's own correction then meets the
// centre's version on 立即同步; the administrator sees both numbers side by side on 同步 → 同步冲突,
// keeps this computer's, confirms, and the next 立即同步 takes the decision to the centre.
import fs from 'node:fs';
import { createCore, type Core } from '../../electron/core/app-core';
import { ManualClock } from '../../electron/core/clock';
import { TEST_COST } from '../../electron/core/passwords';
import { tempDir } from '../helpers/core';
import { centreCli, spawnCentre, type CentreProcess } from '../helpers/central';
import { beijingRider } from '../helpers/intake';
import { test, expect } from './web-host-fixture';
import { login, PASSWORD } from './helpers';

test.describe.configure({ timeout: 300_000 });

let centre: CentreProcess;
const centreDir = tempDir('oip-e2e-centre-');

test.beforeAll(async () => {
  centre = await spawnCentre(['--data', centreDir, '--port', '0']);
});
test.afterAll(async () => {
  await centre.stop();
  fs.rmSync(centreDir, { recursive: true, force: true });
});

async function enrolCode(): Promise<string> {
  const r = await centreCli(['enrol-code', '--data', centreDir, '--office', '西宁市社保经办']);
  expect(r.code, r.stderr).toBe(0);
  return (r.json as { code: string }).code;
}

/** Administrator and clerk made as the centre accepts them; returns their session tokens. */
async function people(core: Core): Promise<{ admin: string; clerk: string }> {
  expect((await core.dispatch({ method: 'auth.setup', input: { username: 'admin', displayName: '管理员', password: PASSWORD } })).ok).toBe(
    true,
  );
  const token = async (username: string, password: string): Promise<string> => {
    const r = await core.dispatch({ method: 'auth.login', input: { username, password } });
    return r.ok ? (r.result as { sessionToken: string }).sessionToken : '';
  };
  const admin = await token('admin', PASSWORD);
  const made = await core.dispatch({
    method: 'users.create',
    input: { username: 'clerk', displayName: '受理员甲', password: 'Staff-pass-2026', roles: ['intake_clerk'] },
    sessionToken: admin,
  });
  expect(made.ok).toBe(true);
  return { admin, clerk: await token('clerk', 'Staff-pass-2026') };
}

async function call<T>(core: Core, method: string, input: unknown, token: string): Promise<T> {
  const r = await core.dispatch({ method: method as never, input, sessionToken: token });
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.result as T;
}

test('enrol, sync, see a conflict side by side, resolve it', async ({ app, page }) => {
  const here = await people(app.core);
  const dir2 = tempDir('oip-e2e-2-');
  const other = createCore({
    dataDir: dir2,
    host: 'test',
    clock: new ManualClock(new Date('2026-11-24T03:00:00Z')),
    passwordCost: TEST_COST,
  });
  try {
    const there = await people(other);
    await call(other, 'sync.enrol', { url: centre.url, code: await enrolCode(), deviceName: '窗口笔记本' }, there.admin);
    const { caseId } = await call<{ caseId: string }>(other, 'cases.register', beijingRider(), there.clerk);
    expect((await call<{ ok: boolean }>(other, 'sync.now', {}, there.admin)).ok).toBe(true);

    // This computer: enrolled on the page, receives the case.
    await page.goto(app.host.openUrl);
    await login(page, 'admin');
    await page.getByRole('menuitem', { name: '同步' }).click();
    await page.getByLabel('中心地址').fill(centre.url);
    await page.getByLabel('注册码').fill(await enrolCode());
    await page.getByLabel('本机名称（中心用它区分各台电脑）').fill('办公室台式机');
    await page.getByRole('button', { name: '注册' }).click();
    await expect(page.getByText(/注册成功：本机标识/)).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect(page.getByText(/同步完成：上传 \d+ 条，下载 [1-9]\d* 条/).first()).toBeVisible({ timeout: 60_000 });
    const worker = (await call<{ worker: { id: string } }>(app.core, 'cases.get', { caseId }, here.clerk)).worker.id;

    // Corrected there (and synced), and here from the older state.
    await call(other, 'workers.correctPhone', { workerId: worker, phone: '13900000001' }, there.clerk);
    expect((await call<{ ok: boolean }>(other, 'sync.now', {}, there.admin)).ok).toBe(true);
    await call(app.core, 'workers.correctPhone', { workerId: worker, phone: '13900000002' }, here.clerk);
    await expect(page.getByTestId('sync-pending')).not.toHaveText('0');
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect(page.getByTestId('sync-pending')).toHaveText('0', { timeout: 60_000 });
    await expect(page.getByRole('tab', { name: '拒收与冲突（1）' })).toBeVisible();

    await page.getByRole('tab', { name: '同步冲突' }).click();
    const card = page.getByTestId('conflict-card').filter({ hasText: '伤者' });
    await expect(card).toBeVisible();
    const phoneRow = card.getByRole('row').filter({ hasText: '联系电话' });
    await expect(phoneRow).toContainText('13900000002');
    await expect(phoneRow).toContainText('13900000001');
    await card.getByRole('button', { name: '采用本机的修改' }).click();
    await page.getByRole('button', { name: '确定', exact: true }).click();
    await expect(page.getByText(/采用本机的修改（将随下次同步报送中心）/)).toBeVisible();
    await expect(page.getByTestId('conflict-card').filter({ hasText: '伤者' })).toHaveCount(0);

    // The decision waits in the outbox until the next 立即同步 takes it up.
    await expect(page.getByTestId('sync-pending')).not.toHaveText('0');
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect(page.getByTestId('sync-pending')).toHaveText('0', { timeout: 60_000 });
    expect((await call<{ ok: boolean }>(other, 'sync.now', {}, there.admin)).ok).toBe(true);
    const atOther = await call<{ worker: { phone: string } }>(other, 'cases.get', { caseId }, there.clerk);
    expect(atOther.worker.phone).toBe('13900000002');
    const stats = await centreCli(['stats', '--data', centreDir]);
    expect((stats.json as { openConflicts: number }).openConflicts).toBe(0);
  } finally {
    await other.close();
    fs.rmSync(dir2, { recursive: true, force: true });
  }
});
