import { describe, expect, it } from 'vitest';
import { parseManifests } from './parse.js';

const codes = (r: { issues: readonly { code: string }[] }): string[] => r.issues.map((i) => i.code);

describe('parseManifests: YAML documents', () => {
  it('reads every document of a multi-document file with its 0-based index', () => {
    const text = [
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec: {}',
    ].join('\n---\n');
    const r = parseManifests(text, 'm.yaml');
    expect(r.issues).toEqual([]);
    expect(r.objects.map((o) => [o.obj['kind'], o.source])).toEqual([
      ['Namespace', { file: 'm.yaml', document: 0 }],
      ['Pod', { file: 'm.yaml', document: 1 }],
      ['NetworkPolicy', { file: 'm.yaml', document: 2 }],
    ]);
    expect(r.objects[0]?.pathPrefix).toBeUndefined();
  });

  it('skips empty, comment-only and null documents silently but keeps counting them', () => {
    const text = '---\n# only a comment\n---\n~\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n---\n';
    const r = parseManifests(text, 'm.yaml');
    expect(r.issues).toEqual([]);
    expect(r.objects).toHaveLength(1);
    expect(r.objects[0]?.source.document).toBe(2);
    expect(parseManifests('', 'e.yaml')).toEqual({ objects: [], issues: [] });
    expect(parseManifests('# nothing\n', 'e.yaml')).toEqual({ objects: [], issues: [] });
  });

  it('rejects scalar documents and skips top-level lists with a warning', () => {
    const r = parseManifests('just a string\n---\n- a\n- b\n---\n42\n', 'x.yaml');
    expect(r.objects).toEqual([]);
    expect(r.issues.map((i) => [i.code, i.document, i.severity])).toEqual([
      ['NOT_A_MAPPING', 0, 'error'],
      ['NOT_A_MANIFEST', 1, 'warning'],
      ['NOT_A_MAPPING', 2, 'error'],
    ]);
  });

  it('reports objects without kind or apiVersion with file and document', () => {
    const r = parseManifests('apiVersion: v1\nmetadata: {name: a}\n---\nkind: Pod\nmetadata: {name: b}\n', 'k.yaml');
    expect(r.objects).toEqual([]);
    expect(r.issues).toMatchObject([
      { severity: 'error', code: 'MISSING_KIND', file: 'k.yaml', document: 0, path: 'kind' },
      { severity: 'error', code: 'MISSING_KIND', file: 'k.yaml', document: 1, path: 'apiVersion' },
    ]);
    expect(r.issues[0]?.message).toContain('a');
  });

  it('supports merge keys like kubectl does', () => {
    const text =
      'base: &b {app: web}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    <<: *b\n    tier: x\n';
    const r = parseManifests(text, 'm.yaml');
    expect(r.issues).toEqual([]);
    expect((r.objects[0]?.obj['metadata'] as { labels: unknown }).labels).toEqual({ app: 'web', tier: 'x' });
  });

  it('reports duplicate keys as a syntax error', () => {
    const r = parseManifests('apiVersion: v1\nkind: Pod\nkind: Service\n', 'd.yaml');
    expect(codes(r)).toEqual(['YAML_SYNTAX']);
    expect(r.objects).toEqual([]);
  });
});

