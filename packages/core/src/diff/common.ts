/**
 * Helpers shared by the diff, snapshot and audit code: which endpoint pairs count, cached
 * class-level port sets, address ranges as endpoints, and comparing range-keyed rows across two
 * different CIDR partitions.
 * @internal
 */
import type { Analysis } from '../engine/analysis.js';
import { type Endpoint, type ExternalEndpoint, isFromOwnNode, isNodeLike } from '../engine/endpoints.js';
import { type IpFamily, type IpRange, cutAddressSpace, formatRangeCompact, parseCidr, parseIp } from '../model/ip.js';
import {
  NO_PORTS,
  type PortSet,
  isEmptyPortSet,
  portSetsEqual,
  subtractPortSets,
  unionPortSets,
} from '../model/ports.js';
import { PROTOCOLS, type Protocol } from '../model/types.js';
import { computeClassMatrix } from '../query/matrix.js';
import type { Session } from '../session.js';

/** An external endpoint standing for a range of addresses (a piece of the CIDR partition). */
export type RangeEndpoint = ExternalEndpoint & { readonly range: IpRange };

/** Whether an endpoint is a piece of the address space (a CIDR atom), not a named endpoint. */
export function isRangeEndpoint(e: Endpoint): e is RangeEndpoint {
  return e.kind === 'external' && e.range !== undefined;
}

/**
 * Whether an endpoint's verdicts as a source depend on the destination's node (nodes and
 * host-network pods: node-local ingress), so they must be computed per pair, not per class.
 */
export const isPairwise: (e: Endpoint) => boolean = isNodeLike;

/** Outside the cluster: external addresses and domain names. */
export function isOutside(e: Endpoint): boolean {
  return e.kind === 'external' || e.kind === 'domain';
}

/** Whether a pair is listed (as in the matrix): nothing between two outside endpoints, no domain source. */
export function isListedPair(src: Endpoint, dst: Endpoint): boolean {
  if (isOutside(src) && isOutside(dst)) return false;
  return src.kind !== 'domain';
}

/**
 * Class-level port sets of one session, from the class matrix (computed once, then looked up):
 * one port set per pair of classes, shared by every endpoint pair of those classes.
 */
export class ClassPorts {
  readonly analysis: Analysis;
  /** Per source class: port-set index per destination class (-1: nothing allowed). */
  private rows: (Int32Array | undefined)[] | undefined;
  private sets: PortSet[] = [];

  constructor(private readonly session: Session) {
    this.analysis = session.analysis;
  }

  /** Class of an endpoint of this analysis. */
  classOf(e: Endpoint): number {
    const c = this.analysis.classOfEndpoint(e);
    if (c === undefined) throw new Error(`internal error: no class for ${e.id}`);
    return c;
  }

  private load(): (Int32Array | undefined)[] {
    const a = this.analysis;
    const m = computeClassMatrix(this.session);
    const classOfPosition = m.classes.map((ids) => a.classOf[a.indexOf(ids[0]!)!]!);
    const rows: (Int32Array | undefined)[] = [];
    for (const row of m.rows) {
      const r = new Int32Array(a.classCount).fill(-1);
      for (const g of row.allow) {
        const id = this.sets.length;
        this.sets.push(g.ports);
        for (const to of g.to) r[classOfPosition[to]!] = id;
      }
      rows[classOfPosition[row.from]!] = r;
    }
    return rows;
  }

  /**
   * Allowed ports from one class to another. Pairs the matrix leaves out (between two outside
   * endpoints, from a domain) have none.
   */
  between(srcClass: number, dstClass: number): PortSet {
    this.rows ??= this.load();
    const id = this.rows[srcClass]?.[dstClass] ?? -1;
    return id < 0 ? NO_PORTS : this.sets[id]!;
  }

  /**
   * Allowed ports between two distinct endpoints: the class pair's, except where node-local
   * ingress exempts the pair (a node, or a host-network pod, to a pod on its node).
   */
  pair(src: Endpoint, dst: Endpoint): PortSet {
    if (this.analysis.options.nodeLocalIngress && isFromOwnNode(src, dst)) return this.analysis.portsBetween(src, dst);
    return this.between(this.classOf(src), this.classOf(dst));
  }
}

/**
 * Whether a pod endpoint stands for several replicas that can talk to each other. Their verdicts
 * are those of two distinct members of the pod's class (no exemption applies between replicas).
 */
export function hasReplicaPeers(e: Endpoint): boolean {
  return e.kind === 'pod' && e.pod.replicas > 1;
}

/**
 * Another replica of a workload pod, for explaining replica-to-replica flows (a pod talking to
 * itself is always allowed, so the explanation needs a second endpoint with the same labels).
 */
export function otherReplica(e: Endpoint): Endpoint {
  return { ...e, id: `${e.id} (another replica)` };
}

/** A representative (protocol, port) of a non-empty set: a declared port of the destination if any. */
export function representativePort(ports: PortSet, dst?: Endpoint): { protocol: Protocol; port: number } {
  if (dst?.kind === 'pod') {
    const declared = [...dst.pod.ports].sort(
      (a, b) => PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) || a.port - b.port,
    );
    for (const cp of declared)
      if (ports[cp.protocol].some(([s, e]) => cp.port >= s && cp.port <= e))
        return { protocol: cp.protocol, port: cp.port };
  }
  for (const protocol of PROTOCOLS) {
    const first = ports[protocol][0];
    if (first !== undefined) return { protocol, port: first[0] };
  }
  throw new Error('internal error: no representative port of an empty set');
}

