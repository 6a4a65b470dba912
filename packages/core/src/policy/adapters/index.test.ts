import { describe, expect, it } from 'vitest';
import type { PolicyObject } from '../../model/types.js';
import { DEFAULT_OPTIONS } from '../../options.js';
import { compilePolicyObject } from './index.js';

const subject = { namespaces: {} };
const object = (apiVersion: string, kind: string, spec: unknown, name = 'default'): PolicyObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace: 'shop' },
  spec,
  source: { file: 'all.yaml', document: 3 },
});

describe('compilePolicyObject', () => {
  it('dispatches each supported kind and apiVersion to its adapter', () => {
    const compiled = [
      object('networking.k8s.io/v1', 'NetworkPolicy', {}),
      object('policy.networking.k8s.io/v1alpha2', 'ClusterNetworkPolicy', { tier: 'Baseline', priority: 4, subject }),
      object('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy', { priority: 9, subject }),
      object('policy.networking.k8s.io/v1alpha1', 'BaselineAdminNetworkPolicy', { subject }),
    ].map((obj) => compilePolicyObject(obj, DEFAULT_OPTIONS).policy);
    expect(compiled.map((p) => [p?.ref.kind, p?.tier, p?.priority])).toEqual([
      ['NetworkPolicy', 'NetworkPolicy', 0],
      ['ClusterNetworkPolicy', 'Baseline', 4],
      ['AdminNetworkPolicy', 'Admin', 9],
      ['BaselineAdminNetworkPolicy', 'Baseline', 0],
    ]);
  });

  it('warns about unknown kinds and returns no policy', () => {
    const result = compilePolicyObject(object('crd.projectcalico.org/v1', 'GlobalNetworkPolicy', {}), DEFAULT_OPTIONS);
    expect(result.policy).toBeUndefined();
    expect(result.issues).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'UNKNOWN_KIND',
        path: 'kind',
        file: 'all.yaml',
        document: 3,
        object: 'GlobalNetworkPolicy shop/default',
      }),
    ]);
  });

  it('warns about apiVersions it does not implement', () => {
    for (const [apiVersion, kind] of [
      ['extensions/v1beta1', 'NetworkPolicy'],
      ['policy.networking.k8s.io/v1alpha1', 'ClusterNetworkPolicy'],
      ['policy.networking.k8s.io/v1alpha2', 'AdminNetworkPolicy'],
    ] as const) {
      const result = compilePolicyObject(object(apiVersion, kind, { subject }), DEFAULT_OPTIONS);
      expect(result.policy).toBeUndefined();
      expect(result.issues.map((i) => [i.severity, i.code, i.path])).toEqual([
        ['warning', 'UNKNOWN_KIND', 'apiVersion'],
      ]);
    }
  });

  it('does not treat inherited object properties as kinds', () => {
    const result = compilePolicyObject(object('v1', 'constructor', {}), DEFAULT_OPTIONS);
    expect(result.issues.map((i) => i.code)).toEqual(['UNKNOWN_KIND']);
  });
});
