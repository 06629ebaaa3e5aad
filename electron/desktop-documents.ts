// Issued documents on the desktop: the renderer hands over a PDF, the main process writes it
// to a private temporary folder and opens it in the system's PDF viewer, or prints it through
// the system print dialog. Electron itself is passed in (openPath, printFile) so that this
// logic — what is accepted, where it is written, what the person is told — runs under tests
// without the Electron binary.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

export interface DesktopDocumentDeps {
  /** A folder only this user can read; files are removed on quit (cleanDocuments). */
  dir: string;
  /** shell.openPath: '' on success, else the system's error text. */
  openPath(file: string): Promise<string>;
  /** Loads the file in a hidden PDF window and calls webContents.print; resolves to the outcome. */
  printFile(file: string): Promise<{ ok: boolean; reason?: string }>;
  /** dialog.showOpenDialog for one folder: null when the person cancels. */
  chooseFolder(): Promise<string | null>;
}

export type DesktopResult = { ok: true } | { ok: false; message: string };

/** Big enough for a combined session batch; the web host's body limit is the same. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

/** Checks what the renderer sent: a base64 PDF and a file name fit for the file system. */
export function acceptDocument(payload: unknown): { ok: true; bytes: Buffer; name: string } | { ok: false; message: string } {
  const p = payload as { pdfBase64?: unknown; name?: unknown } | null;
  if (!p || typeof p.pdfBase64 !== 'string' || p.pdfBase64.length === 0) return { ok: false, message: '没有收到文书内容，请重新打开' };
  if (p.pdfBase64.length > Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4) return { ok: false, message: '文书过大（超过 64 MB），请分批打印' };
  if (!/^[A-Za-z0-9+/]+=*$/.test(p.pdfBase64)) return { ok: false, message: '文书内容已损坏（不是有效的编码），请重新打开' };
  const bytes = Buffer.from(p.pdfBase64, 'base64');
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return { ok: false, message: '收到的内容不是 PDF 文书，已拒绝打开' };
  return { ok: true, bytes, name: safeFileName(typeof p.name === 'string' ? p.name : '') };
}

/** Letters, digits, CJK and the marks of a document number; anything else becomes '_'. */
export function safeFileName(name: string): string {
  const cleaned = name
    .replace(/\.pdf$/i, '')
    .replace(/[^\p{L}\p{N}〔〕（）()_\-－·]/gu, '_')
    .replace(/_+/g, '_')
    .slice(0, 80);
  return `${cleaned.replace(/^[_.]+|_+$/g, '') || '文书'}.pdf`;
}

function writePrivate(deps: DesktopDocumentDeps, bytes: Buffer, name: string): string {
  fs.mkdirSync(deps.dir, { recursive: true, mode: 0o700 });
  // A fresh sub-folder per document keeps the readable name without two files colliding.
  const folder = path.join(deps.dir, randomUUID());
  fs.mkdirSync(folder, { mode: 0o700 });
  const file = path.join(folder, name);
  fs.writeFileSync(file, bytes, { mode: 0o600 });
  return file;
}

export async function openDocument(deps: DesktopDocumentDeps, payload: unknown): Promise<DesktopResult> {
  const doc = acceptDocument(payload);
  if (!doc.ok) return doc;
  const file = writePrivate(deps, doc.bytes, doc.name);
  const error = await deps.openPath(file);
  return error ? { ok: false, message: `系统未能打开 PDF 阅读器（${error}），请在“文书”中下载后用阅读器打开` } : { ok: true };
}

export async function printDocument(deps: DesktopDocumentDeps, payload: unknown): Promise<DesktopResult> {
  const doc = acceptDocument(payload);
  if (!doc.ok) return doc;
  const file = writePrivate(deps, doc.bytes, doc.name);
  const r = await deps.printFile(file);
  if (r.ok) return { ok: true };
  // Cancelling the dialog is the person's choice, not a failure to report as one.
  if (r.reason === 'cancelled') return { ok: false, message: '已取消打印' };
  return { ok: false, message: `打印未完成（${r.reason ?? '未知原因'}），请检查打印机后重试，或打开文书从阅读器打印` };
}

/** At most this many documents in one save: a session's conclusions and benefit notices. */
export const MAX_SAVE_DOCUMENTS = 400;

/**
 * Saves a batch as individual files in a folder the person picks once: every document is
 * checked first (nothing is written if one is not a PDF), and an existing file is never
 * overwritten (a suffix is added).
 */
export async function saveDocuments(
  deps: DesktopDocumentDeps,
  payload: unknown,
): Promise<DesktopResult & { saved?: number; folder?: string }> {
  const list = (payload as { files?: unknown } | null)?.files;
  if (!Array.isArray(list) || list.length === 0) return { ok: false, message: '没有要保存的文书' };
  if (list.length > MAX_SAVE_DOCUMENTS) return { ok: false, message: `一次最多保存 ${MAX_SAVE_DOCUMENTS} 份文书，请分批保存` };
  const docs = [];
  for (const item of list) {
    const doc = acceptDocument(item);
    if (!doc.ok) return doc;
    docs.push(doc);
  }
  const folder = await deps.chooseFolder();
  if (!folder) return { ok: false, message: '已取消保存' };
  for (const doc of docs) {
    let file = path.join(folder, doc.name);
    for (let n = 2; fs.existsSync(file); n++) file = path.join(folder, doc.name.replace(/\.pdf$/, `（${n}）.pdf`));
    fs.writeFileSync(file, doc.bytes, { flag: 'wx' });
  }
  return { ok: true, saved: docs.length, folder };
}

/** Removes every document written this run; called when the app quits. */
export function cleanDocuments(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
