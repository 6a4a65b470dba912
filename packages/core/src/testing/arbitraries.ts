/**
 * fast-check arbitraries for random clusters and compiled policies. Test-only helpers:
 * imported by property tests, never by the library itself.
 */
import fc from 'fast-check';
import { parseCidr } from '../model/ip.js';
import type { Selector, SelectorRequirement } from '../model/selector.js';
import type { Cluster, ContainerPort, Namespace, Node, Pod, Protocol } from '../model/types.js';
import type { AnalysisOptions } from '../options.js';
import type { CompiledPolicy, NamespaceMatch, Peer, PortMatch, Rule, RuleAction } from '../policy/ir.js';

const NAMESPACES = ['a', 'b'];
const LABEL_VALUES: Record<string, string[]> = { app: ['web', 'db', 'api'], tier: ['fe', 'be'], team: ['x', 'y'] };
const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];
const CIDRS = ['10.0.0.0/8', '10.0.0.0/24', '10.0.0.2/32', '192.168.0.0/16', '0.0.0.0/0', 'fd00::/64'];
const EXCEPTS = ['10.0.0.0/30', '10.0.0.128/25', '192.168.0.0/24'];

const labelsArb = fc
  .subarray(Object.keys(LABEL_VALUES))
  .chain((keys) =>
    fc
      .tuple(...keys.map((k) => fc.constantFrom(...LABEL_VALUES[k]!)))
      .map((vals) => Object.fromEntries(keys.map((k, i) => [k, vals[i]!]))),
  );

const requirementArb: fc.Arbitrary<SelectorRequirement> = fc
  .tuple(
    fc.constantFrom(...Object.keys(LABEL_VALUES)),
    fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist' as const),
  )
  .chain(([key, operator]): fc.Arbitrary<SelectorRequirement> =>
    operator === 'In' || operator === 'NotIn'
      ? fc.subarray(LABEL_VALUES[key]!, { minLength: 1 }).map((values) => ({ key, operator, values }))
      : fc.constant({ key, operator, values: [] as string[] }),
  );

// Biased towards broad selectors so that policies select pods often enough to matter.
export const selectorArb: fc.Arbitrary<Selector> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ matchLabels: [], matchExpressions: [] }) },
  {
    weight: 3,
    arbitrary: fc.record({
      matchLabels: fc
        .constantFrom(...Object.keys(LABEL_VALUES))
        .chain((k) => fc.constantFrom(...LABEL_VALUES[k]!).map((v) => [[k, v] as [string, string]]))
        .chain((l) => fc.constantFrom(l, [] as [string, string][])),
      matchExpressions: fc.array(requirementArb, { maxLength: 1 }),
    }),
  },
);

const nsMatchArb: fc.Arbitrary<NamespaceMatch> = fc.oneof(
  fc.constantFrom(...NAMESPACES).map((name) => ({ kind: 'name' as const, name })),
  selectorArb.map((selector) => ({ kind: 'selector' as const, selector })),
);

const cidrSetArb = fc.tuple(fc.constantFrom(...CIDRS), fc.subarray(EXCEPTS, { maxLength: 1 })).map(([cidr, ex]) => {
  const range = parseCidr(cidr)!;
  const except = ex
    .map((e) => ({ cidr: e, range: parseCidr(e)! }))
    .filter((e) => e.range.family === range.family && e.range.start >= range.start && e.range.end <= range.end);
  return { cidr, range, except };
});

const peerArb: fc.Arbitrary<Peer> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('pods' as const), namespaces: nsMatchArb, pods: selectorArb }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('ipBlock' as const),
      blocks: fc.array(cidrSetArb, { minLength: 1, maxLength: 2 }),
      matchesPodIps: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nodes' as const), selector: selectorArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('domains' as const),
      names: fc.subarray(['api.example.com', '*.example.com', 'db.internal.org'], { minLength: 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'all' as const }) },
);

const portMatchArb: fc.Arbitrary<PortMatch> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...PROTOCOLS), fc.integer({ min: 50, max: 90 }), fc.integer({ min: 0, max: 30 }))
    .map(([protocol, start, len]) => ({ kind: 'range' as const, protocol, start, end: start + len })),
  fc
    .tuple(fc.constantFrom('http', 'dns', 'metrics'), fc.constantFrom<Protocol | null>(null, 'TCP', 'UDP'))
    .map(([name, protocol]) => ({ kind: 'named' as const, name, protocol })),
);

