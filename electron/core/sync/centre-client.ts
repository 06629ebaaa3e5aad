// The device's client for the centre's protocol (docs/sync-protocol.md): one typed method per
// endpoint. It takes the device key, the centre's address and a fetch-like transport as
// dependencies, signs every authenticated request, keeps the nonces the centre hands back, bounds
// every exchange with a timeout, and checks every reply against the shared schemas — a malformed,
// over-large or wrongly-shaped reply becomes a CentreError with a Chinese message, never a crash
// or a half-trusted value. It holds no sync state of its own beyond nonces: the sync loop decides
// what to push and where to pull from.
import { sign } from 'node:crypto';
import type { z } from 'zod';
import {
  BLOB_MAX_BYTES,
  HEADER_DEVICE,
  HEADER_NEXT_NONCE,
  HEADER_NONCE,
  HEADER_SIGNATURE,
  PROTOCOL_VERSION,
  PULL_DEFAULT_LIMIT,
  PULL_MAX_LIMIT,
  PUSH_MAX_MUTATIONS,
  blobPutReplySchema,
  blobsMissingReplySchema,
  enrolReplySchema,
  healthReplySchema,
  nonceReplySchema,
  pullReplySchema,
  pushReplySchema,
  signingString,
  statusReplySchema,
  syncErrorSchema,
  type EnrolReply,
  type Mutation,
  type PullReply,
  type PushReply,
  type SyncErrorCode,
} from '../../../shared/sync/protocol';
import { CATALOGUE_VERSION } from '../../../shared/sync/tables';
import { referenceReplySchema, type ReferenceReply } from '../../../shared/reference/items';
import { leasesReplySchema, type LeasesReply, type LeasesRequest } from '../../../shared/sync/leases';
import { conflictsReplySchema, type ConflictsReply } from '../../../shared/sync/conflicts';
import { holdersReplySchema, type HoldersReply } from '../../../shared/sync/holders';
import { keyIdOf, type DeviceKey } from '../crypto/device-key';
import { sha256 } from '../crypto/hash';

/** The parts of WHATWG fetch the client uses; tests and the fault injector provide their own. */
export interface FetchLikeResponse {
  status: number;
  headers: { get(name: string): string | null };
  body?: ReadableStream<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: Uint8Array | undefined; signal: AbortSignal },
) => Promise<FetchLikeResponse>;

/** Protocol codes, plus what can go wrong on the way: no connection, no answer in time, an answer we cannot trust. */
export type CentreErrorCode = SyncErrorCode | 'NETWORK' | 'TIMEOUT' | 'BAD_REPLY';

export class CentreError extends Error {
  constructor(
    readonly code: CentreErrorCode,
    message: string,
    readonly status: number | null = null,
    readonly expectedSeq?: number,
  ) {
    super(message);
  }
  /** Worth trying again later as it is (the centre may have applied it: pushes are idempotent). */
  get retryable(): boolean {
    return this.code === 'NETWORK' || this.code === 'TIMEOUT' || this.code === 'INTERNAL' || this.code === 'BAD_REPLY';
  }
}

export interface CentreClientOptions {
  /** The centre's address, e.g. `https://sync.example.gov.cn` (a path prefix is kept). */
  baseUrl: string;
  key: DeviceKey;
  /** Known after enrolment. */
  deviceId?: string | null;
  fetch?: FetchLike;
  /** Per exchange, connection to last byte. Default 30 s. */
  timeoutMs?: number;
  /** Largest JSON reply accepted. Default 32 MB (a full pull page of large rows). */
  maxReplyBytes?: number;
}

const NONCE = /^[A-Za-z0-9_-]{16,100}$/;
const SHA256 = /^[0-9a-f]{64}$/;

export function normaliseBaseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new CentreError('INVALID_INPUT', '中心地址格式不正确，应形如 https://中心地址');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CentreError('INVALID_INPUT', '中心地址应以 http:// 或 https:// 开头');
  if (u.search || u.hash || u.username || u.password) throw new CentreError('INVALID_INPUT', '中心地址不应带查询参数、锚点或用户名');
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

export class CentreClient {
  readonly baseUrl: string;
  private readonly key: DeviceKey;
  private readonly fetch: FetchLike;
  private readonly timeoutMs: number;
  private readonly maxReplyBytes: number;
  private device: string | null;
  /** Nonces the centre handed back, unused; each request takes one. */
  private readonly nonces: string[] = [];

