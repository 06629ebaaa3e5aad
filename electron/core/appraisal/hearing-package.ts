// The 专场包: a 鉴定专场 exported as one JSON file holding everything the panel needs for the
// day (the hearing, its cases with their workers, materials, bills, moves, draws, recusals,
// requests, opinions, conclusions and issued documents, the whole expert pool, the platforms
// and the people those rows name), carried to a laptop with no network, and carried back.
// Export and import are the same code on both machines. The file carries a SHA-256 over its
// canonical content and the exporting device's Ed25519 signature over that hash; the import
// checks both, validates every row with zod against this store's own columns, checks that every
// row belongs to the hearing, then merges in the caller's single transaction by the rules in
// docs/hearing-package.md. Any refusal throws, so nothing is written.
import { sign, verify, createPublicKey } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db-schema';
import { chinaDate, chinaInstant, type Clock } from '../clock';
import { ApiError } from '../../../shared/api/errors';
import type { ImportSummary } from '../../../shared/api/methods/hearing-package';
import { ROLES, type Role } from '../../../shared/roles';
import { canonical } from '../../../shared/crypto/canonical';
import { sha256 } from '../crypto/hash';
import { keyIdOf, type DeviceKey } from '../crypto/device-key';
import { appendAudit, entryHash, type AuditRecord } from '../audit';
import { createSignInlessUser } from '../users';
import { indexCase } from '../cases/case-search';
import { maskIdNumber } from '../cases/masking';

type Db = Kysely<Database>;
type TableName = keyof Database;
/** A row as it travels: column → value, BLOBs as base64. */
type Row = Record<string, unknown>;
/** The store seen without kysely's per-table types, for the generic table code below. */
type AnyDb = Kysely<Record<string, Row>>;

export const PACKAGE_FORMAT = 'oip-desk/hearing-package';
// 2: the 专场 is called a hearing (body.hearing, hearing tables); version-1 files are refused.
export const PACKAGE_VERSION = 2;
/** Audit copies of another device's entries are written under this method name. */
const IMPORT_METHOD = 'hearings.importPackage';
/** The same method before the 专场 was called a hearing: audit entries keep the name they were written with. */
const IMPORT_METHODS = [IMPORT_METHOD, 'sessions.importPackage'];
const FOREIGN_AUDIT_ACTION = '外机审计记录';

// ---------------------------------------------------------------------------------------------
// What a package holds: ONE declarative list. Adding a table is one line here.
//
// scope: which rows belong to the hearing (the same test selects them on export and checks
//   them on import). Every listed column's value must be in its set; no scope = every row.
// merge: what an import does with a row that differs from the local one (absent rows are
//   inserted, identical ones skipped, whatever the rule):
//   'case'         the case rule: the package's row only if its version is higher and the local
//                  moves are a prefix of the package's; local kept if the package is an older
//                  state of the same history; otherwise refused (changed in both places).
//   'case-detail'  rows that belong to a case: the package's row when the package's case row
//                  was taken (or is new here), otherwise the local row.
//   'append-only'  legal and historical records: never changed; a differing row is refused.
//   'session'      the day's record: the package wins, unless this store has a signed
//                  conclusion for that case in that hearing that the package lacks (refused).
//   'newer'        descriptive records with updated_at: the later one wins.
//   'local'        the local row is kept.
// ---------------------------------------------------------------------------------------------

interface ScopeCtx {
  hearingId: string;
  rows: Partial<Record<TableName, Row[]>>;
}
interface Constraint {
  column: string;
  values: (c: ScopeCtx) => Set<string>;
}
type MergeRule = 'case' | 'case-detail' | 'append-only' | 'session' | 'newer' | 'local';
interface TableSpec {
  table: TableName;
  label: string;
  scope: Constraint[];
  merge: MergeRule;
  /** Columns naming a user without a foreign key (those with one are found in the schema). */
  userColumns?: string[];
}

const values = (c: ScopeCtx, table: TableName, column: string): string[] =>
  (c.rows[table] ?? []).map((r) => r[column]).filter((v): v is string => typeof v === 'string');
const jsonValues = (c: ScopeCtx, table: TableName, column: string, pick: (x: unknown) => unknown = (x) => x): string[] =>
  values(c, table, column).flatMap((text) => {
    try {
      const parsed = JSON.parse(text) as unknown;
      return Array.isArray(parsed) ? parsed.map(pick).filter((v): v is string => typeof v === 'string') : [];
    } catch {
      return [];
    }
  });

const inHearing: Constraint = { column: 'hearing_id', values: (c) => new Set([c.hearingId]) };
const ofCases = (column = 'case_id'): Constraint => ({ column, values: (c) => new Set(values(c, 'hearing_cases', 'case_id')) });
const referencedBy = (column: string, ...refs: [TableName, string][]): Constraint => ({
  column,
  values: (c) => new Set(refs.flatMap(([t, col]) => values(c, t, col))),
});
/** The hearing, and the earlier hearings whose conclusions on these cases travel too. */
const hearings: Constraint = { column: 'id', values: (c) => new Set([c.hearingId, ...values(c, 'appraisal_conclusions', 'hearing_id')]) };
const platforms: Constraint = {
  column: 'code',
  values: (c) =>
    new Set([
      ...values(c, 'cases', 'responsible_platform'),
      ...values(c, 'accident_reports', 'platform_code'),
      ...jsonValues(c, 'cases', 'orders', (o) => (o as { platform?: unknown } | null)?.platform),
      ...jsonValues(c, 'workers', 'platforms'),
      ...jsonValues(c, 'experts', 'platform_ties'),
    ]),
};

