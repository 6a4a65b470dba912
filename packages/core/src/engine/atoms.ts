/**
 * Port atoms: per protocol, 1–65535 cut at every boundary a rule or a resolved named port uses,
 * so that every rule matches whole atoms.
 */
import type { PortSet } from '../model/ports.js';
import { MAX_PORT, MIN_PORT, normalizeIntervals, type PortInterval } from '../model/ports.js';
import { PROTOCOLS, type Protocol } from '../model/types.js';

/** One atom: a protocol and an inclusive port interval. */
export interface PortAtom {
  readonly protocol: Protocol;
  readonly start: number;
  readonly end: number;
}

/** The partition of (protocol × port) into atoms. */
export class PortAtoms {
  readonly atoms: readonly PortAtom[];
  /** Per protocol: index of its first atom and the sorted atom start ports. */
  private readonly first: Record<Protocol, number>;
  private readonly starts: Record<Protocol, number[]>;

  constructor(cuts: Record<Protocol, Iterable<number>>) {
    const atoms: PortAtom[] = [];
    const first = {} as Record<Protocol, number>;
    const starts = {} as Record<Protocol, number[]>;
    for (const protocol of PROTOCOLS) {
      const points = new Set<number>([MIN_PORT, MAX_PORT + 1]);
      for (const c of cuts[protocol]) if (c > MIN_PORT && c <= MAX_PORT) points.add(c);
      const sorted = [...points].sort((a, b) => a - b);
      first[protocol] = atoms.length;
      starts[protocol] = sorted.slice(0, -1);
      for (let i = 0; i + 1 < sorted.length; i++) atoms.push({ protocol, start: sorted[i]!, end: sorted[i + 1]! - 1 });
    }
    this.atoms = atoms;
    this.first = first;
    this.starts = starts;
  }

  get size(): number {
    return this.atoms.length;
  }

  /** Index of the atom holding (protocol, port). */
  indexOf(protocol: Protocol, port: number): number {
    const s = this.starts[protocol];
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (s[mid]! <= port) lo = mid;
      else hi = mid - 1;
    }
    return this.first[protocol] + lo;
  }

  /** Indices of the atoms covering [start, end] of a protocol (they align with atom bounds). */
  range(protocol: Protocol, start: number, end: number): number[] {
    const a = this.indexOf(protocol, start);
    const b = this.indexOf(protocol, end);
    const out: number[] = [];
    for (let i = a; i <= b; i++) out.push(i);
    return out;
  }

  /** Turn a predicate over atom indices into a port set. */
  toPortSet(has: (atom: number) => boolean): PortSet {
    const out: Record<Protocol, PortInterval[]> = { TCP: [], UDP: [], SCTP: [] };
    this.atoms.forEach((atom, i) => {
      if (has(i)) out[atom.protocol].push([atom.start, atom.end]);
    });
    return { TCP: normalizeIntervals(out.TCP), UDP: normalizeIntervals(out.UDP), SCTP: normalizeIntervals(out.SCTP) };
  }
}
