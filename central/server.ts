// The centre's HTTP API (docs/sync-protocol.md): Fastify routes over the services in core/. Every
// body is read raw (its SHA-256 is part of what the device signs), authenticated before it is
// parsed, then validated with the shared zod schemas; any refusal is a `syncErrorSchema` body in
// Chinese. Nothing here keeps state between requests: nonces, codes, sequences and keys live in
// the database, so any number of these nodes can serve one database. The log line of a request is
// its method, route pattern, status and time — never a body, a row or a header value.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  BLOB_MAX_BYTES,
  HEADER_NEXT_NONCE,
  PROTOCOL_VERSION,
  PULL_MAX_LIMIT,
  blobsMissingRequestSchema,
  enrolRequestSchema,
  nonceRequestSchema,
  pullQuerySchema,
  pushRequestSchema,
  type SyncError,
} from '../shared/sync/protocol';
import { CATALOGUE_VERSION } from '../shared/sync/tables';
import type { Db } from './db/database';
import { authenticate, nonceForDevice, type Device } from './core/auth';
import { getBlob, missing, putBlob } from './core/blobs';
import { chinaInstant, type Clock } from './core/clock';
import { CentralError, invalid } from './core/errors';
import { enrolDevice } from './core/enrolment';
import { pull } from './core/pull';

import { referenceQuerySchema } from '../shared/reference/items';
import { push } from './core/push';
import { exchangeLeases } from './core/leases';
import { leasesRequestSchema } from '../shared/sync/leases';
import { listConflicts } from './core/conflicts';
import { listHolders } from './core/holders';
import { ADMIN_ROLE_LABELS, requirePublisher, sessionAdmin, signInAdmin, signOutAdmin } from './core/admin-accounts';
import { publishReference, referenceFeed, referenceSummary } from './core/reference';
import { ADMIN_CSS, ADMIN_HTML, ADMIN_JS } from './admin-page';
import { z as zod } from 'zod';

/** JSON bodies: a full push (500 mutations with whole rows) fits comfortably. */
export const JSON_BODY_LIMIT = 32 * 1024 * 1024;

