// The sync wire contract between a device and the centre (docs/sync-protocol.md, version 1): every
// request and reply body as a zod schema, used by the device's client and the centre's server alike,
// so both validate the same shapes. Pure: no Node, no DOM.
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;

/** The string a device signs for every authenticated request (see docs/sync-protocol.md §3). */
export function signingString(method: string, pathWithQuery: string, bodySha256Hex: string, nonce: string): string {
  return `OIP-SYNC-1\n${method.toUpperCase()}\n${pathWithQuery}\n${bodySha256Hex}\n${nonce}`;
}

export const HEADER_DEVICE = 'x-oip-device';
export const HEADER_NONCE = 'x-oip-nonce';
export const HEADER_SIGNATURE = 'x-oip-signature';
/** Every authenticated reply carries a fresh nonce for the device's next request. */
export const HEADER_NEXT_NONCE = 'x-oip-next-nonce';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, '编号格式不正确');
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, '摘要格式不正确');
const b64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, '编码格式不正确')
  .max(8192);
const instant = z.string().max(40);

// ---- errors ------------------------------------------------------------------------------------

export const SYNC_ERROR_CODES = [
  'INVALID_INPUT', // the body or a header is not of the contract's shape
  'PROTOCOL_UNSUPPORTED', // protocol or catalogue version unknown to this side
  'UNAUTHENTICATED', // missing or bad signature, unknown device
  'NONCE_INVALID', // unknown, expired or already used nonce (a replayed request)
  'DEVICE_REVOKED', // the device was revoked centrally; it keeps its outbox
  'ENROL_CODE_INVALID', // wrong, expired, used or exhausted one-time code
  'SEQ_GAP', // a push skipped sequence numbers; `expectedSeq` says where to resume
  'TOO_LARGE',
  'NOT_FOUND',
  'INTERNAL',
  'FORBIDDEN', // a centre administrator without the role the act needs (issue #13)
  'RATE_LIMITED', // too many failed administrator sign-ins for one user name
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

export const syncErrorSchema = z.object({
  ok: z.literal(false),
  error: z.object({ code: z.enum(SYNC_ERROR_CODES), message: z.string().max(500), expectedSeq: z.number().int().min(1).optional() }),
});
export type SyncError = z.infer<typeof syncErrorSchema>;

// ---- enrolment ---------------------------------------------------------------------------------

/** One-time codes look like `K7Q2-9XMV-4T8C-PL3D`: the first group finds the code, the rest is the secret. */
export const enrolCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, '注册码格式应为 XXXX-XXXX-XXXX-XXXX（16 位字母数字）');

export const enrolRequestSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  code: enrolCodeSchema,
  /** The device's Ed25519 public key, SPKI DER in base64 (as electron/core/crypto/device-key.ts makes it). */
  publicKey: b64,
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  deviceName: z.string().trim().min(1).max(60),
  appVersion: z.string().max(40),
  schemaVersion: z.number().int().min(0),
  catalogueVersion: z.number().int().min(1),
});
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

export const enrolReplySchema = z.object({
  ok: z.literal(true),
  deviceId: uuid,
  /** Unique across the province, assigned by the centre; new case and document numbers carry it. */
  deviceTag: z.string().regex(/^[0-9A-Z]{2,6}$/),
  office: z.object({ id: uuid, name: z.string().max(80) }),
  centre: z.object({ publicKey: b64, keyId: z.string().regex(/^[0-9a-f]{16}$/) }),
  nonce: z.string().max(100),
});
export type EnrolReply = z.infer<typeof enrolReplySchema>;

export const nonceRequestSchema = z.object({ deviceId: uuid });
export const nonceReplySchema = z.object({ ok: z.literal(true), nonce: z.string().max(100), expiresAt: instant });

// ---- push --------------------------------------------------------------------------------------

/** A BLOB column travels as a reference; the blob itself goes first (PUT /v1/blobs/:sha256). */
export const blobRefSchema = z.object({ $blob: sha256Hex });
/** The longest text one cell, and one key value, may carry (the device checks its rows against these before writing its outbox). */
export const CELL_MAX_CHARS = 1_000_000;
export const KEY_MAX_CHARS = 200;
export const cellSchema = z.union([z.string().max(CELL_MAX_CHARS), z.number(), z.null(), blobRefSchema]);
export const rowSchema = z.record(
  z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .max(64),
  cellSchema,
);
export type SyncRow = z.infer<typeof rowSchema>;

export const rowChangeSchema = z.object({
  table: z
    .string()
    .regex(/^[a-z_]+$/)
    .max(64),
  /** The row's key columns and values, e.g. {"id": "…"} or {"case_id": "…", "code": "M01"}. */
  key: z.record(z.string().max(64), z.union([z.string().max(KEY_MAX_CHARS), z.number()])),
  op: z.enum(['upsert', 'delete']),
  /** The row's version before this change (null: the row did not exist here). */
  baseVersion: z.number().int().min(0).nullable(),
  /** The version after the change (the catalogue names the column that holds it). */
  version: z.number().int().min(1),
  /** The whole row after the change; null for a delete. */
  row: rowSchema.nullable(),
});
export type RowChange = z.infer<typeof rowChangeSchema>;

