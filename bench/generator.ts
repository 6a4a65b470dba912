/**
 * Seeded generator of realistic clusters for the benchmarks: namespaces of about 20 pods, apps
 * whose pods are real Pod objects (owned by ReplicaSets or StatefulSets, with IPs, labels and
 * named container ports), about one NetworkPolicy per 5 pods and a handful of
 * ClusterNetworkPolicies in the Admin and Baseline tiers.
 *
 * Deterministic: the same options give the same objects and the same text. Randomness comes
 * from {@link mulberry32}, never from Math.random.
 */
import type { ManifestSource } from '@netreach/core';

/** A Kubernetes object as plain data. */
export type K8sObject = Record<string, unknown>;

/** What to generate. */
export interface GeneratorOptions {
  readonly seed: number;
  /** Number of pods (Pod objects); `cluster.pods.length` equals it. At least {@link MIN_PODS}. */
  readonly pods: number;
  /** Average pods per application namespace (default 20). */
  readonly podsPerNamespace?: number;
  /** NetworkPolicy objects (default one per 5 pods, rounded). */
  readonly networkPolicies?: number;
  /** ClusterNetworkPolicy objects (default {@link DEFAULT_CLUSTER_POLICIES}). */
  readonly clusterPolicies?: number;
  /** Pods per node (default 100); nodes are Node objects with an InternalIP. */
  readonly podsPerNode?: number;
}

/** A generated cluster: its objects grouped by the file they are written to. */
export interface GeneratedCluster {
  readonly options: Required<GeneratorOptions>;
  /** File name (relative, `.yaml`) to objects. Namespaces get one file each. */
  readonly files: ReadonlyMap<string, readonly K8sObject[]>;
  readonly counts: {
    readonly pods: number;
    readonly namespaces: number;
    readonly nodes: number;
    readonly networkPolicies: number;
    readonly clusterPolicies: number;
  };
}

/** The system namespaces take this many pods: 2 coredns, 2 prometheus, 2 ingress controllers. */
export const MIN_PODS = 6;
export const DEFAULT_CLUSTER_POLICIES = 8;

// -------------------------------------------------------------------------------------------
// PRNG.

/** mulberry32: a small, fast 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Convenience draws over a PRNG. */
export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  /** Kubernetes-style random suffix. */
  suffix(length: number): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
}

// -------------------------------------------------------------------------------------------
// Vocabulary.

const TEAMS = ['payments', 'checkout', 'catalog', 'search', 'identity', 'platform', 'data', 'growth', 'media', 'ops'];
const ENVS = ['prod', 'prod', 'prod', 'staging', 'staging', 'dev'];
const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const NAME_LABEL = 'kubernetes.io/metadata.name';

type AppTier = 'frontend' | 'backend' | 'db' | 'cache' | 'worker';

interface App {
  readonly name: string;
  readonly tier: AppTier;
  readonly replicas: number;
  readonly stateful: boolean;
  readonly ports: readonly { name: string; containerPort: number; protocol?: string }[];
}

/** Container ports by tier; a few apps use other numbers for the same port name. */
function portsFor(tier: AppTier, rng: Rng): App['ports'] {
  switch (tier) {
    case 'frontend':
      return [
        { name: 'http', containerPort: rng.chance(0.3) ? 3000 : 8080 },
        { name: 'metrics', containerPort: 9090 },
      ];
    case 'backend':
      return [
        { name: 'http', containerPort: 8080 },
        { name: 'grpc', containerPort: rng.chance(0.2) ? 50051 : 9000 },
        { name: 'metrics', containerPort: 9090 },
      ];
    case 'db':
      return rng.chance(0.7)
        ? [
            { name: 'postgres', containerPort: 5432 },
            { name: 'metrics', containerPort: 9187 },
          ]
        : [{ name: 'mysql', containerPort: 3306 }];
    case 'cache':
      return [{ name: 'redis', containerPort: 6379 }];
    case 'worker':
      return [{ name: 'metrics', containerPort: 9090 }];
  }
}

const APP_NAMES: Record<AppTier, readonly string[]> = {
  frontend: ['web', 'ui', 'portal', 'storefront'],
  backend: ['api', 'orders', 'accounts', 'ledger', 'inventory', 'pricing', 'auth', 'profile'],
  db: ['postgres', 'db'],
  cache: ['redis', 'cache'],
  worker: ['worker', 'jobs', 'indexer', 'mailer'],
};

