/**
 * Rows of the class engine: for each (subject class, direction), the peer classes allowed on
 * each port atom. Peer bitsets are interned, so memory grows with distinct bitsets, and each
 * row is one id per atom.
 */
import type { CompiledPolicy, Direction, PortMatch, Rule, TierPipeline } from '../policy/ir.js';
import type { Protocol } from '../model/types.js';
import type { Analysis } from './analysis.js';
import type { PortAtoms } from './atoms.js';

interface Piece {
  readonly mask: Uint32Array;
  /** Atom indices, or null for every atom. */
  readonly atoms: readonly number[] | null;
}

type NamedPort = Extract<PortMatch, { kind: 'named' }>;

function hashWords(words: Uint32Array, offset: number, length: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < length; i++) {
    h ^= words[offset + i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Builds and stores the rows of an analysis. */
export class RowBuilder {
  private readonly a: Analysis;
  private readonly pipeline: TierPipeline;
  private readonly atoms: PortAtoms;
  private readonly W: number;
  private readonly pool: Uint32Array[] = [];
  private readonly poolIndex = new Map<number, number[]>();
  private readonly rowsOf: Record<Direction, (Int32Array | null)[]>;
  private readonly peerMasks = new Map<number, Uint32Array>();
  private readonly namedGroups = new Map<string, { mask: Uint32Array; ports: (readonly [Protocol, number])[] }[]>();
  /** Per class: the selecting policies, in tier and evaluation order, with their tier index. */
  private readonly classPolicies: { tier: number; policy: CompiledPolicy }[][];

  constructor(a: Analysis) {
    this.a = a;
    this.pipeline = a.pipeline;
    this.atoms = a.atoms;
    this.W = a.wordCount;
    this.classPolicies = Array.from({ length: a.classCount }, () => []);
    this.pipeline.tiers.forEach((tier, t) => {
      for (const policy of tier.policies) {
        const pid = a.predicates.subjectOf.get(policy)!;
        for (const c of a.predicateClasses[pid]!) this.classPolicies[c]!.push({ tier: t, policy });
      }
    });
    this.rowsOf = { egress: [], ingress: [] };
    for (let c = 0; c < a.classCount; c++) {
      this.rowsOf.egress.push(this.computeRow(c, 'egress'));
      this.rowsOf.ingress.push(this.computeRow(c, 'ingress'));
    }
  }

  get poolSize(): number {
    return this.pool.length;
  }

  /** Whether the subject class allows the peer class on an atom in a direction. */
  allows(direction: Direction, subject: number, atom: number, peer: number): boolean {
    const row = this.rowsOf[direction][subject];
    if (row === null || row === undefined) return true;
    const bits = this.pool[row[atom]!]!;
    return ((bits[peer >>> 5]! >>> (peer & 31)) & 1) === 1;
  }

  /** The allowed peer bitset (null: all). */
  bits(direction: Direction, subject: number, atom: number): Uint32Array | null {
    const row = this.rowsOf[direction][subject];
    if (row === null || row === undefined) return null;
    return this.pool[row[atom]!]!;
  }

  private intern(words: Uint32Array, offset: number): number {
    const W = this.W;
    const h = hashWords(words, offset, W);
    const bucket = this.poolIndex.get(h);
    if (bucket !== undefined) {
      for (const id of bucket) {
        const b = this.pool[id]!;
        let same = true;
        for (let i = 0; i < W; i++)
          if (b[i] !== words[offset + i]) {
            same = false;
            break;
          }
        if (same) return id;
      }
    }
    const id = this.pool.length;
    this.pool.push(words.slice(offset, offset + W));
    if (bucket !== undefined) bucket.push(id);
    else this.poolIndex.set(h, [id]);
    return id;
  }

  private peerMask(pid: number): Uint32Array {
    let m = this.peerMasks.get(pid);
    if (m === undefined) {
      m = new Uint32Array(this.W);
      for (const c of this.a.predicateClasses[pid]!) m[c >>> 5]! |= 1 << (c & 31);
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
    return e.kind === 'pod' ? e.pod.ports.filter((cp) => cp.name === name).map((cp) => [cp.protocol, cp.port] as const) : [];
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
        entry.mask[c >>> 5]! |= 1 << (c & 31);
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

  /** Where a rule matches, for a subject class and direction: (peer mask, atoms) pieces. */
  private pieces(rule: Rule, subject: number, direction: Direction): Piece[] {
    const mask = this.ruleMask(rule);
    if (rule.ports === null) return [{ mask, atoms: null }];
    const out: Piece[] = [];
    const numeric: number[] = [];
    for (const m of rule.ports) {
      if (m.kind === 'range') numeric.push(...this.atoms.range(m.protocol, m.start, m.end));
      else if (direction === 'ingress') {
        // The destination is the subject itself.
        const atoms = this.namedAtoms(m, this.containerPorts(subject, m.name));
        if (atoms.length > 0) out.push({ mask, atoms });
      } else {
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
    if (numeric.length > 0) out.push({ mask, atoms: numeric });
    return out;
  }

  private computeRow(subject: number, direction: Direction): Int32Array | null {
    if (this.a.endpointOfClass(subject).kind !== 'pod') return null;
    const selecting = this.classPolicies[subject]!.filter(
      (x) => (direction === 'ingress' ? x.policy.ingress : x.policy.egress) !== undefined,
    );
    if (selecting.length === 0) return null;
    const rulesOf = (p: CompiledPolicy): readonly Rule[] => (direction === 'ingress' ? p.ingress : p.egress) ?? [];

    // Pieces per tier, and the atoms some rule names explicitly: every other atom behaves alike.
    const tiers: { tier: number; pieces: { action: Rule['action']; piece: Piece }[] }[] = [];
    const local = new Map<number, number>();
    for (const { tier, policy } of selecting) {
      let entry = tiers[tiers.length - 1];
      if (entry === undefined || entry.tier !== tier) {
        entry = { tier, pieces: [] };
        tiers.push(entry);
      }
      for (const rule of rulesOf(policy))
        for (const piece of this.pieces(rule, subject, direction)) {
          entry.pieces.push({ action: rule.action, piece });
          if (piece.atoms !== null) for (const at of piece.atoms) if (!local.has(at)) local.set(at, local.size);
        }
    }
    const K = local.size + 1; // the last slot stands for every atom not named explicitly
    const W = this.W;
    const undecided = new Uint32Array(K * W);
    const full = new Uint32Array(W).fill(0xffffffff);
    const rem = this.a.classCount & 31;
    if (rem !== 0) full[W - 1] = (1 << rem) - 1;
    for (let k = 0; k < K; k++) undecided.set(full, k * W);
    const allowed = new Uint32Array(K * W);
    const slots = (piece: Piece): number[] =>
      piece.atoms === null ? Array.from({ length: K }, (_, k) => k) : [...new Set(piece.atoms.map((at) => local.get(at)!))];

    for (const { tier: t, pieces } of tiers) {
      const tier = this.pipeline.tiers[t]!;
      if (tier.evaluation === 'first-match') {
        const passed = new Uint32Array(K * W);
        for (const { action, piece } of pieces)
          for (const k of slots(piece)) {
            const o = k * W;
            for (let w = 0; w < W; w++) {
              const cells = undecided[o + w]! & ~passed[o + w]! & piece.mask[w]!;
              if (cells === 0) continue;
              if (action === 'Allow') {
                allowed[o + w]! |= cells;
                undecided[o + w]! &= ~cells;
              } else if (action === 'Deny') undecided[o + w]! &= ~cells;
              else passed[o + w]! |= cells;
            }
          }
        if (tier.whenSelectedNoMatch === 'deny') for (let i = 0; i < undecided.length; i++) undecided[i]! &= passed[i]!;
      } else {
        // Any-allow: a matching Deny wins over any matching Allow.
        for (const want of ['Deny', 'Allow'] as const)
          for (const { action, piece } of pieces) {
            if (action !== want) continue;
            for (const k of slots(piece)) {
              const o = k * W;
              for (let w = 0; w < W; w++) {
                const cells = undecided[o + w]! & piece.mask[w]!;
                if (want === 'Allow') allowed[o + w]! |= cells;
                undecided[o + w]! &= ~cells;
              }
            }
          }
        if (tier.whenSelectedNoMatch === 'deny') undecided.fill(0);
      }
    }
    for (let i = 0; i < allowed.length; i++) allowed[i]! |= undecided[i]!;
    const row = new Int32Array(this.atoms.size).fill(this.intern(allowed, (K - 1) * W));
    for (const [atom, k] of local) row[atom] = this.intern(allowed, k * W);
    return row;
  }
}
