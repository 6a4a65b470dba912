/**
 * Connectivity snapshots: a stable, reviewable JSON record of who may reach whom, and the audit
 * of a session against one (what became newly allowed or newly denied since).
 */
import { type Endpoint, externalEndpoint } from '../engine/endpoints.js';
import type { FlowVerdict } from '../engine/trace.js';
import { type Issue, NetreachError, hasErrors } from '../errors.js';
import { formatRangeCompact } from '../model/ip.js';
import {
  ALL_PORTS,
  MAX_PORT,
  MIN_PORT,
  NO_PORTS,
  type PortInterval,
  type PortSet,
  isEmptyPortSet,
  normalizeIntervals,
  subtractPortSets,
} from '../model/ports.js';
import { PROTOCOLS, type Protocol } from '../model/types.js';
import { type PortSetJson, portSetToJson } from '../query/matrix.js';
import type { Session } from '../session.js';
import {
  ClassPorts,
  type RangeEndpoint,
  type RangeRow,
  type RowRef,
  compareRangeRows,
  compareRanges,
  compareRefs,
  compareText,
  hasReplicaPeers,
  isListedPair,
  isOutside,
  isPairwise,
  isRangeEndpoint,
  mergeRangeRows,
  otherReplica,
  parseRangeText,
  rangeRef,
  representativePort,
  unionAll,
} from './common.js';

/**
 * Version of the snapshot format (docs/auditing-in-ci.md).
 *
 * @example
 * takeSnapshot(session).netreachSnapshot === SNAPSHOT_VERSION; // true
 */
export const SNAPSHOT_VERSION = 1;

/**
 * Allowed ports from one endpoint to another, as recorded in a snapshot.
 *
 * @example
 * const c: SnapshotConnection = { from: 'shop/frontend', to: 'shop/backend', ports: { TCP: '8080' } };
 */
export interface SnapshotConnection {
  /** `namespace/workload`, `namespace/pod`, `node/<name>`, an address, an address range, or a domain. */
  readonly from: string;
  readonly to: string;
  readonly ports: PortSetJson;
}

/**
 * A connectivity snapshot at workload level: the pods of one workload are one endpoint
 * (`namespace/workload`), plain pods stay `namespace/pod`. A connection from a workload to itself
 * means its replicas (or its pods) can reach each other. Addresses outside the cluster appear as
 * address ranges, neighbouring ranges with the same connectivity merged.
 *
 * @example
 * const snapshot: Snapshot = { netreachSnapshot: 1, endpoints: ['a/x', 'a/y'], connections: [{ from: 'a/x', to: 'a/y', ports: 'all' }] };
 */
export interface Snapshot {
  readonly netreachSnapshot: typeof SNAPSHOT_VERSION;
  /** Every endpoint (not address ranges), sorted. */
  readonly endpoints: readonly string[];
  /** Non-empty connections, sorted by `from` then `to` (names first, then address ranges by address). */
  readonly connections: readonly SnapshotConnection[];
}

/** An endpoint of the snapshot: a workload (or plain pod), node, declared address or domain. */
interface Group {
  readonly id: string;
  readonly members: Endpoint[];
}

/** The snapshot name of an endpoint: pods of a workload share their workload's name. */
function groupId(e: Endpoint): string {
  return e.kind === 'pod' ? `${e.pod.namespace}/${e.pod.workload?.name ?? e.pod.name}` : e.id;
}

function groupsOf(session: Session): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const e of session.analysis.endpoints) {
    if (isRangeEndpoint(e)) continue;
    const id = groupId(e);
    let g = groups.get(id);
    if (g === undefined) {
      g = { id, members: [] };
      groups.set(id, g);
    }
    g.members.push(e);
  }
  return groups;
}

