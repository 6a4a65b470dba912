import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Analysis } from '../engine/analysis.js';
import { subjectSelects } from '../engine/match.js';
import { buildPipeline } from '../policy/pipeline.js';
import { clusterWithPoliciesArb, optionsArb } from '../testing/arbitraries.js';
import { policiesSelecting, policyGraph, podsSelectedBy } from './policy-graph.js';

describe('policyGraph', () => {
  it('has a selects edge exactly where a policy selects a pod', () => {
    fc.assert(
      fc.property(clusterWithPoliciesArb, optionsArb, ({ cluster, policies }, options) => {
        const pipeline = buildPipeline(policies, options);
        const analysis = new Analysis(cluster, pipeline, options);
        const session = { cluster, options, pipeline, policies, analysis, issues: [] };
        const g = policyGraph(session);
        // Random policies may repeat a kind and name (the API forbids it); those share a node.
        const all = pipeline.tiers.flatMap((t) => t.policies);
        const unique = (p: (typeof all)[number]): boolean =>
          all.filter((q) => q.ref.kind === p.ref.kind && q.ref.name === p.ref.name).length === 1;
        for (const tier of pipeline.tiers)
          for (const p of tier.policies) {
            if (!unique(p)) continue;
            const expected = analysis.endpoints
              .filter((e) => e.kind === 'pod' && subjectSelects(tier, p, e))
              .map((e) => e.id)
              .sort();
            expect(podsSelectedBy(g, p.ref).sort()).toEqual(expected);
          }
      }),
      { numRuns: 150 },
    );
  });

  it('answers which policies select a pod, per direction', () => {
    const pipeline = buildPipeline(
      [
        {
          ref: { kind: 'NetworkPolicy', namespace: 'a', name: 'in' },
          tier: 'NetworkPolicy',
          priority: 0,
          subject: { namespaces: { kind: 'name', name: 'a' }, pods: { matchLabels: [], matchExpressions: [] } },
          ingress: [],
        },
      ],
      {
        ipBlockMatchesPods: true,
        hostNetworkPods: 'node',
        nodeLocalIngress: true,
        domainIps: {},
        missingSelectorsMatchAll: false,
        ingressController: false,
      },
    );
    const cluster = {
      namespaces: { a: { name: 'a', labels: { 'kubernetes.io/metadata.name': 'a' }, implicit: false } },
      pods: [
        {
          namespace: 'a',
          name: 'x',
          labels: {},
          ips: [],
          ports: [],
          hostNetwork: false,
          replicas: 1,
          fromTemplate: false,
        },
      ],
      nodes: [],
      externals: [],
      policies: [],
    };
    const options = {
      ipBlockMatchesPods: true,
      hostNetworkPods: 'node' as const,
      nodeLocalIngress: true,
      domainIps: {},
      missingSelectorsMatchAll: false,
      ingressController: false,
    };
    const session = {
      cluster,
      options,
      pipeline,
      policies: [],
      analysis: new Analysis(cluster, pipeline, options),
      issues: [],
    };
    const g = policyGraph(session);
    expect(policiesSelecting(g, 'a/x', 'ingress').map((r) => r.name)).toEqual(['in']);
    expect(policiesSelecting(g, 'a/x', 'egress')).toEqual([]);
    expect(g.hasEdge('pod:a/x->namespace:a')).toBe(true);
  });
});
