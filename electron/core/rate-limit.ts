// Per-client token buckets: each client may make `burst` attempts at once and earns one more
// every `perMinute`-th of a minute. The web host uses it for sign-in and unlock, so nobody on
// the machine can try passwords (or lock other people out) as fast as they can send requests.
// Time comes from the clock, so tests move it instead of sleeping.
import type { Clock } from './clock';

export interface RateLimitOptions {
  burst: number;
  perMinute: number;
  /** Buckets kept at most; the oldest are forgotten first (a full bucket is the default anyway). */
  maxClients?: number;
}

export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private clock: Clock,
    private opts: RateLimitOptions,
  ) {}

  /** Takes one attempt for the client; returns 0 when allowed, else the seconds until the next one. */
  take(client: string): number {
    const now = this.clock.now().getTime();
    const b = this.buckets.get(client) ?? { tokens: this.opts.burst, at: now };
    const earned = ((now - b.at) / 60_000) * this.opts.perMinute;
    const tokens = Math.min(this.opts.burst, b.tokens + Math.max(0, earned));
    this.buckets.delete(client);
    if (tokens < 1) {
      this.buckets.set(client, { tokens, at: now });
      return Math.max(1, Math.ceil(((1 - tokens) * 60) / this.opts.perMinute));
    }
    this.buckets.set(client, { tokens: tokens - 1, at: now });
    const max = this.opts.maxClients ?? 10_000;
    while (this.buckets.size > max) this.buckets.delete(this.buckets.keys().next().value as string);
    return 0;
  }
}