/** Split `pods` pods of a namespace into apps. */
function planApps(pods: number, rng: Rng): App[] {
  const tiers: AppTier[] = ['frontend', 'backend', 'db', 'cache', 'worker', 'backend', 'worker', 'backend'];
  const apps: App[] = [];
  const used = new Set<string>();
  let left = pods;
  for (let i = 0; left > 0; i++) {
    const tier = tiers[i % tiers.length]!;
    const stateful = tier === 'db' || tier === 'cache';
    const want = stateful ? rng.int(1, 3) : rng.int(2, 5);
    const replicas = Math.min(left, want);
    left -= replicas;
    let name = rng.pick(APP_NAMES[tier]);
    for (let k = 2; used.has(name); k++) name = `${rng.pick(APP_NAMES[tier])}-${k}`;
    used.add(name);
    apps.push({ name, tier, replicas, stateful, ports: portsFor(tier, rng) });
  }
  return apps;
}

// -------------------------------------------------------------------------------------------
// Cluster state while generating.

interface NamespacePlan {
  readonly name: string;
  readonly team: string;
  readonly env: string;
  readonly apps: App[];
  readonly system: boolean;
}

class Ipam {
  private readonly used: number[];
  constructor(private readonly nodes: number) {
    this.used = new Array<number>(nodes).fill(0);
  }
  /** A node (random, skipping full ones) and the pod's IP in that node's /24. */
  place(rng: Rng): { node: number; ip: string } {
    let node = rng.int(0, this.nodes - 1);
    while (this.used[node]! >= 250) node = (node + 1) % this.nodes;
    const host = ++this.used[node]!;
    return { node, ip: `10.${100 + (node >> 8)}.${node & 255}.${host}` };
  }
}

function nodeName(i: number): string {
  return `node-${String(i).padStart(4, '0')}`;
}

