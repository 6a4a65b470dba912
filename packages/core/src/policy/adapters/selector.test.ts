import { describe, expect, it } from 'vitest';
import type { PolicyObject } from '../../model/types.js';
import { compileLabelSelector, labelKeyProblem, labelValueProblem } from './selector.js';
import { createValidationContext } from './validate.js';

const context = () =>
  createValidationContext(
    { apiVersion: 'v1', kind: 'Test', metadata: { name: 't' }, spec: {} } as PolicyObject,
    'Test t',
  );

describe('labelKeyProblem', () => {
  it('accepts qualified names with an optional DNS subdomain prefix', () => {
    for (const key of ['app', 'app.kubernetes.io/name', 'a/b', 'A_b-c.d', 'x'.repeat(63), `${'a'.repeat(253)}/b`]) {
      expect(labelKeyProblem(key)).toBeUndefined();
    }
  });

  it('rejects malformed keys', () => {
    for (const key of [
      '',
      '/a',
      'a/',
      'a/b/c',
      'x'.repeat(64),
      '-a',
      'a-',
      'a b',
      'Example.com/a',
      `${'a'.repeat(254)}/b`,
    ]) {
      expect(labelKeyProblem(key)).toBeDefined();
    }
  });
});

describe('labelValueProblem', () => {
  it('accepts empty and well-formed values up to 63 characters', () => {
    for (const value of ['', 'web', 'v1.2_3-x', 'A', 'x'.repeat(63)]) expect(labelValueProblem(value)).toBeUndefined();
  });

  it('rejects malformed values', () => {
    for (const value of ['x'.repeat(64), '-web', 'web.', 'a b', 'a/b']) expect(labelValueProblem(value)).toBeDefined();
  });
});

describe('compileLabelSelector', () => {
  it('returns undefined for an absent selector without reporting anything', () => {
    const ctx = context();
    expect(compileLabelSelector(undefined, 'sel', ctx)).toBeUndefined();
    expect(compileLabelSelector(null, 'sel', ctx)).toBeUndefined();
    expect(ctx.issues).toEqual([]);
  });

  it('keeps matchLabels in the order written', () => {
    const ctx = context();
    expect(compileLabelSelector({ matchLabels: { b: '2', a: '1' } }, 'sel', ctx)).toEqual({
      matchLabels: [
        ['b', '2'],
        ['a', '1'],
      ],
      matchExpressions: [],
    });
  });

  it('returns undefined and reports errors for an invalid selector', () => {
    const ctx = context();
    expect(compileLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Equals' }] }, 'sel', ctx)).toBeUndefined();
    expect(ctx.issues.map((i) => [i.code, i.path])).toEqual([['INVALID_SELECTOR', 'sel.matchExpressions[0].operator']]);
    expect(ctx.hasErrors()).toBe(true);
  });
});

describe('compileLabelSelector: remembered label checks', () => {
  it('reports the same bad key and value every time, and accepts good ones every time', () => {
    for (let round = 0; round < 3; round++) {
      const ctx = context();
      const selector = { matchLabels: { 'Bad Key': 'ok', good: '-bad-', fine: 'v1' } };
      expect(compileLabelSelector(selector, 'sel', ctx)).toBeUndefined();
      expect(ctx.issues.map((i) => [i.code, i.path, i.message])).toEqual([
        ['INVALID_SELECTOR', 'sel.matchLabels["Bad Key"]', labelKeyProblem('Bad Key')],
        ['INVALID_SELECTOR', 'sel.matchLabels.good', labelValueProblem('-bad-')],
      ]);
      const clean = context();
      expect(compileLabelSelector({ matchLabels: { fine: 'v1' } }, 'sel', clean)).toBeDefined();
      expect(clean.issues).toEqual([]);
    }
  });

  it('stays correct past the size of its memory', () => {
    const ctx = context();
    const matchLabels = Object.fromEntries(
      Array.from({ length: 12_000 }, (_, i) => [`k${i}`, i % 2 === 0 ? `v${i}` : `-${i}`]),
    );
    expect(compileLabelSelector({ matchLabels }, 'sel', ctx)).toBeUndefined();
    expect(ctx.issues).toHaveLength(6_000);
    expect(
      ctx.issues.every((i) => i.code === 'INVALID_SELECTOR' && /^sel\.matchLabels\.k\d*[13579]$/.test(i.path ?? '')),
    ).toBe(true);
  });
});
