// How an issued document leaves the store for a person: the host capability behind the
// documents.* methods. The core loads the PDF and hands it to the host's `DocumentDelivery`;
// the PDF never goes to the renderer and back. Electron supplies one that opens the system
// viewer, the print dialog or a chosen folder (electron/desktop-documents.ts); every other host
// answers with downloads: the bytes wait here on a shelf under a random one-time token bound to
// the session that asked, and the web host serves them at /download/<token>.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import { ApiError } from '../../../shared/api/errors';
import type { Delivery } from '../../../shared/api/methods/documents';

export interface DeliveredFile {
  /** File name with .pdf, already fit for a file system (safeFileName). */
  name: string;
  bytes: Buffer;
}

/** What the person who asked is known by: downloads are handed only to the same session. */
export interface Requester {
  sessionTokenHash: string | null;
}

export interface DocumentDelivery {
  open(file: DeliveredFile, who: Requester): Promise<Delivery>;
  print(file: DeliveredFile, who: Requester): Promise<Delivery>;
  save(files: DeliveredFile[], who: Requester): Promise<Delivery>;
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

interface Shelved {
  name: string;
  bytes: Buffer;
  sessionTokenHash: string | null;
  expires: number;
}

/** A download is fetched right after the call that made it; what is not fetched goes. */
export const DOWNLOAD_TTL_MS = 5 * 60_000;
/** Bytes kept for downloads at any time; the oldest go first beyond it. */
export const SHELF_MAX_BYTES = 256 * 1024 * 1024;

export class DownloadShelf implements DocumentDelivery {
  private items = new Map<string, Shelved>();
  private bytes = 0;

  constructor(private clock: Clock) {}

  async open(file: DeliveredFile, who: Requester): Promise<Delivery> {
    return { via: 'download', files: [this.put(file, who)] };
  }

  async print(file: DeliveredFile, who: Requester): Promise<Delivery> {
    return { via: 'download', files: [this.put(file, who)] };
  }

  async save(files: DeliveredFile[], who: Requester): Promise<Delivery> {
    return { via: 'download', files: files.map((f) => this.put(f, who)) };
  }

  /**
   * Hands a shelved file over once, to the session it was made for. Unknown, expired, taken or
   * someone else's tokens all read as "not found", so a token reveals nothing.
   */
  take(token: string, sessionTokenHash: string | null): DeliveredFile {
    this.sweep();
    const item = this.items.get(token);
    if (!item || item.sessionTokenHash !== sessionTokenHash) throw new ApiError('NOT_FOUND', '下载已失效，请重新打开或保存文书');
    this.drop(token);
    return { name: item.name, bytes: item.bytes };
  }

  /** How many files wait on the shelf (for tests and the status of the host). */
  get size(): number {
    this.sweep();
    return this.items.size;
  }

  private put(file: DeliveredFile, who: Requester): { url: string; fileName: string } {
    this.sweep();
    const token = randomBytes(24).toString('base64url');
    this.items.set(token, {
      name: file.name,
      bytes: file.bytes,
      sessionTokenHash: who.sessionTokenHash,
      expires: this.clock.now().getTime() + DOWNLOAD_TTL_MS,
    });
    this.bytes += file.bytes.length;
    // Maps keep insertion order: the first entries are the oldest.
    for (const key of this.items.keys()) {
      if (this.bytes <= SHELF_MAX_BYTES || key === token) break;
      this.drop(key);
    }
    return { url: `/download/${token}`, fileName: file.name };
  }

  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [key, item] of this.items) if (item.expires <= now) this.drop(key);
  }

  private drop(token: string): void {
    const item = this.items.get(token);
    if (!item) return;
    this.bytes -= item.bytes.length;
    this.items.delete(token);
  }
}
