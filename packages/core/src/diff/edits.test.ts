import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../errors.js';
import { parseManifests } from '../load/parse.js';
import type { Cluster } from '../model/types.js';
import { loadManifests } from '../session.js';
import { addObjects, relabelNamespace, relabelPod, removeObject, removePolicy } from './edits.js';

const SHOP = new URL('../../../../examples/shop/', import.meta.url);

function shop(): Cluster {
  const sources = readdirSync(SHOP).map((f) => ({ name: f, text: readFileSync(new URL(f, SHOP), 'utf8') }));
  const { cluster, issues } = loadManifests(sources);
  expect(hasErrors(issues)).toBe(false);
  return cluster;
}

function objects(text: string): ReturnType<typeof parseManifests>['objects'] {
  const parsed = parseManifests(text, 'change.yaml');
  expect(parsed.issues).toEqual([]);
  return parsed.objects;
}

const policyIds = (c: Cluster): string[] =>
  c.policies.map((p) => `${p.kind} ${p.metadata.namespace ?? ''}/${p.metadata.name}`);

describe('addObjects', () => {
  it('adds new objects, shares untouched ones and leaves the original unchanged', () => {
    const before = shop();
    const copy = structuredClone(before);
    const { cluster, issues } = addObjects(
      before,
      objects(
        [
          'apiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: shop, labels: {app: debug}}',
          'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: extra, namespace: data}\nspec: {podSelector: {}}',
        ].join('\n---\n'),
      ),
    );
    expect(issues).toEqual([]);
    expect(before).toEqual(copy);
    expect(cluster).not.toBe(before);
    // Pods stay sorted by namespace and name; every old pod is the very same object.
    expect(cluster.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual([
      'data/postgres',
      'kube-system/coredns',
      'monitoring/prometheus',
      'shop/backend',
      'shop/debug',
      'shop/frontend',
      'shop/reports',
    ]);
    for (const p of before.pods) expect(cluster.pods).toContain(p);
    expect(cluster.pods.find((p) => p.name === 'frontend')).toBe(before.pods.find((p) => p.name === 'frontend'));
    expect(cluster.namespaces).toBe(before.namespaces);
    expect(cluster.policies.slice(0, before.policies.length)).toEqual(before.policies);
    expect(cluster.policies[0]).toBe(before.policies[0]);
    expect(policyIds(cluster).at(-1)).toBe('NetworkPolicy data/extra');
    // immer freezes the result, shared objects included.
    expect(Object.isFrozen(cluster)).toBe(true);
    expect(Object.isFrozen(cluster.pods[0])).toBe(true);
    expect(() => {
      (cluster.pods as unknown as unknown[]).push({});
    }).toThrow();
  });

  it('replaces objects of the same identity in place', () => {
    const before = shop();
    const { cluster, issues } = addObjects(
      before,
      objects(
        [
          // Same policy identity: replaced where it was.
          'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: backend, namespace: shop}\nspec: {podSelector: {matchLabels: {app: nothing}}}',
          // A Pod with a workload's name replaces the workload's pod.
          'apiVersion: v1\nkind: Pod\nmetadata: {name: frontend, namespace: shop, labels: {app: other}}',
          // A declared namespace replaces the old one; an implied one does not.
          'apiVersion: v1\nkind: Namespace\nmetadata: {name: data, labels: {team: platform}}',
        ].join('\n---\n'),
      ),
    );
    expect(issues).toEqual([]);
    expect(policyIds(cluster)).toEqual(policyIds(before));
    const i = before.policies.findIndex((p) => p.metadata.name === 'backend');
    expect(cluster.policies[i]!.spec).toEqual({ podSelector: { matchLabels: { app: 'nothing' } } });
    expect(cluster.pods).toHaveLength(before.pods.length);
    const fe = cluster.pods.find((p) => p.namespace === 'shop' && p.name === 'frontend')!;
    expect(fe.labels).toEqual({ app: 'other' });
    expect(fe.fromTemplate).toBe(false);
    expect(cluster.namespaces['data']!.labels).toEqual({ team: 'platform', 'kubernetes.io/metadata.name': 'data' });
    // The shop namespace was only implied by the new pod: the declared one stays, shared.
    expect(cluster.namespaces['shop']).toBe(before.namespaces['shop']);
  });

  it('adds implied namespaces in name order and reports input errors without changing anything', () => {
    const before = shop();
    const added = addObjects(before, objects('apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: billing}'));
    expect(Object.keys(added.cluster.namespaces)).toEqual(['billing', 'data', 'kube-system', 'monitoring', 'shop']);
    expect(added.cluster.namespaces['billing']!.implicit).toBe(true);

    const bad = addObjects(before, objects('apiVersion: v1\nkind: Pod\nmetadata: {namespace: shop}'));
    expect(bad.cluster).toBe(before);
    expect(bad.issues.map((i) => i.code)).toEqual(['MISSING_NAME']);
  });
});

describe('removing objects', () => {
  it('removes a policy, sharing everything else', () => {
    const before = shop();
    const { cluster, issues } = removePolicy(before, { kind: 'NetworkPolicy', namespace: 'shop', name: 'frontend' });
    expect(issues).toEqual([]);
    expect(policyIds(cluster)).toEqual(policyIds(before).filter((p) => p !== 'NetworkPolicy shop/frontend'));
    expect(cluster.pods).toBe(before.pods);
    expect(before.policies).toHaveLength(6);
  });

  it('returns an error and the cluster unchanged when the policy is absent', () => {
    const before = shop();
    for (const ref of [
      { kind: 'NetworkPolicy', namespace: 'shop', name: 'nope' },
      { kind: 'NetworkPolicy', namespace: 'data', name: 'frontend' },
      { kind: 'AdminNetworkPolicy', name: 'frontend' },
    ]) {
      const r = removePolicy(before, ref);
      expect(r.cluster).toBe(before);
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]).toMatchObject({ severity: 'error', code: 'NOT_FOUND' });
      expect(r.issues[0]!.message).toContain(ref.name);
    }
  });

  it('removes workloads, pods, nodes and namespaces with their content', () => {
    const before = shop();
    const w = removeObject(before, { kind: 'Deployment', namespace: 'shop', name: 'frontend' });
    expect(w.issues).toEqual([]);
    expect(w.cluster.pods.map((p) => p.name)).not.toContain('frontend');
    // A Deployment is not a StatefulSet, nor a Pod.
    expect(removeObject(before, { kind: 'StatefulSet', namespace: 'shop', name: 'frontend' }).issues[0]?.code).toBe(
      'NOT_FOUND',
    );
    expect(removeObject(before, { kind: 'Pod', namespace: 'shop', name: 'frontend' }).issues[0]?.code).toBe(
      'NOT_FOUND',
    );

    const ns = removeObject(before, { kind: 'Namespace', name: 'shop' });
    expect(Object.keys(ns.cluster.namespaces)).toEqual(['data', 'kube-system', 'monitoring']);
    expect(ns.cluster.pods.some((p) => p.namespace === 'shop')).toBe(false);
    expect(policyIds(ns.cluster)).toEqual(['NetworkPolicy data/postgres']);

    expect(removeObject(before, { kind: 'Node', name: 'n1' }).issues[0]?.code).toBe('NOT_FOUND');
    expect(removeObject(before, { kind: 'ConfigMap', namespace: 'shop', name: 'x' }).issues[0]?.code).toBe(
      'UNSUPPORTED_KIND',
    );
    const withNode = addObjects(before, objects('apiVersion: v1\nkind: Node\nmetadata: {name: n1}')).cluster;
    expect(removeObject(withNode, { kind: 'Node', name: 'n1' }).cluster.nodes).toEqual([]);
  });
});

