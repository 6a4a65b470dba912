/** The connectivity matrix: allowed ports between every pair of endpoints. */
import { type Endpoint, isNodeLike } from '../engine/endpoints.js';
import { BitsetPool, setBit } from '../engine/bitset.js';
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

/** Whether a pair is worth listing: no self pairs, nothing between two non-cluster addresses. */
function listed(src: Endpoint, dst: Endpoint): boolean {
  if (src === dst) return false;
  const outside = (e: Endpoint): boolean => e.kind === 'external' || e.kind === 'domain';
  if (outside(src) && outside(dst)) return false;
  return src.kind !== 'domain';
}

/** The endpoints a matrix covers, in output order (by kind, namespace, name). */
export function matrixEndpoints(session: Session, options: MatrixOptions = {}): Endpoint[] {
  const kinds = new Set(options.kinds ?? ['pod', 'node', 'external', 'domain']);
  const nsFilter = options.namespaces !== undefined ? new Set(options.namespaces) : undefined;
  return session.analysis.endpoints.filter(
    (e) => kinds.has(e.kind) && (nsFilter === undefined || e.kind !== 'pod' || nsFilter.has(e.pod.namespace)),
  );
}

/**
 * Compute the matrix. Verdicts come from the class engine: one port set per class pair,
 * shared by every endpoint pair of those classes.
 */
