// Push, exactly once, and the merge rules at the centre, through the device's real protocol client
// against a real centre on PGlite: replays answered from the stored result, gaps, rejections that
// still advance the sequence, conflicts recorded with both rows and nothing applied, append-only
// and set rows, issued documents (unique 文号, signature checked against enrolled keys), audit
// copies with their hash chain, blobs, and the role re-check against the contract.
import { sql } from 'kysely';
import { v7 } from 'uuid';
import { beforeEach, describe, expect, it } from 'vitest';
import { appendSignature } from '../../electron/core/notices/signature';
import { sha256 } from '../../electron/core/crypto/hash';
import { deviceKey, type DeviceKey } from '../../electron/core/crypto/device-key';
import { CentreError } from '../../electron/core/sync/centre-client';
import type { Mutation, RowChange } from '../../shared/sync/protocol';
import { prepareRows } from '../../central/core/merge';
import { LINKS } from '../../central/core/links';
import {
  count,
  enrolTestDevice,
  mutation,
  registration,
  remove,
  seedUsers,
  tempDir,
  upsert,
  type Staff,
  type TestCentre,
  type TestDevice,
  useSharedCentre,
} from '../helpers/central';

let centre: TestCentre;
useSharedCentre((c) => (centre = c));

async function refusal(p: Promise<unknown>): Promise<CentreError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CentreError);
  return e as CentreError;
}

async function record(
  table: string,
  key: string,
): Promise<{ version: number; deleted: boolean; row: Record<string, unknown> | null } | undefined> {
  const r = await sql<{ version: number; deleted: boolean; row: Record<string, unknown> | null }>`
    SELECT version, deleted, row FROM records WHERE table_name = ${table} AND key = ${key}`.execute(centre.db);
  return r.rows[0];
}
const k = (...v: (string | number)[]): string => JSON.stringify(v);

async function lastSeq(dev: TestDevice): Promise<number> {
  return (await dev.client.status()).lastSeq;
}

