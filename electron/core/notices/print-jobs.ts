// Batch printing: many issued documents into one combined PDF for the printer, with progress
// and cancel. The combined file is built from the stored, signed files' own bytes (their pages
// copied by pdf-lib, nothing re-rendered), so what prints is exactly what was issued; it is a
// print copy (each page still carries its document's QR code; the file signatures stay with
// the single files). Each document keeps its own font subsets: about 55 KB a notice, 5.5 MB
// for 100. The job runs a document at a time and yields to the event loop between them, so the
// host keeps answering while it works. `npm run bench -- notices` times it against Chromium.
//
// A job belongs to the sign-in session that started it: nobody else can see, take or cancel it,
// and its progress events go to that session only. Each person may hold a few jobs at once of
// bounded size; a job is freed when its file is taken, when its session ends, or when it has
// waited untaken (or run) too long — measured on the core's clock.
import type { Kysely } from 'kysely';
import { ParseSpeeds, PDFDocument } from 'pdf-lib';
import type { Database } from '../db-schema';
import type { EventBus } from '../events';
import type { Clock } from '../clock';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import type { PrintJobState } from '../../../shared/notices/schemas';

type Db = Kysely<Database>;

export interface PrintJobOwner {
  userId: string;
  sessionTokenHash: string;
}

export interface PrintJobLimits {
  /** Jobs one person may hold at once (running or waiting to be taken). */
  jobsPerUser: number;
  /** Bytes of stored PDFs one job may combine (the combined file is about as large). */
  bytesPerJob: number;
  /** A finished job not taken within this many minutes is freed. */
  keepMinutes: number;
  /** A job still running after this many minutes is stopped and freed like a finished one. */
  runMinutes: number;
}

export const DEFAULT_PRINT_LIMITS: PrintJobLimits = {
  jobsPerUser: 2,
  bytesPerJob: 80 * 1024 * 1024,
  keepMinutes: 30,
  runMinutes: 60,
};

interface Job {
  id: string;
  owner: PrintJobOwner;
  total: number;
  done: number;
  state: PrintJobState;
  message: string;
  result: Buffer | null;
  startedAt: number;
  finishedAt: number | null;
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));
const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

export class PrintJobs {
  private jobs = new Map<string, Job>();
  private timer: NodeJS.Timeout;

  constructor(
    private events: EventBus,
    private clock: Clock,
    private limits: PrintJobLimits = DEFAULT_PRINT_LIMITS,
  ) {
    // Frees forgotten jobs even when nobody calls; tests drive sweep() through calls instead.
    this.timer = setInterval(() => this.sweep(), 60_000);
    this.timer.unref();
  }

