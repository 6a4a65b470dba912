import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { MAX_DEPTH } from './parse.js';
import { parseYamlFast, resolvePlain } from './fast-yaml.js';

/**
 * What the full reader makes of the text (same options as parse.ts), or 'rejected' when it
 * reports any error or warning.
 */
function fullReader(text: string): unknown[] | 'rejected' {
  const out: unknown[] = [];
  for (const doc of parseAllDocuments(text, { merge: true, prettyErrors: false, logLevel: 'error' })) {
    if (doc.errors.length > 0 || doc.warnings.length > 0) return 'rejected';
    out.push(doc.toJS({ maxAliasCount: 100 }));
  }
  return out;
}

/** Deep equality that also compares key order and tells -0 from 0 (Object.is on leaves). */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The fast reader either declines the text or reads it exactly as the full reader does. */
function agrees(text: string): boolean {
  const fast = parseYamlFast(text, MAX_DEPTH);
  if (fast === undefined) return true;
  const full = fullReader(text);
  if (full === 'rejected' || !same(fast, full)) {
    throw new Error(
      `fast reader disagrees on ${JSON.stringify(text)}: ${JSON.stringify(fast)} vs ${JSON.stringify(full)}`,
    );
  }
  return true;
}

const fast = (text: string): unknown[] | undefined => parseYamlFast(text, MAX_DEPTH);