function podObjects(ns: NamespacePlan, app: App, rng: Rng, ipam: Ipam): K8sObject[] {
  const out: K8sObject[] = [];
  const hash = rng.suffix(10);
  const owner = app.stateful
    ? { apiVersion: 'apps/v1', kind: 'StatefulSet', name: app.name }
    : { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app.name}-${hash}` };
  for (let r = 0; r < app.replicas; r++) {
    const name = app.stateful ? `${app.name}-${r}` : `${app.name}-${hash}-${rng.suffix(5)}`;
    const labels: Record<string, string> = {
      app: app.name,
      tier: app.tier,
      team: ns.team,
      version: `v${rng.int(1, 3)}`,
    };
    if (app.stateful) {
      labels['controller-revision-hash'] = `${app.name}-${hash}`;
      labels['statefulset.kubernetes.io/pod-name'] = name;
    } else labels['pod-template-hash'] = hash;
    const { node, ip } = ipam.place(rng);
    out.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: ns.name,
        labels,
        ownerReferences: [{ ...owner, uid: `${hash}-${rng.suffix(8)}`, controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        nodeName: nodeName(node),
        containers: [
          {
            name: app.name,
            image: `registry.example.com/${ns.team}/${app.name}:${labels['version']}`,
            ports: app.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' })),
          },
        ],
      },
      status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
    });
  }
  return out;
}

/** The system namespaces and their fixed pods (6 in all). */
function systemNamespaces(): NamespacePlan[] {
  const dns: App = {
    name: 'coredns',
    tier: 'backend',
    replicas: 2,
    stateful: false,
    ports: [
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { name: 'dns-tcp', containerPort: 53 },
      { name: 'metrics', containerPort: 9153 },
    ],
  };
  const prometheus: App = {
    name: 'prometheus',
    tier: 'backend',
    replicas: 2,
    stateful: true,
    ports: [{ name: 'web', containerPort: 9090 }],
  };
  const ingress: App = {
    name: 'ingress-nginx-controller',
    tier: 'frontend',
    replicas: 2,
    stateful: false,
    ports: [
      { name: 'http', containerPort: 80 },
      { name: 'https', containerPort: 443 },
    ],
  };
  return [
    { name: 'kube-system', team: 'platform', env: 'prod', apps: [dns], system: true },
    { name: 'monitoring', team: 'platform', env: 'prod', apps: [prometheus], system: true },
    { name: 'ingress-nginx', team: 'platform', env: 'prod', apps: [ingress], system: true },
  ];
}

// -------------------------------------------------------------------------------------------
// NetworkPolicies.

function netpol(ns: string, name: string, spec: K8sObject): K8sObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

const nsByName = (name: string): K8sObject => ({ matchLabels: { [NAME_LABEL]: name } });

/** The candidate policies of an application namespace, most important first. */
function namespacePolicies(ns: NamespacePlan, rng: Rng): (() => K8sObject)[] {
  const app = (tier: AppTier): App | undefined => ns.apps.find((a) => a.tier === tier);
  const web = app('frontend');
  const api = app('backend');
  const db = app('db');
  const cache = app('cache');
  const worker = app('worker');
  /** A policy for one app: selects its pods by the `app` label and is named after it. */
  const forApp = (target: App, spec: K8sObject): K8sObject =>
    netpol(ns.name, target.name, { podSelector: { matchLabels: { app: target.name } }, ...spec });
  const out: (() => K8sObject)[] = [];
  if (rng.chance(0.9))
    out.push(() => netpol(ns.name, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
  out.push(() =>
    netpol(ns.name, 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: nsByName('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
  );
  if (web !== undefined)
    out.push(() =>
      forApp(web, {
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: nsByName('ingress-nginx'),
                podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
              },
            ],
            ports: [{ port: 'http' }],
          },
          ...(rng.chance(0.4)
            ? [
                {
                  from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.168.0.0/16'] } }],
                  ports: [{ port: 443 }],
                },
              ]
            : []),
        ],
        egress: [
          {
            to: [{ podSelector: { matchLabels: { tier: 'backend' } } }],
            ports: rng.chance(0.5) ? [{ port: 'grpc' }] : [{ protocol: 'TCP', port: 8080 }],
          },
        ],
      }),
    );
  if (api !== undefined)
    out.push(() =>
      forApp(api, {
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { tier: 'frontend' } } }],
            ports: [{ port: 'http' }, { port: 'grpc' }],
          },
          {
            from: [
              {
                namespaceSelector: { matchLabels: { team: ns.team } },
                podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'worker'] }] },
              },
            ],
            ports: [{ protocol: 'TCP', port: 8000, endPort: 8100 }],
          },
        ],
        egress: [
          {
            to: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db', 'cache'] }] } }],
            ports: [{ port: 5432 }, { port: 3306 }, { port: 6379 }],
          },
          ...(rng.chance(0.5)
            ? [
                {
                  to: [{ ipBlock: { cidr: `203.0.113.${rng.int(0, 7) * 32}/27` } }],
                  ports: [{ protocol: 'TCP', port: 443 }],
                },
              ]
            : []),
        ],
      }),
    );
  if (db !== undefined)
    out.push(() =>
      forApp(db, {
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'worker'] }] } },
            ],
            ports: db.ports.map((p) => ({ port: p.name })),
          },
        ],
      }),
    );
  if (cache !== undefined)
    out.push(() =>
      forApp(cache, {
        ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'backend' } } }], ports: [{ port: 6379 }] }],
      }),
    );
  if (worker !== undefined)
    out.push(() =>
      forApp(worker, {
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { team: ns.team, env: ns.env } },
                podSelector: { matchLabels: { tier: 'backend' } },
              },
            ],
            ports: [{ port: 'grpc' }, { protocol: 'TCP', port: 8000, endPort: 8100 }],
          },
          {
            to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.0.0/16', '192.168.0.0/16'] } }],
            ports: [{ protocol: 'TCP', port: 443 }],
          },
        ],
      }),
    );
  out.push(() =>
    netpol(ns.name, 'allow-metrics-scrape', {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: nsByName('monitoring') }], ports: [{ port: 'metrics' }] }],
    }),
  );
  out.push(() =>
    netpol(ns.name, 'allow-same-namespace', {
      podSelector: { matchLabels: { team: ns.team } },
      ingress: [{ from: [{ podSelector: {} }] }],
    }),
  );
  return out;
}

/** Extra policies when a namespace's budget exceeds its candidates: one app, one rule each. */
function extraPolicy(ns: NamespacePlan, index: number, rng: Rng): K8sObject {
  const target = rng.pick(ns.apps);
  const peer = rng.pick(ns.apps);
  const port = rng.chance(0.5)
    ? { port: rng.pick(target.ports).name }
    : { protocol: rng.pick(['TCP', 'TCP', 'UDP']), port: rng.int(1024, 9000) };
  return netpol(ns.name, `extra-${index}`, {
    podSelector: { matchLabels: { app: target.name } },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: peer.name } } }], ports: [port] }],
  });
}

/**
 * A NetworkPolicy that is not part of any generated cluster (for incremental-change benchmarks):
 * lets pods of `fromApp` reach `toApp` on `port` in `namespace`.
 */
export function newNetworkPolicy(
  namespace: string,
  name: string,
  toApp: string,
  fromApp: string,
  port: number,
): K8sObject {
  return netpol(namespace, name, {
    podSelector: { matchLabels: { app: toApp } },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: fromApp } } }], ports: [{ protocol: 'TCP', port }] }],
  });
}

function systemPolicies(): K8sObject[] {
  return [
    netpol('kube-system', 'allow-dns-from-cluster', {
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: {} }],
          ports: [
            { protocol: 'UDP', port: 'dns' },
            { protocol: 'TCP', port: 'dns-tcp' },
          ],
        },
      ],
    }),
    netpol('monitoring', 'prometheus', {
      podSelector: { matchLabels: { app: 'prometheus' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: nsByName('monitoring') }], ports: [{ port: 'web' }] }],
      egress: [{ to: [{ namespaceSelector: {} }] }],
    }),
  ];
}

// -------------------------------------------------------------------------------------------
// ClusterNetworkPolicies (policy.networking.k8s.io/v1alpha2).

function cnp(name: string, tier: 'Admin' | 'Baseline', priority: number, spec: K8sObject): K8sObject {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name },
    spec: { tier, priority, ...spec },
  };
}

const ALL_NAMESPACES = { namespaces: {} };

/** The cluster-wide policies; `count` beyond the list repeats it at lower priorities. */
function clusterPolicies(count: number): K8sObject[] {
  const templates: ((suffix: string) => K8sObject)[] = [
    (sfx) =>
      cnp(`deny-dev-to-prod${sfx}`, 'Admin', 10, {
        subject: { namespaces: { matchLabels: { env: 'prod' } } },
        ingress: [{ name: 'no-dev', action: 'Deny', from: [{ namespaces: { matchLabels: { env: 'dev' } } }] }],
      }),
    (sfx) =>
      cnp(`allow-dns${sfx}`, 'Admin', 20, {
        subject: ALL_NAMESPACES,
        egress: [
          {
            name: 'dns',
            action: 'Accept',
            to: [
              {
                pods: {
                  namespaceSelector: nsByName('kube-system'),
                  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                },
              },
            ],
            protocols: [{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }],
          },
        ],
      }),
    (sfx) =>
      cnp(`allow-monitoring${sfx}`, 'Admin', 30, {
        subject: {
          namespaces: { matchExpressions: [{ key: NAME_LABEL, operator: 'NotIn', values: ['kube-system'] }] },
        },
        ingress: [
          {
            name: 'scrape',
            action: 'Accept',
            from: [{ namespaces: nsByName('monitoring') }],
            protocols: [{ destinationNamedPort: 'metrics' }],
          },
        ],
      }),
    (sfx) =>
      cnp(`block-metadata${sfx}`, 'Admin', 40, {
        subject: ALL_NAMESPACES,
        egress: [{ name: 'imds', action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] }],
      }),
    (sfx) =>
      cnp(`pass-internal${sfx}`, 'Admin', 50, {
        subject: { namespaces: { matchLabels: { env: 'prod' } } },
        egress: [{ name: 'cluster-internal', action: 'Pass', to: [{ networks: ['10.0.0.0/8'] }] }],
        ingress: [{ name: 'same-env', action: 'Pass', from: [{ namespaces: { matchLabels: { env: 'prod' } } }] }],
      }),
    (sfx) =>
      cnp(`deny-dev-debug-ports${sfx}`, 'Admin', 60, {
        subject: { pods: { namespaceSelector: { matchLabels: { env: 'dev' } }, podSelector: {} } },
        egress: [
          {
            name: 'debug-ports',
            action: 'Deny',
            to: [{ networks: ['0.0.0.0/0'] }],
            protocols: [{ tcp: { destinationPort: { range: { start: 6000, end: 6999 } } } }],
          },
        ],
      }),
    (sfx) =>
      cnp(`baseline-kubelet${sfx}`, 'Baseline', 10, {
        subject: ALL_NAMESPACES,
        egress: [
          {
            name: 'kubelet',
            action: 'Accept',
            to: [{ nodes: { matchLabels: { 'node-role.kubernetes.io/worker': '' } } }],
            protocols: [{ tcp: { destinationPort: { number: 10250 } } }],
          },
        ],
      }),
    (sfx) =>
      cnp(`baseline-deny-ingress${sfx}`, 'Baseline', 20, {
        subject: ALL_NAMESPACES,
        ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }],
      }),
  ];
  const out: K8sObject[] = [];
  for (let i = 0; i < count; i++) {
    const round = Math.floor(i / templates.length);
    const obj = templates[i % templates.length]!(round === 0 ? '' : `-${round}`);
    // Later rounds go below earlier ones; priorities stay distinct within a tier.
    const spec = obj['spec'] as { priority: number };
    spec.priority += round * 100;
    out.push(obj);
  }
  return out;
}

// -------------------------------------------------------------------------------------------
// The cluster.

/** Generate a cluster. */
export function generateCluster(options: GeneratorOptions): GeneratedCluster {
  const opts: Required<GeneratorOptions> = {
    seed: options.seed,
    pods: options.pods,
    podsPerNamespace: options.podsPerNamespace ?? 20,
    networkPolicies: options.networkPolicies ?? Math.round(options.pods / 5),
    clusterPolicies: options.clusterPolicies ?? DEFAULT_CLUSTER_POLICIES,
    podsPerNode: options.podsPerNode ?? 100,
  };
  if (!Number.isInteger(opts.pods) || opts.pods < MIN_PODS)
    throw new Error(`pods must be an integer of at least ${MIN_PODS}, not ${opts.pods}`);
  if (opts.clusterPolicies > 1000) throw new Error('at most 1000 cluster policies');
  const rng = new Rng(opts.seed);

  // Namespaces and apps.
  const system = systemNamespaces();
  const appPods = opts.pods - MIN_PODS;
  const nsCount = appPods === 0 ? 0 : Math.max(1, Math.round(appPods / opts.podsPerNamespace));
  const teams = TEAMS.slice(0, Math.max(3, Math.min(TEAMS.length, Math.ceil(nsCount / 4))));
  const namespaces: NamespacePlan[] = [...system];
  for (let i = 0; i < nsCount; i++) {
    const pods = Math.floor(appPods / nsCount) + (i < appPods % nsCount ? 1 : 0);
    const team = rng.pick(teams);
    const env = rng.pick(ENVS);
    namespaces.push({ name: `${team}-${env}-${i}`, team, env, apps: planApps(pods, rng), system: false });
  }

  // Nodes.
  const nodeCount = Math.max(1, Math.ceil(opts.pods / opts.podsPerNode));
  const nodes: K8sObject[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const zone = ZONES[i % ZONES.length]!;
    nodes.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: nodeName(i),
        labels: {
          'kubernetes.io/hostname': nodeName(i),
          'topology.kubernetes.io/zone': zone,
          'node-role.kubernetes.io/worker': '',
        },
      },
      status: { addresses: [{ type: 'InternalIP', address: `192.168.${i >> 8}.${(i & 255) + 1}` }] },
    });
  }

  // NetworkPolicy budget: the system ones first, the rest spread over app namespaces.
  const sys = systemPolicies().slice(0, opts.networkPolicies);
  let budget = opts.networkPolicies - sys.length;
  if (budget > 0 && nsCount === 0) throw new Error('no application namespace to hold NetworkPolicies');
  const ipam = new Ipam(nodeCount);
  const files = new Map<string, K8sObject[]>();
  files.set('cluster.yaml', [...nodes, ...clusterPolicies(opts.clusterPolicies)]);
  let networkPolicies = 0;
  let appIndex = 0;
  for (const ns of namespaces) {
    const objs: K8sObject[] = [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns.name, labels: { team: ns.team, env: ns.env } },
      },
    ];
    for (const app of ns.apps) {
      const pods = podObjects(ns, app, rng, ipam);
      if (ns.name === 'kube-system') for (const p of pods) labelsOf(p)['k8s-app'] = 'kube-dns';
      if (ns.name === 'ingress-nginx') for (const p of pods) labelsOf(p)['app.kubernetes.io/name'] = 'ingress-nginx';
      objs.push(...pods);
    }
    if (ns.system) {
      const mine = sys.filter((p) => (p['metadata'] as { namespace: string }).namespace === ns.name);
      objs.push(...mine);
      networkPolicies += mine.length;
    } else {
      const share = Math.floor(budget / (nsCount - appIndex));
      budget -= share;
      appIndex++;
      const candidates = namespacePolicies(ns, rng);
      for (let k = 0; k < share; k++) objs.push(k < candidates.length ? candidates[k]!() : extraPolicy(ns, k, rng));
      networkPolicies += share;
    }
    files.set(`ns-${ns.name}.yaml`, objs);
  }
  const counts = {
    pods: namespaces.reduce((n, ns) => n + ns.apps.reduce((m, a) => m + a.replicas, 0), 0),
    namespaces: namespaces.length,
    nodes: nodeCount,
    networkPolicies,
    clusterPolicies: opts.clusterPolicies,
  };
  return { options: opts, files, counts };
}

function labelsOf(obj: K8sObject): Record<string, string> {
  return (obj['metadata'] as { labels: Record<string, string> }).labels;
}

// -------------------------------------------------------------------------------------------
// Text.

/** Every object of a generated cluster, in file order. */
export function allObjects(cluster: GeneratedCluster): K8sObject[] {
  return [...cluster.files.values()].flat();
}

const PLAIN = /^[A-Za-z][A-Za-z0-9_./-]*$/;
const RESERVED = /^(y|n|yes|no|true|false|on|off|null)$/i;

function scalar(v: unknown): string {
  if (typeof v === 'string') return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  throw new Error(`cannot write ${typeof v} as YAML`);
}

function isComposite(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

function isEmpty(v: object): boolean {
  return Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
}

/** Block-style YAML for plain data (strings, numbers, booleans, null, lists, mappings). */
function yamlLines(v: object, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v as unknown[]) {
      if (isComposite(item) && !isEmpty(item)) {
        const inner: string[] = [];
        yamlLines(item, `${indent}  `, inner);
        out.push(`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1));
      } else out.push(`${indent}- ${isComposite(item) ? (Array.isArray(item) ? '[]' : '{}') : scalar(item)}`);
    }
    return;
  }
  for (const [key, value] of Object.entries(v)) {
    if (!isComposite(value)) out.push(`${indent}${scalar(key)}: ${scalar(value)}`);
    else if (isEmpty(value)) out.push(`${indent}${scalar(key)}: ${Array.isArray(value) ? '[]' : '{}'}`);
    else {
      out.push(`${indent}${scalar(key)}:`);
      yamlLines(value, Array.isArray(value) ? indent : `${indent}  `, out);
    }
  }
}

/** Objects as multi-document YAML. */
export function toYaml(objects: readonly K8sObject[]): string {
  return objects
    .map((o) => {
      const lines: string[] = [];
      yamlLines(o, '', lines);
      return `${lines.join('\n')}\n`;
    })
    .join('---\n');
}

/** Objects as one JSON `v1 List`. */
export function toJson(objects: readonly K8sObject[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 1)}\n`;
}

/** The cluster as manifest sources, one per file, in YAML or JSON. */
export function toSources(cluster: GeneratedCluster, format: 'yaml' | 'json'): ManifestSource[] {
  return [...cluster.files.entries()].map(([name, objects]) =>
    format === 'yaml'
      ? { name, text: toYaml(objects) }
      : { name: name.replace(/\.yaml$/, '.json'), text: toJson(objects) },
  );
}
