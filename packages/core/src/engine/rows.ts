/**
 * Rows of the class engine: for each (subject class, direction), the peer classes allowed on
 * each port atom. Peer bitsets are interned, so memory grows with distinct bitsets, and each
 * row is one id per atom.
 */
import type { CompiledPolicy, Direction, PortMatch, Rule, TierPipeline } from '../policy/ir.js';
import type { Protocol } from '../model/types.js';
import type { Analysis } from './analysis.js';
import type { PortAtoms } from './atoms.js';
import { BitsetPool, fullBitset, setBit } from './bitset.js';

interface Piece {
  readonly mask: Uint32Array;
  /** Atom indices, or null for every atom. */
  readonly atoms: readonly number[] | null;
}

type NamedPort = Extract<PortMatch, { kind: 'named' }>;

function atomsEqual(a: PortAtoms, b: PortAtoms): boolean {
  if (a.size !== b.size) return false;
  return a.atoms.every((x, i) => x.protocol === b.atoms[i]!.protocol && x.start === b.atoms[i]!.start);
}

/** Builds and stores the rows of an analysis. */
export class RowBuilder {
  private readonly a: Analysis;
  private readonly pipeline: TierPipeline;
  private readonly atoms: PortAtoms;
  private readonly W: number;
  private readonly pool: BitsetPool;
  /** Every peer class: where each row starts, before any rule decides. */
  private readonly allClasses: Uint32Array;
  private readonly rowsOf: Record<Direction, (Int32Array | null)[]>;

  private readonly peerMasks = new Map<number, Uint32Array>();
  private readonly egressPieces = new Map<Rule, Piece[]>();
  private readonly ingressPieces = new Map<Rule, Piece[]>();
  private readonly namedGroups = new Map<string, { mask: Uint32Array; ports: (readonly [Protocol, number])[] }[]>();
  /** Per class: the selecting policies, in tier and evaluation order, with their tier index. */
  private readonly classPolicies: { tier: number; policy: CompiledPolicy }[][];

  constructor(a: Analysis, reuse?: { previous: RowBuilder; previousAtoms: PortAtoms; dirty: ReadonlySet<number> }) {
    this.a = a;
    this.pipeline = a.pipeline;
    this.atoms = a.atoms;
    this.W = a.wordCount;
    this.allClasses = fullBitset(a.classCount);
    this.classPolicies = Array.from({ length: a.classCount }, () => []);
    this.pipeline.tiers.forEach((tier, t) => {
      for (const policy of tier.policies) {
        const pid = a.predicates.subjectOf.get(policy)!;
        for (const c of a.predicateClasses[pid]!) this.classPolicies[c]!.push({ tier: t, policy });
      }
    });
    this.rowsOf = { egress: [], ingress: [] };
    const carry = reuse !== undefined && reuse.previous.W === this.W;
    this.pool = new BitsetPool(this.W, carry ? reuse.previous.pool : undefined);
    if (carry) {
      // The interned bitsets were carried over (copied, so the earlier analysis is left as it
      // was); carry over every clean row too, re-indexed if the port atoms were re-cut.
      const prev = reuse.previous;

      const sameAtoms = atomsEqual(reuse.previousAtoms, this.atoms);
      const remap = sameAtoms
        ? undefined
        : Int32Array.from(this.atoms.atoms, (atom) => reuse.previousAtoms.indexOf(atom.protocol, atom.start));
      for (let c = 0; c < a.classCount; c++)
        for (const d of ['egress', 'ingress'] as const) {
          const old = prev.rowsOf[d][c];
          if (reuse.dirty.has(c) || old === undefined) this.rowsOf[d].push(this.computeRow(c, d));
          else if (old === null || remap === undefined) this.rowsOf[d].push(old);
          else this.rowsOf[d].push(Int32Array.from(remap, (at) => old[at]!));
        }
      return;
    }
    for (let c = 0; c < a.classCount; c++) {
      this.rowsOf.egress.push(this.computeRow(c, 'egress'));
      this.rowsOf.ingress.push(this.computeRow(c, 'ingress'));
    }
  }

  get poolSize(): number {
    return this.pool.size;
  }

