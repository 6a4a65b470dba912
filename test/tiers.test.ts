/**
 * Hand-written tests for the points of the tier semantics (policy-semantics.md §1.5) that the
 * network-policy-api conformance suite does not cover (§3.4 "Not covered"): Pass inside the
 * Baseline tier, several Baseline policies, equal priorities, domainNames, hairpin, no implicit
 * isolation from cluster policies, NetworkPolicy's final implicit deny, host-network pods.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Session, type TierStep, checkFlow } from '@netreach/core';
import { describe, expect, it } from 'vitest';
import { run } from './helpers/cli.js';
import { docs, namespace, netpol, pod, sessionFrom, verdict } from './helpers/cluster.js';

/** A ClusterNetworkPolicy manifest. */
function cnp(name: string, tier: 'Admin' | 'Baseline', priority: number, spec: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name },
    spec: { tier, priority, ...spec },
  });
}

/** A `namespaces` subject or peer selecting one namespace by name. */
const inNamespace = (name: string): Record<string, unknown> => ({
  namespaces: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});
const ALL_NAMESPACES = { namespaces: {} };

/** A namespace by name, or `*` for all namespaces, as a `namespaces` subject or peer. */
const namespaces = (name: string): Record<string, unknown> => (name === '*' ? ALL_NAMESPACES : inNamespace(name));

/** A ClusterNetworkPolicy for the pods of namespace `subject` with one ingress rule from namespace `from`. */
function ingressCnp(
  name: string,
  tier: 'Admin' | 'Baseline',
  priority: number,
  action: 'Accept' | 'Deny' | 'Pass',
  subject: string,
  from: string,
): string {
  return cnp(name, tier, priority, { subject: namespaces(subject), ingress: [{ action, from: [namespaces(from)] }] });
}

/** Two Admin policies for namespace a's ingress from b: `b-deny` at priority 5, and an Accept. */
const tie = (acceptName: string, acceptPriority = 5, acceptSubject = 'a'): string =>
  docs(
    ...base,
    ingressCnp('b-deny', 'Admin', 5, 'Deny', 'a', 'b'),
    ingressCnp(acceptName, 'Admin', acceptPriority, 'Accept', acceptSubject, 'b'),
  );

const base = [
  namespace('a'),
  namespace('b'),
  namespace('c'),
  pod('a', 'web', { app: 'web' }, '10.0.0.1', [{ name: 'http', containerPort: 8080 }]),
  pod('a', 'client', { app: 'client' }, '10.0.0.2'),
  pod('b', 'client', { app: 'client' }, '10.0.1.2'),
  pod('c', 'client', { app: 'client' }, '10.0.2.2'),
];

/** The trace of one side as `tier:outcome` steps. */
function steps(s: Session, from: string, to: string, side: 'egress' | 'ingress', port = 8080): string[] {
  const r = checkFlow(s, { from, to, port });
  return r.explanation[side].tiers.map((t: TierStep) => `${t.tier}:${t.outcome}`);
}

describe('Pass in the Baseline tier', () => {
  const yaml = docs(
    ...base,
    ingressCnp('pass-from-b', 'Baseline', 1, 'Pass', 'a', 'b'),
    ingressCnp('deny-all', 'Baseline', 2, 'Deny', 'a', '*'),
  );

  it('skips the rest of the Baseline tier and falls through to the default allow', () => {
    const s = sessionFrom(yaml);
    expect(verdict(s, 'b/client', 'a/web', 8080)).toBe('allow');
    const ingress = checkFlow(s, { from: 'b/client', to: 'a/web', port: 8080 }).explanation.ingress;
    expect(ingress.reason).toBe('default');
    expect(ingress.tiers.map((t) => `${t.tier}:${t.outcome}`)).toEqual(['Baseline:pass']);
    expect(ingress.tiers[0]!.rules[0]!.policy.name).toBe('pass-from-b');
    // Without the Pass, the lower-priority Baseline deny applies.
    expect(verdict(s, 'c/client', 'a/web', 8080)).toBe('deny');
  });
});

