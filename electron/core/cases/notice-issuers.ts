// Which intake documents a case can have now, and whether this person may issue them: the
// status rules, and the issuer rules of the contract (CASE_NOTICE_ISSUERS), where a decision
// notice is issued only by the confirmation officer who decided the case.
import type { CasesTable } from '../db-schema';
import type { User } from '../../../shared/api/methods/auth';
import { CASE_NOTICE_ISSUERS } from '../../../shared/api/methods/notices';
import { INTAKE_NOTICE_TYPES, NOTICE_LABELS, type IntakeNoticeType } from '../../../shared/notices/schemas';
import { ROLE_LABELS } from '../../../shared/roles';

/** The statuses in which each intake document can be issued. */
export const NOTICE_STATUSES: Record<IntakeNoticeType, string[]> = {
  acceptance: [
    'accepted',
    'confirmed',
    'not_confirmed',
    'in_treatment',
    'awaiting_appraisal',
    'appraised',
    'benefits_determined',
    'deceased',
    'closed',
  ],
  supplement: ['awaiting_supplement'],
  confirmation: ['confirmed', 'in_treatment', 'awaiting_appraisal', 'appraised', 'benefits_determined', 'deceased', 'closed'],
  'non-confirmation': ['not_confirmed', 'closed'],
};

type CaseFacts = Pick<CasesTable, 'status' | 'decision_article' | 'decided_at' | 'decided_by'>;

/** Why the case cannot have this document now, or null. */
export function statusBlocks(c: CaseFacts, type: IntakeNoticeType): string | null {
  if (
    !NOTICE_STATUSES[type].includes(c.status) ||
    (type === 'non-confirmation' && !c.decision_article) ||
    (type === 'confirmation' && !c.decided_at)
  )
    return '案件当前状态不能出具该文书';
  return null;
}

/** Why this person may not issue the document for this case, or null. */
export function issuerBlocks(c: CaseFacts, type: IntakeNoticeType, user: User | null): string | null {
  const rule = CASE_NOTICE_ISSUERS[type];
  if (user && rule.orRoles.some((r) => user.roles.includes(r))) return null;
  if (!user || !rule.roles.some((r) => user.roles.includes(r)))
    return `${NOTICE_LABELS[type]}只能由${rule.roles.map((r) => ROLE_LABELS[r]).join('或')}出具`;
  if (rule.deciderOnly && c.decided_by !== user.id) return `${NOTICE_LABELS[type]}只能由作出该确认决定的确认经办本人出具`;
  return null;
}

/** The intake documents this person may issue for the case now. */
export function issuableNotices(c: CaseFacts, user: User): IntakeNoticeType[] {
  return INTAKE_NOTICE_TYPES.filter((t) => !statusBlocks(c, t) && !issuerBlocks(c, t, user));
}
