// The bulk demo writes what the product writes: a case it wrote is replayed step by step through
// the RPC (same people, same times, same inputs) and the rows and audit entries must be the
// same, numbers and ids aside. And the filled store is whole: every stage, a verified audit
// chain, documents issued by the product, projections equal to the case page.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCore, signIn, type TestCore } from '../helpers/core';
import { bulkFill, type BulkFillResult } from '../../electron/core/demo/bulk-fill';
import { clockSources } from '../../electron/core/cases/case-clocks';
import { ruleData } from '../../electron/core/cases/rule-data';
import type { Registration } from '../../shared/api/methods/cases';
import type { CaseAction } from '../../shared/cases/lifecycle';

let t: TestCore;
let r: BulkFillResult;

beforeAll(async () => {
  t = makeTestCore(new Date('2026-11-24T02:00:00Z'));
  r = await bulkFill(t, { cases: 400, seed: 11, clock: t.clock, documents: true });
}, 600_000);
afterEach(() => undefined);

const q = <T>(sql: string, ...args: unknown[]) => t.store.sqlite.prepare(sql).all(...args) as T[];
const one = <T>(sql: string, ...args: unknown[]) => t.store.sqlite.prepare(sql).get(...args) as T;
const password = (username: string) => r.accounts.find((a) => a.username === username)!.password;