  /** Whether the subject class allows the peer class on an atom in a direction. */
  allows(direction: Direction, subject: number, atom: number, peer: number): boolean {
    const row = this.rowsOf[direction][subject];
    if (row === null || row === undefined) return true;
    const bits = this.pool.get(row[atom]!);
    return ((bits[peer >>> 5]! >>> (peer & 31)) & 1) === 1;
  }

  /** The allowed peer bitset (null: all). */
  bits(direction: Direction, subject: number, atom: number): Uint32Array | null {
    const row = this.rowsOf[direction][subject];
    if (row === null || row === undefined) return null;
    return this.pool.get(row[atom]!);
  }

  private peerMask(pid: number): Uint32Array {
    let m = this.peerMasks.get(pid);
    if (m === undefined) {
      m = new Uint32Array(this.W);
      for (const c of this.a.predicateClasses[pid]!) setBit(m, c);
      this.peerMasks.set(pid, m);
    }
    return m;
  }

  private ruleMask(rule: Rule): Uint32Array {
    const pids = this.a.predicates.peersOf.get(rule)!;
    if (pids.length === 1) return this.peerMask(pids[0]!);
    const m = new Uint32Array(this.W);
    for (const pid of pids) {
      const pm = this.peerMask(pid);
      for (let w = 0; w < m.length; w++) m[w]! |= pm[w]!;
    }
    return m;
  }

  private containerPorts(c: number, name: string): (readonly [Protocol, number])[] {
    const e = this.a.endpointOfClass(c);
    return e.kind === 'pod'
      ? e.pod.ports.filter((cp) => cp.name === name).map((cp) => [cp.protocol, cp.port] as const)
      : [];
  }

  /** Classes grouped by how they resolve a named port. */
  private groups(name: string): { mask: Uint32Array; ports: (readonly [Protocol, number])[] }[] {
    let g = this.namedGroups.get(name);
    if (g === undefined) {
      const byKey = new Map<string, { mask: Uint32Array; ports: (readonly [Protocol, number])[] }>();
      for (let c = 0; c < this.a.classCount; c++) {
        const ports = this.containerPorts(c, name);
        if (ports.length === 0) continue;
        const key = ports.map(([p, n]) => `${p}:${n}`).join('+');
        let entry = byKey.get(key);
        if (entry === undefined) {
          entry = { mask: new Uint32Array(this.W), ports };
          byKey.set(key, entry);
        }
        setBit(entry.mask, c);
      }
      g = [...byKey.values()];
      this.namedGroups.set(name, g);
    }
    return g;
  }

  private namedAtoms(m: NamedPort, ports: readonly (readonly [Protocol, number])[]): number[] {
    const out: number[] = [];
    for (const [p, n] of ports) if (m.protocol === null || m.protocol === p) out.push(this.atoms.indexOf(p, n));
    return out;
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
    // Ingress: the destination is the subject itself, so named ports resolve on it.
    const out = [...shared];
    const mask = this.ruleMask(rule);
    for (const m of rule.ports)
      if (m.kind === 'named') {
        const atoms = this.namedAtoms(m, this.containerPorts(subject, m.name));
        if (atoms.length > 0) out.push({ mask, atoms });
      }
    return out;
  }

  private sharedPieces(rule: Rule, direction: Direction): Piece[] {
    const mask = this.ruleMask(rule);
    if (rule.ports === null) return [{ mask, atoms: null }];
    const out: Piece[] = [];
    const numeric = new Set<number>();
    for (const m of rule.ports) {
      if (m.kind === 'range') for (const at of this.atoms.range(m.protocol, m.start, m.end)) numeric.add(at);
      else if (direction === 'egress') {
        for (const g of this.groups(m.name)) {
          const atoms = this.namedAtoms(m, g.ports);
          if (atoms.length === 0) continue;
          const gm = new Uint32Array(this.W);
          let any = 0;
          for (let w = 0; w < gm.length; w++) any |= gm[w] = mask[w]! & g.mask[w]!;
          if (any !== 0) out.push({ mask: gm, atoms });
        }
      }
    }
    if (numeric.size > 0) out.push({ mask, atoms: [...numeric] });
    return out;
  }

  /** Scratch buffers reused across rows (grown on demand). */
  private scratch = { undecided: new Uint32Array(0), allowed: new Uint32Array(0), passed: new Uint32Array(0) };
  private slotOf: Int32Array = new Int32Array(0);

