import { describe, expect, it } from 'vitest';
import type { Issue } from '../errors.js';
import { relabelPod } from '../diff/edits.js';
import { buildCluster } from './build.js';
import { parseManifests } from './parse.js';
import type { RawObject } from './parse.js';

/** Parse each file (expecting no parse issues) and build the cluster. */
function load(...files: [name: string, text: string][]): ReturnType<typeof buildCluster> {
  const objects: RawObject[] = [];
  for (const [name, text] of files) {
    const parsed = parseManifests(text, name);
    expect(parsed.issues).toEqual([]);
    objects.push(...parsed.objects);
  }
  return buildCluster(objects);
}

const one = (text: string): ReturnType<typeof buildCluster> => load(['m.yaml', text]);
const codes = (issues: readonly Issue[]): string[] => issues.map((i) => i.code);
const errorsOf = (issues: readonly Issue[]): [string, string | undefined][] =>
  issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.path]);

describe('buildCluster: namespaces', () => {
  it('keeps labels and adds kubernetes.io/metadata.name', () => {
    const { cluster, issues } = one(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels: {env: prod}\n',
    );
    expect(issues).toEqual([]);
    expect(cluster.namespaces).toEqual({
      prod: {
        name: 'prod',
        labels: { env: 'prod', 'kubernetes.io/metadata.name': 'prod' },
        implicit: false,
        source: { file: 'm.yaml', document: 0 },
      },
    });
  });

  it('overrides a wrong kubernetes.io/metadata.name label, as the API server does', () => {
    const { cluster } = one(
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: {'kubernetes.io/metadata.name': b}\n",
    );
    expect(cluster.namespaces['a']?.labels).toEqual({ 'kubernetes.io/metadata.name': 'a' });
  });

  it('adds implicit namespaces for pods, workloads and NetworkPolicies only', () => {
    const { cluster, issues } = one(
      [
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: declared}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: declared}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: shop}\nspec: {template: {}}',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: np-only}\nspec: {}',
        'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: a, namespace: anp-ns}\nspec: {}',
      ].join('\n---\n'),
    );
    expect(issues).toEqual([]);
    expect(Object.keys(cluster.namespaces)).toEqual(['declared', 'default', 'np-only', 'shop']);
    expect(cluster.namespaces['shop']).toEqual({
      name: 'shop',
      labels: { 'kubernetes.io/metadata.name': 'shop' },
      implicit: true,
    });
    expect(cluster.namespaces['declared']?.implicit).toBe(false);
  });
});