  constructor(o: CentreClientOptions) {
    this.baseUrl = normaliseBaseUrl(o.baseUrl);
    this.key = o.key;
    this.device = o.deviceId ?? null;
    this.fetch = o.fetch ?? (globalThis.fetch as unknown as FetchLike);
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.maxReplyBytes = o.maxReplyBytes ?? 32 * 1024 * 1024;
  }

  get deviceId(): string | null {
    return this.device;
  }

  // ---- public endpoints ------------------------------------------------------------------------

  async health(): Promise<z.infer<typeof healthReplySchema>> {
    const res = await this.exchange('GET', '/v1/health', {});
    return this.json(res, healthReplySchema);
  }

  /** Registers this device's key with a one-time code; remembers the device id and the first nonce. */
  async enrol(input: { code: string; deviceName: string; appVersion: string; schemaVersion: number }): Promise<EnrolReply> {
    const body = {
      protocol: PROTOCOL_VERSION,
      code: input.code,
      publicKey: this.key.publicKeyB64,
      keyId: this.key.keyId,
      deviceName: input.deviceName,
      appVersion: input.appVersion,
      schemaVersion: input.schemaVersion,
      catalogueVersion: CATALOGUE_VERSION,
    };
    const res = await this.exchange('POST', '/v1/enrol', jsonHeaders(), Buffer.from(JSON.stringify(body)));
    const reply = await this.json(res, enrolReplySchema);
    // The key the device will pin: its id must be the one its bytes give.
    if (keyIdOf(reply.centre.publicKey) !== reply.centre.keyId) throw badReply('中心公钥与其编号不符');
    this.device = reply.deviceId;
    this.nonces.length = 0;
    if (NONCE.test(reply.nonce)) this.nonces.push(reply.nonce);
    return reply;
  }

  // ---- signed endpoints ------------------------------------------------------------------------

  async status(): Promise<z.infer<typeof statusReplySchema>> {
    return this.signed('GET', '/v1/status', null, statusReplySchema);
  }

  /** Pushes mutations in seq order. A gap is a CentreError `SEQ_GAP` with `expectedSeq`. */
  async push(mutations: readonly Mutation[]): Promise<PushReply> {
    return this.pushWire(mutations.map((m) => ({ seq: m.seq, mutationId: m.mutationId, json: JSON.stringify(m) })));
  }

  /**
   * Pushes mutations already in wire text (the outbox's stored JSON, replication/outbox.ts
   * wireMutations): the body is assembled from those texts, so nothing is parsed or serialised
   * again on the way out. The body is the same JSON `push` sends.
   */
  async pushWire(mutations: readonly { seq: number; mutationId: string; json: string }[]): Promise<PushReply> {
    if (mutations.length === 0 || mutations.length > PUSH_MAX_MUTATIONS)
      throw new CentreError('INVALID_INPUT', `一次推送 1 到 ${PUSH_MAX_MUTATIONS} 条变更`);
    const body = `{"protocol":${PROTOCOL_VERSION},"catalogueVersion":${CATALOGUE_VERSION},"mutations":[${mutations.map((m) => m.json).join(',')}]}`;
    const reply = await this.signed('POST', '/v1/push', Buffer.from(body), pushReplySchema);
    // Results must answer what was sent: a prefix of the batch, in order, same ids.
    if (reply.results.length > mutations.length) throw badReply('中心返回的推送结果多于发送的变更');
    reply.results.forEach((r, i) => {
      const m = mutations[i]!;
      if (r.seq !== m.seq || r.mutationId !== m.mutationId) throw badReply('中心返回的推送结果与发送的变更对不上');
    });
    return reply;
  }

  async blobsMissing(hashes: readonly string[]): Promise<string[]> {
    const body = Buffer.from(JSON.stringify({ hashes }));
    const reply = await this.signed('POST', '/v1/blobs/missing', body, blobsMissingReplySchema);
    const asked = new Set(hashes);
    if (reply.missing.some((h) => !asked.has(h))) throw badReply('中心返回了未询问的文件');
    return reply.missing;
  }

  async putBlob(sha256Hex: string, bytes: Uint8Array): Promise<{ stored: boolean }> {
    if (!SHA256.test(sha256Hex)) throw new CentreError('INVALID_INPUT', '文件摘要格式不正确');
    if (bytes.byteLength > BLOB_MAX_BYTES) throw new CentreError('TOO_LARGE', '文件超过中心的上限（64 MB）');
    const reply = await this.signed('PUT', `/v1/blobs/${sha256Hex}`, bytes, blobPutReplySchema, 'application/octet-stream');
    if (reply.sha256 !== sha256Hex) throw badReply('中心确认的文件与上传的不同');
    return { stored: reply.stored };
  }

