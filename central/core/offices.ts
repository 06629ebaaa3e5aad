// Offices (经办机构, 鉴定委员会 …) group devices: a device sees the cases its office holds. Before
// any `offices` list is published they are made on demand by name, by the first enrolment code or
// assignment that names them. Once a list is published (reference.ts), it is the authority: a
// command must name an office of the list (by its code or its name; anything else is refused),
// the centre's office carries the list's code, and its name is the list's current name for that
// code — so what devices show is the reference data's name, never a code.
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Clock } from './clock';
import { invalid } from './errors';
import { newId } from './crypto';
import { officeListSchema, type ReferenceBody } from '../../shared/reference/items';

export const DEFAULT_OFFICE = '本中心';

export interface Office {
  id: string;
  name: string;
}

type ListedOffice = ReferenceBody<'offices'>['offices'][number];

export function officeName(raw: string | undefined): string {
  const name = (raw ?? DEFAULT_OFFICE).trim();
  if (!name || name.length > 80 || [...name].some((ch) => ch.charCodeAt(0) < 0x20))
    throw invalid('机构名称应为 1 到 80 个字符，不含控制字符');
  return name;
}

/** The offices list in force (the latest published), or null when none was ever published. */
export async function publishedOffices(db: Db): Promise<ListedOffice[] | null> {
  const r = await db
    .selectFrom('reference_items')
    .select('body')
    .where('kind', '=', 'offices')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!r) return null;
  const parsed = officeListSchema.safeParse(JSON.parse(r.body));
  return parsed.success ? parsed.data.offices : null;
}

/** The list's entry a command names (code or name), or a refusal listing what the list holds. */
export function listedOffice(list: readonly ListedOffice[], raw: string): ListedOffice {
  const want = raw.trim();
  const hit = list.find((o) => o.code === want) ?? list.find((o) => o.name === want);
  if (!hit) {
    const names = list.slice(0, 12).map((o) => o.name);
    throw invalid(
      `机构名录中没有「${want}」：请用名录中的机构名称${names.length ? `（如 ${names.join('、')}${list.length > 12 ? ' 等' : ''}）` : ''}，或先发布包含该机构的经办机构名录`,
    );
  }
  return hit;
}

export async function ensureOffice(db: Db, clock: Clock, raw: string | undefined): Promise<Office> {
  const list = raw === undefined ? null : await publishedOffices(db);
  if (list) return ensureListedOffice(db, clock, listedOffice(list, raw!));
  const name = officeName(raw);
  await db
    .insertInto('offices')
    .values({ id: newId(), name, created_at: clock.now().toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return db.selectFrom('offices').select(['id', 'name']).where('name', '=', name).executeTakeFirstOrThrow();
}

/** The centre's office for a list entry: found by code, else by name (it then takes the code), else made. */
async function ensureListedOffice(db: Db, clock: Clock, o: ListedOffice): Promise<Office> {
  const byCode = await db.selectFrom('offices').select(['id', 'name']).where('code', '=', o.code).executeTakeFirst();
  if (byCode) {
    if (byCode.name !== o.name) {
      // Renamed in the list: the centre's name follows (unless another office holds that name).
      const clash = await db.selectFrom('offices').select('id').where('name', '=', o.name).where('id', '!=', byCode.id).executeTakeFirst();
      if (!clash) await db.updateTable('offices').set({ name: o.name }).where('id', '=', byCode.id).execute();
    }
    return { id: byCode.id, name: o.name };
  }
  await db
    .insertInto('offices')
    .values({ id: newId(), name: o.name, code: o.code, created_at: clock.now().toISOString() })
    .onConflict((oc) => oc.column('name').doUpdateSet({ code: sql<string | null>`coalesce(offices.code, excluded.code)` }))
    .execute();
  const r = await db.selectFrom('offices').select(['id', 'name']).where('name', '=', o.name).executeTakeFirstOrThrow();
  return { id: r.id, name: o.name };
}

/** The name to show for a centre office: the list's current name for its code, else its own. */
export async function shownOfficeNames(db: Db): Promise<(office: { code: string | null; name: string }) => string> {
  const list = await publishedOffices(db);
  const byCode = new Map((list ?? []).map((o) => [o.code, o.name]));
  return (office) => (office.code ? (byCode.get(office.code) ?? office.name) : office.name);
}
