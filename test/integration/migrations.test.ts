// Upgrading a store the previous release left: migration 303 gives every case already awaiting
// appraisal its 鉴定申请, so nothing a user had in progress is stranded.
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { storeKey } from '../../electron/core/store-key';
import { describe, expect, it } from 'vitest';
import { STORE_FILE } from '../../electron/core/db';
import { makeTestCore, openTestCore, setupAdmin, signIn, tempDir } from '../helpers/core';
import { migrations, runMigrations } from '../../electron/core/migrations/index';
import { staff } from '../helpers/intake';
import { appraisalStaff, precheck, requestedCase, STAFF_PASSWORD } from '../helpers/appraisal';

describe('migrations 303 (appraisal requests) and 304 (专场 tables renamed)', () => {
  it('backfills a request for a case awaiting appraisal, which can then be pre-checked', async () => {
    const t = makeTestCore();
    const admin = await setupAdmin(t);
    const s = await staff(t, admin);
    const { secretary } = await appraisalStaff(t, admin);
    const caseId = await requestedCase(t, { ...s, secretary });
    await t.close();

    // The store as the release before 303 left it: no requests table, no new columns, and the
    // 专场 tables under their old names (304 renames them).
    const raw = new BetterSqlite3(path.join(t.dir, STORE_FILE));
    raw.pragma(`key = "x'${storeKey(t.dir).toString('hex')}'"`);
    raw.exec(`ALTER TABLE appraisal_conclusions RENAME COLUMN hearing_id TO session_id;
      ALTER TABLE expert_opinions RENAME COLUMN hearing_id TO session_id;
      ALTER TABLE hearing_cases RENAME COLUMN hearing_id TO session_id;
      ALTER TABLE hearing_cases RENAME TO session_cases;
      ALTER TABLE hearings RENAME COLUMN hearing_no TO session_no;
      ALTER TABLE hearings RENAME TO appraisal_sessions;
      DROP TABLE appraisal_requests;
      ALTER TABLE appraisal_conclusions DROP COLUMN request_id;
      ALTER TABLE session_cases DROP COLUMN heard_at;
      DELETE FROM schema_migrations WHERE version IN (303, 304);`);
    raw.close();

    const again = openTestCore(t.dir, new Date('2026-11-25T02:00:00Z'));
    try {
      const sec = await signIn(again, 'secretary', STAFF_PASSWORD);
      const { requests } = await again.call('appraisal.requests', { caseId }, sec);
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ kind: 'initial', level: 'municipal', requestedOn: '2026-11-24', precheckResult: null });
      expect(requests[0]!.requestNo).toMatch(/^JS-/);
      expect((await precheck(again, sec, caseId)).result).toBe('complete');
    } finally {
      await again.cleanup();
    }
  });
});

/**
 * A plain store as a previous release left it (the core encrypts it in place on open), with one
 * case whose bills straddle the platform's range and one approved single-review determination.
 * `outbox`: that release already had the outbox (500–502; its baseline, taken with its own
 * catalogue, is not rerun here and the old rows count as sent).
 */
