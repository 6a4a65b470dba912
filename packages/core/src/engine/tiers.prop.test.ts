/**
 * Tier semantics through the real adapters: random ClusterNetworkPolicy (v1alpha2),
 * AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1) and NetworkPolicy OBJECTS, valid by
 * construction, are compiled with `compileCluster` and the class engine's verdicts are compared
 * with a second, naive evaluator written here straight from policy-semantics.md §1.5 (and §2 for
 * NetworkPolicy) over the raw object fields — it never looks at the compiled IR.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cluster, Namespace, Node, PolicyObject, Pod, Protocol } from '../model/types.js';
import { DEFAULT_OPTIONS } from '../options.js';
import { compileCluster } from '../policy/compile.js';
import { Analysis } from './analysis.js';
import { nodesByName, podEndpoint } from './endpoints.js';

// ---------------------------------------------------------------------------------------------
// The raw shapes generated (a subset of the API types, field names as in YAML).

type Labels = Record<string, string>;
type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
interface Requirement {
  key: string;
  operator: Operator;
  values?: string[];
}
interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: Requirement[];
}
interface NamespacedPod {
  namespaceSelector?: LabelSelector;
  podSelector: LabelSelector;
}
interface ClusterPeer {
  namespaces?: LabelSelector;
  pods?: NamespacedPod;
  networks?: string[];
  nodes?: LabelSelector;
  domainNames?: string[];
}
type PortSpec = { number: number } | { range: { start: number; end: number } };
interface CnpProtocol {
  tcp?: { destinationPort: PortSpec };
  udp?: { destinationPort: PortSpec };
  sctp?: { destinationPort: PortSpec };
  destinationNamedPort?: string;
}
interface AnpPort {
  portNumber?: { protocol?: Protocol; port: number };
  portRange?: { protocol?: Protocol; start: number; end: number };
  namedPort?: string;
}
interface ClusterRule {
  name?: string;
  action: string;
  from?: ClusterPeer[];
  to?: ClusterPeer[];
  protocols?: CnpProtocol[];
  ports?: AnpPort[];
}
interface ClusterSpec {
  tier?: 'Admin' | 'Baseline';
  priority?: number;
  subject: { namespaces?: LabelSelector; pods?: NamespacedPod };
  ingress?: ClusterRule[];
  egress?: ClusterRule[];
}
interface NpPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface NpPort {
  protocol?: Protocol;
  port?: number | string;
  endPort?: number;
}
interface NpRule {
  from?: NpPeer[];
  to?: NpPeer[];
  ports?: NpPort[];
}
interface NpSpec {
  podSelector: LabelSelector;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: NpRule[];
  egress?: NpRule[];
}
type ClusterKind = 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
type RawPolicy =
  | { kind: ClusterKind; name: string; spec: ClusterSpec }
  | { kind: 'NetworkPolicy'; name: string; namespace: string; spec: NpSpec };

const API_VERSION: Record<RawPolicy['kind'], string> = {
  ClusterNetworkPolicy: 'policy.networking.k8s.io/v1alpha2',
  AdminNetworkPolicy: 'policy.networking.k8s.io/v1alpha1',
  BaselineAdminNetworkPolicy: 'policy.networking.k8s.io/v1alpha1',
  NetworkPolicy: 'networking.k8s.io/v1',
};

// ---------------------------------------------------------------------------------------------
// Generators.

const NAMESPACES = ['alpha', 'beta', 'gamma'];
const NS_LABELS: Record<string, string[]> = { team: ['red', 'blue'], env: ['prod', 'dev'] };
const POD_LABELS: Record<string, string[]> = { app: ['web', 'db', 'api'], role: ['fe', 'be'] };
const NODE_LABELS: Record<string, string[]> = { zone: ['a', 'b'], 'kubernetes.io/os': ['linux'] };
const NODES: Node[] = [
  { name: 'n1', labels: { zone: 'a', 'kubernetes.io/os': 'linux' }, addresses: ['172.18.0.1', 'fc00::1'] },
  { name: 'n2', labels: { zone: 'b' }, addresses: ['172.18.0.2'] },
];
const CONTAINER_PORTS = [
  { name: 'web', port: 80, protocol: 'TCP' as const },
  { name: 'web', port: 8080, protocol: 'TCP' as const },
  { name: 'dns', port: 53, protocol: 'UDP' as const },
  { name: 'metrics', port: 9090, protocol: 'TCP' as const },
];
const PORT_NAMES = ['web', 'dns', 'metrics'];
const PORT_NUMBERS = [53, 80, 443, 8080, 9090];
const PORT_RANGES: [number, number][] = [
  [50, 90],
  [1, 65535],
  [8000, 9000],
  [53, 80],
];
const CIDRS = [
  '10.0.0.0/24',
  '10.0.1.0/24',
  '10.0.0.0/8',
  '10.0.0.10/32',
  '172.18.0.0/16',
  '172.18.0.1/32',
  '0.0.0.0/0',
  '::/0',
  'fd00::/112',
];
const IP_BLOCKS: NonNullable<NpPeer['ipBlock']>[] = [
  { cidr: '10.0.0.0/8', except: ['10.0.1.0/24'] },
  { cidr: '0.0.0.0/0' },
  { cidr: '10.0.0.0/24', except: ['10.0.0.10/32'] },
  { cidr: 'fd00::/64' },
  { cidr: '172.18.0.0/16' },
];
const DOMAINS = ['api.example.com', '*.example.com'];
const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** Optional labels from a pool: every key present or not, each with one of its values. */
function labelsArb(pool: Record<string, string[]>): fc.Arbitrary<Labels> {
  return fc
    .tuple(...Object.entries(pool).map(([k, vs]) => fc.option(fc.constantFrom(...vs).map((v) => [k, v] as const))))
    .map((entries) => Object.fromEntries(entries.filter((e) => e !== null)));
}

