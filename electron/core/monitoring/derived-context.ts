// What the projections are computed with: the rule data of this office, the monitoring
// categories, today and now, and a memo of first 临期 days; and a fingerprint of it all, so the
// projections are rebuilt when rule packs, calendar or categories change.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaDate, chinaInstant, type Clock } from '../clock';
import { getSettings } from '../settings';
import { ruleData, type RuleData } from '../cases/rule-data';
import type { Categories } from '../../../shared/monitoring/categories';
import { monitoringCategories } from './categories';
import type { NearMemo } from './clock-projection';

type Db = Kysely<Database>;

export interface DerivedContext {
  rules: RuleData;
  categories: Categories;
  today: string;
  now: string;
  nearMemo: NearMemo;
}

export async function derivedContext(db: Db, clock: Clock): Promise<DerivedContext> {
  const { jurisdiction } = await getSettings(db);
  return {
    rules: await ruleData(db, jurisdiction),
    categories: monitoringCategories(),
    today: chinaDate(clock.now()),
    now: chinaInstant(clock.now()),
    nearMemo: new Map(),
  };
}

/** What the projections were computed from; when it changes they are rebuilt. */
export function derivedFingerprint(ctx: DerivedContext): string {
  const h = createHash('sha256');
  // Bump when the derivation itself changes.
  h.update('desk-derived-1\n');
  h.update(`${ctx.rules.jurisdiction}\n${ctx.rules.calendar.id}@${ctx.rules.calendar.version}\n`);
  for (const p of ctx.rules.packs) h.update(`${p.id}@${p.version}:${JSON.stringify(p.deadlines)}:${JSON.stringify(p.screening)}\n`);
  h.update(`${ctx.categories.id}@${ctx.categories.version}\n`);
  return h.digest('hex');
}
