/**
 * The reference evaluator: one flow at a time, straight from the specification. It is the
 * oracle for the class engine's property tests and the source of every explanation.
 * Never optimise it.
 *
 * `Analysis.explain` (explain.ts) runs {@link evaluateSide} over a pipeline reduced to the
 * policies that select the side's subject. That gives the same output because a side's trace
 * depends on the other policies of a tier only through whether the tier has any policy at all
 * (empty tiers are left out); keep it that way, or change explain.ts with it.
 */
import type { AnalysisOptions } from '../options.js';
import type { Protocol } from '../model/types.js';
import type { CompiledPolicy, Direction, Rule, Tier, TierPipeline } from '../policy/ir.js';
import { type Endpoint, isFromOwnNode } from './endpoints.js';
import { ruleMatches, subjectSelects } from './match.js';
import {
  type FlowVerdict,
  type RuleRef,
  type SideReason,
  type SideVerdict,
  type TierStep,
  formatPolicyRef,
  formatRuleRef,
} from './trace.js';

function rulesFor(policy: CompiledPolicy, direction: Direction): readonly Rule[] | undefined {
  return direction === 'ingress' ? policy.ingress : policy.egress;
}

function ruleRef(tier: Tier, policy: CompiledPolicy, direction: Direction, rule: Rule): RuleRef {
  return {
    policy: policy.ref,
    tier: tier.name,
    priority: policy.priority,
    direction,
    index: rule.index,
    name: rule.name,
    action: rule.action,
  };
}

/** Evaluate one tier for one side. Returns the step; `decided` tells whether evaluation stops. */
function evaluateTier(
  tier: Tier,
  direction: Direction,
  subject: Endpoint,
  peer: Endpoint,
  dst: Endpoint,
  protocol: Protocol,
  port: number,
): TierStep {
  const selecting = tier.policies.filter(
    (p) => rulesFor(p, direction) !== undefined && subjectSelects(tier, p, subject),
  );
  const policies = selecting.map((p) => p.ref);
  if (selecting.length === 0) return { tier: tier.name, outcome: 'not-selected', policies, rules: [] };
  const hn = tier.selectsHostNetworkPods;
  if (tier.evaluation === 'first-match') {
    for (const policy of selecting) {
      for (const rule of rulesFor(policy, direction) ?? []) {
        if (ruleMatches(rule, peer, protocol, port, dst, hn)) {
          const ref = ruleRef(tier, policy, direction, rule);
          const outcome = rule.action === 'Allow' ? 'allow' : rule.action === 'Deny' ? 'deny' : 'pass';
          return { tier: tier.name, outcome, policies, rules: [ref] };
        }
      }
    }
  } else {
    const matched: RuleRef[] = [];
    for (const policy of selecting) {
      for (const rule of rulesFor(policy, direction) ?? []) {
        if (ruleMatches(rule, peer, protocol, port, dst, hn)) matched.push(ruleRef(tier, policy, direction, rule));
      }
    }
    // Any matching rule decides with its action; NetworkPolicy only has Allow rules.
    const deny = matched.find((r) => r.action === 'Deny');
    if (deny !== undefined) return { tier: tier.name, outcome: 'deny', policies, rules: [deny] };
    const allow = matched.filter((r) => r.action === 'Allow');
    if (allow.length > 0) return { tier: tier.name, outcome: 'allow', policies, rules: allow };
  }
  return {
    tier: tier.name,
    outcome: tier.whenSelectedNoMatch === 'deny' ? 'deny' : 'no-match',
    policies,
    rules: [],
  };
}

