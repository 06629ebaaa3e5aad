// A worker thread that turns notice data into PDF bytes (render-job.ts), so issuing never blocks
// the thread that answers the window. Each worker parses the fonts once and keeps them;
// render-service.ts hands it work one request at a time.
import { parentPort } from 'node:worker_threads';
import type { NoticeData } from '../../../shared/notices/schemas';
import type { NoticeMeta } from '../../../shared/notices/layout';
import { fallbackFontLoaded } from './pdf-engine';
import { renderJob } from './render-job';

type Request = { id: number; kind: 'render'; data: NoticeData; meta: NoticeMeta } | { id: number; kind: 'fallback-loaded' };

// Tells the pool this thread started (a worker that dies before this could not start at all).
parentPort?.postMessage({ id: 0, ok: true });

parentPort?.on('message', (req: Request) => {
  void (async () => {
    try {
      if (req.kind === 'fallback-loaded') {
        parentPort!.postMessage({ id: req.id, ok: true, fallbackLoaded: fallbackFontLoaded() });
        return;
      }
      const r = await renderJob(req.data, req.meta);
      if (!r.ok) {
        parentPort!.postMessage({ id: req.id, ok: false, missing: r.missing });
        return;
      }
      const bytes = r.pdf.buffer.slice(r.pdf.byteOffset, r.pdf.byteOffset + r.pdf.byteLength);
      parentPort!.postMessage({ id: req.id, ok: true, pdf: bytes }, [bytes as ArrayBuffer]);
    } catch (e) {
      parentPort!.postMessage({ id: req.id, ok: false, error: e instanceof Error ? e.name : 'Error' });
    }
  })();
});
