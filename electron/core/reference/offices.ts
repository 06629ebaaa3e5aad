// The offices list in force on this device (issue #13; reference kind `offices`, pulled from the
// centre and verified like every reference item). It owns turning an office as the centre or the
// store names it into the name people read — the list's name, never a code — and the issuing
// authorities notices print: this device's own office (its enrolment's office, found in the list)
// and the committees of its jurisdiction. Without a list (not enrolled, nothing published yet) the
// names typed in 系统设置 stay in force.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { officeListSchema, type ReferenceBody } from '../../../shared/reference/items';

type Db = Kysely<Database>;
export type ListedOffice = ReferenceBody<'offices'>['offices'][number];

// Parsed once per installed generation (settings read it on every call): an install bumps it.
const cache = new WeakMap<Db, { generation: string; list: ListedOffice[] | null }>();

export async function referenceOffices(db: Db): Promise<ListedOffice[] | null> {
  const { generation } = await db.selectFrom('reference_state').select('generation').where('id', '=', 1).executeTakeFirstOrThrow();
  const hit = cache.get(db);
  if (hit && hit.generation === generation) return hit.list;
  const r = await db
    .selectFrom('reference_items')
    .select('body')
    .where('kind', '=', 'offices')
    .where('item_id', '=', 'offices')
    .executeTakeFirst();
  const parsed = r ? officeListSchema.safeParse(JSON.parse(r.body)) : null;
  const list = parsed?.success ? parsed.data.offices : null;
  cache.set(db, { generation, list });
  return list;
}

function find(list: readonly ListedOffice[] | null, nameOrCode: string | null | undefined): ListedOffice | null {
  if (!list || !nameOrCode) return null;
  return list.find((o) => o.name === nameOrCode) ?? list.find((o) => o.code === nameOrCode) ?? null;
}

/** Shows an office by the list's name when the list knows it (by name or code); else as given. */
export async function officeShownName(db: Db): Promise<(nameOrCode: string) => string> {
  const list = await referenceOffices(db);
  return (n) => find(list, n)?.name ?? n;
}

export interface OfficeIssuers {
  agencyName?: string;
  appraisalCommittee?: string;
  provincialCommittee?: string;
}

/**
 * The issuing authorities the offices list gives this device: its own office (a service or benefits
 * office issues as 经办机构, a committee as the municipal committee), the municipal committee of its
 * jurisdiction and the provincial committee. Only what the list says; the rest stays as set.
 */
export async function officeIssuers(db: Db): Promise<OfficeIssuers> {
  const list = await referenceOffices(db);
  if (!list) return {};
  const state = await db.selectFrom('sync_state').select('office_name').where('id', '=', 1).executeTakeFirst();
  const own = find(list, state?.office_name);
  const out: OfficeIssuers = {};
  const provincial = list.filter((o) => o.kind === 'committee' && o.level === 'provincial');
  if (provincial.length === 1) out.provincialCommittee = provincial[0]!.name;
  if (!own) return out;
  if (own.kind === 'committee') {
    if (own.level !== 'provincial') out.appraisalCommittee = own.name;
  } else {
    out.agencyName = own.name;
    const committee = list.find(
      (o) => o.kind === 'committee' && o.level !== 'provincial' && own.jurisdiction !== null && o.jurisdiction === own.jurisdiction,
    );
    if (committee) out.appraisalCommittee = committee.name;
  }
  return out;
}
