// Applying what the centre sends (device side; the network client is elsewhere). One pull page
// and its cursor are applied in ONE SQLite transaction with change capture off, so a crash
// leaves either both or neither, and nothing pulled is ever pushed back. Every change is checked
// first — a table in the catalogue, a key and a row of exactly this store's columns and types,
// its blobs at hand, a case this device holds — and one bad change refuses the whole page with a
// Chinese message, writing nothing. A row with a local change the centre has not yet answered
// is never overwritten: the pulled change waits in sync_deferred until the push result comes
// (push-result.ts). docs/sync-protocol.md §6.
//
// "Holds": a change tied to a case (catalogue link `column`, e.g. case_id) is accepted only if
// that case is in this store or arrives as a `cases` row in the same page. Cases themselves,
// and office-wide, worker and hearing rows, are the centre's to assign: they are accepted (the
// centre scopes them to this device's office). A row whose case column is null (an accident
// report not yet registered, a hearing's report) is office-wide.
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db-schema';
import { chinaInstant, type Clock } from '../clock';
import { canonical } from '../../../shared/crypto/canonical';
import { pullReplySchema, type Change, type PullReply } from '../../../shared/sync/protocol';
import { syncTable } from '../../../shared/sync/tables';
import { NO_PASSWORD } from '../users';
import { reindexCases, unindexCase } from '../cases/case-search';
import { withCaptureOff } from './capture';
import { noteBlobRef, readBlob } from './blobs';
import { issueText, keyString, syncRowSchema, toSyncRow, type DbRow } from './row-codec';
import { storeMeta, type StoreMeta, type TableMeta } from './table-meta';
import { refreshDirty } from '../monitoring/derived';
import { importCarriedUsers } from './foreign-users';

type Db = Kysely<Database>;

/** A page refused as a whole: nothing of it was written. */
export class PullRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PullRefused';
  }
}

const refuse = (message: string): never => {
  throw new PullRefused(`${message}。本页数据未写入，同步位置未前进；请稍后重试，如仍失败请联系管理员核对中心数据`);
};

/** Local-only NOT NULL columns a row from the centre cannot carry: an account pulled here cannot sign in until an administrator sets a password. */
const LOCAL_DEFAULTS: Record<string, DbRow> = { users: { password_hash: NO_PASSWORD, password_salt: '' } };

// The reply's own schema (one contract), with a cursor that must be there to be stored.
const pageSchema = pullReplySchema.omit({ ok: true, more: true }).extend({ cursor: z.string().min(1).max(100) });

/** A page already checked against the contract (CentreClient.pull parses every reply with pullReplySchema). */
export type CheckedPage = Pick<PullReply, 'changes' | 'cursor' | 'users' | 'references'>;

// The per-row statements of a page run as SQL text kept per (table, column set): kysely's
// builders cost more CPU than SQLite's own work for a pulled row (a first sync writes 80,000), and
// the same text gets the same prepared statement back from the store's cache (statement-cache.ts).
// Names come from the catalogue and the store's own columns (the row was checked against them).
const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const texts = new Map<string, string>();
function text(id: string, build: () => string): string {
  let t = texts.get(id);
  if (t === undefined) {
    t = build();
    texts.set(id, t);
  }
  return t;
}
/** The text for a table and a list of columns (a page's rows of a table mostly share one list: compared, not joined into a key). */
const columnTexts = new WeakMap<TableMeta, { kind: string; cols: string[]; text: string }[]>();
function textFor(t: TableMeta, kind: 'insert' | 'update', cols: string[], build: () => string): string {
  let list = columnTexts.get(t);
  if (!list) columnTexts.set(t, (list = []));
  for (const e of list) if (e.kind === kind && e.cols.length === cols.length && e.cols.every((c, i) => c === cols[i])) return e.text;
  const built = build();
  list.unshift({ kind, cols, text: built });
  if (list.length > 16) list.pop();
  return built;
}
const whereKey = (t: TableMeta): string => t.spec.key.map((k) => `${ident(k)} = ?`).join(' AND ');
const keyValues = (t: TableMeta, key: Record<string, unknown>): unknown[] => t.spec.key.map((k) => key[k]);

