// The reference data in force on this device (issue #13; docs/rule-packs.md "Where packs live"):
// rule packs, the working-day calendar, the GB/T 16180 catalogue, the expert pool, the platform
// list, offices and committees, and this office's accounts. It owns
// - seeding the bundled items from resources/ into the store on first start (and a release's newer
//   bundled version over an older bundled one; never over an item the centre published);
// - reading them back, parsed and validated once per installed generation, so a new version takes
//   effect on the next call without a restart;
// - applying items the centre signed: the signature checked against the key pinned at enrolment
//   (never a key the item carries), the body validated, the revision newer than the one held, and
//   then the whole item installed in one transaction, or nothing and a reason on the 同步 page.
import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { verifyBytes } from '../crypto/ed25519';
import { withCaptureOff } from '../replication/capture';
import { endSessionsOf } from '../users';
import { loadCalendarData, loadCatalogue, loadRulePacks, resourcesDir } from '../rule-resources';
import {
  buildCalendar,
  parseCatalogue,
  parseRulePack,
  RuleError,
  type Catalogue,
  type RulePack,
  type WorkCalendar,
} from '../../../shared/rules';
import {
  checkReferenceBody,
  REFERENCE_KIND_LABELS,
  referenceItemId,
  referenceItemSchema,
  referenceSigningBytes,
  type ReferenceBody,
  type ReferenceItem,
  type ReferenceKind,
} from '../../../shared/reference/items';

type Db = Kysely<Database>;

// ---- seeding ---------------------------------------------------------------------------------

interface BundledItem {
  kind: ReferenceKind;
  itemId: string;
  version: string;
  body: unknown;
}

function bundledItems(dir: string): BundledItem[] {
  const out: BundledItem[] = [];
  for (const p of loadRulePacks(dir)) out.push({ kind: 'rule_pack', itemId: p.id, version: p.version, body: p });
  const cal = loadCalendarData(dir);
  out.push({ kind: 'calendar', itemId: 'calendar', version: cal.version, body: cal });
  const cat = loadCatalogue(dir);
  out.push({ kind: 'catalogue', itemId: 'catalogue', version: cat.version, body: cat });
  return out;
}

/**
 * Puts the bundled items into the store: missing ones, and a bundled item whose version the
 * release changed. An item the centre published is never replaced by a bundled one. Runs at every
 * open (synchronously, after the migrations); a missing resources folder leaves the store as it is
 * (reading then refuses with the usual message).
 */
export function seedBundledReference(sqlite: BetterSqlite3.Database, dir = resourcesDir()): number {
  let items: BundledItem[];
  try {
    items = bundledItems(dir);
  } catch {
    return 0;
  }
  const get = sqlite.prepare<[string, string], { version: string; source: string }>(
    'SELECT version, source FROM reference_items WHERE kind = ? AND item_id = ?',
  );
  const put = sqlite.prepare(
    `INSERT OR REPLACE INTO reference_items (kind, item_id, version, source, revision, body, signature, published_at, installed_at)
     VALUES (?, ?, ?, 'bundled', 0, ?, NULL, NULL, ?)`,
  );
  let changed = 0;
  sqlite.transaction(() => {
    const at = chinaInstant(new Date());
    for (const i of items) {
      const held = get.get(i.kind, i.itemId);
      if (held && (held.source === 'centre' || held.version === i.version)) continue;
      put.run(i.kind, i.itemId, i.version, JSON.stringify(i.body), at);
      changed++;
    }
    if (changed > 0) sqlite.prepare('UPDATE reference_state SET generation = ? WHERE id = 1').run(randomUUID());
  })();
  return changed;
}

// ---- reading ---------------------------------------------------------------------------------

export interface RuleReference {
  generation: string;
  packs: RulePack[];
  calendar: WorkCalendar;
  catalogue: Catalogue;
  /** Where each pack came from, by pack id (shown with the pack). */
  sources: Map<string, 'bundled' | 'centre'>;
}

const cache = new WeakMap<Db, RuleReference>();

async function generationOf(db: Db): Promise<string> {
  return (await db.selectFrom('reference_state').select('generation').where('id', '=', 1).executeTakeFirstOrThrow()).generation;
}

/**
 * The rule packs, calendar and catalogue in force, parsed once per generation: an install bumps
 * the generation, so the next call sees the new version (no restart).
 */
