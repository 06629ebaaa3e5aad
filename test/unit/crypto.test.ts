// The pure canonical JSON and SHA-256 of shared/crypto against Node's crypto, and the sealed box
// that encrypts hearing packages for one device: only that device opens it, and any change fails.
import { describe, expect, it } from 'vitest';
import { createHash, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { canonical, canonicalHash, sha256Hex, utf8 } from '../../shared/crypto/canonical';
import { canonicalSha256, sha256 } from '../../electron/core/crypto/hash';
import { open, seal } from '../../electron/core/crypto/sealed-box';

describe('shared canonical JSON and SHA-256', () => {
  it('hashes like Node for every length around the block boundaries and for random bytes', () => {
    for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 70_000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 255);
      expect(sha256Hex(bytes), String(n)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => sha256Hex(bytes) === sha256(bytes)),
      { seed: 20261124, numRuns: 300 },
    );
  });

  it('encodes text as Node does, lone surrogates included, so both sides hash the same bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => Buffer.from(utf8(s)).equals(Buffer.from(s, 'utf8'))),
      { seed: 7, numRuns: 500 },
    );
    for (const s of ['单通', '𠮷野家', 'a\ud800b', '\udc00', '😀']) expect(Buffer.from(utf8(s)).equals(Buffer.from(s))).toBe(true);
  });

  it('writes the same JSON whatever the key order, and the core hashes it alike', () => {
    const a = { b: [1, { d: '单', c: null }], a: 'x' };
    const b = { a: 'x', b: [1, { c: null, d: '单' }] };
    expect(canonical(a)).toBe('{"a":"x","b":[1,{"c":null,"d":"单"}]}');
    expect(canonical(b)).toBe(canonical(a));
    expect(canonicalHash(a)).toBe(canonicalSha256(b));
  });
});

describe('sealed box', () => {
  const device = () => {
    const { privateKey, publicKey } = generateKeyPairSync('x25519');
    return { privateKey, publicKeyB64: (publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64') };
  };

  it('opens only with the recipient key, and fails on any changed byte or a shortened tag', () => {
    const me = device();
    const other = device();
    const text = Buffer.from('{"name":"单通","idNumber":"110108199503151234"}'.repeat(50));
    const sealed = seal(text, { keyId: '0123456789abcdef', encPublicKey: me.publicKeyB64 }, 'test-format');
    expect(open(sealed, me)!.equals(text)).toBe(true);
    expect(open(sealed, other)).toBeNull();
    expect(JSON.stringify(sealed)).not.toContain('单通');
    const flip = (b64: string, at: number) => {
      const b = Buffer.from(b64, 'base64');
      b.writeUInt8(b.readUInt8(at) ^ 1, at);
      return b.toString('base64');
    };
    expect(open({ ...sealed, ciphertext: flip(sealed.ciphertext, 3) }, me)).toBeNull();
    expect(open({ ...sealed, tag: flip(sealed.tag, 0) }, me)).toBeNull();
    expect(open({ ...sealed, tag: Buffer.from(sealed.tag, 'base64').subarray(0, 4).toString('base64') }, me)).toBeNull();
    // The header is bound too: the same ciphertext under another recipient or format does not open.
    expect(open({ ...sealed, recipient: 'fedcba9876543210' }, me)).toBeNull();
    expect(open({ ...sealed, format: 'other' }, me)).toBeNull();
    // A fresh ephemeral key and nonce every time.
    const again = seal(text, { keyId: '0123456789abcdef', encPublicKey: me.publicKeyB64 }, 'test-format');
    expect(again.epk).not.toBe(sealed.epk);
    expect(again.ciphertext).not.toBe(sealed.ciphertext);
  });
});
