/**
 * The class engine on clusters with tens to hundreds of classes, so that rows span several
 * 32-class words: the sparse rows (listed words plus a fill) and the class matrix built from them
 * must equal the reference evaluator there too. The small random clusters of engine.prop.test.ts
 * fit in one word.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../model/types.js';
import { buildPipeline } from '../policy/pipeline.js';
import { resolveOptions } from '../options.js';
import { optionsArb, policyArb, wideClusterWithPoliciesArb } from '../testing/arbitraries.js';
import { computeClassMatrix } from '../query/matrix.js';
import { Analysis } from './analysis.js';
import { evaluateFlow } from './reference.js';

const PORTS = [1, 53, 70, 80, 81, 8080];

describe('class engine on wide clusters', () => {
  it('equals the reference evaluator on sampled pairs, and rows span several words', () => {
    let multiWord = 0;
    fc.assert(
      fc.property(
        wideClusterWithPoliciesArb,
        optionsArb,
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 150, maxLength: 150 }),
        ({ cluster, policies }, options, pairs) => {
          const pipeline = buildPipeline(policies, options);
          const analysis = new Analysis(cluster, pipeline, options);
          if (analysis.classCount > 64) multiWord++;
          const eps = analysis.endpoints;
          for (const [i, j] of pairs) {
            const src = eps[i % eps.length]!;
            const dst = eps[j % eps.length]!;
            for (const protocol of PROTOCOLS)
              for (const port of PORTS) {
                const expected = evaluateFlow(pipeline, src, dst, protocol, port, options).allowed;
                const actual = analysis.isAllowed(src, dst, protocol, port);
                if (actual !== expected)
                  throw new Error(
                    `${src.id} -> ${dst.id} ${protocol}/${port}: engine ${actual}, reference ${expected}`,
                  );
              }
          }
        },
      ),
      { numRuns: 60 },
    );
    // The property is only meaningful if rows really spanned several words in many runs.
    expect(multiWord).toBeGreaterThanOrEqual(12);
  }, 300_000);

  it('class matrix equals the per-class-pair engine answers', () => {
    fc.assert(
      fc.property(wideClusterWithPoliciesArb, optionsArb, ({ cluster, policies }, options) => {
        const opts = resolveOptions({ ...options, nodeLocalIngress: false });
        const pipeline = buildPipeline(policies, opts);
        const analysis = new Analysis(cluster, pipeline, opts);
        const session = { cluster, options: opts, pipeline, policies, analysis, issues: [] };
        const cm = computeClassMatrix(session);
        // Engine class of each output class (output ids are dense positions).
        const engineClass = cm.classes.map((ids) =>
          analysis.classOfEndpoint(analysis.endpoints[analysis.indexOf(ids[0]!)!]!)!,
        );
        const kindOf = cm.classes.map((ids) => analysis.endpoints[analysis.indexOf(ids[0]!)!]!.kind);
        const actual = new Map<string, string>();
        for (const row of cm.rows)
          for (const g of row.allow) for (const d of g.to) actual.set(`${row.from} ${d}`, JSON.stringify(g.ports));
        const expected = new Map<string, string>();
        const outside = (k: string): boolean => k === 'external' || k === 'domain';
        for (let s = 0; s < cm.classes.length; s++) {
          if (kindOf[s] === 'domain') continue;
          for (let d = 0; d < cm.classes.length; d++) {
            if (outside(kindOf[s]!) && outside(kindOf[d]!)) continue;
            const ports = analysis.classPorts(engineClass[s]!, engineClass[d]!);
            if (ports.TCP.length + ports.UDP.length + ports.SCTP.length > 0)
              expected.set(`${s} ${d}`, JSON.stringify(ports));
          }
        }
        expect(actual).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  }, 300_000);

  it('updates branched off one analysis each equal a fresh analysis, and leave it as it was', () => {
    fc.assert(
      fc.property(
        wideClusterWithPoliciesArb,
        optionsArb,
        policyArb,
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 60, maxLength: 60 }),
        ({ cluster, policies }, options, added, removed, pairs) => {
          const base = new Analysis(cluster, buildPipeline(policies, options), options);
          const variants = [
            policies.filter((_, i) => i !== removed % policies.length),
            [...policies, added],
            policies.slice(1),
          ];
          const checks: [Analysis, Analysis][] = [];
          for (const v of variants) {
            const pipeline = buildPipeline(v, options);
            checks.push([base.update(cluster, pipeline), new Analysis(cluster, pipeline, options)]);
          }
          checks.push([base, new Analysis(cluster, buildPipeline(policies, options), options)]);
          for (const [updated, fresh] of checks) {
            const eps = fresh.endpoints;
            for (const [i, j] of pairs) {
              const src = eps[i % eps.length]!;
              const dst = eps[j % eps.length]!;
              for (const protocol of PROTOCOLS)
                for (const port of PORTS)
                  expect(updated.isAllowed(src, dst, protocol, port)).toBe(fresh.isAllowed(src, dst, protocol, port));
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 300_000);
});
