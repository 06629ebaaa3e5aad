// A fault-injecting transport for the sync client (FetchLike over the real fetch, loopback only):
// each request takes the next fault of a schedule the test draws (fast-check, seeded). Faults:
// the request dropped before it leaves; the reply dropped after the centre answered (so the
// centre has applied what the device does not know it applied); the request sent twice; an
// earlier request of this transport replayed just before this one (reordering); the reply held
// past the client's timeout; a 503 from a proxy; the reply body cut short.
import type { FetchLike, FetchLikeResponse } from '../../electron/core/sync/centre-client';

export const FAULTS = ['none', 'drop-request', 'drop-reply', 'duplicate', 'reorder', 'delay', '5xx', 'truncate'] as const;
export type Fault = (typeof FAULTS)[number];

interface Sent {
  url: string;
  init: Parameters<FetchLike>[1];
}

function response(status: number, bytes: Uint8Array, headers: Headers): FetchLikeResponse {
  return {
    status,
    headers: { get: (n) => headers.get(n) },
    body: null,
    arrayBuffer: async () => bytes.slice().buffer,
  };
}

export class FaultyFetch {
  private i = 0;
  private previous: Sent | null = null;
  readonly seen: Record<Fault, number> = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;
  /** While false, every request goes through untouched. */
  active = true;

  constructor(private readonly schedule: readonly Fault[]) {}

  readonly fetch: FetchLike = async (url, init) => {
    const fault: Fault = this.active && this.schedule.length > 0 ? this.schedule[this.i++ % this.schedule.length]! : 'none';
    this.seen[fault]++;
    const real = async (u: string, i: Sent['init']): Promise<{ status: number; bytes: Uint8Array; headers: Headers }> => {
      const res = await fetch(u, { method: i.method, headers: i.headers, body: i.body as BodyInit | undefined, signal: i.signal });
      return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()), headers: res.headers };
    };
    const prev = this.previous;
    this.previous = { url, init };
    switch (fault) {
      case 'none': {
        const r = await real(url, init);
        return response(r.status, r.bytes, r.headers);
      }
      case 'drop-request':
        throw new TypeError('fetch failed (dropped request)');
      case 'drop-reply':
        await real(url, init).catch(() => undefined);
        throw new TypeError('fetch failed (dropped reply)');
      case 'duplicate': {
        const first = await real(url, init);
        await real(url, init).catch(() => undefined);
        return response(first.status, first.bytes, first.headers);
      }
      case 'reorder': {
        // An earlier request arrives late, after the one that followed it was written.
        if (prev) await real(prev.url, { ...prev.init, signal: init.signal }).catch(() => undefined);
        const r = await real(url, init);
        return response(r.status, r.bytes, r.headers);
      }
      case 'delay':
        await real(url, init).catch(() => undefined);
        await new Promise<void>((resolve) => {
          if (init.signal.aborted) return resolve();
          init.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        throw new DOMException('The operation was aborted', 'AbortError');
      case '5xx':
        return response(503, new TextEncoder().encode('<html>Service Unavailable</html>'), new Headers({ 'content-type': 'text/html' }));
      case 'truncate': {
        const r = await real(url, init);
        return response(r.status, r.bytes.slice(0, Math.floor(r.bytes.length / 2)), r.headers);
      }
    }
  };
}