function oldStore(outbox: boolean): string {
  const dir = tempDir();
  const raw = new BetterSqlite3(path.join(dir, STORE_FILE));
  const legal = [120, 220, 221, 310, 519];
  runMigrations(
    raw,
    migrations
      .filter((m) => !legal.includes(m.version) && (outbox || m.version < 500))
      .map((m) => (m.version === 502 ? { ...m, run: undefined } : m)),
  );
  const at = '2026-11-24T10:00:00+08:00';
  raw.exec(`
    INSERT INTO users (id, username, display_name, password_hash, password_salt, created_at, updated_at)
      VALUES ('u1', 'old', '旧用户', 'x', 'y', '${at}', '${at}'), ('u2', 'rev', '旧复核', 'x', 'y', '${at}', '${at}');
    INSERT INTO workers (id, name, id_number, phone, industry, platforms, created_at, updated_at)
      VALUES ('w1', '单通', '110108199503151234', '13800138000', 'instant_delivery', '["meituan"]', '${at}', '${at}');
    INSERT INTO cases (id, registration_no, status, worker_id, accident_at, accident_date, place, description, injuries, orders,
      responsible_platform, applicant_kind, applicant_name, application_date, outpatient_only, hospitalized, facts_clear, disputed,
      traffic_accident, exclusions, also_work_injury_claim, fast_track, assessment, registered_by, registered_at, updated_at)
      VALUES ('c1', 'DJ2026-OLD-000001', 'benefits_determined', 'w1', '2026-09-20T12:30:00+08:00', '2026-09-20', '西宁', '摔倒', '[]', '[]',
      'meituan', 'worker', '单通', '2026-11-23', 0, 0, 1, 0, 0, '[]', 0, 0,
      '{"timeliness":{"platformBearsCostsFrom":"2026-09-20","platformBearsCostsTo":"2026-11-23"}}', 'u1', '${at}', '${at}');
    INSERT INTO medical_bills (id, case_id, bill_date, hospital, invoice_no, amount_fen, eligible_fen, submitted_date, entered_by, entered_at)
      VALUES ('b1', 'c1', '2026-10-01', '医院', 'A1', 100, 100, '2026-11-24', 'u1', '${at}'),
             ('b2', 'c1', '2026-11-24', '医院', 'A2', 100, 100, '2026-11-24', 'u1', '${at}');
    INSERT INTO benefit_determinations (id, case_id, facts, result, status, prepared_by, prepared_at, reviewed_by, reviewed_at, review_reason)
      VALUES ('d1', 'c1', '{}', '{}', 'approved', 'u1', '${at}', 'u2', '${at}', '');
  `);
  if (outbox) raw.exec('DELETE FROM sync_capture');
  raw.close();
  return dir;
}

describe('migrations 120, 220 and 310 (送达, death, the review chain) on a store from before them', () => {
  it('sorts existing bills by the platform range their case recorded, keeps one-round reviews as they were, and sends both', async () => {
    const dir = oldStore(true);
    const t = openTestCore(dir);
    try {
      const q = (sql: string) => t.store.sqlite.prepare(sql).all();
      expect(q('SELECT id, payer FROM medical_bills ORDER BY id')).toEqual([
        { id: 'b1', payer: 'platform' },
        { id: 'b2', payer: 'fund' },
      ]);
      expect(q('SELECT determination_id, case_id, round, role, reviewer_id, decision FROM determination_reviews')).toEqual([
        { determination_id: 'd1', case_id: 'c1', round: 1, role: 'benefit_reviewer', reviewer_id: 'u2', decision: 'approved' },
      ]);
      expect(q('SELECT review_chain, review_round, provisional FROM benefit_determinations')).toEqual([
        { review_chain: '[{"role":"benefit_reviewer","label":"待遇复核","body":"委托承办机构"}]', review_round: 1, provisional: 0 },
      ]);
      expect(q('SELECT circumstance FROM cases')).toEqual([{ circumstance: '{"item":"order"}' }]);
      expect(() => t.store.sqlite.prepare("UPDATE determination_reviews SET reason = 'x'").run()).toThrow(/不能修改/);
      // The carried-over review is written before its table has triggers: 519 enqueues it; the
      // bill's new payer was captured and travels with the next call's mutation.
      const sent = q("SELECT kind, rows FROM sync_outbox WHERE entity = 'determination_reviews'") as { kind: string; rows: string }[];
      expect(sent.map((m) => m.kind)).toEqual(['sync.baseline']);
      expect(JSON.parse(sent[0]!.rows)).toMatchObject([{ table: 'determination_reviews', key: { determination_id: 'd1', round: 1 } }]);
      expect(q("SELECT key FROM sync_capture WHERE tbl = 'medical_bills'")).toEqual([{ key: '["b1"]' }]);
      for (const tbl of ['case_deaths', 'dependants', 'determination_reviews', 'voided_documents', 'deliveries'])
        expect(q(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '${tbl}_sync_%'`), tbl).toHaveLength(3);
    } finally {
      await t.cleanup();
    }
  });
  it('sends the carried-over review once on a store that had neither the outbox nor the new tables', async () => {
    const t = openTestCore(oldStore(false));
    try {
      const sent = t.store.sqlite.prepare("SELECT kind, rows FROM sync_outbox WHERE entity = 'determination_reviews'").all() as {
        kind: string;
        rows: string;
      }[];
      expect(sent).toHaveLength(1);
      expect(JSON.parse(sent[0]!.rows)).toHaveLength(1);
    } finally {
      await t.cleanup();
    }
  });
});