function rulesArb(actions: readonly RuleAction[]): fc.Arbitrary<Rule[]> {
  return fc
    .array(
      fc.record({
        action: fc.constantFrom(...actions, ...actions.filter((a) => a !== 'Allow')),
        peers: fc.array(peerArb, { maxLength: 2 }),
        ports: fc.option(fc.array(portMatchArb, { minLength: 1, maxLength: 2 }), { nil: null }),
      }),
      { maxLength: 3 },
    )
    .map((rules) => rules.map((r, index) => ({ index, ...r })));
}

export const policyArb: fc.Arbitrary<CompiledPolicy> = fc
  .tuple(fc.constantFrom('Admin', 'NetworkPolicy', 'Baseline'), fc.integer({ min: 0, max: 3 }), fc.nat(1000))
  .chain(([tier, priority, id]) => {
    const actions: RuleAction[] = tier === 'NetworkPolicy' ? ['Allow'] : ['Allow', 'Deny', 'Pass'];
    return fc.record({
      ref: fc.constant({ kind: tier === 'NetworkPolicy' ? 'NetworkPolicy' : 'ClusterNetworkPolicy', name: `p${id}` }),
      tier: fc.constant(tier),
      priority: fc.constant(tier === 'NetworkPolicy' ? 0 : priority),
      subject: fc.record({ namespaces: nsMatchArb, pods: selectorArb }),
      ingress: fc.option(rulesArb(actions), { nil: undefined }),
      egress: fc.option(rulesArb(actions), { nil: undefined }),
    });
  });

const containerPortsArb: fc.Arbitrary<ContainerPort[]> = fc
  .subarray([
    { name: 'http', port: 80, protocol: 'TCP' as const },
    { name: 'http', port: 8080, protocol: 'TCP' as const },
    { name: 'dns', port: 53, protocol: 'UDP' as const },
    { name: 'dns', port: 53, protocol: 'TCP' as const },
    { name: 'metrics', port: 70, protocol: 'SCTP' as const },
  ])
  .map((ports) => {
    // A pod never declares the same name twice.
    const seen = new Set<string>();
    return ports.filter((p) => (seen.has(p.name) ? false : (seen.add(p.name), true)));
  });

const podArb = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  labels: labelsArb,
  ips: fc.subarray(['10.0.0.1', '10.0.0.2', '10.0.1.5', '192.168.1.1', 'fd00::5']),
  ports: containerPortsArb,
  hostNetwork: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  nodeName: fc.option(fc.constantFrom('n1', 'n2'), { nil: undefined }),
});

/** A random small cluster with random compiled policies. */
export const clusterWithPoliciesArb: fc.Arbitrary<{ cluster: Cluster; policies: CompiledPolicy[] }> = fc
  .record({
    nsLabels: fc.tuple(labelsArb, labelsArb),
    // Each pod may be a replica of the one before it (same namespace and labels, its own ports,
    // addresses and host network): replicas listed together are the common case the engine's
    // shape grouping takes a shortcut for.
    pods: fc
      .array(fc.tuple(podArb, fc.boolean()), { minLength: 1, maxLength: 7 })
      .map((list) =>
        list.map(([p, replica], i) =>
          replica && i > 0 ? { ...p, namespace: list[i - 1]![0].namespace, labels: list[i - 1]![0].labels } : p,
        ),
      ),
    nodes: fc.subarray([
      { name: 'n1', labels: { zone: 'a', team: 'x' }, addresses: ['192.168.0.1'] },
      { name: 'n2', labels: { zone: 'b' }, addresses: ['192.168.0.2', 'fd00::1'] },
    ]),
    externals: fc.subarray([
      { name: 'ext-1', ip: '8.8.8.8' },
      { name: 'ext-2', ip: '10.0.0.3' },
    ]),
    policies: fc.array(policyArb, { minLength: 1, maxLength: 6 }),
  })
  .map(({ nsLabels, pods, nodes, externals, policies }) => {
    const namespaces: Record<string, Namespace> = {};
    NAMESPACES.forEach((name, i) => {
      namespaces[name] = {
        name,
        labels: { ...nsLabels[i], 'kubernetes.io/metadata.name': name },
        implicit: false,
      };
    });
    const podList: Pod[] = pods.map((p, i) => ({
      ...p,
      // A label no selector looks at: the engine must ignore it when grouping pods.
      labels: { ...p.labels, 'pod-template-hash': `h${i % 3}` },
      name: `pod${i}`,
      replicas: 1,
      fromTemplate: false,
    }));
    const cluster: Cluster = { namespaces, pods: podList, nodes: nodes as Node[], externals, policies: [] };
    return { cluster, policies };
  });

