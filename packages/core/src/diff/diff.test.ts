import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../load/parse.js';
import { formatPortSet } from '../model/ports.js';
import type { Cluster } from '../model/types.js';
import { type Session, analyzeCluster, loadManifests } from '../session.js';
import { diffSessions } from './diff.js';
import { addObjects, removeObject } from './edits.js';

const SHOP = new URL('../../../../examples/shop/', import.meta.url);

function shop(): Cluster {
  const sources = readdirSync(SHOP).map((f) => ({ name: f, text: readFileSync(new URL(f, SHOP), 'utf8') }));
  return loadManifests(sources).cluster;
}

function apply(cluster: Cluster, yaml: string): Session {
  const edited = addObjects(cluster, parseManifests(yaml, 'change.yaml').objects);
  expect(edited.issues).toEqual([]);
  return analyzeCluster(edited.cluster);
}

const rows = (d: ReturnType<typeof diffSessions>): string[] =>
  d.changes.map((c) => `${c.from} → ${c.to} +${formatPortSet(c.gained)} -${formatPortSet(c.lost)}`);

describe('diffSessions on the shop example', () => {
  it('finds nothing between a session and itself', () => {
    const s = analyzeCluster(shop());
    expect(diffSessions(s, s)).toEqual({ changes: [], endpointsAdded: [], endpointsRemoved: [] });
  });

  it('reports a gained flow with both sides explained before and after', () => {
    const cluster = shop();
    const before = analyzeCluster(cluster);
    const after = apply(
      cluster,
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: reports-to-db, namespace: data}
spec:
  podSelector: {matchLabels: {app: postgres}}
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {team: shop}}
          podSelector: {matchLabels: {app: reports}}
      ports: [{port: 5432}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: reports-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: reports}}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {}, podSelector: {matchLabels: {app: postgres}}}]
      ports: [{port: 5432}]
`,
    );
    const d = diffSessions(before, after);
    expect(rows(d)).toEqual(['shop/reports → data/postgres +TCP 5432 -none']);
    const c = d.changes[0]!;
    expect(c.lostExample).toBeUndefined();
    const ex = c.gainedExample!;
    expect([ex.protocol, ex.port]).toEqual(['TCP', 5432]);
    expect(ex.before!.allowed).toBe(false);
    expect(ex.before!.egress.summary).toContain('isolated for egress');
    expect(ex.before!.ingress.summary).toMatch(/isolated for ingress by NetworkPolicy data\/postgres/);
    expect(ex.after!.allowed).toBe(true);
    expect(ex.after!.egress.summary).toContain('NetworkPolicy shop/reports-egress egress rule 0');
    expect(ex.after!.ingress.summary).toContain('NetworkPolicy data/reports-to-db ingress rule 0');
  });

  it('compares outside addresses across different CIDR cuts', () => {
    const cluster = shop();
    // The frontend is public (0.0.0.0/0); restrict it to 10.0.0.0/8 except 10.1.0.0/16.
    const after = apply(
      cluster,
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: frontend, namespace: shop}
spec:
  podSelector: {matchLabels: {app: frontend}}
  policyTypes: [Ingress, Egress]
  ingress:
    - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
      ports: [{port: http}]
  egress:
    - to: [{podSelector: {matchLabels: {app: backend}}}]
      ports: [{protocol: TCP, port: 8080}]
`,
    );
    const d = diffSessions(analyzeCluster(cluster), after);
    expect(rows(d)).toEqual([
      '0.0.0.0-9.255.255.255 → shop/frontend +none -TCP 8080',
      '10.1.0.0/16 → shop/frontend +none -TCP 8080',
      '11.0.0.0-255.255.255.255 → shop/frontend +none -TCP 8080',
    ]);
    const ex = d.changes[1]!.lostExample!;
    expect(ex.before!.from).toBe('10.1.0.0/16');
    expect(ex.after!.ingress.summary).toContain('isolated for ingress');
  });

  it('matches endpoints by id and lists added and removed ones', () => {
    const cluster = shop();
    const removed = removeObject(cluster, { kind: 'Deployment', namespace: 'monitoring', name: 'prometheus' }).cluster;
    const after = apply(
      removed,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: shop, labels: {app: debug}}',
    );
    const d = diffSessions(analyzeCluster(cluster), after, { explain: false });
    expect(d.endpointsAdded).toEqual(['shop/debug']);
    expect(d.endpointsRemoved).toEqual(['monitoring/prometheus']);
    // Flows to and from the new or removed pods are not changes between common endpoints.
    expect(d.changes.some((c) => [c.from, c.to].some((e) => e === 'shop/debug' || e === 'monitoring/prometheus'))).toBe(
      false,
    );
    expect(d.changes.every((c) => c.gainedExample === undefined && c.lostExample === undefined)).toBe(true);
  });

  it('reports replicas of a workload losing each other', () => {
    const cluster = shop();
    const after = apply(
      cluster,
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: postgres, namespace: data}
spec:
  podSelector: {matchLabels: {app: postgres}}
  policyTypes: [Ingress, Egress]
  ingress:
    - from: [{namespaceSelector: {matchLabels: {team: shop}}, podSelector: {matchLabels: {app: backend}}}]
      ports: [{port: 5432}]
`,
    );
    const d = diffSessions(analyzeCluster(cluster), after);
    expect(rows(d)).toEqual(['data/postgres → data/postgres +none -TCP 5432']);
    expect(d.changes[0]!.lostExample!.after!.egress.summary).toContain('isolated for egress');
  });
});
