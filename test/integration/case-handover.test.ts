// A case handed between offices really is worked by each in turn (issue #13, "Who holds a case"):
// three real devices of three offices on one centre (PGlite). Registered and 受理 at the hall,
// handed to the committee and appraised there (the conclusion signed), handed to the benefits
// office and determined and approved there. Each receiving device takes the case although its rows
// name the people and experts of the office it came from (pull carries them), each step is refused
// on a device of an office that does not hold the case at that moment, and all three converge.
import { describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from '../helpers/core';
import { useFileCentre, enrolTestDevice, mutation, seedUsers, upsert, type TestCentre } from '../helpers/central';
import { appraise, determine, move, office, type Office } from '../helpers/legal';
import { beijingRider, withCheckDigit } from '../helpers/intake';
import { sql } from 'kysely';
import { makeEnrolCode } from '../../central/core/enrolment';
import { handOver } from '../../central/core/holders';
import { storeMeta } from '../../electron/core/replication/table-meta';
import { SYNC_TABLES } from '../../shared/sync/tables';

const HALL = '西宁市社会保险服务中心受理大厅';
const COMMITTEE = '西宁市劳动能力鉴定委员会';
const BENEFITS = '西宁市社会保险服务中心待遇核定科';

let centre: TestCentre;
const cores: TestCore[] = [];

useFileCentre((c) => (centre = c), cores);

async function device(officeName: string, name: string): Promise<{ t: TestCore; o: Office }> {
  const t = makeTestCore();
  cores.push(t);
  const o = await office(t);
  const { code } = await makeEnrolCode(centre.db, centre.clock, { office: officeName });
  await t.call('sync.enrol', { url: centre.url, code, deviceName: name }, o.admin);
  return { t, o };
}

async function sync(d: { t: TestCore; o: Office }): Promise<void> {
  expect(await d.t.call('sync.now', {}, d.o.admin)).toMatchObject({ ok: true, errors: [], rejected: 0, conflicts: 0 });
}

const NOT_HERE = /现由「(.+)」办理，本机不能修改/;

/** The case's replicated rows as this store holds them, for comparing devices. */
function caseState(t: TestCore, caseId: string): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const spec of SYNC_TABLES) {
    if (spec.link.kind !== 'self' && spec.link.kind !== 'column') continue;
    const where = spec.link.kind === 'self' ? 'id' : spec.link.column;
    const rows = t.store.sqlite
      .prepare(`SELECT * FROM ${spec.table} WHERE ${where} = ? ORDER BY ${spec.key.join(', ')}`)
      .all(caseId) as Record<string, unknown>[];
    out[spec.table] = rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('hex') : v])),
    );
  }
  return out;
}

