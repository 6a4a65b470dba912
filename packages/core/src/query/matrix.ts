/** The connectivity matrix: allowed ports between every pair of endpoints. */
import type { Endpoint } from '../engine/endpoints.js';
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
  const cache = new Map<number, PortSet>();
  const C = a.classCount;
  const connections: MatrixConnection[] = [];
  for (let i = 0; i < eps.length; i++) {
    const src = eps[i]!;
    for (let j = 0; j < eps.length; j++) {
      const dst = eps[j]!;
      if (!listed(src, dst)) continue;
      let ports: PortSet;
      if (src.kind === 'node' || (src.kind === 'pod' && src.pod.hostNetwork)) ports = a.portsBetween(src, dst);
      else {
        const key = cls[i]! * C + cls[j]!;
        let p = cache.get(key);
        if (p === undefined) {
          p = a.classPorts(cls[i]!, cls[j]!);
          cache.set(key, p);
        }
        ports = p;
      }
      if (!isEmptyPortSet(ports)) connections.push({ from: src.id, to: dst.id, ports });
    }
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