function sideSummary(direction: Direction, endpoint: Endpoint, allowed: boolean, steps: readonly TierStep[]): string {
  const decisive = steps[steps.length - 1];
  const passes = steps
    .filter((s) => s.outcome === 'pass')
    .map((s) => `passed by ${formatRuleRef(s.rules[0]!)}`)
    .join('; ');
  const prefix = passes !== '' ? `${passes}; then ` : '';
  if (decisive === undefined || (decisive.outcome !== 'allow' && decisive.outcome !== 'deny')) {
    const selected = steps.filter((s) => s.outcome === 'no-match' || s.outcome === 'pass');
    if (selected.length === 0 && passes === '')
      return `allowed: no policy selects ${endpoint.id} for ${direction} (default allow)`;
    return `${prefix}allowed: no rule decided for ${endpoint.id} ${direction} (default allow)`;
  }
  if (decisive.rules.length > 0) {
    const verb = allowed ? 'allowed' : 'denied';
    return `${prefix}${verb} by ${decisive.rules.map(formatRuleRef).join(', ')}`;
  }
  return `${prefix}denied: ${endpoint.id} is isolated for ${direction} by ${decisive.policies
    .map(formatPolicyRef)
    .join(', ')} and no rule allows this flow`;
}

/**
 * A side's verdict, fields in output order. (Written out rather than as `{ ...base, … }`: an
 * object spread followed by more properties takes a slow path in V8, about 4 µs per call.)
 */
function sideVerdict(
  direction: Direction,
  subject: Endpoint,
  allowed: boolean,
  reason: SideReason,
  tiers: readonly TierStep[],
  summary: string,
): SideVerdict {
  return { direction, endpoint: subject.id, allowed, reason, tiers, summary };
}

/** Evaluate one side of a flow: egress at `src` or ingress at `dst`. */
export function evaluateSide(
  pipeline: TierPipeline,
  direction: Direction,
  src: Endpoint,
  dst: Endpoint,
  protocol: Protocol,
  port: number,
  options: AnalysisOptions,
): SideVerdict {
  const subject = direction === 'egress' ? src : dst;
  const peer = direction === 'egress' ? dst : src;
  if (subject.kind !== 'pod') {
    const summary = `allowed: ${subject.id} is not a pod, so no ${direction} policy applies to it`;
    return sideVerdict(direction, subject, true, 'not-a-pod', [], summary);
  }
  if (src.kind === 'pod' && dst.kind === 'pod' && src.id === dst.id) {
    return sideVerdict(direction, subject, true, 'self', [], 'allowed: a pod can always reach itself');
  }
  if (direction === 'ingress' && options.nodeLocalIngress && isFromOwnNode(src, dst)) {
    const summary = `allowed: ingress from the pod's own node (${dst.pod.nodeName}) is always allowed`;
    return sideVerdict(direction, subject, true, 'node-local', [], summary);
  }
  const steps: TierStep[] = [];
  for (const tier of pipeline.tiers) {
    // Tiers without any policy cannot decide anything; leave them out of the trace.
    if (tier.policies.length === 0) continue;
    const step = evaluateTier(tier, direction, subject, peer, dst, protocol, port);
    steps.push(step);
    if (step.outcome === 'allow' || step.outcome === 'deny') {
      const allowed = step.outcome === 'allow';
      return sideVerdict(direction, subject, allowed, 'tier', steps, sideSummary(direction, subject, allowed, steps));
    }
  }
  return sideVerdict(direction, subject, true, 'default', steps, sideSummary(direction, subject, true, steps));
}

/**
 * Evaluate a flow from `src` to `dst` on (protocol, port): egress at the source AND ingress at
 * the destination must both allow it.
 */
export function evaluateFlow(
  pipeline: TierPipeline,
  src: Endpoint,
  dst: Endpoint,
  protocol: Protocol,
  port: number,
  options: AnalysisOptions,
): FlowVerdict {
  const egress = evaluateSide(pipeline, 'egress', src, dst, protocol, port, options);
  const ingress = evaluateSide(pipeline, 'ingress', src, dst, protocol, port, options);
  return {
    from: src.id,
    to: dst.id,
    protocol,
    port,
    allowed: egress.allowed && ingress.allowed,
    egress,
    ingress,
  };
}