/** Random analysis options. */
export const optionsArb: fc.Arbitrary<AnalysisOptions> = fc.record({
  ipBlockMatchesPods: fc.boolean(),
  hostNetworkPods: fc.constantFrom('node' as const, 'pod' as const),
  nodeLocalIngress: fc.boolean(),
  domainIps: fc.constantFrom({}, { 'api.example.com': ['10.0.0.2'] }, { 'db.internal.org': ['8.8.8.8', 'fd00::5'] }),
  missingSelectorsMatchAll: fc.boolean(),
  ingressController: fc.boolean(),
});

/**
 * A cluster made of `copies` copies of a small one: every namespace, pod and policy is copied
 * under the name `<name>-<i>`, and namespace names in policies are renamed with it, so each
 * copy's policies select and admit their own copy (label-based namespace selectors still reach
 * across copies). Gives tens to hundreds of classes — rows span several 32-class words.
 */
export function widenCluster(
  input: { cluster: Cluster; policies: CompiledPolicy[] },
  copies: number,
): { cluster: Cluster; policies: CompiledPolicy[] } {
  const { cluster, policies } = input;
  const namespaces: Record<string, Namespace> = {};
  const pods: Pod[] = [];
  const out: CompiledPolicy[] = [];
  for (let i = 0; i < copies; i++) {
    const rename = (ns: string): string => `${ns}-${i}`;
    const nsMatch = (m: NamespaceMatch): NamespaceMatch =>
      m.kind === 'name' ? { kind: 'name', name: rename(m.name) } : m;
    for (const ns of Object.values(cluster.namespaces))
      namespaces[rename(ns.name)] = {
        ...ns,
        name: rename(ns.name),
        labels: { ...ns.labels, 'kubernetes.io/metadata.name': rename(ns.name) },
      };
    for (const p of cluster.pods) pods.push({ ...p, namespace: rename(p.namespace) });
    // Each copy's pods are selected by a policy of their own (so classes never merge across
    // copies): ingress from the same namespace only.
    for (const ns of Object.keys(cluster.namespaces)) {
      const own: NamespaceMatch = { kind: 'name', name: rename(ns) };
      const all: Selector = { matchLabels: [], matchExpressions: [] };
      out.push({
        ref: { kind: 'NetworkPolicy', name: `own-${rename(ns)}` },
        tier: 'NetworkPolicy',
        priority: 0,
        subject: { namespaces: own, pods: all },
        ingress: [{ index: 0, action: 'Allow', peers: [{ kind: 'pods', namespaces: own, pods: all }], ports: null }],
      });
    }
    for (const p of policies) {
      const rules = (list: readonly Rule[] | undefined): Rule[] | undefined =>
        list?.map((r) => ({
          ...r,
          peers: r.peers.map((peer) =>
            peer.kind === 'pods' ? { ...peer, namespaces: nsMatch(peer.namespaces) } : peer,
          ),
        }));
      out.push({
        ...p,
        ref: { ...p.ref, name: `${p.ref.name}-${i}` },
        subject: { ...p.subject, namespaces: nsMatch(p.subject.namespaces) },
        ingress: rules(p.ingress),
        egress: rules(p.egress),
      });
    }
  }
  return { cluster: { ...cluster, namespaces, pods }, policies: out };
}

/** Like {@link clusterWithPoliciesArb}, widened to 20–48 copies (see {@link widenCluster}). */
export const wideClusterWithPoliciesArb: fc.Arbitrary<{ cluster: Cluster; policies: CompiledPolicy[] }> = fc
  .tuple(clusterWithPoliciesArb, fc.integer({ min: 20, max: 48 }))
  .map(([input, copies]) => widenCluster(input, copies));
