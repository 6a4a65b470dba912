/**
 * computeMatrixJson builds the documented JSON form of the matrix directly; it must equal
 * matrixToJson(computeMatrix(…)) exactly, for every option the matrix takes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Analysis } from '../engine/analysis.js';
import { buildPipeline } from '../policy/pipeline.js';
import { clusterWithPoliciesArb, optionsArb } from '../testing/arbitraries.js';
import { type MatrixOptions, computeMatrix, computeMatrixJson, matrixToJson } from './matrix.js';

const matrixOptionsArb: fc.Arbitrary<MatrixOptions> = fc.record(
  {
    kinds: fc.subarray(['pod', 'node', 'external', 'domain'] as const, { minLength: 1 }),
    namespaces: fc.subarray(['a', 'b']),
  },
  { requiredKeys: [] },
);

describe('computeMatrixJson', () => {
  it('equals matrixToJson(computeMatrix(…)) on random clusters and matrix options', () => {
    fc.assert(
      fc.property(
        clusterWithPoliciesArb,
        optionsArb,
        matrixOptionsArb,
        ({ cluster, policies }, options, matrixOptions) => {
          const pipeline = buildPipeline(policies, options);
          const analysis = new Analysis(cluster, pipeline, options);
          const session = { cluster, options, pipeline, policies, analysis, issues: [] };
          const direct = computeMatrixJson(session, matrixOptions);
          expect(JSON.stringify(direct)).toBe(JSON.stringify(matrixToJson(computeMatrix(session, matrixOptions))));
        },
      ),
      { numRuns: 150 },
    );
  });
});
