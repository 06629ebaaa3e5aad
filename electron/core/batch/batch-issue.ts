// Batch issuing: every 结论书 of a hearing, or every approved 待遇核定通知书 not yet issued, in one
// action. Each document is one ordinary call through the dispatcher on the starter's authority
// (its own transaction: number, render, signature, record, audit), in list order, so numbers are
// taken in order and a failure leaves the others issued. While one document is committed the
// next ones are rendered ahead in the worker threads with the numbers they will take
// (render-service.ts), so the batch runs at the workers' pace and the host keeps answering.
// Progress on the `batch.progress` topic; cancel stops between documents. Every document's
// commit is flushed to disk like any other (no relaxed durability while a batch runs: the
// connection is shared, so relaxing it would also relax other people's commits meanwhile).
import type { Kysely } from 'kysely';
import type { Database } from '../db-schema';
import type { EventBus } from '../events';
import { chinaDate, chinaInstant, type Clock } from '../clock';
import { newId } from '../ids';
import { ApiError, type ApiErrorBody } from '../../../shared/api/errors';
import type { MethodName } from '../../../shared/api/contract';
import type { NoticeData } from '../../../shared/notices/schemas';
import { parseNoticeData, noticeInputs } from '../notices/notice-service';
import { SERIES_OF, peekNumbers } from '../notices/numbering';
import { deviceKey } from '../crypto/device-key';
import { forget, prerender, renderPoolSize } from '../notices/render-service';

type Db = Kysely<Database>;
type CallResult = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

export interface BatchItem {
  /** What people read in the summary (受理编号 and name). */
  label: string;
  caseId: string | null;
  method: MethodName;
  input: unknown;
  /** The document's data as the issuing call will build it, for rendering ahead. */
  data(): Promise<unknown>;
}

export type BatchState = 'running' | 'done' | 'cancelled';

export interface BatchStatus {
  id: string;
  kind: string;
  title: string;
  state: BatchState;
  total: number;
  done: number;
  issued: { label: string; caseId: string | null; documentNo: string; id: string }[];
  failed: { label: string; caseId: string | null; message: string }[];
  /** Items not attempted (cancelled before them). */
  notAttempted: number;
  current: string | null;
  startedAt: string;
  finishedAt: string | null;
}

interface Job extends BatchStatus {
  ownerId: string | null;
  cancelRequested: boolean;
  finished: Promise<void>;
}

export interface StartOptions {
  kind: string;
  title: string;
  ownerId: string | null;
  signerName: string;
  items: BatchItem[];
  call(method: MethodName, input: unknown): Promise<CallResult>;
}

const KEEP_FINISHED = 20;

export class BatchJobs {
  private jobs = new Map<string, Job>();

  constructor(
    private db: Db,
    private clock: Clock,
    private dataDir: string,
    private events: EventBus,
  ) {}

  start(o: StartOptions): BatchStatus {
    if (o.items.length === 0) throw new ApiError('RULE_REFUSED', '没有可出具的文书：均已出具，或尚无可出具的结论/核定');
    const running = [...this.jobs.values()].find((j) => j.state === 'running' && j.kind === o.kind);
    if (running) throw new ApiError('CONFLICT', `已有一项“${running.title}”正在进行，请等待其完成或取消后再开始`);
    const job: Job = {
      id: newId(),
      kind: o.kind,
      title: o.title,
      state: 'running',
      total: o.items.length,
      done: 0,
      issued: [],
      failed: [],
      notAttempted: 0,
      current: null,
      startedAt: chinaInstant(this.clock.now()),
      finishedAt: null,
      ownerId: o.ownerId,
      cancelRequested: false,
      finished: Promise.resolve(),
    };
    this.jobs.set(job.id, job);
    job.finished = this.run(job, o);
    this.trim();
    return this.view(job);
  }

  status(jobId: string, userId: string | null): BatchStatus {
    return this.view(this.own(jobId, userId));
  }

  cancel(jobId: string, userId: string | null): BatchStatus {
    const job = this.own(jobId, userId);
    if (job.state === 'running') job.cancelRequested = true;
    return this.view(job);
  }

  /** Waits for a job to end (tests, tools). */
  async settled(jobId: string): Promise<BatchStatus> {
    const job = this.jobs.get(jobId);
    if (!job) throw new ApiError('NOT_FOUND', '批量任务不存在或已结束');
    await job.finished;
    return this.view(job);
  }

