// Reference data the centre owns (issue #13; docs/central.md "Reference data"): an administrator
// publishes an item (CLI `publish`, or POST /v1/admin/reference through the admin socket); the
// centre validates it with the kind's schema from shared/reference, numbers its revision, signs
// it with the centre key and keeps every version. Devices read the feed (GET /v1/reference) in
// publication order and verify each item against the key they pinned at enrolment.
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Clock } from './clock';
import { chinaInstant, instantOf } from './clock';
import { ensureCentreKey, signWithCentreKey } from './centre-key';
import { CentralError, invalid } from './errors';
import { audit, SOCKET_ACTOR } from './admin-accounts';
import { ensureOffice } from './offices';
import type { Device } from './auth';
import { recordAccounts } from './accounts';
import {
  checkReferenceBody,
  REFERENCE_KINDS,
  REFERENCE_KIND_LABELS,
  REFERENCE_MAX_LIMIT,
  referenceItemId,
  referenceSigningBytes,
  type ReferenceBody,
  type ReferenceItem,
  type ReferenceKind,
} from '../../shared/reference/items';

/** Serialises publications, so the feed's serial seq follows commit order (see the migration). */
export const LOCK_REFERENCE = 7_120_010;

export interface Published {
  seq: number;
  kind: ReferenceKind;
  itemId: string;
  version: string;
  revision: number;
  office: string | null;
  publishedAt: string;
}

export function referenceKind(raw: string): ReferenceKind {
  if (!(REFERENCE_KINDS as readonly string[]).includes(raw))
    throw invalid(`未知的参考数据种类“${raw}”，可选：${REFERENCE_KINDS.map((k) => `${k}（${REFERENCE_KIND_LABELS[k]}）`).join('、')}`);
  return raw as ReferenceKind;
}

/**
 * Validates, signs and stores one item. Accounts need the office they belong to (made on first
 * use, like an enrolment code's). A body that fails its schema is refused and nothing is stored.
 */
export async function publishReference(
  db: Db,
  clock: Clock,
  input: { kind: string; body: unknown; office?: string | undefined; by?: string | undefined },
): Promise<Published> {
  // One path for the socket, the command line and the HTTP page: same checks, same signature,
  // and an audit entry naming who published (or was refused) either way.
  const by = input.by ?? SOCKET_ACTOR;
  try {
    return await publishChecked(db, clock, input, by);
  } catch (e) {
    if (e instanceof CentralError)
      await audit(db, clock, by, 'publish', false, { kind: input.kind, office: input.office ?? null, message: e.message.slice(0, 300) });
    throw e;
  }
}

