// The crash test's child: the real core on a data folder, doing the work of an office — cases
// registered and moved on, confirmations, appraisal requests and panels, the leader's signed
// conclusions, bills — until it is killed. After every call the dispatcher reports committed,
// it writes one line to stdout (synchronously: the line is in the pipe before the next call
// starts) naming the write and how to find it in the store. The parent kills it with SIGKILL
// at a random moment and checks that every reported write survived.
//
// Usage: node writer.mjs DATA_DIR SEED
import fs from 'node:fs';
import { createCore } from '../../electron/core/app-core';
import { ManualClock } from '../../electron/core/clock';
import { TEST_COST } from '../../electron/core/passwords';
import type { ApiInput, ApiOutput, MethodName } from '../../shared/api/contract';
import { beijingRider } from '../helpers/intake';
import { ITEM_45, ITEM_56 } from '../helpers/appraisal';

/** A write the child saw committed, and a row that proves it is in the store. */
export interface CommittedWrite {
  method: string;
  /** The record the audit entry names (entity_id), when there is one. */
  entityId: string | null;
  proof: { table: string; where: Record<string, string | number> };
}

const PASSWORD = 'Crash-pass-2026';
const [dataDir, seedArg] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: writer DATA_DIR SEED');
let seed = Number(seedArg ?? 1) >>> 0 || 1;
const random = () => {
  // xorshift32: the same seed gives the same choices.
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x100000000;
};

const core = createCore({ dataDir, host: 'test', clock: new ManualClock(new Date('2026-11-24T02:00:00Z')), passwordCost: TEST_COST });
const sqlite = core.store.sqlite;

function report(w: CommittedWrite): void {
  fs.writeSync(1, `${JSON.stringify(w)}\n`);
}

async function call<N extends MethodName>(method: N, input: ApiInput<N>, token: string | null): Promise<ApiOutput<N>> {
  const r = await core.dispatch({ method, input, sessionToken: token });
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as ApiOutput<N>;
}

async function login(username: string): Promise<string> {
  const r = await call('auth.login', { username, password: PASSWORD }, null);
  if (!r.ok) throw new Error(r.message);
  return r.sessionToken;
}

/** Idempotent: a kill in the middle of it is finished on the next start. */
async function setUp(): Promise<void> {
  if ((sqlite.prepare('SELECT COUNT(*) n FROM users').get() as { n: number }).n === 0) {
    const { userId } = await call('auth.setup', { username: 'admin', displayName: '管理员', password: PASSWORD }, null);
    report({ method: 'auth.setup', entityId: userId, proof: { table: 'users', where: { id: userId } } });
  }
  const admin = await login('admin');
  await call('settings.update', { idleLockMinutes: 240 }, admin);
  const has = (sqlText: string, v: string) => !!sqlite.prepare(sqlText).get(v);
  for (const [username, role] of [
    ['clerk', 'intake_clerk'],
    ['officer', 'confirmation_officer'],
    ['secretary', 'appraisal_secretary'],
    ['leader', 'appraisal_leader'],
  ] as const) {
    if (has('SELECT 1 FROM users WHERE username = ?', username)) continue;
    const u = await call('users.create', { username, displayName: username, password: PASSWORD, roles: [role] }, admin);
    report({ method: 'users.create', entityId: u.userId, proof: { table: 'users', where: { id: u.userId } } });
  }
  for (const name of ['李骨科', '王骨科', '孙骨科', '周骨科']) {
    if (has('SELECT 1 FROM experts WHERE name = ?', name)) continue;
    const e = await call(
      'experts.save',
      { id: null, name, organisation: `${name}医院`, categories: ['ortho'], departments: ['骨科'], available: true, platformTies: [] },
      admin,
    );
    report({ method: 'experts.save', entityId: e.id, proof: { table: 'experts', where: { id: e.id } } });
  }
}

