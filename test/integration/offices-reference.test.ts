// The `offices` reference kind in use (issue #13): once the centre publishes its list of offices
// and committees, commands name offices of the list (by code or name; an unknown one is refused,
// a hand-over to one moves nothing), the case page's 办理机构 and the sync page show the list's
// names (never a code; a rename in the list follows), and this device's notices are issued in the
// names the list gives its office and committees, not in constants.
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { beijingRider, staff } from '../helpers/intake';
import { useSharedCentre, type TestCentre } from '../helpers/central';
import { makeEnrolCode } from '../../central/core/enrolment';
import { publishReference } from '../../central/core/reference';
import { handOver } from '../../central/core/holders';
import { getSettings } from '../../electron/core/settings';

let centre: TestCentre;
useSharedCentre((c) => (centre = c));
const cores: TestCore[] = [];
afterAll(async () => {
  for (const c of cores) await c.cleanup();
});

const list = (haixi = '海西州社会保险事业服务中心') => ({
  version: '2026.11',
  offices: [
    { code: '630100-JB', name: '西宁市社会保险事业服务中心', kind: 'service', level: null, jurisdiction: '西宁市' },
    { code: '630100-WY', name: '西宁市劳动能力鉴定委员会', kind: 'committee', level: 'municipal', jurisdiction: '西宁市' },
    { code: '630000-WY', name: '青海省劳动能力鉴定委员会', kind: 'committee', level: 'provincial', jurisdiction: '青海省' },
    { code: '632800-JB', name: haixi, kind: 'service', level: null, jurisdiction: '海西州' },
  ],
});

describe('offices from the reference data', () => {
  it('commands name listed offices, hand-over to an unknown one is refused, devices show the list’s names', async () => {
    await sql`TRUNCATE reference_items, central_accounts`.execute(centre.db);
    await publishReference(centre.db, centre.clock, { kind: 'offices', body: list() });

    // An enrolment code for an office outside the list is refused; one by code gets the list's name.
    await expect(makeEnrolCode(centre.db, centre.clock, { office: '某某社保所' })).rejects.toThrow(/机构名录中没有「某某社保所」/);
    const { code, office } = await makeEnrolCode(centre.db, centre.clock, { office: '630100-JB' });
    expect(office).toBe('西宁市社会保险事业服务中心');

    const t = makeTestCore();
    cores.push(t);
    const admin = await setupAdmin(t);
    await t.call('sync.enrol', { url: centre.url, code, deviceName: '受理大厅' }, admin);
    const s = await staff(t, admin);
    const { caseId } = await t.call('cases.register', beijingRider(), s.clerk);
    expect((await t.call('sync.now', {}, admin)).errors).toEqual([]);
    expect((await t.call('cases.get', { caseId }, s.clerk)).holder).toMatchObject({ office: '西宁市社会保险事业服务中心', here: true });
    expect((await t.call('sync.status', {}, admin)).officeName).toBe('西宁市社会保险事业服务中心');

    // This device's notices are issued in the list's names for its office and committees.
    const settings = await getSettings(t.store.db);
    expect(settings).toMatchObject({
      agencyName: '西宁市社会保险事业服务中心',
      appraisalCommittee: '西宁市劳动能力鉴定委员会',
      provincialCommittee: '青海省劳动能力鉴定委员会',
    });

    // A hand-over to an office the list does not hold moves nothing.
    await expect(handOver(centre.db, centre.clock, caseId, '不存在的机构')).rejects.toThrow(/机构名录中没有「不存在的机构」/);
    const moves = await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_custody_moves`.execute(centre.db);
    expect(moves.rows[0]!.n).toBe(0);
    // By code, it goes to the listed office, named as the list names it.
    expect(await handOver(centre.db, centre.clock, caseId, '632800-JB')).toMatchObject({ to: '海西州社会保险事业服务中心' });
    expect((await t.call('sync.now', {}, admin)).errors).toEqual([]);
    expect((await t.call('cases.get', { caseId }, s.clerk)).holder).toMatchObject({ office: '海西州社会保险事业服务中心', here: false });

    // Renamed in a new version of the list: the centre and the device follow, and no code is shown.
    await publishReference(centre.db, centre.clock, {
      kind: 'offices',
      body: { ...list('海西蒙古族藏族自治州社会保险事业服务中心'), version: '2026.12' },
    });
    expect((await t.call('sync.now', {}, admin)).errors).toEqual([]);
    const page = await t.call('cases.get', { caseId }, s.clerk);
    expect(page.holder).toMatchObject({ office: '海西蒙古族藏族自治州社会保险事业服务中心' });
    expect(JSON.stringify(page)).not.toMatch(/\d{6}-(JB|WY)/);
    const err = await t.fail(
      'cases.setMaterials',
      { caseId, expectedVersion: page.version, materials: page.materials.map((m) => ({ code: m.code, received: true })) },
      s.clerk,
    );
    expect(err.message).toContain('现由「海西蒙古族藏族自治州社会保险事业服务中心」办理');
  }, 180_000);

  it('a device shows the list’s name for an office the centre knew only by a code', async () => {
    await sql`TRUNCATE reference_items, central_accounts`.execute(centre.db);
    // Before any list, an office was made under a code-like name.
    const { code } = await makeEnrolCode(centre.db, centre.clock, { office: '630100-JB' });
    const t = makeTestCore();
    cores.push(t);
    const admin = await setupAdmin(t);
    await t.call('sync.enrol', { url: centre.url, code, deviceName: '受理大厅' }, admin);
    await publishReference(centre.db, centre.clock, { kind: 'offices', body: list() });
    const s = await staff(t, admin);
    const { caseId } = await t.call('cases.register', beijingRider(), s.clerk);
    expect((await t.call('sync.now', {}, admin)).errors).toEqual([]);
    expect((await t.call('cases.get', { caseId }, s.clerk)).holder).toMatchObject({ office: '西宁市社会保险事业服务中心' });
    expect((await t.call('sync.status', {}, admin)).officeName).toBe('西宁市社会保险事业服务中心');
  }, 180_000);
});
