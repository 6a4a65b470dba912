import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../model/types.js';
import type { Cluster } from '../model/types.js';
import type { CompiledPolicy } from '../policy/ir.js';
import { buildPipeline } from '../policy/pipeline.js';
import { clusterWithPoliciesArb, optionsArb, policyArb } from '../testing/arbitraries.js';
import { Analysis } from './analysis.js';

const PORTS = [1, 50, 53, 70, 80, 81, 8080];

type Change =
  | { kind: 'add'; policy: CompiledPolicy }
  | { kind: 'remove'; index: number }
  | { kind: 'replace'; index: number; policy: CompiledPolicy }
  | { kind: 'relabel-pod'; index: number; labels: Record<string, string> }
  | { kind: 'relabel-namespace'; labels: Record<string, string> };

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  policyArb.map((policy) => ({ kind: 'add' as const, policy })),
  fc.nat(10).map((index) => ({ kind: 'remove' as const, index })),
  fc.tuple(fc.nat(10), policyArb).map(([index, policy]) => ({ kind: 'replace' as const, index, policy })),
  fc
    .tuple(fc.nat(10), fc.constantFrom({ app: 'web' }, { app: 'db', tier: 'be' }, {}, { team: 'x' }))
    .map(([index, labels]) => ({ kind: 'relabel-pod' as const, index, labels })),
  fc.constantFrom({ team: 'x' }, { team: 'y' }, {}).map((labels) => ({ kind: 'relabel-namespace' as const, labels })),
);

/** Apply a change the way immer would: new objects only along the changed path. */
function apply(
  cluster: Cluster,
  policies: CompiledPolicy[],
  change: Change,
): { cluster: Cluster; policies: CompiledPolicy[] } {
  switch (change.kind) {
    case 'add':
      return { cluster, policies: [...policies, change.policy] };
    case 'remove':
      return { cluster, policies: policies.filter((_, i) => i !== change.index % Math.max(1, policies.length)) };
    case 'replace':
      return {
        cluster,
        policies: policies.map((p, i) => (i === change.index % Math.max(1, policies.length) ? change.policy : p)),
      };
    case 'relabel-pod': {
      const i = change.index % cluster.pods.length;
      const pods = cluster.pods.map((p, j) =>
        j === i ? { ...p, labels: { ...change.labels, 'pod-template-hash': 'z' } } : p,
      );
      return { cluster: { ...cluster, pods }, policies };
    }
    case 'relabel-namespace': {
      const ns = cluster.namespaces['a']!;
      const namespaces = {
        ...cluster.namespaces,
        a: { ...ns, labels: { ...change.labels, 'kubernetes.io/metadata.name': 'a' } },
      };
      return { cluster: { ...cluster, namespaces }, policies };
    }
  }
}

describe('incremental analysis', () => {
  it('equals a fresh analysis after random changes', () => {
    let partial = 0;
    fc.assert(
      fc.property(
        clusterWithPoliciesArb,
        optionsArb,
        fc.array(changeArb, { minLength: 1, maxLength: 3 }),
        (start, options, changes) => {
          let state = start;
          let analysis = new Analysis(state.cluster, buildPipeline(state.policies, options), options);
          for (const change of changes) {
            state = apply(state.cluster, state.policies, change);
            const pipeline = buildPipeline(state.policies, options);
            const next = analysis.update(state.cluster, pipeline);
            const fresh = new Analysis(state.cluster, pipeline, options);
            if (next.reuse.kind === 'rows') partial++;
            expect(next.endpoints.map((e) => e.id)).toEqual(fresh.endpoints.map((e) => e.id));
            for (let i = 0; i < fresh.endpoints.length; i++)
              for (let j = 0; j < fresh.endpoints.length; j++)
                for (const protocol of PROTOCOLS)
                  for (const port of PORTS) {
                    const src = fresh.endpoints[i]!;
                    const dst = fresh.endpoints[j]!;
                    const want = fresh.isAllowed(src, dst, protocol, port);
                    const got = next.isAllowed(next.endpoints[i]!, next.endpoints[j]!, protocol, port);
                    if (got !== want)
                      throw new Error(
                        `${change.kind}: ${src.id} -> ${dst.id} ${protocol}/${port}: incremental ${got}, fresh ${want}`,
                      );
                  }
            analysis = next;
          }
        },
      ),
      { numRuns: 200 },
    );
    // The fast path (rows carried over) must actually be exercised.
    expect(partial).toBeGreaterThan(20);
  }, 300_000);

  it('equals a fresh analysis after long chains of updates (chained tables are flattened)', () => {
    fc.assert(
      fc.property(
        clusterWithPoliciesArb,
        optionsArb,
        fc.array(changeArb, { minLength: 9, maxLength: 14 }),
        (start, options, changes) => {
          let state = start;
          let analysis = new Analysis(state.cluster, buildPipeline(state.policies, options), options);
          for (const change of changes) {
            state = apply(state.cluster, state.policies, change);
            analysis = analysis.update(state.cluster, buildPipeline(state.policies, options));
          }
          const fresh = new Analysis(state.cluster, buildPipeline(state.policies, options), options);
          for (let i = 0; i < fresh.endpoints.length; i++)
            for (let j = 0; j < fresh.endpoints.length; j++)
              for (const protocol of PROTOCOLS)
                for (const port of [53, 80]) {
                  const want = fresh.isAllowed(fresh.endpoints[i]!, fresh.endpoints[j]!, protocol, port);
                  expect(analysis.isAllowed(analysis.endpoints[i]!, analysis.endpoints[j]!, protocol, port)).toBe(want);
                }
        },
      ),
      { numRuns: 60 },
    );
  }, 300_000);
});