/** In dependency order for the scopes (a scope may use the rows of tables above it). */
export const PACKAGE_TABLES: readonly TableSpec[] = [
  { table: 'hearing_cases', label: '专场案件', scope: [inHearing], merge: 'session' },
  { table: 'cases', label: '案件', scope: [ofCases('id')], merge: 'case' },
  { table: 'workers', label: '伤者', scope: [referencedBy('id', ['cases', 'worker_id'])], merge: 'newer' },
  { table: 'accident_reports', label: '事故备案', scope: [referencedBy('id', ['cases', 'accident_report_id'])], merge: 'local' },
  { table: 'case_materials', label: '申请材料', scope: [ofCases()], merge: 'case-detail' },
  { table: 'medical_bills', label: '医疗票据', scope: [ofCases()], merge: 'case-detail' },
  { table: 'case_transitions', label: '办理记录', scope: [ofCases()], merge: 'append-only' },
  { table: 'panel_draws', label: '专家抽取记录', scope: [ofCases()], merge: 'append-only' },
  { table: 'case_recusals', label: '专家回避', scope: [ofCases()], merge: 'case-detail' },
  { table: 'appraisal_requests', label: '鉴定申请', scope: [ofCases()], merge: 'case-detail' },
  { table: 'expert_opinions', label: '专家意见', scope: [inHearing, ofCases()], merge: 'session' },
  { table: 'appraisal_conclusions', label: '鉴定结论', scope: [ofCases()], merge: 'append-only' },
  { table: 'issued_documents', label: '已出具文书', scope: [ofCases()], merge: 'append-only', userColumns: ['signer_id'] },
  { table: 'hearings', label: '鉴定专场', scope: [hearings], merge: 'session' },
  { table: 'experts', label: '鉴定专家', scope: [], merge: 'newer' },
  { table: 'platforms', label: '平台', scope: [platforms], merge: 'newer' },
];

// ---------------------------------------------------------------------------------------------
// The tables' shapes, read from this store's schema, so rows are checked against the columns
// this version of the app actually has.
// ---------------------------------------------------------------------------------------------

interface Column {
  name: string;
  type: string;
  notnull: boolean;
}
interface TableMeta {
  columns: Column[];
  pk: string[];
  /** Unique constraints other than the primary key, each a list of columns. */
  uniques: string[][];
  /** Columns that name a user. */
  userColumns: string[];
  /** Foreign keys: column → parent table and column. */
  fks: { from: string; table: string; to: string }[];
  blobs: Set<string>;
}

async function tableMeta(db: Db, spec: TableSpec): Promise<TableMeta> {
  const cols = (
    await sql<{
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }>`SELECT name, type, "notnull", pk FROM pragma_table_info(${spec.table})`.execute(db)
  ).rows;
  const fks = (
    await sql<{
      table: string;
      from: string;
      to: string | null;
    }>`SELECT "table", "from", "to" FROM pragma_foreign_key_list(${spec.table})`.execute(db)
  ).rows;
  const indexes = (
    await sql<{
      name: string;
      unique: number;
      origin: string;
    }>`SELECT name, "unique", origin FROM pragma_index_list(${spec.table})`.execute(db)
  ).rows;
  const uniques: string[][] = [];
  for (const ix of indexes.filter((i) => i.unique === 1 && i.origin !== 'pk')) {
    uniques.push(
      (await sql<{ name: string }>`SELECT name FROM pragma_index_info(${ix.name}) ORDER BY seqno`.execute(db)).rows.map((r) => r.name),
    );
  }
  return {
    columns: cols.map((c) => ({ name: c.name, type: c.type.toUpperCase(), notnull: c.notnull === 1 })),
    pk: cols
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name),
    uniques,
    userColumns: [...new Set([...fks.filter((f) => f.table === 'users').map((f) => f.from), ...(spec.userColumns ?? [])])],
    // Every foreign key of this schema names its parent column; a bare REFERENCES means the id.
    fks: fks.map((f) => ({ from: f.from, table: f.table, to: f.to ?? 'id' })),
    blobs: new Set(cols.filter((c) => c.type.toUpperCase() === 'BLOB').map((c) => c.name)),
  };
}

async function allMeta(db: Db): Promise<Map<TableName, TableMeta>> {
  const out = new Map<TableName, TableMeta>();
  for (const spec of PACKAGE_TABLES) out.set(spec.table, await tableMeta(db, spec));
  return out;
}