describe('parseYamlFast: the plain subset', () => {
  it('reads block mappings, sequences, compact nesting and documents like the yaml library', () => {
    const text = [
      '# leading comment',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: web-1   # trailing comment',
      '  labels:',
      '    app.kubernetes.io/name: web',
      '    tier: ""',
      'spec:',
      '  containers:',
      '  - name: web',
      '    ports:',
      '    - {name: http, containerPort: 8080}',
      '    - - nested',
      '      - seq',
      '    args: [a, "b c", \'d\']',
      '---',
      '---',
      'x: 1',
    ].join('\n');
    const docs = fast(text);
    expect(docs).toEqual(fullReader(text));
    expect(docs).toHaveLength(3);
    expect(docs?.[1]).toBeNull();
  });

  it('resolves plain scalars with the YAML 1.2 core schema, keys as strings', () => {
    const text =
      'a: ~\nb: True\nc: 0o17\nd: -12\ne: 0x1F\nf: .inf\ng: 1.50\nh: 1e3\ni: 1_000\nj: 0777\n1: k\ntrue: l\n';
    expect(fast(text)).toEqual([
      { a: null, b: true, c: 15, d: -12, e: 31, f: Infinity, g: 1.5, h: 1000, i: '1_000', j: 777, '1': 'k', true: 'l' },
    ]);
    expect(resolvePlain('.NaN')).toBeNaN();
    expect(Object.is(resolvePlain('-0'), -0)).toBe(true);
    expect(resolvePlain('10.0.0.1')).toBe('10.0.0.1');
    expect(resolvePlain('nullable')).toBe('nullable');
  });

  it('tells null and booleans from words that look like them, as values and keys', () => {
    const words = ['~', '~~', 'n', 'null', 'Null', 'NULL', 'nulL', 'nul', 'nulls', 'true', 'True', 'TRUE', 'tRUE'];
    words.push('t', 'tru', 'truer', 'false', 'False', 'FALSE', 'fALSE', 'f', 'fals', 'falsey', 'name', 'team');
    for (const w of words) {
      expect(agrees(`k: ${w}\n`), w).toBe(true);
      expect(fast(`k: ${w}\n`), w).toBeDefined();
      // As a key: null keys are left to the full reader, the others read like it.
      expect(agrees(`${w}: v\n`), w).toBe(true);
    }
  });

  it('folds multi-line plain and quoted scalars and reads literal block scalars', () => {
    const text = [
      'plain: first',
      '  second',
      '',
      '  third',
      "single: 'it''s",
      '',
      "  folded  '",
      'double: "a\\',
      '   b \\u00e9"',
      'literal: |',
      '  line 1',
      '',
      '    indented',
      'stripped: |-',
      '  x',
      '',
      'crlf: ok',
    ].join('\n');
    const expected = {
      plain: 'first second\nthird',
      single: "it's\nfolded  ",
      double: 'ab é',
      literal: 'line 1\n\n  indented\n',
      stripped: 'x',
      crlf: 'ok',
    };
    expect(fast(text)).toEqual([expected]);
    expect(fast(text.replace(/\n/g, '\r\n'))).toEqual([expected]);
    expect(agrees(text) && agrees(text.replace(/\n/g, '\r\n'))).toBe(true);
  });

  it('keeps __proto__ keys as own data properties', () => {
    const [doc] = fast('__proto__:\n  polluted: yes\nflow: {__proto__: 1}\n') as [Record<string, unknown>];
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.hasOwn(doc, '__proto__')).toBe(true);
    expect(Object.hasOwn(doc['flow'] as object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('declines everything outside the subset, so the full reader reports it', () => {
    for (const text of [
      'a: &x 1\nb: *x\n', // anchors and aliases
      'a: !!str 1\n', // tags
      '%YAML 1.1\n---\na: yes\n', // directives
      'base: {a: 1}\n<<: {b: 2}\n', // merge keys
      'a:\n\tb: 1\n', // tabs
      'a: 1\ra: 2', // lone CR
      'a: 1\na: 2\n', // duplicate keys
      '~: 1\n', // null key
      '? a\n: 1\n', // explicit key
      '[a]: 1\n', // collection key
      'a: >\n  folded\n', // folded block scalar
      'a: |+\n  kept\n\n', // keep chomping
      'a: [1,\n  2]\n', // multi-line flow
      'a: [1, 2, ]\n', // trailing comma
      'a: b: c\n', // nested compact mapping
      'a: 1\n...\n', // document end marker
      'a: 1\n - b\n', // bad indentation
      'a: "unterminated\n', // syntax error
      'a: "\\q"\n', // bad escape
      `${'['.repeat(MAX_DEPTH + 1)}${']'.repeat(MAX_DEPTH + 1)}\n`, // too deep
    ]) {
      expect(fast(text), text).toBeUndefined();
    }
  });

  it('accepts nesting of exactly MAX_DEPTH collections', () => {
    const deep = `${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}\n`;
    expect(fast(deep)).toBeDefined();
    const block = Array.from({ length: MAX_DEPTH }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(fast(`${block} 1\n`)).toBeDefined();
    const tooDeep = Array.from({ length: MAX_DEPTH + 1 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(fast(`${tooDeep} 1\n`)).toBeUndefined();
  });
});

describe('parseYamlFast agrees with the yaml library', () => {
  const word = fc.constantFrom(
    'a',
    'c d',
    'x:y',
    '-1',
    '1',
    'null',
    '~',
    'true',
    '0x1F',
    '1.5',
    '.5',
    'é',
    '?q',
    ':c',
    '-d',
    '::/0',
    'a#b',
    'k8s.io/x',
    '1e3',
    '0o17',
    '0777',
    '+5',
    '-.inf',
    '.NaN',
    'NULL',
    'True',
    '1_000',
    '',
  );
  const breaks = fc.constantFrom('\n', '\n\n', '\n\n\n', '\n \n', ' \n', '\n  ', '\\\n');
  const scalar: fc.Arbitrary<string> = fc.oneof(
    word,
    word.map((w) => `"${w}"`),
    word.map((w) => `'${w}'`),
    fc.tuple(word, breaks, word).map(([a, s, b]) => `${a}${s}${b}`),
    fc.tuple(word, breaks, word).map(([a, s, b]) => `"${a}${s}${b}"`),
    fc.tuple(word, breaks, word).map(([a, s, b]) => `'${a}${s}${b}'`),
    fc.constantFrom('[]', '{}', '[a, b]', '{a: 1, "b":2}', '[[a], {b: c}]', '|', '|-', '>', '# c', 'x # c'),
  );
  type Node =
    | { kind: 'map'; entries: [string, Node][] }
    | { kind: 'seq'; items: Node[] }
    | { kind: 'scalar'; text: string }
    | { kind: 'block'; header: string; lines: string[] };
  const { node } = fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      scalar.map((text): Node => ({ kind: 'scalar', text })),
      fc
        .tuple(
          fc.constantFrom('|', '|-', '|+', '>', '| # c'),
          fc.array(fc.constantFrom('x', '', ' ', '  y', '# z', 'a: b', '   '), { maxLength: 4 }),
        )
        .map(([header, lines]): Node => ({ kind: 'block', header, lines })),
      fc.array(fc.tuple(word, tie('node')), { maxLength: 3 }).map((entries): Node => ({ kind: 'map', entries })),
      fc.array(tie('node'), { maxLength: 3 }).map((items): Node => ({ kind: 'seq', items })),
    ),
  }));
  /** Block YAML for a node, with indentation nudged by `jitter` to make near misses. */
  function render(n: Node, indent: number, jitter: () => number): string {
    const pad = (k: number): string => ' '.repeat(Math.max(0, k + jitter()));
    const nested = (v: Node): boolean =>
      (v.kind === 'map' && v.entries.length > 0) || (v.kind === 'seq' && v.items.length > 0);
    switch (n.kind) {
      case 'scalar':
        return `${n.text
          .split('\n')
          .map((l, i) => (i === 0 ? l : pad(indent + 1) + l))
          .join('\n')}\n`;
      case 'block':
        return `${n.header}\n${n.lines.map((l) => (l === '' ? '' : pad(indent + 1) + l)).join('\n')}\n`;
      case 'map':
        if (n.entries.length === 0) return '{}\n';
        return `\n${n.entries.map(([k, v]) => `${pad(indent)}${k}:${nested(v) ? '' : ' '}${render(v, indent + 2, jitter)}`).join('')}`;
      case 'seq':
        if (n.items.length === 0) return '[]\n';
        return `\n${n.items.map((v) => `${pad(indent)}-${nested(v) ? '' : ' '}${render(v, indent + 2, jitter)}`).join('')}`;
    }
  }
  const documents = fc
    .tuple(
      fc.array(node, { minLength: 1, maxLength: 3 }),
      fc.array(fc.integer({ min: -1, max: 1 }), { minLength: 1, maxLength: 40 }),
    )
    .map(([nodes, jitters]) => {
      let i = 0;
      // Mostly exact indentation, sometimes one space off.
      const jitter = (): number => (i++ % 5 === 0 ? (jitters[i % jitters.length] ?? 0) : 0);
      return nodes.map((n) => render(n, 0, jitter).replace(/^\n/, '')).join('---\n');
    });

  it('on generated block documents (LF and CRLF)', () => {
    fc.assert(
      fc.property(documents, (text) => agrees(text) && agrees(text.replace(/\n/g, '\r\n'))),
      { numRuns: 1500 },
    );
  });

  it('on YAML fragments', () => {
    const fragment = fc.oneof(
      fc.constantFrom(
        'a',
        'key',
        '- ',
        '-',
        ': ',
        ':',
        ' ',
        '  ',
        '\n',
        '\n  ',
        '\n- ',
        '#',
        ' # c',
        '"',
        "'",
        "''",
        '\\',
        '\\n',
        '\\u00e9',
        '[',
        ']',
        '{',
        '}',
        ', ',
        '|',
        '|-',
        '>',
        '---\n',
        '...',
        '~',
        'null',
        'true',
        '1',
        '-1',
        '0x1F',
        '.inf',
        '?',
        '&a',
        '*a',
        '!t',
        '%',
        '<<',
        '__proto__',
        '\t',
        '\r\n',
      ),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join('')),
        agrees,
      ),
      { numRuns: 1500 },
    );
  });

  it('on values written by the yaml library in every scalar style', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL'),
        fc.boolean(),
        fc.integer({ min: 2, max: 4 }),
        (value, style, flow, indent) => {
          const text = stringify(value, {
            defaultStringType: style as 'PLAIN',
            collectionStyle: flow ? 'flow' : 'any',
            indent,
            lineWidth: 40,
          });
          return agrees(text) && agrees(`---\n${text}---\n${text}`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads what the yaml library writes for manifests-like objects (the fast path is taken)', () => {
    const manifest = fc.record({
      apiVersion: fc.constantFrom('v1', 'apps/v1'),
      kind: fc.constantFrom('Pod', 'Namespace'),
      metadata: fc.record({
        name: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
        labels: fc.dictionary(
          fc.stringMatching(/^[a-z][a-z0-9./-]{0,15}$/),
          fc.stringMatching(/^[A-Za-z0-9._-]{0,10}$/),
        ),
      }),
    });
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 4 }), (objects) => {
        const text = objects.map((o) => stringify(o)).join('---\n');
        expect(fast(text)).toBeDefined();
        return agrees(text);
      }),
      { numRuns: 300 },
    );
  });
});
