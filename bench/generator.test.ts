import { analyzeCluster, loadManifests } from '@netreach/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CLUSTER_POLICIES,
  MIN_PODS,
  allObjects,
  generateCluster,
  mulberry32,
  newNetworkPolicy,
  toJson,
  toSources,
  toYaml,
} from './generator.js';

const text = (seed: number, pods: number): string =>
  toSources(generateCluster({ seed, pods }), 'yaml')
    .map((s) => `# ${s.name}\n${s.text}`)
    .join('');

const kindCount = (objects: readonly Record<string, unknown>[], kind: string): number =>
  objects.filter((o) => o['kind'] === kind).length;

describe('mulberry32', () => {
  it('is deterministic per seed and stays in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    // Not degenerate: many distinct values, mean near 1/2.
    expect(new Set(xs).size).toBeGreaterThan(990);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.05);
  });
});

describe('generateCluster', () => {
  it('gives identical text for the same seed and different text for another seed', () => {
    const first = text(1, 400);
    expect(text(1, 400)).toBe(first);
    expect(text(2, 400)).not.toBe(first);
    const json = (seed: number): string => toJson(allObjects(generateCluster({ seed, pods: 400 })));
    expect(json(1)).toBe(json(1));
    expect(json(1)).not.toBe(json(2));
  });

  it.each([
    { pods: MIN_PODS, networkPolicies: 1, clusterPolicies: 0 },
    { pods: 50 },
    { pods: 317, networkPolicies: 90, clusterPolicies: 3 },
    { pods: 1000 },
    { pods: 999, networkPolicies: 600, clusterPolicies: 20 },
  ])('makes exactly the requested pods and policies: %o', (request) => {
    const g = generateCluster({ seed: 3, ...request });
    const objects = allObjects(g);
    const wantNp = request.networkPolicies ?? Math.round(request.pods / 5);
    const wantCnp = request.clusterPolicies ?? DEFAULT_CLUSTER_POLICIES;
    expect(kindCount(objects, 'Pod')).toBe(request.pods);
    expect(kindCount(objects, 'NetworkPolicy')).toBe(wantNp);
    expect(kindCount(objects, 'ClusterNetworkPolicy')).toBe(wantCnp);
    expect(g.counts).toMatchObject({ pods: request.pods, networkPolicies: wantNp, clusterPolicies: wantCnp });

    // The loader sees the same numbers: every pod is a real pod of the model.
    for (const format of ['yaml', 'json'] as const) {
      const { cluster, issues } = loadManifests(toSources(g, format));
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(cluster.pods.length).toBe(request.pods);
      expect(cluster.pods.every((p) => !p.fromTemplate && p.ips.length === 1 && p.workload !== undefined)).toBe(true);
      expect(cluster.policies.filter((p) => p.kind === 'NetworkPolicy').length).toBe(wantNp);
      expect(cluster.policies.filter((p) => p.kind === 'ClusterNetworkPolicy').length).toBe(wantCnp);
      expect(Object.keys(cluster.namespaces).length).toBe(g.counts.namespaces);
      expect(cluster.nodes.length).toBe(g.counts.nodes);
    }
  });

  it('loads and analyses without errors or warnings, with real policy variety', () => {
    const g = generateCluster({ seed: 11, pods: 600 });
    const { cluster, issues } = loadManifests(toSources(g, 'yaml'));
    expect(issues).toEqual([]);
    const session = analyzeCluster(cluster);
    expect(session.issues).toEqual([]);
    expect(session.policies.length).toBe(cluster.policies.length);
    // Pod IPs and names are unique; pods are spread over nodes.
    expect(new Set(cluster.pods.map((p) => p.ips[0])).size).toBe(600);
    expect(new Set(cluster.pods.map((p) => p.nodeName)).size).toBe(g.counts.nodes);
    // The features the benchmark is meant to exercise are present.
    const specs = JSON.stringify(cluster.policies.map((p) => p.spec));
    for (const feature of [
      '"except"',
      '"endPort"',
      '"port":"http"',
      'namespaceSelector',
      '"Pass"',
      '"Deny"',
      '"Accept"',
      '"networks"',
    ])
      expect(specs).toContain(feature);
    expect(session.pipeline.tiers.filter((t) => t.policies.length > 0).map((t) => t.name)).toEqual([
      'Admin',
      'NetworkPolicy',
      'Baseline',
    ]);
    // Equivalence classes are far fewer than pods, but more than a handful.
    expect(session.analysis.classCount).toBeGreaterThan(20);
    expect(session.analysis.classCount).toBeLessThan(cluster.pods.length);
  });

  it('makes a policy for incremental changes that loads', () => {
    const { cluster, issues } = loadManifests([
      { name: 'p.yaml', text: toYaml([newNetworkPolicy('ns', 'p', 'api', 'web', 8080)]) },
    ]);
    expect(issues).toEqual([]);
    expect(cluster.policies).toHaveLength(1);
    expect(analyzeCluster(cluster).issues).toEqual([]);
  });

  it('writes YAML that reads back to the same objects as the JSON', () => {
    const objects = allObjects(generateCluster({ seed: 5, pods: 120 }));
    const fromYaml = loadManifests([{ name: 'a.yaml', text: toYaml(objects) }]).cluster;
    const fromJson = loadManifests([{ name: 'a.json', text: toJson(objects) }]).cluster;
    const strip = (c: typeof fromYaml): unknown =>
      JSON.parse(JSON.stringify(c, (k, v: unknown) => (k === 'source' ? undefined : v)));
    expect(strip(fromYaml)).toEqual(strip(fromJson));
  });

  it('rejects impossible requests', () => {
    expect(() => generateCluster({ seed: 1, pods: MIN_PODS - 1 })).toThrow(/at least/);
    expect(() => generateCluster({ seed: 1, pods: MIN_PODS, networkPolicies: 5 })).toThrow(/namespace/);
  });
});
