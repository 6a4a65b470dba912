/** The corpus of broken manifests: each gives one clear error line naming file, document and field, and exit 2. */
import { describe, expect, it } from 'vitest';
import { run } from './helpers/cli.js';

const cases: { file: string; document: number; field?: string; text: RegExp }[] = [
  { file: 'malformed-yaml.yaml', document: 2, text: /line \d+/ },
  { file: 'wrong-field-type.yaml', document: 1, field: 'spec.podSelector', text: /podSelector|object/i },
  { file: 'invalid-cidr.yaml', document: 1, field: 'spec.ingress[0].from[0].ipBlock.cidr', text: /10\.0\.0\.0\/33/ },
  {
    file: 'except-outside-cidr.yaml',
    document: 1,
    field: 'spec.ingress[0].from[0].ipBlock.except[0]',
    text: /192\.168\.0\.0\/16/,
  },
  { file: 'endport-less-than-port.yaml', document: 1, field: 'spec.ingress[0].ports[0].endPort', text: /80/ },
  { file: 'endport-with-named-port.yaml', document: 1, field: 'spec.ingress[0].ports[0]', text: /named port|endPort/i },
  { file: 'ipblock-with-selector.yaml', document: 1, field: 'spec.egress[0].to[0]', text: /ipBlock/ },
  { file: 'duplicate-policy-name.yaml', document: 2, text: /shop\/web/ },
  {
    file: 'unknown-operator.yaml',
    document: 1,
    field: 'spec.podSelector.matchExpressions[0].operator',
    text: /Equals/,
  },
  { file: 'label-not-a-string.yaml', document: 1, field: 'metadata.labels.canary', text: /string/ },
  { file: 'missing-kind.yaml', document: 1, text: /kind/ },
  { file: 'cnp-priority-out-of-range.yaml', document: 1, field: 'spec.priority', text: /1001|1000/ },
];

describe('bad input', () => {
  for (const c of cases) {
    it(`${c.file}: one clear error line, exit 2`, async () => {
      const path = `test/fixtures/bad/${c.file}`;
      for (const args of [
        ['matrix', path],
        ['check', path, '--from', 'shop/web', '--to', 'shop/web', '--port', '80'],
      ]) {
        const r = await run(args);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        const lines = r.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        const line = lines[0]!;
        expect(line).toMatch(/^error: /);
        expect(line).toContain(path);
        expect(line).toContain(`(document ${c.document})`);
        if (c.field !== undefined) expect(line).toContain(`field ${c.field}`);
        expect(line).toMatch(c.text);
        expect(line).not.toMatch(/\bat .*\.ts:\d+/);
      }
    });
  }
});