export async function ruleReference(db: Db): Promise<RuleReference> {
  const generation = await generationOf(db);
  const hit = cache.get(db);
  if (hit && hit.generation === generation) return hit;
  const rows = await db
    .selectFrom('reference_items')
    .select(['kind', 'item_id', 'body', 'source'])
    .where('kind', 'in', ['rule_pack', 'calendar', 'catalogue'])
    .orderBy('kind')
    .orderBy('item_id')
    .execute();
  const packs = rows.filter((r) => r.kind === 'rule_pack').map((r) => parseRulePack(JSON.parse(r.body), `规则包 ${r.item_id}`));
  const cal = rows.find((r) => r.kind === 'calendar');
  const cat = rows.find((r) => r.kind === 'catalogue');
  if (packs.length === 0) throw new RuleError('NO_PACK', '本机没有任何规则包：请确认安装完整，或在「同步」页与中心同步。');
  if (!cal || !cat) throw new RuleError('INVALID_INPUT', '本机缺少工作日历或伤残等级条目目录：请确认安装完整，或在「同步」页与中心同步。');
  const out: RuleReference = {
    generation,
    packs,
    calendar: buildCalendar(JSON.parse(cal.body)),
    catalogue: parseCatalogue(JSON.parse(cat.body)),
    sources: new Map(rows.filter((r) => r.kind === 'rule_pack').map((r) => [r.item_id, r.source])),
  };
  cache.set(db, out);
  return out;
}

export interface ReferenceListing {
  kind: ReferenceKind;
  kindLabel: string;
  itemId: string;
  version: string;
  source: 'bundled' | 'centre';
  revision: number;
  publishedAt: string | null;
  installedAt: string;
}

/** Every item in force, kind by kind (CLI `reference list`, the 同步 page). */
export async function listReference(db: Db): Promise<ReferenceListing[]> {
  const rows = await db
    .selectFrom('reference_items')
    .select(['kind', 'item_id', 'version', 'source', 'revision', 'published_at', 'installed_at'])
    .orderBy('kind')
    .orderBy('item_id')
    .execute();
  return rows.map((r) => ({
    kind: r.kind as ReferenceKind,
    kindLabel: REFERENCE_KIND_LABELS[r.kind as ReferenceKind] ?? r.kind,
    itemId: r.item_id,
    version: r.version,
    source: r.source,
    revision: r.revision,
    publishedAt: r.published_at,
    installedAt: r.installed_at,
  }));
}

export interface ReferenceRejection {
  at: string;
  kind: string;
  kindLabel: string;
  itemId: string;
  version: string;
  message: string;
}

export async function referenceRejections(db: Db, limit = 20): Promise<ReferenceRejection[]> {
  const rows = await db.selectFrom('reference_rejections').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    at: r.at,
    kind: r.kind,
    kindLabel: REFERENCE_KIND_LABELS[r.kind as ReferenceKind] ?? r.kind,
    itemId: r.item_id,
    version: r.version,
    message: r.message,
  }));
}

export async function referenceCursor(db: Db): Promise<number> {
  return (await db.selectFrom('reference_state').select('cursor').where('id', '=', 1).executeTakeFirstOrThrow()).cursor;
}

// ---- applying centre items -----------------------------------------------------------------------

class Refused extends Error {}

export interface ApplyOutcome {
  applied: number;
  /** Chinese reasons, one per refused item (also stored for the 同步 page). */
  rejected: string[];
}

function describe(raw: unknown): { kind: string; itemId: string; version: string } {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return { kind: String(o.kind ?? '?'), itemId: String(o.itemId ?? '?'), version: String(o.version ?? '?') };
}