export function computeMatrix(session: Session, options: MatrixOptions = {}): Matrix {
  const a = session.analysis;
  const eps = matrixEndpoints(session, options);
  const cls = eps.map((e) => a.classOfEndpoint(e)!);
  const position = new Map(eps.map((e, i) => [e.id, i]));
  // Nodes and host-network pods as sources: pair by pair, since node-local ingress depends on the pair.
  const pairs: { i: number; j: number; ports: PortSet }[] = [];
  eps.forEach((src, i) => {
    if (!isNodeLike(src)) return;
    eps.forEach((dst, j) => {
      if (!listed(src, dst)) return;
      const ports = a.portsBetween(src, dst);
      if (!isEmptyPortSet(ports)) pairs.push({ i, j, ports });
    });
  });
  // Every other pair: expand the class matrix, so the work follows the connections, not pods².
  const cm = computeClassMatrix(session, options);
  for (const row of cm.rows)
    for (const g of row.allow)
      for (const d of g.to)
        for (const fromId of cm.classes[row.from]!) {
          const i = position.get(fromId)!;
          if (isNodeLike(eps[i]!)) continue;
          for (const toId of cm.classes[d]!) {
            const j = position.get(toId)!;
            if (i !== j) pairs.push({ i, j, ports: g.ports });
          }
        }
  pairs.sort((x, y) => x.i - y.i || x.j - y.j);
  return {
    endpoints: eps.map((e, i) => describe(e, cls[i]!)),
    connections: pairs.map((p) => ({ from: eps[p.i]!.id, to: eps[p.j]!.id, ports: p.ports })),
  };
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

/** Version of the matrix JSON format. */
export const MATRIX_JSON_VERSION = 1;

/** The documented JSON form of a matrix (docs/matrix-json.md). */
export function matrixToJson(m: Matrix): {
  version: number;
  endpoints: readonly MatrixEndpoint[];
  connections: { from: string; to: string; ports: PortSetJson }[];
} {
  return {
    version: MATRIX_JSON_VERSION,
    endpoints: m.endpoints,
    connections: m.connections.map((c) => ({ from: c.from, to: c.to, ports: portSetToJson(c.ports) })),
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
  const a = session.analysis;
  const eps = matrixEndpoints(session, options);
  const members = new Map<number, string[]>();
  for (const e of eps) {
    const c = a.classOfEndpoint(e)!;
    const l = members.get(c);
    if (l === undefined) members.set(c, [e.id]);
    else l.push(e.id);
  }
  const present = [...members.keys()].sort((x, y) => x - y);
  // Output class ids are positions in `present`, so they are dense whatever was filtered out.
  const position = new Int32Array(a.classCount).fill(-1);
  present.forEach((c, i) => (position[c] = i));
  const C = a.classCount;
  const W = (C + 31) >>> 5;
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

  // Per atom: transpose ingress into T[s] = destination classes whose ingress admits source class s
  // (destinations with no ingress row admit everyone: `open`), then R[s][atom] = egress(s) ∧ T[s],
  // interned, so memory holds one C×W transpose at a time plus the distinct R bitsets.
  const open = new Uint32Array(W);
  for (let d = 0; d < C; d++) if (a.rowBits('ingress', d, 0) === null) setBit(open, d);
  const full = new Uint32Array(W).fill(0xffffffff);
  const pool = new BitsetPool(W);
  const rIds = new Int32Array(C * A).fill(-1); // -1: nothing allowed
  const T = new Uint32Array(C * W);
  const r = new Uint32Array(W);
  // Atoms on which every class has the same rows (the same interned bitsets) give the same
  // results: compute one atom per such group.
  const bitsId = new Map<Uint32Array, number>();
  const idOf = (b: Uint32Array | null): number => {
    if (b === null) return -1;
    let id = bitsId.get(b);
    if (id === undefined) bitsId.set(b, (id = bitsId.size));
    return id;
  };
  const atomGroups = new Map<string, number[]>();
  for (let at = 0; at < A; at++) {
    const key: number[] = [];
    for (let c = 0; c < C; c++) key.push(idOf(a.rowBits('egress', c, at)), idOf(a.rowBits('ingress', c, at)));
    const k = key.join(',');
    const g = atomGroups.get(k);
    if (g === undefined) atomGroups.set(k, [at]);
    else g.push(at);
  }
  for (const group of atomGroups.values()) {
    const at = group[0]!;
    T.fill(0);
    // Destinations sharing one (interned) ingress bitset are transposed together.
    const sharers = new Map<Uint32Array, Uint32Array>();
    for (let d = 0; d < C; d++) {
      const bits = a.rowBits('ingress', d, at);
      if (bits === null) continue;
      let m = sharers.get(bits);
      if (m === undefined) {
        m = new Uint32Array(W);
        sharers.set(bits, m);
      }
      setBit(m, d);
    }
    for (const [bits, dests] of sharers)
      for (let w = 0; w < W; w++) {
        let word = bits[w]!;
        while (word !== 0) {
          const low = word & -word;
          const o = ((w << 5) + (31 - Math.clz32(low))) * W;
          word ^= low;
          for (let x = 0; x < W; x++) T[o + x]! |= dests[x]!;
        }
      }
    for (const src of present) {
      if (kind(src) === 'domain') continue;
      const e = a.rowBits('egress', src, at) ?? full;
      let any = 0;
      const o = src * W;
      const out = isOutside[src] === 1;
      for (let w = 0; w < W; w++) {
        let v = e[w]! & (T[o + w]! | open[w]!) & presentMask[w]!;
        if (out) v &= ~outsideMask[w]!;
        any |= r[w] = v;
      }
      if (any !== 0) {
        const id = pool.intern(r);
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
    const groups: { bits: Uint32Array; atoms: number[] }[] = [];
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
    groups.forEach((g, gi) => {
      for (let w = 0; w < W; w++) {
        let word = g.bits[w]!;
        while (word !== 0) {
          const low = word & -word;
          const d = (w << 5) + (31 - Math.clz32(low));
          word ^= low;
          if (groupOf[d] !== s + 1) {
            groupOf[d] = s + 1;
            membership[d] = 0;
            if (!small) seenIn[d] = [];
          }
          if (small) membership[d]! |= 1 << gi;
          else seenIn[d]!.push(gi);
        }
      }
    });
    for (let d = 0; d < C; d++) {
      if (groupOf[d] !== s + 1) continue;
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
  return { classes: present.map((c) => members.get(c)!), rows };
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
