// Offices (经办机构, 鉴定委员会 …) group devices: a device sees the cases its office holds.
// They are made on demand by name, by the first enrolment code or assignment that names them.
import type { Db } from '../db/database';
import type { Clock } from './clock';
import { invalid } from './errors';
import { newId } from './crypto';

export const DEFAULT_OFFICE = '本中心';

export interface Office {
  id: string;
  name: string;
}

export function officeName(raw: string | undefined): string {
  const name = (raw ?? DEFAULT_OFFICE).trim();
  if (!name || name.length > 80 || [...name].some((ch) => ch.charCodeAt(0) < 0x20))
    throw invalid('机构名称应为 1 到 80 个字符，不含控制字符');
  return name;
}

export async function ensureOffice(db: Db, clock: Clock, raw: string | undefined): Promise<Office> {
  const name = officeName(raw);
  await db
    .insertInto('offices')
    .values({ id: newId(), name, created_at: clock.now().toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return db.selectFrom('offices').select(['id', 'name']).where('name', '=', name).executeTakeFirstOrThrow();
}