  private computeRow(subject: number, direction: Direction): Int32Array | null {
    if (this.a.endpointOfClass(subject).kind !== 'pod') return null;
    const all = this.classPolicies[subject]!;
    let any = false;
    for (const x of all) if ((direction === 'ingress' ? x.policy.ingress : x.policy.egress) !== undefined) any = true;
    if (!any) return null;

    // Pieces per tier, and the atoms some rule names explicitly: every other atom behaves alike.
    if (this.slotOf.length !== this.atoms.size) this.slotOf = new Int32Array(this.atoms.size).fill(-1);
    const slotOf = this.slotOf;
    const localAtoms: number[] = [];
    const tiers: { tier: number; pieces: { action: Rule['action']; piece: Piece }[] }[] = [];
    for (const { tier, policy } of all) {
      const rules = direction === 'ingress' ? policy.ingress : policy.egress;
      if (rules === undefined) continue;
      let entry = tiers[tiers.length - 1];
      if (entry === undefined || entry.tier !== tier) {
        entry = { tier, pieces: [] };
        tiers.push(entry);
      }
      for (const rule of rules)
        for (const piece of this.pieces(rule, subject, direction)) {
          entry.pieces.push({ action: rule.action, piece });
          if (piece.atoms !== null)
            for (const at of piece.atoms)
              if (slotOf[at] === -1) {
                slotOf[at] = localAtoms.length;
                localAtoms.push(at);
              }
        }
    }
    const K = localAtoms.length + 1; // the last slot stands for every atom not named explicitly
    const W = this.W;
    const size = K * W;
    if (this.scratch.undecided.length < size) {
      const n = Math.max(size, this.scratch.undecided.length * 2);
      this.scratch = { undecided: new Uint32Array(n), allowed: new Uint32Array(n), passed: new Uint32Array(n) };
    }
    const { undecided, allowed, passed } = this.scratch;
    for (let k = 0; k < K; k++) undecided.set(this.allClasses, k * W);
    allowed.fill(0, 0, size);

    for (const { tier: t, pieces } of tiers) {
      const tier = this.pipeline.tiers[t]!;
      if (tier.evaluation === 'first-match') {
        passed.fill(0, 0, size);
        for (const { action, piece } of pieces) {
          const apply = (k: number): void => {
            const o = k * W;
            const mask = piece.mask;
            for (let w = 0; w < W; w++) {
              const cells = undecided[o + w]! & ~passed[o + w]! & mask[w]!;
              if (cells === 0) continue;
              if (action === 'Allow') {
                allowed[o + w]! |= cells;
                undecided[o + w]! &= ~cells;
              } else if (action === 'Deny') undecided[o + w]! &= ~cells;
              else passed[o + w]! |= cells;
            }
          };
          if (piece.atoms === null) for (let k = 0; k < K; k++) apply(k);
          else for (const at of piece.atoms) apply(slotOf[at]!);
        }
        if (tier.whenSelectedNoMatch === 'deny') for (let i = 0; i < size; i++) undecided[i]! &= passed[i]!;
      } else {
        // Any-allow: a matching Deny wins over any matching Allow.
        for (const want of ['Deny', 'Allow'] as const)
          for (const { action, piece } of pieces) {
            if (action !== want) continue;
            const apply = (k: number): void => {
              const o = k * W;
              const mask = piece.mask;
              for (let w = 0; w < W; w++) {
                const cells = undecided[o + w]! & mask[w]!;
                if (want === 'Allow') allowed[o + w]! |= cells;
                undecided[o + w]! &= ~cells;
              }
            };
            if (piece.atoms === null) for (let k = 0; k < K; k++) apply(k);
            else for (const at of piece.atoms) apply(slotOf[at]!);
          }
        if (tier.whenSelectedNoMatch === 'deny') undecided.fill(0, 0, size);
      }
    }
    for (let i = 0; i < size; i++) allowed[i]! |= undecided[i]!;
    const row = new Int32Array(this.atoms.size).fill(this.pool.intern(allowed, (K - 1) * W));
    for (let k = 0; k < localAtoms.length; k++) {
      const at = localAtoms[k]!;
      row[at] = this.pool.intern(allowed, k * W);
      slotOf[at] = -1;
    }
    return row;
  }
}
