// Rendering notices off the main thread: a small pool of worker threads (render-worker.ts), each
// with its fonts parsed once, and a memo of renders keyed by their exact inputs (data + meta,
// which fix the PDF's content). Issuing asks for a render inside its transaction; a batch asks
// ahead for the next documents with the numbers they will take, so that by the time each one's
// transaction asks, its PDF is ready (or is rendered then, if the prediction missed).
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { NoticeData } from '../../../shared/notices/schemas';
import type { NoticeMeta } from '../../../shared/notices/layout';
import { canonical } from '../../../shared/crypto/canonical';

export interface RenderRequest {
  data: NoticeData;
  meta: NoticeMeta;
}

export type RenderOutcome = { ok: true; pdf: Buffer } | { ok: false; missing: string[] };

type Reply =
  { id: number; ok: true; pdf?: ArrayBuffer; fallbackLoaded?: boolean } | { id: number; ok: false; missing?: string[]; error?: string };

interface Slot {
  worker: Worker;
  busy: boolean;
  /** Whether this worker said it started (one that dies before that could not start at all). */
  started: boolean;
}

interface Task {
  message: Record<string, unknown>;
  resolve(r: Reply): void;
  reject(e: Error): void;
}

/**
 * The built app runs the bundle's sibling render-worker.js. From sources (tsx, vitest) the worker
 * is TypeScript: a tiny ES module registers tsx's loader in the worker, then imports it (Node 20
 * does not apply an --import loader to a worker's own entry file).
 */
