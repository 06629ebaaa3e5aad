// Upgrading a store the previous release left: migration 303 gives every case already awaiting
// appraisal its 鉴定申请, so nothing a user had in progress is stranded.
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { storeKey } from '../../electron/core/store-key';
import { describe, expect, it } from 'vitest';
import { STORE_FILE } from '../../electron/core/db';
import { makeTestCore, openTestCore, setupAdmin, signIn } from '../helpers/core';
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
