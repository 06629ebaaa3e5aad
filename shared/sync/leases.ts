// Document-number leases on the wire (docs/sync-protocol.md §9): the device reports how far it has
// used each lease and which it hands back; the centre answers with every lease the device holds,
// each signed with the centre's key over leaseSigningText, so a device accepts a block only from
// the centre it pinned at enrolment. Pure: no Node, no DOM.
import { z } from 'zod';
import { canonical } from '../crypto/canonical';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, '编号格式不正确');
const b64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, '编码格式不正确')
  .max(400);
const seqNo = z.number().int().min(1).max(99_999_999);

/** One block of a series (document type, year, issuer) leased to one device. */
export const leaseSchema = z.object({
  id: uuid,
  deviceId: uuid,
  series: z.string().min(1).max(40),
  year: z.number().int().min(2000).max(2200),
  issuer: z.string().min(1).max(200),
  /** The 文号 pattern, e.g. 青人社鉴〔{year}〕第{seq:4}号 (shared/notices/layout.ts formatDocumentNo). */
  pattern: z.string().min(1).max(200),
  first: seqNo,
  last: seqNo,
  leasedAt: z.string().max(40),
});
export type Lease = z.infer<typeof leaseSchema>;

export const signedLeaseSchema = z.object({ lease: leaseSchema, keyId: z.string().max(64), signature: b64 });
export type SignedLease = z.infer<typeof signedLeaseSchema>;

export const leasesRequestSchema = z.object({
  /** Per lease still in use here: the next number this device would take. */
  usage: z.array(z.object({ leaseId: uuid, next: seqNo })).max(1000),
  /** Leases closed here: numbers from `from` on were never used and go back to the centre. */
  returns: z.array(z.object({ leaseId: uuid, from: seqNo })).max(1000),
});
export type LeasesRequest = z.infer<typeof leasesRequestSchema>;

export const leasesReplySchema = z.object({
  ok: z.literal(true),
  /** Every lease the centre has this device holding (so a reply lost on the way is simply asked again). */
  leases: z.array(signedLeaseSchema).max(1000),
  /** The hand-backs the centre has recorded (asked again, they are answered again). */
  returned: z.array(uuid).max(1000),
});
export type LeasesReply = z.infer<typeof leasesReplySchema>;

/** What the centre signs for a lease: the whole lease, canonical, under a format tag. */
export function leaseSigningText(l: Lease): string {
  return canonical({ format: 'oip-number-lease/1', lease: l });
}