export interface ServerOptions {
  db: Db;
  clock: Clock;
  /** Where request lines go (default: stdout); tests collect them to check nothing personal leaks. */
  log?: (line: string) => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    nextNonce?: string;
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

function issues(e: z.ZodError): string {
  return e.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? `${i.path.join('.')}：` : ''}${i.message}`)
    .join('；');
}

function parseJson<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  if (!Buffer.isBuffer(raw) || raw.length === 0) throw invalid('请求缺少 JSON 内容');
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw invalid('请求内容不是有效的 JSON');
  }
  const r = schema.safeParse(value);
  if (!r.success) throw invalid(`请求内容不符合同步协议：${issues(r.error)}`.slice(0, 500));
  return r.data;
}

const rawBody = (req: FastifyRequest): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

function errorBody(e: CentralError): SyncError {
  return {
    ok: false,
    error: { code: e.code, message: e.message.slice(0, 500), ...(e.expectedSeq !== undefined ? { expectedSeq: e.expectedSeq } : {}) },
  };
}

/** Fastify's own refusals (size, media type, malformed URL) in the protocol's shape. */
function fromFastify(e: { statusCode?: number; code?: string }): CentralError {
  const status = e.statusCode ?? 500;
  if (status === 413) return new CentralError('TOO_LARGE', 413, '请求内容过大，超出中心的上限');
  if (status === 415)
    return new CentralError('INVALID_INPUT', 415, '请求的内容类型不受支持（应为 application/json 或 application/octet-stream）');
  if (status >= 400 && status < 500) return new CentralError('INVALID_INPUT', status, '请求格式不正确');
  return new CentralError('INTERNAL', 500, '中心内部出错，请稍后重试；若一再出现请联系中心管理员');
}

export function buildServer(o: ServerOptions): FastifyInstance {
  const { db, clock } = o;
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const app = Fastify({ logger: false, bodyLimit: JSON_BODY_LIMIT, requestTimeout: 120_000, return503OnClosing: true });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: JSON_BODY_LIMIT }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: BLOB_MAX_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  app.addHook('onRequest', async (req) => {
    (req as FastifyRequest & { startedAt: bigint }).startedAt = process.hrtime.bigint();
  });
  app.addHook('onSend', async (req, reply) => {
    if (req.nextNonce) void reply.header(HEADER_NEXT_NONCE, req.nextNonce);
  });
  app.addHook('onResponse', async (req, reply) => {
    const started = (req as FastifyRequest & { startedAt?: bigint }).startedAt;
    const ms = started === undefined ? 0 : Number(process.hrtime.bigint() - started) / 1e6;
    log(`${chinaInstant(clock.now())} ${req.method} ${req.routeOptions.url ?? '(未知路径)'} ${reply.statusCode} ${ms.toFixed(1)}ms`);
  });

  app.setErrorHandler(async (err: unknown, _req, reply) => {
    const e = err instanceof CentralError ? err : fromFastify(err as { statusCode?: number; code?: string });
    // Only the kind of an unexpected error: its message could quote a row.
    if (!(err instanceof CentralError) && e.status >= 500) log(`错误 ${(err as { code?: string }).code ?? (err as Error).name ?? 'Error'}`);
    return reply.status(e.status).send(errorBody(e));
  });
  app.setNotFoundHandler(async (_req, reply) =>
    reply.status(404).send(errorBody(new CentralError('NOT_FOUND', 404, '中心没有这个接口（应用与中心的版本是否一致？）'))),
  );

  const signed = async (req: FastifyRequest): Promise<Device> => {
    const { device, nextNonce } = await authenticate(db, clock, {
      method: req.method,
      url: req.url,
      body: rawBody(req),
      header: (name) => {
        const v = req.headers[name];
        return typeof v === 'string' ? v : undefined;
      },
    });
    req.nextNonce = nextNonce;
    return device;
  };

  app.get('/v1/health', async () => ({
    ok: true,
    protocol: PROTOCOL_VERSION,
    catalogueVersion: CATALOGUE_VERSION,
    serverTime: chinaInstant(clock.now()),
  }));

  app.post('/v1/enrol', async (req) => enrolDevice(db, clock, parseJson(enrolRequestSchema, req.body)));

  app.post('/v1/nonce', async (req) => {
    const { deviceId } = parseJson(nonceRequestSchema, req.body);
    return { ok: true, ...(await nonceForDevice(db, clock, deviceId)) };
  });

  app.get('/v1/status', async (req) => {
    const d = await signed(req);
    const row = await db.selectFrom('devices').select('last_seq').where('id', '=', d.id).executeTakeFirstOrThrow();
    return {
      ok: true,
      deviceId: d.id,
      deviceTag: d.tag,
      office: { id: d.officeId, name: d.officeName },
      lastSeq: row.last_seq,
      serverTime: chinaInstant(clock.now()),
    };
  });

  // Crash tests only (docs/sync-protocol.md §7): the node dies after a push committed and before
  // its reply leaves. Inert unless the variable is set in the node's environment.
  const crashAfterPushCommit = process.env.OIP_CENTRAL_CRASH_AFTER_PUSH_COMMIT === '1';
  app.post('/v1/push', async (req) => {
    const d = await signed(req);
    const reply = await push(db, clock, d, parseJson(pushRequestSchema, req.body));
    if (crashAfterPushCommit && reply.results.length > 0) process.kill(process.pid, 'SIGKILL');
    return reply;
  });

  app.post('/v1/blobs/missing', async (req) => {
    await signed(req);
    const { hashes } = parseJson(blobsMissingRequestSchema, req.body);
    return { ok: true, missing: await missing(db, hashes) };
  });

  app.put('/v1/blobs/:sha256', async (req) => {
    await signed(req);
    const sha = (req.params as { sha256: string }).sha256;
    if (!SHA256.test(sha)) throw invalid('文件摘要格式不正确');
    if (req.headers['content-type'] !== 'application/octet-stream') throw invalid('上传文件应使用 application/octet-stream');
    const stored = await putBlob(db, clock, sha, rawBody(req));
    return { ok: true, sha256: sha, stored };
  });

  app.get('/v1/blobs/:sha256', async (req, reply: FastifyReply) => {
    await signed(req);
    const sha = (req.params as { sha256: string }).sha256;
    if (!SHA256.test(sha)) throw invalid('文件摘要格式不正确');
    const bytes = await getBlob(db, sha);
    if (!bytes) throw new CentralError('NOT_FOUND', 404, '中心没有这个文件');
    return reply.type('application/octet-stream').send(bytes);
  });

  // Hook (issue #13): the signed reference feed, read by devices after their pull (reference.ts).
  app.get('/v1/reference', async (req) => {
    const d = await signed(req);
    const q = referenceQuerySchema.safeParse(req.query);
    if (!q.success) throw invalid(`参考数据参数不正确：${issues(q.error)}`);
    return referenceFeed(db, d, q.data.after, q.data.limit);
  });

  app.get('/v1/pull', async (req) => {
    const d = await signed(req);
    const q = pullQuerySchema.safeParse(req.query);
    if (!q.success) throw invalid(`拉取参数不正确：${issues(q.error)}（每页 1 到 ${PULL_MAX_LIMIT} 条）`);
    return pull(db, d, q.data.cursor, q.data.limit);
  });

  // Issue #13: document-number leases (central/core/leases.ts).
  app.post('/v1/leases', async (req) => {
    const d = await signed(req);
    return exchangeLeases(db, clock, d, parseJson(leasesRequestSchema, req.body));
  });

  // Issue #13: the 同步冲突 inbox of the device's office (central/core/conflicts.ts).
  app.get('/v1/conflicts', async (req) => listConflicts(db, clock, await signed(req)));
  // Issue #13: who holds each case the device's office sees (central/core/holders.ts).
  app.get('/v1/holders', async (req) => listHolders(db, await signed(req)));

  // Issue #13: publishing over HTTP, for a signed-in centre administrator only (admin-accounts.ts).
  // The page and its assets carry no data; every act is a /v1/admin route behind a session token.
  const PAGE_CSP =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'";
  const page = (type: string, body: string) => async (_req: FastifyRequest, reply: FastifyReply) =>
    reply
      .type(type)
      .header('content-security-policy', PAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(body);
  app.get('/admin', page('text/html; charset=utf-8', ADMIN_HTML));
  app.get('/admin/app.js', page('text/javascript; charset=utf-8', ADMIN_JS));
  app.get('/admin/app.css', page('text/css; charset=utf-8', ADMIN_CSS));

  const signInSchema = zod.object({ username: zod.string().min(1).max(40), password: zod.string().min(1).max(200) });
  app.post('/v1/admin/session', async (req) => {
    const { username, password } = parseJson(signInSchema, req.body);
    const s = await signInAdmin(db, clock, username, password);
    return {
      ok: true,
      token: s.token,
      expiresAt: s.expiresAt,
      admin: {
        username: s.admin.username,
        displayName: s.admin.displayName,
        role: s.admin.role,
        roleLabel: ADMIN_ROLE_LABELS[s.admin.role],
      },
    };
  });
  app.delete('/v1/admin/session', async (req) => {
    await signOutAdmin(db, req.headers.authorization);
    return { ok: true };
  });
  app.get('/v1/admin/reference', async (req) => {
    await sessionAdmin(db, clock, req.headers.authorization);
    return { ok: true, ...(await referenceSummary(db)) };
  });
  app.post('/v1/admin/reference/:kind', async (req) => {
    const a = await sessionAdmin(db, clock, req.headers.authorization);
    requirePublisher(a);
    const raw = rawBody(req);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw invalid('上传的文件不是有效的 JSON，未发布');
    }
    const office = (req.query as { office?: unknown }).office;
    const published = await publishReference(db, clock, {
      kind: (req.params as { kind: string }).kind,
      body,
      office: typeof office === 'string' && office.trim() ? office : undefined,
      by: a.username,
    });
    return { ok: true, ...published };
  });

  return app;
}
