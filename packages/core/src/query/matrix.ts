/** The connectivity matrix: allowed ports between every pair of endpoints. */
import { type Endpoint, isNodeLike, isPodNetworkPod, nodeNameOf } from '../engine/endpoints.js';
import { type SparseBits, SparsePool, setBit, wordsFor } from '../engine/bitset.js';
import { type PortSet, isAllPorts, isEmptyPortSet } from '../model/ports.js';
import { PROTOCOLS } from '../model/types.js';
import { formatIntervals } from '../model/ports.js';
import type { Session } from '../session.js';

/** An endpoint as listed in a matrix. */
export interface MatrixEndpoint {
  readonly id: string;
  readonly kind: Endpoint['kind'];
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  /** `Kind/name` of the owning workload. */
  readonly workload?: string | undefined;
  readonly replicas?: number | undefined;
  readonly hostNetwork?: boolean | undefined;
  /** Equivalence class: endpoints of one class have identical connectivity. */
  readonly class: number;
}

/** Allowed ports from one endpoint to another (only non-empty sets are listed). */
export interface MatrixConnection {
  readonly from: string;
  readonly to: string;
  readonly ports: PortSet;
}

/** A connectivity matrix. Self pairs and external-to-external pairs are left out. */
export interface Matrix {
  readonly endpoints: readonly MatrixEndpoint[];
  readonly connections: readonly MatrixConnection[];
}

/** Which endpoints a matrix covers. */
export interface MatrixOptions {
  /** Endpoint kinds to include; default pods, nodes, externals and domains. */
  readonly kinds?: readonly Endpoint['kind'][];
  /** Only endpoints in these namespaces (non-pod endpoints are kept). */
  readonly namespaces?: readonly string[];
}

function describe(e: Endpoint, cls: number): MatrixEndpoint {
  if (e.kind === 'pod') {
    const w = e.pod.workload;
    return {
      id: e.id,
      kind: 'pod',
      namespace: e.pod.namespace,
      name: e.pod.name,
      workload: w !== undefined ? `${w.kind}/${w.name}` : undefined,
      replicas: e.pod.replicas,
      hostNetwork: e.pod.hostNetwork || undefined,
      class: cls,
    };
  }
  return { id: e.id, kind: e.kind, class: cls };
}

/** The endpoints a matrix covers, in output order (by kind, namespace, name). */
export function matrixEndpoints(session: Session, options: MatrixOptions = {}): Endpoint[] {
  return session.analysis.endpoints.filter(matrixFilter(options));
}

/** Whether an endpoint is in a matrix with these options. */
function matrixFilter(options: MatrixOptions): (e: Endpoint) => boolean {
  const kinds = new Set(options.kinds ?? ['pod', 'node', 'external', 'domain']);
  const nsFilter = options.namespaces !== undefined ? new Set(options.namespaces) : undefined;
  return (e) => kinds.has(e.kind) && (nsFilter === undefined || e.kind !== 'pod' || nsFilter.has(e.pod.namespace));
}

/** A matrix's endpoints, in output order, with the class of each. */
interface ListedEndpoints {
  readonly eps: readonly Endpoint[];
  readonly cls: Int32Array;
  /** The classes that have endpoints here, ascending (the class matrix's class ids index it). */
  readonly present: readonly number[];
  /** Positions in `eps` of each present class's endpoints, ascending. */
  readonly members: readonly (readonly number[])[];
}

/**
 * The matrix's endpoints with their classes, read by position in the analysis (no lookup by id:
 * hashing ten thousand fresh id strings was a visible part of a matrix run).
 */
function endpointsWithClasses(session: Session, options: MatrixOptions): ListedEndpoints {
  const a = session.analysis;
  const included = matrixFilter(options);
  const eps: Endpoint[] = [];
  const cls: number[] = [];
  const byClass = new Map<number, number[]>();
  a.endpoints.forEach((e, i) => {
    if (included(e)) {
      const c = a.classOf[i]!;
      const l = byClass.get(c);
      if (l === undefined) byClass.set(c, [eps.length]);
      else l.push(eps.length);
      eps.push(e);
      cls.push(c);
    }
  });
  const present = [...byClass.keys()].sort((x, y) => x - y);
  return { eps, cls: Int32Array.from(cls), present, members: present.map((c) => byClass.get(c)!) };
}

/**
 * Compute the matrix. Verdicts come from the class engine: one port set per class pair,
 * shared by every endpoint pair of those classes.
 */
export function computeMatrix(session: Session, options: MatrixOptions = {}): Matrix {
  return matrixWith(session, options, (from, to, ports) => ({ from, to, ports }));
}