  /** The blob's bytes, checked against the hash asked for. */
  async getBlob(sha256Hex: string): Promise<Buffer> {
    if (!SHA256.test(sha256Hex)) throw new CentreError('INVALID_INPUT', '文件摘要格式不正确');
    const res = await this.signedExchange('GET', `/v1/blobs/${sha256Hex}`, null);
    if (res.status !== 200) throw await this.errorOf(res);
    const bytes = await this.read(res, BLOB_MAX_BYTES);
    if (sha256(bytes) !== sha256Hex) throw badReply('中心返回的文件与其摘要不符');
    return bytes;
  }

  async pull(cursor: string, limit = PULL_DEFAULT_LIMIT): Promise<PullReply> {
    if (!Number.isInteger(limit) || limit < 1 || limit > PULL_MAX_LIMIT)
      throw new CentreError('INVALID_INPUT', `每页 1 到 ${PULL_MAX_LIMIT} 条`);
    const q = new URLSearchParams({ cursor, limit: String(limit) });
    const reply = await this.signed('GET', `/v1/pull?${q.toString()}`, null, pullReplySchema);
    if (reply.changes.length > limit) throw badReply(`中心返回的一页有 ${reply.changes.length} 条，超过了请求的 ${limit} 条`);
    return reply;
  }

  /** The centre's signed reference feed after `after` (issue #13); items are checked by the caller. */
  async reference(after: number, limit = 50): Promise<ReferenceReply> {
    const q = new URLSearchParams({ after: String(after), limit: String(limit) });
    const reply = await this.signed('GET', `/v1/reference?${q.toString()}`, null, referenceReplySchema);
    if (reply.items.length > limit) throw badReply('中心返回的参考数据多于请求的数量');
    if (reply.items.some((e, i) => e.seq <= (i === 0 ? after : reply.items[i - 1]!.seq))) throw badReply('中心返回的参考数据顺序不正确');
    return reply;
  }

  /** Document-number leases (issue #13): report usage and hand-backs, receive every lease held. */
  async leases(req: LeasesRequest): Promise<LeasesReply> {
    const reply = await this.signed('POST', '/v1/leases', Buffer.from(JSON.stringify(req)), leasesReplySchema);
    const asked = new Set(req.returns.map((r) => r.leaseId));
    if (reply.returned.some((id) => !asked.has(id))) throw badReply('中心确认交还了未交还的号段');
    return reply;
  }

  /** The 同步冲突 inbox of this device's office (issue #13). */
  async conflicts(): Promise<ConflictsReply> {
    return this.signed('GET', '/v1/conflicts', null, conflictsReplySchema);
  }

  /** Who holds each case this device's office sees (issue #13). */
  async holders(): Promise<HoldersReply> {
    return this.signed('GET', '/v1/holders', null, holdersReplySchema);
  }

  // ---- machinery -------------------------------------------------------------------------------

  private async signed<S extends z.ZodType>(
    method: string,
    path: string,
    body: Uint8Array | null,
    schema: S,
    contentType = 'application/json',
  ): Promise<z.output<S>> {
    const res = await this.signedExchange(method, path, body, contentType);
    return this.json(res, schema);
  }

  /** One signed exchange; a refused nonce (expired while queued) is retried once with a fresh one. */
  private async signedExchange(
    method: string,
    path: string,
    body: Uint8Array | null,
    contentType = 'application/json',
  ): Promise<FetchLikeResponse> {
    const device = this.device;
    if (!device) throw new CentreError('UNAUTHENTICATED', '本机尚未在中心注册，请先在「同步」页注册');
    for (let attempt = 1; ; attempt++) {
      const nonce = this.nonces.shift() ?? (await this.freshNonce(device));
      const bytes = body ?? new Uint8Array(0);
      // The path as the protocol names it (`/v1/…`): a proxy may serve the centre under a prefix.
      const text = signingString(method, path, sha256(Buffer.from(bytes)), nonce);
      const headers: Record<string, string> = {
        [HEADER_DEVICE]: device,
        [HEADER_NONCE]: nonce,
        [HEADER_SIGNATURE]: sign(null, Buffer.from(text), this.key.privateKey).toString('base64'),
      };
      if (body) headers['content-type'] = contentType;
      const res = await this.exchange(method, path, headers, body ?? undefined);
      const next = res.headers.get(HEADER_NEXT_NONCE);
      if (next && NONCE.test(next)) this.nonces.push(next);
      if (res.status === 401 && attempt === 1) {
        const err = await this.errorOf(res);
        if (err.code === 'NONCE_INVALID') continue;
        throw err;
      }
      return res;
    }
  }

