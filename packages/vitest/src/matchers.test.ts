import './setup.js';
import { type Session, analyzeCluster, computeMatrix, loadManifests } from '@netreach/core';
import { describe, expect, it } from 'vitest';
import { isolatingPolicies } from './matchers.js';
import { formatMatrix, isMatrix } from './serializer.js';

function session(yaml: string): Session {
  const { cluster, issues } = loadManifests([{ name: 'test.yaml', text: yaml }]);
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  return analyzeCluster(cluster);
}

const PODS = `
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: b, labels: {app: db}}
spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: free, namespace: b, labels: {app: free}}
`;

const NP = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: b}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}], ports: [{port: 5432}]}]
`;

const ANP_DENY_ALL_EGRESS = `
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: lockdown}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}}
  egress:
    - {name: dns, action: Allow, to: [{namespaces: {}}], ports: [{portNumber: {protocol: UDP, port: 53}}]}
    - {name: rest, action: Deny, to: [{namespaces: {}}]}
`;

describe('toAllow and toDeny', () => {
  const s = session(`${PODS}---${NP}`);

  it('pass for the verdict of the flow, with .not', () => {
    expect(s).toAllow({ from: 'a/web', to: 'b/db', port: 5432 });
    expect(s).toDeny({ from: 'a/web', to: 'b/db', port: 5433 });
    expect(s).toDeny({ from: 'b/free', to: 'b/db', port: 5432 });
    expect(s).not.toAllow({ from: 'b/free', to: 'b/db', port: 5432 });
    expect(s).toAllow({ from: 'b/db', to: 'a/web', port: 'http' });
    expect({ session: s }).toAllow({ from: 'a/web', to: 'b/db', port: 5432, protocol: 'TCP' });
    expect(s).toDeny({ from: 'a/web', to: 'b/db', port: 5432, protocol: 'UDP' });
  });

  it('explain both sides when they fail', () => {
    let message = '';
    try {
      expect(s).toAllow({ from: 'b/free', to: 'b/db', port: 5432 });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('expected b/free → b/db TCP/5432 to be allowed, but it is denied:');
    expect(message).toContain('egress at b/free: allowed: no policy selects b/free for egress (default allow)');
    expect(message).toContain('ingress at b/db: denied: b/db is isolated for ingress by NetworkPolicy b/db');
    expect(() => expect(s).toDeny({ from: 'a/web', to: 'b/db', port: 5432 })).toThrow(
      /to be denied, but it is allowed:\n[\s\S]*ingress at b\/db: allowed by NetworkPolicy b\/db ingress rule 0/,
    );
    expect(() => expect(s).not.toDeny({ from: 'b/free', to: 'b/db', port: 5432 })).toThrow(
      /not to be denied, but it is denied/,
    );
  });

  it('reject things that are not sessions, and unknown endpoints', () => {
    expect(() => expect({}).toAllow({ from: 'a/web', to: 'b/db', port: 1 })).toThrow(/expect a Session/);
    expect(() => expect(s).toAllow({ from: 'a/nope', to: 'b/db', port: 1 })).toThrow(/no pod or workload "nope"/);
  });
});

describe('toBeIsolated', () => {
  const s = session(`${PODS}---${NP}---${ANP_DENY_ALL_EGRESS}`);

  it('follows the documented definition', () => {
    // NetworkPolicy tier: b/db is selected for ingress only.
    expect(s).toBeIsolated('b/db', 'ingress');
    expect(s).not.toBeIsolated('b/db', 'egress');
    expect(s).not.toBeIsolated('b/db');
    // Admin tier with a catch-all Deny on egress.
    expect(s).toBeIsolated('a/web', 'egress');
    expect(s).not.toBeIsolated('a/web', 'ingress');
    expect(s).not.toBeIsolated('b/free');
    expect(isolatingPolicies(s, 'a/web', 'egress')).toEqual([{ kind: 'AdminNetworkPolicy', name: 'lockdown' }]);
  });

  it('needs a catch-all Deny: a Deny limited to some ports does not isolate', () => {
    const limited = session(
      `${PODS}---${ANP_DENY_ALL_EGRESS.replace('to: [{namespaces: {}}]}', 'to: [{namespaces: {}}], ports: [{portNumber: {protocol: TCP, port: 80}}]}')}`,
    );
    expect(limited).not.toBeIsolated('a/web', 'egress');
  });

  it('explains what isolates the pod, or why not', () => {
    expect(() => expect(s).toBeIsolated('b/db')).toThrow(
      'expected b/db to be isolated for ingress and egress, but it is not:\n  ingress: isolated by NetworkPolicy b/db\n  egress: not isolated',
    );
    expect(() => expect(s).not.toBeIsolated('a/web', 'egress')).toThrow(
      /not to be isolated for egress, but it is:\n {2}egress: isolated by AdminNetworkPolicy lockdown/,
    );
  });
});

describe('matrix snapshot serializer', () => {
  const s = session(`${PODS}---${NP}`);

  it('prints a sorted table without class numbers', () => {
    const m = computeMatrix(s, { kinds: ['pod'] });
    expect(isMatrix(m)).toBe(true);
    expect(isMatrix({ endpoints: [], connections: [] })).toBe(true);
    expect(isMatrix({ endpoints: 'x', connections: [] })).toBe(false);
    expect(isMatrix([1, 2])).toBe(false);
    expect(formatMatrix(m)).toBe(
      [
        'endpoints (3):',
        '  a/web',
        '  b/db',
        '  b/free',
        'connections (5):',
        '  a/web  → b/db    TCP 5432',
        '  a/web  → b/free  all',
        '  b/db   → a/web   all',
        '  b/db   → b/free  all',
        '  b/free → a/web   all',
      ].join('\n'),
    );
    // The serializer is what vitest uses for snapshots of matrices.
    expect(m).toMatchInlineSnapshot(`
      endpoints (3):
        a/web
        b/db
        b/free
      connections (5):
        a/web  → b/db    TCP 5432
        a/web  → b/free  all
        b/db   → a/web   all
        b/db   → b/free  all
        b/free → a/web   all
    `);
  });
});
