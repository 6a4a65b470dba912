import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, jsonTooDeep } from './json.js';

/** Nesting depth of a parsed JSON value (arrays and objects). */
function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (v !== null && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

describe('jsonTooDeep', () => {
  it('agrees with the depth of the parsed value, whatever the strings hold', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, max) => {
        const text = JSON.stringify(value);
        expect(jsonTooDeep(text, max)).toBe(depthOf(JSON.parse(text)) > max);
      }),
      { numRuns: 500 },
    );
  });

  it('ignores brackets and escaped quotes inside strings', () => {
    expect(jsonTooDeep(JSON.stringify({ a: '[[[[{{{{\\"[[[' }), 1)).toBe(false);
    expect(jsonTooDeep('{"a": "\\\\", "b": [[1]]}', 2)).toBe(true);
    expect(jsonTooDeep('{"a": "\\\\", "b": [[1]]}', 3)).toBe(false);
  });

  it('defaults to MAX_JSON_DEPTH', () => {
    expect(jsonTooDeep('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonTooDeep('['.repeat(MAX_JSON_DEPTH + 1))).toBe(true);
  });
});