function selectorArb(pool: Record<string, string[]>): fc.Arbitrary<LabelSelector> {
  const keys = Object.keys(pool);
  const matchLabels = fc
    .constantFrom(...keys)
    .chain((k) => fc.constantFrom(...pool[k]!).map((v): Labels => ({ [k]: v })));
  const requirement: fc.Arbitrary<Requirement> = fc
    .tuple(fc.constantFrom(...keys), fc.constantFrom<Operator>('In', 'NotIn', 'Exists', 'DoesNotExist'))
    .chain(([key, operator]) =>
      operator === 'In' || operator === 'NotIn'
        ? fc.subarray(pool[key]!, { minLength: 1 }).map((values): Requirement => ({ key, operator, values }))
        : fc.constant<Requirement>({ key, operator }),
    );
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({}) },
    { weight: 3, arbitrary: matchLabels.map((l): LabelSelector => ({ matchLabels: l })) },
    { weight: 2, arbitrary: requirement.map((r): LabelSelector => ({ matchExpressions: [r] })) },
    {
      weight: 1,
      arbitrary: fc.tuple(matchLabels, requirement).map(([l, r]) => ({ matchLabels: l, matchExpressions: [r] })),
    },
  );
}

const nsSelectorArb = selectorArb({ ...NS_LABELS, 'kubernetes.io/metadata.name': NAMESPACES });
const podSelectorArb = selectorArb(POD_LABELS);
const nodeSelectorArb = selectorArb(NODE_LABELS);

/** `pods: {namespaceSelector, podSelector}`; v1alpha1 requires the namespace selector. */
function namespacedPodArb(nsRequired: boolean): fc.Arbitrary<NamespacedPod> {
  return fc
    .tuple(nsRequired ? nsSelectorArb : fc.option(nsSelectorArb, { nil: undefined }), podSelectorArb)
    .map(([ns, podSelector]) => (ns === undefined ? { podSelector } : { namespaceSelector: ns, podSelector }));
}

