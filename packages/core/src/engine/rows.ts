/**
 * Rows of the class engine: for each (subject class, direction), the peer classes allowed on
 * each port atom. Rows are sparse bitsets interned in one {@link SparsePool}, so memory grows
 * with distinct rows and the words they touch, and each row is one id per atom.
 */
import type { CompiledPolicy, Direction, PortMatch, Rule, TierPipeline } from '../policy/ir.js';
import type { ContainerPort, Protocol } from '../model/types.js';
import type { Analysis } from './analysis.js';
import type { PortAtoms } from './atoms.js';
import { flat } from '../model/flat.js';
import { sameContainerPorts } from '../model/ports.js';
import { containerPortsKey } from './endpoints.js';
import { type SparseBits, SparsePool, sparseFromBits, sparseFromDense, sparseToDense } from './bitset.js';

interface Piece {
  readonly mask: SparseBits;
  /** Atom indices, or null for every atom. */
  readonly atoms: readonly number[] | null;
}

type NamedPort = Extract<PortMatch, { kind: 'named' }>;

function atomsEqual(a: PortAtoms, b: PortAtoms): boolean {
  if (a.size !== b.size) return false;
  return a.atoms.every((x, i) => x.protocol === b.atoms[i]!.protocol && x.start === b.atoms[i]!.start);
}

const ALL_SET = 0xffffffff;

/** Rule actions as small integers, for the row loops. */
const ALLOW = 0;
const DENY = 1;
const PASS = 2;
const ACTION_CODE: Readonly<Record<Rule['action'], number>> = { Allow: ALLOW, Deny: DENY, Pass: PASS };

/**
 * The hot loops of a row live in small functions of their own: V8 optimises them within the
 * first rows, where one large method took 50–80 ms of background compiling (sometimes twice)
 * while the rows of a short run were computed in slower code meanwhile.
 */

/** Sort the first `n` entries (usually a handful: insertion sort; a typed-array sort allocates). */
function sortSmall(a: Int32Array, n: number): void {
  if (n > 32) {
    a.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const w = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > w) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = w;
  }
}

/** Spread a sparse mask over the positions (the listed words at `posOf`, then the stand-in). */
function expandMask(m: SparseBits, mask: Uint32Array, uLen: number, lastMask: number, posOf: Int32Array): void {
  const fill = m.full ? ALL_SET : 0;
  mask.fill(fill, 0, uLen);
  if (m.full) mask[uLen - 1] = lastMask;
  mask[uLen] = fill;
  const { idx, val } = m;
  for (let i = 0; i < idx.length; i++) mask[posOf[idx[i]!]!] = val[i]!;
}

/** Apply one piece to the P positions of one atom slot starting at `o`. */
function applyPiece(
  action: number,
  o: number,
  P: number,
  mask: Uint32Array,
  undecided: Uint32Array,
  allowed: Uint32Array,
  passed: Uint32Array,
): void {
  for (let i = 0; i < P; i++) {
    const cells = undecided[o + i]! & ~passed[o + i]! & mask[i]!;
    if (cells === 0) continue;
    if (action === ALLOW) {
      allowed[o + i]! |= cells;
      undecided[o + i]! &= ~cells;
    } else if (action === DENY) undecided[o + i]! &= ~cells;
    else passed[o + i]! |= cells;
  }
}

/** Builds and stores the rows of an analysis. */
export class RowBuilder {
  private readonly a: Analysis;
  private readonly pipeline: TierPipeline;
  private readonly atoms: PortAtoms;
  private readonly C: number;
  private readonly W: number;
  /** The interned rows; shared with the analysis this one was updated from while neither diverges. */
  readonly pool: SparsePool;
  /** Pool size when this builder was done: a later builder may share the pool only if it is still this size. */
  private readonly poolEnd: number;
  /** Per direction, `ids[c * atoms + atom]`: the row's pool id, -1 when the class has no row (all allowed). */
  private readonly ids: Record<Direction, Int32Array>;

  private readonly peerMasks = new Map<number, SparseBits>();
  private readonly egressPieces = new Map<Rule, Piece[]>();
  private readonly ingressPieces = new Map<Rule, Piece[]>();
  private readonly namedPieces = new Map<Rule, Map<string, Piece[]>>();
  private readonly namedGroups = new Map<string, { mask: SparseBits; ports: (readonly [Protocol, number])[] }[]>();
  /** Per class: the selecting policies, in tier and evaluation order, with their tier index. */
  private readonly classPolicyCache: ({ tier: number; policy: CompiledPolicy }[] | undefined)[] = [];
  /** Policies by subject predicate, in evaluation order, with their position in the pipeline. */
  private readonly bySubject = new Map<number, { tier: number; policy: CompiledPolicy; order: number }[]>();

