import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NetreachError, formatIssue } from '../errors.js';
import { parseManifests } from '../load/parse.js';
import { formatPortSet } from '../model/ports.js';
import type { Cluster } from '../model/types.js';
import { type Session, analyzeCluster, loadManifests } from '../session.js';
import { addObjects, relabelPod } from './edits.js';
import { type Snapshot, auditSnapshot, formatSnapshot, parseSnapshot, takeSnapshot } from './snapshot.js';

const SHOP = new URL('../../../../examples/shop/', import.meta.url);

function shop(): Cluster {
  const sources = readdirSync(SHOP).map((f) => ({ name: f, text: readFileSync(new URL(f, SHOP), 'utf8') }));
  return loadManifests(sources).cluster;
}

function withObjects(cluster: Cluster, yaml: string): Cluster {
  const r = addObjects(cluster, parseManifests(yaml, 'extra.yaml').objects);
  expect(r.issues).toEqual([]);
  return r.cluster;
}

const lines = (s: Snapshot): string[] => s.connections.map((c) => `${c.from} → ${c.to} ${JSON.stringify(c.ports)}`);

describe('takeSnapshot', () => {
  it('records the shop at workload level, sorted, with outside ranges', () => {
    const snap = takeSnapshot(analyzeCluster(shop()));
    expect(snap.netreachSnapshot).toBe(1);
    expect(snap.endpoints).toEqual([
      'data/postgres',
      'kube-system/coredns',
      'monitoring/prometheus',
      'shop/backend',
      'shop/frontend',
      'shop/reports',
    ]);
    const l = lines(snap);
    expect(l).toContain('shop/frontend → shop/backend {"TCP":"8080"}');
    expect(l).toContain('shop/backend → data/postgres {"TCP":"5432"}');
    expect(l).toContain('shop/reports → kube-system/coredns {"TCP":"53","UDP":"53"}');
    // Replicas of postgres reach each other on 5432.
    expect(l).toContain('data/postgres → data/postgres {"TCP":"5432"}');
    expect(l).toContain('0.0.0.0/0 → shop/frontend {"TCP":"8080"}');
    expect(l.some((x) => x.startsWith('shop/frontend → data/postgres'))).toBe(false);
    // Names before address ranges, each sorted.
    const froms = snap.connections.map((c) => c.from);
    expect(froms.indexOf('0.0.0.0/0')).toBeGreaterThan(froms.lastIndexOf('shop/reports'));
    expect(froms.indexOf('::/0')).toBeGreaterThan(froms.lastIndexOf('0.0.0.0/0'));
  });

  it('collapses the pods of one workload and keeps plain pods', () => {
    const cluster = withObjects(
      shop(),
      ['a', 'b']
        .map(
          (n) => `apiVersion: v1
kind: Pod
metadata:
  name: api-${n}
  namespace: shop
  labels: {app: backend}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: api-7d9, controller: true}]
`,
        )
        .concat('apiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: shop}')
        .join('---\n'),
    );
    const snap = takeSnapshot(analyzeCluster(cluster));
    expect(snap.endpoints).toContain('shop/api-7d9');
    expect(snap.endpoints).toContain('shop/debug');
    expect(snap.endpoints.some((e) => e.startsWith('shop/api-a'))).toBe(false);
    expect(lines(snap)).toContain('shop/api-7d9 → data/postgres {"TCP":"5432"}');
  });

  it('does not change when policies cut the address space differently for the same connectivity', () => {
    const cluster = shop();
    // Redundant: 0.0.0.0/0 already allows 10.0.0.0/8 to reach the frontend's http port.
    const cut = withObjects(
      cluster,
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: also-internal, namespace: shop}
spec:
  podSelector: {matchLabels: {app: frontend}}
  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}], ports: [{port: 8080}]}]
