// Signatures on issued documents. A PDF cannot contain the hash of itself, so the signature
// travels like a detached one embedded at the end of the file: after the PDF's own %%EOF we
// append one comment line, `%OIP-SIG <base64 JSON>`, carrying the key facts, the SHA-256 of
// every byte before that line, the signer's public key and an Ed25519 signature over both.
// PDF readers ignore the line; verification recomputes the hash, so one changed byte fails.
import QRCode from 'qrcode';
import { canonical } from '../../../shared/crypto/canonical';
import { keyIdOf, signBytes, verifyBytes } from '../crypto/ed25519';
import { sha256 } from '../crypto/hash';
import type { DeviceKey } from '../crypto/device-key';
import type { VerifyStatus } from '../../../shared/notices/schemas';

const MARKER = Buffer.from('\n%OIP-SIG ');

export type KeyFacts = Record<string, string>;

export interface SignatureBlock {
  v: 1;
  keyId: string;
  publicKey: string;
  facts: KeyFacts;
  pdfSha256: string;
  signature: string;
}

/** The QR code's payload: enough to check printed facts offline against the device's key. */
export function qrPayload(key: DeviceKey, facts: KeyFacts): string {
  const sig = Buffer.from(signBytes(key.privateKey, Buffer.from(canonical(facts))), 'base64').toString('base64url');
  return `OIP1|${key.keyId}|${canonical(facts)}|${sig}`;
}

export function appendSignature(pdf: Buffer, key: DeviceKey, facts: KeyFacts): { signed: Buffer; block: SignatureBlock } {
  const pdfSha256 = sha256(pdf);
  const signature = signBytes(key.privateKey, Buffer.from(canonical({ facts, pdfSha256 })));
  const block: SignatureBlock = { v: 1, keyId: key.keyId, publicKey: key.publicKeyB64, facts, pdfSha256, signature };
  const line = Buffer.concat([MARKER, Buffer.from(Buffer.from(JSON.stringify(block)).toString('base64')), Buffer.from('\n')]);
  return { signed: Buffer.concat([pdf, line]), block };
}

export interface VerifyResult {
  status: VerifyStatus;
  message: string;
  facts: KeyFacts | null;
  keyId: string | null;
}

export function verifySignedPdf(bytes: Buffer, isTrusted: (keyId: string, publicKey: string) => boolean): VerifyResult {
  const at = bytes.lastIndexOf(MARKER);
  if (at < 0) return { status: 'unsigned', message: '文件中没有本系统的签名，无法核验', facts: null, keyId: null };
  let block: SignatureBlock;
  try {
    block = JSON.parse(
      Buffer.from(
        bytes
          .subarray(at + MARKER.length)
          .toString('latin1')
          .trim(),
        'base64',
      ).toString('utf8'),
    ) as SignatureBlock;
  } catch {
    return { status: 'altered', message: '签名数据已损坏，文件被改动过', facts: null, keyId: null };
  }
  const facts = block.facts ?? null;
  const fail = (message: string): VerifyResult => ({ status: 'altered', message, facts, keyId: block.keyId ?? null });
  if (typeof block.publicKey !== 'string' || typeof block.signature !== 'string' || keyIdOf(block.publicKey) !== block.keyId)
    return fail('签名数据不完整，文件被改动过');
  if (sha256(bytes.subarray(0, at)) !== block.pdfSha256) return fail('文件内容与签名时不一致：文件被改动过');
  const ok = verifyBytes(block.publicKey, Buffer.from(canonical({ facts: block.facts, pdfSha256: block.pdfSha256 })), block.signature);
  if (!ok) return fail('签名与文书要素不符：文书要素被改动过');
  if (!isTrusted(block.keyId, block.publicKey)) {
    return {
      status: 'unknown-signer',
      message: `签名完整，但签名设备（密钥 ${block.keyId}）不在本机信任的签发设备中`,
      facts,
      keyId: block.keyId,
    };
  }
  return { status: 'valid', message: `签名有效：${facts?.no ?? ''}，由设备 ${block.keyId} 签发`, facts, keyId: block.keyId };
}

/** The QR code's modules as rows of 0/1, for the layout to draw (see shared/notices/layout.ts). */
export function qrRows(text: string): string[] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const rows: string[] = [];
  for (let y = 0; y < modules.size; y++) {
    let row = '';
    for (let x = 0; x < modules.size; x++) row += modules.get(x, y) ? '1' : '0';
    rows.push(row);
  }
  return rows;
}
