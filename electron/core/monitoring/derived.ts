// Keeps the desk's projections true in the same transaction as every change: triggers mark the
// cases a write touches in case_dirty (migrations/desk.ts); before the dispatcher commits it calls
// refreshDirty, which recomputes those cases' clocks (clock-projection.ts), monitoring facts
// (shared/monitoring/case-facts.ts), approved benefit lines and 疑点 flags (screening/), then
// clears the marks. rebuildAll recomputes every case (after a change of rule packs, calendar
// or categories, and when a store is filled in bulk).
import type { Kysely } from 'kysely';
import type { BenefitFactsTable, CaseFactsTable, Database } from '../db-schema';
import type { Clock } from '../clock';
import { clockSources } from '../cases/case-clocks';
import { caseFacts } from '../../../shared/monitoring/case-facts';
import { yuanToFen, type BenefitResult } from '../../../shared/rules';
import { projectClocks, writeClocks } from './clock-projection';
import { screenCases } from '../screening/screening';
import { derivedContext, derivedFingerprint, type DerivedContext } from './derived-context';

type Db = Kysely<Database>;

const CHUNK = 500;

function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** Recomputes every projection of the given cases (inside the caller's transaction). */
export async function refreshCases(db: Db, ctx: DerivedContext, caseIds: string[]): Promise<void> {
  for (const ids of chunks([...new Set(caseIds)])) {
    const sources = await clockSources(db, ctx.rules, ids);
    if (sources.size === 0) continue;
    const present = [...sources.keys()];
    const transitions = await db
      .selectFrom('case_transitions')
      .select(['case_id', 'action', 'by_user', 'at'])
      .where('case_id', 'in', present)
      .orderBy('at')
      .orderBy('id')
      .execute();
    const workers = await db
      .selectFrom('workers')
      .select(['id', 'industry'])
      .where('id', 'in', [...new Set([...sources.values()].map((s) => s.row.worker_id))])
      .execute();
    const industry = new Map(workers.map((w) => [w.id, w.industry]));
    const bills = await db
      .selectFrom('medical_bills')
      .select(['case_id', 'amount_fen', 'reimbursed_at'])
      .where('case_id', 'in', present)
      .execute();
    const determinations = await db
      .selectFrom('benefit_determinations')
      .select(['id', 'case_id', 'result', 'reviewed_at'])
      .where('case_id', 'in', present)
      .where('status', '=', 'approved')
      .execute();

    const lastActor = new Map<string, string>();
    const decision = new Map<string, 'confirmed' | 'not_confirmed'>();
    for (const t of transitions) {
      lastActor.set(t.case_id, t.by_user);
      if (t.action === 'confirm') decision.set(t.case_id, 'confirmed');
      if (t.action === 'not_confirm') decision.set(t.case_id, 'not_confirmed');
    }
    const billTotal = new Map<string, number>();
    const firstPaid = new Map<string, string>();
    const paid = (caseId: string, on: string) => {
      const prev = firstPaid.get(caseId);
      if (!prev || on < prev) firstPaid.set(caseId, on);
    };
    for (const b of bills) {
      billTotal.set(b.case_id, (billTotal.get(b.case_id) ?? 0) + b.amount_fen);
      if (b.reimbursed_at) paid(b.case_id, b.reimbursed_at.slice(0, 10));
    }
    for (const d of determinations) if (d.reviewed_at) paid(d.case_id, d.reviewed_at.slice(0, 10));

    const clocks = [];
    const facts: CaseFactsTable[] = [];
    for (const [id, s] of sources) {
      const c = s.row;
      const handler = lastActor.get(id) ?? c.registered_by;
      clocks.push(...projectClocks(id, s.on, ctx.today, handler, ctx.nearMemo));
      facts.push({
        case_id: id,
        ...caseFacts(
          {
            office: c.office ?? '',
            applicationDate: c.application_date,
            status: c.status,
            platform: c.responsible_platform,
            industry: industry.get(c.worker_id) ?? '',
            fastTrack: c.fast_track === 1,
            injuries: JSON.parse(c.injuries) as string[],
            description: c.description,
            trafficAccident: c.traffic_accident === 1,
            acceptedOn: c.accepted_at?.slice(0, 10) ?? null,
            decidedOn: c.decided_at?.slice(0, 10) ?? null,
            decision: decision.get(id) ?? null,
            firstPaidOn: firstPaid.get(id) ?? null,
            billTotalFen: billTotal.get(id) ?? 0,
            handlerId: handler,
          },
          ctx.rules.calendar,
          ctx.categories,
        ),
      });
    }
    await writeClocks(db, present, clocks);
    await db.deleteFrom('case_facts').where('case_id', 'in', present).execute();
    for (const part of chunks(facts, 100)) await db.insertInto('case_facts').values(part).execute();

    const lines: BenefitFactsTable[] = [];
    for (const d of determinations) {
      const result = JSON.parse(d.result) as BenefitResult;
      result.lines.forEach((l, i) =>
        lines.push({
          determination_id: d.id,
          line: i,
          case_id: d.case_id,
          office: sources.get(d.case_id)!.row.office ?? '',
          approved_on: (d.reviewed_at ?? '').slice(0, 10),
          code: l.code,
          label: l.label,
          payer: l.payer,
          period: l.period,
          amount_fen: yuanToFen(l.amount),
        }),
      );
    }
    await db.deleteFrom('benefit_facts').where('case_id', 'in', present).execute();
    for (const part of chunks(lines, 100)) await db.insertInto('benefit_facts').values(part).execute();
  }
  await screenCases(db, ctx, caseIds);
}

/**
 * Recomputes the cases marked dirty in this transaction and clears the marks. Called by the
 * dispatcher inside every mutating call's transaction (and by anything else that writes cases
 * outside the dispatcher, such as a sync pull).
 */
export async function refreshDirty(db: Db, clock: Clock): Promise<number> {
  const dirty = (await db.selectFrom('case_dirty').select('case_id').execute()).map((r) => r.case_id);
  if (dirty.length === 0) return 0;
  const ctx = await derivedContext(db, clock);
  await refreshCases(db, ctx, dirty);
  for (const ids of chunks(dirty)) await db.deleteFrom('case_dirty').where('case_id', 'in', ids).execute();
  return dirty.length;
}

export async function storedFingerprint(db: Db): Promise<string | null> {
  const row = await db.selectFrom('derived_state').select('value').where('key', '=', 'fingerprint').executeTakeFirst();
  return row?.value ?? null;
}

async function storeFingerprint(db: Db, value: string): Promise<void> {
  await db
    .insertInto('derived_state')
    .values({ key: 'fingerprint', value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/**
 * Recomputes every case's projections, a chunk per transaction (so the store keeps answering
 * between chunks), then records what they were built from. Changes made meanwhile refresh their
 * own cases in their own transactions; recomputing a case twice gives the same rows.
 */
export async function rebuildAll(
  db: Db,
  clock: Clock,
  opts: { onProgress?: (done: number, total: number) => void; shouldStop?: () => boolean } = {},
): Promise<number> {
  const ctx = await derivedContext(db, clock);
  const ids = (await db.selectFrom('cases').select('id').orderBy('id').execute()).map((r) => r.id);
  let done = 0;
  for (const part of chunks(ids, 2000)) {
    // Stopped (the store is closing): the fingerprint stays old, so the next start finishes it.
    if (opts.shouldStop?.()) return done;
    await db.transaction().execute((trx) => refreshCases(trx, ctx, part));
    done += part.length;
    opts.onProgress?.(done, ids.length);
    await new Promise<void>((r) => setImmediate(r));
  }
  await storeFingerprint(db, derivedFingerprint(ctx));
  return ids.length;
}

/** Whether the projections were built from the rules, calendar and categories in force now. */
export async function derivedIsCurrent(db: Db, clock: Clock): Promise<boolean> {
  return (await storedFingerprint(db)) === derivedFingerprint(await derivedContext(db, clock));
}
