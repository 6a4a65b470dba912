/** Helpers for fixed-width bitsets stored in Uint32Array words. */

/** Number of 32-bit words needed for `n` bits. */
export function wordsFor(n: number): number {
  return (n + 31) >>> 5;
}

/** Set bit `i`. */
export function setBit(words: Uint32Array, i: number, offset = 0): void {
  words[offset + (i >>> 5)]! |= 1 << (i & 31);
}

/** A bitset of `n` bits, all set. */
export function fullBitset(n: number): Uint32Array {
  const w = new Uint32Array(wordsFor(n));
  w.fill(0xffffffff);
  const rem = n & 31;
  if (rem !== 0) w[w.length - 1] = (1 << rem) - 1;
  return w;
}

/**
 * Interned bitsets of one width: equal bitsets get one id, so memory grows with distinct
 * bitsets. Ids never change, and the pool only grows.
 */
export class BitsetPool {
  readonly width: number;
  private readonly bitsets: Uint32Array[] = [];
  private readonly index = new Map<number, number[]>();

  constructor(width: number, copyOf?: BitsetPool) {
    this.width = width;
    if (copyOf !== undefined) {
      this.bitsets.push(...copyOf.bitsets);
      for (const [h, ids] of copyOf.index) this.index.set(h, [...ids]);
    }
  }

  get size(): number {
    return this.bitsets.length;
  }

  /** The bitset with an id. */
  get(id: number): Uint32Array {
    return this.bitsets[id]!;
  }

  /** The id of the bitset `words[offset .. offset + width)`, adding a copy if it is new. */
  intern(words: Uint32Array, offset = 0): number {
    const W = this.width;
    let h = 0x811c9dc5;
    for (let i = 0; i < W; i++) h = Math.imul(h ^ words[offset + i]!, 0x01000193);
    h >>>= 0;
    const bucket = this.index.get(h);
    if (bucket !== undefined)
      for (const id of bucket) {
        const b = this.bitsets[id]!;
        let same = true;
        for (let i = 0; i < W && same; i++) same = b[i] === words[offset + i];
        if (same) return id;
      }
    const id = this.bitsets.length;
    this.bitsets.push(words.slice(offset, offset + W));
    if (bucket !== undefined) bucket.push(id);
    else this.index.set(h, [id]);
    return id;
  }
}