/** Byte-order string comparison (stable across locales). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Parse an address range as written by {@link formatRangeCompact}: a CIDR, `a-b`, or one address. */
export function parseRangeText(text: string): IpRange | undefined {
  if (text.includes('/')) return parseCidr(text);
  const dash = text.indexOf('-');
  if (dash >= 0) {
    const a = parseIp(text.slice(0, dash));
    const b = parseIp(text.slice(dash + 1));
    if (a === undefined || b === undefined || a.family !== b.family || a.value > b.value) return undefined;
    return { family: a.family, start: a.value, end: b.value };
  }
  const ip = parseIp(text);
  return ip === undefined ? undefined : { family: ip.family, start: ip.value, end: ip.value };
}

/** Order of address ranges: IPv4 first, then by start address. */
export function compareRanges(a: IpRange, b: IpRange): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.start < b.start ? -1 : a.start > b.start ? 1 : a.end < b.end ? -1 : a.end > b.end ? 1 : 0;
}

/**
 * An endpoint name in diff and snapshot rows: named endpoints sort by name, address ranges
 * after them by address.
 */
export interface RowRef {
  readonly id: string;
  readonly range?: IpRange | undefined;
}

/** Compare two row references. */
export function compareRefs(a: RowRef, b: RowRef): number {
  if (a.range !== undefined && b.range !== undefined) return compareRanges(a.range, b.range);
  if (a.range !== undefined) return 1;
  if (b.range !== undefined) return -1;
  return compareText(a.id, b.id);
}

/** A reference to an address range. */
export function rangeRef(range: IpRange): RowRef {
  return { id: formatRangeCompact(range), range };
}

/** Allowed ports between a fixed endpoint and one address range. */
export interface RangeRow {
  readonly range: IpRange;
  readonly ports: PortSet;
}

/** What changed for one address range. */
export interface RangeChange {
  readonly range: IpRange;
  readonly gained: PortSet;
  readonly lost: PortSet;
}

function sortedOfFamily<T extends { range: IpRange }>(rows: readonly T[], family: IpFamily): T[] {
  return rows.filter((r) => r.range.family === family).sort((a, b) => compareRanges(a.range, b.range));
}

/** Merge adjacent ranges with equal ports and drop empty ones: a canonical form of range rows. */
export function mergeRangeRows(rows: readonly RangeRow[]): RangeRow[] {
  const out: RangeRow[] = [];
  for (const family of [4, 6] as const) {
    let run: RangeRow | undefined;
    for (const row of sortedOfFamily(rows, family)) {
      if (isEmptyPortSet(row.ports)) continue;
      if (run !== undefined && run.range.end + 1n === row.range.start && portSetsEqual(run.ports, row.ports)) {
        run = { range: { family, start: run.range.start, end: row.range.end }, ports: run.ports };
        continue;
      }
      if (run !== undefined) out.push(run);
      run = row;
    }
    if (run !== undefined) out.push(run);
  }
  return out;
}

/** Walks sorted, disjoint rows and returns the ports of the row holding an address. */
class RowCursor {
  private i = 0;
  constructor(private readonly rows: readonly RangeRow[]) {}
  portsAt(address: bigint): PortSet {
    while (this.i < this.rows.length && this.rows[this.i]!.range.end < address) this.i++;
    const row = this.rows[this.i];
    return row !== undefined && row.range.start <= address ? row.ports : NO_PORTS;
  }
}

/**
 * Compare the connectivity of one endpoint with address ranges before and after, where the two
 * sides cut the address space differently: both partitions are intersected, each piece compared,
 * and adjacent pieces with the same change merged. Rows of one side must not overlap; addresses
 * without a row have no allowed ports.
 */
export function compareRangeRows(before: readonly RangeRow[], after: readonly RangeRow[]): RangeChange[] {
  const out: RangeChange[] = [];
  for (const family of [4, 6] as const) {
    const b = sortedOfFamily(before, family);
    const a = sortedOfFamily(after, family);
    if (b.length === 0 && a.length === 0) continue;
    const pieces = cutAddressSpace(
      family,
      [...b, ...a].map((r) => r.range),
    );
    const cb = new RowCursor(b);
    const ca = new RowCursor(a);
    let run: RangeChange | undefined;
    for (const { start, end } of pieces) {
      const pb = cb.portsAt(start);
      const pa = ca.portsAt(start);
      const gained = subtractPortSets(pa, pb);
      const lost = subtractPortSets(pb, pa);
      if (isEmptyPortSet(gained) && isEmptyPortSet(lost)) {
        if (run !== undefined) out.push(run);
        run = undefined;
        continue;
      }
      if (run !== undefined && portSetsEqual(run.gained, gained) && portSetsEqual(run.lost, lost)) {
        run = { ...run, range: { family, start: run.range.start, end } };
        continue;
      }
      if (run !== undefined) out.push(run);
      run = { range: { family, start, end }, gained, lost };
    }
    if (run !== undefined) out.push(run);
  }
  return out;
}

/** Union of many port sets. */
export function unionAll(sets: Iterable<PortSet>): PortSet {
  let acc = NO_PORTS;
  for (const s of sets) acc = unionPortSets(acc, s);
  return acc;
}
