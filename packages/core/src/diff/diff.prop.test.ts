/**
 * Property tests: the diff, snapshots and audits (class engine, range refinement, workload
 * grouping) agree with the reference evaluator on random clusters and policy sets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Analysis } from '../engine/analysis.js';
import { type Endpoint, externalEndpoint } from '../engine/endpoints.js';
import { evaluateFlow } from '../engine/reference.js';
import { parseIp } from '../model/ip.js';
import { NO_PORTS, type PortSet, portSetHas } from '../model/ports.js';
import { type Cluster, PROTOCOLS, type Pod, type Protocol } from '../model/types.js';
import type { AnalysisOptions } from '../options.js';
import type { CompiledPolicy } from '../policy/ir.js';
import { buildPipeline } from '../policy/pipeline.js';
import type { Session } from '../session.js';
import { clusterWithPoliciesArb, optionsArb } from '../testing/arbitraries.js';
import { otherReplica, parseRangeText } from './common.js';
import { diffSessions } from './diff.js';
import { auditSnapshot, formatSnapshot, parseSnapshot, takeSnapshot } from './snapshot.js';

const PORTS = [1, 53, 70, 80, 90, 8080];
const IPS = [
  '0.0.0.0',
  '10.0.0.0',
  '10.0.0.2',
  '10.0.0.3',
  '10.0.0.4',
  '10.0.0.128',
  '10.0.1.0',
  '10.255.255.255',
  '192.168.0.0',
  '192.168.1.0',
  '255.255.255.255',
  '::',
  'fd00::',
  'fd00:0:0:1::',
];
const EXTERNALS = IPS.map((ip) => externalEndpoint(parseIp(ip)!));

/** Some pods stand for a workload with two replicas, some share an owner: exercise grouping. */
function withWorkloads(cluster: Cluster): Cluster {
  const pods = cluster.pods.map((p, i): Pod => {
    if (i % 3 === 0) return { ...p, replicas: 2, fromTemplate: true, workload: { kind: 'Deployment', name: p.name } };
    if (i % 3 === 1) return { ...p, workload: { kind: 'ReplicaSet', name: 'rs' } };
    return p;
  });
  return { ...cluster, pods };
}

function sessionOf(cluster: Cluster, policies: CompiledPolicy[], options: AnalysisOptions): Session {
  const pipeline = buildPipeline(policies, options);
  return { cluster, options, pipeline, policies, analysis: new Analysis(cluster, pipeline, options), issues: [] };
}

const allowed = (s: Session, src: Endpoint, dst: Endpoint, protocol: Protocol, port: number): boolean =>
  evaluateFlow(s.pipeline, src, dst, protocol, port, s.options).allowed;

const outside = (e: Endpoint): boolean => e.kind === 'external' || e.kind === 'domain';
const listed = (s: Endpoint, d: Endpoint): boolean => !(outside(s) && outside(d)) && s.kind !== 'domain';
const named = (s: Session): Endpoint[] =>
  s.analysis.endpoints.filter((e) => !(e.kind === 'external' && e.range !== undefined));
const replicas = (e: Endpoint): boolean => e.kind === 'pod' && e.pod.replicas > 1;

/** Two sessions that share a good part of their cluster and policies. */
const sessionPairArb = fc
  .tuple(clusterWithPoliciesArb, clusterWithPoliciesArb, optionsArb, fc.boolean(), fc.nat(6), fc.nat(6))
  .map(([a, b, options, sameCluster, keep, take]) => {
    const before = sessionOf(withWorkloads(a.cluster), a.policies, options);
    const after = sessionOf(
      withWorkloads(sameCluster ? a.cluster : b.cluster),
      [...a.policies.slice(0, keep), ...b.policies.slice(0, take)],
      options,
    );
    return { before, after };
  });

/** Check a port set against the reference at every sampled port. */
function expectPorts(
  set: PortSet | undefined,
  expected: (protocol: Protocol, port: number) => boolean,
  what: string,
): void {
  for (const protocol of PROTOCOLS)
    for (const port of PORTS) {
      const want = expected(protocol, port);
      if (portSetHas(set ?? NO_PORTS, protocol, port) !== want)
        throw new Error(`${what} ${protocol}/${port}: expected ${want ? 'in' : 'not in'} the set`);
    }
}

/** The row of `rows` whose named side is `id` and whose range side holds `ip` (at most one). */
function rowWithRange<T extends { from: string; to: string }>(
  rows: readonly T[],
  names: { has(id: string): boolean },
  id: string,
  ip: string,
  outgoing: boolean,
): T | undefined {
  const addr = parseIp(ip)!;
  const hits = rows.filter((r) => {
    if ((outgoing ? r.from : r.to) !== id) return false;
    const other = outgoing ? r.to : r.from;
    if (names.has(other)) return false;
    const range = parseRangeText(other);
    return range !== undefined && range.family === addr.family && addr.value >= range.start && addr.value <= range.end;
  });
  if (hits.length > 1) throw new Error(`overlapping ranges for ${id} at ${ip}`);
  return hits[0];
}

