/**
 * @netreach/vitest — assert connectivity in your own tests.
 *
 * @example
 * import { installNetreachMatchers } from '@netreach/vitest';
 * installNetreachMatchers();
 * expect(session).toAllow({ from: 'shop/frontend', to: 'shop/backend', port: 8080 });
 * expect(session).toDeny({ from: 'shop/frontend', to: 'data/postgres', port: 5432 });
 * expect(session).toBeIsolated('data/postgres', 'ingress');
 * expect(computeMatrix(session)).toMatchSnapshot();
 */
import type { Direction } from '@netreach/core';
import { expect } from 'vitest';
import { type FlowExpectation, netreachMatchers } from './matchers.js';
import { matrixSerializer } from './serializer.js';

export type { FlowExpectation, SessionLike } from './matchers.js';
export { explainFlow, isolatingPolicies, netreachMatchers, sessionOf } from './matchers.js';
export { formatMatrix, isMatrix, matrixSerializer } from './serializer.js';

/**
 * The matchers netreach adds to `expect`.
 *
 * @example
 * expect(session).toAllow({ from: 'shop/frontend', to: 'shop/backend', port: 8080 });
 */
export interface NetreachMatchers<R = unknown> {
  /**
   * The flow is allowed: egress at the source and ingress at the destination both allow it.
   * On failure the message explains both sides.
   */
  toAllow(flow: FlowExpectation): R;
  /** The flow is denied by either side. On failure the message explains both sides. */
  toDeny(flow: FlowExpectation): R;
  /**
   * The pod is isolated for the direction (for both when left out): a NetworkPolicy selects it
   * for that direction, or an Admin/Baseline policy selecting it has a catch-all Deny rule.
   */
  toBeIsolated(ref: string, direction?: Direction): R;
}

declare module 'vitest' {
  // Type parameters must match vitest's declaration to merge.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars
  interface Assertion<T = any> {
    toAllow(flow: FlowExpectation): void;
    toDeny(flow: FlowExpectation): void;
    toBeIsolated(ref: string, direction?: Direction): void;
  }
  interface AsymmetricMatchersContaining {
    toAllow(flow: FlowExpectation): unknown;
    toDeny(flow: FlowExpectation): unknown;
    toBeIsolated(ref: string, direction?: Direction): unknown;
  }
}

/**
 * Register the matchers (`expect.extend`) and the matrix snapshot serializer. Safe to call more
 * than once. Or put `@netreach/vitest/setup` in `setupFiles`, which calls it.
 *
 * @example
 * // vitest.config.ts: test: { setupFiles: ['@netreach/vitest/setup'] }
 * // or, in a test file:
 * installNetreachMatchers();
 */
export function installNetreachMatchers(): void {
  expect.extend(netreachMatchers);
  expect.addSnapshotSerializer(matrixSerializer);
}
