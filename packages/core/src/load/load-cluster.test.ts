import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Issue } from '../errors.js';
import { buildCluster, loadCluster } from './build.js';
import { parseManifests } from './parse.js';
import type { RawObject } from './parse.js';

type Source = { name: string; text: string };

/** The two-step way: parse every file, then build from all objects. */
function twoStep(sources: readonly Source[]): { cluster: unknown; issues: Issue[] } {
  const issues: Issue[] = [];
  const objects: RawObject[] = [];
  for (const s of sources) {
    const r = parseManifests(s.text, s.name);
    issues.push(...r.issues);
    objects.push(...r.objects);
  }
  const built = buildCluster(objects);
  return { cluster: built.cluster, issues: [...issues, ...built.issues] };
}

const pod = (ns: string, name: string, ip: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}\nstatus: {podIP: "${ip}"}\n`;

describe('loadCluster', () => {
  it('gives the same cluster and issues, in the same order, as parsing then building', () => {
    const sources: Source[] = [
      { name: 'a.yaml', text: `${pod('shop', 'web', '10.0.0.1')}---\n${pod('shop', 'db', 'bad-ip')}` },
      { name: 'b.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'Pod' }] }) },
      {
        name: 'c.yaml',
        text: `${pod('shop', 'web', '10.0.0.2')}---\nkind: [unclosed\n---\nkind: Widget\napiVersion: x/v1\n`,
      },
      {
        name: 'd.yaml',
        text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: a}}\n',
      },
    ];
    const result = loadCluster(sources);
    expect(result).toEqual(twoStep(sources));
    // Parse issues of every file come first, then build issues (duplicates, bad IPs, skipped kinds).
    expect(result.issues.map((i) => i.code)).toEqual([
      'MISSING_KIND',
      'YAML_SYNTAX',
      'INVALID_IP',
      'DUPLICATE_OBJECT',
      'SKIPPED_KINDS',
    ]);
    expect(result.issues[3]?.message).toBe(
      'Pod shop/web is defined twice: a.yaml (document 1) and c.yaml (document 1)',
    );
  });

  it('agrees with parse-then-build on generated manifests', () => {
    const name = fc.constantFrom('a', 'b', 'web', 'db');
    const object = fc.oneof(
      fc.record({
        apiVersion: fc.constant('v1'),
        kind: fc.constant('Pod'),
        metadata: fc.record({ name, namespace: fc.constantFrom('x', 'y'), labels: fc.dictionary(name, name) }),
        status: fc.record({ podIP: fc.constantFrom('10.0.0.1', 'fd00::1', 'nope') }),
      }),
      fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Namespace'), metadata: fc.record({ name }) }),
      fc.record({
        apiVersion: fc.constant('networking.k8s.io/v1'),
        kind: fc.constant('NetworkPolicy'),
        metadata: fc.record({ name, namespace: fc.constantFrom('x', 'y') }),
        spec: fc.constantFrom({}, { podSelector: {} }, 'bad'),
      }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const file = fc
      .tuple(fc.array(object, { maxLength: 4 }), fc.constantFrom('yaml', 'json', 'list'))
      .map(([objects, format]): string => {
        if (format === 'json') return JSON.stringify(objects[0] ?? {});
        if (format === 'list') return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
        return objects.map((o) => stringify(o)).join('---\n');
      });
    fc.assert(
      fc.property(fc.array(file, { maxLength: 4 }), (texts) => {
        const sources = texts.map((text, i) => ({ name: `f${i}.yaml`, text }));
        expect(loadCluster(sources)).toEqual(twoStep(sources));
      }),
      { numRuns: 300 },
    );
  });
});