describe('buildCluster: pods', () => {
  const pod = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: web-1',
    '  labels: {app: web}',
    '  ownerReferences:',
    '  - {apiVersion: apps/v1, kind: ReplicaSet, name: other, controller: false}',
    '  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d77fb55cc, controller: true}',
    'spec:',
    '  nodeName: n1',
    '  hostNetwork: true',
    '  containers:',
    '  - name: c1',
    '    ports:',
    '    - {name: http, containerPort: 8080}',
    '    - {containerPort: 53, protocol: UDP}',
    '  - name: c2',
    '    ports: [{containerPort: 9000, protocol: SCTP, name: ""}]',
    'status:',
    '  podIP: 10.0.0.1',
    '  podIPs: [{ip: 10.0.0.1}, {ip: "fd00::1"}]',
  ].join('\n');

  it('reads namespace (default), labels, IPs, ports, hostNetwork, nodeName and controller', () => {
    const { cluster, issues } = one(pod);
    expect(issues).toEqual([]);
    expect(cluster.pods).toEqual([
      {
        namespace: 'default',
        name: 'web-1',
        labels: { app: 'web' },
        ips: ['10.0.0.1', 'fd00::1'],
        ports: [
          { name: 'http', port: 8080, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
          { port: 9000, protocol: 'SCTP' },
        ],
        hostNetwork: true,
        nodeName: 'n1',
        workload: { kind: 'ReplicaSet', name: 'web-7d77fb55cc' },
        replicas: 1,
        fromTemplate: false,
        source: { file: 'm.yaml', document: 0 },
      },
    ]);
  });

  it('falls back to status.podIP and accepts pods without status or owner', () => {
    const { cluster } = one(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\nstatus: {podIP: 192.168.1.2}\n',
    );
    expect(cluster.pods[0]?.ips).toEqual(['192.168.1.2']);
    expect(cluster.pods[0]?.workload).toBeUndefined();
    expect(cluster.pods[0]?.hostNetwork).toBe(false);
    const bare = one('apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n');
    expect(bare.cluster.pods[0]).toMatchObject({ ips: [], ports: [], namespace: 'default' });
  });

  it('reports invalid IPs and ports with their paths', () => {
    const { cluster, issues } = one(
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: a}',
        'spec:',
        '  containers:',
        '  - ports: [{containerPort: 80}, {containerPort: 70000}, {containerPort: 81, protocol: tcp}, {containerPort: "82"}]',
        'status:',
        '  podIPs: [{ip: 10.0.0.1}, {ip: 10.0.0.300}, {ip: 12}]',
      ].join('\n'),
    );
    expect(errorsOf(issues)).toEqual([
      ['INVALID_FIELD', 'spec.containers[0].ports[1].containerPort'],
      ['INVALID_FIELD', 'spec.containers[0].ports[2].protocol'],
      ['INVALID_FIELD', 'spec.containers[0].ports[3].containerPort'],
      ['INVALID_IP', 'status.podIPs[1].ip'],
      ['INVALID_FIELD', 'status.podIPs[2].ip'],
    ]);
    expect(issues[0]).toMatchObject({ file: 'm.yaml', document: 0, object: 'Pod default/a' });
    expect(cluster.pods[0]?.ips).toEqual(['10.0.0.1']);
    expect(cluster.pods[0]?.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
  });

  it('groups pods under a controller without kind as kind Pod, with a warning (as netpol-analyzer)', () => {
    const { cluster, issues } = one(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  ownerReferences: [{name: owner, controller: true}]\n',
    );
    expect(issues.map((i) => [i.severity, i.code, i.path])).toEqual([
      ['warning', 'MISSING_OWNER_KIND', 'metadata.ownerReferences[0].kind'],
    ]);
    expect(cluster.pods[0]?.workload).toEqual({ kind: 'Pod', name: 'owner' });
  });

  it('ignores, with a warning, a port without containerPort', () => {
    const { cluster, issues } = one(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{ports: [{name: u, containerport: 3535}, {containerPort: 80}]}]\n',
    );
    expect(issues.map((i) => [i.severity, i.code, i.path])).toEqual([
      ['warning', 'MISSING_CONTAINER_PORT', 'spec.containers[0].ports[0].containerPort'],
    ]);
    expect(cluster.pods[0]?.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
  });

  it('rejects a leading-zero IPv4 podIP', () => {
    const { issues } = one('apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus: {podIP: 010.0.0.1}\n');
    expect(errorsOf(issues)).toEqual([['INVALID_IP', 'status.podIP']]);
  });
});

