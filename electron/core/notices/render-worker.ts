// A worker thread that turns notice data into PDF bytes (template → pdfmake with the bundled
// fonts), so issuing never blocks the thread that answers the window. Each worker parses the
// fonts once and keeps them; render-service.ts hands it work one request at a time.
import { parentPort } from 'node:worker_threads';
import { buildNotice } from '../../../shared/notices/templates';
import { textOf } from '../../../shared/notices/layout';
import type { NoticeData } from '../../../shared/notices/schemas';
import type { NoticeMeta } from '../../../shared/notices/layout';
import { fallbackFontLoaded, missingGlyphs, renderPdf } from './pdf-engine';

type Request = { id: number; kind: 'render'; data: NoticeData; meta: NoticeMeta } | { id: number; kind: 'fallback-loaded' };

parentPort?.on('message', (req: Request) => {
  void (async () => {
    try {
      if (req.kind === 'fallback-loaded') {
        parentPort!.postMessage({ id: req.id, ok: true, fallbackLoaded: fallbackFontLoaded() });
        return;
      }
      const definition = buildNotice(req.data, req.meta);
      const missing = missingGlyphs(textOf(definition.content));
      if (missing.length > 0) {
        parentPort!.postMessage({ id: req.id, ok: false, missing });
        return;
      }
      const pdf = await renderPdf(definition);
      const bytes = pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength);
      parentPort!.postMessage({ id: req.id, ok: true, pdf: bytes }, [bytes as ArrayBuffer]);
    } catch (e) {
      parentPort!.postMessage({ id: req.id, ok: false, error: e instanceof Error ? e.name : 'Error' });
    }
  })();
});