/** Union of the allowed ports from any member of `g` to any other member of `h`. */
function groupPorts(cp: ClassPorts, g: Group, h: Group): PortSet {
  const sets: PortSet[] = [];
  const srcClasses = new Map<number, number>();
  for (const s of g.members) {
    const c = cp.classOf(s);
    if (g === h && hasReplicaPeers(s)) sets.push(cp.between(c, c));
    if (isPairwise(s)) {
      for (const d of h.members) if (d !== s && isListedPair(s, d)) sets.push(cp.pair(s, d));
      continue;
    }
    srcClasses.set(c, (srcClasses.get(c) ?? 0) + 1);
  }
  const dstClasses = new Map<number, Endpoint>();
  for (const d of h.members) if (!dstClasses.has(cp.classOf(d))) dstClasses.set(cp.classOf(d), d);
  const anySrc = g.members.find((s) => !isPairwise(s));
  for (const [cs, count] of srcClasses)
    for (const [cd, d] of dstClasses) {
      // Within one endpoint, a class pairs with itself only if it has two different members.
      if (g === h && cs === cd && count < 2) continue;
      if (anySrc !== undefined && !isListedPair(anySrc, d)) continue;
      sets.push(cp.between(cs, cd));
    }
  return unionAll(sets);
}

/** Rows between an endpoint and the address ranges, one direction, merged. */
function groupRangeRows(cp: ClassPorts, g: Group, ranges: readonly RangeEndpoint[], outgoing: boolean): RangeRow[] {
  const classes = [...new Set(g.members.map((m) => cp.classOf(m)))];
  return mergeRangeRows(
    ranges.map((r) => {
      const cr = cp.classOf(r);
      return {
        range: r.range,
        ports: unionAll(classes.map((c) => (outgoing ? cp.between(c, cr) : cp.between(cr, c)))),
      };
    }),
  );
}

interface Row {
  readonly from: RowRef;
  readonly to: RowRef;
  readonly ports: PortSet;
}

function sortRows<T extends { from: RowRef; to: RowRef }>(rows: T[]): T[] {
  return rows.sort((a, b) => compareRefs(a.from, b.from) || compareRefs(a.to, b.to));
}

function snapshotOf(endpoints: Iterable<string>, rows: Row[]): Snapshot {
  return {
    netreachSnapshot: SNAPSHOT_VERSION,
    endpoints: [...endpoints].sort(compareText),
    connections: sortRows(rows).map((r) => ({ from: r.from.id, to: r.to.id, ports: portSetToJson(r.ports) })),
  };
}

/**
 * Take a snapshot of a session's connectivity, at workload level: stable (sorted, independent of
 * the order of the input and of how policies cut the address space) and small enough to review
 * in a pull request. Write it with {@link formatSnapshot}. Verdicts come from the class engine.
 *
 * @example
 * const text = formatSnapshot(takeSnapshot(session)); // commit as netreach-snapshot.json
 */
export function takeSnapshot(session: Session): Snapshot {
  const cp = new ClassPorts(session);
  const groups = [...groupsOf(session).values()];
  const ranges = session.analysis.endpoints.filter(isRangeEndpoint);
  const rows: Row[] = [];
  for (const g of groups) {
    const first = g.members[0]!;
    if (first.kind === 'domain') continue;
    for (const h of groups) {
      if (isOutside(first) && isOutside(h.members[0]!)) continue;
      const ports = groupPorts(cp, g, h);
      if (!isEmptyPortSet(ports)) rows.push({ from: { id: g.id }, to: { id: h.id }, ports });
    }
    if (isOutside(first)) continue;
    for (const r of groupRangeRows(cp, g, ranges, true))
      rows.push({ from: { id: g.id }, to: rangeRef(r.range), ports: r.ports });
    for (const r of groupRangeRows(cp, g, ranges, false))
      rows.push({ from: rangeRef(r.range), to: { id: g.id }, ports: r.ports });
  }
  return snapshotOf(
    groups.map((g) => g.id),
    rows,
  );
}

/**
 * The stable text of a snapshot: fixed key order (`netreachSnapshot`, `endpoints`,
 * `connections`; `from`, `to`, `ports`; protocols TCP, UDP, SCTP), sorted rows, one connection
 * per line, so that equal connectivity gives byte-identical files and a change shows as a
 * one-line diff.
 *
 * @example
 * writeFileSync('netreach-snapshot.json', formatSnapshot(takeSnapshot(session)));
 */