describe('relabelling', () => {
  it('relabels a workload pod by workload name, sharing the other pods', () => {
    const before = shop();
    const { cluster, issues } = relabelPod(before, 'shop/frontend', { app: 'frontend', exposed: 'yes' });
    expect(issues).toEqual([]);
    const i = before.pods.findIndex((p) => p.name === 'frontend');
    expect(cluster.pods[i]!.labels).toEqual({ app: 'frontend', exposed: 'yes' });
    expect(before.pods[i]!.labels).toEqual({ app: 'frontend', tier: 'web' });
    cluster.pods.forEach((p, j) => {
      if (j !== i) expect(p).toBe(before.pods[j]);
    });
  });

  it('relabels every pod owned by a workload when no pod has that name', () => {
    const base = addObjects(
      shop(),
      objects(
        ['a', 'b']
          .map(
            (n) =>
              `apiVersion: v1\nkind: Pod\nmetadata: {name: web-${n}, namespace: shop, labels: {app: web}, ownerReferences: [{kind: ReplicaSet, name: web-1, controller: true}]}`,
          )
          .join('\n---\n'),
      ),
    ).cluster;
    const r = relabelPod(base, 'shop/web-1', { app: 'web2' });
    expect(r.cluster.pods.filter((p) => p.labels['app'] === 'web2').map((p) => p.name)).toEqual(['web-a', 'web-b']);
    expect(relabelPod(base, 'shop/none', {}).issues[0]?.code).toBe('NOT_FOUND');
    expect(relabelPod(base, 'frontend', {}).issues[0]?.code).toBe('INVALID_REF');
  });

  it('relabels a namespace, keeping kubernetes.io/metadata.name', () => {
    const before = shop();
    const r = relabelNamespace(before, 'data', { tier: 'db', 'kubernetes.io/metadata.name': 'evil' });
    expect(r.cluster.namespaces['data']!.labels).toEqual({ tier: 'db', 'kubernetes.io/metadata.name': 'data' });
    expect(r.cluster.namespaces['shop']).toBe(before.namespaces['shop']);
    expect(before.namespaces['data']!.labels).toEqual({ team: 'data', 'kubernetes.io/metadata.name': 'data' });
    expect(relabelNamespace(before, 'nope', {}).issues[0]?.code).toBe('NOT_FOUND');
  });
});
