import type { Protocol } from '../model/types.js';
import type { Direction, PolicyRef, RuleAction } from '../policy/ir.js';

/** A rule that took part in a decision. */
export interface RuleRef {
  readonly policy: PolicyRef;
  readonly tier: string;
  readonly priority: number;
  readonly direction: Direction;
  /** Index of the rule in its direction's list as written (0-based). */
  readonly index: number;
  readonly name?: string | undefined;
  readonly action: RuleAction;
}

/** What one tier did for one side of a flow. */
export interface TierStep {
  readonly tier: string;
  /**
   * `not-selected`: no policy of the tier selects the endpoint for this direction;
   * `allow` / `deny`: the tier decided; `pass`: a Pass rule skipped the rest of the tier;
   * `no-match`: policies select the endpoint but no rule matched and the tier falls through.
   */
  readonly outcome: 'not-selected' | 'allow' | 'deny' | 'pass' | 'no-match';
  /** Policies of the tier that select the endpoint for this direction, in evaluation order. */
  readonly policies: readonly PolicyRef[];
  /** Deciding rule(s): the first match for ordered tiers, every matching rule for NetworkPolicy. */
  readonly rules: readonly RuleRef[];
}

/** Why a side ended the way it did. */
export type SideReason =
  /** The endpoint is not a pod-network pod, so no policy applies on this side. */
  | 'not-a-pod'
  /** A pod talking to itself is always allowed. */
  | 'self'
  /** Ingress from the pod's own node is always allowed. */
  | 'node-local'
  /** A tier decided. */
  | 'tier'
  /** No tier decided: default allow. */
  | 'default';

/** The verdict and trace of one side (egress at the source, ingress at the destination). */
export interface SideVerdict {
  readonly direction: Direction;
  /** The endpoint whose policies were evaluated (source for egress, destination for ingress). */
  readonly endpoint: string;
  readonly allowed: boolean;
  readonly reason: SideReason;
  readonly tiers: readonly TierStep[];
  /** One-line human explanation. */
  readonly summary: string;
}

/** A flow between two endpoints. */
export interface FlowQuery {
  readonly protocol: Protocol;
  readonly port: number;
}

/** The verdict of a flow with both sides explained. */
export interface FlowVerdict {
  readonly from: string;
  readonly to: string;
  readonly protocol: Protocol;
  readonly port: number;
  readonly allowed: boolean;
  readonly egress: SideVerdict;
  readonly ingress: SideVerdict;
}

/** `NetworkPolicy shop/web` or `ClusterNetworkPolicy deny-all`. */
export function formatPolicyRef(ref: PolicyRef): string {
  return ref.namespace !== undefined ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/** `NetworkPolicy shop/web ingress rule 0` (with the rule name when it has one). */
export function formatRuleRef(rule: RuleRef): string {
  const name = rule.name !== undefined ? ` "${rule.name}"` : '';
  const prio = rule.policy.kind === 'NetworkPolicy' ? '' : ` (${rule.tier} tier, priority ${rule.priority})`;
  return `${formatPolicyRef(rule.policy)}${prio} ${rule.direction} rule ${rule.index}${name}`;
}