/**
 * The matrix directly in its documented JSON form: equal to `matrixToJson(computeMatrix(…))`,
 * without building the matrix first (one object per connection instead of two: 126k each at
 * 10k pods).
 */
export function computeMatrixJson(session: Session, options: MatrixOptions = {}): MatrixJson {
  const jsonOf = portSetJsonCache();
  const { endpoints, connections } = matrixWith(session, options, (from, to, ports) => ({
    from,
    to,
    ports: jsonOf(ports),
  }));
  return { version: MATRIX_JSON_VERSION, endpoints, connections };
}

/** The matrix with each connection made by `connection` (ports: the shared set of the class pair). */
function matrixWith<C>(
  session: Session,
  options: MatrixOptions,
  make: (from: string, to: string, ports: PortSet) => C,
): { endpoints: MatrixEndpoint[]; connections: C[] } {
  const a = session.analysis;
  const listed = endpointsWithClasses(session, options);
  const { eps, cls, members } = listed;
  // Nodes and host-network pods as sources: pair by pair, since node-local ingress depends on the pair.
  // Their answers depend on the class pair and on whether the pair is node-local, so they are
  // computed once per (source class, destination class, node-local) and shared.
  // Pairs are packed as numbers ((i · N + j) · P + port-set index) and sorted as a typed array.
  const N = eps.length;
  const portSets: PortSet[] = [];
  const portIndex = new Map<PortSet, number>();
  const indexOfPorts = (p: PortSet): number => {
    let k = portIndex.get(p);
    if (k === undefined) {
      k = portSets.length;
      portIndex.set(p, k);
      portSets.push(p);
    }
    return k;
  };
  // Triples (source, destination, port set) in a growable typed array: at 10k pods there are
  // over 100k of them, and a number array grown by push copies itself over and over.
  let packed = new Int32Array(3 * 1024);
  let n3 = 0;
  const emit = (i: number, j: number, k: number): void => {
    if (n3 + 3 > packed.length) {
      const grown = new Int32Array(2 * packed.length);
      grown.set(packed);
      packed = grown;
    }
    packed[n3++] = i;
    packed[n3++] = j;
    packed[n3++] = k;
  };
  // Per source class: the port set index for each (destination class, node-local) slot; -2 not
  // asked yet, -1 nothing allowed. (A million pairs at 10k pods: typed arrays, no closures.)
  const bySourceClass = new Map<number, Int32Array>();
  const nodeLocal = session.options.nodeLocalIngress;
  // The node of each pod-network pod that has one: node-local ingress (isFromOwnNode) is a
  // node-like source on that node.
  const podNode = eps.map((e) => (isPodNetworkPod(e) ? e.pod.nodeName : undefined));
  for (let i = 0; i < N; i++) {
    const src = eps[i]!;
    if (!isNodeLike(src)) continue;
    const srcNode = nodeLocal ? nodeNameOf(src) : undefined;
    // Pairs listed: no self pairs, nothing between two addresses outside the cluster, nothing
    // from a domain. A node-like source is neither, so every other endpoint is listed with it.
    const s = cls[i]!;
    let known = bySourceClass.get(s);
    if (known === undefined) bySourceClass.set(s, (known = new Int32Array(2 * a.classCount).fill(-2)));
    for (let j = 0; j < N; j++) {
      if (j === i) continue;
      const slot = 2 * cls[j]! + (srcNode !== undefined && podNode[j] === srcNode ? 1 : 0);
      let k = known[slot]!;
      if (k === -2) {
        const ports = a.portsBetweenClasses(src, eps[j]!, s, cls[j]!);
        k = isEmptyPortSet(ports) ? -1 : indexOfPorts(ports);
        known[slot] = k;
      }
      if (k >= 0) emit(i, j, k);
    }
  }
  // Every other pair: expand the class matrix, so the work follows the connections, not pods².
  // Class ids in `cm` index `members` (the present classes, ascending).
  const cm = classMatrixOf(session, listed);
  for (const row of cm.rows) {
    const from = members[row.from]!;
    for (const g of row.allow) {
      const k = indexOfPorts(g.ports);
      for (const d of g.to) {
        const to = members[d]!;
        for (let a1 = 0; a1 < from.length; a1++) {
          const i = from[a1]!;
          if (isNodeLike(eps[i]!)) continue;
          for (let b = 0; b < to.length; b++) {
            const j = to[b]!;
            if (i !== j) emit(i, j, k);
          }
        }
      }
    }
  }
  const P = Math.max(1, portSets.length);
  const count = n3 / 3;
  const connections: C[] = new Array<C>(count);
  const connection = (i: number, j: number, k: number): C => make(eps[i]!.id, eps[j]!.id, portSets[k]!);
  if (N * N * P <= Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(count);
    for (let x = 0; x < count; x++) keys[x] = (packed[3 * x]! * N + packed[3 * x + 1]!) * P + packed[3 * x + 2]!;
    packed = new Int32Array(0);
    keys.sort();
    for (let x = 0; x < count; x++) {
      const key = keys[x]!;
      const k = key % P;
      const ij = (key - k) / P;
      const j = ij % N;
      connections[x] = connection((ij - j) / N, j, k);
    }
  } else {
    // Too many endpoints and port sets for exact packed keys: sort the triples directly.
    const order = Array.from({ length: count }, (_, x) => x);
    order.sort((x, y) => packed[3 * x]! - packed[3 * y]! || packed[3 * x + 1]! - packed[3 * y + 1]!);
    order.forEach((x, n) => (connections[n] = connection(packed[3 * x]!, packed[3 * x + 1]!, packed[3 * x + 2]!)));
  }
  return { endpoints: eps.map((e, i) => describe(e, cls[i]!)), connections };
}

