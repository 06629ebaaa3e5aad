// One notice from data to PDF bytes: the template, the check that the bundled fonts can print
// every character, pdfmake. Run by the render worker threads (render-worker.ts), and in the
// host itself only if worker threads cannot start there (render-service.ts says when).
import { buildNotice } from '../../../shared/notices/templates';
import { textOf, type NoticeMeta } from '../../../shared/notices/layout';
import type { NoticeData } from '../../../shared/notices/schemas';
import { missingGlyphs, renderPdf } from './pdf-engine';
import { qrRows } from './signature';
import { qrPngDataUrl } from './qr-image';

export type RenderJobResult = { ok: true; pdf: Buffer } | { ok: false; missing: string[] };

export async function renderJob(data: NoticeData, meta: NoticeMeta): Promise<RenderJobResult> {
  // The QR code's modules follow from its text alone; encoding them (a mask search, some 10 ms)
  // here keeps that work off the thread that issues documents one after another.
  const rows = meta.qrRows ?? qrRows(meta.qrText);
  const definition = buildNotice(data, { ...meta, qrRows: rows, qrImage: qrPngDataUrl(rows) });
  const missing = missingGlyphs(textOf(definition.content));
  if (missing.length > 0) return { ok: false, missing };
  return { ok: true, pdf: await renderPdf(definition) };
}