describe('a case handed from the hall to the committee to the benefits office', () => {
  it('the catalogue names every column that points at an account, expert or platform (what pull carries)', async () => {
    const t = makeTestCore();
    cores.push(t);
    const meta = await storeMeta(t.store.db);
    const missing: string[] = [];
    for (const tm of meta.tables.values()) {
      if (tm.spec.link.kind === 'office') continue; // seen by its own office only
      for (const fk of tm.fks) {
        if (fk.table === 'users' && !(tm.spec.userColumns ?? []).includes(fk.from)) missing.push(`${tm.table}.${fk.from}`);
        const parent = SYNC_TABLES.find((s) => s.table === fk.table);
        if (
          parent?.link.kind === 'office' &&
          fk.table !== 'users' &&
          !(tm.spec.refColumns ?? []).some((r) => r.column === fk.from && r.table === fk.table)
        )
          missing.push(`${tm.table}.${fk.from} → ${fk.table}`);
      }
    }
    expect(missing.join(', ')).toBe('');
  });

  it('each office works the case while it holds it, is refused before and after, and every device converges', async () => {
    const hall = await device(HALL, '受理大厅');
    const committee = await device(COMMITTEE, '鉴定委员会');
    const benefits = await device(BENEFITS, '待遇核定科');

    // At the hall: registered, materials received, 受理 and 认定.
    const { caseId } = await hall.t.call('cases.register', beijingRider(), hall.o.clerk);
    let c = await hall.t.call('cases.get', { caseId }, hall.o.clerk);
    await hall.t.call(
      'cases.setMaterials',
      { caseId, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
      hall.o.clerk,
    );
    await move(hall.t, hall.o.clerk, caseId, 'accept');
    await move(hall.t, hall.o.officer, caseId, 'confirm', { reason: '送餐途中摔伤', article: '第十一条第一款第（一）项' });
    for (const d of [hall, committee, benefits]) await sync(d);
    expect((await hall.t.call('cases.get', { caseId }, hall.o.clerk)).holder).toMatchObject({ office: HALL, here: true });
    // The other offices do not even see it yet.
    for (const d of [committee, benefits]) expect((await d.t.fail('cases.get', { caseId }, d.o.secretary)).code).toBe('NOT_FOUND');

    // Handed to the committee. Once the hall knows, it may only look.
    await handOver(centre.db, centre.clock, caseId, COMMITTEE);
    await sync(hall);
    c = await hall.t.call('cases.get', { caseId }, hall.o.secretary);
    expect(c.holder).toMatchObject({ office: COMMITTEE, here: false });
    expect(
      (await hall.t.fail('cases.transition', { caseId, action: 'request_appraisal', expectedVersion: c.version }, hall.o.secretary))
        .message,
    ).toMatch(NOT_HERE);

    // The committee receives the case (its rows name the hall's people) and appraises it.
    await sync(committee);
    c = await committee.t.call('cases.get', { caseId }, committee.o.secretary);
    expect(c.holder).toMatchObject({ office: COMMITTEE, here: true });
    expect(c.status).toBe('confirmed');
    // The hall's clerk is here as an account that cannot sign in.
    const registeredBy = committee.t.store.sqlite.prepare('SELECT registered_by FROM cases WHERE id = ?').get(caseId) as {
      registered_by: string;
    };
    const foreign = committee.t.store.sqlite
      .prepare('SELECT username, display_name, password_hash, active FROM users WHERE id = ?')
      .get(registeredBy.registered_by) as { username: string; display_name: string; password_hash: string; active: number };
    expect(foreign).toMatchObject({ display_name: '受理员甲', active: 0, password_hash: 'none' });
    expect(foreign.username).not.toBe('clerk'); // the committee has its own 'clerk'
    const { conclusionId } = await appraise(committee.t, committee.o, caseId, 7);
    expect((await committee.t.call('cases.get', { caseId }, committee.o.secretary)).status).toBe('appraised');
    await sync(committee);
    expect((await benefits.t.fail('cases.get', { caseId }, benefits.o.benefits)).code).toBe('NOT_FOUND');

    // Handed to the benefits office: the committee may no longer change it.
    await handOver(centre.db, centre.clock, caseId, BENEFITS);
    await sync(committee);
    expect(
      (
        await committee.t.fail(
          'determinations.prepare',
          { caseId, figures: { provincialPrivateAnnualWage: '72000' } },
          committee.o.benefits,
        )
      ).message,
    ).toMatch(NOT_HERE);

    // The benefits office receives the whole case — the committee's experts and people with it — and determines.
    await sync(benefits);
    c = await benefits.t.call('cases.get', { caseId }, benefits.o.benefits);
    expect(c.holder).toMatchObject({ office: BENEFITS, here: true });
    expect(benefits.t.store.sqlite.prepare('SELECT id FROM appraisal_conclusions WHERE id = ?').get(conclusionId)).toBeTruthy();
    // The panel's experts are the committee's, here now as rows of their own.
    const opinionExperts = benefits.t.store.sqlite
      .prepare('SELECT e.id, e.name FROM expert_opinions o JOIN experts e ON e.id = o.expert_id WHERE o.case_id = ?')
      .all(caseId) as { id: string; name: string }[];
    expect(opinionExperts).toHaveLength(3);
    for (const e of opinionExperts) expect(committee.o.experts.map((x) => x.id)).toContain(e.id);
    const determinationId = await determine(benefits.t, benefits.o, caseId);
    await sync(benefits);

    // Neither former holder may change it now.
    await sync(hall);
    await sync(committee);
    for (const d of [hall, committee]) {
      const cur = await d.t.call('cases.get', { caseId }, d.o.officer);
      expect(cur.holder).toMatchObject({ office: BENEFITS, here: false });
      expect((await d.t.fail('cases.transition', { caseId, action: 'close', expectedVersion: cur.version }, d.o.benefits)).message).toMatch(
        NOT_HERE,
      );
    }
    expect((await benefits.t.call('cases.get', { caseId }, benefits.o.benefits)).status).toBe('benefits_determined');

    // Every device holds the same case, to the last row.
    for (const d of [hall, committee, benefits]) await sync(d);
    const want = caseState(benefits.t, caseId);
    expect(want.benefit_determinations).toHaveLength(1);
    expect(want.benefit_determinations![0]).toMatchObject({ id: determinationId });
    expect(caseState(committee.t, caseId)).toEqual(want);
    expect(caseState(hall.t, caseId)).toEqual(want);
    expect(want.cases![0]).toMatchObject({ status: 'benefits_determined' });
  }, 600_000);

  it('a non-holder leaves a request for the holder; the holder sees it in its inbox and answers; both see the answer', async () => {
    const hall = await device(HALL, '受理大厅二号');
    const committee = await device(COMMITTEE, '鉴定委员会二号');
    const { caseId } = await hall.t.call('cases.register', beijingRider({ idNumber: withCheckDigit('63010219900101123') }), hall.o.clerk);
    await sync(hall);
    await handOver(centre.db, centre.clock, caseId, COMMITTEE);
    await sync(hall);
    await sync(committee);
    expect((await hall.t.call('cases.get', { caseId }, hall.o.clerk)).holder).toMatchObject({ here: false });

    // The hall may not change the case, but may ask the committee for something.
    const { id } = await hall.t.call(
      'caseRequests.create',
      { caseId, kind: 'materials', body: '请补充伤者的门诊病历复印件后告知大厅' },
      hall.o.clerk,
    );
    expect((await hall.t.fail('caseRequests.create', { caseId, kind: 'note', body: '   ' }, hall.o.clerk)).code).toBe('INVALID_INPUT');
    const mine = await hall.t.call('caseRequests.list', { caseId, show: 'all' }, hall.o.clerk);
    expect(mine).toMatchObject([{ id, kindLabel: '请求材料', fromOffice: HALL, fromName: '受理员甲', status: 'open', heldHere: false }]);
    // It is not in the hall's own inbox (the hall does not hold the case), and the hall cannot answer it.
    expect(await hall.t.call('caseRequests.list', {}, hall.o.clerk)).toEqual([]);
    expect((await hall.t.fail('caseRequests.answer', { id, answer: '已补' }, hall.o.clerk)).message).toContain(`现由「${COMMITTEE}」办理`);
    await sync(hall); // the centre takes it from a non-holder: no rejection

    // The committee's inbox has it; its secretary answers.
    await sync(committee);
    const inbox = await committee.t.call('caseRequests.list', {}, committee.o.secretary);
    expect(inbox).toMatchObject([
      { id, caseId, kind: 'materials', fromOffice: HALL, fromName: '受理员甲', heldHere: true, status: 'open' },
    ]);
    await committee.t.call('caseRequests.answer', { id, answer: '病历已收到，已归入鉴定材料' }, committee.o.secretary);
    expect((await committee.t.fail('caseRequests.answer', { id, answer: '再答一次' }, committee.o.secretary)).message).toContain(
      '已经答复',
    );
    expect(await committee.t.call('caseRequests.list', {}, committee.o.secretary)).toEqual([]);
    const audit = committee.t.store.sqlite.prepare("SELECT summary FROM audit_log WHERE method = 'caseRequests.answer'").all() as {
      summary: string;
    }[];
    expect(audit.map((a) => a.summary)).toEqual([`答复${HALL}的请求材料`]);
    await sync(committee);

    // Back at the hall: answered, by whom.
    await sync(hall);
    expect(await hall.t.call('caseRequests.list', { caseId, show: 'all' }, hall.o.clerk)).toMatchObject([
      { id, status: 'answered', answer: '病历已收到，已归入鉴定材料', answeredByName: '鉴定秘书丁' },
    ]);

    // At the centre: a new request from a non-holder is taken, a change of one is not (the answer is the holder's).
    const other = await enrolTestDevice(centre, HALL, { name: '受理大厅三号' });
    const staffOther = await seedUsers(other);
    const rec = await sql<{ version: number; row: Record<string, unknown> }>`
      SELECT version, row FROM records WHERE table_name = 'case_requests' AND key = ${JSON.stringify([id])}`.execute(centre.db);
    const cur = rec.rows[0]!;
    const newId = '019a0000-0000-7000-8000-00000000c0de';
    const r = await other.client.push([
      mutation(other, 'caseRequests.create', [
        upsert(
          'case_requests',
          { id: newId },
          {
            ...cur.row,
            id: newId,
            kind: 'note',
            body: '大厅备注',
            from_user: staffOther.clerk,
            status: 'open',
            answer: null,
            answered_by: null,
            answered_at: null,
            row_version: 1,
          },
          null,
          1,
        ),
      ]),
      mutation(other, 'caseRequests.answer', [
        upsert(
          'case_requests',
          { id },
          { ...cur.row, answer: '大厅改写的答复', row_version: cur.version + 1 },
          cur.version,
          cur.version + 1,
        ),
      ]),
    ]);
    expect(r.results.map((x) => [x.status, x.code ?? null])).toEqual([
      ['applied', null],
      ['rejected', 'NOT_HOLDER'],
    ]);
    // An office that does not see the case cannot leave one either.
    const stranger = await enrolTestDevice(centre, BENEFITS, { name: '待遇核定科三号' });
    const staffStranger = await seedUsers(stranger);
    const otherId = '019a0000-0000-7000-8000-00000000c0df';
    const s = await stranger.client.push([
      mutation(stranger, 'caseRequests.create', [
        upsert(
          'case_requests',
          { id: otherId },
          {
            ...cur.row,
            id: otherId,
            kind: 'note',
            body: '不相干机构的留言',
            from_user: staffStranger.clerk,
            status: 'open',
            answer: null,
            answered_by: null,
            answered_at: null,
            row_version: 1,
          },
          null,
          1,
        ),
      ]),
    ]);
    expect(s.results[0]).toMatchObject({ status: 'rejected', code: 'NOT_HOLDER' });
    expect(s.results[0]!.message).toContain('看不到这件案件');
  }, 600_000);
});
