/**
 * netpol-analyzer compatible connectivity list (`netpol-analyzer list`, txt output): allowed
 * connections between workloads and disjoint external IP ranges, one `src => dst : conns` line
 * per pair. Verdicts come from the class engine; this module only names peers and formats.
 */
import type { Endpoint, PodEndpoint } from '../engine/endpoints.js';
import { externalEndpoint } from '../engine/endpoints.js';
import type { Issue } from '../errors.js';
import { type IpRange, formatIp } from '../model/ip.js';
import { type PortSet, formatIntervals, isAllPorts, isEmptyPortSet } from '../model/ports.js';
import { PROTOCOLS, type Pod } from '../model/types.js';
import type { AnalysisOptions } from '../options.js';
import type { Session } from '../session.js';
import { connlistDiagnostics } from './diagnostics.js';
import { INGRESS_CONTROLLER_NAME, ingressConnections } from './ingress.js';
import { disjointRanges, referencedBlocks } from './ip-partition.js';

/**
 * The analysis options that give netpol-analyzer's semantics: `ipBlock` never matches pods,
 * host-network pods are ordinary pods, no node-local ingress exemption (nodes are not modelled),
 * absent required ANP/BANP selectors select everything (Go zero values), and Ingress/Route
 * objects add the `{ingress-controller}` source.
 */
export const CONNLIST_ANALYSIS_OPTIONS: Partial<AnalysisOptions> = {
  ipBlockMatchesPods: false,
  hostNetworkPods: 'pod',
  nodeLocalIngress: false,
  missingSelectorsMatchAll: true,
  ingressController: true,
};

/** One connlist line: source, destination and the allowed connections, as printed. */
export interface ConnlistLine {
  readonly src: string;
  readonly dst: string;
  readonly conn: string;
}

/** The connlist and the warnings found computing it. */
export interface ConnlistResult {
  readonly lines: readonly ConnlistLine[];
  readonly issues: readonly Issue[];
}

/** A peer of the connlist: a workload (or standalone pod) or an external range. */
interface ListPeer {
  readonly name: string;
  readonly endpoint: Endpoint;
}

/**
 * `ns/name[Kind]`: the workload a pod stands for, its controller owner, or the pod itself. A Node
 * owner (static pods' mirror pods) is not a workload, so such pods stand for themselves.
 */
export function workloadName(pod: Pod): string {
  const w = pod.workload;
  return w !== undefined && w.kind !== 'Node'
    ? `${pod.namespace}/${w.name}[${w.kind}]`
    : `${pod.namespace}/${pod.name}[Pod]`;
}

/** `a.b.c.d-w.x.y.z[External]`. */
export function externalName(range: IpRange): string {
  const ip = (value: bigint): string => formatIp({ family: range.family, value });
  return `${ip(range.start)}-${ip(range.end)}[External]`;
}

/**
 * netpol-analyzer's connection set text: `All Connections`, or `PROTO ports` groups (ports as
 * canonical ranges joined by `,`) sorted as strings and joined by `,`. Empty: `No Connections`.
 */
export function formatConnlistConns(ports: PortSet): string {
  if (isAllPorts(ports)) return 'All Connections';
  if (isEmptyPortSet(ports)) return 'No Connections';
  return PROTOCOLS.filter((p) => ports[p].length > 0)
    .map((p) => `${p} ${formatIntervals(ports[p])}`)
    .sort()
    .join(',');
}

/** Byte-wise string order (all names are ASCII, so UTF-16 order is byte order). */
function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Workload peers: pods grouped by `ns/name[Kind]`, each represented by its first pod. Pods of one
 * owner that the policies tell apart get a warning (netpol-analyzer rejects such input).
 */
function workloadPeers(session: Session, issues: Issue[]): (ListPeer & { endpoint: PodEndpoint })[] {
  const a = session.analysis;
  const byName = new Map<string, { peer: ListPeer & { endpoint: PodEndpoint }; cls: number | undefined }>();
  for (const e of a.endpoints) {
    if (e.kind !== 'pod') continue;
    const name = workloadName(e.pod);
    const first = byName.get(name);
    if (first === undefined) {
      byName.set(name, { peer: { name, endpoint: e }, cls: a.classOfEndpoint(e) });
      continue;
    }
    if (first.cls !== a.classOfEndpoint(e))
      issues.push({
        severity: 'warning',
        code: 'OWNER_PODS_DIFFER',
        message:
          `pods ${first.peer.endpoint.id} and ${e.id} of the same owner ${name} have different connectivity ` +
          `(their labels or ports differ where policies look); the list shows ${first.peer.endpoint.id}`,
        object: `Pod ${e.id}`,
      });
  }
  return [...byName.values()].map((x) => x.peer);
}

function rangePeers(ranges: readonly IpRange[]): ListPeer[] {
  return ranges.map((r) => ({ name: externalName(r), endpoint: externalEndpoint({ family: 4, value: r.start }, r) }));
}

/**
 * The connlist of a session analysed with {@link CONNLIST_ANALYSIS_OPTIONS} (netpol-analyzer
 * semantics): every ordered pair of distinct peers with a non-empty allowed set, IP-to-IP pairs
 * left out, plus `{ingress-controller}` lines when `options.ingressController` is set; sorted by
 * source then destination in byte order.
 */
export function computeConnlist(session: Session): ConnlistResult {
  const a = session.analysis;
  const issues: Issue[] = connlistDiagnostics(session);
  const workloads = workloadPeers(session, issues);
  const sources = [...rangePeers(disjointRanges(referencedBlocks(a.pipeline, 'ingress'))), ...workloads];
  const destinations = [...rangePeers(disjointRanges(referencedBlocks(a.pipeline, 'egress'))), ...workloads];
  const classes = new Map<ListPeer, number | undefined>();
  for (const p of [...sources, ...destinations]) if (!classes.has(p)) classes.set(p, a.classOfEndpoint(p.endpoint));
  const cache = new Map<number, PortSet>();
  const lines: ConnlistLine[] = [];
  for (const src of sources) {
    const cs = classes.get(src);
    for (const dst of destinations) {
      if (src === dst || (src.endpoint.kind === 'external' && dst.endpoint.kind === 'external')) continue;
      const cd = classes.get(dst);
      let ports: PortSet;
      if (cs === undefined || cd === undefined) ports = a.portsBetween(src.endpoint, dst.endpoint);
      else {
        const key = cs * a.classCount + cd;
        let p = cache.get(key);
        if (p === undefined) {
          p = a.classPorts(cs, cd);
          cache.set(key, p);
        }
        ports = p;
      }
      if (!isEmptyPortSet(ports)) lines.push({ src: src.name, dst: dst.name, conn: formatConnlistConns(ports) });
    }
  }
  if (session.options.ingressController) {
    const ingress = ingressConnections(session, workloads);
    issues.push(...ingress.issues);
    for (const c of ingress.connections)
      lines.push({ src: INGRESS_CONTROLLER_NAME, dst: c.target.name, conn: formatConnlistConns(c.ports) });
  }
  lines.sort((x, y) => byteCompare(x.src, y.src) || byteCompare(x.dst, y.dst));
  return { lines, issues };
}

/** The txt form: one `src => dst : conns` line per connection, newline-terminated. */
export function connlistText(lines: readonly ConnlistLine[]): string {
  return lines.map((l) => `${l.src} => ${l.dst} : ${l.conn}\n`).join('');
}
