import { describe, expect, it } from 'vitest';
import { hasErrors } from '../errors.js';
import { ALL_PORTS, NO_PORTS } from '../model/ports.js';
import type { AnalysisOptions } from '../options.js';
import { analyzeCluster, loadManifests, type Session } from '../session.js';
import { CONNLIST_ANALYSIS_OPTIONS, computeConnlist, connlistText, formatConnlistConns } from './connlist.js';

function session(yaml: string, options: Partial<AnalysisOptions> = CONNLIST_ANALYSIS_OPTIONS): Session {
  const { cluster, issues } = loadManifests([{ name: 'm.yaml', text: yaml }]);
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  const s = analyzeCluster(cluster, options);
  expect(hasErrors(s.issues)).toBe(false);
  return s;
}
const text = (s: Session): string => connlistText(computeConnlist(s).lines);
const codes = (s: Session): string[] => computeConnlist(s).issues.map((i) => i.code);

const deployment = (ns: string, name: string, labels: string, ports = '[]'): string => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: 3
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec: {containers: [{name: c, image: x, ports: ${ports}}]}
`;
const pod = (ns: string, name: string, labels: string, owner = '', ports = '[]'): string => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels: ${labels}
  ${owner === '' ? '' : `ownerReferences: [{apiVersion: v1, kind: ${owner.split('/')[0]}, name: ${owner.split('/')[1]}, controller: true, uid: u}]`}
spec: {containers: [{name: c, image: x, ports: ${ports}}]}
`;
const docs = (...d: string[]): string => d.join('\n---\n');

describe('formatConnlistConns', () => {
  it('prints netpol-analyzer connection sets', () => {
    expect(formatConnlistConns(ALL_PORTS)).toBe('All Connections');
    expect(formatConnlistConns(NO_PORTS)).toBe('No Connections');
    expect(formatConnlistConns({ ...NO_PORTS, TCP: [[1, 65535]] })).toBe('TCP 1-65535');
    expect(
      formatConnlistConns({
        TCP: [
          [1, 79],
          [81, 65535],
        ],
        UDP: [[53, 53]],
        SCTP: [[9003, 9003]],
      }),
    ).toBe('SCTP 9003,TCP 1-79,81-65535,UDP 53');
  });
});