describe('push, exactly once', () => {
  let dev: TestDevice;
  beforeEach(async () => {
    dev = await enrolTestDevice(centre);
    await seedUsers(dev);
  });

  it('applies a batch, and a replay of it returns the stored results and changes nothing', async () => {
    const a = registration(dev);
    const b = registration(dev);
    const first = await dev.client.push([a.mutation, b.mutation]);
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(first.lastSeq).toBe(3);
    const before = {
      records: await count(centre.db, 'records'),
      changes: await count(centre.db, 'changes'),
      mutations: await count(centre.db, 'mutations'),
    };

    // The reply was lost: the device sends the same batch again (and once more with a newer one).
    const replay = await dev.client.push([a.mutation, b.mutation]);
    expect(replay).toEqual(first);
    expect({
      records: await count(centre.db, 'records'),
      changes: await count(centre.db, 'changes'),
      mutations: await count(centre.db, 'mutations'),
    }).toEqual(before);
    const c = registration(dev);
    const mixed = await dev.client.push([b.mutation, c.mutation]);
    expect(mixed.results.map((r) => [r.seq, r.status])).toEqual([
      [3, 'applied'],
      [4, 'applied'],
    ]);
    expect(await count(centre.db, 'records', sql`table_name = 'cases'`)).toBe(3);
  });

  it('a gap answers SEQ_GAP with the seq to resume from, and applies nothing', async () => {
    registration(dev); // seq 2 made, never sent
    const third = registration(dev).mutation;
    const e = await refusal(dev.client.push([third]));
    expect(e.code).toBe('SEQ_GAP');
    expect(e.expectedSeq).toBe(2);
    expect(e.message).toContain('第 2 条');
    expect(await count(centre.db, 'records', sql`table_name = 'cases'`)).toBe(0);
    expect(await lastSeq(dev)).toBe(1);
  });

  it('a batch that is not consecutive is refused whole', async () => {
    const a = registration(dev).mutation;
    registration(dev);
    const c = registration(dev).mutation;
    const e = await refusal(dev.client.push([a, c]));
    expect(e.code).toBe('INVALID_INPUT');
    expect(await lastSeq(dev)).toBe(1);
  });

  it('a rejection is recorded, advances the seq, and the next mutation applies', async () => {
    // A hall clerk may not create accounts: the contract says users.create is for admin.
    const forbidden = mutation(dev, 'users.create', [
      upsert(
        'users',
        { id: v7() },
        { username: 'x', display_name: 'x', active: 1, created_at: 'x', updated_at: 'x', row_version: 1 },
        null,
        1,
      ),
    ]);
    const next = registration(dev);
    const r = await dev.client.push([forbidden, next.mutation]);
    expect(r.results[0]).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    expect(r.results[0]!.message).toContain('没有执行「新建用户」所需的角色');
    expect(r.results[1]).toMatchObject({ status: 'applied' });
    expect(r.lastSeq).toBe(3);
    expect(await count(centre.db, 'records', sql`table_name = 'users'`)).toBe(3);
    // Replaying the rejected one gives the same rejection.
    expect((await dev.client.push([forbidden])).results[0]).toEqual(r.results[0]);
  });

  it('the role is the centre’s record: a role removed there is no longer held', async () => {
    const staff = await seedUsersAgain(dev);
    dev.userId = staff.admin;
    const drop = mutation(dev, 'users.update', [remove('user_roles', { user_id: staff.clerk, role: 'intake_clerk' }, null, 2)]);
    expect((await dev.client.push([drop])).results[0]!.status).toBe('applied');
    dev.userId = staff.clerk;
    const r = await dev.client.push([registration(dev).mutation]);
    expect(r.results[0]).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    // An unknown user and a mutation without one are refused too; a public call needs no one.
    expect((await dev.client.push([registration(dev, {}).mutation].map((m) => ({ ...m, userId: v7() })))).results[0]!.code).toBe(
      'FORBIDDEN',
    );
    expect((await dev.client.push([mutation(dev, 'cases.transition', [], { userId: null })])).results[0]!.code).toBe('FORBIDDEN');
    expect((await dev.client.push([mutation(dev, 'auth.setup', [], { userId: null })])).results[0]!.status).toBe('applied');
    expect((await dev.client.push([mutation(dev, 'no.such.method', [])])).results[0]).toMatchObject({
      status: 'rejected',
      code: 'UNKNOWN_KIND',
    });
  });

  it('the same mutation id under another seq is recorded as a duplicate, not applied twice', async () => {
    const a = registration(dev).mutation;
    await dev.client.push([a]);
    const again: Mutation = { ...registration(dev).mutation, mutationId: a.mutationId };
    const r = await dev.client.push([again]);
    expect(r.results[0]).toMatchObject({ status: 'rejected', code: 'DUPLICATE_MUTATION', mutationId: a.mutationId });
    expect(await count(centre.db, 'records', sql`table_name = 'cases'`)).toBe(1);
    expect(await count(centre.db, 'mutations', sql`status = 'applied'`)).toBe(2);
  });

  it('a seq sent again with another mutation id is refused, never answered with the other’s result', async () => {
    const a = registration(dev).mutation;
    await dev.client.push([a]);
    const e = await refusal(dev.client.push([{ ...a, mutationId: v7() }]));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain('已被另一条变更使用');
  });
});

/** seedUsers again on a fresh device would make new ids; this returns the staff of the first seeding. */
async function seedUsersAgain(_dev: TestDevice): Promise<Staff> {
  const r = await sql<{ id: string; username: string }>`
    SELECT row ->> 'id' AS id, row ->> 'username' AS username FROM records WHERE table_name = 'users'`.execute(centre.db);
  const by = (p: string): string => r.rows.find((x) => x.username.startsWith(p))!.id;
  return { admin: by('admin-'), clerk: by('clerk-'), officer: by('officer-') };
}

