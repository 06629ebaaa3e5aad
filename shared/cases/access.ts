// Who sees which cases, and how much of the person: the role × data rules in one table (the
// matrix in docs/architecture.md is this table). Rights of several roles add up, case by case:
// a role scoped to hearings contributes only for cases on a hearing the person sits on.
import type { Role } from '../roles';

export interface RoleCaseRights {
  /** 'all' cases, or only the cases of the hearings (专场) the person sits on as an expert. */
  scope: 'all' | 'hearings';
  /** The full ID number and phone; otherwise masked (110108********1234, 138****8000). */
  fullIdentity: boolean;
  /** Opening scanned materials (ID card, medical records). */
  attachments: boolean;
  /** The payee's full bank account number; otherwise only its last four digits (尾号1234). */
  payeeAccount: boolean;
}

export const ROLE_CASE_RIGHTS: Record<Role, RoleCaseRights | null> = {
  // Accounts, settings, reference data and the audit trail: cases only as far as support needs.
  admin: { scope: 'all', fullIdentity: false, attachments: false, payeeAccount: false },
  intake_clerk: { scope: 'all', fullIdentity: true, attachments: true, payeeAccount: true },
  confirmation_officer: { scope: 'all', fullIdentity: true, attachments: true, payeeAccount: false },
  // The clerk types the account at registration and checks it against the bank card; only the
  // benefit side (who pays) needs it whole afterwards.
  // The secretary registers the person at the table and sends the notices.
  appraisal_secretary: { scope: 'all', fullIdentity: true, attachments: true, payeeAccount: false },
  // The leader signs on the panel's findings: the medical record, not the person's contacts.
  appraisal_leader: { scope: 'all', fullIdentity: false, attachments: true, payeeAccount: false },
  appraisal_expert: { scope: 'hearings', fullIdentity: false, attachments: true, payeeAccount: false },
  // Payment needs the full identity.
  benefit_officer: { scope: 'all', fullIdentity: true, attachments: true, payeeAccount: true },
  benefit_reviewer: { scope: 'all', fullIdentity: true, attachments: true, payeeAccount: true },
  // 社保复核, the second round of a determination's review: the same payment facts.
  insurance_reviewer: { scope: 'all', fullIdentity: true, attachments: true, payeeAccount: true },
  // 业务主管 watches figures and 疑点 across the office: every case, never the person's contacts or scans.
  manager: { scope: 'all', fullIdentity: false, attachments: false, payeeAccount: false },
};

export interface CaseRights {
  visible: boolean;
  fullIdentity: boolean;
  attachments: boolean;
  payeeAccount: boolean;
}

/** The rights of a person with these roles on one case; `onTheirHearing` says whether they sit on a hearing of it. */
export function caseRights(roles: readonly Role[], onTheirHearing: boolean): CaseRights {
  const out: CaseRights = { visible: false, fullIdentity: false, attachments: false, payeeAccount: false };
  for (const role of roles) {
    const r = ROLE_CASE_RIGHTS[role];
    if (!r || (r.scope === 'hearings' && !onTheirHearing)) continue;
    out.visible = true;
    out.fullIdentity ||= r.fullIdentity;
    out.attachments ||= r.attachments;
    out.payeeAccount ||= r.payeeAccount;
  }
  return out;
}

/** Whether any of the roles sees all cases (else: only the cases of their hearings). */
export function seesAllCases(roles: readonly Role[]): boolean {
  return roles.some((r) => ROLE_CASE_RIGHTS[r]?.scope === 'all');
}
