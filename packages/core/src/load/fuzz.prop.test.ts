import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Issue } from '../errors.js';
import { buildCluster } from './build.js';
import { parseManifests } from './parse.js';
import type { RawObject } from './parse.js';

const RUNS = { numRuns: 300 };

/** Checks that hold for any result: well-formed issues and no internal errors. */
function checkIssues(issues: readonly Issue[]): void {
  for (const issue of issues) {
    expect(['error', 'warning']).toContain(issue.severity);
    expect(typeof issue.code).toBe('string');
    expect(typeof issue.message).toBe('string');
    expect(issue.code).not.toBe('INTERNAL_ERROR');
  }
}

/** Parse then build; both must return normally. */
function parseAndBuild(text: string): void {
  const parsed = parseManifests(text, 'fuzz.yaml');
  expect(Array.isArray(parsed.objects)).toBe(true);
  checkIssues(parsed.issues);
  for (const o of parsed.objects) {
    expect(typeof o.obj['kind']).toBe('string');
    expect(o.source.file).toBe('fuzz.yaml');
  }
  const built = buildCluster(parsed.objects);
  checkIssues(built.issues);
  const keys = built.cluster.pods.map((p) => [p.namespace, p.name]);
  const sorted = [...keys].sort(([a1 = '', b1 = ''], [a2 = '', b2 = '']) =>
    a1 < a2 ? -1 : a1 > a2 ? 1 : b1 < b2 ? -1 : b1 > b2 ? 1 : 0,
  );
  expect(keys).toEqual(sorted);
}

/** Fragments that exercise YAML structure, anchors, tags, lists and quoting. */
const yamlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '[',
        ']',
        '{',
        '}',
        ': ',
        '- ',
        '? ',
        ', ',
        '\n',
        '  ',
        '\t',
        '---\n',
        '...\n',
        '&a ',
        '*a ',
        '<<: ',
        '"',
        "'",
        '# c',
        '|\n',
        '>-\n',
        '!!set ',
        '!!binary ',
        '%YAML 1.1\n',
        'kind: Pod\n',
        'kind: PodList\n',
        'kind: List\n',
        'apiVersion: v1\n',
        'items:\n',
        'metadata:\n',
        'name: x\n',
        '__proto__: ',
        'null',
        '~',
        '12',
      ),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

const KINDS = [
  'Namespace',
  'Pod',
  'Node',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'NetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
  'List',
  'PodList',
  'NamespaceList',
  'ConfigMap',
];

const API_VERSIONS = [
  'v1',
  'apps/v1',
  'batch/v1',
  'networking.k8s.io/v1',
  'policy.networking.k8s.io/v1alpha1',
  'policy.networking.k8s.io/v1alpha2',
  'policy/v1',
];

const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.anything({ maxDepth: 2 }));
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> => fc.oneof(arb, anyValue);
const stringish = fc.oneof(fc.constantFrom('default', 'web', '', '10.0.0.1', 'fd00::1', 'TCP', 'UDP'), fc.string());
const labels = maybe(fc.dictionary(fc.oneof(fc.string(), fc.constant('__proto__')), maybe(stringish)));

const podSpec = maybe(
  fc.record(
    {
      containers: maybe(
        fc.array(
          maybe(
            fc.record(
              {
                ports: maybe(
                  fc.array(
                    maybe(
                      fc.record(
                        {
                          containerPort: maybe(fc.integer({ min: -5, max: 70_000 })),
                          protocol: maybe(fc.constantFrom('TCP', 'UDP', 'SCTP', 'tcp')),
                          name: maybe(stringish),
                        },
                        { requiredKeys: [] },
                      ),
                    ),
                    { maxLength: 3 },
                  ),
                ),
              },
              { requiredKeys: [] },
            ),
          ),
          { maxLength: 3 },
        ),
      ),
      hostNetwork: maybe(fc.boolean()),
      nodeName: maybe(stringish),
    },
    { requiredKeys: [] },
  ),
);

const template = maybe(
  fc.record({ metadata: maybe(fc.record({ labels }, { requiredKeys: [] })), spec: podSpec }, { requiredKeys: [] }),
);

const manifest = fc.record(
  {
    apiVersion: maybe(fc.constantFrom(...API_VERSIONS)),
    kind: maybe(fc.constantFrom(...KINDS)),
    metadata: maybe(
      fc.record(
        {
          name: maybe(stringish),
          namespace: maybe(stringish),
          labels,
          ownerReferences: maybe(
            fc.array(
              maybe(fc.record({ kind: maybe(stringish), name: maybe(stringish), controller: maybe(fc.boolean()) })),
              {
                maxLength: 2,
              },
            ),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    spec: maybe(
      fc.record(
        {
          replicas: maybe(fc.integer({ min: -2, max: 5 })),
          parallelism: maybe(fc.integer({ min: -2, max: 5 })),
          template,
          jobTemplate: maybe(fc.record({ spec: maybe(fc.record({ template })) })),
          containers: anyValue,
        },
        { requiredKeys: [] },
      ),
    ),
    status: maybe(
      fc.record(
        {
          podIP: maybe(stringish),
          podIPs: maybe(fc.array(maybe(fc.record({ ip: maybe(stringish) })), { maxLength: 3 })),
          addresses: maybe(fc.array(maybe(fc.record({ address: maybe(stringish) })), { maxLength: 3 })),
        },
        { requiredKeys: [] },
      ),
    ),
    items: anyValue,
  },
  { requiredKeys: [] },
);

describe('load never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => parseAndBuild(text)),
      RUNS,
    );
  });

  it('on YAML-like fragments', () => {
    fc.assert(
      fc.property(yamlish, (text) => parseAndBuild(text)),
      RUNS,
    );
  });

  it('on arbitrary JSON values, as text and as raw objects', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        parseAndBuild(JSON.stringify(value));
        const raw = { obj: value, source: { file: 'f.json', document: 0 } } as unknown as RawObject;
        checkIssues(buildCluster([raw]).issues);
      }),
      RUNS,
    );
  });

  it('on objects shaped like Kubernetes manifests, as YAML, as JSON and as raw objects', () => {
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 4 }), (objects) => {
        const yamlText = objects.map((o) => stringify(o, { aliasDuplicateObjects: false })).join('---\n');
        parseAndBuild(yamlText);
        const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
        if (json !== undefined) parseAndBuild(json);
        const raws = objects.map((obj, document) => ({ obj, source: { file: 'raw', document } }) as RawObject);
        const first = buildCluster(raws);
        checkIssues(first.issues);
        // Deterministic: building again gives the same result.
        expect(buildCluster(raws)).toEqual(first);
      }),
      RUNS,
    );
  });
});
