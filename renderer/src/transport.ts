// How the renderer reaches the core: Electron's preload bridge when it is there, otherwise
// the web host's HTTP RPC with the per-launch key from the URL fragment. Both carry the
// same contract, so nothing above this module knows which host it runs in.
import type { ApiInput, ApiOutput, MethodName, Topic, TopicPayload } from '../../shared/api/contract';
import { ApiError, isApiErrorBody } from '../../shared/api/errors';

interface Bridge {
  invoke(method: string, input: unknown, sessionToken: string | null): Promise<unknown>;
  subscribe(topic: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    oip?: Bridge;
  }
}

const KEY_STORAGE = 'oip.hostKey';
let sessionToken: string | null = null;

/** The web host puts its launch key in the fragment; keep it for this tab and clean the URL. */
function hostKey(): string {
  const match = /(?:^#|&)key=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(KEY_STORAGE, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(KEY_STORAGE) ?? '';
}

export function setSessionToken(token: string | null): void {
  sessionToken = token;
  if (token) sessionStorage.setItem('oip.session', token);
  else sessionStorage.removeItem('oip.session');
}

export function restoreSessionToken(): string | null {
  sessionToken = sessionStorage.getItem('oip.session');
  return sessionToken;
}

type RpcEnvelope = { ok: true; result: unknown } | { ok: false; error: unknown };

/**
 * Whether the local service answered the last request. A lost connection is said on screen (a
 * banner, see ConnectionBanner) instead of leaving every list silently empty.
 */
let connected = true;
const connectionListeners = new Set<() => void>();
function setConnected(ok: boolean): void {
  if (ok === connected) return;
  connected = ok;
  for (const fn of connectionListeners) fn();
}
export function isConnected(): boolean {
  return connected;
}
export function onConnectionChange(fn: () => void): () => void {
  connectionListeners.add(fn);
  return () => connectionListeners.delete(fn);
}

/** True when this page was opened without the web host's launch key (the address was cut short). */
export function missingHostKey(): boolean {
  return !window.oip && !hostKey();
}

const LOST = '无法连接到本机服务，请确认职伤保障工作台仍在运行';

async function httpInvoke(method: string, input: unknown): Promise<RpcEnvelope> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-oip-key': hostKey() };
  if (sessionToken) headers['x-oip-session'] = sessionToken;
  let res: Response;
  try {
    res = await fetch('/rpc', { method: 'POST', headers, body: JSON.stringify({ method, input }) });
  } catch {
    setConnected(false);
    throw new ApiError('INTERNAL', LOST);
  }
  let envelope: RpcEnvelope;
  try {
    envelope = (await res.json()) as RpcEnvelope;
  } catch {
    // Not the service's answer (a proxy's error page, a host shutting down mid-reply).
    setConnected(false);
    throw new ApiError('INTERNAL', LOST);
  }
  setConnected(true);
  return envelope;
}

export async function invoke<N extends MethodName>(method: N, input: ApiInput<N>): Promise<ApiOutput<N>> {
  const envelope = (window.oip ? await window.oip.invoke(method, input, sessionToken) : await httpInvoke(method, input)) as RpcEnvelope;
  if (envelope.ok) return envelope.result as ApiOutput<N>;
  const err = isApiErrorBody(envelope.error) ? ApiError.fromBody(envelope.error) : new ApiError('INTERNAL', '系统内部错误，请重试');
  for (const fn of errorListeners) fn(err);
  throw err;
}

/**
 * Fetches a file the web host holds for this session (documents.* answered with a download):
 * once, with the launch key and the session, as bytes to open or save here.
 */
export async function fetchDownload(url: string): Promise<Blob> {
  if (!url.startsWith('/download/')) throw new ApiError('INVALID_INPUT', '下载地址无效，请重新打开文书');
  const headers: Record<string, string> = { 'x-oip-key': hostKey() };
  if (sessionToken) headers['x-oip-session'] = sessionToken;
  let res: Response;
  try {
    res = await fetch(url, { headers });
  } catch {
    throw new ApiError('INTERNAL', '无法连接到本机服务，请确认应用仍在运行');
  }
  if (res.ok) return res.blob();
  const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
  throw isApiErrorBody(body?.error) ? ApiError.fromBody(body.error) : new ApiError('INTERNAL', '下载失败，请重新打开文书');
}

const errorListeners = new Set<(e: ApiError) => void>();
/** The shell listens for session errors (locked, signed out) from any call. */
export function onApiError(fn: (e: ApiError) => void): () => void {
  errorListeners.add(fn);
  return () => errorListeners.delete(fn);
}

/** Server-sent events over fetch, so the launch key travels in a header, not the URL. */
function httpSubscribe(topic: string, listener: (payload: unknown) => void): () => void {
  const controller = new AbortController();
  void (async () => {
    while (!controller.signal.aborted) {
      try {
        // The session (when signed in) lets the host send this tab the events meant for it alone.
        const headers: Record<string, string> = { 'x-oip-key': hostKey() };
        if (sessionToken) headers['x-oip-session'] = sessionToken;
        const res = await fetch(`/events?topics=${encodeURIComponent(topic)}`, {
          headers,
          signal: controller.signal,
        });
        if (res.ok) setConnected(true);
        const reader = res.body?.getReader();
        if (!reader) return;
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (data) listener(JSON.parse(data.slice(6)));
          }
        }
      } catch {
        if (controller.signal.aborted) return;
        setConnected(false);
      }
      await new Promise((r) => setTimeout(r, 3000));
    }
  })();
  return () => controller.abort();
}

export function subscribe<T extends Topic>(topic: T, listener: (payload: TopicPayload[T]) => void): () => void {
  const fn = listener as (payload: unknown) => void;
  return window.oip ? window.oip.subscribe(topic, fn) : httpSubscribe(topic, fn);
}
