// The sync service a host runs (web host, Electron main, CLI, tests — all through the core): one
// pass at a time (a second request joins the running one), a background schedule that syncs
// when the centre answers and backs off when it does not, a nudge soon after local work, the
// status the header slot and the 同步 page show, and progress on the `sync.progress` topic.
// Local work never waits on it: a pass only takes the store for its own short transactions.
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import type { Clock } from '../clock';
import type { EventBus } from '../events';
import type { DeviceKey } from '../crypto/device-key';
import type { SyncStatus } from '../../../shared/api/methods/sync';
import type { FetchLike } from './centre-client';
import { runSyncPass, type PassSummary, type SyncPassDeps } from './engine';
import { enrolDevice, type EnrolInput } from './enrol';
import { readSyncState, type Enrolment, type PassTrigger } from './state';
import { outboxSummary } from '../replication/outbox';
import { officeShownName } from '../reference/offices';

type Db = Kysely<Database>;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SyncServiceOptions {
  db: Db;
  clock: Clock;
  events: EventBus;
  /** The device key (made on first use, so a store that never syncs never needs one). */
  key: () => DeviceKey;
  appVersion: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  timers?: Timers;
  /** Between background passes while the centre answers. Default 2 minutes. */
  intervalMs?: number;
  /** First retry after a failed pass; doubles up to maxBackoffMs. Defaults 15 s and 15 minutes. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** After a local change, how soon a pass sends it. Default 5 s. */
  nudgeMs?: number;
  /** Test hook for named kill points (see engine.ts). */
  checkpoint?: SyncPassDeps['checkpoint'];
}

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending background pass must not keep a CLI or a test process alive.
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class SyncService {
  private running: Promise<PassSummary> | null = null;
  private timer: unknown = null;
  private started = false;
  private failures = 0;
  private online = false;
  private readonly timers: Timers;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly o: SyncServiceOptions) {
    this.timers = o.timers ?? defaultTimers;
  }

  /** Starts the background schedule (hosts with a person at them; not the CLI or tests). */
  start(firstDelayMs = 3_000): void {
    if (this.started) return;
    this.started = true;
    this.schedule(firstDelayMs);
    // Soon after local work, while the centre answers: what was done reaches it without waiting for the interval.
    this.unsubscribe = this.o.events.subscribe('data.changed', (p) => {
      if (p.method.startsWith('sync.') || !this.online || this.running) return;
      this.schedule(this.o.nudgeMs ?? 5_000);
    });
  }

  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.running) await this.running.catch(() => undefined);
  }

  /** One pass now; joins the pass already running, if any. Never throws: failures are in the summary. */
  syncNow(trigger: PassTrigger = 'manual'): Promise<PassSummary> {
    if (this.running) return this.running;
    const pass = this.pass(trigger);
    this.running = pass;
    void pass.finally(() => {
      if (this.running === pass) this.running = null;
    });
    return pass;
  }

  /** Enrols inside the caller's transaction (the `sync.enrol` call): see enrol.ts. */
  enrol(db: Db, input: EnrolInput): Promise<Enrolment> {
    return enrolDevice(
      { db, clock: this.o.clock, key: this.o.key(), fetch: this.o.fetch, appVersion: this.o.appVersion, timeoutMs: 15_000 },
      input,
    ).then((e) => {
      this.failures = 0;
      if (this.started) this.schedule(1_000);
      return e;
    });
  }

  async status(db: Db = this.o.db): Promise<SyncStatus> {
    const s = await readSyncState(db);
    const counts = await outboxSummary(db);
    const e = s.enrolment;
    return {
      configured: !!e,
      online: !!e && !s.revokedAt && this.online,
      running: this.running !== null,
      revoked: !!s.revokedAt,
      pendingOutbox: counts.pending,
      rejected: counts.rejected,
      conflicts: counts.conflict,
      lastSyncAt: s.lastSuccessAt,
      lastAttemptAt: s.lastAttemptAt,
      lastError: s.lastError,
      centreUrl: e?.centreUrl ?? null,
      deviceTag: e?.deviceTag ?? null,
      officeName: e ? (await officeShownName(db))(e.officeName) : null,
      enrolledAt: e?.enrolledAt ?? null,
    };
  }

  private async pass(trigger: PassTrigger): Promise<PassSummary> {
    let summary: PassSummary;
    try {
      summary = await runSyncPass(
        {
          db: this.o.db,
          clock: this.o.clock,
          key: this.o.key(),
          fetch: this.o.fetch,
          timeoutMs: this.o.timeoutMs,
          checkpoint: this.o.checkpoint,
          onProgress: (p) => this.o.events.publish('sync.progress', p),
          onPulled: () => this.o.events.publish('data.changed', { entity: null, method: 'sync.pull' }),
        },
        trigger,
      );
    } catch (e) {
      // The store itself failed (closed, disk full): report it like any failed pass.
      console.error(`[sync] pass failed: ${e instanceof Error ? e.name : typeof e}`, process.env.OIP_SYNC_DEBUG ? e : '');
      summary = {
        ok: false,
        outcome: 'failed',
        pushed: 0,
        pulled: 0,
        conflicts: 0,
        rejected: 0,
        errors: ['同步时本机数据读写出错，稍后会自动重试；如反复出现请联系管理员'],
        reachedCentre: false,
      };
    }
    this.online = summary.reachedCentre;
    this.failures = summary.ok ? 0 : this.failures + 1;
    // The status slot and the 同步 page refetch on this (the outbox changed status, a pass ended).
    this.o.events.publish('data.changed', { entity: null, method: 'sync.pass' });
    if (this.started && summary.outcome !== 'revoked') this.schedule(this.nextDelay(summary));
    return summary;
  }

  private nextDelay(s: PassSummary): number {
    if (s.ok) return this.o.intervalMs ?? 120_000;
    const base = this.o.backoffMs ?? 15_000;
    const max = this.o.maxBackoffMs ?? 15 * 60_000;
    return Math.min(max, base * 2 ** Math.min(this.failures - 1, 16));
  }

  private schedule(ms: number): void {
    if (!this.started) return;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.backgroundPass();
    }, ms);
  }

  private async backgroundPass(): Promise<void> {
    const s = await readSyncState(this.o.db).catch(() => null);
    // Not enrolled, or revoked: nothing to do until an administrator acts (enrol reschedules).
    if (!s?.enrolment || s.revokedAt) return;
    await this.syncNow('background');
  }
}