  /** The policies that select a class, in tier and evaluation order (computed on first use). */
  selectingPolicies(c: number): readonly { tier: number; policy: CompiledPolicy }[] {
    let list = this.classPolicyCache[c];
    if (list === undefined) {
      const found: { tier: number; policy: CompiledPolicy; order: number }[] = [];
      const preds = this.a.classPredicates[c]!;
      for (let i = 0; i < preds.length; i++) {
        const l = this.bySubject.get(preds[i]!);
        if (l !== undefined) for (let k = 0; k < l.length; k++) found.push(l[k]!);
      }
      found.sort((x, y) => x.order - y.order);
      list = found.slice(); // kept: sized exactly (a pushed array keeps room for 17)
      this.classPolicyCache[c] = list;
    }
    return list;
  }

  constructor(
    a: Analysis,
    reuse?: {
      previous: RowBuilder;
      previousAtoms: PortAtoms;
      dirty: ReadonlySet<number>;
      /** Classes split off since the previous analysis, with their parent (see `SparsePool.withSplits`). */
      splits?: readonly (readonly [number, number])[];
    },
  ) {
    this.a = a;
    this.pipeline = a.pipeline;
    this.atoms = a.atoms;
    this.C = a.classCount;
    this.W = a.wordCount;
    this.dense = new Uint32Array(this.W);
    this.mark = new Int32Array(this.W);
    this.posOf = new Int32Array(this.W);
    this.pipeline.tiers.forEach((tier, t) => {
      for (const policy of tier.policies) {
        const order = this.policyIndex.size;
        this.policyIndex.set(policy, order);
        const pid = a.predicates.subjectOf.get(policy)!;
        const l = this.bySubject.get(pid);
        if (l === undefined) this.bySubject.set(pid, [{ tier: t, policy, order }]);
        else l.push({ tier: t, policy, order });
      }
    });
    const A = this.atoms.size;
    this.ids = { egress: new Int32Array(this.C * A), ingress: new Int32Array(this.C * A) };
    const prev = reuse?.previous;
    const splits = reuse?.splits ?? [];
    if (reuse !== undefined && prev !== undefined && prev.C + splits.length === this.C) {
      // With classes split off, the rows gain their bits (a copy of the parent's); otherwise share
      // the pool when no other analysis has added to it since, or branch off a copy.
      let map: Int32Array | undefined;
      if (splits.length > 0) ({ pool: this.pool, map } = prev.pool.withSplits(this.C, splits));
      else this.pool = prev.pool.size === prev.poolEnd ? prev.pool : prev.pool.copy(prev.poolEnd);
      // Carry over every clean row, re-indexed if the port atoms were re-cut.
      const pA = reuse.previousAtoms.size;
      const remap = atomsEqual(reuse.previousAtoms, this.atoms)
        ? undefined
        : Int32Array.from(this.atoms.atoms, (atom) => reuse.previousAtoms.indexOf(atom.protocol, atom.start));
      for (const d of ['egress', 'ingress'] as const) {
        const old = prev.ids[d];
        const ids = this.ids[d];
        if (remap === undefined && map === undefined) ids.set(old);
        else
          for (let c = 0; c < prev.C; c++)
            for (let at = 0; at < A; at++) {
              const id = old[c * pA + (remap === undefined ? at : remap[at]!)]!;
              ids[c * A + at] = id < 0 || map === undefined ? id : map[id]!;
            }
        for (const [c, parent] of splits) ids.copyWithin(c * A, parent * A, parent * A + A);
        for (const c of reuse.dirty) this.computeRow(c, d);
      }
    } else {
      this.pool = new SparsePool(this.C);
      for (let c = 0; c < this.C; c++) {
        this.computeRow(c, 'egress');
        this.computeRow(c, 'ingress');
      }
    }
    this.poolEnd = this.pool.size;
  }

  get poolSize(): number {
    return this.poolEnd;
  }

  /** Every row id of a direction, at `[subject * atoms + atom]` (read-only: the builder's own array). */
  rowIds(direction: Direction): Int32Array {
    return this.ids[direction];
  }

