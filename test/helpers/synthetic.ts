/**
 * A synthetic cluster for scale tests: `namespaces` × `podsPerNamespace` plain pods with a few
 * policies of every tier, as one JSON List manifest.
 */

const APPS = [
  { app: 'web', ports: [{ name: 'http', containerPort: 8080 }] },
  { app: 'api', ports: [{ name: 'http', containerPort: 8080 }] },
  { app: 'db', ports: [{ name: 'pg', containerPort: 5432 }] },
  { app: 'cache', ports: [{ name: 'redis', containerPort: 6379 }] },
  { app: 'worker', ports: [] },
] as const;

const nsName = (i: number): string => `ns-${String(i).padStart(3, '0')}`;
const team = (i: number): string => (i < 10 ? 'payments' : i >= 90 ? 'sandbox' : `team-${i % 7}`);

function networkPolicy(ns: string, name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

/** The manifest text of the synthetic cluster (default 100 namespaces × 20 pods). */
export function syntheticCluster(namespaces = 100, podsPerNamespace = 20): string {
  const items: Record<string, unknown>[] = [];
  for (let n = 0; n < namespaces; n++) {
    const ns = nsName(n);
    items.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: team(n) } } });
    for (let p = 0; p < podsPerNamespace; p++) {
      const a = APPS[p % APPS.length]!;
      items.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${a.app}-${p}`,
          namespace: ns,
          labels: { app: a.app, tier: p % 2 === 0 ? 'front' : 'back' },
        },
        spec: {
          containers: [
            { name: a.app, image: `example/${a.app}:1`, ports: [...a.ports, { name: 'metrics', containerPort: 9090 }] },
          ],
        },
      });
    }
    // Every tenth namespace is locked down: default deny, web -> api, api -> db, public web.
    if (n % 10 === 0) {
      items.push(networkPolicy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] }));
      items.push(
        networkPolicy(ns, 'api-from-web', {
          podSelector: { matchLabels: { app: 'api' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }],
        }),
      );
      items.push(
        networkPolicy(ns, 'db-from-api', {
          podSelector: { matchLabels: { app: 'db' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 'pg' }] }],
        }),
      );
      items.push(
        networkPolicy(ns, 'web-public', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8080 }] }],
        }),
      );
    }
  }
  items.push({
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    metadata: { name: 'sandbox-stays-out' },
    spec: {
      priority: 10,
      subject: { namespaces: { matchLabels: { team: 'payments' } } },
      ingress: [{ name: 'no-sandbox', action: 'Deny', from: [{ namespaces: { matchLabels: { team: 'sandbox' } } }] }],
    },
  });
  items.push({
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'BaselineAdminNetworkPolicy',
    metadata: { name: 'default' },
    spec: {
      subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'cache' } } } },
      ingress: [
        {
          name: 'cache-private',
          action: 'Deny',
          from: [{ namespaces: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }],
        },
      ],
    },
  });
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}
