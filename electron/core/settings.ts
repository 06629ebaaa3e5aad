// Application settings: stored per key as JSON, defaults in one place.
import type { Kysely } from 'kysely';
import type { Database } from './db-schema';
import { settingsSchema, type Settings } from '../../shared/api/methods/admin';
import { officeIssuers } from './reference/offices';

export const DEFAULT_SETTINGS: Settings = {
  idleLockMinutes: 10,
  maxLoginFailures: 5,
  lockoutMinutes: 15,
  separationOfDuties: true,
  agencyName: '',
  jurisdiction: 'qinghai',
  provincialCommittee: '青海省劳动能力鉴定委员会',
  appraisalCommittee: '西宁市劳动能力鉴定委员会',
};

export async function getSettings(db: Kysely<Database>): Promise<Settings> {
  const rows = await db.selectFrom('settings').selectAll().execute();
  const stored: Record<string, unknown> = {};
  for (const r of rows) stored[r.key] = JSON.parse(r.value);
  // Unknown or invalid stored values fall back to defaults rather than breaking sign-in.
  // Issue #13: where the centre's offices list names this device's office and its committees,
  // notices are issued in those names (reference data), not in ones typed here.
  const merged = { ...DEFAULT_SETTINGS, ...stored, ...(await officeIssuers(db)) };
  const parsed = settingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export async function updateSettings(db: Kysely<Database>, patch: Partial<Settings>): Promise<Settings> {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    await db
      .insertInto('settings')
      .values({ key, value: JSON.stringify(value) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
      .execute();
  }
  return getSettings(db);
}