  /** The row's pool id for a subject class, direction and atom; -1: every peer allowed. */
  rowId(direction: Direction, subject: number, atom: number): number {
    return this.ids[direction][subject * this.atoms.size + atom]!;
  }

  /** Whether the subject class allows the peer class on an atom in a direction. */
  allows(direction: Direction, subject: number, atom: number, peer: number): boolean {
    const id = this.rowId(direction, subject, atom);
    return id < 0 || this.pool.has(id, peer);
  }

  private peerMask(pid: number): SparseBits {
    let m = this.peerMasks.get(pid);
    if (m === undefined) {
      m = sparseFromBits(this.a.predicateClasses[pid]!, this.C, this.dense);
      this.peerMasks.set(pid, m);
    }
    return m;
  }

  private ruleMask(rule: Rule): SparseBits {
    const pids = this.a.predicates.peersOf.get(rule)!;
    if (pids.length === 1) return this.peerMask(pids[0]!);
    const acc = new Uint32Array(this.W);
    const one = this.dense;
    for (const pid of pids) {
      sparseToDense(this.peerMask(pid), this.C, one);
      for (let w = 0; w < this.W; w++) acc[w]! |= one[w]!;
    }
    return sparseFromDense(acc, this.C);
  }

  private containerPorts(c: number, name: string): (readonly [Protocol, number])[] {
    const e = this.a.endpointOfClass(c);
    return e.kind === 'pod'
      ? e.pod.ports.filter((cp) => cp.name === name).map((cp) => [cp.protocol, cp.port] as const)
      : [];
  }

  /** Classes grouped by how they resolve a named port. */
  private groups(name: string): { mask: SparseBits; ports: (readonly [Protocol, number])[] }[] {
    let g = this.namedGroups.get(name);
    if (g === undefined) {
      const byKey = new Map<string, { classes: number[]; ports: (readonly [Protocol, number])[] }>();
      for (let c = 0; c < this.a.classCount; c++) {
        const ports = this.containerPorts(c, name);
        if (ports.length === 0) continue;
        const key = ports.map(([p, n]) => `${p}:${n}`).join('+');
        let entry = byKey.get(key);
        if (entry === undefined) {
          entry = { classes: [], ports };
          byKey.set(key, entry);
        }
        entry.classes.push(c);
      }
      g = [...byKey.values()].map((x) => ({ mask: sparseFromBits(x.classes, this.C, this.dense), ports: x.ports }));
      this.namedGroups.set(name, g);
    }
    return g;
  }

  private namedAtoms(m: NamedPort, ports: readonly (readonly [Protocol, number])[]): number[] {
    // Kept in the row pieces: `filter` then `map` size the array exactly.
    return ports.filter(([p]) => m.protocol === null || m.protocol === p).map(([p, n]) => this.atoms.indexOf(p, n));
  }

  /**
   * Where a rule matches, for a subject class and direction: (peer mask, atoms) pieces.
   * Everything but ingress named ports is independent of the subject and cached per rule.
   */
  private pieces(rule: Rule, subject: number, direction: Direction): readonly Piece[] {
    const cache = direction === 'egress' ? this.egressPieces : this.ingressPieces;
    let shared = cache.get(rule);
    if (shared === undefined) {
      shared = this.sharedPieces(rule, direction);
      cache.set(rule, shared);
    }
    if (direction === 'egress' || rule.ports === null || !rule.ports.some((m) => m.kind === 'named')) return shared;
    // Ingress: the destination is the subject itself, so named ports resolve on it (cached per
    // rule and set of container ports).
    const e = this.a.endpointOfClass(subject);
    const portsKey = e.kind === 'pod' ? containerPortsKey(e.pod) : '';
    let byPorts = this.namedPieces.get(rule);
    if (byPorts === undefined) this.namedPieces.set(rule, (byPorts = new Map()));
    let out = byPorts.get(portsKey);
    if (out === undefined) {
      out = [...shared];
      const mask = this.ruleMask(rule);
      for (const m of rule.ports)
        if (m.kind === 'named') {
          const atoms = this.namedAtoms(m, this.containerPorts(subject, m.name));
          if (atoms.length > 0) out.push({ mask, atoms });
        }
      byPorts.set(flat(portsKey), out); // kept with the builder: flat (see model/flat.ts)
    }
    return out;
  }