  async start(db: Db, ids: string[], owner: PrintJobOwner): Promise<string> {
    this.sweep();
    const held = [...this.jobs.values()].filter((j) => j.owner.userId === owner.userId).length;
    if (held >= this.limits.jobsPerUser)
      throw new ApiError(
        'RULE_REFUSED',
        `您已有 ${held} 个合并打印任务（每人最多 ${this.limits.jobsPerUser} 个），请先取回或取消已有任务后再开始新的任务`,
      );
    const unique = [...new Set(ids)];
    const size = await db
      .selectFrom('issued_documents')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>(eb.fn('length', ['pdf'])).as('bytes')])
      .where('id', 'in', unique)
      .executeTakeFirstOrThrow();
    if (Number(size.n) !== unique.length) throw new ApiError('NOT_FOUND', '所选文书中有已不存在的记录，请刷新后重新选择');
    if (Number(size.bytes) > this.limits.bytesPerJob)
      throw new ApiError(
        'RULE_REFUSED',
        `所选文书合计 ${mb(Number(size.bytes))} MB，超过单次合并上限 ${mb(this.limits.bytesPerJob)} MB，请分批打印`,
      );
    const job: Job = {
      id: newId(),
      owner,
      total: ids.length,
      done: 0,
      state: 'running',
      message: '',
      result: null,
      startedAt: this.clock.now().getTime(),
      finishedAt: null,
    };
    this.jobs.set(job.id, job);
    void this.run(db, job, ids);
    return job.id;
  }

  cancel(jobId: string, owner: PrintJobOwner): void {
    const job = this.get(jobId, owner);
    if (job.state === 'running') job.state = 'cancelled';
  }

  status(jobId: string, owner: PrintJobOwner): Omit<Job, 'result' | 'owner' | 'startedAt' | 'finishedAt'> & { ready: boolean } {
    const { id, total, done, state, message, result } = this.get(jobId, owner);
    return { id, total, done, state, message, ready: result !== null };
  }

  /** Hands the combined file over once and forgets the job. */
  take(jobId: string, owner: PrintJobOwner): Buffer {
    const job = this.get(jobId, owner);
    if (!job.result) throw new ApiError('CONFLICT', job.state === 'cancelled' ? '打印任务已取消' : '打印任务尚未完成');
    this.jobs.delete(jobId);
    return job.result;
  }

  /** The session ended (sign-out): its jobs stop and are freed. */
  endSession(sessionTokenHash: string): void {
    for (const job of this.jobs.values()) {
      if (job.owner.sessionTokenHash !== sessionTokenHash) continue;
      if (job.state === 'running') job.state = 'cancelled';
      this.jobs.delete(job.id);
    }
  }

  /** Frees jobs finished and not taken in time, and stops jobs that ran too long. */
  sweep(): void {
    const now = this.clock.now().getTime();
    for (const job of this.jobs.values()) {
      const finished = job.finishedAt !== null && now - job.finishedAt >= this.limits.keepMinutes * 60_000;
      const overdue = job.state === 'running' && now - job.startedAt >= this.limits.runMinutes * 60_000;
      if (overdue) job.state = 'cancelled';
      if (finished || overdue) this.jobs.delete(job.id);
    }
  }

  /** Jobs held now (tests; never shown). */
  get size(): number {
    return this.jobs.size;
  }

  close(): void {
    clearInterval(this.timer);
    for (const job of this.jobs.values()) if (job.state === 'running') job.state = 'cancelled';
    this.jobs.clear();
  }

  private get(jobId: string, owner: PrintJobOwner): Job {
    this.sweep();
    const job = this.jobs.get(jobId);
    // Another session's job is answered exactly like one that does not exist.
    if (!job || job.owner.sessionTokenHash !== owner.sessionTokenHash) throw new ApiError('NOT_FOUND', '打印任务不存在或已结束');
    return job;
  }

  private publish(job: Job): void {
    this.events.publish(
      'print.progress',
      { jobId: job.id, done: job.done, total: job.total, state: job.state, message: job.message },
      { sessionTokenHash: job.owner.sessionTokenHash },
    );
  }

  private async run(db: Db, job: Job, ids: string[]): Promise<void> {
    try {
      const combined = await PDFDocument.create();
      for (const id of ids) {
        if (job.state === 'cancelled') {
          job.message = `已取消：完成 ${job.done}/${job.total} 份`;
          job.finishedAt = this.clock.now().getTime();
          this.publish(job);
          return;
        }
        const row = await db.selectFrom('issued_documents').select(['pdf', 'document_no']).where('id', '=', id).executeTakeFirst();
        if (!row) throw new ApiError('NOT_FOUND', '所选文书中有已不存在的记录');
        // Our own small files: parse in one go (the default pauses every 100 objects) and
        // leave their metadata alone (copied pages do not take it along anyway).
        const src = await PDFDocument.load(row.pdf, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false });
        for (const page of await combined.copyPages(src, src.getPageIndices())) combined.addPage(page);
        job.done++;
        this.publish(job);
        await yieldToLoop();
      }
      // Pausing every 1,000 objects rather than every 50: a few pauses for 100 documents.
      const bytes = Buffer.from(await combined.save({ objectsPerTick: 1000 }));
      if ((job.state as Job['state']) === 'cancelled') {
        // Cancelled (or its session ended) while saving: nothing to keep.
        job.message = `已取消：完成 ${job.done}/${job.total} 份`;
      } else {
        job.result = bytes;
        job.state = 'done';
        job.message = `已合并 ${job.total} 份文书，共 ${combined.getPageCount()} 页`;
      }
    } catch (e) {
      job.state = 'failed';
      job.message = e instanceof ApiError ? e.message : '合并打印失败，请重试';
    }
    job.finishedAt = this.clock.now().getTime();
    this.publish(job);
  }
}