describe('merge rules', () => {
  let a: TestDevice;
  let b: TestDevice;
  beforeEach(async () => {
    a = await enrolTestDevice(centre, '西宁市社保经办', { name: 'A' });
    b = await enrolTestDevice(centre, '西宁市社保经办', { name: 'B' });
    await seedUsers(a);
    b.userId = a.userId;
  });

  it('versioned: an edit on the current version applies; a stale one is a conflict with both rows and nothing of it applied', async () => {
    const reg = registration(a);
    await a.client.push([reg.mutation]);
    const editA = mutation(a, 'cases.transition', [
      upsert('cases', { id: reg.caseId }, { worker_id: reg.workerId, status: 'accepted', version: 2 }, 1, 2),
    ]);
    expect((await a.client.push([editA])).results[0]!.status).toBe('applied');

    // B edited from version 1 too, offline, and also ticked a material in the same call.
    const editB = mutation(b, 'cases.transition', [
      upsert('case_materials', { case_id: reg.caseId, code: 'M02' }, { received: 1, row_version: 2 }, 1, 2),
      upsert('cases', { id: reg.caseId }, { worker_id: reg.workerId, status: 'rejected', version: 2 }, 1, 2),
    ]);
    const r = await b.client.push([editB]);
    expect(r.results[0]).toMatchObject({ status: 'conflict', code: 'CONFLICT' });
    expect(r.results[0]!.message).toContain('已被其他设备修改');
    expect(r.lastSeq).toBe(1);
    expect((await record('cases', k(reg.caseId)))!.row).toMatchObject({ status: 'accepted' });
    expect((await record('case_materials', k(reg.caseId, 'M02')))!.row).toMatchObject({ received: 0 });
    const c = await centre.db.selectFrom('conflicts').selectAll().where('id', '=', r.results[0]!.conflictId!).executeTakeFirstOrThrow();
    expect(c).toMatchObject({ table_name: 'cases', base_version: 1, device_version: 2, centre_version: 2, device_op: 'upsert' });
    expect(c.device_row).toMatchObject({ status: 'rejected' });
    expect(c.centre_row).toMatchObject({ status: 'accepted' });
    // B's next change still goes through: the queue never wedges.
    expect((await b.client.push([registration(b).mutation])).results[0]!.status).toBe('applied');
  });

  it('one batch: a conflicting and a refused mutation in the middle roll back only themselves; those around them apply', async () => {
    const reg = registration(a);
    await a.client.push([reg.mutation]);
    const editA = mutation(a, 'cases.transition', [
      upsert('cases', { id: reg.caseId }, { worker_id: reg.workerId, status: 'accepted', version: 2 }, 1, 2),
    ]);
    expect((await a.client.push([editA])).results[0]!.status).toBe('applied');
    const before = registration(b);
    // Stale (from version 1), with a material ticked in the same call: both must stay unapplied.
    const stale = mutation(b, 'cases.transition', [
      upsert('case_materials', { case_id: reg.caseId, code: 'M02' }, { received: 1, row_version: 2 }, 1, 2),
      upsert('cases', { id: reg.caseId }, { worker_id: reg.workerId, status: 'rejected', version: 2 }, 1, 2),
    ]);
    const between = registration(b);
    // A delete of an append-only record is refused, after a row of its own that must be undone.
    const refusedWorker = v7();
    const refused = mutation(b, 'cases.register', [
      upsert('workers', { id: refusedWorker }, { name: '不应留下', id_number: '630102199001019999', row_version: 1 }, null, 1),
      remove('appraisal_conclusions', { id: v7() }, null, 1),
    ]);
    const after = registration(b);
    const r = await b.client.push([before.mutation, stale, between.mutation, refused, after.mutation]);
    expect(r.results.map((x) => x.status)).toEqual(['applied', 'conflict', 'applied', 'rejected', 'applied']);
    expect(r.results[3]).toMatchObject({ code: 'APPEND_ONLY' });
    expect(r.lastSeq).toBe(5);
    expect((await record('cases', k(reg.caseId)))!.row).toMatchObject({ status: 'accepted' });
    expect((await record('case_materials', k(reg.caseId, 'M02')))!.row).toMatchObject({ received: 0 });
    expect(await record('workers', k(refusedWorker))).toBeUndefined();
    for (const x of [before, between, after]) expect(await record('cases', k(x.caseId))).toBeTruthy();
    expect(await count(centre.db, 'mutations', sql`device_id = ${b.deviceId}`)).toBe(5);
    expect(await count(centre.db, 'audit_copies', sql`device_id = ${b.deviceId}`)).toBe(5);
    expect(await count(centre.db, 'conflicts', sql`device_id = ${b.deviceId}`)).toBe(1);
    // The replay answers the same, and changes nothing.
    const again = await b.client.push([before.mutation, stale, between.mutation, refused, after.mutation]);
    expect(again.results).toEqual(r.results);
    expect(await count(centre.db, 'mutations', sql`device_id = ${b.deviceId}`)).toBe(5);
  });

  it('runs applied set-based log each change once per office, in order, a row edited again in the run included; a declined run leaves nothing of its attempt', async () => {
    const one = registration(b);
    const two = registration(b);
    // The same case again (a second run), and a stale edit that makes that run go row by row.
    const edit = mutation(b, 'cases.transition', [
      upsert('cases', { id: one.caseId }, { worker_id: one.workerId, status: 'accepted', version: 2 }, 1, 2),
    ]);
    const again = mutation(b, 'cases.transition', [
      upsert('cases', { id: one.caseId }, { worker_id: one.workerId, status: 'confirmed', version: 3 }, 2, 3),
      upsert('case_materials', { case_id: one.caseId, code: 'M02' }, { received: 1, row_version: 2 }, 1, 2),
    ]);
    const stale = mutation(b, 'cases.transition', [
      upsert('cases', { id: two.caseId }, { worker_id: two.workerId, status: 'rejected', version: 3 }, 2, 3),
    ]);
    const r = await b.client.push([one.mutation, two.mutation, edit, again, stale]);
    expect(r.results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'conflict']);
    // A row changed three times in one run: the centre holds the last, and the log has each.
    expect(await record('cases', k(one.caseId))).toMatchObject({ version: 3, row: { status: 'confirmed' } });
    expect(await record('case_materials', k(one.caseId, 'M02'))).toMatchObject({ version: 2, row: { received: 1 } });
    const log = await sql<{ table_name: string; key: string; version: number }>`
      SELECT table_name, key, version FROM changes WHERE office_id = ${b.officeId} AND origin_device = ${b.deviceId} ORDER BY xid, id`.execute(
      centre.db,
    );
    const reg = (x: { caseId: string; workerId: string }) => [
      `workers ${k(x.workerId)} 1`,
      `cases ${k(x.caseId)} 1`,
      `case_materials ${k(x.caseId, 'M01')} 1`,
      `case_materials ${k(x.caseId, 'M02')} 1`,
    ];
    expect(log.rows.map((c) => `${c.table_name} ${c.key} ${c.version}`)).toEqual([
      ...reg(one),
      ...reg(two),
      `cases ${k(one.caseId)} 2`,
      `cases ${k(one.caseId)} 3`,
      `case_materials ${k(one.caseId, 'M02')} 2`,
      // The conflict sends the centre's row back to the office (docs/sync-protocol.md §6).
      `cases ${k(two.caseId)} 1`,
    ]);
    expect(await count(centre.db, 'case_holders', sql`case_id IN (${one.caseId}, ${two.caseId})`)).toBe(2);
    expect(await count(centre.db, 'case_custody', sql`case_id IN (${one.caseId}, ${two.caseId}) AND office_id = ${b.officeId}`)).toBe(2);
    expect(await count(centre.db, 'record_offices', sql`key IN (${k(one.workerId)}, ${k(two.workerId)})`)).toBe(2);
  });

  it('oip_apply_set takes a run of new rows and edits on the centre’s version, and declines anything else leaving nothing', async () => {
    // Straight at the function push.ts calls: the outcomes above would be the same row by row.
    const apply = async (runs: Mutation[]) => {
      const muts = runs.map((m, n) => {
        const p = prepareRows(m.rows, false);
        if (p.kind !== 'specs') throw new Error(p.refusal.message);
        return { n, mid: m.mutationId, decided: false, rows: p.specs };
      });
      const r = await sql<{ ok: boolean }>`
        SELECT oip_apply_set(${JSON.stringify(muts)}::jsonb, ${b.deviceId}::uuid, ${b.officeId}::uuid, now(), ${LINKS}::jsonb) AS ok`.execute(
        centre.db,
      );
      return r.rows[0]!.ok;
    };
    const one = registration(b);
    const accept = mutation(b, 'cases.transition', [
      upsert('cases', { id: one.caseId }, { worker_id: one.workerId, status: 'accepted', version: 2 }, 1, 2),
    ]);
    expect(await apply([one.mutation, accept])).toBe(true);
    expect(await record('cases', k(one.caseId))).toMatchObject({ version: 2, row: { status: 'accepted' } });
    const before = { records: await count(centre.db, 'records'), changes: await count(centre.db, 'changes') };
    // A new row and a stale edit: declined, and the new row is not left behind.
    const two = registration(b);
    const stale = mutation(b, 'cases.transition', [
      upsert('cases', { id: one.caseId }, { worker_id: one.workerId, status: 'rejected', version: 2 }, 1, 2),
    ]);
    expect(await apply([two.mutation, stale])).toBe(false);
    // A row the centre already has, sent again as new: declined too.
    expect(await apply([one.mutation])).toBe(false);
    expect({ records: await count(centre.db, 'records'), changes: await count(centre.db, 'changes') }).toEqual(before);
    expect(await record('cases', k(two.caseId))).toBeUndefined();
  });

  it('two registrations of one person’s accident in one batch are offered once as a possible duplicate', async () => {
    const worker = (id: string) =>
      upsert('workers', { id }, { name: '重复伤者', id_number: '630102199203034321', row_version: 1 }, null, 1);
    const kase = (id: string, workerId: string) =>
      upsert(
        'cases',
        { id },
        { worker_id: workerId, case_no: `QH-${id.slice(-6)}`, accident_date: '2026-11-02', status: 'registered', version: 1 },
        null,
        1,
      );
    const [w1, w2, c1, c2] = [v7(), v7(), v7(), v7()];
    const r = await b.client.push([
      mutation(b, 'cases.register', [worker(w1), kase(c1, w1)]),
      mutation(b, 'cases.register', [worker(w2), kase(c2, w2)]),
    ]);
    expect(r.results.map((x) => x.status)).toEqual(['applied', 'applied']);
    const dup = await sql<{ key_json: { id: string }; detail: { otherKey: { id: string } } }>`
      SELECT key_json, detail FROM conflicts WHERE conflict_kind = 'duplicate' AND key_json ->> 'id' IN (${c1}, ${c2})`.execute(centre.db);
    expect(dup.rows).toHaveLength(1);
    expect([dup.rows[0]!.key_json.id, dup.rows[0]!.detail.otherKey.id].sort()).toEqual([c1, c2].sort());
  });

  it('versioned: a delete leaves a tombstone; the same state again is no conflict', async () => {
    const reg = registration(a);
    await a.client.push([reg.mutation]);
    const del = mutation(a, 'cases.setMaterials', [remove('case_materials', { case_id: reg.caseId, code: 'M02' }, 1, 2)]);
    await a.client.push([del]);
    expect(await record('case_materials', k(reg.caseId, 'M02'))).toMatchObject({ deleted: true, version: 2, row: null });
    // A baseline from B of a row the centre already holds identically is not a conflict.
    const same = mutation(b, 'sync.baseline', [reg.mutation.rows[2]!]);
    expect((await b.client.push([same])).results[0]!.status).toBe('applied');
  });

  it('append-only: inserted once, the same content again is a no-op, other content or a delete is refused', async () => {
    const reg = registration(a);
    await a.client.push([reg.mutation]);
    const move = upsert(
      'case_transitions',
      { id: v7() },
      { case_id: reg.caseId, from_status: 'registered', to_status: 'accepted', at: 'x' },
      null,
      1,
    );
    expect((await a.client.push([mutation(a, 'cases.transition', [move])])).results[0]!.status).toBe('applied');
    expect((await b.client.push([mutation(b, 'sync.baseline', [move])])).results[0]!.status).toBe('applied');
    const changed = { ...move, row: { ...move.row!, to_status: 'closed' } };
    const r = await b.client.push([mutation(b, 'cases.transition', [changed])]);
    expect(r.results[0]).toMatchObject({ status: 'rejected', code: 'APPEND_ONLY' });
    const d = await b.client.push([mutation(b, 'cases.transition', [remove('case_transitions', move.key, null, 2)])]);
    expect(d.results[0]).toMatchObject({ status: 'rejected', code: 'APPEND_ONLY' });
    expect((await record('case_transitions', k(String(move.key.id))))!.row).toMatchObject({ to_status: 'accepted' });
  });

  it('set: insert, insert again, delete, insert again', async () => {
    const staff = await seedUsersAgain(a);
    a.userId = staff.admin;
    const role = { user_id: staff.officer, role: 'benefit_officer' };
    const push = async (c: RowChange): Promise<string> => (await a.client.push([mutation(a, 'users.update', [c])])).results[0]!.status;
    expect(await push(upsert('user_roles', role, {}, null, 1))).toBe('applied');
    expect(await push(upsert('user_roles', role, {}, null, 1))).toBe('applied');
    expect(await push(remove('user_roles', role, null, 2))).toBe('applied');
    expect(await record('user_roles', k(role.user_id, role.role))).toMatchObject({ deleted: true });
    expect(await push(upsert('user_roles', role, {}, null, 3))).toBe('applied');
    expect(await record('user_roles', k(role.user_id, role.role))).toMatchObject({ deleted: false, version: 3 });
  });

  it('refuses rows that break the catalogue: unknown table, wrong key, local-only columns, blob in a plain column', async () => {
    const staff = await seedUsersAgain(a);
    a.userId = staff.admin;
    const cases: [RowChange, string][] = [
      [upsert('sessions', { id: v7() }, {}, null, 1), 'UNKNOWN_TABLE'],
      [upsert('cases', { case_id: v7() }, {}, null, 1), 'INVALID_ROW'],
      [upsert('users', { id: v7() }, { username: 'y', password_hash: 'scrypt$…' }, null, 1), 'INVALID_ROW'],
      [upsert('cases', { id: v7() }, { worker_id: { $blob: 'a'.repeat(64) } }, null, 1), 'INVALID_ROW'],
      [upsert('cases', { id: v7() }, { note: 'a\u0000b' }, null, 1), 'INVALID_ROW'],
      [upsert('cases', { id: v7() }, {}, 3, 2), 'INVALID_ROW'],
    ];
    for (const [change, code] of cases) {
      const r = await a.client.push([mutation(a, 'users.update', [change])]);
      expect(r.results[0], code).toMatchObject({ status: 'rejected', code });
    }
    expect(await count(centre.db, 'records', sql`table_name NOT IN ('users', 'user_roles')`)).toBe(0);
    expect(await count(centre.db, 'records', sql`row ? 'password_hash'`)).toBe(0);
  });
});

