/**
 * Endpoints: everything that can send or receive a flow — pods, nodes, external addresses
 * and domain names — with the facts that policy matching looks at.
 */
import { flat } from '../model/flat.js';
import { type IpAddress, type IpRange, formatRange, formatRangeCompact, parseIp } from '../model/ip.js';
import type { Cluster, Labels, Node, Pod } from '../model/types.js';

/** A pod endpoint. */
export interface PodEndpoint {
  readonly kind: 'pod';
  /** `namespace/name`. */
  readonly id: string;
  readonly pod: Pod;
  readonly namespaceLabels: Labels;
  readonly ips: readonly IpAddress[];
  /** The node the pod runs on, when known. */
  readonly node?: Node | undefined;
}

/** A node endpoint (its addresses). */
export interface NodeEndpoint {
  readonly kind: 'node';
  /** `node/<name>`. */
  readonly id: string;
  readonly node: Node;
  readonly ips: readonly IpAddress[];
}

/** An external address, or a range of them that no policy tells apart. */
export interface ExternalEndpoint {
  readonly kind: 'external';
  /** The address, or `a-b` for a range. */
  readonly id: string;
  /** Representative address used for matching. */
  readonly ip: IpAddress;
  readonly range?: IpRange | undefined;
  /** Display name for declared externals. */
  readonly name?: string | undefined;
}

/** A domain name (ClusterNetworkPolicy `domainNames`), with the IPs it is known to resolve to. */
export interface DomainEndpoint {
  readonly kind: 'domain';
  readonly id: string;
  readonly name: string;
  readonly ips: readonly IpAddress[];
}

/** Any endpoint. */
export type Endpoint = PodEndpoint | NodeEndpoint | ExternalEndpoint | DomainEndpoint;

/** Whether the endpoint is a pod in the pod network (not host-network). */
export function isPodNetworkPod(e: Endpoint): e is PodEndpoint {
  return e.kind === 'pod' && !e.pod.hostNetwork;
}

/** Whether the endpoint is a pod that a tier may select, given its host-network rule. */
export function isSelectablePod(e: Endpoint, selectsHostNetworkPods: boolean): e is PodEndpoint {
  return e.kind === 'pod' && (!e.pod.hostNetwork || selectsHostNetworkPods);
}

/** The node an endpoint stands for in node-IP terms: a node, or a host-network pod's node. */
export function nodeOf(e: Endpoint): Node | undefined {
  if (e.kind === 'node') return e.node;
  if (e.kind === 'pod' && e.pod.hostNetwork) return e.node ?? { name: e.pod.nodeName ?? '', labels: {}, addresses: [] };
  return undefined;
}

/** Name of the node an endpoint runs on (node endpoints: themselves). */
export function nodeNameOf(e: Endpoint): string | undefined {
  if (e.kind === 'node') return e.node.name;
  if (e.kind === 'pod') return e.pod.nodeName;
  return undefined;
}

function parseAll(ips: readonly string[]): IpAddress[] {
  // `map` sizes the array exactly; one grown by `push` keeps room for 17 elements, and endpoints
  // live as long as the analysis (the garbage collector copies that room too).
  const out = ips.map(parseIp);
  return out.includes(undefined) ? out.filter((ip) => ip !== undefined) : (out as IpAddress[]);
}

/** A pod's container ports as a key: equal for pods that declare the same ports in the same order. */
export function containerPortsKey(pod: Pod): string {
  let key = '';
  for (const cp of pod.ports) key += `${cp.name ?? ''}:${cp.protocol}:${cp.port},`;
  return key;
}

/** Build the endpoint of a pod. Host-network pods without IPs take their node's addresses. */
export function podEndpoint(cluster: Cluster, pod: Pod, nodes: ReadonlyMap<string, Node>): PodEndpoint {
  const node = pod.nodeName !== undefined ? nodes.get(pod.nodeName) : undefined;
  let ips = parseAll(pod.ips);
  if (ips.length === 0 && pod.hostNetwork && node !== undefined) ips = parseAll(node.addresses);
  const ns = cluster.namespaces[pod.namespace];
  return {
    kind: 'pod',
    id: flat(`${pod.namespace}/${pod.name}`), // kept as long as the analysis (see model/flat.ts)
    pod,
    namespaceLabels: ns?.labels ?? { 'kubernetes.io/metadata.name': pod.namespace },
    ips,
    node,
  };
}

/** Build the endpoint of a node. */
export function nodeEndpoint(node: Node): NodeEndpoint {
  return { kind: 'node', id: `node/${node.name}`, node, ips: parseAll(node.addresses) };
}

/** Build an external endpoint for one address or a range (represented by its first address). */
export function externalEndpoint(ip: IpAddress, range?: IpRange, name?: string): ExternalEndpoint {
  const id =
    range !== undefined
      ? formatRangeCompact(range)
      : formatRange({ family: ip.family, start: ip.value, end: ip.value });
  return { kind: 'external', id, ip, range, name };
}

/** Build a domain endpoint. */
export function domainEndpoint(name: string, ips: readonly string[]): DomainEndpoint {
  return { kind: 'domain', id: name, name, ips: parseAll(ips) };
}

/** Whether the endpoint is node-IP traffic: a node, or a host-network pod. */
export function isNodeLike(e: Endpoint): boolean {
  return e.kind === 'node' || (e.kind === 'pod' && e.pod.hostNetwork);
}

/**
 * Whether a flow is ingress from the destination pod's own node (a node, or a host-network pod on
 * it, to a pod-network pod with `spec.nodeName`), which the NetworkPolicy API always allows.
 */
export function isFromOwnNode(src: Endpoint, dst: Endpoint): dst is PodEndpoint {
  return (
    isNodeLike(src) && isPodNetworkPod(dst) && dst.pod.nodeName !== undefined && nodeNameOf(src) === dst.pod.nodeName
  );
}

/** Index of nodes by name. */
export function nodesByName(cluster: Cluster): Map<string, Node> {
  return new Map(cluster.nodes.map((n) => [n.name, n]));
}

/**
 * Whether a domain name matches a `domainNames` entry: exact (case-insensitive, trailing dot
 * ignored), or `*.suffix`, which matches one or more whole labels before `suffix`.
 */
export function domainMatches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const n = name.toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.')) {
    const suffix = p.slice(1); // ".example.com"
    return n.endsWith(suffix) && n.length > suffix.length;
  }
  return p === n;
}
