// Who holds each case, on the wire (docs/sync-protocol.md §11): `GET /v1/holders` answers, for the
// cases the device's office sees, the one office that holds each (may change it). Pure.
import { z } from 'zod';
import { HOLDER_FREE_TABLES } from './tables';

export const caseHolderSchema = z.object({
  caseId: z.string().max(100),
  officeId: z.string().max(40),
  officeName: z.string().max(100),
  since: z.string().max(40),
});
export type CaseHolder = z.infer<typeof caseHolderSchema>;

export const holdersReplySchema = z.object({ ok: z.literal(true), holders: z.array(caseHolderSchema).max(100_000) });
export type HoldersReply = z.infer<typeof holdersReplySchema>;

/** The refusal code of a change to a case another office holds. */
export const NOT_HOLDER = 'NOT_HOLDER';

/**
 * A change any office that sees the case may make, holder or not: a new note or request to the
 * holder (HOLDER_FREE_TABLES). Changing one afterwards (the answer) is the holder's.
 */
export function holderFree(c: { table: string; op: 'upsert' | 'delete'; baseVersion: number | null }): boolean {
  return HOLDER_FREE_TABLES.has(c.table) && c.op === 'upsert' && c.baseVersion === null;
}
