import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupDigits } from './format.js';

describe('groupDigits', () => {
  it('writes integers as toLocaleString("en-US") does', () => {
    for (const n of [0, 7, 12, 999, 1000, 10117, 999999, 1000000, -1, -1234, 8344783, Number.MAX_SAFE_INTEGER])
      expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => groupDigits(n) === n.toLocaleString('en-US')),
      { numRuns: 2000 },
    );
  });

  it('writes other numbers as String does', () => {
    for (const n of [1.5, -0.25, 2 ** 60, NaN, Infinity]) expect(groupDigits(n)).toBe(String(n));
  });
});
