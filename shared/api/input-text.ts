// The one pass every RPC input goes through before its schema sees it: each string (and each
// object key) is put into Unicode NFC, so "é" typed two ways is stored, searched and hashed as
// one thing, and a string that cannot be stored as given (a lone UTF-16 surrogate, which SQLite
// would silently store as something else) is refused with the path of the field. Field-level
// character rules (no control or invisible characters in names, reasons, file names) are the
// schemas' job: see text() and paragraph() in common.ts.
import { hasLoneSurrogate } from './common';

/** Deeper than any contract input; deeper JSON is refused rather than walked. */
const MAX_DEPTH = 32;

export class InputTextError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

function pathOf(parts: (string | number)[]): string {
  return parts.join('.');
}

function normaliseString(s: string, parts: (string | number)[]): string {
  if (hasLoneSurrogate(s))
    throw new InputTextError(
      pathOf(parts),
      '内容中含有无法保存的字符（不完整的 Unicode 代理项），请删除后重新输入（可能是从其他软件复制时带入的）',
    );
  // ASCII (IDs, codes, base64 payloads of megabytes) is already in NFC.
  return /^[\x20-\x7e]*$/.test(s) ? s : s.normalize('NFC');
}

/** A normalised copy of a JSON-like value; throws InputTextError naming the offending field. */
export function normaliseInput(value: unknown, parts: (string | number)[] = []): unknown {
  if (typeof value === 'string') return normaliseString(value, parts);
  if (value === null || typeof value !== 'object') return value;
  if (parts.length >= MAX_DEPTH) throw new InputTextError(pathOf(parts), '输入的层级过深，请检查提交的数据');
  if (Array.isArray(value)) return value.map((v, i) => normaliseInput(v, [...parts, i]));
  const proto = Object.getPrototypeOf(value) as unknown;
  // Only plain objects are data; anything else (a Date, a Map) is left for the schema to refuse.
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = normaliseString(k, [...parts, k]);
    // defineProperty, not assignment: a key named "__proto__" stays data and never becomes a prototype.
    Object.defineProperty(out, key, { value: normaliseInput(v, [...parts, key]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