describe('buildCluster: workloads', () => {
  const template = [
    '    metadata: {labels: {app: w}}',
    '    spec:',
    '      nodeName: n2',
    '      containers: [{ports: [{containerPort: 80, name: http}]}]',
  ].join('\n');
  const workload = (apiVersion: string, kind: string, extra: string, tpl = `  template:\n${template}`): string =>
    `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: w-${kind.toLowerCase()}, namespace: apps}\nspec:\n${extra}${tpl}\n`;

  const cases: [apiVersion: string, kind: string, extra: string, replicas: number, tpl?: string][] = [
    ['apps/v1', 'Deployment', '  replicas: 3\n', 3],
    ['apps/v1', 'Deployment', '', 1],
    ['apps/v1', 'StatefulSet', '  replicas: 2\n', 2],
    ['apps/v1', 'DaemonSet', '  replicas: 5\n', 1],
    ['apps/v1', 'ReplicaSet', '  replicas: 4\n', 4],
    ['v1', 'ReplicationController', '  replicas: 0\n', 0],
    ['batch/v1', 'Job', '  parallelism: 6\n  replicas: 9\n', 6],
    ['batch/v1', 'Job', '', 1],
    [
      'batch/v1',
      'CronJob',
      '  schedule: "* * * * *"\n',
      1,
      `  jobTemplate:\n    spec:\n      parallelism: 4\n      template:\n${template.replace(/^/gm, '    ')}`,
    ],
  ];

  it.each(cases)(
    '%s %s (%j) becomes one representative pod with %d replicas',
    (apiVersion, kind, extra, replicas, tpl) => {
      const { cluster, issues } = one(workload(apiVersion, kind, extra, tpl));
      expect(issues).toEqual([]);
      expect(cluster.pods).toEqual([
        {
          namespace: 'apps',
          name: `w-${kind.toLowerCase()}`,
          labels: { app: 'w' },
          ips: [],
          ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
          hostNetwork: false,
          nodeName: 'n2',
          workload: { kind, name: `w-${kind.toLowerCase()}` },
          replicas,
          fromTemplate: true,
          source: { file: 'm.yaml', document: 0 },
        },
      ]);
    },
  );

  it('accepts legacy extensions/v1beta1 Deployments', () => {
    const { cluster, issues } = one(workload('extensions/v1beta1', 'Deployment', ''));
    expect(issues).toEqual([]);
    expect(cluster.pods).toHaveLength(1);
  });

  it('reports a missing pod template with its path', () => {
    const d = one('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 1}\n');
    expect(errorsOf(d.issues)).toEqual([['INVALID_FIELD', 'spec.template']]);
    expect(d.cluster.pods).toEqual([]);
    const c = one('apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec: {jobTemplate: {spec: []}}\n');
    expect(errorsOf(c.issues)).toEqual([['INVALID_FIELD', 'spec.jobTemplate.spec']]);
    const s = one('apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\n');
    expect(errorsOf(s.issues)).toEqual([['INVALID_FIELD', 'spec']]);
  });
});

describe('buildCluster: nodes', () => {
  it('keeps labels and only the IP addresses, sorted by name', () => {
    const { cluster, issues } = one(
      [
        'apiVersion: v1\nkind: Node\nmetadata: {name: z, labels: {zone: a}}\nstatus:\n  addresses:\n  - {type: InternalIP, address: 10.1.0.1}\n  - {type: Hostname, address: z.example}\n  - {type: InternalIP, address: "fd00::5"}',
        'apiVersion: v1\nkind: Node\nmetadata: {name: a}',
      ].join('\n---\n'),
    );
    expect(issues).toEqual([]);
    expect(cluster.nodes).toEqual([
      { name: 'a', labels: {}, addresses: [], source: { file: 'm.yaml', document: 1 } },
      { name: 'z', labels: { zone: 'a' }, addresses: ['10.1.0.1', 'fd00::5'], source: { file: 'm.yaml', document: 0 } },
    ]);
  });
});

