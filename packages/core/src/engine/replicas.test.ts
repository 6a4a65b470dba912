/**
 * Pods listed next to each other with the same namespace and labels (replicas) are grouped into
 * shapes by a shortcut that compares them field by field instead of building a shape key. Pods
 * here differ from their neighbour in one thing only that the shortcut must not miss; the engine
 * must answer as the reference evaluator for every pair, and keep each of them in its own class.
 */
import { describe, expect, it } from 'vitest';
import { analyzeCluster, loadManifests } from '../index.js';
import { PROTOCOLS } from '../model/types.js';
import { evaluateFlow } from './reference.js';

function pod(name: string, ip: number, ports: string, extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: shop, labels: { app: web, pod-template-hash: abc } }
spec:
  nodeName: n1${extra}
  containers: [{ name: c, image: x, ports: [${ports}] }]
status:
  podIPs: [{ ip: 10.0.0.${ip} }]
`;
}

const HTTP = '{ name: http, containerPort: 8080 }';
// Alike pods (web-1, -3, -5, -7, -9) alternate with pods that differ from them in one thing.
const VARIANTS = [
  pod('web-2', 2, '{ name: http, containerPort: 8080, protocol: UDP }'), // the named port on another protocol
  pod('web-4', 4, '{ name: www, containerPort: 8080 }'), // the port number under another name
  pod('web-6', 6, '{ name: http, containerPort: 9090 }'), // the name on another number
  pod('web-8', 8, HTTP, '\n  hostNetwork: true'), // on the host network
];

const MANIFESTS = [
  `apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n`,
  `apiVersion: v1\nkind: Node\nmetadata: { name: n1 }\nstatus:\n  addresses: [{ type: InternalIP, address: 192.168.0.1 }]\n`,
  ...[1, 3, 5, 7, 9].map((i) => pod(`web-${i}`, i, HTTP)),
  ...VARIANTS,
  pod('client', 20, ''),
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  ingress:
    - ports: [{ port: http }]
`,
].join('---\n');

describe('replicas grouped by the shape shortcut', () => {
  it.each(['node', 'pod'] as const)('answer as the reference (host-network pods as: %s)', (hn) => {
    const { cluster, issues } = loadManifests([{ name: 'replicas.yaml', text: MANIFESTS }]);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    const session = analyzeCluster(cluster, { hostNetworkPods: hn });
    const { analysis, pipeline, options } = session;
    const web = analysis.endpoints.filter((e) => e.id.startsWith('shop/web-'));
    expect(web.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `shop/web-${i}`));
    for (const src of analysis.endpoints)
      for (const dst of analysis.endpoints)
        for (const protocol of PROTOCOLS)
          for (const port of [8080, 9090])
            expect(`${src.id} -> ${dst.id} ${protocol}/${port}: ${analysis.isAllowed(src, dst, protocol, port)}`).toBe(
              `${src.id} -> ${dst.id} ${protocol}/${port}: ${evaluateFlow(pipeline, src, dst, protocol, port, options).allowed}`,
            );
    // The alike pods share a class; each variant has one of its own (the policy tells them apart).
    const cls = web.map((e) => analysis.classOfEndpoint(e));
    expect(new Set([cls[0], cls[2], cls[4], cls[6], cls[8]]).size).toBe(1);
    expect(new Set([cls[0], cls[1], cls[3], cls[5], cls[7]]).size).toBe(5);
  });
});