describe('parseManifests: lists', () => {
  it('expands kind: List items, each with the list document as source and an items[i] prefix', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- {apiVersion: v1, kind: Namespace, metadata: {name: a}}',
      '- {apiVersion: apps/v1, kind: Deployment, metadata: {name: d}}',
    ].join('\n');
    const r = parseManifests(`apiVersion: v1\nkind: Pod\nmetadata: {name: first}\n---\n${text}`, 'l.yaml');
    expect(r.issues).toEqual([]);
    expect(r.objects.map((o) => [o.obj['kind'], o.obj['apiVersion'], o.source.document, o.pathPrefix])).toEqual([
      ['Pod', 'v1', 0, undefined],
      ['Namespace', 'v1', 1, 'items[0]'],
      ['Deployment', 'apps/v1', 1, 'items[1]'],
    ]);
  });

  it('requires kind and apiVersion on items of a plain List, with the item path', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: a}}\n- {metadata: {name: b}}\n- 7\n';
    const r = parseManifests(text, 'l.yaml');
    expect(r.objects).toHaveLength(1);
    expect(r.issues.map((i) => [i.code, i.path, i.document])).toEqual([
      ['MISSING_KIND', 'items[1].kind', 0],
      ['NOT_A_MAPPING', 'items[2]', 0],
    ]);
  });

  it('infers kind and apiVersion of PodList items that lack them', () => {
    const text = [
      'apiVersion: v1',
      'kind: PodList',
      'items:',
      '- metadata: {name: a}',
      '- apiVersion: v1',
      '  metadata: {name: b}',
      '- kind: Pod',
      '  metadata: {name: c}',
    ].join('\n');
    const r = parseManifests(text, 'pods.yaml');
    expect(r.issues).toEqual([]);
    expect(r.objects.map((o) => [o.obj['kind'], o.obj['apiVersion'], o.pathPrefix])).toEqual([
      ['Pod', 'v1', 'items[0]'],
      ['Pod', 'v1', 'items[1]'],
      ['Pod', 'v1', 'items[2]'],
    ]);
  });

  it('expands NamespaceList and NetworkPolicyList items', () => {
    const ns = parseManifests(
      'apiVersion: v1\nkind: NamespaceList\nitems:\n- metadata: {name: x}\n- metadata: {name: y}\n',
      'n.yaml',
    );
    expect(ns.objects.map((o) => o.obj['kind'])).toEqual(['Namespace', 'Namespace']);
    const np = parseManifests(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicyList\nitems:\n- metadata: {name: x}\n  spec: {}\n',
      'n.yaml',
    );
    expect(np.objects.map((o) => [o.obj['kind'], o.obj['apiVersion']])).toEqual([
      ['NetworkPolicy', 'networking.k8s.io/v1'],
    ]);
  });

  it('expands nested lists with a nested path prefix', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } },
        { apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'b' } }] },
      ],
    });
    const r = parseManifests(text, 'n.json');
    expect(r.objects.map((o) => [o.obj['kind'], o.pathPrefix])).toEqual([
      ['Pod', 'items[0]'],
      ['Pod', 'items[1].items[0]'],
    ]);
  });

  it('accepts empty and null items, rejects items that are not a list', () => {
    expect(parseManifests('apiVersion: v1\nkind: List\nitems: []\n', 'l.yaml')).toEqual({ objects: [], issues: [] });
    expect(parseManifests('apiVersion: v1\nkind: PodList\nitems:\n', 'l.yaml')).toEqual({ objects: [], issues: [] });
    const bad = parseManifests('apiVersion: v1\nkind: PodList\nitems: {a: 1}\n', 'l.yaml');
    expect(bad.issues.map((i) => [i.code, i.path])).toEqual([['INVALID_FIELD', 'items']]);
  });
});

describe('parseManifests: JSON', () => {
  it('reads a JSON object and a JSON typed list', () => {
    const pod = parseManifests(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }), 'p.json');
    expect(pod.issues).toEqual([]);
    expect(pod.objects).toEqual([
      { obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }, source: { file: 'p.json', document: 0 } },
    ]);
    const list = parseManifests(
      JSON.stringify({ apiVersion: 'v1', kind: 'NamespaceList', items: [{ metadata: { name: 'a' } }] }, null, 2),
      'n.json',
    );
    expect(list.objects.map((o) => [o.obj['kind'], o.obj['apiVersion'], o.pathPrefix])).toEqual([
      ['Namespace', 'v1', 'items[0]'],
    ]);
  });

  it('falls back to YAML when the text only looks like JSON', () => {
    // Not JSON (unquoted keys, trailing comma) but valid YAML flow style.
    const r = parseManifests('{apiVersion: v1, kind: Pod, metadata: {name: p},}', 'f.yaml');
    expect(r.issues).toEqual([]);
    expect(r.objects[0]?.obj['kind']).toBe('Pod');
  });

  it('skips a top-level JSON array that is not a List, with a warning', () => {
    const r = parseManifests(JSON.stringify([{ apiVersion: 'v1', kind: 'Pod' }]), 'a.json');
    expect(r.objects).toEqual([]);
    expect(codes(r)).toEqual(['NOT_A_MANIFEST']);
    expect(r.issues[0]?.severity).toBe('warning');
  });
});