export const auditCopySchema = z.object({
  seq: z.number().int().min(1),
  at: instant,
  actorId: z.string().max(40).nullable(),
  actorName: z.string().max(100).nullable(),
  method: z.string().max(80),
  action: z.string().max(100),
  entity: z.string().max(40).nullable(),
  entityId: z.string().max(100).nullable(),
  summary: z.string().max(4000),
  prevHash: sha256Hex,
  hash: sha256Hex,
});
export type AuditCopy = z.infer<typeof auditCopySchema>;

/** A call that changed more rows is sent as consecutive mutations (docs/sync-protocol.md §4). */
export const MUTATION_MAX_ROWS = 2000;

const TABLE_NAME = /^[a-z_]+$/;
const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const CHANGE_FIELDS = ['table', 'key', 'op', 'baseVersion', 'version', 'row'] as const;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown, min: number): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

/** Exactly the fields `rowChangeSchema` keeps (an extra one goes the schema's way, which drops it). */
function hasChangeFields(c: Record<string, unknown>): boolean {
  let n = 0;
  for (const k in c) {
    if (!(CHANGE_FIELDS as readonly string[]).includes(k)) return false;
    n++;
  }
  return n === CHANGE_FIELDS.length;
}

function keyFits(key: unknown): boolean {
  if (!isPlain(key)) return false;
  for (const k in key) {
    const v = key[k];
    if (k.length > 64 || k === '__proto__') return false;
    if (typeof v === 'string' ? v.length > KEY_MAX_CHARS : typeof v !== 'number' || !Number.isFinite(v)) return false;
  }
  return true;
}

function rowFits(row: unknown): boolean {
  if (row === null) return true;
  if (!isPlain(row)) return false;
  for (const col in row) {
    if (col.length > 64 || !COLUMN_NAME.test(col) || col === '__proto__') return false;
    const v = row[col];
    if (v === null) continue;
    if (typeof v === 'string') {
      if (v.length > CELL_MAX_CHARS) return false;
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
    } else if (!isPlain(v) || typeof v.$blob !== 'string' || !SHA256_HEX.test(v.$blob) || Object.keys(v).length !== 1) return false;
  }
  return true;
}

/**
 * Does a mutation's `rows` pass `z.array(rowChangeSchema).max(MUTATION_MAX_ROWS)` as it is (nothing
 * to strip)? The same rules written out by hand: a push carries about eight rows per mutation and
 * a dozen cells per row, and zod over every cell was most of the centre's work per push. A "no"
 * is answered by the schema itself, so every refusal keeps its path and Chinese message.
 */
function rowsFit(rows: unknown): boolean {
  if (!Array.isArray(rows) || rows.length > MUTATION_MAX_ROWS) return false;
  for (const c of rows as unknown[]) {
    if (!isPlain(c) || !hasChangeFields(c)) return false;
    if (typeof c.table !== 'string' || c.table.length > 64 || !TABLE_NAME.test(c.table)) return false;
    if (c.op !== 'upsert' && c.op !== 'delete') return false;
    if (c.baseVersion !== null && !isCount(c.baseVersion, 0)) return false;
    if (!isCount(c.version, 1) || !keyFits(c.key) || !rowFits(c.row)) return false;
  }
  return true;
}

const rowsSchemaFull = z.array(rowChangeSchema).max(MUTATION_MAX_ROWS);

/** A mutation's rows: `rowsSchemaFull`, with rowsFit as its fast path (same output, same issues). */
export const rowsSchema = z.custom<RowChange[]>().transform((rows, ctx) => {
  if (rowsFit(rows)) return rows;
  const r = rowsSchemaFull.safeParse(rows);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue({ ...issue });
  return z.NEVER;
});

export const mutationSchema = z.object({
  /** Per device, gapless from 1, assigned in the transaction that made the change. */
  seq: z.number().int().min(1),
  /** UUIDv7 chosen by the device: the idempotency key. */
  mutationId: uuid,
  /** The RPC method that made the change (`cases.transition`), or `sync.baseline` for rows that predate the outbox. */
  kind: z.string().max(80),
  entity: z.string().max(40).nullable(),
  entityId: z.string().max(100).nullable(),
  userId: z.string().max(40).nullable(),
  userName: z.string().max(100).nullable(),
  /** `qinghai-2026@2026.1.0` when a rule pack was used, else null. */
  rulePack: z.string().max(80).nullable(),
  schemaVersion: z.number().int().min(0),
  at: instant,
  rows: rowsSchema,
  /** The audit entry the dispatcher wrote in the same transaction (null for a baseline). */
  audit: auditCopySchema.nullable(),
});
export type Mutation = z.infer<typeof mutationSchema>;

