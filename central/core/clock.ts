// Time is a dependency of every service here, so tests move it (code expiry, nonce expiry)
// without sleeping. Structurally the same as the desktop core's Clock (ManualClock fits).
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** ISO-8601 instant with the China offset, whatever the machine's time zone. */
export function chinaInstant(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().replace('Z', '+08:00');
}

/** An instant read back from timestamptz (a Date) or written by us (a string), as the wire's ISO form. */
export function instantOf(v: Date | string): string {
  return chinaInstant(v instanceof Date ? v : new Date(v));
}