type Tokens = Record<'clerk' | 'officer' | 'secretary' | 'leader', string>;

const ids = (status: string) =>
  (sqlite.prepare('SELECT id FROM cases WHERE status = ? ORDER BY id').all(status) as { id: string }[]).map((r) => r.id);
const pick = <T>(list: T[]): T | undefined => list[Math.floor(random() * list.length)];

async function transition(caseId: string, action: ApiInput<'cases.transition'>['action'], token: string, extra: object = {}) {
  const c = await call('cases.get', { caseId }, token);
  const r = await call('cases.transition', { caseId, action, expectedVersion: c.version, ...extra }, token);
  report({
    method: 'cases.transition',
    entityId: caseId,
    proof: { table: 'case_transitions', where: { case_id: caseId, action, to_status: r.status } },
  });
}

let registered = 0;
async function step(t: Tokens): Promise<void> {
  const roll = random();
  // Awaiting appraisal, pre-checked, a panel drawn, on no hearing yet (a kill between those steps
  // leaves a case short of one: it waits, as a real one would for the secretary).
  const ready = ids('awaiting_appraisal').filter(
    (id) =>
      !sqlite.prepare('SELECT 1 FROM hearing_cases WHERE case_id = ?').get(id) &&
      sqlite.prepare("SELECT 1 FROM appraisal_requests WHERE case_id = ? AND precheck_result = 'complete'").get(id) &&
      sqlite.prepare('SELECT 1 FROM panel_draws WHERE case_id = ?').get(id),
  );
  const onHearing = (
    sqlite
      .prepare(
        `SELECT hc.hearing_id, hc.case_id FROM hearing_cases hc JOIN cases c ON c.id = hc.case_id
         WHERE c.status = 'awaiting_appraisal' AND NOT EXISTS (SELECT 1 FROM appraisal_conclusions a WHERE a.case_id = hc.case_id AND a.hearing_id = hc.hearing_id)`,
      )
      .all() as { hearing_id: string; case_id: string }[]
  )[0];
  if (onHearing && roll < 0.3) {
    // The leader signs off: attendance, three opinions, the signed conclusion.
    const { hearing_id: hearingId, case_id: caseId } = onHearing;
    await call('hearings.attendance', { hearingId, caseId, attendance: 'present', findings: '胸廓畸形' }, t.secretary);
    report({
      method: 'hearings.attendance',
      entityId: caseId,
      proof: { table: 'hearing_cases', where: { hearing_id: hearingId, case_id: caseId, attendance: 'present' } },
    });
    const draw = sqlite.prepare('SELECT result FROM panel_draws WHERE case_id = ? ORDER BY drawn_at DESC, id DESC').get(caseId) as {
      result: string;
    };
    for (const p of JSON.parse(draw.result) as { id: string }[]) {
      await call(
        'hearings.opinion',
        { hearingId, caseId, expertId: p.id, items: [ITEM_45, ITEM_56], promotionApplied: true, promotionReason: '', nursingLevel: null },
        t.secretary,
      );
      report({
        method: 'hearings.opinion',
        entityId: caseId,
        proof: { table: 'expert_opinions', where: { hearing_id: hearingId, case_id: caseId, expert_id: p.id } },
      });
    }
    const signed = await call('hearings.sign', { hearingId, caseId, grade: 7, nursingLevel: null, advice: '' }, t.leader);
    report({
      method: 'hearings.sign',
      entityId: caseId,
      proof: {
        table: 'appraisal_conclusions',
        where: {
          id: signed.conclusionId,
          leader_id: sqlite.prepare("SELECT id FROM users WHERE username = 'leader'").pluck().get() as string,
        },
      },
    });
    return;
  }
  if (ready.length > 0 && roll < 0.45) {
    const h = await call(
      'hearings.create',
      { date: '2026-11-24', venue: '鉴定中心', committee: '西宁市劳动能力鉴定委员会', kind: 'initial' },
      t.secretary,
    );
    report({ method: 'hearings.create', entityId: h.id, proof: { table: 'hearings', where: { id: h.id } } });
    await call('hearings.assign', { hearingId: h.id, caseIds: ready.slice(0, 2) }, t.secretary);
    for (const caseId of ready.slice(0, 2))
      report({
        method: 'hearings.assign',
        entityId: h.id,
        proof: { table: 'hearing_cases', where: { hearing_id: h.id, case_id: caseId } },
      });
    return;
  }
  const confirmed = pick(ids('confirmed'));
  if (confirmed && roll < 0.6) {
    await transition(confirmed, 'request_appraisal', t.secretary);
    const { checklist } = await call('appraisal.requests', { caseId: confirmed }, t.secretary);
    await call(
      'appraisal.precheck',
      { caseId: confirmed, items: checklist.map((i) => ({ code: i.code, present: true, note: '' })) },
      t.secretary,
    );
    report({
      method: 'appraisal.precheck',
      entityId: confirmed,
      proof: { table: 'appraisal_requests', where: { case_id: confirmed, precheck_result: 'complete' } },
    });
    const d = await call('appraisal.drawPanel', { caseId: confirmed, size: 3, categories: ['ortho'] }, t.secretary);
    report({ method: 'appraisal.drawPanel', entityId: confirmed, proof: { table: 'panel_draws', where: { id: d.id } } });
    return;
  }
  const accepted = pick(ids('accepted'));
  if (accepted && roll < 0.75) {
    await transition(accepted, 'confirm', t.officer, { reason: '送餐途中摔伤', article: '第十一条第（一）项' });
    return;
  }
  const fresh = pick(ids('registered'));
  if (fresh && roll < 0.9) {
    const c = await call('cases.get', { caseId: fresh }, t.clerk);
    await call(
      'cases.setMaterials',
      { caseId: fresh, expectedVersion: c.version, materials: c.materials.map((m) => ({ code: m.code, received: true })) },
      t.clerk,
    );
    report({ method: 'cases.setMaterials', entityId: fresh, proof: { table: 'case_materials', where: { case_id: fresh, received: 1 } } });
    await transition(fresh, 'accept', t.clerk);
    if (random() < 0.5) {
      const bill = await call(
        'bills.add',
        {
          caseId: fresh,
          billDate: '2026-11-20',
          hospital: '北医三院',
          invoiceNo: `FP-${fresh.slice(-8)}`,
          amount: '302.00',
          eligible: '302.00',
          submittedDate: '2026-11-23',
        },
        t.clerk,
      );
      report({ method: 'bills.add', entityId: fresh, proof: { table: 'medical_bills', where: { id: bill.billId } } });
    }
    return;
  }
  // A new walk-in claim; accident dates differ so no two are duplicates of each other.
  registered++;
  const day = 1 + Math.floor(random() * 19);
  const at = `2026-11-${String(day).padStart(2, '0')}T${String(8 + (registered % 10)).padStart(2, '0')}:30`;
  const rider = beijingRider({ accidentAt: at });
  rider.accident.orders[0]!.acceptedAt = at.replace(/:30$/, ':10');
  rider.accident.orders[0]!.orderNo = `MT-${seed.toString(16)}-${registered}`;
  const r = await call('cases.register', rider, t.clerk);
  report({
    method: 'cases.register',
    entityId: r.caseId,
    proof: { table: 'cases', where: { id: r.caseId, registration_no: r.registrationNo } },
  });
}

async function main(): Promise<void> {
  await setUp();
  const tokens: Tokens = {
    clerk: await login('clerk'),
    officer: await login('officer'),
    secretary: await login('secretary'),
    leader: await login('leader'),
  };
  fs.writeSync(1, 'READY\n');
  for (;;) await step(tokens);
}

main().catch((e: unknown) => {
  fs.writeSync(2, `writer failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(3);
});
