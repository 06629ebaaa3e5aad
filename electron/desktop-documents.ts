// Issued documents on the desktop: the Electron host's DocumentDelivery. The core loads the
// stored PDF and hands it here (documents.open / print / save, through the dispatcher like
// every call); this writes it to a private temporary folder and opens it in the system's PDF
// viewer, prints it through the system print dialog, or saves a batch in a folder the person
// picks once. Electron itself is passed in (openPath, printFile, chooseFolder), so that this
// logic — what is accepted, where it is written, what the person is told — runs under tests
// without the Electron binary.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DeliveredFile, DocumentDelivery } from './core/documents/delivery';
import { safeFileName } from './core/documents/delivery';
import type { Delivery } from '../shared/api/methods/documents';

export interface DesktopDocumentDeps {
  /** A folder only this user can read; files are removed on quit (cleanDocuments). */
  dir: string;
  /** shell.openPath: '' on success, else the system's error text. */
  openPath(file: string): Promise<string>;
  /** Loads the file in a hidden window without the preload bridge and calls webContents.print. */
  printFile(file: string): Promise<{ ok: boolean; reason?: string }>;
  /** dialog.showOpenDialog for one folder: null when the person cancels. */
  chooseFolder(): Promise<string | null>;
}

/** Big enough for a combined hearing batch. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

const done = (message: string): Delivery => ({ via: 'desktop', done: true, message });
const notDone = (message: string): Delivery => ({ via: 'desktop', done: false, message });

/** What the core handed over must be a PDF of sane size; the name is made safe again here. */
export function acceptDocument(file: DeliveredFile): { ok: true; bytes: Buffer; name: string } | { ok: false; message: string } {
  if (!Buffer.isBuffer(file.bytes) || file.bytes.length === 0) return { ok: false, message: '没有收到文书内容，请重新打开' };
  if (file.bytes.length > MAX_DOCUMENT_BYTES) return { ok: false, message: '文书过大（超过 64 MB），请分批打印' };
  if (file.bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return { ok: false, message: '收到的内容不是 PDF 文书，已拒绝打开' };
  return { ok: true, bytes: file.bytes, name: safeFileName(file.name) };
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

export async function openDocument(deps: DesktopDocumentDeps, input: DeliveredFile): Promise<Delivery> {
  const doc = acceptDocument(input);
  if (!doc.ok) return notDone(doc.message);
  const file = writePrivate(deps, doc.bytes, doc.name);
  const error = await deps.openPath(file);
  return error ? notDone(`系统未能打开 PDF 阅读器（${error}），请改用“保存”后用阅读器打开`) : done('已用系统阅读器打开');
}

export async function printDocument(deps: DesktopDocumentDeps, input: DeliveredFile): Promise<Delivery> {
  const doc = acceptDocument(input);
  if (!doc.ok) return notDone(doc.message);
  const file = writePrivate(deps, doc.bytes, doc.name);
  const r = await deps.printFile(file);
  if (r.ok) return done('已送打印机');
  // Cancelling the dialog is the person's choice, not a failure to report as one.
  if (r.reason === 'cancelled') return notDone('已取消打印');
  return notDone(`打印未完成（${r.reason ?? '未知原因'}），请检查打印机后重试，或打开文书从阅读器打印`);
}

/**
 * Saves a batch as individual files in a folder the person picks once: every document is
 * checked first (nothing is written if one is not a PDF), and an existing file is never
 * overwritten (a suffix is added).
 */
export async function saveDocuments(deps: DesktopDocumentDeps, files: DeliveredFile[]): Promise<Delivery> {
  if (files.length === 0) return notDone('没有要保存的文书');
  const docs = [];
  for (const item of files) {
    const doc = acceptDocument(item);
    if (!doc.ok) return notDone(doc.message);
    docs.push(doc);
  }
  const folder = await deps.chooseFolder();
  if (!folder) return notDone('已取消保存');
  for (const doc of docs) {
    let file = path.join(folder, doc.name);
    for (let n = 2; fs.existsSync(file); n++) file = path.join(folder, doc.name.replace(/\.pdf$/, `（${n}）.pdf`));
    fs.writeFileSync(file, doc.bytes, { flag: 'wx' });
  }
  return done(`已保存 ${docs.length} 份到 ${folder}`);
}

/** The Electron host's capability, as the core receives it (createCore({ desktop })). */
export function desktopDelivery(deps: DesktopDocumentDeps): DocumentDelivery {
  return {
    open: (file) => openDocument(deps, file),
    print: (file) => printDocument(deps, file),
    save: (files) => saveDocuments(deps, files),
  };
}

/** Removes every document written this run; called when the app quits. */
export function cleanDocuments(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
