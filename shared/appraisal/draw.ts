// The random draw of an appraisal panel (3 or 5 experts), made reproducible: the same seed
// and the same candidate list always give the same panel, on any machine, so anyone can
// re-run a stored draw and check it. The generator is xoshiro128** seeded from the seed's
// first 16 bytes; candidates are shuffled with Fisher–Yates and the first N taken.

export interface DrawCandidate {
  id: string;
  name: string;
}

function xoshiro128ss(a: number, b: number, c: number, d: number): () => number {
  return () => {
    const t = b << 9;
    let r = Math.imul(b, 5);
    r = Math.imul((r << 7) | (r >>> 25), 9);
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = (d << 11) | (d >>> 21);
    return (r >>> 0) / 4294967296;
  };
}

/** The seed is 32 hex digits (128 bits), e.g. from a cryptographic random source. */
export function seededRandom(seedHex: string): () => number {
  if (!/^[0-9a-f]{32}$/.test(seedHex)) throw new Error('抽取种子应为 32 位十六进制数');
  const words: number[] = [0, 8, 16, 24].map((i) => parseInt(seedHex.slice(i, i + 8), 16) | 0);
  // xoshiro must not start from all zeros.
  if (!words.some((w) => w !== 0)) words[0] = 1;
  const next = xoshiro128ss(words[0]!, words[1]!, words[2]!, words[3]!);
  for (let i = 0; i < 16; i++) next(); // let the state mix before use
  return next;
}

/**
 * Draws `size` experts from `candidates`. Candidates are first put in id order, so the result
 * depends only on who was eligible, not on the order a query returned them.
 */
export function drawPanel(candidates: readonly DrawCandidate[], size: number, seedHex: string): DrawCandidate[] {
  if (size !== 3 && size !== 5) throw new Error('专家组人数应为 3 人或 5 人');
  if (candidates.length < size) throw new Error(`符合条件的专家只有 ${candidates.length} 人，不足 ${size} 人`);
  const pool = [...candidates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rnd = seededRandom(seedHex);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, size);
}