async function run(db: Db, sqlText: string, params: unknown[]): Promise<DbRow[]> {
  return (await db.executeQuery<DbRow>(CompiledQuery.raw(sqlText, params))).rows;
}

const TOMBSTONE_PUT =
  'INSERT INTO sync_tombstones (tbl, key, version, deleted_at) VALUES (?, ?, ?, ?) ON CONFLICT (tbl, key) DO UPDATE SET version = excluded.version, deleted_at = excluded.deleted_at';
const TOMBSTONE_DROP = 'DELETE FROM sync_tombstones WHERE tbl = ? AND key = ?';
const YIELD_TAKE = 'DELETE FROM sync_yield WHERE tbl = ? AND key = ? RETURNING key';

export interface PullOutcome {
  applied: number;
  unchanged: number;
  /** Waiting for the answer to a local change of the same row. */
  deferred: number;
  /** The centre's version is older than this store's (the row came here by a package). */
  keptLocal: number;
  cursor: string;
}

export async function loadRow(db: Db, t: TableMeta, key: Record<string, unknown>): Promise<DbRow | undefined> {
  const q = text(`select\u0000${t.table}`, () => `SELECT * FROM ${ident(t.table)} WHERE ${whereKey(t)}`);
  return (await run(db, q, keyValues(t, key)))[0];
}

/** Has this row a local change the centre has not answered yet? */
export async function hasPendingChange(db: Db, tbl: string, key: string): Promise<boolean> {
  const r = await db
    .selectFrom('sync_outbox_keys')
    .innerJoin('sync_outbox', 'sync_outbox.seq', 'sync_outbox_keys.seq')
    .select('sync_outbox.seq')
    .where('sync_outbox_keys.tbl', '=', tbl)
    .where('sync_outbox_keys.key', '=', key)
    .where('sync_outbox.status', '=', 'pending')
    .executeTakeFirst();
  return !!r;
}

const sortedKeys = new WeakMap<TableMeta, string[]>();
function sortedKey(t: TableMeta): string[] {
  let k = sortedKeys.get(t);
  if (!k) sortedKeys.set(t, (k = [...t.spec.key].sort()));
  return k;
}

/** Checks one change against the catalogue and this store; returns its table. */
function check(meta: StoreMeta, c: Change, i: number): TableMeta {
  const where = `第 ${i + 1} 条变更`;
  const spec = syncTable(c.table);
  const t = spec && meta.tables.get(c.table);
  if (!t) return refuse(`中心发来的${where}属于本机不同步的数据表“${c.table.slice(0, 40)}”`);
  const keyCols = Object.keys(c.key).sort();
  const want = sortedKey(t);
  if (keyCols.length !== want.length || keyCols.some((k, j) => k !== want[j]))
    return refuse(`中心发来的${where}（${t.spec.label}）的主键不完整`);
  for (const k of t.spec.key) {
    const col = t.byName.get(k)!;
    const v = c.key[k];
    if (col.type === 'INTEGER' ? !Number.isInteger(v) : typeof v !== 'string')
      return refuse(`中心发来的${where}（${t.spec.label}）的主键类型不正确`);
  }
  if (c.deleted) {
    if (c.row !== null) return refuse(`中心发来的${where}（${t.spec.label}）既是删除又带有数据`);
    if (t.spec.merge === 'append-only') return refuse(`中心发来的${where}要删除一条只能追加的${t.spec.label}记录`);
    return t;
  }
  if (!c.row) return refuse(`中心发来的${where}（${t.spec.label}）缺少数据`);
  const parsed = syncRowSchema(t).safeParse(c.row);
  if (!parsed.success) return refuse(`中心发来的${where}（${t.spec.label}）格式不正确：${issueText(parsed.error)}`);
  for (const k of t.spec.key) if (c.row[k] !== c.key[k]) return refuse(`中心发来的${where}（${t.spec.label}）的数据与主键不一致`);
  const vcol = t.spec.merge === 'versioned' ? t.spec.versionColumn : null;
  if (vcol && c.row[vcol] !== undefined && c.row[vcol] !== c.version)
    return refuse(`中心发来的${where}（${t.spec.label}）的版本号与数据不一致`);
  if (vcol && c.version < 1) return refuse(`中心发来的${where}（${t.spec.label}）的版本号不正确`);
  return t;
}