describe('parseManifests: syntax errors', () => {
  it('reports YAML_SYNTAX with the document index and the line, and still loads the other documents', () => {
    const text = [
      'apiVersion: v1', // 1
      'kind: Pod', // 2
      'metadata: {name: ok1}', // 3
      '---', // 4
      'apiVersion: v1', // 5
      'kind: Pod', // 6
      'metadata: {name: [broken}', // 7
      '---', // 8
      'apiVersion: v1', // 9
      'kind: Pod', // 10
      'metadata: {name: ok2}', // 11
    ].join('\n');
    const r = parseManifests(text, 'bad.yaml');
    expect(r.objects.map((o) => [(o.obj['metadata'] as { name: string }).name, o.source.document])).toEqual([
      ['ok1', 0],
      ['ok2', 2],
    ]);
    expect(r.issues.length).toBeGreaterThanOrEqual(1);
    for (const issue of r.issues) {
      expect(issue).toMatchObject({ severity: 'error', code: 'YAML_SYNTAX', file: 'bad.yaml', document: 1 });
    }
    expect(r.issues[0]?.message).toMatch(/^line 7: /);
  });

  it('reads tabs in the indentation inside a flow collection as spaces, as kubectl does', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: q}\nargs:\n  [\n    "a",\n\t    "b",\n  ]\n';
    const r = parseManifests(text, 't.yaml');
    expect(r.objects.map((o) => o.obj['args'])).toEqual([undefined, ['a', 'b']]);
    expect(r.issues).toEqual([
      {
        severity: 'warning',
        code: 'YAML_TAB',
        message: 'line 11: tab in the indentation of a flow collection read as a space',
        file: 't.yaml',
        document: 1,
      },
    ]);
  });

  it('reports an unknown alias with its line', () => {
    const r = parseManifests('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: *nope\n', 'u.yaml');
    expect(r.objects).toEqual([]);
    expect(r.issues).toMatchObject([{ code: 'YAML_SYNTAX', document: 0 }]);
    expect(r.issues[0]?.message).toMatch(/^line 5: .*nope/);
  });

  it('reports a tab indentation with its line', () => {
    const r = parseManifests('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n\tlabels: x\n', 'i.yaml');
    expect(r.objects).toEqual([]);
    expect(r.issues[0]).toMatchObject({ code: 'YAML_SYNTAX', document: 0 });
    expect(r.issues[0]?.message).toMatch(/^line 5: /);
  });
});