  private async freshNonce(deviceId: string): Promise<string> {
    const res = await this.exchange('POST', '/v1/nonce', jsonHeaders(), Buffer.from(JSON.stringify({ deviceId })));
    const reply = await this.json(res, nonceReplySchema);
    if (!NONCE.test(reply.nonce)) throw badReply('中心返回的一次性随机数格式不正确');
    return reply.nonce;
  }

  private async exchange(method: string, path: string, headers: Record<string, string>, body?: Uint8Array): Promise<FetchLikeResponse> {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), this.timeoutMs);
    try {
      const res = await this.fetch(`${this.baseUrl}${path}`, { method, headers, body, signal: ctl.signal });
      // The body is read under the same deadline: hand back a response whose reads still abort.
      return withDeadline(res, ctl.signal, timer);
    } catch {
      clearTimeout(timer);
      if (ctl.signal.aborted) throw new CentreError('TIMEOUT', `中心在 ${Math.round(this.timeoutMs / 1000)} 秒内没有应答，稍后会自动重试`);
      throw new CentreError('NETWORK', `无法连接中心（${this.baseUrl}）：请检查网络和中心地址`, null);
    }
  }

  private async json<S extends z.ZodType>(res: FetchLikeResponse, schema: S): Promise<z.output<S>> {
    if (res.status < 200 || res.status >= 300) throw await this.errorOf(res);
    const value = parseJson(await this.read(res, this.maxReplyBytes));
    const r = schema.safeParse(value);
    if (!r.success) throw badReply('中心返回的数据格式不符合同步协议');
    return r.data;
  }

  /** A refusal in the protocol's shape, or a plain description of an answer that is not one. */
  private async errorOf(res: FetchLikeResponse): Promise<CentreError> {
    let value: unknown = null;
    try {
      value = parseJson(await this.read(res, 64 * 1024));
    } catch (e) {
      if (e instanceof CentreError && e.code === 'TIMEOUT') return e;
    }
    const r = syncErrorSchema.safeParse(value);
    if (r.success) return new CentreError(r.data.error.code, r.data.error.message, res.status, r.data.error.expectedSeq);
    if (res.status >= 500) return new CentreError('INTERNAL', `中心暂时不可用（HTTP ${res.status}），稍后会自动重试`, res.status);
    return badReply(`中心返回了无法识别的应答（HTTP ${res.status}）`, res.status);
  }

  private async read(res: FetchLikeResponse, limit: number): Promise<Buffer> {
    const tooLarge = (): CentreError => badReply(`中心返回的数据过大（超过 ${Math.round(limit / 1024 / 1024) || 1} MB）`);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > limit) throw tooLarge();
    try {
      if (res.body && typeof res.body.getReader === 'function') {
        const reader = res.body.getReader();
        const chunks: Uint8Array[] = [];
        let total = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
          if (total > limit) {
            await reader.cancel().catch(() => undefined);
            throw tooLarge();
          }
          chunks.push(value);
        }
        return Buffer.concat(chunks);
      }
      const buf = Buffer.from(await res.arrayBuffer());
      if (buf.byteLength > limit) throw tooLarge();
      return buf;
    } catch (e) {
      if (e instanceof CentreError) throw e;
      if ((res as DeadlineResponse).deadline?.aborted)
        throw new CentreError('TIMEOUT', `中心在 ${Math.round(this.timeoutMs / 1000)} 秒内没有传完应答，稍后会自动重试`);
      throw new CentreError('NETWORK', '与中心的连接在传输中断开，稍后会自动重试');
    } finally {
      (res as DeadlineResponse).done?.();
    }
  }
}

interface DeadlineResponse extends FetchLikeResponse {
  deadline?: AbortSignal;
  done?: () => void;
}

function withDeadline(res: FetchLikeResponse, signal: AbortSignal, timer: ReturnType<typeof setTimeout>): DeadlineResponse {
  const r = res as DeadlineResponse;
  r.deadline = signal;
  r.done = () => clearTimeout(timer);
  return r;
}

function jsonHeaders(): Record<string, string> {
  return { 'content-type': 'application/json' };
}

function badReply(message: string, status: number | null = null): CentreError {
  return new CentreError('BAD_REPLY', `${message}，本机未做任何改动`, status);
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw badReply('中心返回的数据不是有效的 JSON（可能传输不完整）');
  }
}