type Outcome = 'applied' | 'unchanged' | 'keptLocal';

/** The pulled row is what this store already has (a membership row that exists counts as the same). */
function sameAsLocal(t: TableMeta, c: Change, local: DbRow): boolean {
  if (c.deleted || !c.row) return false;
  if (t.spec.merge === 'set') return true;
  const row = c.row;
  const mine = toSyncRow(t, local).row;
  // A username this store had to disambiguate (freeUsername) is the same username.
  if (t.table === 'users' && typeof row.username === 'string' && String(mine.username).startsWith(`${row.username.slice(0, 24)}.`))
    mine.username = row.username;
  return Object.keys(row).every((k) => canonical(mine[k] ?? null) === canonical(row[k] ?? null));
}

/** Applies one checked change (capture must be off). Exported for deferred changes (push-result.ts). */
/**
 * What a page knows of its keys before applying them (one query per table instead of one per
 * change): the stored rows, and which keys have a yield note or a tombstone. A key the page
 * writes is dropped from `rows`, so a second change of it reads the store again.
 */
export interface PageHints {
  rows: Map<string, DbRow>;
  loaded: Set<string>;
  yields: Set<string>;
  tombstones: Set<string>;
}

export async function applyChange(
  db: Db,
  clock: Clock,
  t: TableMeta,
  c: Change,
  touched: Set<string>,
  hints?: PageHints,
): Promise<Outcome> {
  const key = keyString(t, c.key);
  const hk = `${t.table}\u0000${key}`;
  const local = hints?.loaded.has(hk) ? hints.rows.get(hk) : await loadRow(db, t, c.key);
  hints?.loaded.delete(hk);
  hints?.rows.delete(hk);
  const vcol = t.spec.merge === 'versioned' ? t.spec.versionColumn : null;
  const tombstone = async () => {
    hints?.tombstones.add(hk);
    await run(db, TOMBSTONE_PUT, [t.table, key, c.version, chinaInstant(clock.now())]);
  };

  // A row whose local change the centre refused (conflict, rejection) takes the centre's state.
  const yields = async (): Promise<boolean> => {
    if (hints && !hints.yields.has(hk)) return false;
    hints?.yields.delete(hk);
    return (await run(db, YIELD_TAKE, [t.table, key])).length > 0;
  };

  if (c.deleted) {
    if (!local) {
      await tombstone();
      return 'unchanged';
    }
    if (vcol && c.version <= Number(local[vcol]) && !(await yields())) return 'keptLocal';
    if (t.table === 'cases') await unindexCase(db, String(c.key.id));
    await run(
      db,
      text(`delete\u0000${t.table}`, () => `DELETE FROM ${ident(t.table)} WHERE ${whereKey(t)}`),
      keyValues(t, c.key),
    );
    await tombstone();
    return 'applied';
  }

  const row = c.row!;
  if (local) {
    if (sameAsLocal(t, c, local)) return 'unchanged';
    if (t.spec.merge === 'append-only') refuse(`中心发来的${t.spec.label}记录与本机已有的同一记录内容不同（这类记录签发后不能修改）`);
    if (vcol && c.version < Number(local[vcol]) && !(await yields())) return 'keptLocal';
  }
  const values: DbRow = {};
  let blobs = false;
  for (const k in row) {
    const v = row[k];
    if (v && typeof v === 'object' && '$blob' in v) {
      blobs = true;
      const bytes = await readBlob(db, v.$blob);
      if (!bytes) refuse(`中心发来的${t.spec.label}记录所需的文件（${v.$blob.slice(0, 12)}…）尚未下载`);
      values[k] = bytes;
    } else values[k] = v;
  }
  if (vcol) values[vcol] = c.version;
  if (t.table === 'users' && typeof values.username === 'string')
    values.username = await freeUsername(db, String(c.key.id), values.username);
  try {
    if (local) {
      const cols = Object.keys(values).filter((k) => !t.spec.key.includes(k));
      // Nothing but the key: the row is already what the centre has.
      if (cols.length > 0)
        await run(
          db,
          textFor(
            t,
            'update',
            cols,
            () => `UPDATE ${ident(t.table)} SET ${cols.map((k) => `${ident(k)} = ?`).join(', ')} WHERE ${whereKey(t)}`,
          ),
          [...cols.map((k) => values[k]), ...keyValues(t, c.key)],
        );
    } else {
      // The tombstone goes first: the insert trigger would otherwise carry the local deletion's version on.
      if (!hints || hints.tombstones.has(hk)) await run(db, TOMBSTONE_DROP, [t.table, key]);
      hints?.tombstones.delete(hk);
      const full: DbRow = LOCAL_DEFAULTS[t.table] ? { ...LOCAL_DEFAULTS[t.table], ...values } : values;
      const cols = Object.keys(full);
      await run(
        db,
        textFor(
          t,
          'insert',
          cols,
          () => `INSERT INTO ${ident(t.table)} (${cols.map(ident).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
        ),
        cols.map((k) => full[k]),
      );
    }
  } catch (e) {
    // The same person or document registered separately here and elsewhere (a unique value taken
    // by another row): no rule can merge them; a person must (issue #13's duplicate handling).
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
      refuse(
        `中心发来的${t.spec.label}记录与本机另一条记录的唯一值（如身份证号、文号、编号）相同，可能是同一对象在两处分别登记，需由管理员核对处理`,
      );
    throw e;
  }
  if (blobs)
    for (const [col, v] of Object.entries(row))
      if (v && typeof v === 'object' && '$blob' in v) await noteBlobRef(db, { sha256: v.$blob, tbl: t.table, key, col });
  touched.add(hk);
  await yields();
  return 'applied';
}

/**
 * Usernames are unique per store, and two devices may each have made a `clerk`: a person from the
 * centre whose username is taken here by someone else gets it with the last digits of their id
 * (as a hearing package does), so the page applies and nobody signs in as someone else.
 */
async function freeUsername(db: Db, id: string, wanted: string): Promise<string> {
  const digits = id.replace(/-/g, '');
  let name = wanted;
  for (let n = 6; n <= digits.length; n += 4) {
    const holder = await db.selectFrom('users').select('id').where('username', '=', name).executeTakeFirst();
    if (!holder || holder.id === id) return name;
    name = `${wanted.slice(0, 24)}.${digits.slice(-n)}`;
  }
  return refuse(`中心发来的人员账号“${wanted}”与本机账号的用户名冲突，无法建立`);
}

/** Every reference of the rows a page wrote must hold (parents may arrive in the same page): one query per foreign key. */
async function checkReferences(db: Db, meta: StoreMeta, written: { t: TableMeta; row: DbRow }[]): Promise<void> {
  const wanted = new Map<string, { table: string; to: string; values: Set<unknown>; from: Map<unknown, TableMeta> }>();
  for (const { t, row } of written)
    for (const fk of t.fks) {
      const v = row[fk.from];
      if (v === null || v === undefined) continue;
      const id = `${fk.table}\u0000${fk.to}`;
      const w = wanted.get(id) ?? { table: fk.table, to: fk.to, values: new Set(), from: new Map() };
      w.values.add(v);
      if (!w.from.has(v)) w.from.set(v, t);
      wanted.set(id, w);
    }
  for (const w of wanted.values()) {
    const values = [...w.values];
    for (let i = 0; i < values.length; i += 500) {
      const part = values.slice(i, i + 500);
      const found = new Set(
        (
          await sql<{ v: unknown }>`SELECT ${sql.ref(w.to)} AS v FROM ${sql.table(w.table)}
            WHERE ${sql.ref(w.to)} IN (SELECT value FROM json_each(${JSON.stringify(part)}))`.execute(db)
        ).rows.map((r) => r.v),
      );
      for (const v of part) {
        if (found.has(v)) continue;
        const parent = meta.tables.get(w.table)?.spec.label ?? w.table;
        refuse(`中心发来的${w.from.get(v)!.spec.label}记录引用的${parent}在本机和本页中都没有`);
      }
    }
  }
}

/** The stored rows, yield notes and tombstones of a page's keys, read once per table. */
async function pageHints(db: Db, meta: StoreMeta, changes: readonly Change[], tables: readonly TableMeta[]): Promise<PageHints> {
  const hints: PageHints = { rows: new Map(), loaded: new Set(), yields: new Set(), tombstones: new Set() };
  const byTable = new Map<TableMeta, Change[]>();
  for (const [i, c] of changes.entries()) {
    const t = tables[i]!;
    const list = byTable.get(t);
    if (list) list.push(c);
    else byTable.set(t, [c]);
  }
  const pairs: { tbl: string; key: string }[] = [];
  for (const [t, list] of byTable) {
    // The keys as one JSON parameter: one statement text per table, whatever the page holds.
    const q = text(
      `hints\u0000${t.table}`,
      () =>
        `SELECT * FROM ${ident(t.table)} WHERE (${t.spec.key.map(ident).join(', ')}) IN (SELECT ${t.spec.key.map((_, j) => `value ->> ${j}`).join(', ')} FROM json_each(?))`,
    );
    for (let i = 0; i < list.length; i += 1000) {
      const part = JSON.stringify(list.slice(i, i + 1000).map((c) => keyValues(t, c.key)));
      for (const r of await run(db, q, [part])) hints.rows.set(`${t.table}\u0000${keyString(t, r)}`, r);
    }
    for (const c of list) {
      const key = keyString(t, c.key);
      hints.loaded.add(`${t.table}\u0000${key}`);
      pairs.push({ tbl: t.table, key });
    }
  }
  const json = JSON.stringify(pairs);
  for (const r of (
    await sql<{ tbl: string; key: string }>`SELECT tbl, key FROM sync_yield
      WHERE EXISTS (SELECT 1 FROM json_each(${json}) j WHERE j.value ->> 'tbl' = sync_yield.tbl AND j.value ->> 'key' = sync_yield.key)`.execute(
      db,
    )
  ).rows)
    hints.yields.add(`${r.tbl}\u0000${r.key}`);
  for (const r of (
    await sql<{ tbl: string; key: string }>`SELECT t.tbl, t.key FROM json_each(${json}) j
      JOIN sync_tombstones t ON t.tbl = j.value ->> 'tbl' AND t.key = j.value ->> 'key'`.execute(db)
  ).rows)
    hints.tombstones.add(`${r.tbl}\u0000${r.key}`);
  return hints;
}

/** The page's keys that a local mutation not yet answered holds (none at all in the common case). */
async function pendingKeys(db: Db, changes: readonly Change[], tables: readonly TableMeta[]): Promise<Set<string>> {
  const any = await db.selectFrom('sync_outbox').select('seq').where('status', '=', 'pending').limit(1).executeTakeFirst();
  if (!any) return new Set();
  const json = JSON.stringify(changes.map((c, i) => ({ tbl: tables[i]!.table, key: keyString(tables[i]!, c.key) })));
  const rows = (
    await sql<{ tbl: string; key: string }>`SELECT DISTINCT k.tbl, k.key FROM sync_outbox_keys k JOIN sync_outbox o ON o.seq = k.seq
      WHERE o.status = 'pending' AND EXISTS (SELECT 1 FROM json_each(${json}) j WHERE j.value ->> 'tbl' = k.tbl AND j.value ->> 'key' = k.key)`.execute(
      db,
    )
  ).rows;
  return new Set(rows.map((r) => `${r.tbl}\u0000${r.key}`));
}

/** Which of these cases this store holds (one query per 500). */
async function heldCases(db: Db, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500)
    for (const r of await run(db, 'SELECT id FROM cases WHERE id IN (SELECT value FROM json_each(?))', [
      JSON.stringify(ids.slice(i, i + 500)),
    ]))
      out.add(String(r.id));
  return out;
}

/** Reindexes the cases whose row or worker a page (or a deferred change) changed. */
export async function reindexTouched(db: Db, touched: Set<string>): Promise<void> {
  const cases = new Set<string>();
  const workers: string[] = [];
  for (const k of touched) {
    const [tbl, key] = k.split('\u0000') as [string, string];
    if (tbl !== 'cases' && tbl !== 'workers') continue;
    const id = (JSON.parse(key) as string[])[0]!;
    if (tbl === 'cases') cases.add(id);
    else workers.push(id);
  }
  for (let i = 0; i < workers.length; i += 500)
    for (const c of await db
      .selectFrom('cases')
      .select('id')
      .where('worker_id', 'in', workers.slice(i, i + 500))
      .execute())
      cases.add(c.id);
  await reindexCases(db, [...cases]);
}

/**
 * Applies one pull page and stores its cursor, in one transaction (or in the caller's). Throws
 * PullRefused, writing nothing, when any change is unacceptable. The page is checked against the
 * contract here; a page the sync client already checked goes to applyCheckedPage.
 */
export async function applyPullPage(db: Db, clock: Clock, page: unknown): Promise<PullOutcome> {
  const parsed = pageSchema.safeParse(page);
  if (!parsed.success) return refuse(`中心发来的数据页格式不正确：${issueText(parsed.error)}`);
  return applyCheckedPage(db, clock, parsed.data);
}

/**
 * The same for a page already checked against the contract (the client's pullReplySchema): it is
 * not parsed again (a first sync's 80 pages cost as much to parse as to write). Every change is
 * still checked against this store (check()), as in applyPullPage.
 */
export async function applyCheckedPage(db: Db, clock: Clock, page: CheckedPage): Promise<PullOutcome> {
  // The one rule the page schema adds to the reply's: a cursor to store. applyPullPage refuses it in its words.
  if (page.cursor.length === 0) return applyPullPage(db, clock, page);
  if (!db.isTransaction) return db.transaction().execute((trx) => applyCheckedPage(trx, clock, page));
  const { changes, cursor, users = [], references = [] } = page;
  return withCaptureOff(db, async () => {
    const meta = await storeMeta(db);
    const tables = changes.map((c, i) => check(meta, c, i));
    const refTables = references.map((c, i) => {
      const t = check(meta, c, i);
      if (t.spec.link.kind !== 'office' || t.table === 'users' || t.table === 'user_roles' || c.deleted)
        refuse(`中心随页附带的第 ${i + 1} 条引用数据（${t.spec.label}）不是可附带的机构公共数据`);
      return t;
    });

    // Holds: a case-bound change needs its case here or in this page.
    const pageCases = new Set(changes.filter((c) => c.table === 'cases' && !c.deleted).map((c) => String(c.key.id)));
    const needed: { i: number; t: TableMeta; id: string }[] = [];
    for (const [i, c] of changes.entries()) {
      const t = tables[i]!;
      if (t.spec.link.kind !== 'column') continue;
      const column = t.spec.link.column;
      const caseId = c.deleted ? ((await loadRow(db, t, c.key))?.[column] ?? c.key[column]) : c.row![column];
      if (caseId === null || caseId === undefined) continue;
      const id = String(caseId);
      if (!pageCases.has(id)) needed.push({ i, t, id });
    }
    const held = await heldCases(db, [...new Set(needed.map((n) => n.id))]);
    for (const { i, t, id } of needed) if (!held.has(id)) refuse(`中心发来的第 ${i + 1} 条变更（${t.spec.label}）属于本机没有的案件`);

    // References are checked once the whole page is in: parents may come after children.
    await sql`PRAGMA defer_foreign_keys = ON`.execute(db);
    const out: PullOutcome = { applied: 0, unchanged: 0, deferred: 0, keptLocal: 0, cursor };
    const touched = new Set<string>();
    const written: { t: TableMeta; row: DbRow }[] = [];
    const usedBlobs = new Set<string>();
    // First what the page's rows name from another office: its people, as accounts that cannot
    // sign in (the hearing package's foreign users), and its experts and platforms, inserted only
    // where this store has none (a row here is never changed by them; nor are they sent back).
    if (users.length > 0) await importCarriedUsers(db, clock, users, refuse);
    for (const [i, c] of references.entries()) {
      const t = refTables[i]!;
      if (await loadRow(db, t, c.key)) continue;
      if ((await applyChange(db, clock, t, c, touched)) === 'applied') written.push({ t, row: c.row as DbRow });
    }
    const pending = await pendingKeys(db, changes, tables);
    const hints = await pageHints(db, meta, changes, tables);
    for (const [i, c] of changes.entries()) {
      const t = tables[i]!;
      const key = keyString(t, c.key);
      if (pending.has(`${t.table}\u0000${key}`)) {
        // Nothing to wait for when the centre already has what we have (e.g. rows of a baseline).
        const local = await loadRow(db, t, c.key);
        if (local && sameAsLocal(t, c, local)) {
          out.unchanged++;
          continue;
        }
        const prev = await db
          .selectFrom('sync_deferred')
          .select('change')
          .where('tbl', '=', t.table)
          .where('key', '=', key)
          .executeTakeFirst();
        if (!prev || (JSON.parse(prev.change) as Change).version <= c.version)
          await db
            .insertInto('sync_deferred')
            .values({ tbl: t.table, key, change: JSON.stringify(c), received_at: chinaInstant(clock.now()) })
            .onConflict((oc) =>
              oc.columns(['tbl', 'key']).doUpdateSet({ change: JSON.stringify(c), received_at: chinaInstant(clock.now()) }),
            )
            .execute();
        out.deferred++;
        continue;
      }
      const r = await applyChange(db, clock, t, c, touched, hints);
      out[r]++;
      if (r === 'applied' && c.row) {
        written.push({ t, row: c.row as DbRow });
        for (const v of Object.values(c.row)) if (v && typeof v === 'object' && '$blob' in v) usedBlobs.add(v.$blob);
      }
    }
    await checkReferences(db, meta, written);
    // A delete may orphan rows that point at it; only then is the (whole-store) check worth its cost.
    if (changes.some((c) => c.deleted)) {
      const orphans = (await sql<{ n: number }>`SELECT count(*) AS n FROM pragma_foreign_key_check`.execute(db)).rows[0]?.n ?? 0;
      if (orphans > 0) refuse('中心发来的删除会使本机其他记录失去所引用的数据');
    }
    await reindexTouched(db, touched);
    // The desk's projections (clocks, facts, 疑点) of the cases the page touched, now, not at the next call.
    await refreshDirty(db, clock);
    // Blobs fetched for this page now live in their rows (and are found there by hash).
    for (const h of usedBlobs) await db.deleteFrom('sync_blobs').where('sha256', '=', h).execute();
    await db
      .updateTable('sync_state')
      .set({ pull_cursor: cursor, pulled_at: chinaInstant(clock.now()) })
      .where('id', '=', 1)
      .execute();
    return out;
  });
}

/** Where the next pull starts (null before the first page). */
export async function pullCursor(db: Db): Promise<string | null> {
  return (await db.selectFrom('sync_state').select('pull_cursor').where('id', '=', 1).executeTakeFirst())?.pull_cursor ?? null;
}
