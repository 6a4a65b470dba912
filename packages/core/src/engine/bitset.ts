/**
 * Bitsets over classes. Rows of the class engine are stored sparsely: a fill (all clear or all
 * set) and the words that differ from it. Real clusters give rows that touch one or two 32-class
 * words (a namespace's own classes, kube-system), so a row costs a few words, not C/32.
 */

/** Number of 32-bit words needed for `n` bits. */
export function wordsFor(n: number): number {
  return (n + 31) >>> 5;
}

/** Set bit `i`. */
export function setBit(words: Uint32Array, i: number, offset = 0): void {
  words[offset + (i >>> 5)]! |= 1 << (i & 31);
}

/** The valid bits of the last word of an `n`-bit set (all 32 when `n` is a multiple of 32). */
export function lastWordMask(n: number): number {
  const rem = n & 31;
  return rem === 0 ? 0xffffffff : ((1 << rem) - 1) >>> 0;
}

/**
 * A bitset of `width` words: every word equals the fill word (0, or all bits set — only the
 * valid bits in the last word) except the listed ones. `idx` is ascending.
 */
export interface SparseBits {
  readonly full: boolean;
  readonly idx: Int32Array;
  readonly val: Uint32Array;
}

/** The set of the given bits (any order) over `n` bits, in whichever fill makes it smaller. */
export function sparseFromBits(bits: Iterable<number>, n: number, scratch?: Uint32Array): SparseBits {
  const W = wordsFor(n);
  const dense = scratch !== undefined && scratch.length >= W ? scratch.fill(0, 0, W) : new Uint32Array(W);
  for (const b of bits) setBit(dense, b);
  return sparseFromDense(dense, n);
}

/** The sparse form of a dense bitset `dense[0 .. wordsFor(n))`. */
export function sparseFromDense(dense: Uint32Array, n: number): SparseBits {
  const W = wordsFor(n);
  const last = lastWordMask(n);
  let nonzero = 0;
  let nonfull = 0;
  for (let w = 0; w < W; w++) {
    const v = dense[w]!;
    if (v !== 0) nonzero++;
    if (v !== (w === W - 1 ? last : 0xffffffff)) nonfull++;
  }
  const full = nonfull < nonzero;
  const count = full ? nonfull : nonzero;
  const idx = new Int32Array(count);
  const val = new Uint32Array(count);
  let k = 0;
  for (let w = 0; w < W; w++) {
    const v = dense[w]!;
    const fill = full ? (w === W - 1 ? last : 0xffffffff) : 0;
    if (v !== fill) {
      idx[k] = w;
      val[k++] = v;
    }
  }
  return { full, idx, val };
}

/** Write a sparse bitset out densely into `out[0 .. W)`. */
export function sparseToDense(s: SparseBits, n: number, out: Uint32Array): void {
  const W = wordsFor(n);
  if (s.full) {
    out.fill(0xffffffff, 0, W);
    if (W > 0) out[W - 1] = lastWordMask(n);
  } else out.fill(0, 0, W);
  for (let i = 0; i < s.idx.length; i++) out[s.idx[i]!] = s.val[i]!;
}

/**
 * Interned sparse bitsets over `n` bits: equal (fill, words) get one id, so memory grows with
 * distinct rows. Entries live in shared typed-array slabs, not one array each, so that the
 * garbage collector sees a handful of buffers whatever the cluster size. Ids never change.
 *
 * Equal sets built with different fills get different ids: consumers may use equal ids as
 * "same set", never different ids as "different sets".
 */
export class SparsePool {
  readonly n: number;
  readonly width: number;
  readonly lastMask: number;
  private count = 0;
  private used = 0;
  private fullOf = new Uint8Array(64);
  private startOf = new Int32Array(64);
  private lenOf = new Int32Array(64);
  private hashOf = new Int32Array(64);
  private nextOf = new Int32Array(64);
  private idxSlab = new Int32Array(256);
  private valSlab = new Uint32Array(256);
  private readonly head = new Map<number, number>();

  constructor(n: number) {
    this.n = n;
    this.width = wordsFor(n);
    this.lastMask = lastWordMask(n);
  }

  get size(): number {
    return this.count;
  }

  /** A copy holding the first `size` entries (to branch off without disturbing this pool). */
  copy(size = this.count): SparsePool {
    const p = new SparsePool(this.n);
    const used = size === 0 ? 0 : this.startOf[size - 1]! + this.lenOf[size - 1]!;
    p.fullOf = this.fullOf.slice(0, Math.max(64, size));
    p.startOf = this.startOf.slice(0, Math.max(64, size));
    p.lenOf = this.lenOf.slice(0, Math.max(64, size));
    p.hashOf = this.hashOf.slice(0, Math.max(64, size));
    p.nextOf = new Int32Array(Math.max(64, size));
    p.idxSlab = this.idxSlab.slice(0, Math.max(256, used));
    p.valSlab = this.valSlab.slice(0, Math.max(256, used));
    p.count = size;
    p.used = used;
    for (let id = 0; id < size; id++) p.link(id, p.hashOf[id]!);
    return p;
  }

  private link(id: number, h: number): void {
    this.nextOf[id] = this.head.get(h) ?? -1;
    this.head.set(h, id);
  }