interface Dialect {
  readonly kind: ClusterKind;
  readonly accept: string;
  readonly actions: readonly string[];
  readonly v1alpha1: boolean;
  readonly domainNames: boolean;
}
const CNP: Dialect = {
  kind: 'ClusterNetworkPolicy',
  accept: 'Accept',
  actions: ['Accept', 'Deny', 'Pass'],
  v1alpha1: false,
  domainNames: true,
};
const ANP: Dialect = {
  kind: 'AdminNetworkPolicy',
  accept: 'Allow',
  actions: ['Allow', 'Deny', 'Pass'],
  v1alpha1: true,
  domainNames: true,
};
const BANP: Dialect = {
  kind: 'BaselineAdminNetworkPolicy',
  accept: 'Allow',
  actions: ['Allow', 'Deny'],
  v1alpha1: true,
  domainNames: false,
};

function peerArb(d: Dialect, direction: 'ingress' | 'egress', action: string): fc.Arbitrary<ClusterPeer> {
  const podish: fc.Arbitrary<ClusterPeer>[] = [
    nsSelectorArb.map((namespaces) => ({ namespaces })),
    namespacedPodArb(d.v1alpha1).map((pods) => ({ pods })),
  ];
  if (direction === 'ingress') return fc.oneof(...podish);
  const others: fc.Arbitrary<ClusterPeer>[] = [
    fc.subarray(CIDRS, { minLength: 1, maxLength: 2 }).map((networks) => ({ networks })),
    nodeSelectorArb.map((nodes) => ({ nodes })),
  ];
  // domainNames are for Accept/Allow rules only, and BaselineAdminNetworkPolicy has none.
  if (d.domainNames && action === d.accept)
    others.push(fc.subarray(DOMAINS, { minLength: 1 }).map((domainNames) => ({ domainNames })));
  return fc.oneof({ weight: 3, arbitrary: fc.oneof(...podish) }, { weight: 2, arbitrary: fc.oneof(...others) });
}

function cnpProtocolArb(named: boolean): fc.Arbitrary<CnpProtocol> {
  const port: fc.Arbitrary<PortSpec> = fc.oneof(
    fc.constantFrom(...PORT_NUMBERS).map((number) => ({ number })),
    fc.constantFrom(...PORT_RANGES).map(([start, end]) => ({ range: { start, end } })),
  );
  const numeric = fc
    .tuple(fc.constantFrom('tcp', 'udp', 'sctp' as const), port)
    .map(([p, destinationPort]): CnpProtocol => ({ [p]: { destinationPort } }));
  const namedPort = fc.constantFrom(...PORT_NAMES).map((destinationNamedPort) => ({ destinationNamedPort }));
  return named ? fc.oneof(numeric, namedPort) : numeric;
}

function anpPortArb(named: boolean): fc.Arbitrary<AnpPort> {
  const protocol = fc.option(fc.constantFrom(...PROTOCOLS), { nil: undefined });
  const withProtocol = <T extends object>(p: Protocol | undefined, body: T): T =>
    p === undefined ? body : { protocol: p, ...body };
  const numeric = fc.oneof(
    fc
      .tuple(protocol, fc.constantFrom(...PORT_NUMBERS))
      .map(([p, port]): AnpPort => ({ portNumber: withProtocol(p, { port }) })),
    fc
      .tuple(protocol, fc.constantFrom(...PORT_RANGES))
      .map(([p, [start, end]]): AnpPort => ({ portRange: withProtocol(p, { start, end }) })),
  );
  const namedPort = fc.constantFrom(...PORT_NAMES).map((namedPort) => ({ namedPort }));
  return named ? fc.oneof(numeric, namedPort) : numeric;
}

