/** The loader's Service, Ingress (networking.k8s.io/v1) and Route (route.openshift.io/v1) reading. */
import { describe, expect, it } from 'vitest';
import type { Issue } from '../errors.js';
import { buildCluster } from './build.js';
import { parseManifests } from './parse.js';

function load(text: string): ReturnType<typeof buildCluster> {
  const parsed = parseManifests(text, 'm.yaml');
  expect(parsed.issues).toEqual([]);
  return buildCluster(parsed.objects);
}

const brief = (issues: readonly Issue[]): [string, string, string | undefined][] =>
  issues.map((i) => [i.severity, i.code, i.path]);

describe('buildCluster: Services', () => {
  it('reads selector and ports, defaulting namespace and protocol', () => {
    const { cluster, issues } = load(`
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: 8080}
  - {port: 53, protocol: UDP}
  - {port: 443, targetPort: https}
`);
    expect(issues).toEqual([]);
    expect(cluster.services).toEqual([
      {
        namespace: 'default',
        name: 'web',
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
          { port: 443, targetPort: 'https', protocol: 'TCP' },
        ],
        source: { file: 'm.yaml', document: 0 },
      },
    ]);
  });

  it('keeps a Service without selector as such, and leaves the fields out when there are none', () => {
    const withService = load(
      'apiVersion: v1\nkind: Service\nmetadata: {name: ext, namespace: a}\nspec: {ports: [{port: 5432}]}',
    );
    expect(withService.cluster.services?.[0]?.selector).toBeUndefined();
    const none = load('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}');
    expect('services' in none.cluster).toBe(false);
    expect('ingresses' in none.cluster).toBe(false);
  });

  it('reports bad ports with their path and drops only that port', () => {
    const { cluster, issues } = load(`
apiVersion: v1
kind: Service
metadata: {name: s, namespace: a}
spec:
  selector: {app: s}
  ports: [{port: 70000}, {port: 80, targetPort: true}, {port: 81, protocol: ICMP}, {port: 82}]
`);
    expect(brief(issues)).toEqual([
      ['error', 'INVALID_FIELD', 'spec.ports[0].port'],
      ['error', 'INVALID_FIELD', 'spec.ports[1].targetPort'],
      ['error', 'INVALID_FIELD', 'spec.ports[2].protocol'],
    ]);
    expect(cluster.services?.[0]?.ports).toEqual([{ port: 82, protocol: 'TCP' }]);
  });

  it('reports a duplicate Service', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec: {selector: {app: s}}';
    const { cluster, issues } = load(`${svc}\n---\n${svc}`);
    expect(brief(issues)).toEqual([['error', 'DUPLICATE_OBJECT', '']]);
    expect(cluster.services).toHaveLength(1);
  });
});

describe('buildCluster: Ingress and Route', () => {
  it('reads the default backend and every rule path backend of an Ingress', () => {
    const { cluster, issues } = load(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing, namespace: shop}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}
      - {path: /static, pathType: Prefix, backend: {resource: {apiGroup: x, kind: Bucket, name: b}}}
  - host: b.example.com
`);
    expect(brief(issues)).toEqual([['warning', 'UNSUPPORTED_BACKEND', 'spec.rules[0].http.paths[1].backend']]);
    expect(cluster.ingresses).toEqual([
      {
        kind: 'Ingress',
        namespace: 'shop',
        name: 'ing',
        backends: [
          { service: 'web', port: 80 },
          { service: 'api', port: 'http' },
        ],
        source: { file: 'm.yaml', document: 0 },
      },
    ]);
  });

  it('reads a Route: to and alternate backends on spec.port.targetPort; other kinds are skipped', () => {
    const { cluster, issues } = load(`
apiVersion: route.openshift.io/v1
kind: Route
metadata: {name: r}
spec:
  port: {targetPort: 8080}
  to: {kind: Service, name: web}
  alternateBackends:
  - {kind: Service, name: web-canary}
  - {kind: Deployment, name: nope}
`);
    expect(brief(issues)).toEqual([['warning', 'UNSUPPORTED_BACKEND', 'spec.alternateBackends[1].kind']]);
    expect(cluster.ingresses?.[0]).toMatchObject({
      kind: 'Route',
      namespace: 'default',
      backends: [
        { service: 'web', port: 8080 },
        { service: 'web-canary', port: 8080 },
      ],
    });
  });

  it('reports a Route without spec.to, and skips an Ingress of another API group', () => {
    const { cluster, issues } = load(`
apiVersion: route.openshift.io/v1
kind: Route
metadata: {name: r}
spec: {host: x.example.com}
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: old}
spec: {backend: {serviceName: web, servicePort: 80}}
`);
    expect(brief(issues)).toEqual([
      ['error', 'INVALID_FIELD', 'spec.to'],
      ['warning', 'API_VERSION_MISMATCH', 'apiVersion'],
    ]);
    expect(cluster.ingresses).toEqual([
      { kind: 'Route', namespace: 'default', name: 'r', backends: [], source: { file: 'm.yaml', document: 0 } },
    ]);
  });
});
