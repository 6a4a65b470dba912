/**
 * Adding a policy whose selectors tell apart pods of one class (on a label key some selector
 * already used) splits that class in place: the update keeps every other class and row, and
 * answers exactly as a fresh analysis.
 */
import { describe, expect, it } from 'vitest';
import { analyzeCluster, loadManifests, updateSession } from '../index.js';

function pod(ns: string, name: string, labels: Record<string, string>, ip: string): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `    ${k}: ${v}`)
    .join('\n');
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
${l}
spec:
  containers: [{ name: c, image: x, ports: [{ name: http, containerPort: 8080 }] }]
status:
  podIPs: [{ ip: ${ip} }]
`;
}

function manifests(NAMESPACES: number): string {
  const docs: string[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `ns-${n}`;
    docs.push(
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: { env: ${n % 2 ? 'prod' : 'dev'} }\n`,
    );
    docs.push(pod(ns, 'web-0', { app: 'web' }, `10.1.${n}.1`));
    docs.push(pod(ns, 'db-0', { app: 'db' }, `10.1.${n}.2`));
    // Two api pods that no selector tells apart yet (tier is a known key, but no value of it is used on them).
    docs.push(pod(ns, 'api-0', { app: 'api', tier: 'be' }, `10.1.${n}.3`));
    docs.push(pod(ns, 'api-1', { app: 'api', tier: 'fe' }, `10.1.${n}.4`));
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: base, namespace: ${ns} }
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector: { matchLabels: { app: web } }
        - podSelector: { matchLabels: { app: db } }
        - podSelector: { matchLabels: { app: api } }
        - podSelector: { matchLabels: { tier: cache } }
`);
  }
  return docs.join('---\n');
}

const added = (ns: string): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-be, namespace: ${ns} }
spec:
  podSelector: { matchLabels: { tier: be } }
  policyTypes: [Egress]
  egress:
    - to: [{ namespaceSelector: { matchLabels: { env: prod } }, podSelector: { matchLabels: { app: db } } }]
      ports: [{ port: 8080 }]
`;

describe('incremental update that splits a class', () => {
  // 40 namespaces: 121 classes, one split off. 42 namespaces: 127 classes, two split off, so the
  // rows grow from four 32-class words to five.
  it.each([
    { namespaces: 40, splitIn: ['ns-7'] },
    { namespaces: 42, splitIn: ['ns-7', 'ns-8'] },
  ])(
    'refines the partition in place and answers as a fresh analysis ($namespaces namespaces)',
    ({ namespaces, splitIn }) => {
      const base = analyzeCluster(loadManifests([{ name: 'base.yaml', text: manifests(namespaces) }]).cluster);
      const policies = loadManifests([{ name: 'added.yaml', text: splitIn.map(added).join('---\n') }]).cluster.policies;
      const cluster = { ...base.cluster, policies: [...base.cluster.policies, ...policies] };
      const next = updateSession(base, cluster);
      const fresh = analyzeCluster(cluster);

      // The api pods of the namespaces split: a class more each, and only the new policies'
      // subjects were recomputed.
      expect(next.analysis.classCount).toBe(base.analysis.classCount + splitIn.length);
      expect(next.analysis.reuse).toEqual({ kind: 'rows', recomputedClasses: splitIn.length });
      if (splitIn.length > 1)
        expect(Math.ceil(next.analysis.classCount / 32)).toBeGreaterThan(Math.ceil(base.analysis.classCount / 32));
      const a0 = next.analysis.indexOf('ns-7/api-0')!;
      const a1 = next.analysis.indexOf('ns-7/api-1')!;
      expect(next.analysis.classOf[a0]).not.toBe(next.analysis.classOf[a1]);

      const eps = fresh.analysis.endpoints;
      let allowed = 0;
      for (const src of eps)
        for (const dst of eps)
          for (const port of [53, 8080]) {
            const want = fresh.analysis.isAllowed(src, dst, 'TCP', port);
            expect(next.analysis.isAllowed(src, dst, 'TCP', port), `${src.id} -> ${dst.id} ${port}`).toBe(want);
            if (want) allowed++;
          }
      expect(allowed).toBeGreaterThan(0);
      // The earlier analysis still answers as before: ns-7/api-0 may reach any pod that admits it.
      expect(base.analysis.isAllowed(eps[a0]!, eps[next.analysis.indexOf('ns-2/web-0')!]!, 'TCP', 9999)).toBe(
        analyzeCluster(base.cluster).analysis.isAllowed(
          eps[a0]!,
          eps[next.analysis.indexOf('ns-2/web-0')!]!,
          'TCP',
          9999,
        ),
      );
    },
  );
});