export const PUSH_MAX_MUTATIONS = 500;
/**
 * The device keeps a push body under this many bytes (fewer mutations when they are large; always
 * at least one): the centre refuses a JSON body over 32 MB (`413 TOO_LARGE`).
 */
export const PUSH_MAX_BYTES = 24 * 1024 * 1024;

/**
 * The user a mutation names when the device's local operator made it (the command line, the demo
 * generator: no account signed in). The centre takes it as the pushing device's own system actor,
 * on the strength of the device's key, as it takes the device's baseline (docs/sync-protocol.md §4).
 */
export const SYSTEM_ACTOR_ID = 'device-system';

export const pushRequestSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  catalogueVersion: z.number().int().min(1),
  mutations: z.array(mutationSchema).min(1).max(PUSH_MAX_MUTATIONS),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const MUTATION_STATUSES = ['applied', 'rejected', 'conflict'] as const;
export const mutationResultSchema = z.object({
  seq: z.number().int().min(1),
  mutationId: uuid,
  status: z.enum(MUTATION_STATUSES),
  /** For rejected/conflict: a stable code and a Chinese message for the 同步 page. */
  code: z.string().max(40).nullable(),
  message: z.string().max(500).nullable(),
  /** For conflicts: the centre's id of the recorded conflict (issue #13's inbox). */
  conflictId: uuid.nullable(),
});
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushReplySchema = z.object({
  ok: z.literal(true),
  results: z.array(mutationResultSchema),
  /** The highest seq the centre has recorded for this device (applied, rejected or conflict). */
  lastSeq: z.number().int().min(0),
});
export type PushReply = z.infer<typeof pushReplySchema>;

export const blobsMissingRequestSchema = z.object({ hashes: z.array(sha256Hex).max(1000) });
export const blobsMissingReplySchema = z.object({ ok: z.literal(true), missing: z.array(sha256Hex).max(1000) });
/** `PUT /v1/blobs/:sha256`: `stored` is false when the centre already had those bytes. */
export const blobPutReplySchema = z.object({ ok: z.literal(true), sha256: sha256Hex, stored: z.boolean() });
export const BLOB_MAX_BYTES = 64 * 1024 * 1024;

// ---- pull --------------------------------------------------------------------------------------

export const PULL_MAX_LIMIT = 1000;
/** The device's first sync asks for the largest pages: half the commits and round trips of 500 (issue #12). */
export const PULL_DEFAULT_LIMIT = PULL_MAX_LIMIT;

/** `GET /v1/pull?cursor=C&limit=N`: the cursor as the last page returned it (empty at the start). */
export const pullQuerySchema = z.object({
  cursor: z.string().max(100).default(''),
  limit: z.coerce.number().int().min(1).max(PULL_MAX_LIMIT).default(PULL_DEFAULT_LIMIT),
});

export const changeSchema = z.object({
  table: z
    .string()
    .regex(/^[a-z_]+$/)
    .max(64),
  key: z.record(z.string().max(64), z.union([z.string().max(200), z.number()])),
  version: z.number().int().min(0),
  deleted: z.boolean(),
  row: rowSchema.nullable(),
});
export type Change = z.infer<typeof changeSchema>;

/**
 * A person a pulled row names whom the device's office does not see (an account of the office a
 * case came from): who they are and what they may do, never password material. The device makes
 * an account that cannot sign in (the hearing package's foreign users, replication/foreign-users.ts).
 */
export const carriedUserSchema = z.strictObject({
  id: z.string().min(1).max(40),
  username: z.string().regex(/^[a-z][a-z0-9._-]{0,63}$/),
  displayName: z.string().min(1).max(100),
  roles: z.array(z.string().max(40)).max(20),
});
export type CarriedUser = z.infer<typeof carriedUserSchema>;

export const pullReplySchema = z.object({
  ok: z.literal(true),
  changes: z.array(changeSchema).max(PULL_MAX_LIMIT),
  /** The people the page's rows name that this office does not see (§6); absent from older centres. */
  users: z
    .array(carriedUserSchema)
    .max(PULL_MAX_LIMIT * 4)
    .optional(),
  /**
   * Rows of office-wide tables (experts, platforms) the page's rows name that this office does not
   * see: the device inserts each one it lacks and never changes one it has.
   */
  references: z
    .array(changeSchema)
    .max(PULL_MAX_LIMIT * 4)
    .optional(),
  /** Opaque; the device stores it with the page, in the same transaction, and sends it back. */
  cursor: z.string().max(100),
  more: z.boolean(),
});
export type PullReply = z.infer<typeof pullReplySchema>;

/** `GET /v1/health`: unauthenticated, for load balancers and the device's online check. */
export const healthReplySchema = z.object({
  ok: z.literal(true),
  protocol: z.number().int(),
  catalogueVersion: z.number().int(),
  serverTime: instant,
});

export const statusReplySchema = z.object({
  ok: z.literal(true),
  deviceId: uuid,
  deviceTag: z.string(),
  office: z.object({ id: uuid, name: z.string() }),
  lastSeq: z.number().int().min(0),
  serverTime: instant,
});