describe('several Baseline ClusterNetworkPolicies', () => {
  const build = (denyPriority: number): Session =>
    sessionFrom(
      docs(
        ...base,
        ingressCnp('accept-b', 'Baseline', 20, 'Accept', 'a', 'b'),
        ingressCnp('deny-b', 'Baseline', denyPriority, 'Deny', 'a', 'b'),
      ),
    );

  it('are evaluated by priority, lowest number first', () => {
    const first = build(10);
    const r = checkFlow(first, { from: 'b/client', to: 'a/web', port: 8080 });
    expect(r.verdict).toBe('deny');
    expect(r.explanation.ingress.tiers[0]!.rules[0]!.policy.name).toBe('deny-b');
    expect(r.explanation.ingress.tiers[0]!.policies.map((p) => p.name)).toEqual(['deny-b', 'accept-b']);

    const later = build(30);
    const r2 = checkFlow(later, { from: 'b/client', to: 'a/web', port: 8080 });
    expect(r2.verdict).toBe('allow');
    expect(r2.explanation.ingress.tiers[0]!.rules[0]!.policy.name).toBe('accept-b');
  });
});

describe('equal priorities', () => {
  it('warn with EQUAL_PRIORITY naming both policies and the tie-break by name', () => {
    const s = sessionFrom(tie('a-accept'));
    const warnings = s.issues.filter((i) => i.code === 'EQUAL_PRIORITY');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.severity).toBe('warning');
    expect(warnings[0]!.message).toContain('ClusterNetworkPolicy a-accept');
    expect(warnings[0]!.message).toContain('ClusterNetworkPolicy b-deny');
    expect(warnings[0]!.message).toContain('ties are broken by name');
    expect(warnings[0]!.message).toContain('netreach evaluates ClusterNetworkPolicy a-accept first');
  });

  it('are broken by name: the policy whose name sorts first is evaluated first', () => {
    expect(verdict(sessionFrom(tie('a-accept')), 'b/client', 'a/web', 8080)).toBe('allow');
    expect(verdict(sessionFrom(tie('c-accept')), 'b/client', 'a/web', 8080)).toBe('deny');
  });

  it('do not warn when the priorities differ or the policies share no pod', () => {
    for (const yaml of [tie('a-accept', 6), tie('a-accept', 5, 'c')]) {
      expect(sessionFrom(yaml).issues.filter((i) => i.code === 'EQUAL_PRIORITY')).toEqual([]);
    }
  });
});

describe('domainNames', () => {
  // Egress of namespace a is isolated by a NetworkPolicy; the Admin tier accepts some domains first.
  const yaml = docs(
    ...base,
    netpol('a', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] }),
    cnp('domains', 'Admin', 10, {
      subject: inNamespace('a'),
      egress: [
        { name: 'deny-test-net', action: 'Deny', to: [{ networks: ['203.0.113.0/24'] }] },
        { name: 'allow-domains', action: 'Accept', to: [{ domainNames: ['*.example.com', 'api.other.org'] }] },
      ],
    }),
  );

  it('matches a flow to a domain; a wildcard matches one or more labels but not the apex', () => {
    const s = sessionFrom(yaml);
    expect(verdict(s, 'a/client', 'www.example.com', 443)).toBe('allow');
    expect(verdict(s, 'a/client', 'a.b.example.com', 443)).toBe('allow');
    expect(verdict(s, 'a/client', 'api.other.org', 443)).toBe('allow');
    expect(verdict(s, 'a/client', 'example.com', 443)).toBe('deny');
    expect(verdict(s, 'a/client', 'www.other.org', 443)).toBe('deny');
    const r = checkFlow(s, { from: 'a/client', to: 'www.example.com', port: 443 });
    expect(r.explanation.egress.tiers[0]!.rules[0]!.name).toBe('allow-domains');
    // The domain endpoint is outside the pod network: no ingress policy applies to it.
    expect(r.explanation.ingress.reason).toBe('not-a-pod');
  });

  it('with a domain mapped to IPs (--domain), networks rules apply to the domain too', () => {
    const s = sessionFrom(yaml, {
      domainIps: { 'www.example.com': ['203.0.113.7'], 'api.other.org': ['198.51.100.1'] },
    });
    const r = checkFlow(s, { from: 'a/client', to: 'www.example.com', port: 443 });
    expect(r.verdict).toBe('deny');
    expect(r.explanation.egress.tiers[0]!.rules[0]!.name).toBe('deny-test-net');
    expect(verdict(s, 'a/client', 'api.other.org', 443)).toBe('allow');
    expect(verdict(s, 'a/client', 'a.b.example.com', 443)).toBe('allow');
  });

  it('the CLI --domain flag feeds the mapping, and equal-priority warnings go to stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netreach-tiers-'));
    const file = join(dir, 'cluster.yaml');
    writeFileSync(file, yaml);
    const args = ['check', file, '--from', 'a/client', '--to', 'www.example.com', '--port', '443'];
    const plain = await run(args);
    expect([plain.code, plain.stdout.split('\n')[0]]).toEqual([0, 'ALLOWED  a/client → www.example.com  TCP/443']);
    const mapped = await run([...args, '--domain', 'www.example.com=203.0.113.7']);
    expect(mapped.code).toBe(1);
    expect(mapped.stdout).toContain('deny-test-net');

    writeFileSync(file, tie('a-accept'));
    const tied = await run(['check', file, '--from', 'b/client', '--to', 'a/web', '--port', '8080']);
    expect(tied.code).toBe(0);
    expect(tied.stderr).toMatch(/^warning: .*a-accept.*b-deny.*ties are broken by name.*\[EQUAL_PRIORITY\]\n$/);
  });
});

