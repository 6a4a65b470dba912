import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIp } from '../model/ip.js';
import type { Cluster, Protocol } from '../model/types.js';
import type { AnalysisOptions } from '../options.js';
import type { CompiledPolicy, TierPipeline } from '../policy/ir.js';
import { buildPipeline } from '../policy/pipeline.js';
import { clusterWithPoliciesArb, optionsArb, policyArb } from '../testing/arbitraries.js';
import { Analysis } from './analysis.js';
import {
  type Endpoint,
  domainEndpoint,
  externalEndpoint,
  nodeEndpoint,
  nodesByName,
  podEndpoint,
} from './endpoints.js';
import { evaluateFlow } from './reference.js';

// Numeric bounds and named-port numbers of the arbitraries (http 80/8080, dns 53, metrics 70).
const PROBES: readonly (readonly [Protocol, number])[] = [
  ['TCP', 80],
  ['TCP', 8080],
  ['TCP', 55],
  ['UDP', 53],
  ['UDP', 91],
  ['SCTP', 70],
];

/**
 * Endpoints the analysis does not hold, or holds as other objects: addresses and a domain that
 * no policy mentions, nodes and pods rebuilt from the same objects, a pod relabelled under an
 * existing id (its class must not be trusted) and a pod that is not in the cluster at all.
 */
function adHoc(cluster: Cluster): Endpoint[] {
  const nodes = nodesByName(cluster);
  const out: Endpoint[] = [
    externalEndpoint(parseIp('8.8.4.4')!),
    externalEndpoint(parseIp('10.0.0.2')!),
    externalEndpoint(parseIp('fd00::77')!),
    domainEndpoint('www.example.com', ['10.0.0.1']),
    ...cluster.nodes.map(nodeEndpoint),
  ];
  for (const pod of cluster.pods.slice(0, 3)) out.push(podEndpoint(cluster, pod, nodes));
  const first = cluster.pods[0];
  if (first !== undefined) {
    out.push(podEndpoint(cluster, { ...first, labels: { app: 'db', tier: 'be', team: 'y' } }, nodes));
    out.push(podEndpoint(cluster, { ...first, name: 'stranger', labels: { app: 'web' }, hostNetwork: false }, nodes));
    out.push(podEndpoint(cluster, { ...first, name: 'host', hostNetwork: true, nodeName: 'n1' }, nodes));
  }
  return out;
}

/** Every pair among the analysis's endpoints and the ad-hoc ones, on every probe port. */
function checkAll(
  analysis: Analysis,
  cluster: Cluster,
  pipeline: TierPipeline,
  options: AnalysisOptions,
  probes = PROBES,
): void {
  const endpoints = [...analysis.endpoints, ...adHoc(cluster)];
  for (const src of endpoints)
    for (const dst of endpoints)
      for (const [protocol, port] of probes) {
        const expected = evaluateFlow(pipeline, src, dst, protocol, port, options);
        const actual = analysis.explain(src, dst, protocol, port);
        // Byte-identical output (field order included), not only deep-equal.
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          expect(actual, `${src.id} -> ${dst.id} ${protocol}/${port}`).toEqual(expected);
          throw new Error(`${src.id} -> ${dst.id} ${protocol}/${port}: same values, different JSON`);
        }
      }
}

describe('Analysis.explain (reduced pipelines) equals the reference evaluator on the full pipeline', () => {
  it('on random clusters, policies and options, for every endpoint pair, in and out of the analysis', () => {
    fc.assert(
      fc.property(clusterWithPoliciesArb, optionsArb, ({ cluster, policies }, options) => {
        const pipeline = buildPipeline(policies, options);
        const analysis = new Analysis(cluster, pipeline, options);
        checkAll(analysis, cluster, pipeline, options);
      }),
      { numRuns: 100 },
    );
  }, 300_000);

  it('after incremental updates (each analysis keeps its own cache)', () => {
    const probes = [PROBES[0]!, PROBES[3]!, PROBES[5]!];
    const changeArb = fc.oneof(
      policyArb.map((policy) => (ps: CompiledPolicy[]): CompiledPolicy[] => [...ps, policy]),
      fc.nat(10).map(
        (i) =>
          (ps: CompiledPolicy[]): CompiledPolicy[] =>
            ps.filter((_, j) => j !== i % ps.length),
      ),
      fc.tuple(fc.nat(10), policyArb).map(
        ([i, p]) =>
          (ps: CompiledPolicy[]): CompiledPolicy[] =>
            ps.map((q, j) => (j === i % ps.length ? p : q)),
      ),
    );
    fc.assert(
      fc.property(
        clusterWithPoliciesArb,
        optionsArb,
        fc.array(changeArb, { minLength: 1, maxLength: 3 }),
        fc.nat(10),
        ({ cluster: start, policies: initial }, options, changes, relabel) => {
          let policies = initial;
          let pipeline = buildPipeline(policies, options);
          let analysis = new Analysis(start, pipeline, options);
          checkAll(analysis, start, pipeline, options, probes);
          // Relabel one pod (new pod object, same id) so that class ids may move under it.
          const i = relabel % start.pods.length;
          const cluster: Cluster = {
            ...start,
            pods: start.pods.map((p, j) => (j === i ? { ...p, labels: { app: 'api', team: 'x' } } : p)),
          };
          let current = start;
          for (const change of changes) {
            const [previous, previousPipeline, previousCluster] = [analysis, pipeline, current];
            policies = change(policies);
            pipeline = buildPipeline(policies, options);
            analysis = analysis.update(cluster, pipeline);
            current = cluster;
            checkAll(analysis, cluster, pipeline, options, probes);
            // The earlier analysis still explains its own pipeline.
            checkAll(previous, previousCluster, previousPipeline, options, probes);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 300_000);
});