  /** Cancels every running job and waits for them (the store is closing). */
  async stopAll(): Promise<void> {
    for (const j of this.jobs.values()) if (j.state === 'running') j.cancelRequested = true;
    await Promise.allSettled([...this.jobs.values()].map((j) => j.finished));
  }

  private own(jobId: string, userId: string | null): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new ApiError('NOT_FOUND', '批量任务不存在或已结束');
    if (job.ownerId !== userId) throw new ApiError('FORBIDDEN', '只能查看或取消本人发起的批量任务');
    return job;
  }

  private view(job: Job): BatchStatus {
    const { ownerId: _o, cancelRequested: _c, finished: _f, ...status } = job;
    return { ...status, issued: [...status.issued], failed: [...status.failed] };
  }

  private publish(job: Job): void {
    this.events.publish('batch.progress', {
      jobId: job.id,
      kind: job.kind,
      done: job.done,
      total: job.total,
      failed: job.failed.length,
      state: job.state,
      current: job.current,
    });
  }

  private trim(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.id);
  }

  /**
   * Renders ahead the next documents with the numbers they will take if everything before them
   * succeeds. Predictions are made again after every document, so after a failure (which takes
   * no number) the following documents are rendered with the right numbers.
   */
  private async renderAhead(
    items: BatchItem[],
    from: number,
    signerName: string,
    made: Map<number, string>,
    data: Map<number, NoticeData | null>,
    predicted: Map<number, string>,
  ): Promise<void> {
    const window = items.slice(from, from + renderPoolSize() + 1);
    if (window.length === 0) return;
    const today = chinaDate(this.clock.now());
    const key = deviceKey(this.dataDir);
    const wanted = new Map<number, NoticeData>();
    for (const [k, item] of window.entries()) {
      // Each document's data is read once; the issuing call reads it again in its transaction.
      if (!data.has(from + k)) {
        try {
          data.set(from + k, parseNoticeData(await item.data()));
        } catch {
          // The issuing call will say what is wrong with this one.
          data.set(from + k, null);
        }
      }
      const d = data.get(from + k);
      if (d) wanted.set(from + k, d);
    }
    const bySeries = new Map<string, number[]>();
    for (const [i, d] of wanted) bySeries.set(SERIES_OF[d.type], [...(bySeries.get(SERIES_OF[d.type]) ?? []), i]);
    for (const [series, idx] of bySeries) {
      const numbers = await peekNumbers(this.db, series, Number(today.slice(0, 4)), idx.length);
      idx.forEach((i, k) => {
        const n = numbers[k];
        if (!n) return;
        // Already rendered ahead with this number: nothing to do.
        if (predicted.get(i) === n.documentNo) return;
        predicted.set(i, n.documentNo);
        const data = wanted.get(i)!;
        const { meta } = noticeInputs(data, key, { documentNo: n.documentNo, issuer: n.issuer, today, signerName });
        const renderKey = prerender({ data, meta });
        const before = made.get(i);
        if (before && before !== renderKey) forget(before);
        made.set(i, renderKey);
      });
    }
  }

  private async run(job: Job, o: StartOptions): Promise<void> {
    const made = new Map<number, string>();
    const data = new Map<number, NoticeData | null>();
    const predicted = new Map<number, string>();
    // Let the caller's response go out before the first document starts.
    await new Promise<void>((r) => setImmediate(r));
    await this.issueAll(job, o, made, data, predicted);
    for (const k of made.values()) forget(k);
    if (job.state === 'running') job.state = 'done';
    job.current = null;
    job.finishedAt = chinaInstant(this.clock.now());
    this.publish(job);
  }

  private async issueAll(
    job: Job,
    o: StartOptions,
    made: Map<number, string>,
    data: Map<number, NoticeData | null>,
    predicted: Map<number, string>,
  ): Promise<void> {
    for (let i = 0; i < o.items.length; i++) {
      if (job.cancelRequested) {
        job.notAttempted = o.items.length - i;
        job.state = 'cancelled';
        break;
      }
      const item = o.items[i]!;
      job.current = item.label;
      this.publish(job);
      try {
        await this.renderAhead(o.items, i, o.signerName, made, data, predicted);
      } catch {
        // Rendering ahead is only a speed-up; the issuing call renders what it needs.
      }
      const r = await o.call(item.method, item.input);
      made.delete(i);
      if (r.ok) {
        const out = r.result as { id: string; documentNo: string };
        job.issued.push({ label: item.label, caseId: item.caseId, documentNo: out.documentNo, id: out.id });
      } else {
        job.failed.push({ label: item.label, caseId: item.caseId, message: r.error.message });
      }
      job.done++;
    }
  }
}