describe('hairpin', () => {
  const yaml = docs(
    ...base,
    cnp('deny-everything', 'Admin', 0, {
      subject: ALL_NAMESPACES,
      ingress: [{ action: 'Deny', from: [ALL_NAMESPACES] }],
      egress: [{ action: 'Deny', to: [ALL_NAMESPACES, { networks: ['0.0.0.0/0', '::/0'] }] }],
    }),
  );

  it('a pod reaching its own IP is allowed even under a Deny-all', () => {
    const s = sessionFrom(yaml);
    for (const to of ['a/web', '10.0.0.1']) {
      const r = checkFlow(s, { from: 'a/web', to, port: 8080 });
      expect(r.verdict).toBe('allow');
      expect([r.explanation.egress.reason, r.explanation.ingress.reason]).toEqual(['self', 'self']);
    }
    expect(verdict(s, 'a/web', 'a/client', 8080)).toBe('deny');
    expect(verdict(s, 'a/client', 'a/web', 8080)).toBe('deny');
  });
});

describe('a ClusterNetworkPolicy does not isolate its subjects', () => {
  it('a subject with only an Accept rule for one peer still allows the others by default', () => {
    const s = sessionFrom(
      docs(
        ...base,
        ingressCnp('accept-b', 'Admin', 1, 'Accept', 'a', 'b'),
        ingressCnp('baseline-accept-b', 'Baseline', 1, 'Accept', 'a', 'b'),
      ),
    );
    expect(verdict(s, 'b/client', 'a/web', 8080)).toBe('allow');
    const r = checkFlow(s, { from: 'c/client', to: 'a/web', port: 8080 });
    expect(r.verdict).toBe('allow');
    expect(r.explanation.ingress.reason).toBe('default');
    expect(steps(s, 'c/client', 'a/web', 'ingress')).toEqual(['Admin:no-match', 'Baseline:no-match']);
  });
});

describe("NetworkPolicy's implicit deny", () => {
  const yaml = (adminPass: boolean): string =>
    docs(
      ...base,
      netpol('a', 'web-from-b', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } }] }],
      }),
      ingressCnp('baseline-accept-all', 'Baseline', 1, 'Accept', '*', '*'),
      ...(adminPass ? [ingressCnp('pass-c', 'Admin', 1, 'Pass', 'a', 'c')] : []),
    );

  it('is final: it is not passed on to the Baseline tier', () => {
    const s = sessionFrom(yaml(false));
    expect(verdict(s, 'b/client', 'a/web', 8080)).toBe('allow');
    expect(verdict(s, 'c/client', 'a/web', 8080)).toBe('deny');
    expect(steps(s, 'c/client', 'a/web', 'ingress')).toEqual(['NetworkPolicy:deny']);
    // A pod no NetworkPolicy selects reaches the Baseline tier.
    expect(steps(s, 'c/client', 'a/client', 'ingress')).toEqual(['NetworkPolicy:not-selected', 'Baseline:allow']);
  });

  it('is final after an Admin Pass too', () => {
    const s = sessionFrom(yaml(true));
    expect(verdict(s, 'c/client', 'a/web', 8080)).toBe('deny');
    expect(steps(s, 'c/client', 'a/web', 'ingress')).toEqual(['Admin:pass', 'NetworkPolicy:deny']);
  });
});