describe('bulk demo', () => {
  it('fills every stage with bills, hearings, conclusions, determinations and documents, and a sound audit chain', async () => {
    expect(r.cases).toBe(400);
    expect(one<{ n: number }>('SELECT COUNT(*) n FROM cases').n).toBe(400);
    expect(Object.keys(r.byStatus).sort()).toEqual(
      expect.arrayContaining(['accepted', 'closed', 'confirmed', 'in_treatment', 'not_confirmed', 'withdrawn', 'awaiting_supplement']),
    );
    expect(r.bills).toBe(one<{ n: number }>('SELECT COUNT(*) n FROM medical_bills').n);
    expect(r.hearings).toBeGreaterThan(0);
    expect(r.conclusions).toBeGreaterThan(0);
    expect(r.documents).toBe(one<{ n: number }>('SELECT COUNT(*) n FROM issued_documents').n);
    expect(r.documents).toBeGreaterThan(0);
    // Audit times never go backwards along the chain (every step was replayed in time order).
    const times = q<{ at: string }>('SELECT at FROM audit_log ORDER BY seq').map((x) => x.at);
    expect([...times].sort()).toEqual(times);
    const admin = await signIn(t, 'admin', password('admin'));
    // The chain holds every entry the fill wrote, plus this sign-in's.
    expect(await t.call('audit.verify', {}, admin)).toMatchObject({ ok: true, checked: r.auditEntries + 1 });
    // Every issued 结论书 verifies as this device's.
    const doc = one<{ id: string }>("SELECT id FROM issued_documents WHERE type = 'appraisal-conclusion' LIMIT 1");
    const pdf = (await t.call('notices.get', { id: doc.id }, admin)).pdfBase64;
    expect((await t.call('notices.verify', { pdfBase64: pdf }, admin)).status).toBe('valid');
    // The sync outbox holds the calls made through the dispatcher (setup, issuing), not the
    // bulk-written rows, and no captured key is left for a later call to sweep up.
    expect(one<{ n: number }>('SELECT COUNT(*) n FROM sync_capture').n).toBe(0);
    const kinds = new Set(q<{ kind: string }>('SELECT DISTINCT kind FROM sync_outbox').map((x) => x.kind));
    expect(kinds.has('hearings.issueConclusion')).toBe(true);
    expect(
      [...kinds].filter(
        (k) =>
          !['sync.baseline', 'users.create', 'platforms.save', 'experts.save', 'numbering.addBlock'].includes(k) && !k.includes('ssue'),
      ),
    ).toEqual([]);
    const outboxCases = one<{ n: number }>(
      "SELECT COUNT(*) n FROM sync_outbox, json_each(sync_outbox.rows) r WHERE json_extract(r.value, '$.table') = 'cases'",
    ).n;
    expect(outboxCases).toBeLessThan(r.documents + 1);
  });

  it('keeps projections equal to what the case page computes', async () => {
    const ids = q<{ id: string }>('SELECT id FROM cases').map((x) => x.id);
    const sources = await clockSources(t.store.db, await ruleData(t.store.db, 'qinghai'), ids);
    const stored = q<{ case_id: string; code: string; due: string }>('SELECT case_id, code, due FROM case_clocks ORDER BY case_id, code');
    const page = [...sources]
      .flatMap(([id, s]) => s.on('2026-11-24').map((d) => ({ case_id: id, code: d.code, due: d.due })))
      .sort((a, b) => (a.case_id < b.case_id ? -1 : a.case_id > b.case_id ? 1 : a.code < b.code ? -1 : 1));
    expect(stored).toEqual(page);
    expect(one<{ n: number }>('SELECT COUNT(*) n FROM case_facts').n).toBe(400);
    expect(one<{ n: number }>('SELECT COUNT(*) n FROM case_dirty').n).toBe(0);
  });

  it.each([
    [
      '小伤快办 closed after reimbursement',
      ['cases.register', 'cases.setMaterials', 'cases.transition', 'bills.add', 'cases.transition', 'bills.reimburse', 'cases.transition'],
    ],
    ['not confirmed', ['cases.register', 'cases.setMaterials', 'cases.transition', 'bills.add', 'cases.transition']],
  ])('writes a case (%s) exactly as the RPC does', async (_name, shape) => {
    // A bulk case whose steps have this shape (bills repeated as many times as it has bills).
    const candidates = q<{ entity_id: string }>("SELECT DISTINCT entity_id FROM audit_log WHERE method = 'cases.register'");
    const stepsOf = (caseId: string) =>
      q<{ seq: number; at: string; actor_id: string; actor_name: string; method: string; action: string; summary: string }>(
        'SELECT seq, at, actor_id, actor_name, method, action, summary FROM audit_log WHERE entity_id = ? ORDER BY seq',
        caseId,
      );
    const collapse = (ms: string[]) => ms.filter((m, i) => m !== ms[i - 1] || !m.startsWith('bills.'));
    const bulkId = candidates
      .map((c) => c.entity_id)
      .find((id) => JSON.stringify(collapse(stepsOf(id).map((s) => s.method))) === JSON.stringify(shape))!;
    expect(bulkId).toBeDefined();
    const steps = stepsOf(bulkId);
    const c = one<Record<string, unknown>>('SELECT * FROM cases WHERE id = ?', bulkId);
    const w = one<Record<string, string>>('SELECT * FROM workers WHERE id = ?', c.worker_id);
    const bills = q<Record<string, unknown>>('SELECT * FROM medical_bills WHERE case_id = ? ORDER BY entered_at, rowid', bulkId);
    const moves = q<{ action: string; reason: string; at: string }>(
      "SELECT action, reason, at FROM case_transitions WHERE case_id = ? AND action != 'register' ORDER BY at, rowid",
      bulkId,
    );

    // The same person registers the same claim at the same minute, and so on, through the RPC.
    const users = new Map(q<{ id: string; username: string }>('SELECT id, username FROM users').map((u) => [u.id, u.username]));
    const as = async (s: (typeof steps)[number]) => {
      t.clock.set(new Date(s.at));
      return signIn(t, users.get(s.actor_id)!, password(users.get(s.actor_id)!));
    };
    const reg: Registration = {
      accidentReportId: null,
      worker: {
        name: w.name!,
        idNumber: w.id_number!,
        phone: w.phone!,
        industry: w.industry as Registration['worker']['industry'],
        platforms: JSON.parse(w.platforms!),
      },
      accident: {
        at: String(c.accident_at).slice(0, 16),
        place: String(c.place),
        description: String(c.description),
        injuries: JSON.parse(String(c.injuries)),
        orders: JSON.parse(String(c.orders)),
        trafficAccident: c.traffic_accident === 1,
        exclusions: JSON.parse(String(c.exclusions)),
        alsoWorkInjuryClaim: false,
      },
      applicant: {
        kind: c.applicant_kind as Registration['applicant']['kind'],
        name: String(c.applicant_name),
        applicationDate: String(c.application_date),
      },
      treatment: {
        outpatientOnly: c.outpatient_only === 1,
        hospitalized: c.hospitalized === 1,
        factsClear: c.facts_clear === 1,
        disputed: c.disputed === 1,
      },
    };
    let twin = '';
    let billIdx = 0;
    let reimburseIdx = 0;
    let moveIdx = 0;
    const twinBills: string[] = [];
    for (const s of steps) {
      const token = await as(s);
      const version = twin ? (await t.call('cases.get', { caseId: twin }, token)).version : 0;
      switch (s.method) {
        case 'cases.register':
          twin = (await t.call('cases.register', reg, token)).caseId;
          break;
        case 'cases.setMaterials': {
          const m = q<{ code: string }>('SELECT code FROM case_materials WHERE case_id = ? ORDER BY rowid', twin);
          await t.call(
            'cases.setMaterials',
            { caseId: twin, expectedVersion: version, materials: m.map((x) => ({ code: x.code, received: true })) },
            token,
          );
          break;
        }
        case 'cases.transition': {
          const mv = moves[moveIdx++]!;
          const extra = mv.action === 'confirm' || mv.action === 'not_confirm' ? { article: String(c.decision_article) } : {};
          await t.call(
            'cases.transition',
            { caseId: twin, action: mv.action as CaseAction, expectedVersion: version, reason: mv.reason, ...extra },
            token,
          );
          break;
        }
        case 'bills.add': {
          const b = bills[billIdx++]!;
          const toYuan = (fen: unknown) => (Number(fen) / 100).toFixed(2);
          const { billId } = await t.call(
            'bills.add',
            {
              caseId: twin,
              billDate: String(b.bill_date),
              hospital: String(b.hospital),
              invoiceNo: `${String(b.invoice_no)}R`,
              amount: toYuan(b.amount_fen),
              eligible: toYuan(b.eligible_fen),
              submittedDate: String(b.submitted_date),
            },
            token,
          );
          twinBills.push(billId);
          break;
        }
        case 'bills.reimburse':
          await t.call('bills.reimburse', { billId: twinBills[reimburseIdx++]! }, token);
          break;
        default:
          throw new Error(`unexpected step ${s.method}`);
      }
    }
    t.clock.set(new Date('2026-11-24T02:00:00Z'));

    // Same rows, numbers and ids aside.
    const tc = one<Record<string, unknown>>('SELECT * FROM cases WHERE id = ?', twin);
    const numbers = (s: string) =>
      s.replaceAll(String(tc.registration_no), String(c.registration_no)).replaceAll(String(tc.case_no), String(c.case_no));
    const norm = (row: Record<string, unknown>) => {
      const { id: _i, registration_no: _r, case_no: _c, office: _o, ...rest } = row;
      const a = JSON.parse(String(rest.assessment));
      a.duplicates = [];
      return { ...rest, assessment: a };
    };
    expect(norm(tc)).toEqual(norm(c));
    const rowsOf = (sql: string, id: string) => q<Record<string, unknown>>(sql, id).map(({ id: _i, case_id: _c, ...x }) => x);
    expect(rowsOf('SELECT * FROM case_materials WHERE case_id = ? ORDER BY rowid', twin)).toEqual(
      rowsOf('SELECT * FROM case_materials WHERE case_id = ? ORDER BY rowid', bulkId),
    );
    expect(rowsOf('SELECT * FROM case_transitions WHERE case_id = ? ORDER BY at, rowid', twin)).toEqual(
      rowsOf('SELECT * FROM case_transitions WHERE case_id = ? ORDER BY at, rowid', bulkId),
    );
    expect(
      rowsOf('SELECT * FROM medical_bills WHERE case_id = ? ORDER BY entered_at, rowid', twin).map((b) => ({
        ...b,
        invoice_no: String(b.invoice_no).replace(/R$/, ''),
      })),
    ).toEqual(rowsOf('SELECT * FROM medical_bills WHERE case_id = ? ORDER BY entered_at, rowid', bulkId));
    // The trigram index keeps no text (contentless): the bulk case is found by fragments of each field.
    const bulkCase = one<{ name: string; id_number: string; phone: string; registration_no: string }>(
      'SELECT w.name, w.id_number, w.phone, c.registration_no FROM cases c JOIN workers w ON w.id = c.worker_id WHERE c.id = ?',
      bulkId,
    );
    for (const fragment of [bulkCase.id_number.slice(-6), bulkCase.phone.slice(-5), bulkCase.registration_no.slice(-6)])
      expect(
        q<{ id: string }>(
          'SELECT c.id FROM case_search s JOIN cases c ON c.rowid = s.rowid WHERE case_search MATCH ?',
          `"${fragment}"`,
        ).map((r) => r.id),
        fragment,
      ).toContain(bulkId);
    const terms = (id: string) =>
      q<{ term: string }>('SELECT term FROM case_search_terms WHERE case_rowid = (SELECT rowid FROM cases WHERE id = ?)', id)
        .map((x) => numbers(x.term).replace(/(E\d+)R$/, '$1'))
        .sort();
    expect(terms(twin)).toEqual(terms(bulkId));
    const audit = (id: string) =>
      // The twin is a possible duplicate of the bulk case (same person, same day) and its invoices carry an R.
      stepsOf(id).map(({ seq: _s, ...e }) => ({
        ...e,
        summary: numbers(e.summary)
          .replace('、疑似重复', '')
          .replace(/(E\d+)R(，|$)/g, '$1$2'),
      }));
    expect(audit(twin)).toEqual(audit(bulkId));
  });
});