/** Checks an item whole: shape, signature by the pinned key, body, scope and revision. Throws Refused. */
async function checkItem(
  db: Db,
  raw: unknown,
  pinnedKey: string,
  officeId: string | null,
): Promise<{ item: ReferenceItem; body: unknown }> {
  const parsed = referenceItemSchema.safeParse(raw);
  if (!parsed.success) throw new Refused('中心发来的参考数据格式不正确');
  const item = parsed.data;
  const label = REFERENCE_KIND_LABELS[item.kind];
  // The pinned key only: a key the item names (keyId) is a hint and never trusted.
  if (!verifyBytes(pinnedKey, referenceSigningBytes(item), item.signature))
    throw new Refused(`${label}（版本 ${item.version}）的签名与本机登记的中心密钥不符，可能被篡改或并非本中心发布，已整体拒收`);
  const body = checkReferenceBody(item.kind, item.body);
  if (!body.ok) throw new Refused(`${body.message}，已整体拒收`);
  if (body.version !== item.version) throw new Refused(`${label}的版本号与内容不一致，已整体拒收`);
  if (item.kind === 'accounts' ? item.office !== officeId || item.itemId !== `accounts:${officeId}` : item.office !== null)
    throw new Refused(`${label}不是发给本机所属机构的，已拒收`);
  if (item.kind !== 'accounts' && item.itemId !== referenceItemId(item.kind, body.body))
    throw new Refused(`${label}的编号与内容不一致，已整体拒收`);
  if (item.kind === 'rule_pack') {
    try {
      parseRulePack(body.body, `规则包 ${item.itemId}`);
    } catch (e) {
      throw new Refused(`${e instanceof Error ? e.message : String(e)}，已整体拒收`);
    }
  }
  const held = await db
    .selectFrom('reference_items')
    .select(['revision', 'source'])
    .where('kind', '=', item.kind)
    .where('item_id', '=', item.itemId)
    .executeTakeFirst();
  if (held?.source === 'centre' && held.revision >= item.revision)
    throw new Refused(`${label}（版本 ${item.version}）不比本机现行的新，未采用`);
  return { item, body: body.body };
}

async function installTables(db: Db, clock: Clock, item: ReferenceItem, body: unknown): Promise<void> {
  const at = chinaInstant(clock.now());
  if (item.kind === 'platforms') {
    const list = (body as ReferenceBody<'platforms'>).platforms;
    for (const p of list) {
      const row = {
        name: p.name,
        industry: p.industry,
        credit_code: p.creditCode,
        legal_name: p.legalName,
        active: p.active ? (1 as const) : (0 as const),
        updated_at: at,
      };
      const clash = await db
        .selectFrom('platforms')
        .select('code')
        .where('name', '=', p.name)
        .where('code', '!=', p.code)
        .executeTakeFirst();
      if (clash) throw new Refused(`平台名录中的“${p.name}”与本机平台 ${clash.code} 同名，已整体拒收，请中心核对平台代码`);
      await db
        .insertInto('platforms')
        .values({ code: p.code, ...row })
        .onConflict((oc) => oc.column('code').doUpdateSet(row))
        .execute();
    }
    // Platforms the centre no longer lists stay (cases name them) but are no longer offered.
    const codes = list.map((p) => p.code);
    await db
      .updateTable('platforms')
      .set({ active: 0, updated_at: at })
      .where('code', 'not in', codes.length ? codes : [''])
      .where('active', '=', 1)
      .execute();
  } else if (item.kind === 'experts') {
    const list = (body as ReferenceBody<'experts'>).experts;
    for (const e of list) {
      const row = {
        name: e.name,
        organisation: e.organisation,
        categories: JSON.stringify(e.categories),
        departments: JSON.stringify(e.departments),
        available: e.available ? (1 as const) : (0 as const),
        platform_ties: JSON.stringify(e.platformTies),
        updated_at: at,
      };
      await db
        .insertInto('experts')
        .values({ id: e.id, ...row })
        .onConflict((oc) => oc.column('id').doUpdateSet(row))
        .execute();
    }
    const ids = list.map((e) => e.id);
    await db
      .updateTable('experts')
      .set({ available: 0, updated_at: at })
      .where('id', 'not in', ids.length ? ids : [''])
      .where('available', '=', 1)
      .execute();
  } else if (item.kind === 'accounts') {
    await installAccounts(db, clock, item, body as ReferenceBody<'accounts'>);
  }
}

