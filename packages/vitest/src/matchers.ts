/** The netreach matchers: flows allowed or denied, pods isolated, with explanations on failure. */
import {
  type CompiledPolicy,
  type Direction,
  type FlowResult,
  type FlowSpec,
  type NamespaceMatch,
  type PolicyRef,
  type Rule,
  type Selector,
  type Session,
  type SideVerdict,
  type Tier,
  checkFlow,
  formatPolicyRef,
  formatRuleRef,
  matchesSelector,
  resolveEndpoint,
} from '@netreach/core';

/**
 * A flow to check: `from` and `to` as `namespace/name` (or any ref `check` accepts), a port
 * (number or named port of the destination), TCP by default.
 *
 * @example
 * const dns: FlowExpectation = { from: 'shop/web', to: 'kube-system/coredns', port: 53, protocol: 'UDP' };
 */
export type FlowExpectation = FlowSpec;

/**
 * What `expect(...)` may be given: a session, or an object holding one as `session`.
 *
 * @example
 * expect({ session, name: 'prod' }).toAllow({ from: 'a/web', to: 'b/db', port: 5432 });
 */
export type SessionLike = Session | { readonly session: Session };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isSession(v: unknown): v is Session {
  return isRecord(v) && isRecord(v['analysis']) && isRecord(v['pipeline']) && isRecord(v['cluster']);
}

/**
 * The session behind a received value.
 *
 * @throws {TypeError} when it is neither a session nor holds one.
 * @example
 * sessionOf({ session }) === session; // true
 */
export function sessionOf(received: unknown): Session {
  if (isSession(received)) return received;
  if (isRecord(received) && isSession(received['session'])) return received['session'];
  throw new TypeError(
    'netreach matchers expect a Session (from analyzeCluster) or an object with a `session` property',
  );
}

/** Lines explaining one side of a flow: the summary, then what each tier did. */
function sideText(side: SideVerdict): string[] {
  const lines = [`  ${side.direction} at ${side.endpoint}: ${side.summary}`];
  for (const step of side.tiers) {
    const what =
      step.outcome === 'not-selected'
        ? 'no policy selects it'
        : step.outcome === 'no-match'
          ? `no rule matched in ${step.policies.map(formatPolicyRef).join(', ')}`
          : step.rules.length > 0
            ? `${step.outcome} by ${step.rules.map(formatRuleRef).join(', ')}`
            : `${step.outcome}: isolated by ${step.policies.map(formatPolicyRef).join(', ')}`;
    lines.push(`      ${step.tier}: ${what}`);
  }
  return lines;
}

/**
 * The explanation of a flow verdict, both sides, as printed in failure messages.
 *
 * @example
 * console.log(explainFlow(checkFlow(session, { from: 'a/web', to: 'b/db', port: 5432 })));
 */
export function explainFlow(r: FlowResult): string {
  return [...sideText(r.explanation.egress), ...sideText(r.explanation.ingress)].join('\n');
}

interface MatcherContext {
  readonly isNot: boolean;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
  actual?: unknown;
  expected?: unknown;
}

function flowMatcher(wantAllowed: boolean) {
  return function (this: MatcherContext, received: unknown, flow: FlowExpectation): MatcherResult {
    const r = checkFlow(sessionOf(received), flow);
    const allowed = r.verdict === 'allow';
    const what = `${r.from} → ${r.to} ${r.protocol}/${r.port}`;
    const want = wantAllowed ? 'allowed' : 'denied';
    const is = allowed ? 'allowed' : 'denied';
    return {
      pass: allowed === wantAllowed,
      message: () => `expected ${what} ${this.isNot ? 'not ' : ''}to be ${want}, but it is ${is}:\n${explainFlow(r)}`,
      actual: r.verdict,
      expected: wantAllowed ? 'allow' : 'deny',
    };
  };
}

function isMatchAll(s: Selector): boolean {
  return s.matchLabels.length === 0 && s.matchExpressions.length === 0;
}

