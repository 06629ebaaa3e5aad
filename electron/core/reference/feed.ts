// The device's side of the centre's reference feed (issue #13): pages of signed items after the
// stored cursor, each checked against the centre key pinned at enrolment and applied whole, or
// refused whole with its reason kept for the 同步 page (store.ts). Runs in a sync pass, after pull.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import type { Clock } from '../clock';
import type { CentreClient } from '../sync/centre-client';
import type { Enrolment } from '../sync/state';
import { applyReferenceItems, referenceCursor, type ApplyOutcome } from './store';

const PAGE = 50;

export async function pullReferenceItems(
  db: Kysely<Database>,
  clock: Clock,
  client: Pick<CentreClient, 'reference'>,
  enrolment: Pick<Enrolment, 'centrePublicKey' | 'officeId'>,
): Promise<ApplyOutcome> {
  const total: ApplyOutcome = { applied: 0, rejected: [] };
  for (let pages = 0; pages < 1000; pages++) {
    const after = await referenceCursor(db);
    const reply = await client.reference(after, PAGE);
    if (reply.items.length === 0) break;
    const out = await applyReferenceItems(db, clock, enrolment.centrePublicKey, enrolment.officeId, reply.items);
    total.applied += out.applied;
    total.rejected.push(...out.rejected);
    if (!reply.more) break;
  }
  return total;
}