  private sharedPieces(rule: Rule, direction: Direction): Piece[] {
    const mask = this.ruleMask(rule);
    if (rule.ports === null) return [{ mask, atoms: null }];
    const out: Piece[] = [];
    const numeric = new Set<number>();
    let dense: Uint32Array | undefined; // the rule's mask written out, for its named ports
    for (const m of rule.ports) {
      if (m.kind === 'range') for (const at of this.atoms.range(m.protocol, m.start, m.end)) numeric.add(at);
      else if (direction === 'egress') {
        if (dense === undefined) sparseToDense(mask, this.C, (dense = new Uint32Array(this.W)));
        const other = this.dense;
        for (const g of this.groups(m.name)) {
          const atoms = this.namedAtoms(m, g.ports);
          if (atoms.length === 0) continue;
          sparseToDense(g.mask, this.C, other);
          let any = 0;
          for (let w = 0; w < this.W; w++) any |= other[w]! &= dense[w]!;
          if (any !== 0) out.push({ mask: sparseFromDense(other, this.C), atoms });
        }
      }
    }
    if (numeric.size > 0) out.push({ mask, atoms: [...numeric] });
    return out;
  }

  /** Scratch buffers reused across rows (grown on demand). */
  private readonly dense: Uint32Array;
  private scratch = {
    undecided: new Uint32Array(0),
    allowed: new Uint32Array(0),
    passed: new Uint32Array(0),
    mask: new Uint32Array(0),
  };
  private slotOf: Int32Array = new Int32Array(0);
  /** Words some piece of the current row lists: `mark[w] === stamp`, at position `posOf[w]`. */
  private readonly mark: Int32Array;
  private readonly posOf: Int32Array;
  private stamp = 0;
  private uBuf = new Int32Array(0);
  private localAtoms = new Int32Array(0);
  private readonly rowPieces: Piece[] = [];
  private readonly rowActions: number[] = [];
  /** Pairs (tier index, first piece) of the current row. */
  private readonly rowTiers: number[] = [];
  /** Classes whose rows this builder computed, by a hash of what they depend on (see computeRow). */
  private readonly rowsByHash = new Map<number, number[]>();
  private readonly namedRules = new WeakMap<readonly Rule[], boolean>();

  /** Whether some rule of the list has a named port. */
  private hasNamedPorts(rules: readonly Rule[]): boolean {
    let v = this.namedRules.get(rules);
    if (v === undefined) {
      v = rules.some((r) => r.ports !== null && r.ports.some((m) => m.kind === 'named'));
      this.namedRules.set(rules, v);
    }
    return v;
  }

  private portsOf(c: number): readonly ContainerPort[] {
    const e = this.a.endpointOfClass(c);
    return e.kind === 'pod' ? e.pod.ports : [];
  }

  /**
   * Whether two classes have the same row in a direction: the same selecting policies with rules
   * in that direction, in the same order, and (for ingress named ports) the same container ports.
   */
  private sameInputs(a: number, b: number, direction: Direction, ports: readonly ContainerPort[] | undefined): boolean {
    const pa = this.selectingPolicies(a);
    const pb = this.selectingPolicies(b);
    let i = 0;
    let j = 0;
    const has = (x: { policy: CompiledPolicy }): boolean =>
      (direction === 'ingress' ? x.policy.ingress : x.policy.egress) !== undefined;
    for (;;) {
      while (i < pa.length && !has(pa[i]!)) i++;
      while (j < pb.length && !has(pb[j]!)) j++;
      if (i === pa.length || j === pb.length) break;
      if (pa[i]!.policy !== pb[j]!.policy) return false;
      i++;
      j++;
    }
    if (i !== pa.length || j !== pb.length) return false;
    return ports === undefined || sameContainerPorts(ports, this.portsOf(b));
  }
  /** Position of each policy in the pipeline. */
  private readonly policyIndex = new Map<CompiledPolicy, number>();
  private outIdx = new Int32Array(16);
  private outVal = new Uint32Array(16);