describe('buildCluster: policies', () => {
  it('keeps policy objects as written, in input order, defaulting the NetworkPolicy namespace', () => {
    const { cluster, issues } = one(
      [
        'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec: {subject: {namespaces: {}}}',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, labels: {a: b}}\nspec: {podSelector: {}}',
        'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: anp, namespace: ignored}\nspec: {priority: 5}',
        'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: cnp}\nspec: {tier: Admin}',
      ].join('\n---\n'),
    );
    expect(issues).toEqual([]);
    expect(cluster.policies).toEqual([
      {
        apiVersion: 'policy.networking.k8s.io/v1alpha1',
        kind: 'BaselineAdminNetworkPolicy',
        metadata: { name: 'default' },
        spec: { subject: { namespaces: {} } },
        source: { file: 'm.yaml', document: 0 },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny', namespace: 'default', labels: { a: 'b' } },
        spec: { podSelector: {} },
        source: { file: 'm.yaml', document: 1 },
      },
      {
        apiVersion: 'policy.networking.k8s.io/v1alpha1',
        kind: 'AdminNetworkPolicy',
        metadata: { name: 'anp' },
        spec: { priority: 5 },
        source: { file: 'm.yaml', document: 2 },
      },
      {
        apiVersion: 'policy.networking.k8s.io/v1alpha2',
        kind: 'ClusterNetworkPolicy',
        metadata: { name: 'cnp' },
        spec: { tier: 'Admin' },
        source: { file: 'm.yaml', document: 3 },
      },
    ]);
  });

  it('does not validate spec contents', () => {
    const { cluster, issues } = one(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec: {podSelector: 7, ingress: nonsense}\n',
    );
    expect(issues).toEqual([]);
    expect(cluster.policies[0]?.spec).toEqual({ podSelector: 7, ingress: 'nonsense' });
  });

  it('requires a name and an object spec', () => {
    const { cluster, issues } = one(
      [
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {namespace: a}\nspec: {}',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ""}\nspec: {}',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: 5}\nspec: {}',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: s}\nspec: [a]',
        'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: t}',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nspec: {}',
      ].join('\n---\n'),
    );
    expect(issues.map((i) => [i.code, i.path, i.document])).toEqual([
      ['MISSING_NAME', 'metadata.name', 0],
      ['MISSING_NAME', 'metadata.name', 1],
      ['MISSING_NAME', 'metadata.name', 2],
      ['INVALID_FIELD', 'spec', 3],
      ['INVALID_FIELD', 'spec', 4],
      ['MISSING_NAME', 'metadata.name', 5],
    ]);
    expect(issues[3]?.object).toBe('NetworkPolicy default/s');
    expect(issues[4]?.object).toBe('AdminNetworkPolicy t');
    expect(cluster.policies).toEqual([]);
  });

  it('skips, with a warning, known kinds whose apiVersion is from another group', () => {
    const { cluster, issues } = one(
      [
        'apiVersion: policy/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec: {}',
        'apiVersion: apps/v1\nkind: Pod\nmetadata: {name: p}',
        'apiVersion: networking.k8s.io/v1\nkind: AdminNetworkPolicy\nmetadata: {name: a}\nspec: {}',
      ].join('\n---\n'),
    );
    expect(issues.map((i) => [i.severity, i.code, i.document, i.path])).toEqual([
      ['warning', 'API_VERSION_MISMATCH', 0, 'apiVersion'],
      ['warning', 'API_VERSION_MISMATCH', 1, 'apiVersion'],
      ['warning', 'API_VERSION_MISMATCH', 2, 'apiVersion'],
    ]);
    expect(cluster.policies).toEqual([]);
    expect(cluster.pods).toEqual([]);
  });
});