function clusterRuleArb(d: Dialect, direction: 'ingress' | 'egress'): fc.Arbitrary<ClusterRule> {
  return fc
    .constantFrom(...d.actions)
    .chain((action) =>
      fc.array(peerArb(d, direction, action), { minLength: 1, maxLength: 2 }).map((peers) => ({ action, peers })),
    )
    .chain(({ action, peers }) => {
      // Named ports only with pod peers (the experimental CRD rejects them with networks/nodes/domainNames).
      const named = peers.every((p) => p.namespaces !== undefined || p.pods !== undefined);
      const list = <T>(entry: fc.Arbitrary<T>): fc.Arbitrary<T[] | undefined> =>
        fc.option(fc.array(entry, { minLength: 1, maxLength: 2 }), { nil: undefined });
      const ports: fc.Arbitrary<Pick<ClusterRule, 'ports' | 'protocols'>> = d.v1alpha1
        ? list(anpPortArb(named)).map((p) => (p === undefined ? {} : { ports: p }))
        : list(cnpProtocolArb(named)).map((p) => (p === undefined ? {} : { protocols: p }));
      return fc.tuple(ports, fc.boolean()).map(([portFields, withName]): ClusterRule => {
        const rule: ClusterRule = { action, [direction === 'ingress' ? 'from' : 'to']: peers, ...portFields };
        if (withName) rule.name = `${action.toLowerCase()}-rule`;
        return rule;
      });
    });
}

/** A direction's rules: absent, empty (both: no effect on that direction) or 1–3 rules. */
function rulesArb<T>(rule: fc.Arbitrary<T>): fc.Arbitrary<T[] | undefined> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant<T[]>([]) },
    { weight: 5, arbitrary: fc.array(rule, { minLength: 1, maxLength: 3 }) },
  );
}

function clusterSpecArb(d: Dialect): fc.Arbitrary<ClusterSpec> {
  const subject = fc.oneof(
    nsSelectorArb.map((namespaces) => ({ namespaces })),
    namespacedPodArb(d.v1alpha1).map((pods) => ({ pods })),
  );
  return fc
    .record({
      tier: fc.constantFrom('Admin' as const, 'Baseline' as const),
      // A small range so that equal priorities (the name tie-break) are common.
      priority: fc.integer({ min: 0, max: 3 }),
      subject,
      ingress: rulesArb(clusterRuleArb(d, 'ingress')),
      egress: rulesArb(clusterRuleArb(d, 'egress')),
    })
    .map(({ tier, priority, subject, ingress, egress }) => {
      const spec: ClusterSpec = { subject };
      if (d.kind === 'ClusterNetworkPolicy') spec.tier = tier;
      if (d.kind !== 'BaselineAdminNetworkPolicy') spec.priority = priority;
      if (ingress !== undefined) spec.ingress = ingress;
      if (egress !== undefined) spec.egress = egress;
      return spec;
    });
}

const npPeerArb: fc.Arbitrary<NpPeer> = fc.oneof(
  podSelectorArb.map((podSelector) => ({ podSelector })),
  nsSelectorArb.map((namespaceSelector) => ({ namespaceSelector })),
  fc
    .tuple(podSelectorArb, nsSelectorArb)
    .map(([podSelector, namespaceSelector]) => ({ podSelector, namespaceSelector })),
  fc.constantFrom(...IP_BLOCKS).map((ipBlock) => ({ ipBlock })),
);

const npPortArb: fc.Arbitrary<NpPort> = fc.constantFrom<NpPort>(
  {},
  { protocol: 'UDP' },
  { port: 80 },
  { protocol: 'TCP', port: 8000, endPort: 9000 },
  { protocol: 'SCTP', port: 80 },
  { port: 'web' },
  { protocol: 'UDP', port: 'dns' },
  { protocol: 'UDP', port: 53 },
);

function npRuleArb(direction: 'ingress' | 'egress'): fc.Arbitrary<NpRule> {
  const list = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T[] | undefined> =>
    fc.oneof(fc.constant(undefined), fc.constant<T[]>([]), fc.array(a, { minLength: 1, maxLength: 2 }));
  return fc.tuple(list(npPeerArb), list(npPortArb)).map(([peers, ports]) => {
    const rule: NpRule = {};
    if (peers !== undefined) rule[direction === 'ingress' ? 'from' : 'to'] = peers;
    if (ports !== undefined) rule.ports = ports;
    return rule;
  });
}