function namespaceCovers(m: NamespaceMatch, name: string, labels: Readonly<Record<string, string>>): boolean {
  return m.kind === 'name' ? m.name === name : matchesSelector(m.selector, labels);
}

/** A Deny rule for every pod and address on every port: `{kind: all}` or all pods in all namespaces. */
function isCatchAllDeny(rule: Rule): boolean {
  return (
    rule.action === 'Deny' &&
    rule.ports === null &&
    rule.peers.some(
      (p) =>
        p.kind === 'all' ||
        (p.kind === 'pods' &&
          isMatchAll(p.pods) &&
          p.namespaces.kind === 'selector' &&
          isMatchAll(p.namespaces.selector)),
    )
  );
}

/**
 * The policies that isolate a pod for a direction. A pod is isolated for a direction when some
 * tier that decides by isolation selects it: a policy of a tier that denies what it selects but
 * does not allow (the NetworkPolicy tier) selects the pod for that direction, or an Admin or
 * Baseline policy selects it for that direction and has a catch-all Deny rule (no port
 * restriction; peers: everything, or all pods in all namespaces). Pods outside the pod network
 * (host-network pods under the default options) and non-pods are never isolated.
 *
 * @example
 * isolatingPolicies(session, 'shop/frontend', 'ingress'); // [{ kind: 'NetworkPolicy', namespace: 'shop', name: 'default-deny' }, …]
 */
export function isolatingPolicies(session: Session, ref: string, direction: Direction): PolicyRef[] {
  const e = resolveEndpoint(session, ref);
  if (e.kind !== 'pod') return [];
  const selects = (tier: Tier, p: CompiledPolicy): boolean =>
    (!e.pod.hostNetwork || tier.selectsHostNetworkPods) &&
    namespaceCovers(p.subject.namespaces, e.pod.namespace, e.namespaceLabels) &&
    matchesSelector(p.subject.pods, e.pod.labels);
  const out: PolicyRef[] = [];
  for (const tier of session.pipeline.tiers)
    for (const p of tier.policies) {
      const rules = direction === 'ingress' ? p.ingress : p.egress;
      if (rules === undefined || !selects(tier, p)) continue;
      if (tier.whenSelectedNoMatch === 'deny' || rules.some(isCatchAllDeny)) out.push(p.ref);
    }
  return out;
}

function isolationMatcher(this: MatcherContext, received: unknown, ref: string, direction?: Direction): MatcherResult {
  const session = sessionOf(received);
  const directions: Direction[] = direction !== undefined ? [direction] : ['ingress', 'egress'];
  const found = directions.map((d) => [d, isolatingPolicies(session, ref, d)] as const);
  const pass = found.every(([, refs]) => refs.length > 0);
  const detail = found
    .map(([d, refs]) =>
      refs.length > 0
        ? `  ${d}: isolated by ${refs.map(formatPolicyRef).join(', ')}`
        : `  ${d}: not isolated (no NetworkPolicy selects it for ${d}, and no Admin/Baseline policy selecting it denies all ${d})`,
    )
    .join('\n');
  const what = directions.join(' and ');
  return {
    pass,
    message: () =>
      `expected ${ref} ${this.isNot ? 'not ' : ''}to be isolated for ${what}, but it ${pass ? 'is' : 'is not'}:\n${detail}`,
  };
}

/**
 * The matchers, for `expect.extend`. Prefer {@link installNetreachMatchers}, which also adds the
 * matrix snapshot serializer.
 *
 * @example
 * expect.extend(netreachMatchers);
 * expect(session).toAllow({ from: 'shop/frontend', to: 'shop/backend', port: 8080 });
 */
export const netreachMatchers = {
  /** The flow is allowed (both egress at the source and ingress at the destination). */
  toAllow: flowMatcher(true),
  /** The flow is denied (by either side). */
  toDeny: flowMatcher(false),
  /** The pod is isolated for the direction (both directions when left out); see {@link isolatingPolicies}. */
  toBeIsolated: isolationMatcher,
};
