// Batch printing: many issued documents into one combined PDF for the printer, with progress
// and cancel. The combined file is built from the stored, signed files' own bytes (their pages
// copied by pdf-lib, nothing re-rendered), so what prints is exactly what was issued; it is a
// print copy (each page still carries its document's QR code; the file signatures stay with
// the single files). Each document keeps its own font subsets: about 55 KB a notice, 5.5 MB
// for 100. The job runs a document at a time and yields to the event loop between them, so the
// host keeps answering while it works. `npm run bench -- notices` times it against Chromium.
import type { Kysely } from 'kysely';
import { ParseSpeeds, PDFDocument } from 'pdf-lib';
import type { Database } from '../db-schema';
import type { EventBus } from '../events';
import { newId } from '../ids';
import { ApiError } from '../../../shared/api/errors';
import type { PrintJobState } from '../../../shared/notices/schemas';

type Db = Kysely<Database>;

interface Job {
  id: string;
  total: number;
  done: number;
  state: PrintJobState;
  message: string;
  result: Buffer | null;
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export class PrintJobs {
  private jobs = new Map<string, Job>();

  constructor(private events: EventBus) {}

  start(db: Db, ids: string[]): string {
    const job: Job = { id: newId(), total: ids.length, done: 0, state: 'running', message: '', result: null };
    this.jobs.set(job.id, job);
    void this.run(db, job, ids);
    return job.id;
  }

  cancel(jobId: string): void {
    const job = this.get(jobId);
    if (job.state === 'running') job.state = 'cancelled';
  }

  status(jobId: string): Omit<Job, 'result'> & { ready: boolean } {
    const { result, ...rest } = this.get(jobId);
    return { ...rest, ready: result !== null };
  }

  /** Hands the combined file over once and forgets the job. */
  take(jobId: string): Buffer {
    const job = this.get(jobId);
    if (!job.result) throw new ApiError('CONFLICT', job.state === 'cancelled' ? '打印任务已取消' : '打印任务尚未完成');
    this.jobs.delete(jobId);
    return job.result;
  }

  private get(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new ApiError('NOT_FOUND', '打印任务不存在或已结束');
    return job;
  }

  private publish(job: Job): void {
    this.events.publish('print.progress', { jobId: job.id, done: job.done, total: job.total, state: job.state, message: job.message });
  }

  private async run(db: Db, job: Job, ids: string[]): Promise<void> {
    try {
      const combined = await PDFDocument.create();
      for (const id of ids) {
        if (job.state === 'cancelled') {
          job.message = `已取消：完成 ${job.done}/${job.total} 份`;
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
      job.result = Buffer.from(await combined.save({ objectsPerTick: 1000 }));
      job.state = 'done';
      job.message = `已合并 ${job.total} 份文书，共 ${combined.getPageCount()} 页`;
    } catch (e) {
      job.state = 'failed';
      job.message = e instanceof ApiError ? e.message : '合并打印失败，请重试';
    }
    this.publish(job);
  }
}