export function formatSnapshot(snapshot: Snapshot): string {
  const read = readSnapshot(snapshot);
  if (read.table === undefined) throw new NetreachError('INVALID_SNAPSHOT', 'invalid snapshot', read.issues);
  const s = snapshotOf(read.table.endpoints, read.table.rows);
  const conn = s.connections.map((c) => {
    const ports =
      c.ports === 'all'
        ? '"all"'
        : `{ ${PROTOCOLS.filter((p) => c.ports !== 'all' && c.ports[p] !== undefined)
            .map((p) => `${JSON.stringify(p)}: ${JSON.stringify((c.ports as Record<string, string>)[p])}`)
            .join(', ')} }`;
    return `    { "from": ${JSON.stringify(c.from)}, "to": ${JSON.stringify(c.to)}, "ports": ${ports} }`;
  });
  const list = (items: string[]): string => (items.length === 0 ? '[]' : `[\n${items.join(',\n')}\n  ]`);
  return [
    '{',
    `  "netreachSnapshot": ${s.netreachSnapshot},`,
    `  "endpoints": ${list(s.endpoints.map((e) => `    ${JSON.stringify(e)}`))},`,
    `  "connections": ${list(conn)}`,
    '}',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Reading snapshots.

/**
 * The result of {@link parseSnapshot}.
 *
 * @example
 * const r: SnapshotParseResult = parseSnapshot(JSON.parse(text), 'snapshot.json');
 * if (r.snapshot === undefined) throw new NetreachError('INVALID_SNAPSHOT', 'invalid snapshot', r.issues);
 */
export interface SnapshotParseResult {
  /** The snapshot, normalised (sorted); undefined when there are errors. */
  readonly snapshot: Snapshot | undefined;
  readonly issues: readonly Issue[];
}

/** A validated snapshot as rows of port sets. */
interface Table {
  readonly endpoints: ReadonlySet<string>;
  readonly rows: Row[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const PORT_LIST = /^\d{1,5}(-\d{1,5})?(,\d{1,5}(-\d{1,5})?)*$/;

/** Parse `80,443,8000-8080`; undefined when malformed or out of range. */
function parseIntervals(text: string): PortInterval[] | undefined {
  if (!PORT_LIST.test(text)) return undefined;
  const out: PortInterval[] = [];
  for (const part of text.split(',')) {
    const [a, b = a] = part.split('-').map(Number) as [number, number?];
    if (a < MIN_PORT || b > MAX_PORT || a > b) return undefined;
    out.push([a, b]);
  }
  return normalizeIntervals(out);
}

/** Read a port set in its JSON form (`"all"` or `{"TCP": "80,443"}`), reporting problems. */
function readPorts(value: unknown, path: string, report: (path: string, message: string) => void): PortSet | undefined {
  if (value === 'all') return ALL_PORTS;
  if (!isRecord(value)) {
    report(path, 'ports must be "all" or an object such as {"TCP": "80,443", "UDP": "53"}');
    return undefined;
  }
  const out: Record<Protocol, PortInterval[]> = { TCP: [], UDP: [], SCTP: [] };
  let ok = true;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (!(PROTOCOLS as readonly string[]).includes(key)) {
      report(`${path}.${key}`, `unknown protocol "${key}" (expected TCP, UDP or SCTP)`);
      ok = false;
      continue;
    }
    const intervals = typeof v === 'string' ? parseIntervals(v) : undefined;
    if (intervals === undefined) {
      report(
        `${path}.${key}`,
        `expected port numbers and ranges from 1 to 65535 such as "80,8000-8080", got ${JSON.stringify(v)}`,
      );
      ok = false;
      continue;
    }
    out[key as Protocol] = intervals;
  }
  if (!ok) return undefined;
  if (isEmptyPortSet(out)) {
    report(path, 'ports must not be empty (leave the connection out instead)');
    return undefined;
  }
  return out;
}

/** Validate snapshot data into a table, collecting issues. */
function readSnapshot(json: unknown, file?: string): { table: Table | undefined; issues: Issue[] } {
  const issues: Issue[] = [];
  const report = (path: string, message: string, severity: Issue['severity'] = 'error'): void => {
    issues.push({ severity, code: 'INVALID_SNAPSHOT', message, file, path });
  };
  const fail = (path: string, message: string): { table: undefined; issues: Issue[] } => {
    report(path, message);
    return { table: undefined, issues };
  };
  if (!isRecord(json))
    return fail('', 'a snapshot must be a JSON object with "netreachSnapshot", "endpoints" and "connections"');
  const version = json['netreachSnapshot'];
  if (version === undefined)
    return fail('netreachSnapshot', 'not a netreach snapshot: the "netreachSnapshot" version field is missing');
  if (version !== SNAPSHOT_VERSION)
    return fail(
      'netreachSnapshot',
      `unsupported snapshot version ${JSON.stringify(version)}; this netreach reads version ${SNAPSHOT_VERSION}`,
    );
  for (const key of Object.keys(json))
    if (!['netreachSnapshot', 'endpoints', 'connections'].includes(key))
      report(key, `unknown field "${key}" ignored`, 'warning');

  const endpoints = new Set<string>();
  const eps = json['endpoints'];
  if (!Array.isArray(eps)) return fail('endpoints', '"endpoints" must be a list of endpoint names');
  eps.forEach((e: unknown, i) => {
    if (typeof e !== 'string' || e === '') report(`endpoints[${i}]`, 'an endpoint must be a non-empty string');
    else if (endpoints.has(e)) report(`endpoints[${i}]`, `endpoint "${e}" is listed twice`);
    else endpoints.add(e);
  });

  const conns = json['connections'];
  if (!Array.isArray(conns)) return fail('connections', '"connections" must be a list of {"from", "to", "ports"}');
  const rows: Row[] = [];
  const seen = new Set<string>();
  conns.forEach((c: unknown, i) => {
    const at = `connections[${i}]`;
    if (!isRecord(c)) return report(at, 'a connection must be an object {"from", "to", "ports"}');
    for (const key of Object.keys(c))
      if (!['from', 'to', 'ports'].includes(key)) report(`${at}.${key}`, `unknown field "${key}"`);
    const ref = (key: 'from' | 'to'): RowRef | undefined => {
      const v = c[key];
      if (typeof v !== 'string' || v === '') return void report(`${at}.${key}`, `"${key}" must be a non-empty string`);
      if (endpoints.has(v)) return { id: v };
      const range = parseRangeText(v);
      if (range === undefined)
        return void report(`${at}.${key}`, `"${v}" is neither a listed endpoint nor an address range`);
      return { id: formatRangeCompact(range), range };
    };
    const from = ref('from');
    const to = ref('to');
    const ports = readPorts(c['ports'], `${at}.ports`, report);
    if (from === undefined || to === undefined || ports === undefined) return;
    if (from.range !== undefined && to.range !== undefined)
      return report(at, 'a connection between two address ranges is not part of a snapshot');
    const key = `${from.id}\u0000${to.id}`;
    if (seen.has(key)) return report(at, `connection ${from.id} → ${to.id} is listed twice`);
    seen.add(key);
    rows.push({ from, to, ports });
  });
  checkOverlaps(rows, report);
  return { table: hasErrors(issues) ? undefined : { endpoints, rows }, issues };
}

/** The ranges of one endpoint and direction must not overlap. */
function checkOverlaps(rows: readonly Row[], report: (path: string, message: string) => void): void {
  const byKey = new Map<string, Row[]>();
  for (const r of rows) {
    const key = rangeKey(r);
    if (key === undefined) continue;
    const list = byKey.get(key) ?? [];
    list.push(r);
    byKey.set(key, list);
  }
  for (const list of byKey.values()) {
    const sorted = list.map((r) => (r.from.range ?? r.to.range)!).sort(compareRanges);
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1]!;
      const b = sorted[i]!;
      if (a.family === b.family && b.start <= a.end) {
        const r = list[0]!;
        const who = r.from.range !== undefined ? `to ${r.to.id}` : `from ${r.from.id}`;
        report(
          'connections',
          `address ranges ${formatRangeCompact(a)} and ${formatRangeCompact(b)} overlap (connections ${who})`,
        );
      }
    }
  }
}

/** For a row with an address range: its named endpoint and direction. */
function rangeKey(r: Row): string | undefined {
  if (r.to.range !== undefined) return `out\u0000${r.from.id}`;
  if (r.from.range !== undefined) return `in\u0000${r.to.id}`;
  return undefined;
}

/**
 * Validate snapshot data (as read from JSON). Problems are issues with the field path
 * (`connections[3].ports.TCP`) and `file` when given; the snapshot is undefined on errors.
 *
 * @example
 * const { snapshot, issues } = parseSnapshot(JSON.parse(text), 'netreach-snapshot.json');
 * if (snapshot === undefined) for (const i of issues) console.error(formatIssue(i));
 */
export function parseSnapshot(json: unknown, file?: string): SnapshotParseResult {
  const { table, issues } = readSnapshot(json, file);
  return { snapshot: table === undefined ? undefined : snapshotOf(table.endpoints, table.rows), issues };
}

// ---------------------------------------------------------------------------------------------
// Auditing.

/**
 * A flow whose verdict changed since the snapshot.
 *
 * @example
 * for (const f of result.newlyAllowed)
 *   console.log(`${f.from} → ${f.to} ${formatPortSet(f.ports)}: ${f.example?.explanation.ingress.summary ?? ''}`);
 */
export interface AuditFlow {
  readonly from: string;
  readonly to: string;
  /** The ports that changed. */
  readonly ports: PortSet;
  /**
   * The current verdict for one representative port, both sides explained. Absent when an
   * endpoint no longer exists.
   */
  readonly example?:
    { readonly protocol: Protocol; readonly port: number; readonly explanation: FlowVerdict } | undefined;
}

/**
 * The audit of a session against a snapshot.
 *
 * @example
 * const result: AuditResult = auditSnapshot(session, snapshot);
 * const exitCode = result.identical ? 0 : 1;
 */
export interface AuditResult {
  /** No flow changed and no endpoint appeared or disappeared. */
  readonly identical: boolean;
  /** Allowed now, not in the snapshot (listed first: they matter for security). */
  readonly newlyAllowed: readonly AuditFlow[];
  /** In the snapshot, denied now. */
  readonly newlyDenied: readonly AuditFlow[];
  readonly endpointsAdded: readonly string[];
  readonly endpointsRemoved: readonly string[];
}

interface TableChange {
  readonly from: RowRef;
  readonly to: RowRef;
  readonly gained: PortSet;
  readonly lost: PortSet;
}

/** Compare two tables: named pairs by name, address ranges by intersecting both cuts. */
function compareTables(old: Table, cur: Table): TableChange[] {
  const named = (t: Table): Map<string, Row> =>
    new Map(t.rows.filter((r) => rangeKey(r) === undefined).map((r) => [`${r.from.id}\u0000${r.to.id}`, r]));
  const ranged = (t: Table): Map<string, Row[]> => {
    const m = new Map<string, Row[]>();
    for (const r of t.rows) {
      const k = rangeKey(r);
      if (k !== undefined) m.set(k, [...(m.get(k) ?? []), r]);
    }
    return m;
  };
  const out: TableChange[] = [];
  const no = named(old);
  const nc = named(cur);
  for (const key of new Set([...no.keys(), ...nc.keys()])) {
    const a = no.get(key);
    const b = nc.get(key);
    const before = a?.ports ?? NO_PORTS;
    const after = b?.ports ?? NO_PORTS;
    const gained = subtractPortSets(after, before);
    const lost = subtractPortSets(before, after);
    if (!isEmptyPortSet(gained) || !isEmptyPortSet(lost))
      out.push({ from: (a ?? b)!.from, to: (a ?? b)!.to, gained, lost });
  }
  const ro = ranged(old);
  const rc = ranged(cur);
  const asRangeRows = (rows: readonly Row[] | undefined): RangeRow[] =>
    (rows ?? []).map((r) => ({ range: (r.from.range ?? r.to.range)!, ports: r.ports }));
  for (const key of new Set([...ro.keys(), ...rc.keys()])) {
    const [dir, id] = key.split('\u0000') as [string, string];
    for (const c of compareRangeRows(asRangeRows(ro.get(key)), asRangeRows(rc.get(key)))) {
      const range = rangeRef(c.range);
      out.push(dir === 'out' ? { from: { id }, to: range, ...c } : { from: range, to: { id }, ...c });
    }
  }
  return sortRows(out);
}

/** Candidate endpoint pairs of the current session for a row. */
function* candidatePairs(
  groups: ReadonlyMap<string, Group>,
  from: RowRef,
  to: RowRef,
): Generator<[Endpoint, Endpoint]> {
  const members = (r: RowRef): readonly Endpoint[] =>
    r.range !== undefined
      ? [externalEndpoint({ family: r.range.family, value: r.range.start }, r.range)]
      : (groups.get(r.id)?.members ?? []);
  for (const s of members(from))
    for (const d of members(to)) {
      if (s === d) {
        if (hasReplicaPeers(s)) yield [s, otherReplica(s)];
      } else if (isListedPair(s, d)) yield [s, d];
    }
}

function auditFlow(
  session: Session,
  groups: ReadonlyMap<string, Group>,
  c: TableChange,
  ports: PortSet,
  allowed: boolean,
): AuditFlow {
  const flow = { from: c.from.id, to: c.to.id, ports };
  let chosen: [Endpoint, Endpoint] | undefined;
  let port: { protocol: Protocol; port: number } | undefined;
  for (const [s, d] of candidatePairs(groups, c.from, c.to)) {
    port ??= representativePort(ports, d);
    chosen ??= [s, d];
    // Prefer a pair whose current verdict is the one reported.
    if (session.analysis.isAllowed(s, d, port.protocol, port.port) === allowed) {
      chosen = [s, d];
      break;
    }
  }
  if (chosen === undefined || port === undefined) return flow;
  return {
    ...flow,
    example: { ...port, explanation: session.analysis.explain(chosen[0], chosen[1], port.protocol, port.port) },
  };
}

/**
 * Audit a session against a snapshot: the flows allowed now that the snapshot does not allow
 * (newly allowed), those it allows that are denied now (newly denied), and endpoints that
 * appeared or disappeared. Flows from or to an endpoint that appeared or disappeared count as
 * newly allowed or denied. Each flow carries the current explanation for one representative port.
 *
 * @throws {NetreachError} `INVALID_SNAPSHOT` when `snapshot` is not valid (see `error.issues`).
 * @example
 * const result = auditSnapshot(session, parseSnapshot(JSON.parse(text)).snapshot!);
 * if (!result.identical) process.exitCode = 1;
 */
export function auditSnapshot(session: Session, snapshot: Snapshot): AuditResult {
  const old = readSnapshot(snapshot);
  if (old.table === undefined) throw new NetreachError('INVALID_SNAPSHOT', 'invalid snapshot', old.issues);
  const cur = readSnapshot(takeSnapshot(session)).table!;
  const groups = groupsOf(session);
  const changes = compareTables(old.table, cur);
  const newlyAllowed = changes
    .filter((c) => !isEmptyPortSet(c.gained))
    .map((c) => auditFlow(session, groups, c, c.gained, true));
  const newlyDenied = changes
    .filter((c) => !isEmptyPortSet(c.lost))
    .map((c) => auditFlow(session, groups, c, c.lost, false));
  const endpointsAdded = [...cur.endpoints].filter((e) => !old.table!.endpoints.has(e)).sort(compareText);
  const endpointsRemoved = [...old.table.endpoints].filter((e) => !cur.endpoints.has(e)).sort(compareText);
  return {
    identical: changes.length === 0 && endpointsAdded.length === 0 && endpointsRemoved.length === 0,
    newlyAllowed,
    newlyDenied,
    endpointsAdded,
    endpointsRemoved,
  };
}