/** JSON form of a port set: `"all"`, or `{"TCP": "80,8000-8080", "UDP": "53"}`. */
export type PortSetJson = 'all' | Partial<Record<'TCP' | 'UDP' | 'SCTP', string>>;

/** Convert a port set to its JSON form. */
export function portSetToJson(ports: PortSet): PortSetJson {
  if (isAllPorts(ports)) return 'all';
  const out: Partial<Record<'TCP' | 'UDP' | 'SCTP', string>> = {};
  for (const p of PROTOCOLS) if (ports[p].length > 0) out[p] = formatIntervals(ports[p]);
  return out;
}

/** {@link portSetToJson}, converting each port set once: connections share their sets. */
function portSetJsonCache(): (ports: PortSet) => PortSetJson {
  const cache = new Map<PortSet, PortSetJson>();
  return (ports) => {
    let json = cache.get(ports);
    if (json === undefined) cache.set(ports, (json = portSetToJson(ports)));
    return json;
  };
}

/** Version of the matrix JSON format. */
export const MATRIX_JSON_VERSION = 1;

/** The documented JSON form of a matrix (docs/matrix-json.md). */
export interface MatrixJson {
  version: number;
  endpoints: readonly MatrixEndpoint[];
  connections: { from: string; to: string; ports: PortSetJson }[];
}

/** The documented JSON form of a matrix (docs/matrix-json.md). */
export function matrixToJson(m: Matrix): MatrixJson {
  const jsonOf = portSetJsonCache();
  return {
    version: MATRIX_JSON_VERSION,
    endpoints: m.endpoints,
    connections: m.connections.map((c) => ({ from: c.from, to: c.to, ports: jsonOf(c.ports) })),
  };
}

/** A connectivity matrix between equivalence classes: compact at any cluster size. */
export interface ClassMatrix {
  /** Endpoint ids of each class (index = class id). */
  readonly classes: readonly (readonly string[])[];
  /** Per source class, the destination classes reachable, grouped by identical port sets. */
  readonly rows: readonly {
    readonly from: number;
    readonly allow: readonly { readonly ports: PortSet; readonly to: readonly number[] }[];
  }[];
}

/**
 * The matrix at class level: one entry per (source class, destination class) with allowed
 * ports, destinations grouped by identical port sets. Pair-level exemptions (a pod to itself,
 * node-local ingress) are not represented at this level.
 */
export function computeClassMatrix(session: Session, options: MatrixOptions = {}): ClassMatrix {
  return classMatrixOf(session, endpointsWithClasses(session, options));
}