describe('computeConnlist', () => {
  it('names workloads by owner, leaves out self pairs and IP-to-IP pairs, sorts byte-wise', () => {
    const s = session(
      docs(
        deployment('shop', 'web', '{app: web}'),
        pod('shop', 'db-7d9f-abcde', '{app: db}', 'ReplicaSet/db-7d9f'),
        pod('shop', 'db-7d9f-fghij', '{app: db}', 'ReplicaSet/db-7d9f'),
        pod('kube-system', 'etcd-node1', '{component: etcd}', 'Node/node1'),
        pod('Shop', 'debug', '{}'),
      ),
    );
    expect(text(s)).toBe(
      [
        '0.0.0.0-255.255.255.255[External] => Shop/debug[Pod] : All Connections',
        '0.0.0.0-255.255.255.255[External] => kube-system/etcd-node1[Pod] : All Connections',
        '0.0.0.0-255.255.255.255[External] => shop/db-7d9f[ReplicaSet] : All Connections',
        '0.0.0.0-255.255.255.255[External] => shop/web[Deployment] : All Connections',
        'Shop/debug[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
        'Shop/debug[Pod] => kube-system/etcd-node1[Pod] : All Connections',
        'Shop/debug[Pod] => shop/db-7d9f[ReplicaSet] : All Connections',
        'Shop/debug[Pod] => shop/web[Deployment] : All Connections',
        'kube-system/etcd-node1[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
        'kube-system/etcd-node1[Pod] => Shop/debug[Pod] : All Connections',
        'kube-system/etcd-node1[Pod] => shop/db-7d9f[ReplicaSet] : All Connections',
        'kube-system/etcd-node1[Pod] => shop/web[Deployment] : All Connections',
        'shop/db-7d9f[ReplicaSet] => 0.0.0.0-255.255.255.255[External] : All Connections',
        'shop/db-7d9f[ReplicaSet] => Shop/debug[Pod] : All Connections',
        'shop/db-7d9f[ReplicaSet] => kube-system/etcd-node1[Pod] : All Connections',
        'shop/db-7d9f[ReplicaSet] => shop/web[Deployment] : All Connections',
        'shop/web[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
        'shop/web[Deployment] => Shop/debug[Pod] : All Connections',
        'shop/web[Deployment] => kube-system/etcd-node1[Pod] : All Connections',
        'shop/web[Deployment] => shop/db-7d9f[ReplicaSet] : All Connections',
        '',
      ].join('\n'),
    );
    expect(codes(s)).toEqual(['NO_POLICIES']);
  });

  it('partitions source ranges by ingress ipBlocks and destination ranges by egress ipBlocks', () => {
    const s = session(
      docs(
        deployment('a', 'db', '{app: db}'),
        deployment('a', 'web', '{app: web}'),
        `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: a}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}, {podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 5432}]
  egress:
  - to: [{ipBlock: {cidr: 192.168.0.0/16}}]
    ports: [{port: 53, protocol: UDP}, {port: 53}]
`,
      ),
    );
    // ipBlock never matches pods (web reaches db through its podSelector peer only); the ingress
    // ranges are sources only, the egress ranges destinations only.
    expect(text(s)).toBe(
      [
        '0.0.0.0-9.255.255.255[External] => a/web[Deployment] : All Connections',
        '10.0.0.0-10.0.255.255[External] => a/db[Deployment] : TCP 5432',
        '10.0.0.0-10.0.255.255[External] => a/web[Deployment] : All Connections',
        '10.1.0.0-10.1.255.255[External] => a/web[Deployment] : All Connections',
        '10.2.0.0-10.255.255.255[External] => a/db[Deployment] : TCP 5432',
        '10.2.0.0-10.255.255.255[External] => a/web[Deployment] : All Connections',
        '11.0.0.0-255.255.255.255[External] => a/web[Deployment] : All Connections',
        'a/db[Deployment] => 192.168.0.0-192.168.255.255[External] : TCP 53,UDP 53',
        'a/web[Deployment] => 0.0.0.0-192.167.255.255[External] : All Connections',
        'a/web[Deployment] => 192.168.0.0-192.168.255.255[External] : All Connections',
        'a/web[Deployment] => 192.169.0.0-255.255.255.255[External] : All Connections',
        'a/web[Deployment] => a/db[Deployment] : TCP 5432',
        '',
      ].join('\n'),
    );
  });

  it('warns when pods of one owner differ where policies look', () => {
    const s = session(
      docs(
        pod('a', 'x-1', '{app: x, tier: front}', 'ReplicaSet/x'),
        pod('a', 'x-2', '{app: x, tier: back}', 'ReplicaSet/x'),
        `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: front, namespace: a}
spec: {podSelector: {matchLabels: {tier: front}}, policyTypes: [Ingress]}
`,
      ),
    );
    expect(codes(s)).toEqual(['OWNER_PODS_DIFFER']);
    expect(text(s)).toBe('a/x[ReplicaSet] => 0.0.0.0-255.255.255.255[External] : All Connections\n');
  });

  it('diagnoses input that netpol-analyzer rejects or warns about', () => {
    expect(codes(session('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}'))).toEqual([
      'NO_WORKLOADS',
      'NO_POLICIES',
    ]);
    const s = session(
      docs(
        deployment('a', 'web', '{app: web}', '[{name: http, containerPort: 80}]'),
        `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np, namespace: a}
spec:
  podSelector: {}
  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: http}]}]
  ingress: [{ports: [{port: metrics}]}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: anp}
spec:
  priority: 1
  subject: {namespaces: {}}
  egress: [{action: Allow, to: [{nodes: {matchLabels: {role: infra}}}, {networks: ['fd00::/8']}]}]
`,
      ),
    );
    expect(codes(s).sort()).toEqual([
      'IPV6_NOT_LISTED',
      'NAMED_PORT_IP_PEER',
      'NAMED_PORT_UNDECLARED',
      'NODES_PEER_EMPTY',
    ]);
  });
});

describe('computeConnlist: {ingress-controller}', () => {
  const app = docs(
    deployment('shop', 'web', '{app: web}', '[{name: http, containerPort: 8080}, {containerPort: 9090}]'),
    deployment('shop', 'api', '{app: api}', '[{containerPort: 5000, protocol: UDP}]'),
    `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}, {name: metrics, port: 9090}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 5000}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 5000}}}}
      - {path: /x, pathType: Prefix, backend: {service: {name: missing, port: {number: 1}}}}
`,
  );
  const controllerLines = (s: Session): string[] =>
    text(s)
      .split('\n')
      .filter((l) => l.startsWith('{ingress-controller}'));

  it('reaches Service target ports (TCP only) of the selected workloads', () => {
    const s = session(app);
    expect(controllerLines(s)).toEqual(['{ingress-controller} => shop/web[Deployment] : TCP 8080']);
    // api: its Service target port is a UDP container port, so nothing reaches it; a warning says so.
    expect(codes(s)).toEqual(['NO_POLICIES', 'SERVICE_NOT_FOUND', 'INGRESS_NO_PORT']);
  });

  it('is dropped, with a warning, where policies block an arbitrary in-cluster source', () => {
    const denyFromOtherNamespaces = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: same-ns, namespace: shop}
spec: {podSelector: {matchLabels: {app: web}}, ingress: [{from: [{podSelector: {}}]}]}
`;
    const s = session(docs(app, denyFromOtherNamespaces));
    expect(controllerLines(s)).toEqual([]);
    expect(
      computeConnlist(s)
        .issues.filter((i) => i.code === 'INGRESS_BLOCKED')
        .map((i) => i.message),
    ).toEqual([
      'backend shop/web[Deployment] is not reachable: policies block ingress to it from an arbitrary in-cluster pod',
    ]);
  });

  it('is left out when the ingressController option is off', () => {
    expect(controllerLines(session(app, { ...CONNLIST_ANALYSIS_OPTIONS, ingressController: false }))).toEqual([]);
  });
});
