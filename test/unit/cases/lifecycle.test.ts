import { describe, expect, it } from 'vitest';
import { availableActions, CASE_STATUSES, checkTransition, isOpen, TRANSITIONS, type CaseStatus } from '../../../shared/cases/lifecycle';

describe('case lifecycle', () => {
  it('reaches every status from registration', () => {
    const seen = new Set<CaseStatus>(['registered']);
    for (let changed = true; changed;) {
      changed = false;
      for (const t of TRANSITIONS) {
        if (t.from.some((f) => seen.has(f)) && !seen.has(t.to)) {
          seen.add(t.to);
          changed = true;
        }
      }
    }
    expect([...seen].sort()).toEqual([...CASE_STATUSES].sort());
  });

  it('has no way out of the final statuses', () => {
    for (const s of ['closed', 'withdrawn', 'terminated'] as const) {
      expect(isOpen(s)).toBe(false);
      expect(TRANSITIONS.filter((t) => t.from.includes(s))).toEqual([]);
    }
  });

  it.each([
    ['registered', 'accept', ['intake_clerk'], true],
    ['registered', 'confirm', ['confirmation_officer'], false],
    ['accepted', 'confirm', ['intake_clerk'], false],
    ['accepted', 'confirm', ['confirmation_officer'], true],
    ['closed', 'withdraw', ['intake_clerk'], false],
    ['appraised', 'request_reappraisal', ['appraisal_secretary'], true],
    ['benefits_determined', 'request_review', ['appraisal_secretary'], true],
    ['closed', 'request_review', ['appraisal_secretary'], false],
  ] as const)('from %s, %s by %j → %s', (from, action, roles, ok) => {
    expect(checkTransition(from, action, roles).ok).toBe(ok);
  });

  it('says in Chinese why a move is refused', () => {
    const wrongState = checkTransition('closed', 'accept', ['intake_clerk']);
    expect(wrongState.ok === false && wrongState.message).toBe('案件当前为“已办结”，不能“受理”（仅限已登记、待补正的案件）');
    const wrongRole = checkTransition('accepted', 'not_confirm', ['intake_clerk']);
    expect(wrongRole.ok === false && wrongRole.message).toBe('“不予确认”需要由确认经办办理');
  });

  it('offers a clerk only the moves a clerk can make', () => {
    expect(
      availableActions('registered', ['intake_clerk'])
        .map((t) => t.action)
        .sort(),
    ).toEqual(['accept', 'record_death', 'request_supplement', 'terminate', 'withdraw']);
    expect(availableActions('registered', ['benefit_reviewer'])).toEqual([]);
  });
});