async function schemaVersion(db: Db): Promise<number> {
  const r = await sql<{ v: number | null }>`SELECT max(version) AS v FROM schema_migrations`.execute(db);
  return r.rows[0]?.v ?? 0;
}

const encodeRow = (row: Row): Row =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('base64') : v]));
const decodeRow = (row: Row, meta: TableMeta): Row =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, meta.blobs.has(k) && typeof v === 'string' ? Buffer.from(v, 'base64') : v]));
const keyOf = (row: Row, meta: TableMeta): string => JSON.stringify(meta.pk.map((k) => row[k]));
const sortRows = (rows: Row[], meta: TableMeta): Row[] =>
  rows.sort((a, b) => (keyOf(a, meta) < keyOf(b, meta) ? -1 : keyOf(a, meta) > keyOf(b, meta) ? 1 : 0));

function chunks<T>(list: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The store's rows of one table that belong to the hearing, by the table's scope. */
async function scopedRows(db: Db, spec: TableSpec, meta: TableMeta, ctx: ScopeCtx): Promise<Row[]> {
  const any = db as unknown as AnyDb;
  const [first, ...rest] = spec.scope;
  if (!first) return sortRows((await any.selectFrom(spec.table).selectAll().execute()).map(encodeRow), meta);
  const wanted = [...first.values(ctx)];
  const out: Row[] = [];
  for (const part of chunks(wanted)) {
    let q = any.selectFrom(spec.table).selectAll().where(first.column, 'in', part);
    for (const c of rest) {
      const v = [...c.values(ctx)];
      if (v.length === 0) return [];
      q = q.where(c.column, 'in', v);
    }
    out.push(...(await q.execute()).map(encodeRow));
  }
  return sortRows(out, meta);
}

// ---------------------------------------------------------------------------------------------
// The package.
// ---------------------------------------------------------------------------------------------

interface PackageUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}
interface PackageAudit extends AuditRecord {
  seq: number;
  prevHash: string;
  hash: string;
}
interface PackageBody {
  format: string;
  version: number;
  schemaVersion: number;
  device: { tag: string; keyId: string; publicKey: string };
  exportedAt: string;
  exportedBy: { id: string | null; name: string };
  hearing: { id: string; hearingNo: string };
  users: PackageUser[];
  tables: Record<string, Row[]>;
  audit: PackageAudit[];
}

const packageHash = (body: PackageBody): string => sha256(Buffer.from(canonical(body)));
const signedBytes = (hash: string): Buffer => Buffer.from(`${PACKAGE_FORMAT}:${hash}`);

