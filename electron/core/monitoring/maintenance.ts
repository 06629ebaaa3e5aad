// Background upkeep of the projections: at start (and after the office's jurisdiction changes)
// they are rebuilt when the rule packs, calendar or categories they were built from changed, and
// cases marked dirty by a writer outside the dispatcher are refreshed. Runs chunk by chunk in its
// own transactions; the core's close() waits for it.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import type { Clock } from '../clock';
import { derivedIsCurrent, rebuildAll, refreshDirty } from './derived';

export class DerivedMaintainer {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private db: Kysely<Database>,
    private clock: Clock,
  ) {}

  /** Starts a check (or queues one after the check in progress); resolves when done. */
  ensure(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.db.transaction().execute((trx) => refreshDirty(trx, this.clock));
          if (!(await derivedIsCurrent(this.db, this.clock))) await rebuildAll(this.db, this.clock, { shouldStop: () => this.stopped });
        } catch (e) {
          // The store may be closing; the next start checks again. No personal data in the log.
          console.error(`[derived] upkeep stopped: ${e instanceof Error ? e.name : typeof e}`);
          return;
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Stops between chunks and waits (the store is closing). */
  stop(): Promise<void> {
    this.stopped = true;
    return this.idle();
  }
}
