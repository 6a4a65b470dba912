/**
 * The network-policy-api conformance suite as data: every test, subtest, setup mutation and
 * connectivity assertion of policy-semantics.md Appendix A (network-policy-api `main`, API
 * v1alpha2), plus the same suite mapped onto the v1alpha1 objects of tag v0.1.8
 * (AdminNetworkPolicy / BaselineAdminNetworkPolicy), see {@link toV1alpha1}.
 *
 * Pods are written as `<house>/<pod>`: the namespace is `network-policy-conformance-<house>`.
 * Manifest paths are relative to `<corpus>/<version>/conformance/base/`. Setup steps are
 * cumulative within a test, exactly as the Go suite patches live objects one subtest after another.
 */

/** Namespaces of the suite are `network-policy-conformance-<house>`. */
export const NAMESPACE_PREFIX = 'network-policy-conformance-';

/** First of the 8 consecutive host-network ports (`hostPort[i]` = 34345 + i; §3.1). */
export const HOST_NETWORK_PORT_START = 34345;

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type Direction = 'ingress' | 'egress';
export type Expected = 'allow' | 'deny';

/** A policy object the mutations act on, by kind and name. `tier` is kept to map CNPs to v1alpha1 kinds. */
export interface PolicyRef {
  readonly kind: 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'NetworkPolicy';
  readonly name: string;
  /** House of a NetworkPolicy's namespace. */
  readonly house?: string;
  readonly tier?: 'Admin' | 'Baseline';
}

/** An edit of the loaded objects, replayed in order (policy-semantics.md §3.5). */
export type Mutation =
  /** Swap rules `i` and `j` of a policy's ingress or egress list, in place. */
  | {
      readonly op: 'swapRules';
      readonly policy: PolicyRef;
      readonly direction: Direction;
      readonly i: number;
      readonly j: number;
    }
  /** Replace a rule's port list (`protocols` in v1alpha2, `ports` in v1alpha1) with `entries`. */
  | {
      readonly op: 'setPorts';
      readonly policy: PolicyRef;
      readonly direction: Direction;
      readonly rule: number;
      readonly field: 'protocols' | 'ports';
      readonly entries: readonly Readonly<Record<string, unknown>>[];
    }
  | { readonly op: 'setPriority'; readonly policy: PolicyRef; readonly priority: number }
  | {
      readonly op: 'setAction';
      readonly policy: PolicyRef;
      readonly direction: Direction;
      readonly rule: number;
      readonly action: string;
    }
  | { readonly op: 'deletePolicy'; readonly policy: PolicyRef }
  /** Set (add or overwrite) labels of the namespace of a house. */
  | { readonly op: 'relabelNamespace'; readonly house: string; readonly labels: Readonly<Record<string, string>> }
  /**
   * Insert a rule at `index` whose one peer is `networks: [<ip>/32 or /128 for every IP of each pod>]`
   * (the Go test reads the pods' IPs at run time, so the runner fills them in).
   */
  | {
      readonly op: 'insertNetworksRule';
      readonly policy: PolicyRef;
      readonly direction: 'egress';
      readonly index: number;
      readonly name: string;
      readonly action: string;
      readonly pods: readonly string[];
    };

/** A host-network port by index (`hostPort[i]`). */
export interface HostPort {
  readonly hostPort: number;
}

/** One probe: `client` connects to `server` (both `<house>/<pod>`) and expects `expected`. */
export interface Assertion {
  readonly kind: 'assert';
  readonly client: string;
  readonly server: string;
  readonly protocol: Protocol;
  readonly port: number | HostPort;
  readonly expected: Expected;
}

/** Mutations applied before the assertions that follow them. */
export interface Setup {
  readonly kind: 'setup';
  /** The mutation as the suite describes it. */
  readonly description: string;
  readonly mutations: readonly Mutation[];
}

export type Step = Setup | Assertion;

export interface Subtest {
  readonly name: string;
  /** Setups and assertions in the order the Go subtest runs them. */
  readonly steps: readonly Step[];
}

export interface ConformanceCase {
  /** The Go `ShortName`. */
  readonly name: string;
  /** Manifests applied besides `manifests.yaml`, relative to `conformance/base/`. */
  readonly manifests: readonly string[];
  readonly subtests: readonly Subtest[];
}

// ---------------------------------------------------------------------------------------------
// Builders, to keep the data one line per step.

const admin = (name: string): PolicyRef => ({ kind: 'ClusterNetworkPolicy', tier: 'Admin', name });
const baseline = (name: string): PolicyRef => ({ kind: 'ClusterNetworkPolicy', tier: 'Baseline', name });
const networkPolicy = (house: string, name: string): PolicyRef => ({ kind: 'NetworkPolicy', house, name });

const hostPort = (i: number): HostPort => ({ hostPort: i });

function probe(expected: Expected) {
  return (client: string, server: string, protocol: Protocol, port: number | HostPort): Assertion => ({
    kind: 'assert',
    client,
    server,
    protocol,
    port,
    expected,
  });
}
const allow = probe('allow');
const deny = probe('deny');

