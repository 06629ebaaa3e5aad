// The 专场包: a 鉴定专场 exported as one file holding everything the panel needs for the day (the
// hearing, its cases with their workers, materials, bills, moves, draws, recusals, requests,
// opinions, conclusions and issued documents, the expert pool, the platforms and the people
// those rows name), carried on a USB stick to a laptop with no network, and carried back.
//
// What this module owns: the package's SCOPE (which rows belong to the hearing) and its FILE
// FORMAT (a body signed by the exporting device, encrypted for the receiving one). Everything
// generic is the replication core's (electron/core/replication/): table shapes and row codec,
// the signed envelope, merge rules, people and audit entries of another device. The import
// refuses, writing nothing: a file not addressed to this device, not signed by a device this
// one trusts, rows outside the hearing's own cases and their references, and audit entries or
// signatures its signer could not have made. docs/hearing-package.md.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db-schema';
import { chinaDate, chinaInstant, type Clock } from '../clock';
import { ApiError } from '../../../shared/api/errors';
import type { ImportSummary } from '../../../shared/api/methods/hearing-package';
import type { DeviceKey } from '../crypto/device-key';
import { loadTrust, type Trust } from '../crypto/trust';
import { open, seal, type Sealed } from '../crypto/sealed-box';
import { verifySignedPdf } from '../notices/signature';
import { sha256 } from '../crypto/hash';
import { reindexCase } from '../cases/case-search';
import { storeMeta, type StoreMeta, type TableMeta } from '../replication/table-meta';
import { fileRowSchema, issueText, keyString, toFileRow, type FileRow } from '../replication/row-codec';
import { checkEnvelope, signEnvelope } from '../replication/signed-envelope';
import { mergeFileRows } from '../replication/file-merge';
import { carriedUserSchema, carriedUsers, importCarriedUsers, type CarriedUser } from '../replication/foreign-users';
import { appendForeignAudit, checkForeignAudit, ownAuditEntries, type ForeignAuditEntry } from '../replication/foreign-audit';
import { withCaptureOff } from '../replication/capture';

type Db = Kysely<Database>;
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

export const PACKAGE_FORMAT = 'oip-desk/hearing-package';
export const SEALED_FORMAT = 'oip-desk/hearing-package-sealed';
// 3: encrypted for the receiving device, addressed to it in the signed body, signer must be trusted.
export const PACKAGE_VERSION = 3;
/** Audit copies of another device's entries are written under this method name. */
const IMPORT_METHOD = 'hearings.importPackage';
/** The same method before the 专场 was called a hearing: audit entries keep the name they were written with. */
const IMPORT_METHODS = [IMPORT_METHOD, 'sessions.importPackage'];

/** The tables a package carries, in the order scopes and merges run (a scope may use rows of tables above it). */
export const PACKAGE_TABLES = [
  'hearing_cases',
  'cases',
  'workers',
  'accident_reports',
  'case_materials',
  'medical_bills',
  'case_transitions',
  'panel_draws',
  'case_recusals',
  'appraisal_requests',
  'expert_opinions',
  'appraisal_conclusions',
  'issued_documents',
  'hearings',
  'experts',
  'platforms',
] as const;
type PackageTable = (typeof PACKAGE_TABLES)[number];

// ---------------------------------------------------------------------------------------------
// Scope: which rows belong to the hearing. One definition, used to select rows on export and to
// check them on import. The hearing's own cases are the anchor; the rest follows from them.
// ---------------------------------------------------------------------------------------------

type Rows = Partial<Record<PackageTable, FileRow[]>>;
const col = (rows: FileRow[] | undefined, column: string): string[] =>
  (rows ?? []).map((r) => r[column]).filter((v): v is string => typeof v === 'string');
const jsonCol = (rows: FileRow[] | undefined, column: string, pick: (x: unknown) => unknown = (x) => x): string[] =>
  col(rows, column).flatMap((text) => {
    try {
      const parsed = JSON.parse(text) as unknown;
      return Array.isArray(parsed) ? parsed.map(pick).filter((v): v is string => typeof v === 'string') : [];
    } catch {
      return [];
    }
  });

interface Scope {
  hearingId: string;
  /** The hearing's own cases. */
  cases: Set<string>;
  /** Rows known so far (the file's on import, this store's on export), for the scopes that follow from them. */
  rows: Rows;
  /** Workers and accident reports the own cases name (on import: by this store's row for a case it has). */
  workers: Set<string>;
}

