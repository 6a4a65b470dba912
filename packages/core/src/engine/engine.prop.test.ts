import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../model/types.js';
import { buildPipeline } from '../policy/pipeline.js';
import { clusterWithPoliciesArb, optionsArb } from '../testing/arbitraries.js';
import { Analysis } from './analysis.js';
import { evaluateFlow } from './reference.js';

const PORTS = [1, 50, 53, 70, 79, 80, 81, 90, 8080];

describe('class engine equals the reference evaluator', () => {
  it('on random clusters, policies and options, for every endpoint pair and port', () => {
    fc.assert(
      fc.property(clusterWithPoliciesArb, optionsArb, ({ cluster, policies }, options) => {
        const pipeline = buildPipeline(policies, options);
        const analysis = new Analysis(cluster, pipeline, options);
        for (const src of analysis.endpoints) {
          for (const dst of analysis.endpoints) {
            for (const protocol of PROTOCOLS) {
              for (const port of PORTS) {
                const expected = evaluateFlow(pipeline, src, dst, protocol, port, options).allowed;
                const actual = analysis.isAllowed(src, dst, protocol, port);
                if (actual !== expected) {
                  throw new Error(
                    `${src.id} -> ${dst.id} ${protocol}/${port}: engine ${actual}, reference ${expected}`,
                  );
                }
              }
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  }, 300_000);

  it('classes never merge endpoints that the reference tells apart', () => {
    fc.assert(
      fc.property(clusterWithPoliciesArb, optionsArb, ({ cluster, policies }, options) => {
        const pipeline = buildPipeline(policies, options);
        const analysis = new Analysis(cluster, pipeline, options);
        expect(analysis.classCount).toBeLessThanOrEqual(analysis.endpoints.length);
        // Port sets from the engine agree with per-port reference answers.
        const eps = analysis.endpoints.slice(0, 6);
        for (const src of eps)
          for (const dst of eps) {
            const ports = analysis.portsBetween(src, dst);
            for (const protocol of PROTOCOLS)
              for (const port of PORTS) {
                const inSet = ports[protocol].some(([s, e]) => port >= s && port <= e);
                expect(inSet).toBe(evaluateFlow(pipeline, src, dst, protocol, port, options).allowed);
              }
          }
      }),
      { numRuns: 150 },
    );
  });
});

describe('class matrix', () => {
  it('equals the pod-level matrix, expanded, on random clusters', async () => {
    const { computeMatrix, computeClassMatrix } = await import('../query/matrix.js');
    const { resolveOptions } = await import('../options.js');
    fc.assert(
      fc.property(clusterWithPoliciesArb, optionsArb, ({ cluster, policies }, options) => {
        // Node-local ingress is a pair exemption the class level does not show.
        const opts = resolveOptions({ ...options, nodeLocalIngress: false });
        const pipeline = buildPipeline(policies, opts);
        const analysis = new Analysis(cluster, pipeline, opts);
        const session = { cluster, options: opts, pipeline, policies, analysis, issues: [] };
        // Expected: the engine's per-pair answer for every listed pair (independent of the class matrix).
        const expected = new Map<string, string>();
        const eps = analysis.endpoints;
        const outside = (k: string): boolean => k === 'external' || k === 'domain';
        for (const src of eps)
          for (const dst of eps) {
            if (src === dst || src.kind === 'domain' || (outside(src.kind) && outside(dst.kind))) continue;
            const ports = analysis.portsBetween(src, dst);
            if (ports.TCP.length + ports.UDP.length + ports.SCTP.length > 0)
              expected.set(`${src.id} ${dst.id}`, JSON.stringify(ports));
          }
        const flat = new Map<string, string>();
        for (const c of computeMatrix(session).connections) flat.set(`${c.from} ${c.to}`, JSON.stringify(c.ports));
        expect(flat).toEqual(expected);
        const cm = computeClassMatrix(session);
        const expanded = new Map<string, string>();
        for (const row of cm.rows)
          for (const g of row.allow)
            for (const d of g.to)
              for (const from of cm.classes[row.from]!)
                for (const to of cm.classes[d]!)
                  if (from !== to) expanded.set(`${from} ${to}`, JSON.stringify(g.ports));
        expect(expanded).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});

describe('pod-level matrix', () => {
  it('equals the per-pair engine answers, node-local ingress included', async () => {
    const { computeMatrix } = await import('../query/matrix.js');
    fc.assert(
      fc.property(clusterWithPoliciesArb, optionsArb, ({ cluster, policies }, options) => {
        const pipeline = buildPipeline(policies, options);
        const analysis = new Analysis(cluster, pipeline, options);
        const session = { cluster, options, pipeline, policies, analysis, issues: [] };
        const outside = (k: string): boolean => k === 'external' || k === 'domain';
        const expected: string[] = [];
        for (const src of analysis.endpoints)
          for (const dst of analysis.endpoints) {
            if (src === dst || src.kind === 'domain' || (outside(src.kind) && outside(dst.kind))) continue;
            const ports = analysis.portsBetween(src, dst);
            if (ports.TCP.length + ports.UDP.length + ports.SCTP.length > 0)
              expected.push(`${src.id} ${dst.id} ${JSON.stringify(ports)}`);
          }
        const actual = computeMatrix(session).connections.map((c) => `${c.from} ${c.to} ${JSON.stringify(c.ports)}`);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});