describe('issued documents', () => {
  let a: TestDevice;
  let b: TestDevice;
  beforeEach(async () => {
    a = await enrolTestDevice(centre, '西宁市社保经办', { name: 'A' });
    b = await enrolTestDevice(centre, '西宁市社保经办', { name: 'B' });
    await seedUsers(a);
    b.userId = a.userId;
  });

  function signedDoc(key: DeviceKey, documentNo: string, text = '职业伤害确认决定书'): { pdf: Buffer; sha: string; row: RowChange } {
    const facts = { no: documentNo, type: 'confirmation', date: '2026-11-24', issuer: '西宁市社保经办', signer: '测试人员' };
    const { signed, block } = appendSignature(Buffer.from(`%PDF-1.3\n${text}\n%%EOF`), key, facts);
    const sha = sha256(signed);
    const id = v7();
    const row = upsert(
      'issued_documents',
      { id },
      {
        type: 'confirmation',
        case_id: null,
        series: 'QR',
        document_no: documentNo,
        data: '{}',
        pdf: { $blob: sha },
        pdf_sha256: sha,
        key_id: block.keyId,
        signature: block.signature,
        signer_id: null,
        signer_name: '测试人员',
        issued_at: 'x',
      },
      null,
      1,
    );
    return { pdf: signed, sha, row };
  }

  async function upload(dev: TestDevice, doc: { pdf: Buffer; sha: string }): Promise<void> {
    expect(await dev.client.blobsMissing([doc.sha])).toEqual([doc.sha]);
    expect(await dev.client.putBlob(doc.sha, doc.pdf)).toEqual({ stored: true });
  }

  it('a signed document applies once its PDF is up; the 文号 is then taken for any other bytes', async () => {
    const doc = signedDoc(a.key, '宁职确〔2026〕1号');
    // Pushed before its PDF: refused for now, nothing recorded, the seq not advanced.
    const early = mutation(a, 'notices.issueForCase', [doc.row]);
    const e = await refusal(a.client.push([early]));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain('尚未上传');
    expect(await lastSeq(a)).toBe(1);
    await upload(a, doc);
    expect((await a.client.push([early])).results[0]!.status).toBe('applied');

    const other = signedDoc(b.key, '宁职确〔2026〕1号', '另一份内容');
    await upload(b, other);
    const r = await b.client.push([mutation(b, 'notices.issueForCase', [other.row])]);
    expect(r.results[0]).toMatchObject({ status: 'rejected', code: 'DOC_NO_TAKEN' });
    expect(r.results[0]!.message).toContain('宁职确〔2026〕1号');
    expect(await count(centre.db, 'records', sql`table_name = 'issued_documents'`)).toBe(1);
    // The same document from B (it came home in a hearing package) is the same record: fine.
    expect(
      (await b.client.push([mutation(b, 'hearings.importPackage', [doc.row], { userId: (await seedUsersAgain(a)).admin })])).results[0]!
        .status,
    ).toBe('applied');
  });

  it('refuses altered bytes, a mismatched 文号 and a signer the centre does not know', async () => {
    const tampered = signedDoc(a.key, '宁职确〔2026〕2号');
    const bytes = Buffer.from(tampered.pdf);
    bytes[10] = bytes[10]! ^ 1;
    const bad = { ...tampered, pdf: bytes, sha: sha256(bytes) };
    bad.row = { ...tampered.row, row: { ...tampered.row.row!, pdf: { $blob: bad.sha }, pdf_sha256: bad.sha } };
    await upload(a, bad);
    const r1 = await a.client.push([mutation(a, 'notices.issueForCase', [bad.row])]);
    expect(r1.results[0]).toMatchObject({ status: 'rejected', code: 'DOC_SIGNATURE' });

    const renamed = signedDoc(a.key, '宁职确〔2026〕3号');
    await upload(a, renamed);
    const moved = { ...renamed.row, row: { ...renamed.row.row!, document_no: '宁职确〔2026〕4号' } };
    expect((await a.client.push([mutation(a, 'notices.issueForCase', [moved])])).results[0]).toMatchObject({ code: 'DOC_SIGNATURE' });

    const stranger = signedDoc(deviceKey(tempDir('oip-stranger-')), '宁职确〔2026〕5号');
    await upload(a, stranger);
    const r3 = await a.client.push([mutation(a, 'notices.issueForCase', [stranger.row])]);
    expect(r3.results[0]).toMatchObject({ status: 'rejected', code: 'DOC_SIGNATURE' });
    expect(r3.results[0]!.message).toContain('不是在中心注册的设备');
    expect(await count(centre.db, 'document_numbers')).toBe(0);
    expect(await lastSeq(a)).toBe(4);
  });
});