/** A column and the values it may take, per table; no entry = the whole table (the expert pool). */
function allowed(table: PackageTable, s: Scope): { column: string; values: Set<string> }[] {
  switch (table) {
    case 'hearing_cases':
      return [
        { column: 'hearing_id', values: new Set([s.hearingId]) },
        { column: 'case_id', values: s.cases },
      ];
    case 'cases':
      return [{ column: 'id', values: s.cases }];
    case 'workers':
      return [{ column: 'id', values: s.workers }];
    case 'expert_opinions':
      return [
        { column: 'hearing_id', values: new Set([s.hearingId]) },
        { column: 'case_id', values: s.cases },
      ];
    case 'accident_reports':
    case 'case_materials':
    case 'medical_bills':
    case 'case_transitions':
    case 'panel_draws':
    case 'case_recusals':
    case 'appraisal_requests':
    case 'appraisal_conclusions':
    case 'issued_documents':
      return [{ column: 'case_id', values: s.cases }];
    case 'hearings':
      // The hearing, and the earlier hearings whose conclusions on these cases travel too.
      return [{ column: 'id', values: new Set([s.hearingId, ...col(s.rows.appraisal_conclusions, 'hearing_id')]) }];
    case 'experts':
      return [];
    case 'platforms':
      return [
        {
          column: 'code',
          values: new Set([
            ...col(s.rows.cases, 'responsible_platform'),
            ...col(s.rows.accident_reports, 'platform_code'),
            ...jsonCol(s.rows.cases, 'orders', (o) => (o as { platform?: unknown } | null)?.platform),
            ...jsonCol(s.rows.workers, 'platforms'),
            ...jsonCol(s.rows.experts, 'platform_ties'),
          ]),
        },
      ];
  }
}