export async function exportHearingPackage(
  db: Db,
  clock: Clock,
  opts: { hearingId: string; key: DeviceKey; deviceTag: string; exportedBy: { id: string | null; name: string } },
): Promise<{ fileName: string; content: string; hearingNo: string; sha256: string; counts: Record<string, number> }> {
  const hearing = await db.selectFrom('hearings').select(['id', 'hearing_no']).where('id', '=', opts.hearingId).executeTakeFirst();
  if (!hearing) throw new ApiError('NOT_FOUND', '鉴定专场不存在，请刷新列表后重试');
  const meta = await allMeta(db);
  const ctx: ScopeCtx = { hearingId: hearing.id, rows: {} };
  for (const spec of PACKAGE_TABLES) ctx.rows[spec.table] = await scopedRows(db, spec, meta.get(spec.table)!, ctx);

  const userIds = new Set<string>();
  for (const spec of PACKAGE_TABLES)
    for (const row of ctx.rows[spec.table]!)
      for (const c of meta.get(spec.table)!.userColumns) if (typeof row[c] === 'string') userIds.add(row[c]);
  const users: PackageUser[] = [];
  for (const part of chunks([...userIds].sort())) {
    // Never the password hash, the salt or hearings: who the person is and what they may do.
    const rows = await db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', part).orderBy('id').execute();
    const roles = await db.selectFrom('user_roles').select(['user_id', 'role']).where('user_id', 'in', part).orderBy('role').execute();
    for (const u of rows)
      users.push({
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        roles: roles.filter((r) => r.user_id === u.id).map((r) => r.role),
      });
  }

  // This device's own audit entries about the hearing and its cases (not copies it imported).
  const entityIds = [hearing.id, ...values(ctx, 'hearing_cases', 'case_id')];
  const audit: PackageAudit[] = [];
  for (const part of chunks(entityIds)) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', 'in', part)
      .where('method', 'not in', IMPORT_METHODS)
      .execute();
    audit.push(
      ...rows.map((r) => ({
        seq: r.seq,
        at: r.at,
        actorId: r.actor_id,
        actorName: r.actor_name,
        method: r.method,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        summary: r.summary,
        prevHash: r.prev_hash,
        hash: r.hash,
      })),
    );
  }
  audit.sort((a, b) => a.seq - b.seq);

  const now = clock.now();
  const body: PackageBody = {
    format: PACKAGE_FORMAT,
    version: PACKAGE_VERSION,
    schemaVersion: await schemaVersion(db),
    device: { tag: opts.deviceTag, keyId: opts.key.keyId, publicKey: opts.key.publicKeyB64 },
    exportedAt: chinaInstant(now),
    exportedBy: opts.exportedBy,
    hearing: { id: hearing.id, hearingNo: hearing.hearing_no },
    users,
    tables: Object.fromEntries(PACKAGE_TABLES.map((s) => [s.table, ctx.rows[s.table]!])),
    audit,
  };
  const hash = packageHash(body);
  const signature = sign(null, signedBytes(hash), opts.key.privateKey).toString('base64');
  return {
    fileName: `专场-${hearing.hearing_no}-${chinaDate(now)}.json`,
    content: JSON.stringify({ ...body, sha256: hash, signature }),
    hearingNo: hearing.hearing_no,
    sha256: hash,
    counts: Object.fromEntries(PACKAGE_TABLES.map((s) => [s.table, ctx.rows[s.table]!.length])),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading and checking a package: nothing is written until all of this has passed.
// ---------------------------------------------------------------------------------------------

const REEXPORT = '请在导出的电脑上重新导出专场包，不要手工编辑文件';
const refuse = (message: string): never => {
  throw new ApiError('RULE_REFUSED', message);
};
const invalid = (message: string): never => {
  throw new ApiError('INVALID_INPUT', message, [{ path: 'content', message }]);
};

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const headerSchema = z.strictObject({
  format: z.literal(PACKAGE_FORMAT),
  version: z.number().int(),
  schemaVersion: z.number().int(),
  device: z.object({ tag: z.string().max(16), keyId: z.string().regex(/^[0-9a-f]{16}$/), publicKey: z.string().max(200) }),
  exportedAt: z.string().max(40),
  exportedBy: z.object({ id: z.string().max(40).nullable(), name: z.string().max(100) }),
  hearing: z.object({ id: z.string().regex(/^[0-9a-f-]{36}$/), hearingNo: z.string().max(60) }),
  users: z.array(z.unknown()),
  tables: z.record(z.string(), z.array(z.unknown())),
  audit: z.array(z.unknown()),
  sha256: hex64,
  signature: z.string().max(200),
});

const userSchema = z.strictObject({
  id: z.string().min(1).max(40),
  username: z.string().regex(/^[a-z][a-z0-9._-]{0,63}$/),
  displayName: z.string().min(1).max(100),
  roles: z.array(z.string().max(40)).max(20),
});
const auditSchema = z.strictObject({
  seq: z.number().int().min(1),
  at: z.string().max(40),
  actorId: z.string().max(40).nullable(),
  actorName: z.string().max(100).nullable(),
  method: z.string().max(100),
  action: z.string().max(100),
  entity: z.string().max(60).nullable(),
  entityId: z.string().max(100).nullable(),
  summary: z.string().max(10_000),
  prevHash: hex64,
  hash: hex64,
});

function rowSchema(meta: TableMeta) {
  const shape: Record<string, z.ZodType> = {};
  for (const c of meta.columns) {
    let s: z.ZodType =
      c.type === 'INTEGER'
        ? z.number().int()
        : c.type === 'BLOB'
          ? z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, '应为 base64')
          : c.type === 'REAL'
            ? z.number()
            : z.string();
    if (!c.notnull) s = s.nullable();
    shape[c.name] = s;
  }
  return z.strictObject(shape);
}

function issueText(err: z.ZodError): string {
  const i = err.issues[0];
  return i ? `${i.path.length ? `字段 ${i.path.join('.')}：` : ''}${i.message}` : '格式不正确';
}

interface Checked {
  body: PackageBody;
  hash: string;
  trusted: boolean;
}

