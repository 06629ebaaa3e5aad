// Opening, printing and saving PDFs. In Electron: the system's PDF viewer and print dialog
// (through the preload bridge). In a browser: a new tab (print from its viewer) or a download.
export function blobUrl(base64: string, type: string): string {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type }));
}

export function pdfBlobUrl(base64: string): string {
  return blobUrl(base64, 'application/pdf');
}

type DesktopResult = { ok: true } | { ok: false; message: string };

async function viaDesktop(call: ((b: string, n: string) => Promise<unknown>) | undefined, base64: string, name: string): Promise<boolean> {
  if (!call) return false;
  const r = (await call(base64, name)) as DesktopResult;
  if (!r.ok) throw new Error(r.message);
  return true;
}

/** Opens a document for reading; throws with a Chinese message when the system viewer fails. */
export async function openPdf(base64: string, name = '文书'): Promise<void> {
  if (await viaDesktop(window.oip?.openDocument, base64, name)) return;
  window.open(pdfBlobUrl(base64), '_blank', 'noopener');
}

/** Prints a document: the system print dialog in Electron; in a browser, its viewer's print. */
export async function printPdf(base64: string, name = '文书'): Promise<void> {
  if (await viaDesktop(window.oip?.printDocument, base64, name)) return;
  window.open(pdfBlobUrl(base64), '_blank', 'noopener');
}

export function downloadPdf(base64: string, filename: string): void {
  const a = document.createElement('a');
  a.href = pdfBlobUrl(base64);
  a.download = filename;
  a.click();
}

export async function fileToBase64(file: File): Promise<string> {
  const buf = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(bin);
}