describe('buildCluster: duplicates', () => {
  const np = (name: string): string =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}}\nspec: {}`;

  it('reports a policy defined twice, naming both sources, and keeps the first', () => {
    const { cluster, issues } = load(['a.yaml', np('x')], ['b.yaml', `${np('y')}\n---\n${np('z')}\n---\n${np('x')}`]);
    expect(issues).toEqual([
      {
        severity: 'error',
        code: 'DUPLICATE_OBJECT',
        message: 'NetworkPolicy default/x is defined twice: a.yaml (document 1) and b.yaml (document 3)',
        file: 'b.yaml',
        document: 2,
        object: 'NetworkPolicy default/x',
        path: '',
      },
    ]);
    expect(cluster.policies.map((p) => [p.metadata.name, p.source?.file])).toEqual([
      ['x', 'a.yaml'],
      ['y', 'b.yaml'],
      ['z', 'b.yaml'],
    ]);
  });

  it('treats same names in different namespaces or kinds as distinct', () => {
    const { issues } = one(
      [
        np('x'),
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: other}\nspec: {}',
        'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: x}\nspec: {}',
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}',
        'apiVersion: v1\nkind: Node\nmetadata: {name: x}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: x}',
      ].join('\n---\n'),
    );
    expect(issues).toEqual([]);
  });

  it('reports duplicate namespaces, nodes and pods', () => {
    const { cluster, issues } = one(
      [
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}',
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {x: y}}',
        'apiVersion: v1\nkind: Node\nmetadata: {name: n}',
        'apiVersion: v1\nkind: Node\nmetadata: {name: n}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}',
      ].join('\n---\n'),
    );
    expect(issues.map((i) => [i.code, i.document, i.object])).toEqual([
      ['DUPLICATE_OBJECT', 1, 'Namespace a'],
      ['DUPLICATE_OBJECT', 3, 'Node n'],
      ['DUPLICATE_OBJECT', 5, 'Pod default/p'],
    ]);
    expect(cluster.namespaces['a']?.labels).toEqual({ 'kubernetes.io/metadata.name': 'a' });
    expect(cluster.pods).toHaveLength(1);
  });

  it('reports a Pod and a workload pod with the same namespace and name', () => {
    const { cluster, issues } = load(
      ['p.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: s}'],
      ['d.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: s}\nspec: {template: {}}'],
    );
    expect(codes(issues)).toEqual(['DUPLICATE_OBJECT']);
    expect(issues[0]?.message).toBe(
      'pod s/web is defined twice: by Pod s/web in p.yaml (document 1) and by Deployment s/web in d.yaml (document 1)',
    );
    expect(cluster.pods.map((p) => p.fromTemplate)).toEqual([false]);
  });
});

describe('buildCluster: skipped kinds', () => {
  it('aggregates one warning over all files, counting list items individually', () => {
    const { issues } = load(
      [
        'a.yaml',
        'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: s1}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}',
      ],
      [
        'b.yaml',
        'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ServiceAccount, metadata: {name: s2}}\n- {apiVersion: v1, kind: ServiceAccount, metadata: {name: s3}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: d}}',
      ],
    );
    expect(issues).toEqual([
      {
        severity: 'warning',
        code: 'SKIPPED_KINDS',
        message: 'skipped 5 objects of kinds not used in analysis: ConfigMap (2), ServiceAccount (3)',
      },
    ]);
  });
});

describe('buildCluster: wrong field types', () => {
  it('reports each with INVALID_FIELD and the exact path, never throwing', () => {
    const { issues } = one(
      [
        'apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: [x]}\nspec: {containers: {a: 1}, hostNetwork: "yes", nodeName: 3}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: b, labels: {on: true, n: 5, ok: "5", "app.kubernetes.io/name": 1}}',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: "3"\n  template:\n    metadata: {labels: {app: 1}}\n    spec: {containers: [7, {ports: 80}]}',
        'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {parallelism: 1.5, template: {metadata: 4}}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: [x]}',
        'apiVersion: v1\nkind: Pod\nmetadata: x',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: e, ownerReferences: [{controller: true, kind: 5, name: x}]}\nstatus: []',
        'apiVersion: v1\nkind: Node\nmetadata: {name: n}\nstatus: {addresses: [{address: 5}]}',
      ].join('\n---\n'),
    );
    expect(issues.map((i) => [i.code, i.document, i.path])).toEqual([
      ['INVALID_FIELD', 0, 'metadata.labels'],
      ['INVALID_FIELD', 0, 'spec.containers'],
      ['INVALID_FIELD', 0, 'spec.hostNetwork'],
      ['INVALID_FIELD', 0, 'spec.nodeName'],
      ['INVALID_FIELD', 1, 'metadata.labels.on'],
      ['INVALID_FIELD', 1, 'metadata.labels.n'],
      ['INVALID_FIELD', 1, 'metadata.labels["app.kubernetes.io/name"]'],
      ['INVALID_FIELD', 2, 'spec.template.metadata.labels.app'],
      ['INVALID_FIELD', 2, 'spec.template.spec.containers[0]'],
      ['INVALID_FIELD', 2, 'spec.template.spec.containers[1].ports'],
      ['INVALID_FIELD', 2, 'spec.replicas'],
      ['INVALID_FIELD', 3, 'spec.template.metadata'],
      ['INVALID_FIELD', 3, 'spec.parallelism'],
      ['INVALID_FIELD', 4, 'metadata.namespace'],
      ['INVALID_FIELD', 5, 'metadata'],
      ['INVALID_FIELD', 6, 'status'],
      ['INVALID_FIELD', 6, 'metadata.ownerReferences[0].kind'],
      ['INVALID_FIELD', 7, 'status.addresses[0].address'],
    ]);
    for (const issue of issues) {
      expect(issue.severity).toBe('error');
      expect(issue.file).toBe('m.yaml');
    }
    expect(issues[0]?.object).toBe('Pod default/a');
    expect(issues[7]?.object).toBe('Deployment default/d');
  });

  it('accepts a null label value as the empty string', () => {
    const { cluster, issues } = one('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    x:\n');
    expect(issues).toEqual([]);
    expect(cluster.pods[0]?.labels).toEqual({ x: '' });
  });

  it('prefixes paths of list items with items[i]', () => {
    const objects = parseManifests(
      'apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n- metadata: {name: b, labels: {x: 1}}\n',
      'pods.yaml',
    ).objects;
    const { issues } = buildCluster(objects);
    expect(issues).toMatchObject([
      {
        code: 'INVALID_FIELD',
        file: 'pods.yaml',
        document: 0,
        object: 'Pod default/b',
        path: 'items[1].metadata.labels.x',
      },
    ]);
  });

  it('reports raw objects that are malformed without throwing', () => {
    const source = { file: 'f', document: 0 };
    const raws = [
      { obj: null, source },
      { obj: [], source },
      { obj: { kind: 'Pod' }, source },
      { obj: { apiVersion: 'v1', kind: 7 }, source },
      { obj: { apiVersion: 'v1', kind: 'toString', metadata: { name: 'x' } }, source },
    ] as unknown as RawObject[];
    const { issues, cluster } = buildCluster(raws);
    expect(codes(issues)).toEqual(['NOT_A_MAPPING', 'NOT_A_MAPPING', 'MISSING_KIND', 'MISSING_KIND', 'SKIPPED_KINDS']);
    expect(cluster.pods).toEqual([]);
  });

  it('keeps __proto__ labels and names harmless', () => {
    const { cluster } = one(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: __proto__\n  labels: {__proto__: x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: __proto__, labels: {__proto__: y}}\n',
    );
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
    expect(Object.getPrototypeOf(cluster.namespaces)).toBe(Object.prototype);
    expect(Object.hasOwn(cluster.namespaces, '__proto__')).toBe(true);
    expect(Object.hasOwn(cluster.pods[0]?.labels ?? {}, '__proto__')).toBe(true);
    expect(cluster.pods[0]?.labels['__proto__']).toBe('y');
  });
});

describe('buildCluster: determinism', () => {
  it('sorts pods by namespace then name and nodes by name, whatever the input order', () => {
    const docs = [
      'apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: y}',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, namespace: x}\nspec: {template: {}}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: C, namespace: x}',
      'apiVersion: v1\nkind: Node\nmetadata: {name: n2}',
      'apiVersion: v1\nkind: Node\nmetadata: {name: n1}',
    ];
    const forward = one(docs.join('\n---\n')).cluster;
    const backward = one([...docs].reverse().join('\n---\n')).cluster;
    expect(forward.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(['x/C', 'x/a', 'x/b', 'y/a']);
    expect(backward.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(['x/C', 'x/a', 'x/b', 'y/a']);
    expect(forward.nodes.map((n) => n.name)).toEqual(['n1', 'n2']);
    expect(Object.keys(backward.namespaces)).toEqual(['x', 'y']);
    expect(forward.externals).toEqual([]);
  });
});

describe('buildCluster: replicas share what is equal', () => {
  const pod = (name: string, labels: string, ports: string, owner = 'web-abc', ns = 'shop'): string =>
    `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels: ${labels}
  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: ${owner}, uid: u, controller: true }]