describe('diffSessions agrees with the reference evaluator', () => {
  it('for named endpoints, replicas and address ranges', () => {
    fc.assert(
      fc.property(sessionPairArb, ({ before, after }) => {
        const diff = diffSessions(before, after);
        const nb = new Map(named(before).map((e) => [e.id, e]));
        const na = new Map(named(after).map((e) => [e.id, e]));
        expect(diff.endpointsAdded).toEqual([...na.keys()].filter((k) => !nb.has(k)).sort());
        expect(diff.endpointsRemoved).toEqual([...nb.keys()].filter((k) => !na.has(k)).sort());
        const byPair = new Map(diff.changes.map((c) => [`${c.from}|${c.to}`, c]));
        const common = [...na.keys()].filter((k) => nb.has(k));
        for (const x of common)
          for (const y of common) {
            const [xb, yb, xa, ya] = [nb.get(x)!, nb.get(y)!, na.get(x)!, na.get(y)!];
            const c = byPair.get(`${x}|${y}`);
            if (x === y) {
              const b = (p: Protocol, n: number): boolean =>
                replicas(xb) && allowed(before, xb, otherReplica(xb), p, n);
              const a = (p: Protocol, n: number): boolean => replicas(xa) && allowed(after, xa, otherReplica(xa), p, n);
              expectPorts(c?.gained, (p, n) => a(p, n) && !b(p, n), `${x} replicas gained`);
              expectPorts(c?.lost, (p, n) => b(p, n) && !a(p, n), `${x} replicas lost`);
              continue;
            }
            if (!listed(xb, yb)) {
              expect(c).toBeUndefined();
              continue;
            }
            expectPorts(
              c?.gained,
              (p, n) => allowed(after, xa, ya, p, n) && !allowed(before, xb, yb, p, n),
              `${x} -> ${y} gained`,
            );
            expectPorts(
              c?.lost,
              (p, n) => allowed(before, xb, yb, p, n) && !allowed(after, xa, ya, p, n),
              `${x} -> ${y} lost`,
            );
          }
        for (const x of common) {
          const [xb, xa] = [nb.get(x)!, na.get(x)!];
          if (xb.kind !== 'pod' && xb.kind !== 'node') continue;
          for (const ext of EXTERNALS)
            for (const outgoing of [true, false]) {
              const c = rowWithRange(diff.changes, new Set([...na.keys(), ...nb.keys()]), x, ext.id, outgoing);
              const ab = (p: Protocol, n: number): boolean =>
                outgoing ? allowed(before, xb, ext, p, n) : allowed(before, ext, xb, p, n);
              const aa = (p: Protocol, n: number): boolean =>
                outgoing ? allowed(after, xa, ext, p, n) : allowed(after, ext, xa, p, n);
              expectPorts(
                c?.gained,
                (p, n) => aa(p, n) && !ab(p, n),
                `${x} ${outgoing ? '->' : '<-'} ${ext.id} gained`,
              );
              expectPorts(c?.lost, (p, n) => ab(p, n) && !aa(p, n), `${x} ${outgoing ? '->' : '<-'} ${ext.id} lost`);
            }
        }
        for (const c of diff.changes) {
          for (const [ex, set, now] of [
            [c.gainedExample, c.gained, true],
            [c.lostExample, c.lost, false],
          ] as const) {
            if (ex === undefined) continue;
            expect(portSetHas(set, ex.protocol, ex.port)).toBe(true);
            // A side without the flow (a workload without replicas) has no explanation.
            expect(ex.after?.allowed ?? false).toBe(now);
            expect(ex.before?.allowed ?? false).toBe(!now);
            if (c.from !== c.to) expect(ex.before !== undefined && ex.after !== undefined).toBe(true);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

/** Reference connectivity at workload level: any member of one to any other member of the other. */
function groupOracle(s: Session): {
  groups: Map<string, Endpoint[]>;
  has: (g: string, h: string, p: Protocol, n: number) => boolean;
  hasRange: (g: string, ext: Endpoint, outgoing: boolean, p: Protocol, n: number) => boolean;
} {
  const groups = new Map<string, Endpoint[]>();
  for (const e of named(s)) {
    const id = e.kind === 'pod' ? `${e.pod.namespace}/${e.pod.workload?.name ?? e.pod.name}` : e.id;
    groups.set(id, [...(groups.get(id) ?? []), e]);
  }
  return {
    groups,
    has: (g, h, p, n) =>
      groups
        .get(g)!
        .some((a) =>
          groups
            .get(h)!
            .some((b) =>
              a === b ? replicas(a) && allowed(s, a, otherReplica(a), p, n) : listed(a, b) && allowed(s, a, b, p, n),
            ),
        ),
    hasRange: (g, ext, outgoing, p, n) =>
      groups.get(g)!.some((a) => (outgoing ? allowed(s, a, ext, p, n) : allowed(s, ext, a, p, n))),
  };
}

/** Read the JSON form of a port set (independently of the snapshot reader). */
function portsOf(json: unknown): PortSet {
  if (json === 'all') return { TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] };
  const o = json as Record<string, string>;
  const read = (t: string | undefined): [number, number][] =>
    t === undefined
      ? []
      : t
          .split(',')
          .map((x) => x.split('-').map(Number))
          .map(([a, b]) => [a!, b ?? a!]);
  return { TCP: read(o['TCP']), UDP: read(o['UDP']), SCTP: read(o['SCTP']) };
}

describe('takeSnapshot and auditSnapshot agree with the reference evaluator', () => {
  it('snapshots list exactly the workload-level connectivity', () => {
    fc.assert(
      fc.property(sessionPairArb, ({ before: s }) => {
        const snap = takeSnapshot(s);
        const o = groupOracle(s);
        expect(snap.endpoints).toEqual([...o.groups.keys()].sort());
        const rows = snap.connections;
        const byPair = new Map(rows.map((c) => [`${c.from}|${c.to}`, c]));
        for (const g of o.groups.keys())
          for (const h of o.groups.keys()) {
            const set = byPair.has(`${g}|${h}`) ? portsOf(byPair.get(`${g}|${h}`)!.ports) : undefined;
            expectPorts(set, (p, n) => o.has(g, h, p, n), `${g} -> ${h}`);
          }
        for (const [g, members] of o.groups) {
          if (members[0]!.kind !== 'pod' && members[0]!.kind !== 'node') continue;
          for (const ext of EXTERNALS)
            for (const outgoing of [true, false]) {
              const row = rowWithRange(rows, o.groups, g, ext.id, outgoing);
              expectPorts(row && portsOf(row.ports), (p, n) => o.hasRange(g, ext, outgoing, p, n), `${g} / ${ext.id}`);
            }
        }
        // Round trip, and the session matches its own snapshot.
        const text = formatSnapshot(snap);
        expect(parseSnapshot(JSON.parse(text) as unknown).snapshot).toEqual(snap);
        expect(auditSnapshot(s, snap).identical).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('snapshots do not depend on input order', () => {
    fc.assert(
      fc.property(sessionPairArb, fc.nat(), ({ before: s }, seed) => {
        const pods = [...s.cluster.pods];
        // Rotate and reverse: a different order of the same pods.
        const k = seed % pods.length;
        const reordered = [...pods.slice(k), ...pods.slice(0, k)].reverse();
        const other = sessionOf({ ...s.cluster, pods: reordered }, [...s.policies].reverse(), s.options);
        expect(formatSnapshot(takeSnapshot(other))).toBe(formatSnapshot(takeSnapshot(s)));
      }),
      { numRuns: 30 },
    );
  });

  it('audits report exactly what changed at workload level', () => {
    fc.assert(
      fc.property(sessionPairArb, ({ before, after }) => {
        const result = auditSnapshot(after, takeSnapshot(before));
        const ob = groupOracle(before);
        const oa = groupOracle(after);
        expect(result.identical).toBe(formatSnapshot(takeSnapshot(before)) === formatSnapshot(takeSnapshot(after)));
        expect(result.endpointsAdded).toEqual([...oa.groups.keys()].filter((g) => !ob.groups.has(g)).sort());
        expect(result.endpointsRemoved).toEqual([...ob.groups.keys()].filter((g) => !oa.groups.has(g)).sort());
        const allowedNow = new Map(result.newlyAllowed.map((f) => [`${f.from}|${f.to}`, f.ports]));
        const deniedNow = new Map(result.newlyDenied.map((f) => [`${f.from}|${f.to}`, f.ports]));
        const ids = new Set([...ob.groups.keys(), ...oa.groups.keys()]);
        const has = (o: typeof ob, g: string, h: string, p: Protocol, n: number): boolean =>
          o.groups.has(g) && o.groups.has(h) && o.has(g, h, p, n);
        for (const g of ids)
          for (const h of ids) {
            const key = `${g}|${h}`;
            expectPorts(
              allowedNow.get(key),
              (p, n) => has(oa, g, h, p, n) && !has(ob, g, h, p, n),
              `newly allowed ${key}`,
            );
            expectPorts(
              deniedNow.get(key),
              (p, n) => has(ob, g, h, p, n) && !has(oa, g, h, p, n),
              `newly denied ${key}`,
            );
          }
        for (const f of result.newlyAllowed)
          if (f.example !== undefined) {
            expect(portSetHas(f.ports, f.example.protocol, f.example.port)).toBe(true);
            expect(f.example.explanation.allowed).toBe(true);
          }
        for (const f of result.newlyDenied)
          if (f.example !== undefined) expect(f.example.explanation.allowed).toBe(false);
      }),
      { numRuns: 40 },
    );
  });
});