function chunks<T>(list: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

async function selectScoped(db: Db, t: TableMeta, constraints: { column: string; values: Set<string> }[]): Promise<FileRow[]> {
  const any = db as unknown as AnyDb;
  const sort = (rows: FileRow[]) =>
    rows.sort((a, b) => (keyString(t, a) < keyString(t, b) ? -1 : keyString(t, a) > keyString(t, b) ? 1 : 0));
  const [first, ...rest] = constraints;
  if (!first) return sort((await any.selectFrom(t.table).selectAll().execute()).map((r) => toFileRow(t, r)));
  if (rest.some((c) => c.values.size === 0)) return [];
  const out: FileRow[] = [];
  for (const part of chunks([...first.values])) {
    let q = any.selectFrom(t.table).selectAll().where(first.column, 'in', part);
    for (const c of rest) q = q.where(c.column, 'in', [...c.values]);
    out.push(...(await q.execute()).map((r) => toFileRow(t, r)));
  }
  return sort(out);
}

// ---------------------------------------------------------------------------------------------
// The file.
// ---------------------------------------------------------------------------------------------

interface PackageBody {
  format: string;
  version: number;
  schemaVersion: number;
  /** The exporting device; `centre` is its enrolment (the centre's key id and its device id there), if any. */
  device: { tag: string; keyId: string; publicKey: string; centre: { keyId: string; deviceId: string } | null };
  /** The key id of the only device that can open it: bound into the signature, so it cannot be re-addressed. */
  recipient: string;
  exportedAt: string;
  exportedBy: { id: string | null; name: string };
  hearing: { id: string; hearingNo: string };
  users: CarriedUser[];
  tables: Record<string, FileRow[]>;
  audit: ForeignAuditEntry[];
}

const REEXPORT = '请在导出的电脑上重新导出专场包，不要手工编辑文件';
const refuse = (message: string): never => {
  throw new ApiError('RULE_REFUSED', message);
};
const invalid = (message: string): never => {
  throw new ApiError('INVALID_INPUT', message, [{ path: 'content', message }]);
};

async function centreOf(db: Db): Promise<{ keyId: string; deviceId: string } | null> {
  const s = await db.selectFrom('sync_state').select(['device_id', 'centre_key_id']).where('id', '=', 1).executeTakeFirst();
  return s?.device_id && s.centre_key_id ? { keyId: s.centre_key_id, deviceId: s.device_id } : null;
}

/** Signs a package body with a device key and encrypts it for the recipient (export; tests that forge files use it too). */
export function signAndSeal(body: object, key: DeviceKey, recipient: { keyId: string; encPublicKey: string }): string {
  const signed = signEnvelope(PACKAGE_FORMAT, body, key);
  return JSON.stringify(seal(Buffer.from(JSON.stringify(signed)), recipient, SEALED_FORMAT));
}

/** Opens a sealed package with a device's key: the signed package JSON, or null. */
export function openPackage(content: string, key: DeviceKey): string | null {
  try {
    const opened = open(JSON.parse(content) as Sealed, key.encryption);
    return opened ? opened.toString('utf8') : null;
  } catch {
    return null;
  }
}

export async function exportHearingPackage(
  db: Db,
  clock: Clock,
  opts: {
    hearingId: string;
    key: DeviceKey;
    deviceTag: string;
    exportedBy: { id: string | null; name: string };
    /** The trusted device that will import it; null for this device. */
    recipientKeyId: string | null;
  },
): Promise<{ fileName: string; content: string; hearingNo: string; sha256: string; counts: Record<string, number>; recipient: string }> {
  const hearing = await db.selectFrom('hearings').select(['id', 'hearing_no']).where('id', '=', opts.hearingId).executeTakeFirst();
  if (!hearing) throw new ApiError('NOT_FOUND', '鉴定专场不存在，请刷新列表后重试');
  const trust = await loadTrust(db, opts.key);
  const to = trust.device(opts.recipientKeyId ?? opts.key.keyId);
  if (!to || to.source === 'centre')
    throw new ApiError('NOT_FOUND', '所选的接收设备未在本机登记为可信设备，请在 系统管理 → 可信设备 中登记后再导出');
  if (!to.encPublicKey)
    throw new ApiError(
      'RULE_REFUSED',
      `“${to.label}”是用旧版密钥行登记的，没有加密公钥，专场包无法加密给它。请在该电脑的“可信设备”页复制新的密钥行（以 OIPKEY2: 开头），在本机重新登记后再导出`,
    );
  const meta = await storeMeta(db);
  const hearingCases = await db.selectFrom('hearing_cases').select('case_id').where('hearing_id', '=', hearing.id).execute();
  const scope: Scope = { hearingId: hearing.id, cases: new Set(hearingCases.map((r) => r.case_id)), rows: {}, workers: new Set() };
  for (const table of PACKAGE_TABLES) {
    if (table === 'workers') scope.workers = new Set(col(scope.rows.cases, 'worker_id'));
    scope.rows[table] = await selectScoped(db, meta.tables.get(table)!, allowed(table, scope));
  }

  const userIds = new Set<string>();
  for (const table of PACKAGE_TABLES)
    for (const row of scope.rows[table]!)
      for (const c of meta.tables.get(table)!.userColumns) if (typeof row[c] === 'string') userIds.add(row[c]);
  const now = clock.now();
  const body: PackageBody = {
    format: PACKAGE_FORMAT,
    version: PACKAGE_VERSION,
    schemaVersion: meta.schemaVersion,
    device: { tag: opts.deviceTag, keyId: opts.key.keyId, publicKey: opts.key.publicKeyB64, centre: await centreOf(db) },
    recipient: to.keyId,
    exportedAt: chinaInstant(now),
    exportedBy: opts.exportedBy,
    hearing: { id: hearing.id, hearingNo: hearing.hearing_no },
    // Never the password hash, the salt or sign-in sessions: who the person is and what they may do.
    users: await carriedUsers(db, userIds),
    tables: Object.fromEntries(PACKAGE_TABLES.map((t) => [t, scope.rows[t]!])),
    audit: await ownAuditEntries(db, [hearing.id, ...scope.cases], IMPORT_METHODS),
  };
  const content = signAndSeal(body, opts.key, { keyId: to.keyId, encPublicKey: to.encPublicKey });
  return {
    fileName: `专场-${hearing.hearing_no}-${chinaDate(now)}.json`,
    content,
    hearingNo: hearing.hearing_no,
    sha256: sha256(content),
    counts: Object.fromEntries(PACKAGE_TABLES.map((t) => [t, scope.rows[t]!.length])),
    recipient: to.label,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading and checking a package: nothing is written until all of this has passed.
// ---------------------------------------------------------------------------------------------

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const sealedSchema = z.strictObject({
  format: z.literal(SEALED_FORMAT),
  version: z.literal(1),
  recipient: z.string().regex(/^[0-9a-f]{16}$/),
  epk: b64.max(200),
  iv: b64.max(40),
  ciphertext: b64,
  tag: b64.max(40),
});
const headerSchema = z.strictObject({
  format: z.literal(PACKAGE_FORMAT),
  version: z.number().int(),
  schemaVersion: z.number().int(),
  device: z.strictObject({
    tag: z.string().max(16),
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    publicKey: z.string().max(200),
    centre: z.strictObject({ keyId: z.string().max(40), deviceId: z.string().max(40) }).nullable(),
  }),
  recipient: z.string().regex(/^[0-9a-f]{16}$/),
  exportedAt: z.string().max(40),
  exportedBy: z.strictObject({ id: z.string().max(40).nullable(), name: z.string().max(100) }),
  hearing: z.strictObject({ id: z.string().regex(/^[0-9a-f-]{36}$/), hearingNo: z.string().max(60) }),
  users: z.array(z.unknown()),
  tables: z.record(z.string(), z.array(z.unknown())),
  audit: z.array(z.unknown()),
  sha256: hex64,
  signature: z.string().max(200),
});

interface Checked {
  body: PackageBody;
  signer: { label: string; source: 'own' | 'registered' | 'centre' };
  /** The hearing's own cases, decided from this store where it knows the hearing. */
  scope: Scope;
}

/** Opens, parses and checks a package: addressee, signature, trust, schema, rows, belonging, audit, documents. */
async function checkPackage(db: Db, content: string, own: DeviceKey, trust: Trust, meta: StoreMeta): Promise<Checked> {
  let outer: unknown;
  try {
    outer = JSON.parse(content);
  } catch {
    return invalid('所选文件不是完整的专场包（无法按 JSON 读取），可能在复制时损坏或被编辑过。' + REEXPORT);
  }
  const format = outer && typeof outer === 'object' ? (outer as { format?: unknown }).format : undefined;
  if (format === PACKAGE_FORMAT)
    return refuse('这是未加密的专场包（由旧版本导出），为保护其中的身份证号和电话，本机不再导入。请把两台电脑升级到同一版本后重新导出');
  if (format !== SEALED_FORMAT) return invalid('所选文件不是本系统导出的专场包，请选择“导出专场包”得到的 .json 文件');
  const sealed = sealedSchema.safeParse(outer);
  if (!sealed.success) return invalid(`专场包的文件头不完整（${issueText(sealed.error)}），文件可能被改动过。${REEXPORT}`);
  if (sealed.data.recipient !== own.keyId) {
    const to = trust.device(sealed.data.recipient);
    return refuse(
      `这个专场包是加密给${to ? `“${to.label}”` : `另一台设备（密钥 ${sealed.data.recipient}）`}的，只能在那台电脑上导入，未导入任何数据。请在导出时选择本机（密钥 ${own.keyId}）作为接收设备`,
    );
  }
  const plain = open(sealed.data, own.encryption);
  if (!plain) return refuse(`专场包无法解密：文件已损坏或被改动过，未导入任何数据。${REEXPORT}`);

  let raw: unknown;
  try {
    raw = JSON.parse(plain.toString('utf8'));
  } catch {
    return invalid(`专场包内容不完整。${REEXPORT}`);
  }
  const header = headerSchema.safeParse(raw);
  if (!header.success) return invalid(`专场包的文件头不完整（${issueText(header.error)}），文件可能被改动过。${REEXPORT}`);
  const { sha256: claimed, signature, ...bodyRaw } = header.data;
  const body = bodyRaw as unknown as PackageBody;
  if (body.version !== PACKAGE_VERSION)
    return refuse(`专场包格式为第 ${body.version} 版，本机软件只能读取第 ${PACKAGE_VERSION} 版。请把两台电脑升级到同一版本后重新导出`);

  // Integrity first: an edited file is named as such, not as a confusing field error.
  const env = checkEnvelope(PACKAGE_FORMAT, body, { sha256: claimed, signature }, body.device);
  if (!env.ok && env.reason === 'hash')
    return refuse(`专场包内容与其校验值（SHA-256）不符：文件已损坏或被改动过，未导入任何数据。${REEXPORT}`);
  if (!env.ok) return refuse(`专场包的设备签名无效：文件被改动过或签名不完整，未导入任何数据。${REEXPORT}`);
  if (body.recipient !== own.keyId) return refuse(`专场包是加密给另一台设备的，被转交到本机，未导入任何数据。${REEXPORT}`);
  // Trust: only a device this one trusts may change its records.
  const known = trust.device(body.device.keyId);
  if (known && known.publicKey !== body.device.publicKey)
    return refuse(`专场包声称由可信设备 ${body.device.keyId} 签名，但公钥与本机登记的不一致，未导入任何数据。请联系管理员核对该设备`);
  if (!known || !trust.isTrusted(body.device.keyId, body.device.publicKey))
    return refuse(
      `专场包由未登记为可信设备的电脑（设备 ${body.device.tag}，密钥 ${body.device.keyId}）签名，未导入任何数据。` +
        '如确为本单位的电脑，请管理员在 系统管理 → 可信设备 中登记它的密钥行（核对指纹）后重新导入',
    );
  if (body.schemaVersion !== meta.schemaVersion)
    return refuse(
      `专场包由数据库版本 ${body.schemaVersion} 的软件导出，本机为版本 ${meta.schemaVersion}。两台电脑的软件版本不同，请先升级到同一版本，再重新导出、导入`,
    );

  // Shapes: exactly the tables of this version, every row exactly this store's columns.
  const expected = new Set<string>(PACKAGE_TABLES);
  const extra = Object.keys(body.tables).find((t) => !expected.has(t));
  if (extra) return invalid(`专场包含有本机不认识的数据表“${extra.slice(0, 40)}”。${REEXPORT}`);
  for (const table of PACKAGE_TABLES) {
    const t = meta.tables.get(table)!;
    const rows = body.tables[table];
    if (!rows) return invalid(`专场包缺少${t.spec.label}数据。${REEXPORT}`);
    const schema = fileRowSchema(t);
    const seen = new Set<string>();
    for (const [i, row] of rows.entries()) {
      const r = schema.safeParse(row);
      if (!r.success) return invalid(`专场包中第 ${i + 1} 条${t.spec.label}记录格式不正确（${issueText(r.error)}）。${REEXPORT}`);
      const key = keyString(t, row);
      if (seen.has(key)) return invalid(`专场包中的${t.spec.label}记录重复（第 ${i + 1} 条）。${REEXPORT}`);
      seen.add(key);
    }
  }
  for (const [i, u] of body.users.entries()) {
    const r = carriedUserSchema.safeParse(u);
    if (!r.success) return invalid(`专场包中第 ${i + 1} 个人员账号格式不正确（${issueText(r.error)}）。${REEXPORT}`);
  }

  const scope = await belonging(db, body);
  await checkPeople(db, body, meta);
  const audit = await checkForeignAudit(body.audit, {
    entityIds: new Set([body.hearing.id, ...scope.cases]),
    isKnownActor: async (id) =>
      body.users.some((u) => u.id === id) || !!(await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()),
    importMethods: IMPORT_METHODS,
    exportedAt: body.exportedAt,
  });
  if ('problem' in audit) return (audit.refuse ? refuse : invalid)(`专场包中${audit.problem}，未导入任何数据。${REEXPORT}`);
  body.audit = audit.entries;
  checkDocuments(body, trust);
  return { body, signer: { label: known.label, source: known.source }, scope };
}

/**
 * Every row must belong to the hearing's own cases or be one of their references. Where this
 * store knows the hearing, its own cases are those it has on the hearing, plus cases new to this
 * store; a case it holds but not on this hearing cannot be put onto it by a file. The worker and
 * the accident report of a case this store holds are this store's, never the file's.
 */
async function belonging(db: Db, body: PackageBody): Promise<Scope> {
  const hearingId = body.hearing.id;
  const rows = body.tables as Rows;
  if (!rows.hearings!.some((s) => s.id === hearingId)) return invalid(`专场包中没有专场 ${body.hearing.hearingNo} 本身的记录。${REEXPORT}`);
  const localHearing = await db.selectFrom('hearings').select('id').where('id', '=', hearingId).executeTakeFirst();
  const cases = new Set<string>();
  if (localHearing)
    for (const r of await db.selectFrom('hearing_cases').select('case_id').where('hearing_id', '=', hearingId).execute())
      cases.add(r.case_id);
  const localCase = new Map<
    string,
    { worker_id: string; accident_report_id: string | null; case_no: string | null; registration_no: string }
  >();
  for (const part of chunks(col(rows.cases, 'id')))
    for (const c of await db
      .selectFrom('cases')
      .select(['id', 'worker_id', 'accident_report_id', 'case_no', 'registration_no'])
      .where('id', 'in', part)
      .execute())
      localCase.set(c.id, c);
  for (const hc of rows.hearing_cases!) {
    const id = String(hc.case_id);
    if (hc.hearing_id !== hearingId || cases.has(id)) continue;
    const here =
      localCase.get(id) ??
      (await db
        .selectFrom('cases')
        .select(['id', 'worker_id', 'accident_report_id', 'case_no', 'registration_no'])
        .where('id', '=', id)
        .executeTakeFirst());
    if (localHearing && here)
      return refuse(
        `专场包把本机已有、但不在专场 ${body.hearing.hearingNo} 中的案件 ${here.case_no ?? here.registration_no} 列入了该专场，未导入任何数据。` +
          '案件只能在办理它的电脑上安排进专场；请核对后在一台电脑上安排，再重新导出',
      );
    cases.add(id);
  }
  const fileCase = new Map((rows.cases ?? []).map((c) => [String(c.id), c]));
  for (const hc of rows.hearing_cases!)
    if (!fileCase.has(String(hc.case_id))) return invalid(`专场包缺少本专场安排的部分案件。${REEXPORT}`);
  const workers = new Set<string>();
  for (const id of cases) {
    const here = localCase.get(id);
    const there = fileCase.get(id);
    if (here && there && (there.worker_id !== here.worker_id || there.accident_report_id !== here.accident_report_id))
      return refuse(`专场包改变了案件 ${here.case_no ?? here.registration_no} 的伤者或事故备案，未导入任何数据。${REEXPORT}`);
    const w = here?.worker_id ?? there?.worker_id;
    if (typeof w === 'string') workers.add(w);
  }
  for (const c of rows.cases ?? [])
    if (!col(rows.workers, 'id').includes(String(c.worker_id))) return invalid(`专场包缺少部分案件的伤者信息。${REEXPORT}`);

  const scope: Scope = { hearingId, cases, rows, workers };
  for (const table of PACKAGE_TABLES) {
    const list = rows[table]!;
    for (const c of allowed(table, scope)) {
      const stray = list.findIndex((r) => !c.values.has(r[c.column] as string));
      if (stray >= 0)
        return invalid(
          `专场包中第 ${stray + 1} 条${table === 'cases' ? '案件' : ''}记录（${table}）不属于专场 ${body.hearing.hearingNo} 的案件，文件可能被改动过，未导入任何数据。${REEXPORT}`,
        );
    }
  }
  return scope;
}

/** Every user the rows name is carried (or known here), and every carried user is named by a row. */
async function checkPeople(db: Db, body: PackageBody, meta: StoreMeta): Promise<void> {
  const referenced = new Set<string>();
  for (const table of PACKAGE_TABLES)
    for (const row of body.tables[table]!)
      for (const c of meta.tables.get(table)!.userColumns) if (typeof row[c] === 'string') referenced.add(row[c]);
  const carried = new Set<string>();
  for (const u of body.users) {
    if (!referenced.has(u.id)) invalid(`专场包中的人员账号“${u.username}”与本专场的记录无关。${REEXPORT}`);
    if (carried.has(u.id)) invalid(`专场包中的人员账号“${u.username}”重复。${REEXPORT}`);
    carried.add(u.id);
  }
  for (const id of [...referenced].filter((r) => !carried.has(r)))
    if (!(await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()))
      invalid(`专场包的记录中提到的一名人员没有随包附带。${REEXPORT}`);
}

/** An issued document must carry a valid signature by a device this one trusts, matching its row. */
function checkDocuments(body: PackageBody, trust: Trust): void {
  for (const d of body.tables.issued_documents ?? []) {
    const pdf = Buffer.from(String(d.pdf), 'base64');
    const v = verifySignedPdf(pdf, trust.isTrusted);
    const label = `文号 ${String(d.document_no)} 的文书`;
    if (v.status === 'unknown-signer')
      refuse(`专场包中${label}由未登记为可信设备的电脑（密钥 ${v.keyId}）签名，未导入任何数据。请联系管理员核对该文书的来源`);
    if (v.status !== 'valid' || v.keyId !== d.key_id || v.facts?.no !== d.document_no || sha256(pdf) !== d.pdf_sha256)
      refuse(`专场包中${label}的签名无效或与记录不符（${v.message}），未导入任何数据。${REEXPORT}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Importing.
// ---------------------------------------------------------------------------------------------

export interface ImportOptions {
  /** This device's keys: the file must be addressed to it, and a package it signed itself is trusted. */
  ownKey: DeviceKey;
}

/**
 * The holder rule (docs/sync-protocol.md §12) on the stick as on the network: a package that would
 * change a case another office holds, by this device's custody record (the centre's list at the
 * last sync), is refused whole — also when capture is off and the centre would never see the
 * change to refuse it. A case the centre has not listed is this device's (not enrolled, never synced).
 */
async function refuseForeignHolders(
  db: Db,
  written: readonly { t: TableMeta; row: FileRow }[],
  caseLabel: (caseId: string) => Promise<string>,
): Promise<void> {
  const ids = new Set<string>();
  for (const { t, row } of written) {
    const link = t.spec.link;
    const id = link.kind === 'self' ? row[t.spec.key[0]!] : link.kind === 'column' ? row[link.column] : null;
    if (typeof id === 'string') ids.add(id);
  }
  if (ids.size === 0) return;
  const other = await db
    .selectFrom('case_custody')
    .select(['case_id', 'office_name'])
    .where('case_id', 'in', [...ids])
    .where('held_here', '=', 0)
    .orderBy('case_id')
    .executeTakeFirst();
  if (other)
    refuse(
      `专场包要修改案件 ${await caseLabel(other.case_id)}，但该案件现由「${other.office_name}」办理，本机所在机构不能修改它，未导入任何数据。` +
        `请把专场包交给「${other.office_name}」的电脑导入，或请中心先把案件移交本机构`,
    );
}

export async function importHearingPackage(db: Db, clock: Clock, content: string, opts: ImportOptions): Promise<ImportSummary> {
  if (!db.isTransaction) return db.transaction().execute((trx) => importHearingPackage(trx, clock, content, opts));
  const meta = await storeMeta(db);
  const trust = await loadTrust(db, opts.ownKey);
  const { body, signer, scope } = await checkPackage(db, content, opts.ownKey, trust, meta);
  const rows = body.tables as Rows;
  const caseLabel = async (caseId: string): Promise<string> => {
    const c =
      rows.cases?.find((r) => r.id === caseId) ??
      (await db.selectFrom('cases').select(['case_no', 'registration_no']).where('id', '=', caseId).executeTakeFirst());
    return String(c?.case_no ?? c?.registration_no ?? caseId);
  };

  // Sent to the centre by this device, unless the exporting device is enrolled with the same
  // centre: then its own outbox carries these changes, and sending them twice would conflict.
  const mine = await centreOf(db);
  const viaExporter = !!mine && !!body.device.centre && body.device.centre.keyId === mine.keyId;
  const merge = async () => {
    const users = await importCarriedUsers(db, clock, body.users, refuse);
    const merged = await mergeFileRows(db, meta, PACKAGE_TABLES, {
      rows: (t) => rows[t as PackageTable] ?? [],
      caseLabel,
      // Another hearing travels only as the one a conclusion names: added if missing, never changed.
      ruleFor: (t, row) => (t.table === 'hearings' && row.id !== scope.hearingId ? 'local' : null),
      remedy: REEXPORT,
      refuse,
    });
    await refuseForeignHolders(db, merged.written, caseLabel);
    const audit = await appendForeignAudit(db, body.audit, {
      deviceTag: body.device.tag,
      method: IMPORT_METHOD,
      copyMethods: IMPORT_METHODS,
      now: chinaInstant(clock.now()),
    });
    for (const caseId of merged.reindex) await reindexCase(db, caseId);
    return { users, merged, audit };
  };
  const { users, merged, audit } = viaExporter ? await withCaptureOff(db, merge) : await merge();

  const changed = users.added > 0 || audit.added > 0 || merged.counts.some((c) => c.added + c.updated > 0);
  return {
    hearingId: scope.hearingId,
    hearingNo: body.hearing.hearingNo,
    source: {
      deviceTag: body.device.tag,
      keyId: body.device.keyId,
      signer: signer.label,
      exportedAt: body.exportedAt,
      exportedBy: body.exportedBy.name,
    },
    tables: merged.counts,
    users,
    audit,
    changed,
    sentToCentre: !viaExporter,
  };
}