function workerEntry(): URL {
  if (entryOverride) return entryOverride;
  const own = import.meta.url;
  if (!own.endsWith('.ts')) return new URL('./render-worker.js', own);
  // The package's ES module build (its CommonJS one cannot register from a worker).
  const tsxDir = path.dirname(createRequire(own).resolve('tsx/package.json'));
  const tsx = pathToFileURL(path.join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const worker = new URL('./render-worker.ts', own).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(worker)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}

let entryOverride: URL | null = null;

/** Another worker entry (tests: one that cannot start); null for the usual one. Takes effect with a new pool. */
export function setRenderWorkerEntry(entry: URL | null): void {
  entryOverride = entry;
}

class RenderPool {
  private slots: Slot[] = [];
  private queue: Task[] = [];
  private waiting = new Map<number, { slot: Slot; task: Task }>();
  private nextId = 1;

  constructor(private size: number) {}

  private spawn(): Slot {
    const worker = new Worker(workerEntry());
    // Idle workers must not keep a CLI or a test process alive.
    worker.unref();
    const slot: Slot = { worker, busy: false, started: false };
    worker.on('message', (reply: Reply) => {
      slot.started = true;
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      slot.busy = false;
      w.task.resolve(reply);
      this.pump();
    });
    worker.on('error', (e) => this.lost(slot, e));
    worker.on('exit', (code) => {
      if (code !== 0) this.lost(slot, new Error(`render worker exited with ${code}`));
    });
    return slot;
  }

  /** Worker threads cannot start here (one died before saying so): then the host renders itself. */
  broken = false;

  /** A worker died: fail its task, replace it, carry on with the queue. */
  private lost(slot: Slot, e: Error): void {
    if (!slot.started) this.broken = true;
    for (const [id, w] of this.waiting)
      if (w.slot === slot) {
        this.waiting.delete(id);
        w.task.reject(e);
      }
    this.slots = this.slots.filter((s) => s !== slot);
    // Once broken, queued work is rendered by the host (renderNow), never by new workers.
    if (this.broken) for (const task of this.queue.splice(0)) task.reject(e);
    else this.pump();
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) this.slots.push((slot = this.spawn()));
      if (!slot) return;
      const task = this.queue.shift()!;
      const id = this.nextId++;
      slot.busy = true;
      this.waiting.set(id, { slot, task });
      slot.worker.ref();
      slot.worker.postMessage({ ...task.message, id });
    }
    for (const s of this.slots) if (!s.busy) s.worker.unref();
  }

  run(message: Record<string, unknown>): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      this.pump();
    });
  }

  /** Asks every live worker (used to check that ordinary notices never load the fallback font). */
  async broadcast(message: Record<string, unknown>): Promise<Reply[]> {
    return Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<Reply>((resolve, reject) => {
            const id = this.nextId++;
            this.waiting.set(id, { slot, task: { message, resolve, reject } });
            slot.worker.postMessage({ ...message, id });
          }),
      ),
    );
  }

  get workers(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

/** Two workers on a two-core laptop; never more than four. */
const POOL_SIZE = Math.max(1, Math.min(4, (os.availableParallelism?.() ?? os.cpus().length) || 1));
let pool: RenderPool | null = null;
const poolOf = () => (pool ??= new RenderPool(POOL_SIZE));

/** The memo: renders started ahead (or just finished), taken once by the issue that needs them. */
const memo = new Map<string, Promise<RenderOutcome>>();
const MEMO_LIMIT = 256;

export function renderKey(r: RenderRequest): string {
  return createHash('sha256')
    .update(canonical({ data: r.data, meta: r.meta }))
    .digest('hex');
}

/**
 * In the host itself, when worker threads cannot start here (an unusual packaging): issuing
 * still works, the window waits while each notice renders. Said once in the log.
 */
async function renderInHost(r: RenderRequest): Promise<RenderOutcome> {
  const { renderJob } = await import('./render-job');
  return renderJob(r.data, r.meta);
}

let saidBroken = false;

async function renderNow(r: RenderRequest): Promise<RenderOutcome> {
  const p = poolOf();
  if (p.broken) return renderInHost(r);
  let reply: Reply;
  try {
    reply = await p.run({ kind: 'render', data: r.data, meta: r.meta });
  } catch (e) {
    if (!p.broken) throw e;
    if (!saidBroken) console.error('[notices] render workers could not start; rendering in the host');
    saidBroken = true;
    return renderInHost(r);
  }
  if (reply.ok && reply.pdf) return { ok: true, pdf: Buffer.from(reply.pdf) };
  if (!reply.ok && reply.missing) return { ok: false, missing: reply.missing };
  throw new Error(`render failed: ${reply.ok ? 'no output' : (reply.error ?? 'unknown')}`);
}

/** Starts rendering a document that is about to be issued; a later renderNotice with the same inputs takes it. */
export function prerender(r: RenderRequest): string {
  const key = renderKey(r);
  if (!memo.has(key)) {
    const p = renderNow(r);
    // A prediction that is never taken must not surface as an unhandled rejection.
    p.catch(() => undefined);
    memo.set(key, p);
    while (memo.size > MEMO_LIMIT) memo.delete(memo.keys().next().value!);
  }
  return key;
}

/** Drops renders made ahead for documents that will not be issued with those inputs. */
export function forget(key: string): void {
  memo.delete(key);
}

/** How many issues found their render made ahead, and how many rendered on the spot (for the bench). */
export const renderStats = { ahead: 0, onTheSpot: 0 };

/** The PDF for these exact inputs: the one rendered ahead if there is one, else rendered now in a worker. */
export function renderNotice(r: RenderRequest): Promise<RenderOutcome> {
  const key = renderKey(r);
  const ahead = memo.get(key);
  if (ahead) {
    memo.delete(key);
    renderStats.ahead++;
    return ahead;
  }
  renderStats.onTheSpot++;
  return renderNow(r);
}

/** Whether any render worker has read the rare-character font. */
export async function fallbackFontLoadedInWorkers(): Promise<boolean> {
  if (!pool) return false;
  return (await pool.broadcast({ kind: 'fallback-loaded' })).some((r) => r.ok && r.fallbackLoaded === true);
}

/** Starts the workers and has each parse its fonts, so the first document does not wait for it. */
export async function warmRenderers(sample: RenderRequest): Promise<void> {
  await Promise.all(Array.from({ length: POOL_SIZE }, () => renderNow(sample).catch(() => undefined)));
}

export function renderPoolSize(): number {
  return POOL_SIZE;
}

/** Ends the workers (tools that want to exit at once; the app keeps them for its lifetime). */
export async function closeRenderers(): Promise<void> {
  const p = pool;
  pool = null;
  memo.clear();
  await p?.close();
}