describe('parseManifests: hostile input', () => {
  it('stops an alias bomb (billion laughs) quickly with a clean error', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = 'abcdefghi';
    for (let i = 1; i < names.length; i++) {
      const prev = names[i - 1] ?? 'a';
      lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const text = `apiVersion: v1\nkind: ConfigMap\n${lines.join('\n')}\n`;
    const start = performance.now();
    const r = parseManifests(text, 'bomb.yaml');
    expect(performance.now() - start).toBeLessThan(2000);
    expect(r.objects).toEqual([]);
    expect(r.issues).toMatchObject([{ severity: 'error', code: 'YAML_ALIAS_LIMIT', file: 'bomb.yaml', document: 0 }]);
  });

  it('bounds alias expansion that stays under the alias count', () => {
    // 99 uses of a 5000-value list: within yaml's alias count, but ~500k values from ~10k characters.
    const text = `apiVersion: v1\nkind: ConfigMap\na: &a [${Array(5000).fill('1').join(',')}]\nb: [${Array(99).fill('*a').join(',')}]\n`;
    const r = parseManifests(text, 'big.yaml');
    expect(r.issues).toMatchObject([{ severity: 'error', code: 'TOO_LARGE', document: 0 }]);
    expect(r.objects).toEqual([]);
    // The same with 5 uses is fine.
    const small = text.replace(Array(99).fill('*a').join(','), Array(5).fill('*a').join(','));
    expect(parseManifests(small, 'big.yaml').issues).toEqual([]);
  });

  it('allows ordinary aliases', () => {
    const r = parseManifests('apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: &l {a: b}}\nx: *l\n', 'a.yaml');
    expect(r.issues).toEqual([]);
    expect(r.objects[0]?.obj['x']).toEqual({ a: 'b' });
  });

  it('rejects a recursive alias as too deep', () => {
    const r = parseManifests('apiVersion: v1\nkind: Pod\nx: &x [1, *x]\n', 'r.yaml');
    expect(r.objects).toEqual([]);
    expect(codes(r)).toEqual(['TOO_DEEP']);
  });

  const nestedFlow = (depth: number): string =>
    `apiVersion: v1\nkind: Pod\nx: ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}\n`;

  it('accepts nesting of exactly 100 levels and rejects 101 (YAML)', () => {
    // The document mapping is level 1, so x holds levels 2..depth.
    expect(parseManifests(nestedFlow(100), 'd.yaml').issues).toEqual([]);
    const r = parseManifests(nestedFlow(101), 'd.yaml');
    expect(codes(r)).toEqual(['TOO_DEEP']);
    expect(r.objects).toEqual([]);
  });

  it('accepts nesting of exactly 100 levels and rejects 101 (JSON)', () => {
    const json = (depth: number): string =>
      `{"apiVersion":"v1","kind":"Pod","x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    expect(parseManifests(json(100), 'd.json').issues).toEqual([]);
    expect(codes(parseManifests(json(101), 'd.json'))).toEqual(['TOO_DEEP']);
  });

  it('rejects very deep flow nesting quickly, without a stack overflow', () => {
    // The yaml parser alone needs seconds (superlinear) for these; the pre-scan stops early.
    const texts = [
      'a: ' + '['.repeat(1_000_000) + ']'.repeat(1_000_000),
      'a: ' + '{b: '.repeat(500_000),
      '['.repeat(1_000_000),
      `${'- '.repeat(1_000_000)}x\n`,
    ];
    for (const text of texts) {
      const start = performance.now();
      const r = parseManifests(text, 'deep.yaml');
      expect(performance.now() - start).toBeLessThan(1500);
      expect(codes(r)).toContain('TOO_DEEP');
      expect(r.objects).toEqual([]);
    }
  });

  it('rejects deep block nesting (indentation and compact sequences) but loads the other documents', () => {
    const indented = Array.from({ length: 150 }, (_, i) => `${' '.repeat(i)}a${i}:`).join('\n');
    const ok = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}';
    const r = parseManifests(`${ok}\n---\n${indented} 1\n---\n${ok}\n`, 'deep.yaml');
    expect(r.issues.map((i) => [i.code, i.document])).toEqual([['TOO_DEEP', 1]]);
    expect(r.objects.map((o) => o.source.document)).toEqual([0, 2]);

    const compact = parseManifests(`${ok}\n---\n${'- '.repeat(120)}x\n`, 'compact.yaml');
    expect(compact.issues.map((i) => i.code)).toEqual(['TOO_DEEP']);
    expect(compact.issues[0]?.message).toMatch(/^line 5: /);
  });

  it('rejects deeply nested JSON quickly', () => {
    const start = performance.now();
    const r = parseManifests('['.repeat(1_000_000) + ']'.repeat(1_000_000), 'deep.json');
    expect(performance.now() - start).toBeLessThan(1000);
    expect(codes(r)).toEqual(['TOO_DEEP']);
  });

  it('counts the depth that aliases add', () => {
    // Each collection is at most 100 levels deep as written, but y nests x's value one level deeper.
    const deep = `${'['.repeat(99)}${']'.repeat(99)}`;
    expect(parseManifests(`apiVersion: v1\nkind: Pod\nx: &x ${deep}\n`, 'a.yaml').issues).toEqual([]);
    const r = parseManifests(`apiVersion: v1\nkind: Pod\nx: &x ${deep}\ny: [*x]\n`, 'a.yaml');
    expect(r.issues).toMatchObject([{ code: 'TOO_DEEP', document: 0 }]);
    expect(r.objects).toEqual([]);
  });

  it('keeps __proto__ keys harmless (YAML)', () => {
    const r = parseManifests(
      'apiVersion: v1\nkind: Pod\n__proto__: {polluted: 1}\nmetadata:\n  __proto__: {polluted: 2}\n',
      'p.yaml',
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const obj = r.objects[0]?.obj;
    expect(obj).toBeDefined();
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
    expect(Object.hasOwn(obj ?? {}, '__proto__')).toBe(true);
    expect((obj as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keeps __proto__ keys harmless (JSON)', () => {
    const r = parseManifests(
      '{"apiVersion":"v1","kind":"Pod","__proto__":{"polluted":1},"metadata":{"__proto__":{"polluted":2}}}',
      'p.json',
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const obj = r.objects[0]?.obj ?? {};
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
    expect(Object.hasOwn(obj, '__proto__')).toBe(true);
    expect(obj['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(obj['metadata'])).toBe(Object.prototype);
  });

  it('turns YAML 1.1 values into plain data', () => {
    const r = parseManifests(
      '%YAML 1.1\n---\napiVersion: v1\nkind: Pod\nwhen: 2001-12-14\nset: !!set {a, b}\n',
      'y.yaml',
    );
    expect(r.issues).toEqual([]);
    const obj = r.objects[0]?.obj ?? {};
    expect(typeof obj['when']).toBe('string');
    expect(obj['set']).toEqual(['a', 'b']);
  });
});