/** Parses and checks a package: JSON, header, hash, signature, schema, rows, belonging. */
async function checkPackage(
  db: Db,
  content: string,
  trustedKey: (keyId: string, publicKey: string) => Promise<boolean>,
  meta: Map<TableName, TableMeta>,
): Promise<Checked> {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch {
    return invalid('所选文件不是完整的专场包（无法按 JSON 读取），可能在复制时损坏或被编辑过。' + REEXPORT);
  }
  if (!raw || typeof raw !== 'object' || (raw as { format?: unknown }).format !== PACKAGE_FORMAT)
    return invalid('所选文件不是本系统导出的专场包，请选择“导出专场包”得到的 .json 文件');
  const header = headerSchema.safeParse(raw);
  if (!header.success) return invalid(`专场包的文件头不完整（${issueText(header.error)}），文件可能被改动过。${REEXPORT}`);
  const { sha256: claimed, signature, ...bodyRaw } = header.data;
  const body = bodyRaw as unknown as PackageBody;
  if (body.version !== PACKAGE_VERSION)
    return refuse(`专场包格式为第 ${body.version} 版，本机软件只能读取第 ${PACKAGE_VERSION} 版。请把两台电脑升级到同一版本后重新导出`);

  // Integrity first: an edited file is named as such, not as a confusing field error.
  const hash = packageHash(body);
  if (hash !== claimed) return refuse(`专场包内容与其校验值（SHA-256）不符：文件已损坏或被改动过，未导入任何数据。${REEXPORT}`);
  let signed = false;
  try {
    const pub = createPublicKey({ key: Buffer.from(body.device.publicKey, 'base64'), format: 'der', type: 'spki' });
    signed = keyIdOf(body.device.publicKey) === body.device.keyId && verify(null, signedBytes(hash), pub, Buffer.from(signature, 'base64'));
  } catch {
    signed = false;
  }
  if (!signed) return refuse(`专场包的设备签名无效：文件被改动过或签名不完整，未导入任何数据。${REEXPORT}`);
  const local = await schemaVersion(db);
  if (body.schemaVersion !== local) {
    return refuse(
      `专场包由数据库版本 ${body.schemaVersion} 的软件导出，本机为版本 ${local}。两台电脑的软件版本不同，请先升级到同一版本，再重新导出、导入`,
    );
  }

  // Shapes: exactly the tables of this version, every row exactly this store's columns.
  const expected = new Set(PACKAGE_TABLES.map((s) => s.table as string));
  const extra = Object.keys(body.tables).find((t) => !expected.has(t));
  if (extra) return invalid(`专场包含有本机不认识的数据表“${extra}”。${REEXPORT}`);
  for (const spec of PACKAGE_TABLES) {
    const rows = body.tables[spec.table];
    if (!rows) return invalid(`专场包缺少${spec.label}数据。${REEXPORT}`);
    const schema = rowSchema(meta.get(spec.table)!);
    for (const [i, row] of rows.entries()) {
      const r = schema.safeParse(row);
      if (!r.success) return invalid(`专场包中第 ${i + 1} 条${spec.label}记录格式不正确（${issueText(r.error)}）。${REEXPORT}`);
    }
  }
  for (const [i, u] of body.users.entries()) {
    const r = userSchema.safeParse(u);
    if (!r.success) return invalid(`专场包中第 ${i + 1} 个人员账号格式不正确（${issueText(r.error)}）。${REEXPORT}`);
  }
  for (const [i, a] of body.audit.entries()) {
    const r = auditSchema.safeParse(a);
    if (!r.success) return invalid(`专场包中第 ${i + 1} 条审计记录格式不正确（${issueText(r.error)}）。${REEXPORT}`);
    const e = r.data;
    const record = {
      at: e.at,
      actorId: e.actorId,
      actorName: e.actorName,
      method: e.method,
      action: e.action,
      entity: e.entity,
      entityId: e.entityId,
      summary: e.summary,
    };
    if (entryHash(e.seq, record, e.prevHash) !== e.hash)
      return refuse(`专场包中第 ${i + 1} 条审计记录与其哈希不符，记录被改动过。${REEXPORT}`);
  }

  // Belonging: every row is the session's, by the same scopes the export used.
  const ctx: ScopeCtx = { hearingId: body.hearing.id, rows: {} };
  for (const spec of PACKAGE_TABLES) {
    const m = meta.get(spec.table)!;
    const rows = body.tables[spec.table]!;
    const seen = new Set<string>();
    ctx.rows[spec.table] = rows;
    for (const [i, row] of rows.entries()) {
      const key = keyOf(row, m);
      if (seen.has(key)) return invalid(`专场包中的${spec.label}记录重复（第 ${i + 1} 条）。${REEXPORT}`);
      seen.add(key);
    }
    for (const c of spec.scope) {
      const allowed = c.values(ctx);
      const stray = rows.findIndex((r) => !allowed.has(r[c.column] as string));
      if (stray >= 0)
        return invalid(
          `专场包中第 ${stray + 1} 条${spec.label}记录不属于专场 ${body.hearing.hearingNo} 的案件，文件可能被改动过。${REEXPORT}`,
        );
    }
  }
  if (!body.tables.hearings!.some((s) => s.id === body.hearing.id))
    return invalid(`专场包中没有专场 ${body.hearing.hearingNo} 本身的记录。${REEXPORT}`);
  const caseIds = new Set(values(ctx, 'hearing_cases', 'case_id'));
  const present = new Set(values(ctx, 'cases', 'id'));
  if ([...caseIds].some((id) => !present.has(id))) return invalid(`专场包缺少本专场安排的部分案件。${REEXPORT}`);
  const workers = new Set(values(ctx, 'workers', 'id'));
  if (body.tables.cases!.some((c) => !workers.has(c.worker_id as string))) return invalid(`专场包缺少部分案件的伤者信息。${REEXPORT}`);

  const referenced = new Set<string>();
  for (const spec of PACKAGE_TABLES)
    for (const row of body.tables[spec.table]!)
      for (const c of meta.get(spec.table)!.userColumns) if (typeof row[c] === 'string') referenced.add(row[c]);
  const carried = new Set<string>();
  for (const u of body.users) {
    if (!referenced.has(u.id)) return invalid(`专场包中的人员账号“${u.username}”与本专场的记录无关。${REEXPORT}`);
    if (carried.has(u.id)) return invalid(`专场包中的人员账号“${u.username}”重复。${REEXPORT}`);
    carried.add(u.id);
  }
  // The export carries every user its rows name; one not carried must at least be known here.
  for (const id of [...referenced].filter((r) => !carried.has(r))) {
    if (!(await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()))
      return invalid(`专场包的记录中提到的一名人员没有随包附带。${REEXPORT}`);
  }
  if (body.audit.some((a) => !a.entityId || (a.entityId !== body.hearing.id && !caseIds.has(a.entityId))))
    return invalid(`专场包中有与本专场无关的审计记录。${REEXPORT}`);

  return { body, hash, trusted: await trustedKey(body.device.keyId, body.device.publicKey) };
}

