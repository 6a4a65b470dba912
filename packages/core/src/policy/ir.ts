/**
 * The compiled intermediate form that every policy kind compiles into. The engine only
 * ever sees these types: it never asks "is this an AdminNetworkPolicy?".
 */
import type { CidrSet } from '../model/ip.js';
import type { Selector } from '../model/selector.js';
import type { Protocol } from '../model/types.js';

/** Traffic direction, seen from the policy subject. */
export type Direction = 'ingress' | 'egress';

/** Rule actions after normalisation (ANP `Allow` and CNP `Accept` both become `Allow`). */
export type RuleAction = 'Allow' | 'Deny' | 'Pass';

/** Reference to the source object of a compiled policy, for explanations and errors. */
export interface PolicyRef {
  /** Kind as written: NetworkPolicy, ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy. */
  readonly kind: string;
  readonly namespace?: string | undefined;
  readonly name: string;
}

/** Which namespaces a pod peer or subject covers. */
export type NamespaceMatch =
  /** Namespaces whose labels match the selector (the empty selector: all namespaces). */
  | { readonly kind: 'selector'; readonly selector: Selector }
  /** Exactly the named namespace (NetworkPolicy's own namespace). */
  | { readonly kind: 'name'; readonly name: string };

/** The pods a policy applies to. Host-network pods are selected only if the tier allows it. */
export interface Subject {
  readonly namespaces: NamespaceMatch;
  readonly pods: Selector;
}

/** A peer of a rule. */
export type Peer =
  /** Pods (never host-network pods unless the tier says so) in matching namespaces. */
  | { readonly kind: 'pods'; readonly namespaces: NamespaceMatch; readonly pods: Selector }
  /**
   * IP blocks. `matchesPodIps` says whether pod-network pod IPs count (CNP `networks`: always;
   * NetworkPolicy `ipBlock`: the `ipBlockMatchesPods` option).
   */
  | { readonly kind: 'ipBlock'; readonly blocks: readonly CidrSet[]; readonly matchesPodIps: boolean }
  /** Nodes whose labels match (node IPs, and host-network pods on those nodes). */
  | { readonly kind: 'nodes'; readonly selector: Selector }
  /** Domain names (`*.example.com` wildcards match one or more labels). */
  | { readonly kind: 'domains'; readonly names: readonly string[] }
  /** Every endpoint, in the cluster or outside (NetworkPolicy rule without `from`/`to`). */
  | { readonly kind: 'all' };

/** A port match of a rule. */
export type PortMatch =
  /** Numeric range, inclusive, of one protocol. */
  | { readonly kind: 'range'; readonly protocol: Protocol; readonly start: number; readonly end: number }
  /**
   * Named port, resolved on the destination pod's container ports. `protocol` restricts the
   * container port's protocol; null accepts whatever protocol the container port declares.
   */
  | { readonly kind: 'named'; readonly name: string; readonly protocol: Protocol | null };

/** A compiled rule. */
export interface Rule {
  /** Index of the rule in its direction's list as written. */
  readonly index: number;
  readonly name?: string | undefined;
  readonly action: RuleAction;
  /** The rule matches if any peer matches. An empty list matches nothing. */
  readonly peers: readonly Peer[];
  /** null: all ports of all protocols. Otherwise the rule matches if any entry matches. */
  readonly ports: readonly PortMatch[] | null;
}

/** A compiled policy. */
export interface CompiledPolicy {
  readonly ref: PolicyRef;
  /** Name of the tier this policy belongs to (e.g. `Admin`, `NetworkPolicy`, `Baseline`). */
  readonly tier: string;
  /** Lower number = higher precedence. NetworkPolicy uses 0. */
  readonly priority: number;
  readonly subject: Subject;
  /**
   * Rules per direction. `undefined`: the policy does not affect that direction.
   * An empty array: the policy affects (isolates) the direction but allows nothing.
   */
  readonly ingress?: readonly Rule[] | undefined;
  readonly egress?: readonly Rule[] | undefined;
}

/** How a tier evaluates its policies. */
export type TierEvaluation =
  /** Policies by priority, rules in order; the first matching rule decides (Allow/Deny/Pass). */
  | 'first-match'
  /** Any matching rule of any selecting policy allows; no rule matches: see `whenSelectedNoMatch`. */
  | 'any-allow';

/** A tier of the pipeline. */
export interface Tier {
  readonly name: string;
  readonly evaluation: TierEvaluation;
  /**
   * What happens when a policy of the tier selects the endpoint for the direction but no rule
   * matched: `deny` (NetworkPolicy isolation, Calico's implicit tier deny) or `next` (fall through).
   */
  readonly whenSelectedNoMatch: 'deny' | 'next';
  /** Whether host-network pods can be subjects of and selected by this tier's pod selectors. */
  readonly selectsHostNetworkPods: boolean;
  /** Policies in evaluation order (sorted by priority, then by the documented tie-break). */
  readonly policies: readonly CompiledPolicy[];
}

/** The ordered tiers every flow goes through, per direction. After the last: default allow. */
export interface TierPipeline {
  readonly tiers: readonly Tier[];
}