  /**
   * Compute and store the row of a class in a direction. The computation runs over the words some
   * piece lists (U) plus one stand-in word for every other word: there every mask equals its fill,
   * so all those words end alike.
   */
  private computeRow(subject: number, direction: Direction): void {
    const A = this.atoms.size;
    const ids = this.ids[direction];
    const base = subject * A;
    if (this.a.endpointOfClass(subject).kind !== 'pod') {
      ids.fill(-1, base, base + A);
      return;
    }
    const all = this.selectingPolicies(subject);
    // A row depends only on the selecting policies with rules in this direction (and, for
    // ingress named ports, on the subject's container ports): classes alike share the result.
    let h = direction === 'egress' ? 0x811c9dc5 : 0x01000193;
    let count = 0;
    let named = false;
    for (let n = 0; n < all.length; n++) {
      const x = all[n]!;
      const rules = direction === 'ingress' ? x.policy.ingress : x.policy.egress;
      if (rules === undefined) continue;
      count++;
      h = Math.imul(h ^ this.policyIndex.get(x.policy)!, 0x01000193);
      if (direction === 'ingress' && !named) named = this.hasNamedPorts(rules);
    }
    if (count === 0) {
      ids.fill(-1, base, base + A);
      return;
    }
    const ports = named ? this.portsOf(subject) : undefined;
    if (ports !== undefined) for (const cp of ports) h = Math.imul(h ^ cp.port, 0x01000193);
    const candidates = this.rowsByHash.get(h);
    if (candidates !== undefined)
      for (const other of candidates)
        if (this.sameInputs(subject, other, direction, ports)) {
          ids.copyWithin(base, other * A, other * A + A);
          return;
        }
    if (candidates !== undefined) candidates.push(subject);
    else this.rowsByHash.set(h, [subject]);

    // Pieces per tier, and the atoms some rule names explicitly: every other atom behaves alike.
    if (this.slotOf.length !== A) this.slotOf = new Int32Array(A).fill(-1);
    if (this.localAtoms.length < A) this.localAtoms = new Int32Array(A);
    if (this.uBuf.length < this.W) this.uBuf = new Int32Array(this.W);
    this.collectPieces(all, subject, direction);
    const uLen = this.uLen;
    sortSmall(this.uBuf, uLen);
    const U = this.uBuf.subarray(0, uLen);
    // Positions 0 .. U.length - 1 are the listed words; the last of them is always word W - 1.
    const posOf = this.posOf;
    for (let i = 0; i < uLen; i++) posOf[U[i]!] = i;
    const P = uLen + 1; // positions: U, then the stand-in
    const K = this.nLocal + 1; // the last slot stands for every atom not named explicitly
    this.evaluate(K, P, U);
    ids.fill(this.internSlot(K - 1, P, U), base, base + A);
    const { slotOf, localAtoms } = this;
    for (let k = 0; k < this.nLocal; k++) {
      const at = localAtoms[k]!;
      ids[base + at] = this.internSlot(k, P, U);
      slotOf[at] = -1;
    }
  }

  /** Number of words listed in `uBuf` by {@link collectPieces}. */
  private uLen = 0;
  /** Number of atoms some piece of the current row names, in `localAtoms`. */
  private nLocal = 0;
  /** Number of pieces of the current row (in `rowPieces`, actions in `rowActions`). */
  private nPieces = 0;
  /** Number of entries of `rowTiers` (pairs). */
  private nTierAt = 0;

  /**
   * The current row's pieces, flat in evaluation order, with where each tier's start; the words
   * some piece lists (`uBuf`, unsorted) and the atoms some piece names (`localAtoms`, `slotOf`).
   */
  private collectPieces(
    all: readonly { tier: number; policy: CompiledPolicy }[],
    subject: number,
    direction: Direction,
  ): void {
    const { slotOf, localAtoms, rowPieces: pcs, rowActions: acts, rowTiers: tierAt, uBuf, mark } = this;
    const stamp = ++this.stamp;
    let nLocal = 0;
    let nPcs = 0;
    let nTierAt = 0;
    let uLen = 0;
    for (let n = 0; n < all.length; n++) {
      const { tier, policy } = all[n]!;
      const rules = direction === 'ingress' ? policy.ingress : policy.egress;
      if (rules === undefined) continue;
      if (nTierAt === 0 || tierAt[nTierAt - 2] !== tier) {
        tierAt[nTierAt++] = tier;
        tierAt[nTierAt++] = nPcs;
      }
      for (let r = 0; r < rules.length; r++) {
        const rule = rules[r]!;
        const rulePieces = this.pieces(rule, subject, direction);
        const action = ACTION_CODE[rule.action];
        for (let q = 0; q < rulePieces.length; q++) {
          const piece = rulePieces[q]!;
          pcs[nPcs] = piece;
          acts[nPcs++] = action;
          const idx = piece.mask.idx;
          for (let i = 0; i < idx.length; i++) {
            const w = idx[i]!;
            if (mark[w] !== stamp) {
              mark[w] = stamp;
              uBuf[uLen++] = w;
            }
          }
          if (piece.atoms !== null)
            for (let t = 0; t < piece.atoms.length; t++) {
              const at = piece.atoms[t]!;
              if (slotOf[at] === -1) {
                slotOf[at] = nLocal;
                localAtoms[nLocal++] = at;
              }
            }
        }
      }
    }
    // The last word is always explicit (its fill has fewer bits), so the stand-in is a whole word.
    const W = this.W;
    if (mark[W - 1] !== stamp) {
      mark[W - 1] = stamp;
      uBuf[uLen++] = W - 1;
    }
    this.uLen = uLen;
    this.nLocal = nLocal;
    this.nPieces = nPcs;
    this.nTierAt = nTierAt;
  }

