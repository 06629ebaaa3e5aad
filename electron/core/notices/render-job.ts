// One notice from data to PDF bytes: the template, the check that the bundled fonts can print
// every character, pdfmake. Run by the render worker threads (render-worker.ts), and in the
// host itself only if worker threads cannot start there (render-service.ts says when).
//
// A body a little longer than a page would leave the seal, QR code and date alone on page 2;
// such a notice is rendered once more in the compact layout and kept so if it then fits on one
// page, else once more in the dense one (四号, single spacing). A notice that needs two pages
// either way keeps the standard layout.
import { buildNotice } from '../../../shared/notices/templates';
import { textOf, type NoticeMeta } from '../../../shared/notices/layout';
import type { NoticeData } from '../../../shared/notices/schemas';
import { missingGlyphs, renderPdf } from './pdf-engine';
import { qrRows } from './signature';
import { qrPngDataUrl } from './qr-image';

export type RenderJobResult = { ok: true; pdf: Buffer } | { ok: false; missing: string[] };

/** Pages in a PDF pdfkit wrote (its page objects are plain dictionaries). */
export function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
}

export async function renderJob(data: NoticeData, meta: NoticeMeta): Promise<RenderJobResult> {
  // The QR code's modules follow from its text alone; encoding them (a mask search, some 10 ms)
  // here keeps that work off the thread that issues documents one after another.
  const rows = meta.qrRows ?? qrRows(meta.qrText);
  const definition = buildNotice(data, { ...meta, qrRows: rows, qrImage: qrPngDataUrl(rows) });
  const missing = missingGlyphs(textOf(definition.content));
  if (missing.length > 0) return { ok: false, missing };
  const pdf = await renderPdf(definition);
  if (pageCount(pdf) !== 2) return { ok: true, pdf };
  const shown = { ...meta, qrRows: rows, qrImage: qrPngDataUrl(rows) };
  const compact = await renderPdf(buildNotice(data, { ...shown, compact: true }));
  if (pageCount(compact) === 1) return { ok: true, pdf: compact };
  const dense = await renderPdf(buildNotice(data, { ...shown, dense: true }));
  return { ok: true, pdf: pageCount(dense) === 1 ? dense : pdf };
}
