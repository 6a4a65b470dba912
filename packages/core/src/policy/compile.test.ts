import { describe, expect, it } from 'vitest';
import type { Cluster } from '../model/types.js';
import { resolveOptions } from '../options.js';
import { loadManifests } from '../session.js';
import { compileCluster } from './compile.js';

/** A ClusterNetworkPolicy in the Admin tier selecting pods by namespace and pod labels. */
function cnp(name: string, priority: number, subject: string, direction: 'ingress' | 'egress' = 'ingress'): string {
  const peer = direction === 'ingress' ? 'from' : 'to';
  return `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: ${name}
spec:
  tier: Admin
  priority: ${priority}
  subject:
    ${subject}
  ${direction}:
  - action: Accept
    ${peer}:
    - namespaces: {}
`;
}

function pod(namespace: string, name: string, labels: string, hostNetwork = false): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: {${labels}}
spec:
  hostNetwork: ${hostNetwork}
`;
}

function equalPriorityWarnings(...docs: string[]): string[] {
  return warningsIn(load(...docs));
}

function load(...docs: string[]): Cluster {
  const { cluster, issues } = loadManifests([{ name: 'test.yaml', text: docs.join('---\n') }]);
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  return cluster;
}

function warningsIn(cluster: Cluster): string[] {
  return compileCluster(cluster, resolveOptions({}))
    .issues.filter((i) => i.code === 'EQUAL_PRIORITY')
    .map((i) => i.message);
}

describe('compileCluster: EQUAL_PRIORITY', () => {
  const byApp = (app: string): string => `pods: {podSelector: {matchLabels: {app: ${app}}}, namespaceSelector: {}}`;

  it('names the first pod (in namespace/name order) that both policies select', () => {
    const warnings = equalPriorityWarnings(
      pod('b', 'web-2', 'app: web'),
      pod('a', 'web-1', 'app: web, tier: front'),
      cnp('one', 5, byApp('web')),
      cnp('two', 5, `pods: {podSelector: {matchLabels: {tier: front}}, namespaceSelector: {}}`),
      cnp('three', 6, byApp('web')),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('ClusterNetworkPolicy one and ClusterNetworkPolicy two have the same priority 5');
    expect(warnings[0]).toContain('both select a/web-1;');
  });

  it('matches namespace selectors against implicit namespaces by their name label', () => {
    const inNamespace = (ns: string): string => `namespaces: {matchLabels: {kubernetes.io/metadata.name: ${ns}}}`;
    expect(
      equalPriorityWarnings(
        pod('implicit', 'p', 'app: x'),
        cnp('one', 1, inNamespace('implicit')),
        cnp('two', 1, byApp('x')),
      ),
    ).toEqual([expect.stringContaining('both select implicit/p;')]);
    expect(
      equalPriorityWarnings(
        pod('implicit', 'p', 'app: x'),
        cnp('one', 1, inNamespace('other')),
        cnp('two', 1, byApp('x')),
      ),
    ).toEqual([]);
    // A cluster built by hand may lack the namespace: its pods still carry the name label.
    const cluster = load(pod('gone', 'p', 'app: x'), cnp('one', 1, inNamespace('gone')), cnp('two', 1, byApp('x')));
    expect(warningsIn({ ...cluster, namespaces: {} })).toEqual([expect.stringContaining('both select gone/p;')]);
  });

  it('ignores host-network pods, pairs without a common pod and pairs of different directions', () => {
    expect(
      equalPriorityWarnings(
        pod('a', 'host', 'app: web', true),
        cnp('one', 5, byApp('web')),
        cnp('two', 5, byApp('web')),
      ),
    ).toEqual([]);
    expect(
      equalPriorityWarnings(pod('a', 'web', 'app: web'), cnp('one', 5, byApp('web')), cnp('two', 5, byApp('db'))),
    ).toEqual([]);
    expect(
      equalPriorityWarnings(
        pod('a', 'web', 'app: web'),
        cnp('one', 5, byApp('web'), 'ingress'),
        cnp('two', 5, byApp('web'), 'egress'),
      ),
    ).toEqual([]);
  });
});