const setup = (description: string, ...mutations: Mutation[]): Setup => ({ kind: 'setup', description, mutations });
const subtest = (name: string, steps: Step[]): Subtest => ({ name, steps });

const swapRules = (policy: PolicyRef, direction: Direction, i: number, j: number): Mutation => ({
  op: 'swapRules',
  policy,
  direction,
  i,
  j,
});
const setNamedPort = (policy: PolicyRef, direction: Direction, rule: number, name: string): Mutation => ({
  op: 'setPorts',
  policy,
  direction,
  rule,
  field: 'protocols',
  entries: [{ destinationNamedPort: name }],
});
const setPriority = (policy: PolicyRef, priority: number): Mutation => ({ op: 'setPriority', policy, priority });
const setAction = (policy: PolicyRef, direction: Direction, rule: number, action: string): Mutation => ({
  op: 'setAction',
  policy,
  direction,
  rule,
  action,
});
const deletePolicy = (policy: PolicyRef): Mutation => ({ op: 'deletePolicy', policy });
const relabelNamespace = (house: string, labels: Record<string, string>): Mutation => ({
  op: 'relabelNamespace',
  house,
  labels,
});
const insertNetworksRule = (
  policy: PolicyRef,
  direction: 'egress',
  index: number,
  name: string,
  pods: string[],
): Mutation => ({ op: 'insertNetworksRule', policy, direction, index, name, action: 'Accept', pods });

// ---------------------------------------------------------------------------------------------