describe('audit copies', () => {
  it('are kept per device with the chain checked across pushes and gaps', async () => {
    const a = await enrolTestDevice(centre);
    await seedUsers(a);
    await a.client.push([registration(a).mutation, registration(a).mutation]);
    a.audit.skip(); // a sign-in: its entry never travels
    await a.client.push([registration(a).mutation]);
    const copies = await centre.db.selectFrom('audit_copies').select(['seq', 'mutation_seq']).orderBy('seq').execute();
    expect(copies).toEqual([
      { seq: 1, mutation_seq: 2 },
      { seq: 2, mutation_seq: 3 },
      { seq: 4, mutation_seq: 4 },
    ]);

    // An entry edited on the device no longer matches its hash: refused, and the queue moves on.
    const edited = registration(a).mutation;
    edited.audit = { ...edited.audit!, summary: '改过的摘要' };
    const r = await a.client.push([edited, registration(a).mutation]);
    expect(r.results[0]).toMatchObject({ status: 'rejected', code: 'AUDIT_CHAIN' });
    expect(r.results[1]!.status).toBe('applied');
    // An entry that claims another predecessor than the one the centre holds is refused.
    const forked = registration(a).mutation;
    forked.audit = { ...forked.audit!, seq: 2, prevHash: 'f'.repeat(64) };
    const { auditEntryHash } = await import('../../central/core/audit-copies');
    forked.audit.hash = auditEntryHash(forked.audit);
    expect((await a.client.push([forked])).results[0]).toMatchObject({ code: 'AUDIT_CHAIN' });
  });
});