const npSpecArb: fc.Arbitrary<NpSpec> = fc
  .record({
    podSelector: podSelectorArb,
    policyTypes: fc.constantFrom<NpSpec['policyTypes'] | undefined>(
      undefined,
      ['Ingress'],
      ['Egress'],
      ['Ingress', 'Egress'],
    ),
    ingress: rulesArb(npRuleArb('ingress')),
    egress: rulesArb(npRuleArb('egress')),
  })
  .map(({ podSelector, policyTypes, ingress, egress }) => {
    const spec: NpSpec = { podSelector };
    if (policyTypes !== undefined) spec.policyTypes = policyTypes;
    if (ingress !== undefined) spec.ingress = ingress;
    if (egress !== undefined) spec.egress = egress;
    return spec;
  });

const policiesArb: fc.Arbitrary<RawPolicy[]> = fc
  .tuple(
    fc.array(
      fc.oneof(
        { weight: 3, arbitrary: clusterSpecArb(CNP).map((spec) => ({ kind: CNP.kind, spec })) },
        { weight: 2, arbitrary: clusterSpecArb(ANP).map((spec) => ({ kind: ANP.kind, spec })) },
        {
          weight: 2,
          arbitrary: fc
            .tuple(fc.constantFrom(...NAMESPACES), npSpecArb)
            .map(([namespace, spec]) => ({ kind: 'NetworkPolicy' as const, namespace, spec })),
        },
      ),
      { minLength: 1, maxLength: 6 },
    ),
    fc.option(clusterSpecArb(BANP), { nil: undefined }),
  )
  .map(([items, banp]) => {
    // Unique names: the tie-break by name is then a total order.
    const out: RawPolicy[] = items.map((p, i) =>
      p.kind === 'NetworkPolicy'
        ? { ...p, name: `np-${i}` }
        : { ...p, name: `${p.kind === 'ClusterNetworkPolicy' ? 'cnp' : 'anp'}-${i}` },
    );
    if (banp !== undefined) out.push({ kind: 'BaselineAdminNetworkPolicy', name: 'default', spec: banp });
    return out;
  });

interface World {
  readonly cluster: Cluster;
  readonly policies: readonly RawPolicy[];
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    nsLabels: fc.tuple(...NAMESPACES.map(() => labelsArb(NS_LABELS))),
    pods: fc.array(
      fc.record({
        namespace: fc.constantFrom(...NAMESPACES),
        labels: labelsArb(POD_LABELS),
        hostNetwork: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
        node: fc.constantFrom(...NODES),
        ports: fc.subarray(CONTAINER_PORTS),
        ipv6: fc.boolean(),
      }),
      { minLength: 2, maxLength: 6 },
    ),
    policies: policiesArb,
  })
  .map(({ nsLabels, pods, policies }) => {
    const namespaces: Record<string, Namespace> = {};
    NAMESPACES.forEach((name, i) => {
      namespaces[name] = { name, labels: { ...nsLabels[i], 'kubernetes.io/metadata.name': name }, implicit: false };
    });
    const podList: Pod[] = pods.map((p, i) => {
      const seen = new Set<string>();
      return {
        namespace: p.namespace,
        name: `pod${i}`,
        labels: p.labels,
        // Host-network pods use their node's addresses; others get 10.0.{0,1}.x (and maybe fd00::x).
        ips: p.hostNetwork
          ? p.node.addresses
          : [`10.0.${i % 2}.${10 + i}`, ...(p.ipv6 ? [`fd00::${(10 + i).toString(16)}`] : [])],
        ports: p.ports.filter((cp) => (seen.has(cp.name) ? false : (seen.add(cp.name), true))),
        hostNetwork: p.hostNetwork,
        nodeName: p.node.name,
        replicas: 1,
        fromTemplate: false,
      };
    });
    const objects: PolicyObject[] = policies.map((p) => ({
      apiVersion: API_VERSION[p.kind],
      kind: p.kind,
      metadata: p.kind === 'NetworkPolicy' ? { name: p.name, namespace: p.namespace } : { name: p.name },
      spec: p.spec,
    }));
    const cluster: Cluster = { namespaces, pods: podList, nodes: NODES, externals: [], policies: objects };
    return { cluster, policies };
  });