`,
    );
    const a = analyzeCluster(cluster);
    const b = analyzeCluster(cut);
    expect(b.analysis.endpoints.length).toBeGreaterThan(a.analysis.endpoints.length);
    expect(formatSnapshot(takeSnapshot(b))).toBe(formatSnapshot(takeSnapshot(a)));
  });
});

describe('formatSnapshot', () => {
  it('writes one connection a line, in a fixed key order, and round-trips', () => {
    const snap = takeSnapshot(analyzeCluster(shop()));
    const text = formatSnapshot(snap);
    expect(text.startsWith('{\n  "netreachSnapshot": 1,\n  "endpoints": [\n    "data/postgres",\n')).toBe(true);
    expect(text).toContain('\n    { "from": "shop/frontend", "to": "shop/backend", "ports": { "TCP": "8080" } },\n');
    expect(text).toContain(
      '{ "from": "shop/reports", "to": "kube-system/coredns", "ports": { "TCP": "53", "UDP": "53" } }',
    );
    expect(text.endsWith('  ]\n}\n')).toBe(true);
    expect(parseSnapshot(JSON.parse(text)).snapshot).toEqual(snap);
    expect(formatSnapshot({ netreachSnapshot: 1, endpoints: [], connections: [] })).toBe(
      '{\n  "netreachSnapshot": 1,\n  "endpoints": [],\n  "connections": []\n}\n',
    );
  });

  it('sorts what it is given', () => {
    const snap = takeSnapshot(analyzeCluster(shop()));
    const shuffled: Snapshot = {
      ...snap,
      endpoints: [...snap.endpoints].reverse(),
      connections: [...snap.connections].reverse(),
    };
    expect(formatSnapshot(shuffled)).toBe(formatSnapshot(snap));
  });
});

describe('parseSnapshot', () => {
  const base = { netreachSnapshot: 1, endpoints: ['a/x', 'a/y'], connections: [] as unknown[] };
  const errors = (json: unknown): string[] =>
    parseSnapshot(json, 'snap.json')
      .issues.filter((i) => i.severity === 'error')
      .map(formatIssue);

  it('accepts a valid snapshot, normalising ranges and port lists', () => {
    const r = parseSnapshot({
      ...base,
      connections: [
        { from: 'a/x', to: '10.0.0.0-10.255.255.255', ports: { UDP: '53', TCP: '81,80' } },
        { from: 'a/x', to: 'a/y', ports: 'all' },
      ],
    });
    expect(r.issues).toEqual([]);
    expect(r.snapshot!.connections).toEqual([
      { from: 'a/x', to: 'a/y', ports: 'all' },
      { from: 'a/x', to: '10.0.0.0/8', ports: { TCP: '80-81', UDP: '53' } },
    ]);
  });

  it('reports bad files with the file and field path', () => {
    expect(errors('nope')).toEqual([
      'error: snap.json: a snapshot must be a JSON object with "netreachSnapshot", "endpoints" and "connections" [INVALID_SNAPSHOT]',
    ]);
    expect(errors({ endpoints: [], connections: [] })).toEqual([
      'error: snap.json, field netreachSnapshot: not a netreach snapshot: the "netreachSnapshot" version field is missing [INVALID_SNAPSHOT]',
    ]);
    expect(errors({ ...base, netreachSnapshot: 2 })[0]).toContain(
      'unsupported snapshot version 2; this netreach reads version 1',
    );
    expect(errors({ ...base, endpoints: 'a/x' })[0]).toContain('field endpoints: "endpoints" must be a list');
    expect(errors({ ...base, endpoints: ['a/x', 'a/x', 3] })).toEqual([
      'error: snap.json, field endpoints[1]: endpoint "a/x" is listed twice [INVALID_SNAPSHOT]',
      'error: snap.json, field endpoints[2]: an endpoint must be a non-empty string [INVALID_SNAPSHOT]',
    ]);
    const bad = errors({
      ...base,
      connections: [
        { from: 'a/x', to: 'a/z', ports: 'all' },
        { from: 'a/x', to: 'a/y', ports: { TCP: '80-70' } },
        { from: 'a/x', to: 'a/y', ports: { HTTP: '80' } },
        { from: 'a/x', to: 'a/y', ports: {} },
        { from: '1.0.0.0/8', to: '::/0', ports: 'all' },
        { from: 'a/x', to: 'a/y', ports: 'all', note: 1 },
        'x',
      ],
    });
    expect(bad).toEqual([
      'error: snap.json, field connections[0].to: "a/z" is neither a listed endpoint nor an address range [INVALID_SNAPSHOT]',
      'error: snap.json, field connections[1].ports.TCP: expected port numbers and ranges from 1 to 65535 such as "80,8000-8080", got "80-70" [INVALID_SNAPSHOT]',
      'error: snap.json, field connections[2].ports.HTTP: unknown protocol "HTTP" (expected TCP, UDP or SCTP) [INVALID_SNAPSHOT]',
      'error: snap.json, field connections[3].ports: ports must not be empty (leave the connection out instead) [INVALID_SNAPSHOT]',
      'error: snap.json, field connections[4]: a connection between two address ranges is not part of a snapshot [INVALID_SNAPSHOT]',
      'error: snap.json, field connections[5].note: unknown field "note" [INVALID_SNAPSHOT]',
      'error: snap.json, field connections[6]: a connection must be an object {"from", "to", "ports"} [INVALID_SNAPSHOT]',
    ]);
    expect(
      errors({
        ...base,
        connections: [
          { from: 'a/x', to: 'a/y', ports: 'all' },
          { from: 'a/x', to: 'a/y', ports: { TCP: '1' } },
          { from: 'a/x', to: '10.0.0.0/8', ports: 'all' },
          { from: 'a/x', to: '10.0.0.0/16', ports: 'all' },
        ],
      }),
    ).toEqual([
      'error: snap.json, field connections[1]: connection a/x → a/y is listed twice [INVALID_SNAPSHOT]',
      'error: snap.json, field connections: address ranges 10.0.0.0/16 and 10.0.0.0/8 overlap (connections from a/x) [INVALID_SNAPSHOT]',
    ]);
  });

  it('warns about unknown top-level fields', () => {
    const r = parseSnapshot({ ...base, generatedBy: 'me' });
    expect(r.snapshot).toBeDefined();
    expect(r.issues.map((i) => [i.severity, i.path])).toEqual([['warning', 'generatedBy']]);
  });
});

describe('auditSnapshot', () => {
  const snapshotOf = (s: Session): Snapshot => parseSnapshot(JSON.parse(formatSnapshot(takeSnapshot(s)))).snapshot!;

  it('finds a session identical to its own snapshot', () => {
    const s = analyzeCluster(shop());
    expect(auditSnapshot(s, snapshotOf(s))).toEqual({
      identical: true,
      newlyAllowed: [],
      newlyDenied: [],
      endpointsAdded: [],
      endpointsRemoved: [],
    });
  });

  it('lists newly allowed and newly denied flows with the current explanation', () => {
    const cluster = shop();
    const snap = snapshotOf(analyzeCluster(cluster));
    // Relabelled as a backend, reports gets the backend's egress to postgres. It declares no
    // container ports, so the backend's ingress rules on the named port "http" admit nothing.
    const moved = relabelPod(cluster, 'shop/reports', { app: 'backend' }).cluster;
    const r = auditSnapshot(analyzeCluster(moved), snap);
    expect(r.identical).toBe(false);
    const show = (f: (typeof r.newlyAllowed)[number]): string => `${f.from} → ${f.to} ${formatPortSet(f.ports)}`;
    expect(r.newlyAllowed.map(show)).toEqual(['shop/reports → data/postgres TCP 5432']);
    const pg = r.newlyAllowed[0]!.example!;
    expect([pg.protocol, pg.port, pg.explanation.allowed]).toEqual(['TCP', 5432, true]);
    expect(pg.explanation.egress.summary).toContain('NetworkPolicy shop/backend egress rule 0');
    expect(r.newlyDenied).toEqual([]);
    expect(r.endpointsAdded).toEqual([]);
  });

  it('reports flows of removed endpoints as newly denied, without an explanation', () => {
    const snap: Snapshot = {
      netreachSnapshot: 1,
      endpoints: ['shop/frontend', 'shop/legacy'],
      connections: [{ from: 'shop/legacy', to: 'shop/frontend', ports: { TCP: '8080' } }],
    };
    const r = auditSnapshot(analyzeCluster(shop()), snap);
    expect(r.endpointsRemoved).toEqual(['shop/legacy']);
    expect(r.newlyDenied).toEqual([
      { from: 'shop/legacy', to: 'shop/frontend', ports: { TCP: [[8080, 8080]], UDP: [], SCTP: [] } },
    ]);
    expect(r.endpointsAdded).toContain('data/postgres');
  });

  it('rejects an invalid snapshot object', () => {
    const s = analyzeCluster(shop());
    expect(() =>
      auditSnapshot(s, { netreachSnapshot: 1, endpoints: [], connections: [{ from: 'x', to: 'y', ports: 'all' }] }),
    ).toThrow(NetreachError);
  });
});
