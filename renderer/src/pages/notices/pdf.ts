// Opening, printing and saving issued documents: the core loads the stored PDF by its id
// (documents.open / print / save) and the host delivers it. The desktop opens the system viewer,
// the print dialog or a folder itself; the browser host answers with one-time downloads, which
// are fetched here and shown in a new tab (print from its viewer) or saved as files.
import { fetchDownload, invoke } from '../../transport';
import type { MessageInstance } from 'antd/es/message/interface';
import type { ApiInput, ApiOutput } from '../../../../shared/api/contract';

type Delivery = ApiOutput<'documents.open'>;
export type DocumentSource = ApiInput<'documents.open'>;

/** What to tell the person when the desktop did not finish (cancelled, no viewer); null when done. */
export type Outcome = { done: true; message: string } | { done: false; message: string };

function desktopOutcome(d: Extract<Delivery, { via: 'desktop' }>): Outcome {
  return d.done ? { done: true, message: d.message } : { done: false, message: d.message };
}

/** An object URL for bytes the core handed over as base64 (an attachment being viewed). */
export function blobUrl(base64: string, type: string): string {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type }));
}

async function showInTab(d: Extract<Delivery, { via: 'download' }>): Promise<Outcome> {
  for (const f of d.files) {
    const url = URL.createObjectURL(await fetchDownload(f.url));
    window.open(url, '_blank', 'noopener');
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
  return { done: true, message: '' };
}

function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Opens a document for reading: the system viewer, or a new tab. */
export async function openDocument(source: DocumentSource): Promise<Outcome> {
  const d = await invoke('documents.open', source);
  return d.via === 'desktop' ? desktopOutcome(d) : showInTab(d);
}

/** Prints a document: the system print dialog, or a new tab to print from its viewer. */
export async function printDocument(source: DocumentSource): Promise<Outcome> {
  const d = await invoke('documents.print', source);
  return d.via === 'desktop' ? desktopOutcome(d) : showInTab(d);
}

/**
 * Saves documents as individual files, each exactly as stored and signed: a folder chosen once
 * on the desktop, one download per file in a browser (with progress, and a way to stop).
 */
export async function saveDocuments(
  ids: string[],
  progress: (done: number, total: number) => void = () => undefined,
  stopped: () => boolean = () => false,
): Promise<Outcome & { saved: number }> {
  const d = await invoke('documents.save', { ids });
  if (d.via === 'desktop') return { ...desktopOutcome(d), saved: d.done ? ids.length : 0 };
  let saved = 0;
  for (const f of d.files) {
    if (stopped()) return { done: false, message: `已停止：保存了 ${saved}/${d.files.length} 份`, saved };
    downloadBlob(await fetchDownload(f.url), f.fileName);
    progress(++saved, d.files.length);
  }
  return { done: true, message: `已保存 ${saved} 份`, saved };
}

/** Says what did not happen (a cancelled dialog, no viewer); a done delivery needs no word. */
export function tellOutcome(message: Pick<MessageInstance, 'warning'>, o: Outcome): void {
  if (!o.done) void message.warning(o.message);
}

export async function fileToBase64(file: File): Promise<string> {
  const buf = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(bin);
}