  /**
   * Run the tiers over the current row's pieces: `scratch.allowed` gets, per atom slot (K) and
   * position (P: the listed words U, then the stand-in), the peers allowed.
   */
  private evaluate(K: number, P: number, U: Int32Array): void {
    const size = K * P;
    if (this.scratch.undecided.length < size || this.scratch.mask.length < P) {
      const n = Math.max(size, P, this.scratch.undecided.length * 2);
      this.scratch = {
        undecided: new Uint32Array(n),
        allowed: new Uint32Array(n),
        passed: new Uint32Array(n),
        mask: new Uint32Array(n),
      };
    }
    const { undecided, allowed, passed, mask } = this.scratch;
    const lastMask = this.pool.lastMask;
    const uLen = U.length;
    const rest = P - 1;
    for (let k = 0; k < K; k++) {
      const o = k * P;
      undecided.fill(ALL_SET, o, o + uLen);
      undecided[o + uLen - 1] = lastMask;
      undecided[o + rest] = ALL_SET;
    }
    allowed.fill(0, 0, size);
    const { rowPieces: pcs, rowActions: acts, rowTiers: tierAt, slotOf, posOf } = this;
    const nTierAt = this.nTierAt;
    for (let ti = 0; ti < nTierAt; ti += 2) {
      const tier = this.pipeline.tiers[tierAt[ti]!]!;
      const from = tierAt[ti + 1]!;
      const to = ti + 2 < nTierAt ? tierAt[ti + 3]! : this.nPieces;
      // Any-allow (a matching Deny wins over any matching Allow) is first-match over the Deny
      // pieces, then the Allow pieces.
      const anyAllow = tier.evaluation !== 'first-match';
      passed.fill(0, 0, size);
      for (let pass = anyAllow ? 0 : 1; pass < 2; pass++)
        for (let q = from; q < to; q++) {
          const action = acts[q]!;
          if (anyAllow && action !== (pass === 0 ? DENY : ALLOW)) continue;
          const piece = pcs[q]!;
          expandMask(piece.mask, mask, uLen, lastMask, posOf);
          const atoms = piece.atoms;
          if (atoms === null)
            for (let j = 0; j < K; j++) applyPiece(action, j * P, P, mask, undecided, allowed, passed);
          else
            for (let j = 0; j < atoms.length; j++)
              applyPiece(action, slotOf[atoms[j]!]! * P, P, mask, undecided, allowed, passed);
        }
      if (tier.whenSelectedNoMatch === 'deny') for (let i = 0; i < size; i++) undecided[i]! &= passed[i]!;
    }
    for (let i = 0; i < size; i++) allowed[i]! |= undecided[i]!;
  }

  /** Intern the allowed peers of atom slot `k`: the fill is the stand-in's value (when some word is not listed). */
  private internSlot(k: number, P: number, U: Int32Array): number {
    const allowed = this.scratch.allowed;
    const uLen = U.length;
    if (this.outIdx.length < uLen) {
      this.outIdx = new Int32Array(uLen * 2);
      this.outVal = new Uint32Array(uLen * 2);
    }
    const { outIdx, outVal } = this;
    const lastMask = this.pool.lastMask;
    const o = k * P;
    const full = uLen < this.W && allowed[o + P - 1] === ALL_SET;
    let n = 0;
    const fill = full ? ALL_SET : 0;
    for (let i = 0; i < uLen; i++) {
      const v = allowed[o + i]!;
      if (v !== (i === uLen - 1 && full ? lastMask : fill)) {
        outIdx[n] = U[i]!;
        outVal[n++] = v;
      }
    }
    return this.pool.intern(full, outIdx, outVal, n);
  }
}
