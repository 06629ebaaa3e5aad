// The 同步冲突 inbox on the wire (docs/sync-protocol.md §10): `GET /v1/conflicts` answers the
// conflicts the requesting device's office must decide — stale edits (both versions) and possible
// duplicates (both registrations) — open ones and those decided lately, so every device of the
// office learns the decision. A decision travels back as an ordinary replicated row
// (`conflict_decisions`), never through this endpoint. Pure: no Node, no DOM.
import { z } from 'zod';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, '编号格式不正确');
const row = z.record(z.string(), z.unknown()).nullable();

export const CONFLICT_KINDS = ['stale', 'duplicate'] as const;

/** What a person may decide: keep the device's edit, keep the centre's, or (duplicates) same / not the same. */
export const CONFLICT_DECISIONS = ['device', 'centre', 'duplicate', 'distinct'] as const;
export type ConflictDecision = (typeof CONFLICT_DECISIONS)[number];

export const centreConflictSchema = z.object({
  id: uuid,
  conflictKind: z.enum(CONFLICT_KINDS),
  /** The RPC method of the mutation that met the conflict (or that registered the duplicate). */
  mutationKind: z.string().max(80),
  table: z.string().max(80),
  key: z.record(z.string(), z.union([z.string(), z.number()])),
  /** The device that made the edit (or registered the later case). */
  deviceId: uuid.nullable(),
  deviceOp: z.enum(['upsert', 'delete']),
  baseVersion: z.number().int().nullable(),
  deviceVersion: z.number().int(),
  deviceRow: row,
  centreVersion: z.number().int().nullable(),
  centreDeleted: z.boolean().nullable(),
  centreRow: row,
  detail: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string().max(40),
  resolvedAt: z.string().max(40).nullable(),
  resolution: z.string().max(20).nullable(),
});
export type CentreConflict = z.infer<typeof centreConflictSchema>;

export const conflictsReplySchema = z.object({ ok: z.literal(true), conflicts: z.array(centreConflictSchema).max(1000) });
export type ConflictsReply = z.infer<typeof conflictsReplySchema>;
