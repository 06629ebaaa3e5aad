// Document-number leases on the device (issue #13; docs/sync-protocol.md §9): during a sync pass
// the device tells the centre how far it has used each leased block and which blocks it handed
// back, and stores the leases the centre answers with as doc_number_blocks (source 'sync') — but
// only leases signed by the centre key pinned at enrolment and made out to this device; one bad
// lease refuses the whole answer and nothing is written. Applying is one transaction with its
// audit entry. Numbers are then taken offline by notices/numbering.ts, in the transaction that
// stores each document.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { appendAudit } from '../audit';
import { verifyBytes } from '../crypto/ed25519';
import { leaseSigningText, type LeasesReply, type LeasesRequest } from '../../../shared/sync/leases';
import type { Enrolment } from './state';

type Db = Kysely<Database>;

export class LeaseRefused extends Error {}

/** What this device reports: usage of its open leases, and hand-backs the centre has not confirmed. */
export async function leaseRequest(db: Db): Promise<LeasesRequest> {
  const rows = await db
    .selectFrom('doc_number_blocks')
    .select(['lease_id', 'next_no', 'returned_from', 'return_acked_at'])
    .where('lease_id', 'is not', null)
    .where('return_acked_at', 'is', null)
    .execute();
  const usage: LeasesRequest['usage'] = [];
  const returns: LeasesRequest['returns'] = [];
  for (const r of rows) {
    if (r.returned_from !== null) returns.push({ leaseId: r.lease_id!, from: r.returned_from });
    else usage.push({ leaseId: r.lease_id!, next: r.next_no });
  }
  return { usage, returns };
}

/** Stores the centre's answer (verified whole first). Returns how many leases were new here and how many hand-backs were confirmed. */
export async function applyLeaseReply(
  db: Db,
  clock: Clock,
  enrolment: Enrolment,
  reply: LeasesReply,
): Promise<{ added: number; confirmed: number }> {
  for (const s of reply.leases) {
    const l = s.lease;
    if (s.keyId !== enrolment.centreKeyId || !verifyBytes(enrolment.centrePublicKey, Buffer.from(leaseSigningText(l), 'utf8'), s.signature))
      throw new LeaseRefused('中心发来的文号号段签名核验不通过，本机未采用（号段保持不变）。若一再出现请联系中心管理员');
    if (l.deviceId !== enrolment.deviceId) throw new LeaseRefused('中心发来的文号号段不是分配给本机的，本机未采用');
    if (l.last < l.first || !/\{seq(?::\d+)?\}/.test(l.pattern)) throw new LeaseRefused('中心发来的文号号段格式不正确，本机未采用');
  }
  if (!db.isTransaction) return db.transaction().execute((trx) => applyLeaseReply(trx, clock, enrolment, reply));
  const now = chinaInstant(clock.now());
  let added = 0;
  const addedText: string[] = [];
  for (const { lease: l, keyId, signature } of reply.leases) {
    const have = await db.selectFrom('doc_number_blocks').selectAll().where('lease_id', '=', l.id).executeTakeFirst();
    if (have) {
      if (have.first_no !== l.first || have.last_no !== l.last || have.series !== l.series || have.year !== l.year)
        throw new LeaseRefused(`中心对号段 ${l.series} ${l.year} 年 ${l.first}–${l.last} 的记录与本机不一致，本机未采用，请联系中心管理员`);
      continue;
    }
    // The centre never leases one number twice; a lease overlapping one we hold means something is wrong there.
    const overlap = await db
      .selectFrom('doc_number_blocks')
      .select(['first_no', 'last_no'])
      .where('lease_id', 'is not', null)
      .where('year', '=', l.year)
      .where('pattern', '=', l.pattern)
      .where('first_no', '<=', l.last)
      .where('last_no', '>=', l.first)
      .executeTakeFirst();
    if (overlap)
      throw new LeaseRefused(
        `中心发来的号段 ${l.first}–${l.last} 与本机已有的中心号段 ${overlap.first_no}–${overlap.last_no} 重叠，本机未采用，请联系中心管理员`,
      );
    await db
      .insertInto('doc_number_blocks')
      .values({
        id: newId(),
        series: l.series,
        pattern: l.pattern,
        issuer: l.issuer,
        year: l.year,
        first_no: l.first,
        last_no: l.last,
        next_no: l.first,
        source: 'sync',
        created_at: now,
        lease_id: l.id,
        lease_key_id: keyId,
        lease_signature: signature,
        leased_at: l.leasedAt,
      })
      .execute();
    added++;
    addedText.push(`${l.series} ${l.year} 年 ${l.first}–${l.last}`);
  }
  let confirmed = 0;
  if (reply.returned.length > 0) {
    const r = await db
      .updateTable('doc_number_blocks')
      .set({ return_acked_at: now })
      .where('lease_id', 'in', reply.returned)
      .where('returned_from', 'is not', null)
      .where('return_acked_at', 'is', null)
      .executeTakeFirst();
    confirmed = Number(r.numUpdatedRows);
  }
  if (added > 0 || confirmed > 0)
    await appendAudit(db, {
      at: now,
      actorId: null,
      actorName: '中心同步',
      method: 'sync.leases',
      action: 'sync.leases',
      entity: 'doc_number_block',
      entityId: null,
      summary: [added > 0 ? `中心分配文号号段：${addedText.join('；')}` : '', confirmed > 0 ? `中心确认收回 ${confirmed} 个交还的号段` : '']
        .filter(Boolean)
        .join('；'),
    });
  return { added, confirmed };
}

/** One exchange with the centre: report, receive, store. */
export async function exchangeLeases(
  db: Db,
  clock: Clock,
  enrolment: Enrolment,
  client: { leases(req: LeasesRequest): Promise<LeasesReply> },
): Promise<{ added: number; confirmed: number }> {
  const reply = await client.leases(await leaseRequest(db));
  return applyLeaseReply(db, clock, enrolment, reply);
}