// ---------------------------------------------------------------------------------------------
// Merging.
// ---------------------------------------------------------------------------------------------

type Count = { added: number; updated: number; unchanged: number; keptLocal: number };
type CaseFate = 'new' | 'taken' | 'same' | 'local-newer';

export interface ImportOptions {
  /** This device's key: a package it signed itself is trusted. */
  ownKey: DeviceKey;
}

export async function importHearingPackage(db: Db, clock: Clock, content: string, opts: ImportOptions): Promise<ImportSummary> {
  if (!db.isTransaction) return db.transaction().execute((trx) => importHearingPackage(trx, clock, content, opts));
  const meta = await allMeta(db);
  const trustedKey = async (keyId: string, publicKey: string) => {
    if (keyId === opts.ownKey.keyId && publicKey === opts.ownKey.publicKeyB64) return true;
    const row = await db.selectFrom('trusted_signers').select('public_key').where('key_id', '=', keyId).executeTakeFirst();
    if (row && row.public_key !== publicKey)
      refuse(`专场包声称由可信设备 ${keyId} 签名，但公钥与本机登记的不一致，未导入任何数据。请联系管理员核对该设备`);
    return !!row;
  };
  const { body, trusted } = await checkPackage(db, content, trustedKey, meta);
  const any = db as unknown as AnyDb;
  const now = chinaInstant(clock.now());
  const hearingId = body.hearing.id;
  const pkgRows = (t: TableName): Row[] => body.tables[t] ?? [];

  // References are checked at the end, together: conclusions and requests refer to each other.
  await sql`PRAGMA defer_foreign_keys = ON`.execute(db);

  const caseLabel = async (caseId: string): Promise<string> => {
    const c =
      pkgRows('cases').find((r) => r.id === caseId) ??
      (await db.selectFrom('cases').select(['case_no', 'registration_no']).where('id', '=', caseId).executeTakeFirst());
    return String(c?.case_no ?? c?.registration_no ?? caseId);
  };

  // People: unknown ones become accounts that cannot sign in; local accounts are never touched.
  const users = { added: 0, existing: 0 };
  for (const u of body.users) {
    const local = await db.selectFrom('users').select('id').where('id', '=', u.id).executeTakeFirst();
    if (local) {
      users.existing++;
      continue;
    }
    // A username taken here by someone else: the same name with the last digits of the id.
    const digits = u.id.replace(/-/g, '');
    let username = u.username;
    for (let n = 6; await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst(); n += 4) {
      if (n > digits.length) refuse(`专场包中的人员账号“${u.username}”无法在本机建立（用户名已被占用），未导入任何数据。请联系管理员`);
      username = `${u.username.slice(0, 24)}.${digits.slice(-n)}`;
    }
    const roles = u.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
    await createSignInlessUser(db, clock, { id: u.id, username, displayName: u.displayName, roles });
    users.added++;
  }

  const caseFate = new Map<string, CaseFate>();
  const packageConclusions = new Set(values({ hearingId, rows: body.tables as ScopeCtx['rows'] }, 'appraisal_conclusions', 'id'));
  const reindex = new Set<string>();
  const written: { spec: TableSpec; row: Row }[] = [];
  const updatedWorkers = new Set<string>();
  const counts: ImportSummary['tables'] = [];
  const ctx: ScopeCtx = { hearingId, rows: body.tables as ScopeCtx['rows'] };

  for (const spec of PACKAGE_TABLES) {
    const m = meta.get(spec.table)!;
    const count: Count = { added: 0, updated: 0, unchanged: 0, keptLocal: 0 };
    const locals = new Map((await scopedRows(db, spec, m, ctx)).map((r) => [keyOf(r, m), r]));
    const write = async (row: Row, mode: 'insert' | 'update') => {
      await uniqueCheck(db, spec, m, row);
      const decoded = decodeRow(row, m);
      written.push({ spec, row });
      if (mode === 'insert') {
        await any.insertInto(spec.table).values(decoded).execute();
        count.added++;
      } else {
        let q = any.updateTable(spec.table).set(Object.fromEntries(Object.entries(decoded).filter(([k]) => !m.pk.includes(k))));
        for (const k of m.pk) q = q.where(k, '=', row[k]);
        await q.execute();
        count.updated++;
      }
    };

    for (const row of pkgRows(spec.table)) {
      const local = locals.get(keyOf(row, m)) ?? (await loadByKey(any, spec.table, m, row));
      if (local && canonical(local) === canonical(row)) {
        count.unchanged++;
        if (spec.table === 'cases') caseFate.set(row.id as string, 'same');
        continue;
      }
      const mode = local ? 'update' : 'insert';
      switch (spec.merge) {
        case 'case': {
          const fate = local ? await caseMerge(db, row, local, pkgRows('case_transitions'), await caseLabel(row.id as string)) : 'new';
          caseFate.set(row.id as string, fate);
          if (fate === 'local-newer') count.keptLocal++;
          else {
            await write(row, mode);
            reindex.add(row.id as string);
          }
          break;
        }
        case 'case-detail': {
          const fate = caseFate.get(row.case_id as string);
          if (!local || fate === 'new' || fate === 'taken') await write(row, mode);
          else count.keptLocal++;
          break;
        }
        case 'append-only':
          if (local) return refuse(appendOnlyConflict(spec, row, await caseLabel(row.case_id as string)));
          if (spec.table === 'appraisal_conclusions') {
            const other = await db
              .selectFrom('appraisal_conclusions')
              .select('id')
              .where('case_id', '=', row.case_id as string)
              .where('hearing_id', '=', row.hearing_id as string)
              .executeTakeFirst();
            if (other)
              refuse(
                `案件 ${await caseLabel(row.case_id as string)} 在专场中的鉴定结论已在两台电脑上分别签发，不能合并，未导入任何数据。请由鉴定委员会核对后以其中一份为准，再联系管理员处理`,
              );
          }
          await write(row, 'insert');
          break;
        case 'session': {
          if (typeof row.case_id === 'string' && typeof row.hearing_id === 'string') {
            const signedHere = await db
              .selectFrom('appraisal_conclusions')
              .select('id')
              .where('case_id', '=', row.case_id)
              .where('hearing_id', '=', row.hearing_id)
              .execute();
            if (signedHere.some((c) => !packageConclusions.has(c.id))) {
              refuse(
                `案件 ${await caseLabel(row.case_id)} 的鉴定结论已在本机签发，而专场包中没有这份结论（专场包是签发之前导出的），不能用它改动已签发案件的到场和专家意见记录，未导入任何数据。请使用签发之后导出的专场包`,
              );
            }
          }
          await write(row, mode);
          break;
        }
        case 'newer':
          if (!local || String(row.updated_at) > String(local.updated_at)) {
            await write(row, mode);
            if (spec.table === 'workers') updatedWorkers.add(row.id as string);
          } else count.keptLocal++;
          break;
        case 'local':
          if (local) count.keptLocal++;
          else await write(row, 'insert');
          break;
      }
    }
    counts.push({ table: spec.table, label: spec.label, ...count });
  }

  const audit = await importAudit(db, body, now);

  // Every reference of every written row must now hold (users, workers, platforms, hearings,
  // conclusions ↔ requests). Only written rows can break one: nothing is deleted or re-keyed.
  for (const { spec, row } of written) {
    for (const fk of meta.get(spec.table)!.fks) {
      const v = row[fk.from];
      if (v === null || v === undefined) continue;
      if (await any.selectFrom(fk.table).select(fk.to).where(fk.to, '=', v).executeTakeFirst()) continue;
      refuse(`专场包中的${spec.label}记录引用了本机和专场包中都没有的数据（${fk.table}.${fk.to}），未导入任何数据。${REEXPORT}`);
    }
  }

  // The search index follows every case whose row or worker came from the package.
  for (const part of chunks([...updatedWorkers]))
    for (const c of await db.selectFrom('cases').select('id').where('worker_id', 'in', part).execute()) reindex.add(c.id);
  for (const caseId of reindex) await reindexCase(db, caseId);

  const changed = users.added > 0 || audit.added > 0 || counts.some((c) => c.added + c.updated > 0);
  return {
    hearingId,
    hearingNo: body.hearing.hearingNo,
    source: {
      deviceTag: body.device.tag,
      keyId: body.device.keyId,
      trusted,
      exportedAt: body.exportedAt,
      exportedBy: body.exportedBy.name,
    },
    tables: counts,
    users,
    audit,
    changed,
  };
}