async function publishChecked(
  db: Db,
  clock: Clock,
  input: { kind: string; body: unknown; office?: string | undefined },
  by: string,
): Promise<Published> {
  const kind = referenceKind(input.kind);
  const checked = checkReferenceBody(kind, input.body);
  if (!checked.ok) throw invalid(checked.message);
  if (kind === 'accounts' && !input.office) throw invalid('发布人员账号须用 --office 指定所属机构');
  if (kind !== 'accounts' && input.office) throw invalid(`${REFERENCE_KIND_LABELS[kind]}发给所有设备，不需要 --office`);
  const key = await ensureCentreKey(db, clock);
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_REFERENCE}::bigint)`.execute(trx);
    const office = kind === 'accounts' ? await ensureOffice(trx, clock, input.office) : null;
    const itemId = office ? `accounts:${office.id}` : referenceItemId(kind, checked.body);
    const last = await trx
      .selectFrom('reference_items')
      .select(sql<number>`max(revision)`.as('revision'))
      .where('kind', '=', kind)
      .where('item_id', '=', itemId)
      .executeTakeFirst();
    const item: Omit<ReferenceItem, 'signature' | 'keyId'> = {
      kind,
      itemId,
      version: checked.version,
      revision: (last?.revision ?? 0) + 1,
      office: office?.id ?? null,
      publishedAt: chinaInstant(clock.now()),
      body: checked.body,
    };
    const signature = signWithCentreKey(key, referenceSigningBytes(item));
    const row = await trx
      .insertInto('reference_items')
      .values({
        kind,
        item_id: itemId,
        version: item.version,
        revision: item.revision,
        office_id: item.office,
        published_at: item.publishedAt,
        body: JSON.stringify(item.body),
        key_id: key.keyId,
        signature,
        published_by: by,
      })
      .returning(sql<number>`seq::integer`.as('seq'))
      .executeTakeFirstOrThrow();
    if (office) await recordAccounts(trx, clock, office.id, item.revision, checked.body as ReferenceBody<'accounts'>);
    if (kind === 'offices') await linkOffices(trx, checked.body as ReferenceBody<'offices'>);
    await audit(trx, clock, by, 'publish', true, {
      kind,
      itemId,
      version: item.version,
      revision: item.revision,
      office: office?.name ?? null,
    });
    return {
      seq: row.seq,
      kind,
      itemId,
      version: item.version,
      revision: item.revision,
      office: office?.name ?? null,
      publishedAt: item.publishedAt,
    };
  });
}

/**
 * A new offices list: centre offices already known by a listed name take its code (so a later
 * rename in the list follows them); a code already taken keeps its office, whose name follows the list.
 */
async function linkOffices(trx: Db, body: ReferenceBody<'offices'>): Promise<void> {
  for (const o of body.offices) {
    const byCode = await trx.selectFrom('offices').select('id').where('code', '=', o.code).executeTakeFirst();
    if (byCode) continue;
    await trx.updateTable('offices').set({ code: o.code }).where('name', '=', o.name).where('code', 'is', null).execute();
  }
}

/** The feed for one device: items after `after` meant for every device or for its office, oldest first. */
export async function referenceFeed(
  db: Db,
  device: Device,
  after: number,
  limit: number,
): Promise<{ ok: true; items: { seq: number; item: ReferenceItem }[]; cursor: number; more: boolean }> {
  const n = Math.min(Math.max(limit, 1), REFERENCE_MAX_LIMIT);
  const rows = await db
    .selectFrom('reference_items')
    .select([
      sql<number>`seq::integer`.as('seq'),
      'kind',
      'item_id',
      'version',
      'revision',
      'office_id',
      'published_at',
      'body',
      'key_id',
      'signature',
    ])
    .where(sql<boolean>`seq > ${after}`)
    .where((eb) => eb.or([eb('office_id', 'is', null), eb('office_id', '=', device.officeId)]))
    .orderBy('seq')
    .limit(n + 1)
    .execute();
  const page = rows.slice(0, n);
  return {
    ok: true,
    items: page.map((r) => ({
      seq: r.seq,
      item: {
        kind: r.kind as ReferenceKind,
        itemId: r.item_id,
        version: r.version,
        revision: r.revision,
        office: r.office_id,
        publishedAt: instantOf(r.published_at),
        body: JSON.parse(r.body) as unknown,
        keyId: r.key_id,
        signature: r.signature,
      },
    })),
    cursor: page.length ? page[page.length - 1]!.seq : after,
    more: rows.length > n,
  };
}

/** What is published, latest revision of each item (CLI `reference`). */
export async function referenceSummary(db: Db): Promise<{ items: (Omit<Published, 'office'> & { publishedBy: string | null })[] }> {
  const r = await sql<Omit<Published, 'office'> & { publishedBy: string | null }>`
    SELECT DISTINCT ON (kind, item_id) seq::integer AS seq, kind, item_id AS "itemId", version, revision, published_at AS "publishedAt",
      published_by AS "publishedBy"
    FROM reference_items ORDER BY kind, item_id, revision DESC`.execute(db);
  return { items: r.rows.map((x) => ({ ...x, publishedAt: instantOf(x.publishedAt) })) };
}
