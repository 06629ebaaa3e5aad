// Issued documents at the centre: the 文号 is unique across the province, and the signed PDF must
// verify. Devices sign a PDF by appending one line after %%EOF, `%OIP-SIG <base64 JSON>`, with
// the key facts (the 文号 among them), the SHA-256 of every byte before that line, the signer's
// public key and an Ed25519 signature over canonical {facts, pdfSha256}
// (electron/core/notices/signature.ts makes it; this is the centre's reading of that format).
import { sql } from 'kysely';
import type { Db } from '../db/database';
import { canonical, keyIdOf, sha256Hex, verifyEd25519 } from './crypto';
import type { Refusal } from './roles';

const MARKER = Buffer.from('\n%OIP-SIG ');

interface SignatureBlock {
  v: number;
  keyId: string;
  publicKey: string;
  facts: Record<string, unknown>;
  pdfSha256: string;
  signature: string;
}

function readBlock(bytes: Buffer): SignatureBlock | null {
  const at = bytes.lastIndexOf(MARKER);
  if (at < 0) return null;
  try {
    const text = Buffer.from(
      bytes
        .subarray(at + MARKER.length)
        .toString('latin1')
        .trim(),
      'base64',
    ).toString('utf8');
    const b = JSON.parse(text) as Partial<SignatureBlock>;
    if (typeof b.keyId !== 'string' || typeof b.publicKey !== 'string' || typeof b.signature !== 'string') return null;
    if (typeof b.pdfSha256 !== 'string' || !b.facts || typeof b.facts !== 'object') return null;
    if (sha256Hex(bytes.subarray(0, at)) !== b.pdfSha256) return null;
    return b as SignatureBlock;
  } catch {
    return null;
  }
}

export interface IssuedDocumentCheck {
  documentNo: string;
  signerKeyId: string;
}

/**
 * Checks an issued_documents row against its PDF: the bytes are the ones the row names, the
 * signature verifies, the signed 文号 is the row's, and the signer is the pushing device — or
 * another device enrolled here and not revoked (a 专场 laptop's documents come home in a hearing
 * package and are pushed by the office's own device).
 */
export async function checkIssuedDocument(
  trx: Db,
  row: Record<string, unknown>,
  pdf: Buffer,
  pdfSha256: string,
  pusher: { id: string; publicKey: string },
): Promise<{ ok: IssuedDocumentCheck } | { refused: Refusal }> {
  const no = typeof row.document_no === 'string' ? row.document_no : '';
  const refuse = (why: string): { refused: Refusal } => ({
    refused: { code: 'DOC_SIGNATURE', message: `文书 ${no || '（无文号）'} 的签名核验不通过：${why}，中心未采纳` },
  });
  if (!no) return refuse('缺少文号');
  if (row.pdf_sha256 !== pdfSha256) return refuse('记录的文件摘要与文件不符');
  const block = readBlock(pdf);
  if (!block) return refuse('文件没有完整的签名，或签名后文件被改动');
  if (keyIdOf(block.publicKey) !== block.keyId || row.key_id !== block.keyId) return refuse('签名密钥编号不符');
  if (row.signature !== block.signature) return refuse('记录的签名与文件中的签名不同');
  if (!verifyEd25519(block.publicKey, Buffer.from(canonical({ facts: block.facts, pdfSha256: block.pdfSha256 })), block.signature))
    return refuse('签名与文书要素不符');
  if (block.facts.no !== no) return refuse(`签名的文号（${String(block.facts.no)}）与记录不符`);
  if (block.publicKey !== pusher.publicKey) {
    const other = await sql<{ id: string }>`
      SELECT id FROM devices WHERE public_key = ${block.publicKey} AND revoked_at IS NULL`.execute(trx);
    if (other.rows.length === 0) return refuse('签发设备不是在中心注册的设备');
  }
  return { ok: { documentNo: no, signerKeyId: block.keyId } };
}

/** Claims the 文号 for this document; false when it already names other bytes or another document. */
export async function claimDocumentNumber(
  trx: Db,
  c: { documentNo: string; documentId: string; pdfSha256: string; deviceId: string; signerKeyId: string },
): Promise<boolean> {
  const ins = await sql<{ document_id: string }>`
    INSERT INTO document_numbers (document_no, document_id, pdf_sha256, device_id, signer_key_id)
    VALUES (${c.documentNo}, ${c.documentId}, ${c.pdfSha256}, ${c.deviceId}, ${c.signerKeyId})
    ON CONFLICT (document_no) DO NOTHING RETURNING document_id`.execute(trx);
  if (ins.rows.length === 1) return true;
  // A separate statement: under READ COMMITTED it sees a claim another node committed meanwhile.
  const held = await sql<{ document_id: string; pdf_sha256: string }>`
    SELECT document_id, pdf_sha256 FROM document_numbers WHERE document_no = ${c.documentNo}`.execute(trx);
  const h = held.rows[0];
  return !!h && h.document_id === c.documentId && h.pdf_sha256 === c.pdfSha256;
}