/** {@link computeClassMatrix} over endpoints already listed with their classes. */
function classMatrixOf(session: Session, { eps, present, members }: ListedEndpoints): ClassMatrix {
  const a = session.analysis;
  // Output class ids are positions in `present`, so they are dense whatever was filtered out.
  const position = new Int32Array(a.classCount).fill(-1);
  present.forEach((c, i) => (position[c] = i));
  const C = a.classCount;
  const W = wordsFor(C);
  const A = a.atoms.size;
  const kind = (c: number): Endpoint['kind'] => a.endpointOfClass(c).kind;
  const isOutside = new Uint8Array(C);
  const presentMask = new Uint32Array(W);
  const outsideMask = new Uint32Array(W);
  for (const c of present) {
    setBit(presentMask, c);
    if (kind(c) === 'external' || kind(c) === 'domain') {
      isOutside[c] = 1;
      setBit(outsideMask, c);
    }
  }
  const rp = a.rowPool;

  // Atoms on which every class has the same rows give the same results: one atom per group.
  // Row ids are stored class by class ([c · A + atom]): hash every atom's column in one pass.
  const egressIds = a.rowIds('egress');
  const ingressIds = a.rowIds('ingress');
  const atomGroups: number[][] = [];
  const byHash = new Map<number, number[][]>();
  const sameRows = (x: number, y: number): boolean => {
    for (let o = 0; o < C * A; o += A)
      if (egressIds[o + x] !== egressIds[o + y] || ingressIds[o + x] !== ingressIds[o + y]) return false;
    return true;
  };
  const hashes = new Int32Array(A).fill(0x811c9dc5);
  for (let o = 0; o < C * A; o += A)
    for (let at = 0; at < A; at++) {
      const h = Math.imul(hashes[at]! ^ egressIds[o + at]!, 0x01000193);
      hashes[at] = Math.imul(h ^ ingressIds[o + at]!, 0x01000193);
    }
  for (let at = 0; at < A; at++) {
    const h = hashes[at]!;
    const bucket = byHash.get(h) ?? [];
    byHash.set(h, bucket);
    const g = bucket.find((x) => sameRows(x[0]!, at));
    if (g !== undefined) g.push(at);
    else {
      const group = [at];
      bucket.push(group);
      atomGroups.push(group);
    }
  }

  // Per atom group, R[s] = egress(s) ∧ {d : ingress(d) admits s}. Destinations without an ingress
  // row admit every source (\`open\`); the others are grouped by their (sparse) ingress row, and the
  // groups are disjoint: a sparse row adds its destinations for the sources it lists ("plus"), a
  // full-filled row adds them for every source but those it leaves out ("minus"). R is interned,
  // so memory holds the distinct results, and the work follows the listed words, not C².
  const pool = new SparsePool(C);
  const rIds = new Int32Array(C * A).fill(-1); // -1: nothing allowed
  const open = new Uint32Array(W);
  const plus = new Uint32Array(W);
  const minus = new Uint32Array(W);
  const outIdx = new Int32Array(W);
  const outVal = new Uint32Array(W);
  const start = new Int32Array(C + 1);
  for (const group of atomGroups) {
    const at = group[0]!;
    open.fill(0);
    const byRow = new Map<number, number[]>();
    for (let d = 0; d < C; d++) {
      const id = ingressIds[d * A + at]!;
      if (id < 0) setBit(open, d);
      else {
        const l = byRow.get(id);
        if (l === undefined) byRow.set(id, [d]);
        else l.push(d);
      }
    }
    const dests: number[][] = [];
    const ids: number[] = [];
    for (const [id, ds] of byRow) {
      ids.push(id);
      dests.push(ds);
      if (rp.isFull(id)) for (const d of ds) setBit(open, d);
    }
    // Entries (source, destination group, plus or minus) in CSR form by source.
    const visit = (fn: (s: number, g: number, isMinus: boolean) => void): void => {
      const words = rp.words;
      const values = rp.values;
      ids.forEach((id, g) => {
        const full = rp.isFull(id);
        const s0 = rp.start(id);
        for (let i = s0; i < s0 + rp.length(id); i++) {
          const w = words[i]!;
          let v = full ? ~values[i]! & rp.fillWord(true, w) : values[i]!;
          while (v !== 0) {
            const low = v & -v;
            v ^= low;
            fn((w << 5) + (31 - Math.clz32(low)), g, full);
          }
        }
      });
    };
    start.fill(0);
    visit((s) => start[s + 1]!++);
    for (let s = 0; s < C; s++) start[s + 1]! += start[s]!;
    const entries = new Int32Array(start[C]!); // group index, bit-inverted for minus entries
    const fillAt = start.slice(0, C);
    visit((s, g, isMinus) => (entries[fillAt[s]!++] = isMinus ? ~g : g));

    for (const src of present) {
      if (kind(src) === 'domain') continue;
      for (let i = start[src]!; i < start[src + 1]!; i++) {
        const g = entries[i]!;
        const target = g >= 0 ? plus : minus;
        for (const d of dests[g >= 0 ? g : ~g]!) setBit(target, d);
      }
      const eid = egressIds[src * A + at]!;
      const out = isOutside[src] === 1;
      let n = 0;
      const emit = (w: number, e: number): void => {
        let v = e & (open[w]! | plus[w]!) & ~minus[w]! & presentMask[w]!;
        if (out) v &= ~outsideMask[w]!;
        if (v !== 0) {
          outIdx[n] = w;
          outVal[n++] = v;
        }
      };
      if (eid >= 0 && !rp.isFull(eid)) {
        const s0 = rp.start(eid);
        for (let i = s0; i < s0 + rp.length(eid); i++) emit(rp.words[i]!, rp.values[i]!);
      } else {
        // No egress row, or a full-filled one: every word may hold destinations.
        let i = eid >= 0 ? rp.start(eid) : 0;
        const end = eid >= 0 ? i + rp.length(eid) : 0;
        for (let w = 0; w < W; w++) {
          if (i < end && rp.words[i] === w) emit(w, rp.values[i++]!);
          else emit(w, rp.fillWord(true, w));
        }
      }
      for (let i = start[src]!; i < start[src + 1]!; i++) {
        const g = entries[i]!;
        const target = g >= 0 ? plus : minus;
        for (const d of dests[g >= 0 ? g : ~g]!) target[d >>> 5] = 0;
      }
      if (n > 0) {
        const id = pool.intern(false, outIdx, outVal, n);
        for (const x of group) rIds[src * A + x] = id;
      }
    }
  }

  const portCache = new Map<string, PortSet>();
  const rows: { from: number; allow: { ports: PortSet; to: number[] }[] }[] = [];
  const groupOf = new Int32Array(C);
  const membership = new Int32Array(C);
  for (const s of present) {
    if (kind(s) === 'domain') continue;
    // Atoms with the same R share a group.
    const groups: { bits: SparseBits; atoms: number[] }[] = [];
    const byId = new Map<number, number>();
    for (let at = 0; at < A; at++) {
      const id = rIds[s * A + at]!;
      if (id < 0) continue;
      const g = byId.get(id);
      if (g === undefined) {
        byId.set(id, groups.length);
        groups.push({ bits: pool.get(id), atoms: [at] });
      } else groups[g]!.atoms.push(at);
    }
    if (groups.length === 0) continue;
    // Each destination's atom set is the union of the groups it is in: with few groups (the
    // usual case) a destination's membership is a bitmask, and destinations group by it.
    const combos = new Map<string | number, { groups: number[]; to: number[] }>();
    if (groups.length === 1) combos.set(1, { groups: [0], to: [] });
    const small = groups.length <= 30;
    const seenIn: number[][] = [];
    const touched: number[] = [];
    groups.forEach((g, gi) => {
      for (let i = 0; i < g.bits.idx.length; i++) {
        const w = g.bits.idx[i]!;
        let word = g.bits.val[i]!;
        while (word !== 0) {
          const low = word & -word;
          const d = (w << 5) + (31 - Math.clz32(low));
          word ^= low;
          if (groupOf[d] !== s + 1) {
            groupOf[d] = s + 1;
            membership[d] = 0;
            touched.push(d);
            if (!small) seenIn[d] = [];
          }
          if (small) membership[d]! |= 1 << gi;
          else seenIn[d]!.push(gi);
        }
      }
    });
    touched.sort((x, y) => x - y);
    for (const d of touched) {
      const key = small ? membership[d]! : seenIn[d]!.join(',');
      const c = combos.get(key);
      if (c !== undefined) c.to.push(position[d]!);
      else {
        const gs = small ? groups.map((_, gi) => gi).filter((gi) => ((membership[d]! >>> gi) & 1) === 1) : seenIn[d]!;
        combos.set(key, { groups: gs, to: [position[d]!] });
      }
    }
    const allow: { ports: PortSet; to: number[] }[] = [];
    for (const combo of combos.values()) {
      const atoms = new Set<number>();
      for (const gi of combo.groups) for (const at of groups[gi]!.atoms) atoms.add(at);
      const key = [...atoms].sort((x, y) => x - y).join(',');
      let ports = portCache.get(key);
      if (ports === undefined) {
        ports = a.atoms.toPortSet((at) => atoms.has(at));
        portCache.set(key, ports);
      }
      allow.push({ ports, to: combo.to });
    }
    rows.push({ from: position[s]!, allow });
  }
  return { classes: members.map((positions) => positions.map((i) => eps[i]!.id)), rows };
}

/** The documented JSON form of a class matrix (docs/matrix-json.md, "class level"). */
export function classMatrixToJson(m: ClassMatrix): {
  version: number;
  level: 'class';
  classes: readonly (readonly string[])[];
  connections: { from: number; allow: { ports: PortSetJson; to: readonly number[] }[] }[];
} {
  // Class ids in the output are positions in `classes`.
  return {
    version: MATRIX_JSON_VERSION,
    level: 'class',
    classes: m.classes,
    connections: m.rows.map((r) => ({
      from: r.from,
      allow: r.allow.map((g) => ({ ports: portSetToJson(g.ports), to: g.to })),
    })),
  };
}