describe('blobs', () => {
  it('missing, PUT (idempotent, hash checked), GET', async () => {
    const a = await enrolTestDevice(centre);
    const bytes = Buffer.from('附件内容 attachment bytes');
    const sha = sha256(bytes);
    expect(await a.client.blobsMissing([sha, sha])).toEqual([sha]);
    expect(await a.client.putBlob(sha, bytes)).toEqual({ stored: true });
    expect(await a.client.putBlob(sha, bytes)).toEqual({ stored: false });
    expect(await a.client.blobsMissing([sha])).toEqual([]);
    expect((await a.client.getBlob(sha)).equals(bytes)).toBe(true);
    const e = await refusal(a.client.putBlob('0'.repeat(64), bytes));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain('摘要不符');
    expect((await refusal(a.client.getBlob('1'.repeat(64)))).code).toBe('NOT_FOUND');
    expect(await count(centre.db, 'blobs')).toBe(1);
  });
});

describe('logs', () => {
  it('name method, route, status and time only: no names, ID numbers, bodies or header values', async () => {
    const a = await enrolTestDevice(centre);
    await seedUsers(a);
    await a.client.push([registration(a).mutation]);
    await a.client.pull('');
    const text = centre.logs.join('\n');
    expect(text).toContain('POST /v1/push 200');
    expect(text).toContain('GET /v1/pull 200');
    for (const secret of ['测试伤者', '630102199001011234', a.deviceId, a.key.publicKeyB64.slice(0, 20), 'cursor='])
      expect(text).not.toContain(secret);
  });
});