// ---------------------------------------------------------------------------------------------
// The naive evaluator: §1.5 over the raw objects, one flow at a time.

function parseIp(text: string): { v6: boolean; n: bigint } {
  if (!text.includes(':')) return { v6: false, n: text.split('.').reduce((a, p) => a * 256n + BigInt(p), 0n) };
  const [head = '', tail] = text.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return { v6: true, n: groups.reduce((a, g) => a * 65536n + BigInt(parseInt(g, 16)), 0n) };
}

function inCidr(ip: string, cidr: string): boolean {
  const [address = '', length = ''] = cidr.split('/');
  const net = parseIp(address);
  const a = parseIp(ip);
  if (net.v6 !== a.v6) return false;
  const shift = BigInt((net.v6 ? 128 : 32) - Number(length));
  return net.n >> shift === a.n >> shift;
}

function selects(sel: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  return (sel.matchExpressions ?? []).every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.operator) {
      case 'In':
        return has && r.values!.includes(labels[r.key]!);
      case 'NotIn':
        return !has || !r.values!.includes(labels[r.key]!);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
    }
  });
}

interface Flow {
  readonly cluster: Cluster;
  readonly protocol: Protocol;
  readonly port: number;
  /** The destination pod: named ports resolve against its container ports. */
  readonly dst: Pod;
}

const nsLabels = (f: Flow, pod: Pod): Labels => f.cluster.namespaces[pod.namespace]!.labels;

function namedPortMatches(f: Flow, name: string, protocol: Protocol | null): boolean {
  return f.dst.ports.some(
    (cp) =>
      cp.name === name && cp.port === f.port && cp.protocol === f.protocol && (protocol ?? f.protocol) === f.protocol,
  );
}

const inRange = (f: Flow, protocol: Protocol, start: number, end: number): boolean =>
  f.protocol === protocol && f.port >= start && f.port <= end;

function clusterPeerMatches(f: Flow, peer: ClusterPeer, other: Pod): boolean {
  // Host-network pods are never matched by namespaces/pods peers; to a cluster policy they are node IPs.
  if (peer.namespaces !== undefined) return !other.hostNetwork && selects(peer.namespaces, nsLabels(f, other));
  if (peer.pods !== undefined) {
    const ns = peer.pods.namespaceSelector;
    return (
      !other.hostNetwork &&
      (ns === undefined || selects(ns, nsLabels(f, other))) &&
      selects(peer.pods.podSelector, other.labels)
    );
  }
  if (peer.networks !== undefined) return other.ips.some((ip) => peer.networks!.some((c) => inCidr(ip, c)));
  if (peer.nodes !== undefined) {
    const node = f.cluster.nodes.find((n) => n.name === other.nodeName);
    return other.hostNetwork && node !== undefined && selects(peer.nodes, node.labels);
  }
  return false; // domainNames: a pod is not a domain
}

function clusterPortMatches(f: Flow, rule: ClusterRule): boolean {
  if (rule.protocols !== undefined) {
    return rule.protocols.some((e) => {
      if (e.destinationNamedPort !== undefined) return namedPortMatches(f, e.destinationNamedPort, null);
      const [key, body] = Object.entries(e)[0] as ['tcp' | 'udp' | 'sctp', { destinationPort: PortSpec }];
      const protocol = key.toUpperCase() as Protocol;
      const d = body.destinationPort;
      return 'number' in d
        ? inRange(f, protocol, d.number, d.number)
        : inRange(f, protocol, d.range.start, d.range.end);
    });
  }
  if (rule.ports !== undefined) {
    return rule.ports.some((e) => {
      if (e.namedPort !== undefined) return namedPortMatches(f, e.namedPort, null);
      if (e.portNumber !== undefined)
        return inRange(f, e.portNumber.protocol ?? 'TCP', e.portNumber.port, e.portNumber.port);
      const r = e.portRange!;
      return inRange(f, r.protocol ?? 'TCP', r.start, r.end);
    });
  }
  return true;
}