async function installAccounts(db: Db, clock: Clock, item: ReferenceItem, body: ReferenceBody<'accounts'>): Promise<void> {
  const at = chinaInstant(clock.now());
  for (const u of body.users) {
    const clash = await db.selectFrom('users').select('id').where('username', '=', u.username).where('id', '!=', u.id).executeTakeFirst();
    if (clash) throw new Refused(`中心账号 ${u.username} 与本机另一个同名账号冲突，已整体拒收；请管理员先修改本机账号的用户名`);
    const row = {
      username: u.username,
      display_name: u.displayName,
      password_hash: u.verifier.hash,
      password_salt: u.verifier.salt,
      active: u.active ? (1 as const) : (0 as const),
      updated_at: at,
    };
    const before = await db.selectFrom('users').select(['active', 'password_hash']).where('id', '=', u.id).executeTakeFirst();
    await db
      .insertInto('users')
      .values({ id: u.id, ...row, failed_attempts: 0, locked_until: null, created_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
    await db.deleteFrom('user_roles').where('user_id', '=', u.id).execute();
    if (u.roles.length)
      await db
        .insertInto('user_roles')
        .values(u.roles.map((role) => ({ user_id: u.id, role })))
        .execute();
    await db
      .insertInto('centre_accounts')
      .values({ user_id: u.id, revision: item.revision })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ revision: item.revision }))
      .execute();
    // Deactivated, or a new password set centrally: whoever is signed in as them is signed out.
    if (before && (!u.active || before.password_hash !== u.verifier.hash)) await endSessionsOf(db, clock, u.id);
  }
  // An account the centre stopped listing is deactivated here too (its records keep its name).
  const listed = body.users.map((u) => u.id);
  const dropped = await db
    .selectFrom('centre_accounts')
    .select('user_id')
    .where('user_id', 'not in', listed.length ? listed : [''])
    .execute();
  for (const d of dropped) {
    await db.updateTable('users').set({ active: 0, updated_at: at }).where('id', '=', d.user_id).execute();
    await endSessionsOf(db, clock, d.user_id);
  }
}

async function installItem(db: Db, clock: Clock, item: ReferenceItem, body: unknown): Promise<void> {
  await withCaptureOff(db, () => installTables(db, clock, item, body));
  const row = {
    version: item.version,
    source: 'centre' as const,
    revision: item.revision,
    body: JSON.stringify(body),
    signature: item.signature,
    published_at: item.publishedAt,
    installed_at: chinaInstant(clock.now()),
  };
  await db
    .insertInto('reference_items')
    .values({ kind: item.kind, item_id: item.itemId, ...row })
    .onConflict((oc) => oc.columns(['kind', 'item_id']).doUpdateSet(row))
    .execute();
  await db.updateTable('reference_state').set({ generation: randomUUID() }).where('id', '=', 1).execute();
}

/**
 * Applies a page of the centre's reference feed: each item whole in its own transaction, or
 * refused whole with its reason stored (the previous version stays in force). The cursor moves
 * past refused items too — the centre's next publication of the item supersedes a bad one — and
 * is stored with the last item's transaction.
 */
export async function applyReferenceItems(
  db: Db,
  clock: Clock,
  pinnedKey: string,
  officeId: string | null,
  entries: readonly { seq: number; item: unknown }[],
): Promise<ApplyOutcome> {
  const out: ApplyOutcome = { applied: 0, rejected: [] };
  for (const e of entries) {
    try {
      await db.transaction().execute(async (trx) => {
        const { item, body } = await checkItem(trx, e.item, pinnedKey, officeId);
        await installItem(trx, clock, item, body);
        await trx.updateTable('reference_state').set({ cursor: e.seq }).where('id', '=', 1).where('cursor', '<', e.seq).execute();
      });
      out.applied++;
    } catch (err) {
      // A constraint the store enforces (a unique name, a reference) refuses the item like a bad
      // one: retrying it would fail the same way at every pass. Anything else (a busy store) is retried.
      const constraint = /^SQLITE_CONSTRAINT/.test(String((err as { code?: unknown }).code ?? ''));
      if (!(err instanceof Refused) && !constraint) throw err;
      const d = describe(e.item);
      const message =
        err instanceof Refused
          ? err.message
          : `${REFERENCE_KIND_LABELS[d.kind as ReferenceKind] ?? '参考数据'}（版本 ${d.version}）与本机数据冲突，无法安装，已整体拒收`;
      out.rejected.push(message);
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('reference_rejections')
          .values({ at: chinaInstant(clock.now()), kind: d.kind, item_id: d.itemId, version: d.version, message })
          .execute();
        await trx.updateTable('reference_state').set({ cursor: e.seq }).where('id', '=', 1).where('cursor', '<', e.seq).execute();
      });
    }
  }
  return out;
}

/** Whether the centre manages this account (then its roles, password and status are the centre's). */
export async function isCentreAccount(db: Db, userId: string): Promise<boolean> {
  return !!(await db.selectFrom('centre_accounts').select('user_id').where('user_id', '=', userId).executeTakeFirst());
}