async function loadByKey(any: AnyDb, table: TableName, meta: TableMeta, row: Row): Promise<Row | undefined> {
  let q = any.selectFrom(table).selectAll();
  for (const k of meta.pk) q = q.where(k, '=', row[k]);
  const found = await q.executeTakeFirst();
  return found ? encodeRow(found) : undefined;
}

/** The case rule: see the table list above and docs/hearing-package.md. */
async function caseMerge(db: Db, pkg: Row, local: Row, pkgTransitions: Row[], label: string): Promise<CaseFate> {
  const order = (a: { at: string; id: string }, b: { at: string; id: string }) =>
    a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1;
  const theirs = pkgTransitions
    .filter((t) => t.case_id === pkg.id)
    .map((t) => ({ at: t.at as string, id: t.id as string }))
    .sort(order)
    .map((t) => t.id);
  const ours = (
    await db
      .selectFrom('case_transitions')
      .select(['id', 'at'])
      .where('case_id', '=', pkg.id as string)
      .execute()
  )
    .sort(order)
    .map((t) => t.id);
  const isPrefix = (a: string[], b: string[]) => a.length <= b.length && a.every((id, i) => b[i] === id);
  const pv = pkg.version as number;
  const lv = local.version as number;
  if (pv > lv && isPrefix(ours, theirs)) return 'taken';
  if (pv < lv && isPrefix(theirs, ours)) return 'local-newer';
  return refuse(
    `案件 ${label} 在本机和专场包中都有变动（本机第 ${lv} 版，专场包第 ${pv} 版，办理记录各有对方没有的步骤），不能自动合并，未导入任何数据。` +
      '请核对两台电脑上该案件的办理记录，在一台电脑上补办后重新导出专场包；或先把该案件移出专场再导出',
  );
}

