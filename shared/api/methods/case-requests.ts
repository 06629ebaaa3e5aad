// Notes and requests to the office holding a case (issue #13, docs/sync-protocol.md §12): any
// person who may see a case (shared/cases/access.ts) may leave one, on whichever office's
// computer — the one record a non-holder may write; the holder's staff answer it. Replicated and
// audited like every change (table case_requests, device migration 553).
import { z } from 'zod';
import { method } from '../define';
import { idSchema } from '../common';
import { CASE_READERS } from './cases';
import type { Role } from '../../roles';

export const CASE_REQUEST_KINDS = ['note', 'handover', 'materials', 'other'] as const;
export type CaseRequestKind = (typeof CASE_REQUEST_KINDS)[number];
export const CASE_REQUEST_KIND_LABELS: Record<CaseRequestKind, string> = {
  note: '备注',
  handover: '请求移交',
  materials: '请求材料',
  other: '其他请求',
};

/** Who may leave one: every role that sees cases (its scope is checked case by case). */
export const CASE_REQUEST_WRITERS: readonly Role[] = CASE_READERS;
/** Who answers for the holder: the staff who work cases (not the pool's experts, not account administration). */
export const CASE_REQUEST_ANSWERERS: readonly Role[] = [
  'intake_clerk',
  'confirmation_officer',
  'appraisal_secretary',
  'appraisal_leader',
  'benefit_officer',
  'benefit_reviewer',
  'insurance_reviewer',
  'manager',
];

const text = (max: number, what: string) => z.string().trim().min(1, `请填写${what}`).max(max, `${what}不能超过 ${max} 个字`);

export const caseRequestItemSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  /** 受理编号, else 登记号. */
  caseLabel: z.string(),
  workerName: z.string(),
  kind: z.enum(CASE_REQUEST_KINDS),
  kindLabel: z.string(),
  body: z.string(),
  fromOffice: z.string(),
  fromName: z.string(),
  createdAt: z.string(),
  status: z.enum(['open', 'answered']),
  answer: z.string().nullable(),
  answeredByName: z.string().nullable(),
  answeredAt: z.string().nullable(),
  /** This computer's office holds the case (or no centre has said otherwise): its staff may answer. */
  heldHere: z.boolean(),
});
export type CaseRequestItem = z.infer<typeof caseRequestItemSchema>;

export const caseRequestMethods = {
  'caseRequests.create': method({
    label: '给办理机构留言或提出请求',
    access: CASE_REQUEST_WRITERS,
    mutates: true,
    input: z.object({ caseId: idSchema, kind: z.enum(CASE_REQUEST_KINDS), body: text(500, '内容') }),
    output: z.object({ id: z.string() }),
  }),
  'caseRequests.list': method({
    label: '查看留言与请求',
    access: CASE_REQUEST_WRITERS,
    mutates: false,
    // With a case: that case's, any status. Without: the inbox — those on cases this office holds.
    input: z.object({ caseId: idSchema.nullable().default(null), show: z.enum(['open', 'all']).default('open') }),
    output: z.array(caseRequestItemSchema),
  }),
  'caseRequests.answer': method({
    label: '答复留言或请求',
    access: CASE_REQUEST_ANSWERERS,
    mutates: true,
    input: z.object({ id: idSchema, answer: text(500, '答复') }),
    output: z.object({ ok: z.literal(true) }),
  }),
};
