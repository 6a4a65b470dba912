/** Helpers for fixed-width bitsets stored in Uint32Array words. */

/** Number of 32-bit words needed for `n` bits. */
export function wordsFor(n: number): number {
  return (n + 31) >>> 5;
}

/** Set bit `i`. */
export function setBit(words: Uint32Array, i: number, offset = 0): void {
  words[offset + (i >>> 5)]! |= 1 << (i & 31);
}

/** Test bit `i`. */
export function hasBit(words: Uint32Array, i: number, offset = 0): boolean {
  return (words[offset + (i >>> 5)]! & (1 << (i & 31))) !== 0;
}

/** A bitset of `n` bits, all set. */
export function fullBitset(n: number): Uint32Array {
  const w = new Uint32Array(wordsFor(n));
  w.fill(0xffffffff);
  const rem = n & 31;
  if (rem !== 0) w[w.length - 1] = (1 << rem) - 1;
  return w;
}