function appendOnlyConflict(spec: TableSpec, row: Row, caseLabel: string): string {
  if (spec.table === 'issued_documents')
    return `文号 ${String(row.document_no)} 的文书在本机和专场包中内容不同（已出具的文书不能修改），未导入任何数据。请联系管理员核对两台电脑上的这份文书`;
  if (spec.table === 'appraisal_conclusions')
    return `案件 ${caseLabel} 的已签发鉴定结论在本机和专场包中内容不同（签发后的结论不能修改），未导入任何数据。请联系管理员核对`;
  return `案件 ${caseLabel} 的${spec.label}在本机和专场包中内容不同（该记录只能追加、不能修改），文件可能被改动过，未导入任何数据。${REEXPORT}`;
}

/** A row may not take a unique value (case number, 文号, 身份证号 …) another local row holds. */
async function uniqueCheck(db: Db, spec: TableSpec, meta: TableMeta, row: Row): Promise<void> {
  const any = db as unknown as AnyDb;
  for (const cols of meta.uniques) {
    if (cols.some((c) => row[c] === null || row[c] === undefined)) continue;
    let q = any.selectFrom(spec.table).select(meta.pk);
    for (const c of cols) q = q.where(c, '=', row[c]);
    const hits = await q.execute();
    if (!hits.some((h) => keyOf(h, meta) !== keyOf(row, meta))) continue;
    if (spec.table === 'issued_documents') refuse(appendOnlyConflict(spec, row, ''));
    const shown = cols.map((c) => (c === 'id_number' ? maskIdNumber(String(row[c])) : String(row[c]))).join('、');
    refuse(
      `专场包中的${spec.label}（${shown}）在本机已有另一条记录，可能是两台电脑分别登记了同一对象，不能自动合并，未导入任何数据。请联系管理员核对`,
    );
  }
}

/**
 * The exporting device's audit entries travel as copies appended to this device's own chain
 * (the chain is never broken: each copy is a new entry with its own hash), marked with the
 * action 外机审计记录 and carrying the original device, number, time and hash. An entry already
 * here (its own, or a copy made earlier) is skipped, so a second import adds none.
 */
async function importAudit(db: Db, body: PackageBody, now: string): Promise<{ added: number; skipped: number }> {
  const known = new Set<string>();
  const hashes = body.audit.map((a) => a.hash);
  for (const part of chunks(hashes))
    for (const r of await db.selectFrom('audit_log').select('hash').where('hash', 'in', part).execute()) known.add(r.hash);
  for (const r of await db
    .selectFrom('audit_log')
    .select('summary')
    .where('method', 'in', IMPORT_METHODS)
    .where('action', '=', FOREIGN_AUDIT_ACTION)
    .execute()) {
    const m = /〔原哈希 ([0-9a-f]{64})〕$/.exec(r.summary);
    if (m?.[1]) known.add(m[1]);
  }
  let added = 0;
  for (const e of body.audit) {
    if (known.has(e.hash)) continue;
    await appendAudit(db, {
      at: now,
      actorId: e.actorId,
      actorName: e.actorName,
      method: IMPORT_METHOD,
      action: FOREIGN_AUDIT_ACTION,
      entity: e.entity,
      entityId: e.entityId,
      summary: `设备 ${body.device.tag} 第 ${e.seq} 条（${e.at}，${e.action}，${e.method}）：${e.summary}〔原哈希 ${e.hash}〕`,
    });
    known.add(e.hash);
    added++;
  }
  return { added, skipped: body.audit.length - added };
}

async function reindexCase(db: Db, caseId: string): Promise<void> {
  const c = await db
    .selectFrom('cases')
    .innerJoin('workers', 'workers.id', 'cases.worker_id')
    .select(['cases.id', 'cases.registration_no', 'cases.case_no', 'cases.orders', 'workers.name', 'workers.id_number', 'workers.phone'])
    .where('cases.id', '=', caseId)
    .executeTakeFirstOrThrow();
  let orderNos: string[] = [];
  try {
    orderNos = (JSON.parse(c.orders) as { orderNo?: unknown }[]).map((o) => o.orderNo).filter((o): o is string => typeof o === 'string');
  } catch {
    orderNos = [];
  }
  await indexCase(db, {
    caseId,
    workerName: c.name,
    idNumber: c.id_number,
    phone: c.phone,
    registrationNo: c.registration_no,
    caseNo: c.case_no,
    orderNos,
  });
}