  /** Whether the set `id` is full-filled. */
  isFull(id: number): boolean {
    return this.fullOf[id] === 1;
  }

  /** Start of the set's listed words in {@link words}/{@link values}. */
  start(id: number): number {
    return this.startOf[id]!;
  }

  /** Number of listed words of the set. */
  length(id: number): number {
    return this.lenOf[id]!;
  }

  /** The word-index slab (read-only for callers; valid until the next intern). */
  get words(): Int32Array {
    return this.idxSlab;
  }

  /** The word-value slab (read-only for callers; valid until the next intern). */
  get values(): Uint32Array {
    return this.valSlab;
  }

  /** The fill word at word index `w` of a set. */
  fillWord(full: boolean, w: number): number {
    return full ? (w === this.width - 1 ? this.lastMask : 0xffffffff) : 0;
  }

  /** Whether bit `bit` is set in set `id`. */
  has(id: number, bit: number): boolean {
    const w = bit >>> 5;
    let lo = this.startOf[id]!;
    let hi = lo + this.lenOf[id]! - 1;
    const idx = this.idxSlab;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const x = idx[mid]!;
      if (x === w) return ((this.valSlab[mid]! >>> (bit & 31)) & 1) === 1;
      if (x < w) lo = mid + 1;
      else hi = mid - 1;
    }
    return this.fullOf[id] === 1;
  }

  /** The set as a {@link SparseBits} (views on the slabs: valid until the next intern). */
  get(id: number): SparseBits {
    const s = this.startOf[id]!;
    const e = s + this.lenOf[id]!;
    return { full: this.fullOf[id] === 1, idx: this.idxSlab.subarray(s, e), val: this.valSlab.subarray(s, e) };
  }

  /** The id of the set (fill, idx[0..len), val[0..len)), adding it if new. `idx` must be ascending. */
  intern(full: boolean, idx: ArrayLike<number>, val: ArrayLike<number>, len: number): number {
    let h = full ? 0x9e3779b9 : 0x811c9dc5;
    for (let i = 0; i < len; i++) {
      h = Math.imul(h ^ idx[i]!, 0x01000193);
      h = Math.imul(h ^ val[i]!, 0x01000193);
    }
    h |= 0;
    const f = full ? 1 : 0;
    for (let id = this.head.get(h) ?? -1; id >= 0; id = this.nextOf[id]!) {
      if (this.fullOf[id] !== f || this.lenOf[id] !== len) continue;
      const s = this.startOf[id]!;
      let same = true;
      for (let i = 0; i < len && same; i++)
        same = this.idxSlab[s + i] === idx[i] && this.valSlab[s + i] === val[i]! >>> 0;
      if (same) return id;
    }
    const id = this.count++;
    if (id >= this.fullOf.length) {
      const grow = <T extends Uint8Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.fullOf = grow(this.fullOf);
      this.startOf = grow(this.startOf);
      this.lenOf = grow(this.lenOf);
      this.hashOf = grow(this.hashOf);
      this.nextOf = grow(this.nextOf);
    }
    if (this.used + len > this.idxSlab.length) {
      const cap = Math.max(this.idxSlab.length * 2, this.used + len);
      const idxSlab = new Int32Array(cap);
      idxSlab.set(this.idxSlab);
      const valSlab = new Uint32Array(cap);
      valSlab.set(this.valSlab);
      this.idxSlab = idxSlab;
      this.valSlab = valSlab;
    }
    for (let i = 0; i < len; i++) {
      this.idxSlab[this.used + i] = idx[i]!;
      this.valSlab[this.used + i] = val[i]!;
    }
    this.fullOf[id] = f;
    this.startOf[id] = this.used;
    this.lenOf[id] = len;
    this.hashOf[id] = h;
    this.used += len;
    this.link(id, h);
    return id;
  }

  /**
   * This pool's sets over `n` (more) bits, where each new bit `c` (a class split off) takes the
   * value of bit `parent`: a new pool, and the new id of every id of this one.
   */
  withSplits(n: number, splits: readonly (readonly [number, number])[]): { pool: SparsePool; map: Int32Array } {
    const pool = new SparsePool(n);
    const map = new Int32Array(this.count);
    const words = new Map<number, number>();
    const idx: number[] = [];
    const val: number[] = [];
    for (let id = 0; id < this.count; id++) {
      const full = this.fullOf[id] === 1;
      const s = this.startOf[id]!;
      words.clear();
      for (let i = s; i < s + this.lenOf[id]!; i++) words.set(this.idxSlab[i]!, this.valSlab[i]!);
      for (const [c, parent] of splits) {
        const w = c >>> 5;
        // Words that did not exist held no bits; otherwise start from the old fill.
        let v = words.get(w) ?? (w < this.width ? this.fillWord(full, w) : 0);
        v = this.has(id, parent) ? (v | (1 << (c & 31))) >>> 0 : (v & ~(1 << (c & 31))) >>> 0;
        words.set(w, v);
      }
      idx.length = 0;
      val.length = 0;
      for (const w of [...words.keys()].sort((a, b) => a - b)) {
        const v = words.get(w)!;
        if (v !== pool.fillWord(full, w)) {
          idx.push(w);
          val.push(v);
        }
      }
      map[id] = pool.intern(full, idx, val, idx.length);
    }
    return { pool, map };
  }
}