describe('host-network pods', () => {
  const node = (name: string, ip: string): string =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/os': 'linux' } },
      status: { addresses: [{ type: 'InternalIP', address: ip }] },
    });
  const yaml = docs(
    namespace('a'),
    namespace('b'),
    node('n1', '172.18.0.1'),
    node('n2', '172.18.0.2'),
    pod('a', 'agent', { app: 'agent' }, '172.18.0.1', [], { hostNetwork: true, nodeName: 'n1' }),
    pod('a', 'web', { app: 'web' }, '10.0.0.1', [], { nodeName: 'n2' }),
    pod('b', 'server', { app: 'server' }, '10.0.1.1', [], { nodeName: 'n2' }),
    cnp('lockdown-a', 'Admin', 1, {
      subject: inNamespace('a'),
      ingress: [{ action: 'Deny', from: [ALL_NAMESPACES] }],
      egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }],
    }),
    cnp('lockdown-agent', 'Admin', 2, {
      subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'agent' } } } },
      egress: [{ action: 'Deny', to: [ALL_NAMESPACES] }],
    }),
  );

  it('are never subjects of a ClusterNetworkPolicy', () => {
    const s = sessionFrom(yaml);
    const r = checkFlow(s, { from: 'a/agent', to: 'b/server', port: 80 });
    expect(r.verdict).toBe('allow');
    expect(r.explanation.egress.tiers).toEqual([{ tier: 'Admin', outcome: 'not-selected', policies: [], rules: [] }]);
    // The pod-network pod of the same namespace is a subject.
    expect(verdict(s, 'a/web', 'b/server', 80)).toBe('deny');
    expect(verdict(s, 'b/server', 'a/agent', 80)).toBe('allow');
  });

  it('are not matched by namespaces/pods peers either (their traffic is node traffic)', () => {
    const s = sessionFrom(yaml);
    // a/web denies ingress from every namespace, but a host-network source on another node is no namespace pod.
    expect(verdict(s, 'a/agent', 'a/web', 80)).toBe('allow');
    expect(verdict(s, 'b/server', 'a/web', 80)).toBe('deny');
  });
});

describe('examples/tiered', () => {
  it('matrix runs without warnings', async () => {
    const m = await run(['matrix', 'examples/tiered']);
    expect([m.code, m.stderr]).toEqual([0, '']);
    expect(m.stdout).toContain('tenant-b/web → tenant-b/api: TCP 8080');
  });

  it.each([
    ['tenant-a/web', 'tenant-b/web', '8080', 1, 'Admin  denied by ClusterNetworkPolicy tenant-b-isolation'],
    ['monitoring/prometheus', 'tenant-a/api', '9090', 0, 'skips the rest of the Admin tier'],
    ['monitoring/prometheus', 'tenant-b/api', '9090', 1, 'NetworkPolicy  isolated by NetworkPolicy tenant-b/api'],
    ['tenant-b/web', 'kube-system/coredns', '53/UDP', 0, 'allowed by ClusterNetworkPolicy allow-cluster-dns'],
    [
      'tenant-a/web',
      'tenant-a/worker',
      '9090',
      1,
      'Baseline       denied by ClusterNetworkPolicy default-deny-ingress',
    ],
  ])('check %s → %s on %s: exit %i with the tier trace', async (from, to, port, code, trace) => {
    const r = await run(['check', 'examples/tiered', '--from', from, '--to', to, '--port', port]);
    expect([r.code, r.stderr]).toEqual([code, '']);
    expect(r.stdout).toContain(trace);
  });
});
