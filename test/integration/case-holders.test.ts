// Who holds a case (issue #13): one office at a time, moved by the centre explicitly. A real hall
// device and a real centre (PGlite): the hall holds what it registered; after the centre hands the
// case to the committee, the hall's page says so and the hall can no longer change it (refused
// before anything is written), a change it made offline before it knew is refused at push
// (NOT_HOLDER), and the committee's device (here through the protocol client) may change it.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { makeTestCore, setupAdmin, type TestCore } from '../helpers/core';
import { beijingRider, staff } from '../helpers/intake';
import { useFileCentre, enrolTestDevice, mutation, seedUsers, upsert, type TestCentre } from '../helpers/central';
import { makeEnrolCode } from '../../central/core/enrolment';
import { handOver } from '../../central/core/holders';

let centre: TestCentre;
const cores: TestCore[] = [];

useFileCentre((c) => (centre = c), cores);

describe('case holders', () => {
  it('the hall holds what it registered until the centre hands it over; then only the new holder changes it', async () => {
    const t = makeTestCore();
    cores.push(t);
    const admin = await setupAdmin(t);
    const { code } = await makeEnrolCode(centre.db, centre.clock, { office: '格尔木市社保经办' });
    await t.call('sync.enrol', { url: centre.url, code, deviceName: '受理大厅' }, admin);
    const s = await staff(t, admin);
    const { caseId } = await t.call('cases.register', beijingRider(), s.clerk);
    expect((await t.call('cases.get', { caseId }, s.clerk)).holder).toBeNull();
    expect(await t.call('sync.now', {}, admin)).toMatchObject({ ok: true, errors: [] });
    expect((await t.call('cases.get', { caseId }, s.clerk)).holder).toMatchObject({ office: '格尔木市社保经办', here: true });

    // Handed to the committee at the centre; the hall, not yet synced, moves the case meanwhile.
    expect(await handOver(centre.db, centre.clock, caseId, '海西州劳动能力鉴定委员会')).toMatchObject({
      from: '格尔木市社保经办',
      to: '海西州劳动能力鉴定委员会',
    });
    let c = await t.call('cases.get', { caseId }, s.clerk);
    await t.call(
      'cases.setMaterials',
      { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
      s.clerk,
    );
    const sum = await t.call('sync.now', {}, admin);
    expect(sum).toMatchObject({ ok: true, rejected: 1 });
    const refused = t.store.sqlite.prepare("SELECT result FROM sync_outbox WHERE status = 'rejected'").get() as { result: string };
    expect(JSON.parse(refused.result)).toMatchObject({ code: 'NOT_HOLDER' });
    expect(JSON.parse(refused.result).message).toContain('海西州劳动能力鉴定委员会');
    // The refused marks do not stay on the hall's computer: the same pass brings the centre's state
    // back (the hall itself last wrote those rows at the centre), and the refused change stays in
    // the outbox record for a person.
    const atCentre = await sql<{ received: number }>`
      SELECT (row ->> 'received')::int AS received FROM records WHERE table_name = 'case_materials' AND case_id = ${caseId}`.execute(
      centre.db,
    );
    expect(atCentre.rows.length).toBeGreaterThan(0);
    expect(atCentre.rows.every((r) => r.received === 0)).toBe(true);
    expect(t.store.sqlite.prepare('SELECT DISTINCT received FROM case_materials WHERE case_id = ?').all(caseId)).toEqual([{ received: 0 }]);

    // Now the hall knows: the page says who holds it, and a change is refused before anything is written.
    c = await t.call('cases.get', { caseId }, s.clerk);
    expect(c.holder).toMatchObject({ office: '海西州劳动能力鉴定委员会', here: false });
    const before = (t.store.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;
    const err = await t.fail(
      'cases.setMaterials',
      { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
      s.clerk,
    );
    expect(err.message).toContain('现由「海西州劳动能力鉴定委员会」办理，本机不能修改');
    expect((t.store.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n).toBe(before);
    expect((await t.call('cases.get', { caseId }, s.clerk)).status).toBe(c.status);

    // The committee's device may change it.
    const committee = await enrolTestDevice(centre, '海西州劳动能力鉴定委员会', { name: '鉴定委员会' });
    await seedUsers(committee);
    const rec = await sql<{ version: number; row: Record<string, unknown> }>`
      SELECT version, row FROM records WHERE table_name = 'cases' AND case_id = ${caseId}`.execute(centre.db);
    const cur = rec.rows[0]!;
    const r = await committee.client.push([
      mutation(committee, 'cases.transition', [
        upsert(
          'cases',
          { id: caseId },
          { ...cur.row, description: '鉴定委员会补充的事故经过', version: cur.version + 1 },
          cur.version,
          cur.version + 1,
        ),
      ]),
    ]);
    expect(r.results[0]).toMatchObject({ status: 'applied' });
  }, 180_000);
});