spec:
  containers: [{ name: c, image: x, ports: ${ports} }]
`;
  const HTTP = '[{ name: http, containerPort: 80 }]';
  const text = [
    pod('a-1', '{ app: web, v: "1" }', HTTP),
    pod('a-2', '{ app: web, v: "1" }', HTTP),
    pod('a-3', '{ app: web, v: "2" }', '[{ name: http, containerPort: 80, protocol: UDP }]', 'web-def'),
    pod('a-4', '{ v: "2", app: web }', '[{ containerPort: 80 }]', 'web-def'),
    pod('a-5', '{ v: "2", app: web }', '[{ name: www, containerPort: 80 }]', 'web-def'),
    pod('a-6', '{ v: "2", app: web }', '[{ name: www, containerPort: 81 }]', 'web-def', 'other'),
  ].join('---\n');

  it('keeps every pod as read, sharing labels, ports and owner objects only when equal', () => {
    const { cluster, issues } = one(text);
    expect(issues).toEqual([]);
    // The model lists pods by namespace and name: 'other' (a-6) first.
    const [a6, a1, a2, a3, a4, a5] = cluster.pods;
    // As read, each pod separately.
    expect([a1, a2, a3, a4, a5, a6].map((p) => [p!.name, p!.labels, p!.ports, p!.workload])).toEqual([
      [
        'a-1',
        { app: 'web', v: '1' },
        [{ name: 'http', port: 80, protocol: 'TCP' }],
        { kind: 'ReplicaSet', name: 'web-abc' },
      ],
      [
        'a-2',
        { app: 'web', v: '1' },
        [{ name: 'http', port: 80, protocol: 'TCP' }],
        { kind: 'ReplicaSet', name: 'web-abc' },
      ],
      [
        'a-3',
        { app: 'web', v: '2' },
        [{ name: 'http', port: 80, protocol: 'UDP' }],
        { kind: 'ReplicaSet', name: 'web-def' },
      ],
      ['a-4', { v: '2', app: 'web' }, [{ port: 80, protocol: 'TCP' }], { kind: 'ReplicaSet', name: 'web-def' }],
      [
        'a-5',
        { v: '2', app: 'web' },
        [{ name: 'www', port: 80, protocol: 'TCP' }],
        { kind: 'ReplicaSet', name: 'web-def' },
      ],
      [
        'a-6',
        { v: '2', app: 'web' },
        [{ name: 'www', port: 81, protocol: 'TCP' }],
        { kind: 'ReplicaSet', name: 'web-def' },
      ],
    ]);
    // Label order is kept: a-4 lists v first.
    expect(Object.keys(a4!.labels)).toEqual(['v', 'app']);
    expect(a4!.ports[0]).not.toHaveProperty('name');
    // Shared where equal (same namespace, one after another), separate otherwise.
    expect(a2!.labels).toBe(a1!.labels);
    expect(a2!.ports).toBe(a1!.ports);
    expect(a2!.workload).toBe(a1!.workload);
    expect(a3!.labels).not.toBe(a2!.labels);
    expect(a3!.ports).not.toBe(a2!.ports);
    expect(a4!.labels).not.toBe(a3!.labels);
    expect(a4!.ports).not.toBe(a3!.ports);
    expect(a4!.workload).toBe(a3!.workload);
    expect(a5!.labels).toBe(a4!.labels);
    expect(a5!.ports).not.toBe(a4!.ports);
    expect(a6!.labels).not.toBe(a5!.labels);
  });

  it('an edit of one pod leaves the pods it shared with as they were', () => {
    const { cluster } = one(text);
    const labelsOf = (c: typeof cluster, name: string) => c.pods.find((p) => p.name === name)!.labels;
    expect(labelsOf(cluster, 'a-2')).toBe(labelsOf(cluster, 'a-1'));
    const edited = relabelPod(cluster, 'shop/a-2', { app: 'web', v: '9' }).cluster;
    expect(labelsOf(edited, 'a-2')).toEqual({ app: 'web', v: '9' });
    expect(labelsOf(edited, 'a-1')).toEqual({ app: 'web', v: '1' });
    expect(labelsOf(cluster, 'a-2')).toEqual({ app: 'web', v: '1' });
  });
});
