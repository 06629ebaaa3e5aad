// Time is a dependency: services ask the clock, so tests can move it (idle lock, lockout,
// deadlines) without sleeping.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(d: Date): void {
    this.current = new Date(d.getTime());
  }
  advanceMinutes(m: number): void {
    this.current = new Date(this.current.getTime() + m * 60_000);
  }
}

/** ISO-8601 instant with the China offset, whatever the machine's time zone. */
export function chinaInstant(d: Date): string {
  const shifted = new Date(d.getTime() + 8 * 3600_000);
  return shifted.toISOString().replace('Z', '+08:00');
}

/** The calendar date (YYYY-MM-DD) in Asia/Shanghai. */
export function chinaDate(d: Date): string {
  return chinaInstant(d).slice(0, 10);
}