function clusterSubjectSelects(f: Flow, spec: ClusterSpec, pod: Pod): boolean {
  if (pod.hostNetwork) return false;
  if (spec.subject.namespaces !== undefined) return selects(spec.subject.namespaces, nsLabels(f, pod));
  const { namespaceSelector, podSelector } = spec.subject.pods!;
  return (
    (namespaceSelector === undefined || selects(namespaceSelector, nsLabels(f, pod))) &&
    selects(podSelector, pod.labels)
  );
}

function tierOf(p: Extract<RawPolicy, { kind: ClusterKind }>): 'Admin' | 'Baseline' {
  if (p.kind === 'ClusterNetworkPolicy') return p.spec.tier!;
  return p.kind === 'AdminNetworkPolicy' ? 'Admin' : 'Baseline';
}

/** Admin or Baseline tier: 'allow' | 'deny' | 'pass' | 'none' (no rule matched). */
function clusterTier(
  w: World,
  f: Flow,
  tier: 'Admin' | 'Baseline',
  direction: 'ingress' | 'egress',
  subject: Pod,
  other: Pod,
): 'allow' | 'deny' | 'pass' | 'none' {
  const policies = w.policies
    .filter((p): p is Extract<RawPolicy, { kind: ClusterKind }> => p.kind !== 'NetworkPolicy')
    .filter((p) => tierOf(p) === tier && clusterSubjectSelects(f, p.spec, subject))
    // BaselineAdminNetworkPolicy has no priority: it sits at 0. Equal priorities: by name.
    .sort(
      (a, b) => (a.spec.priority ?? 0) - (b.spec.priority ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  for (const p of policies) {
    for (const rule of p.spec[direction] ?? []) {
      const peers = (direction === 'ingress' ? rule.from : rule.to) ?? [];
      if (!peers.some((peer) => clusterPeerMatches(f, peer, other)) || !clusterPortMatches(f, rule)) continue;
      if (rule.action === 'Accept' || rule.action === 'Allow') return 'allow';
      return rule.action === 'Deny' ? 'deny' : 'pass';
    }
  }
  return 'none';
}

function npPeerMatches(f: Flow, np: Extract<RawPolicy, { kind: 'NetworkPolicy' }>, peer: NpPeer, other: Pod): boolean {
  if (peer.ipBlock !== undefined) {
    const { cidr, except = [] } = peer.ipBlock;
    return other.ips.some((ip) => inCidr(ip, cidr) && !except.some((e) => inCidr(ip, e)));
  }
  // hostNetworkPods: 'node' — selectors never pick host-network pods.
  if (other.hostNetwork) return false;
  const nsOk =
    peer.namespaceSelector === undefined
      ? other.namespace === np.namespace
      : selects(peer.namespaceSelector, nsLabels(f, other));
  return nsOk && (peer.podSelector === undefined || selects(peer.podSelector, other.labels));
}

function npPortMatches(f: Flow, port: NpPort): boolean {
  const protocol = port.protocol ?? 'TCP';
  if (port.port === undefined) return f.protocol === protocol;
  if (typeof port.port === 'string') return namedPortMatches(f, port.port, protocol);
  return inRange(f, protocol, port.port, port.endPort ?? port.port);
}

/** NetworkPolicy tier: 'allow' | 'deny' when a policy isolates the subject, else 'none'. */
function networkPolicyTier(w: World, f: Flow, direction: 'ingress' | 'egress', subject: Pod, other: Pod) {
  const isolating = w.policies
    .filter((p): p is Extract<RawPolicy, { kind: 'NetworkPolicy' }> => p.kind === 'NetworkPolicy')
    .filter((np) => {
      if (subject.hostNetwork || np.namespace !== subject.namespace) return false;
      if (!selects(np.spec.podSelector, subject.labels)) return false;
      const types =
        np.spec.policyTypes !== undefined && np.spec.policyTypes.length > 0
          ? np.spec.policyTypes
          : ['Ingress', ...((np.spec.egress ?? []).length > 0 ? ['Egress'] : [])];
      return types.includes(direction === 'ingress' ? 'Ingress' : 'Egress');
    });
  if (isolating.length === 0) return 'none';
  const allowed = isolating.some((np) =>
    (np.spec[direction] ?? []).some((rule) => {
      const peers = direction === 'ingress' ? rule.from : rule.to;
      const peerOk = peers === undefined || peers.length === 0 || peers.some((p) => npPeerMatches(f, np, p, other));
      const portOk = rule.ports === undefined || rule.ports.length === 0 || rule.ports.some((p) => npPortMatches(f, p));
      return peerOk && portOk;
    }),
  );
  return allowed ? 'allow' : 'deny';
}

/** One direction at `subject`: Admin → NetworkPolicy → Baseline → default allow. */
function sideAllowed(w: World, f: Flow, direction: 'ingress' | 'egress', subject: Pod, other: Pod): boolean {
  const admin = clusterTier(w, f, 'Admin', direction, subject, other);
  if (admin === 'allow' || admin === 'deny') return admin === 'allow';
  // Admin Pass or no match: NetworkPolicy is final for the pods it isolates.
  const np = networkPolicyTier(w, f, direction, subject, other);
  if (np !== 'none') return np === 'allow';
  const baseline = clusterTier(w, f, 'Baseline', direction, subject, other);
  if (baseline === 'allow' || baseline === 'deny') return baseline === 'allow';
  return true;
}

function naiveAllowed(w: World, src: Pod, dst: Pod, protocol: Protocol, port: number): boolean {
  if (src === dst) return true; // a pod reaching its own IP (hairpin) is never subject to policy
  const f: Flow = { cluster: w.cluster, protocol, port, dst };
  // Only pod-network pods have policies of their own.
  const egress = src.hostNetwork || sideAllowed(w, f, 'egress', src, dst);
  const nodeLocal = src.hostNetwork && src.nodeName === dst.nodeName; // ingress from the pod's own node
  const ingress = dst.hostNetwork || nodeLocal || sideAllowed(w, f, 'ingress', dst, src);
  return egress && ingress;
}

// ---------------------------------------------------------------------------------------------

const PROBES: readonly (readonly [Protocol, number])[] = [
  ['TCP', 53],
  ['TCP', 80],
  ['TCP', 443],
  ['TCP', 8080],
  ['TCP', 9090],
  ['UDP', 53],
  ['UDP', 80],
  ['SCTP', 80],
];

describe('tiers through the adapters: class engine vs a naive evaluator over the raw objects', () => {
  it('agree for every pod pair and probe port on random CNP/ANP/BANP/NetworkPolicy objects', () => {
    const options = DEFAULT_OPTIONS;
    fc.assert(
      fc.property(worldArb, (world) => {
        const { cluster } = world;
        const compiled = compileCluster(cluster, options);
        const errors = compiled.issues.filter((i) => i.severity === 'error');
        expect(errors).toEqual([]);
        expect(compiled.policies.length).toBe(world.policies.length);
        const analysis = new Analysis(cluster, compiled.pipeline, options);
        const nodes = nodesByName(cluster);
        for (const src of cluster.pods)
          for (const dst of cluster.pods)
            for (const [protocol, port] of PROBES) {
              const expected = naiveAllowed(world, src, dst, protocol, port);
              const s = podEndpoint(cluster, src, nodes);
              const d = podEndpoint(cluster, dst, nodes);
              const actual = analysis.isAllowed(s, d, protocol, port);
              if (actual !== expected) {
                const why = analysis.explain(s, d, protocol, port);
                throw new Error(
                  `${s.id} -> ${d.id} ${protocol}/${port}: engine ${actual}, naive ${expected}\n` +
                    `  egress: ${why.egress.summary}\n  ingress: ${why.ingress.summary}`,
                );
              }
            }
      }),
      { numRuns: 200 },
    );
  });
});