/** The 24 tests of the v1alpha2 (ClusterNetworkPolicy) suite, in the order of §3.4. */
export const CASES_V1ALPHA2: readonly ConformanceCase[] = [
  {
    name: 'CNPAdminTierIngressTCP',
    manifests: ['admin_tier/standard-ingress-tcp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-ingress' policy for TCP protocol; ensure rule ordering is respected", [
        allow('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        allow('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'TCP', 8080),
      ]),
      subtest("Should support an 'allow-ingress' policy for TCP protocol at the specified port", [
        allow('hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'TCP', 80),
        deny('hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'TCP', 8080),
      ]),
      subtest("Should support an 'deny-ingress' policy for TCP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index1', swapRules(admin('ingress-tcp'), 'ingress', 0, 1)),
        deny('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-1', 'TCP', 80),
        deny('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'TCP', 8080),
      ]),
      subtest("Should support a 'deny-ingress' policy for TCP protocol at the specified port", [
        deny('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        allow('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080),
      ]),
      subtest("Should support an 'pass-ingress' policy for TCP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index2', swapRules(admin('ingress-tcp'), 'ingress', 0, 2)),
        allow('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        allow('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'TCP', 8080),
      ]),
      subtest("Should support a 'pass-ingress' policy for TCP protocol at the specified port", [
        setup('swap rules at index3 and index4', swapRules(admin('ingress-tcp'), 'ingress', 3, 4)),
        allow('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        allow('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080),
      ]),
    ],
  },
  {
    name: 'CNPAdminTierIngressUDP',
    manifests: ['admin_tier/standard-ingress-udp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-ingress' policy for UDP protocol; ensure rule ordering is respected", [
        allow('ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-0', 'UDP', 53),
        allow('ravenclaw/luna-lovegood-1', 'hufflepuff/cedric-diggory-0', 'UDP', 5353),
      ]),
      subtest("Should support an 'allow-ingress' policy for UDP protocol at the specified port", [
        allow('gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'UDP', 53),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'UDP', 5353),
      ]),
      subtest("Should support an 'deny-ingress' policy for UDP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index1', swapRules(admin('ingress-udp'), 'ingress', 0, 1)),
        deny('ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-1', 'UDP', 53),
        deny('ravenclaw/luna-lovegood-1', 'hufflepuff/cedric-diggory-1', 'UDP', 5353),
      ]),
      subtest("Should support a 'deny-ingress' policy for UDP protocol at the specified port", [
        deny('slytherin/draco-malfoy-0', 'hufflepuff/cedric-diggory-0', 'UDP', 5353),
        allow('slytherin/draco-malfoy-1', 'hufflepuff/cedric-diggory-0', 'UDP', 53),
      ]),
      subtest("Should support an 'pass-ingress' policy for UDP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index2', swapRules(admin('ingress-udp'), 'ingress', 0, 2)),
        allow('ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-1', 'UDP', 5353),
        allow('ravenclaw/luna-lovegood-1', 'hufflepuff/cedric-diggory-1', 'UDP', 53),
      ]),
      subtest("Should support a 'pass-ingress' policy for UDP protocol at the specified port", [
        setup('swap rules at index3 and index4', swapRules(admin('ingress-udp'), 'ingress', 3, 4)),
        allow('slytherin/draco-malfoy-0', 'hufflepuff/cedric-diggory-0', 'UDP', 5353),
        allow('slytherin/draco-malfoy-1', 'hufflepuff/cedric-diggory-0', 'UDP', 53),
      ]),
    ],
  },
  {
    name: 'CNPAdminTierIngressSCTP',
    manifests: ['admin_tier/standard-ingress-sctp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-ingress' policy for SCTP protocol; ensure rule ordering is respected", [
        allow('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003),
        allow('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9005),
      ]),
      subtest("Should support an 'allow-ingress' policy for SCTP protocol at the specified port", [
        allow('hufflepuff/cedric-diggory-0', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003),
        deny('hufflepuff/cedric-diggory-1', 'ravenclaw/luna-lovegood-1', 'SCTP', 9005),
      ]),
      subtest("Should support an 'deny-ingress' policy for SCTP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index1', swapRules(admin('ingress-sctp'), 'ingress', 0, 1)),
        deny('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'SCTP', 9005),
      ]),
      subtest("Should support a 'deny-ingress' policy for SCTP protocol at the specified port", [
        deny('slytherin/draco-malfoy-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003),
        allow('slytherin/draco-malfoy-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9005),
      ]),
      subtest("Should support an 'pass-ingress' policy for SCTP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index2', swapRules(admin('ingress-sctp'), 'ingress', 0, 2)),
        allow('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003),
        allow('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'SCTP', 9005),
      ]),
      subtest("Should support a 'pass-ingress' policy for SCTP protocol at the specified port", [
        setup('swap rules at index3 and index4', swapRules(admin('ingress-sctp'), 'ingress', 3, 4)),
        allow('slytherin/draco-malfoy-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003),
        allow('slytherin/draco-malfoy-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9005),
      ]),
    ],
  },
  {
    name: 'CNPAdminTierEgressTCP',
    manifests: ['admin_tier/standard-egress-tcp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-egress' policy for TCP protocol; ensure rule ordering is respected", [
        allow('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'TCP', 8080),
      ]),
      subtest("Should support an 'allow-egress' policy for TCP protocol at the specified port", [
        allow('gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'TCP', 8080),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'TCP', 80),
      ]),
      subtest("Should support an 'deny-egress' policy for TCP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index1', swapRules(admin('egress-tcp'), 'egress', 0, 1)),
        deny('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'TCP', 8080),
      ]),
      subtest("Should support a 'deny-egress' policy for TCP protocol at the specified port", [
        deny('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080),
      ]),
      subtest("Should support an 'pass-egress' policy for TCP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index2', swapRules(admin('egress-tcp'), 'egress', 0, 2)),
        allow('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'TCP', 8080),
      ]),
      subtest("Should support a 'pass-egress' policy for TCP protocol at the specified port", [
        setup('swap rules at index3 and index4', swapRules(admin('egress-tcp'), 'egress', 3, 4)),
        allow('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080),
      ]),
    ],
  },
  {
    name: 'CNPAdminTierEgressUDP',
    manifests: ['admin_tier/standard-egress-udp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-egress' policy for UDP protocol; ensure rule ordering is respected", [
        allow('hufflepuff/cedric-diggory-0', 'ravenclaw/luna-lovegood-0', 'UDP', 53),
        allow('hufflepuff/cedric-diggory-1', 'ravenclaw/luna-lovegood-0', 'UDP', 5353),
      ]),
      subtest("Should support an 'allow-egress' policy for UDP protocol at the specified port", [
        allow('hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'UDP', 53),
        deny('hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'UDP', 5353),
      ]),
      subtest("Should support an 'deny-egress' policy for UDP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index1', swapRules(admin('egress-udp'), 'egress', 0, 1)),
        deny('hufflepuff/cedric-diggory-0', 'ravenclaw/luna-lovegood-1', 'UDP', 53),
        deny('hufflepuff/cedric-diggory-1', 'ravenclaw/luna-lovegood-1', 'UDP', 5353),
      ]),
      subtest("Should support a 'deny-egress' policy for UDP protocol at the specified port", [
        deny('hufflepuff/cedric-diggory-0', 'slytherin/draco-malfoy-0', 'UDP', 5353),
        allow('hufflepuff/cedric-diggory-1', 'slytherin/draco-malfoy-0', 'UDP', 53),
      ]),
      subtest("Should support an 'pass-egress' policy for UDP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index2', swapRules(admin('egress-udp'), 'egress', 0, 2)),
        allow('hufflepuff/cedric-diggory-0', 'ravenclaw/luna-lovegood-1', 'UDP', 5353),
        allow('hufflepuff/cedric-diggory-1', 'ravenclaw/luna-lovegood-1', 'UDP', 53),
      ]),
      subtest("Should support a 'pass-egress' policy for UDP protocol at the specified port", [
        setup('swap rules at index3 and index4', swapRules(admin('egress-udp'), 'egress', 3, 4)),
        allow('hufflepuff/cedric-diggory-0', 'slytherin/draco-malfoy-0', 'UDP', 5353),
        allow('hufflepuff/cedric-diggory-1', 'slytherin/draco-malfoy-0', 'UDP', 53),
      ]),
    ],
  },
  {
    name: 'CNPAdminTierEgressSCTP',
    manifests: ['admin_tier/standard-egress-sctp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-egress' policy for SCTP protocol; ensure rule ordering is respected", [
        allow('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'SCTP', 9003),
        allow('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'SCTP', 9005),
      ]),
      subtest("Should support an 'allow-egress' policy for SCTP protocol at the specified port", [
        allow('ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-1', 'SCTP', 9003),
        deny('ravenclaw/luna-lovegood-1', 'hufflepuff/cedric-diggory-1', 'SCTP', 9005),
      ]),
      subtest("Should support an 'deny-egress' policy for SCTP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index1', swapRules(admin('egress-sctp'), 'egress', 0, 1)),
        deny('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-1', 'SCTP', 9003),
        deny('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'SCTP', 9005),
      ]),
      subtest("Should support a 'deny-egress' policy for SCTP protocol at the specified port", [
        deny('ravenclaw/luna-lovegood-0', 'slytherin/draco-malfoy-0', 'SCTP', 9003),
        allow('ravenclaw/luna-lovegood-1', 'slytherin/draco-malfoy-0', 'SCTP', 9005),
      ]),
      subtest("Should support an 'pass-egress' policy for SCTP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index2', swapRules(admin('egress-sctp'), 'egress', 0, 2)),
        allow('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-1', 'SCTP', 9003),
        allow('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'SCTP', 9005),
      ]),
      subtest("Should support a 'pass-egress' policy for SCTP protocol at the specified port", [
        setup('swap rules at index3 and index4', swapRules(admin('egress-sctp'), 'egress', 3, 4)),
        allow('ravenclaw/luna-lovegood-0', 'slytherin/draco-malfoy-0', 'SCTP', 9003),
        allow('ravenclaw/luna-lovegood-1', 'slytherin/draco-malfoy-0', 'SCTP', 9005),
      ]),
    ],
  },
  {
    name: 'CNPAdminTierGress',
    manifests: ['admin_tier/standard-gress-rules-combined.yaml'],
    subtests: [
      subtest("Should support an 'allow-gress' policy across different protocols", [
        allow('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'UDP', 53),
        allow('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003),
        allow('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        allow('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'UDP', 53),
        allow('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'SCTP', 9003),
      ]),
      subtest("Should support an 'allow-gress' policy across different protocols at the specified ports", [
        allow('gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'TCP', 8080),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'TCP', 80),
        allow('gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'UDP', 5353),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'UDP', 53),
        allow('gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'SCTP', 9003),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'SCTP', 9005),
        allow('hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'TCP', 80),
        deny('hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'TCP', 8080),
        allow('hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'UDP', 5353),
        deny('hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'UDP', 53),
        allow('hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'SCTP', 9003),
        deny('hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'SCTP', 9005),
      ]),
      subtest("Should support an 'deny-gress' policy across different protocols", [
        setup(
          'swap rules at index0 and index1 for both ingress and egress',
          swapRules(admin('gress-rules'), 'ingress', 0, 1),
          swapRules(admin('gress-rules'), 'egress', 0, 1),
        ),
        deny('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'UDP', 53),
        deny('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003),
        deny('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-1', 'TCP', 80),
        deny('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'UDP', 53),
        deny('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'SCTP', 9003),
      ]),
      subtest("Should support a 'deny-gress' policy across different protocols at the specified ports", [
        deny('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080),
        deny('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'UDP', 53),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'UDP', 5353),
        deny('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'SCTP', 9003),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'SCTP', 9005),
        deny('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        allow('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080),
        deny('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'UDP', 53),
        allow('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'UDP', 5353),
        deny('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'SCTP', 9003),
        allow('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'SCTP', 9005),
      ]),
      subtest("Should support an 'pass-gress' policy across different protocols", [
        setup(
          'swap rules at index0 and index2 for both ingress and egress',
          swapRules(admin('gress-rules'), 'ingress', 0, 2),
          swapRules(admin('gress-rules'), 'egress', 0, 2),
        ),
        allow('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'TCP', 80),
        allow('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'UDP', 5353),
        allow('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003),
        allow('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        allow('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'UDP', 53),
        allow('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'SCTP', 9003),
      ]),
      subtest("Should support a 'pass-gress' policy across different protocols at the specified ports", [
        setup(
          'swap rules at index3 and index4',
          swapRules(admin('gress-rules'), 'ingress', 3, 4),
          swapRules(admin('gress-rules'), 'egress', 3, 4),
        ),
        allow('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080),
        allow('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'UDP', 53),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'UDP', 5353),
        allow('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'SCTP', 9003),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'SCTP', 9005),
        allow('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        allow('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080),
        allow('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'UDP', 53),
        allow('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'UDP', 5353),
        allow('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'SCTP', 9003),
        allow('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'SCTP', 9005),
      ]),
    ],
  },
  {
    name: 'CNPAdminTierEgressInlineCIDRPeers',
    manifests: ['admin_tier/standard-egress-inline-cidr-rules.yaml'],
    subtests: [
      subtest("Should support a 'deny-egress' rule policy for egress-cidr-peer", [
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'UDP', 53),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'UDP', 53),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'SCTP', 9003),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'UDP', 53),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'SCTP', 9003),
        setup(
          'update namespace label for slytherin to "conformance-house": "denied-namespace-label" to no longer match ingressRule at index0',
          relabelNamespace('slytherin', { 'conformance-house': 'denied-namespace-label' }),
        ),
        deny('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'UDP', 53),
        deny('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'SCTP', 9003),
        setup(
          'update namespace label for slytherin back to "conformance-house": "slytherin" to match ingressRule at index0 again',
          relabelNamespace('slytherin', { 'conformance-house': 'slytherin' }),
        ),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'UDP', 53),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'SCTP', 9003),
      ]),
      subtest("Should support an 'allow-egress' rule policy for egress-cidr-peer", [
        setup(
          'insert new rule at index0; append the rest of the rules in the inline-cidr-as-peers-example',
          insertNetworksRule(admin('inline-cidr-as-peers-example'), 'egress', 0, 'allow-egress-to-specific-podIPs', [
            'ravenclaw/luna-lovegood-0',
            'hufflepuff/cedric-diggory-0',
          ]),
        ),
        allow('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'UDP', 53),
        allow('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003),
        allow('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'UDP', 53),
        allow('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'SCTP', 9003),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'UDP', 53),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'UDP', 53),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'SCTP', 9003),
      ]),
    ],
  },
  {
    name: 'CNPAdminTierPriorityField',
    manifests: ['admin_tier/standard-priority-field.yaml'],
    subtests: [
      subtest('Should Deny traffic from slytherin to gryffindor respecting admin CNP', [
        deny('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        deny('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080),
      ]),
      subtest('Should Deny traffic to slytherin from gryffindor respecting admin CNP', [
        deny('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080),
      ]),
      subtest(
        'Should respect admin CNP priority field; thus passing both ingress and egress traffic over to baseline CNP',
        [
          setup(
            'CNP old-priority-60-new-priority-40-example patched to priority 40',
            setPriority(admin('old-priority-60-new-priority-40-example'), 40),
          ),
          allow('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80),
          allow('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080),
          allow('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80),
          allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080),
        ],
      ),
    ],
  },
  {
    name: 'CNPAdminTierIntegration',
    manifests: ['api_integration/standard-anp-np-banp.yaml'],
    subtests: [
      subtest('Should Deny traffic from slytherin to gryffindor respecting admin CNP', [
        deny('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        deny('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080),
      ]),
      subtest('Should Deny traffic to slytherin from gryffindor respecting admin CNP', [
        deny('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080),
      ]),
      subtest("Should support a 'pass-ingress' policy for admin CNP and respect the match for network policy", [
        setup(
          'pass-example ingress rule [0] action changed Deny → Pass',
          setAction(admin('pass-example'), 'ingress', 0, 'Pass'),
        ),
        allow('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        allow('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080),
      ]),
      subtest("Should support a 'pass-egress' policy for admin CNP and respect the match for network policy", [
        setup(
          'pass-example egress rule [0] action changed Deny → Pass',
          setAction(admin('pass-example'), 'egress', 0, 'Pass'),
        ),
        allow('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080),
      ]),
      subtest(
        "Should support a 'pass-ingress' policy for admin CNP and respect the match for baseline cluster network policy",
        [
          setup(
            'NetworkPolicy gryffindor/allow-gress-from-to-slytherin-to-gryffindor is deleted (pass-example rules remain Pass from earlier subtests)',
            deletePolicy(networkPolicy('gryffindor', 'allow-gress-from-to-slytherin-to-gryffindor')),
          ),
          deny('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80),
          deny('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080),
        ],
      ),
      subtest(
        "Should support a 'pass-egress' policy for admin CNP and respect the match for baseline cluster network policy",
        [
          deny('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80),
          deny('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080),
        ],
      ),
    ],
  },
  {
    name: 'CNPAdminTierIngressNamedPort',
    manifests: ['admin_tier/standard-ingress-udp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-ingress' policy for named port", [
        setup(
          'ingress rule [5] (Accept from gryffindor, udp 53) rewritten to `destinationNamedPort: dns`',
          setNamedPort(admin('ingress-udp'), 'ingress', 5, 'dns'),
        ),
        allow('gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'UDP', 53),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'UDP', 5353),
      ]),
    ],
  },
  {
    name: 'CNPAdminTierEgressNamedPort',
    manifests: ['admin_tier/standard-egress-tcp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-egress' policy for named port", [
        setup(
          'egress rule [5] (Accept to hufflepuff, tcp 8080) rewritten to `destinationNamedPort: web` (= tcp 80 on the server pod)',
          setNamedPort(admin('egress-tcp'), 'egress', 5, 'web'),
        ),
        allow('gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'TCP', 8080),
      ]),
    ],
  },
  {
    name: 'CNPAdminTierEgressNodePeers',
    manifests: ['admin_tier/experimental-egress-selector-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-egress' rule policy for egress-node-peer", [
        allow('gryffindor/harry-potter-1', 'forbidden-forrest/centaur-1', 'TCP', hostPort(0)),
      ]),
      subtest("Should support a 'pass-egress' rule policy for egress-node-peer", [
        allow('gryffindor/harry-potter-1', 'forbidden-forrest/centaur-1', 'UDP', hostPort(2)),
      ]),
      subtest("Should support a 'deny-egress' rule policy for egress-node-peer", [
        deny('gryffindor/harry-potter-1', 'forbidden-forrest/centaur-1', 'TCP', hostPort(1)),
        deny('gryffindor/harry-potter-1', 'forbidden-forrest/centaur-1', 'UDP', hostPort(4)),
        deny('gryffindor/harry-potter-1', 'forbidden-forrest/centaur-1', 'SCTP', hostPort(6)),
      ]),
    ],
  },
  {
    name: 'CNPBaselineTierIngressTCP',
    manifests: ['baseline_tier/standard-ingress-tcp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-ingress' policy for TCP protocol; ensure rule ordering is respected", [
        allow('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        allow('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'TCP', 8080),
      ]),
      subtest("Should support an 'allow-ingress' policy for TCP protocol at the specified port", [
        allow('hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'TCP', 80),
        deny('hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'TCP', 8080),
      ]),
      subtest("Should support an 'deny-ingress' policy for TCP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index1', swapRules(baseline('default'), 'ingress', 0, 1)),
        deny('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-1', 'TCP', 80),
        deny('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'TCP', 8080),
      ]),
      subtest("Should support a 'deny-ingress' policy for TCP protocol at the specified port", [
        deny('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        allow('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080),
      ]),
    ],
  },
  {
    name: 'CNPBaselineTierIngressUDP',
    manifests: ['baseline_tier/standard-ingress-udp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-ingress' policy for UDP protocol; ensure rule ordering is respected", [
        allow('ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-0', 'UDP', 53),
        allow('ravenclaw/luna-lovegood-1', 'hufflepuff/cedric-diggory-0', 'UDP', 5353),
      ]),
      subtest("Should support an 'allow-ingress' policy for UDP protocol at the specified port", [
        allow('gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'UDP', 53),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'UDP', 5353),
      ]),
      subtest("Should support an 'deny-ingress' policy for UDP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index1', swapRules(baseline('default'), 'ingress', 0, 1)),
        deny('ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-1', 'UDP', 53),
        deny('ravenclaw/luna-lovegood-1', 'hufflepuff/cedric-diggory-1', 'UDP', 5353),
      ]),
      subtest("Should support a 'deny-ingress' policy for UDP protocol at the specified port", [
        deny('slytherin/draco-malfoy-0', 'hufflepuff/cedric-diggory-0', 'UDP', 5353),
        allow('slytherin/draco-malfoy-1', 'hufflepuff/cedric-diggory-0', 'UDP', 53),
      ]),
    ],
  },
  {
    name: 'CNPBaselineTierIngressSCTP',
    manifests: ['baseline_tier/standard-ingress-sctp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-ingress' policy for SCTP protocol; ensure rule ordering is respected", [
        allow('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003),
        allow('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9005),
      ]),
      subtest("Should support an 'allow-ingress' policy for SCTP protocol at the specified port", [
        allow('hufflepuff/cedric-diggory-0', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003),
        deny('hufflepuff/cedric-diggory-1', 'ravenclaw/luna-lovegood-1', 'SCTP', 9005),
      ]),
      subtest("Should support an 'deny-ingress' policy for SCTP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index1', swapRules(baseline('default'), 'ingress', 0, 1)),
        deny('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'SCTP', 9005),
      ]),
      subtest("Should support a 'deny-ingress' policy for SCTP protocol at the specified port", [
        deny('slytherin/draco-malfoy-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003),
        allow('slytherin/draco-malfoy-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9005),
      ]),
    ],
  },
  {
    name: 'CNPBaselineTierEgressTCP',
    manifests: ['baseline_tier/standard-egress-tcp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-egress' policy for TCP protocol; ensure rule ordering is respected", [
        allow('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'TCP', 8080),
      ]),
      subtest("Should support an 'allow-egress' policy for TCP protocol at the specified port", [
        allow('gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'TCP', 8080),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'TCP', 80),
      ]),
      subtest("Should support an 'deny-egress' policy for TCP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index1', swapRules(baseline('default'), 'egress', 0, 1)),
        deny('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'TCP', 8080),
      ]),
      subtest("Should support a 'deny-egress' policy for TCP protocol at the specified port", [
        deny('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080),
      ]),
    ],
  },
  {
    name: 'CNPBaselineTierEgressUDP',
    manifests: ['baseline_tier/standard-egress-udp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-egress' policy for UDP protocol; ensure rule ordering is respected", [
        allow('hufflepuff/cedric-diggory-0', 'ravenclaw/luna-lovegood-0', 'UDP', 53),
        allow('hufflepuff/cedric-diggory-1', 'ravenclaw/luna-lovegood-0', 'UDP', 5353),
      ]),
      subtest("Should support an 'allow-egress' policy for UDP protocol at the specified port", [
        allow('hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'UDP', 53),
        deny('hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'UDP', 5353),
      ]),
      subtest("Should support an 'deny-egress' policy for UDP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index1', swapRules(baseline('default'), 'egress', 0, 1)),
        deny('hufflepuff/cedric-diggory-0', 'ravenclaw/luna-lovegood-1', 'UDP', 53),
        deny('hufflepuff/cedric-diggory-1', 'ravenclaw/luna-lovegood-1', 'UDP', 5353),
      ]),
      subtest("Should support a 'deny-egress' policy for UDP protocol at the specified port", [
        deny('hufflepuff/cedric-diggory-0', 'slytherin/draco-malfoy-0', 'UDP', 5353),
        allow('hufflepuff/cedric-diggory-1', 'slytherin/draco-malfoy-0', 'UDP', 53),
      ]),
    ],
  },
  {
    name: 'CNPBaselineTierEgressSCTP',
    manifests: ['baseline_tier/standard-egress-sctp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-egress' policy for SCTP protocol; ensure rule ordering is respected", [
        allow('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'SCTP', 9003),
        allow('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'SCTP', 9005),
      ]),
      subtest("Should support an 'allow-egress' policy for SCTP protocol at the specified port", [
        allow('ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-1', 'SCTP', 9003),
        deny('ravenclaw/luna-lovegood-1', 'hufflepuff/cedric-diggory-1', 'SCTP', 9005),
      ]),
      subtest("Should support an 'deny-egress' policy for SCTP protocol; ensure rule ordering is respected", [
        setup('swap rules at index0 and index1', swapRules(baseline('default'), 'egress', 0, 1)),
        deny('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-1', 'SCTP', 9003),
        deny('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'SCTP', 9005),
      ]),
      subtest("Should support a 'deny-egress' policy for SCTP protocol at the specified port", [
        deny('ravenclaw/luna-lovegood-0', 'slytherin/draco-malfoy-0', 'SCTP', 9003),
        allow('ravenclaw/luna-lovegood-1', 'slytherin/draco-malfoy-0', 'SCTP', 9005),
      ]),
    ],
  },
  {
    name: 'CNPBaselineTierGress',
    manifests: ['baseline_tier/standard-gress-rules-combined.yaml'],
    subtests: [
      subtest("Should support an 'allow-gress' policy across different protocols", [
        allow('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'UDP', 53),
        allow('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003),
        allow('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        allow('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'UDP', 53),
        allow('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'SCTP', 9003),
      ]),
      subtest("Should support an 'allow-gress' policy across different protocols at the specified ports", [
        allow('gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'TCP', 8080),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'TCP', 80),
        allow('gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'UDP', 5353),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'UDP', 53),
        allow('gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'SCTP', 9003),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'SCTP', 9005),
        allow('hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'TCP', 80),
        deny('hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'TCP', 8080),
        allow('hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'UDP', 5353),
        deny('hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'UDP', 53),
        allow('hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'SCTP', 9003),
        deny('hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'SCTP', 9005),
      ]),
      subtest("Should support an 'deny-gress' policy across different protocols", [
        setup(
          'swap rules at index0 and index1 for both ingress and egress',
          swapRules(baseline('default'), 'ingress', 0, 1),
          swapRules(baseline('default'), 'egress', 0, 1),
        ),
        deny('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'UDP', 53),
        deny('gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003),
        deny('ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-1', 'TCP', 80),
        deny('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'UDP', 53),
        deny('ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'SCTP', 9003),
      ]),
      subtest("Should support a 'deny-gress' policy across different protocols at the specified ports", [
        deny('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080),
        deny('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'UDP', 53),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'UDP', 5353),
        deny('gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'SCTP', 9003),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'SCTP', 9005),
        deny('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80),
        allow('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080),
        deny('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'UDP', 53),
        allow('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'UDP', 5353),
        deny('slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'SCTP', 9003),
        allow('slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'SCTP', 9005),
      ]),
    ],
  },
  {
    name: 'CNPBaselineTierEgressInlineCIDRPeers',
    manifests: ['baseline_tier/standard-egress-inline-cidr-rules.yaml'],
    subtests: [
      subtest("Should support a 'deny-egress' rule policy for egress-cidr-peer", [
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'UDP', 53),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'UDP', 53),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'SCTP', 9003),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'UDP', 53),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'SCTP', 9003),
        setup(
          'update namespace label for slytherin to "conformance-house": "denied-namespace-label" to no longer match ingressRule at index0',
          relabelNamespace('slytherin', { 'conformance-house': 'denied-namespace-label' }),
        ),
        deny('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'UDP', 53),
        deny('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'SCTP', 9003),
        setup(
          'update namespace label for slytherin back to "conformance-house": "slytherin" to match ingressRule at index0 again',
          relabelNamespace('slytherin', { 'conformance-house': 'slytherin' }),
        ),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'UDP', 53),
        allow('gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'SCTP', 9003),
      ]),
      subtest("Should support an 'allow-egress' rule policy for egress-cidr-peer", [
        setup(
          'insert new rule at index0; append the rest of the rules in the default baseline CNP',
          insertNetworksRule(baseline('default'), 'egress', 0, 'allow-egress-to-specific-podIPs', [
            'ravenclaw/luna-lovegood-0',
            'hufflepuff/cedric-diggory-0',
          ]),
        ),
        allow('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'UDP', 53),
        allow('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003),
        allow('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'TCP', 80),
        allow('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'UDP', 53),
        allow('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'SCTP', 9003),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'UDP', 53),
        deny('gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'TCP', 80),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'UDP', 53),
        deny('gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'SCTP', 9003),
      ]),
    ],
  },
  {
    name: 'CNPBaselineTierIngressNamedPort',
    manifests: ['baseline_tier/standard-ingress-tcp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-ingress' policy for named port", [
        setup(
          'ingress rule [3] (Accept from hufflepuff, tcp 80) rewritten to `destinationNamedPort: web`',
          setNamedPort(baseline('default'), 'ingress', 3, 'web'),
        ),
        allow('hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'TCP', 80),
        deny('hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'TCP', 8080),
      ]),
    ],
  },
  {
    name: 'CNPBaselineTierEgressNamedPort',
    manifests: ['baseline_tier/standard-egress-udp-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-egress' policy for named port", [
        setup(
          'egress rule [3] (Accept to gryffindor, udp 53) rewritten to `destinationNamedPort: dns`',
          setNamedPort(baseline('default'), 'egress', 3, 'dns'),
        ),
        allow('hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'UDP', 53),
        deny('hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'UDP', 5353),
      ]),
    ],
  },
  {
    name: 'CNPBaselineTierEgressNodePeers',
    manifests: ['baseline_tier/experimental-egress-selector-rules.yaml'],
    subtests: [
      subtest("Should support an 'allow-egress' rule policy for egress-node-peer", [
        allow('gryffindor/harry-potter-0', 'forbidden-forrest/centaur-1', 'TCP', hostPort(0)),
        allow('gryffindor/harry-potter-1', 'forbidden-forrest/centaur-1', 'TCP', hostPort(1)),
      ]),
      subtest("Should support a 'deny-egress' rule policy for egress-node-peer", [
        deny('gryffindor/harry-potter-1', 'forbidden-forrest/centaur-1', 'UDP', hostPort(4)),
        deny('gryffindor/harry-potter-1', 'forbidden-forrest/centaur-1', 'SCTP', hostPort(6)),
      ]),
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// v1alpha1: the same suite at tag v0.1.8, written against AdminNetworkPolicy (Admin tier) and the
// BaselineAdminNetworkPolicy singleton `default` (Baseline tier). Object names are the same as in
// v1alpha2; `Accept` is spelled `Allow`; port lists are `ports` with `portNumber`/`portRange`/`namedPort`.

const V1ALPHA1_DIRS: readonly (readonly [string, string])[] = [
  ['admin_tier/', 'admin_network_policy/'],
  ['baseline_tier/', 'baseline_admin_network_policy/'],
];

function refV1alpha1(ref: PolicyRef): PolicyRef {
  if (ref.kind !== 'ClusterNetworkPolicy') return ref;
  if (ref.tier === 'Admin') return { kind: 'AdminNetworkPolicy', name: ref.name };
  if (ref.name !== 'default') throw new Error(`no BaselineAdminNetworkPolicy for Baseline CNP ${ref.name}`);
  return { kind: 'BaselineAdminNetworkPolicy', name: ref.name };
}

const actionV1alpha1 = (action: string): string => (action === 'Accept' ? 'Allow' : action);

function portEntryV1alpha1(entry: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const keys = Object.keys(entry);
  if (keys.length === 1 && typeof entry['destinationNamedPort'] === 'string') {
    return { namedPort: entry['destinationNamedPort'] };
  }
  throw new Error(`no v1alpha1 form for port entry ${JSON.stringify(entry)}`);
}

function mutationV1alpha1(m: Mutation): Mutation {
  switch (m.op) {
    case 'relabelNamespace':
      return m;
    case 'setPorts':
      return { ...m, policy: refV1alpha1(m.policy), field: 'ports', entries: m.entries.map(portEntryV1alpha1) };
    case 'setAction':
    case 'insertNetworksRule':
      return { ...m, policy: refV1alpha1(m.policy), action: actionV1alpha1(m.action) };
    default:
      return { ...m, policy: refV1alpha1(m.policy) };
  }
}

/** Map a v1alpha2 test to its v0.1.8 (v1alpha1) counterpart: names, manifests, kinds, actions, port syntax. */
export function toV1alpha1(c: ConformanceCase): ConformanceCase {
  return {
    name: c.name
      .replace(/^CNPAdminTier/, 'AdminNetworkPolicy')
      .replace(/^CNPBaselineTier/, 'BaselineAdminNetworkPolicy'),
    manifests: c.manifests.map((m) => V1ALPHA1_DIRS.reduce((path, [from, to]) => path.replace(from, to), m)),
    subtests: c.subtests.map((s) => ({
      name: s.name,
      steps: s.steps.map((step) =>
        step.kind === 'setup' ? { ...step, mutations: step.mutations.map(mutationV1alpha1) } : step,
      ),
    })),
  };
}

/** The 24 tests of the v1alpha1 (AdminNetworkPolicy / BaselineAdminNetworkPolicy) suite. */
export const CASES_V1ALPHA1: readonly ConformanceCase[] = CASES_V1ALPHA2.map(toV1alpha1);
