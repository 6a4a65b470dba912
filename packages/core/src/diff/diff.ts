/**
 * Connectivity diff between two sessions (two policy sets, or a cluster before and after an edit).
 */
import { type Endpoint, externalEndpoint } from '../engine/endpoints.js';
import type { FlowVerdict } from '../engine/trace.js';
import { NO_PORTS, type PortSet, isEmptyPortSet, subtractPortSets } from '../model/ports.js';
import type { Protocol } from '../model/types.js';
import type { Session } from '../session.js';
import {
  ClassPorts,
  type RangeEndpoint,
  type RangeRow,
  type RowRef,
  compareRangeRows,
  compareRefs,
  compareText,
  hasReplicaPeers,
  isListedPair,
  isPairwise,
  isRangeEndpoint,
  otherReplica,
  rangeRef,
  representativePort,
} from './common.js';

/**
 * One port of a changed set, with the flow explained before and after the change.
 *
 * @example
 * const ex = diff.changes[0]!.gainedExample!;
 * console.log(`${ex.protocol}/${ex.port}:`, ex.before?.ingress.summary, '→', ex.after?.ingress.summary);
 */
export interface FlowChangeExample {
  readonly protocol: Protocol;
  readonly port: number;
  /**
   * Both sides (egress at the source, ingress at the destination) before the change. Absent only
   * for a row between replicas when the workload had a single replica before.
   */
  readonly before?: FlowVerdict | undefined;
  /** Both sides after the change (absent only for replicas, as `before`). */
  readonly after?: FlowVerdict | undefined;
}

/**
 * What changed between two endpoints (or an endpoint and an address range).
 *
 * @example
 * for (const c of diff.changes)
 *   if (!isEmptyPortSet(c.gained)) console.log(`${c.from} → ${c.to} now allows ${formatPortSet(c.gained)}`);
 */
export interface FlowChange {
  /** `namespace/name`, `node/<name>`, an address, an address range, or a domain. */
  readonly from: string;
  readonly to: string;
  /** Ports allowed after but not before. */
  readonly gained: PortSet;
  /** Ports allowed before but not after. */
  readonly lost: PortSet;
  /** Explanation for one representative gained port (absent when nothing was gained or `explain` is off). */
  readonly gainedExample?: FlowChangeExample | undefined;
  /** Explanation for one representative lost port. */
  readonly lostExample?: FlowChangeExample | undefined;
}

/**
 * The connectivity difference between two sessions.
 *
 * @example
 * const diff: ConnectivityDiff = diffSessions(before, after);
 * const unchanged = diff.changes.length === 0 && diff.endpointsAdded.length === 0 && diff.endpointsRemoved.length === 0;
 */
export interface ConnectivityDiff {
  /** Changed pairs, sorted by source then destination (named endpoints first, then address ranges). */
  readonly changes: readonly FlowChange[];
  /** Endpoints (not address ranges) only in the second session. */
  readonly endpointsAdded: readonly string[];
  /** Endpoints only in the first session. */
  readonly endpointsRemoved: readonly string[];
}

/**
 * Options of {@link diffSessions}.
 *
 * @example
 * diffSessions(before, after, { explain: false }); // faster: no explanations
 */
export interface DiffOptions {
  /** Attach before/after explanations for a representative port of each change. Default true. */
  readonly explain?: boolean;
}

/** An endpoint present in both sessions. */
interface Common {
  readonly id: string;
  readonly before: Endpoint;
  readonly after: Endpoint;
}

/** Common endpoints with the same classes in both sessions: they change the same way. */
interface JointClass {
  readonly cb: number;
  readonly ca: number;
  readonly pairwise: boolean;
  readonly members: Common[];
}

/** A change before examples are attached, with the endpoints to explain it on. */
interface RawChange {
  readonly from: RowRef;
  readonly to: RowRef;
  readonly gained: PortSet;
  readonly lost: PortSet;
  /** Endpoints to explain on, before and after ([src, dst]); absent where the flow cannot exist. */
  readonly before: readonly [Endpoint, Endpoint] | undefined;
  readonly after: readonly [Endpoint, Endpoint] | undefined;
}

function jointClasses(common: readonly Common[], pb: ClassPorts, pa: ClassPorts): JointClass[] {
  const byKey = new Map<string, JointClass>();
  for (const c of common) {
    const cb = pb.classOf(c.before);
    const ca = pa.classOf(c.after);
    const key = `${cb}:${ca}`;
    let j = byKey.get(key);
    if (j === undefined) {
      j = { cb, ca, pairwise: isPairwise(c.before) || isPairwise(c.after), members: [] };
      byKey.set(key, j);
    }
    j.members.push(c);
  }
  return [...byKey.values()];
}

/** Connectivity between replicas of one workload pod (empty for a single pod). */
function replicaPorts(e: Endpoint, p: ClassPorts): PortSet {
  if (!hasReplicaPeers(e)) return NO_PORTS;
  const c = p.classOf(e);
  return p.between(c, c);
}

/** Changes between common named endpoints, computed per pair of joint classes. */
function namedChanges(joint: readonly JointClass[], pb: ClassPorts, pa: ClassPorts, out: RawChange[]): void {
  for (const s of joint) {
    for (const d of joint) {
      // Class-level verdicts hold for every pair of members: compare them once, expand if changed.
      const classLevel = s.pairwise ? undefined : changeOf(pb.between(s.cb, d.cb), pa.between(s.ca, d.ca));
      if (!s.pairwise && classLevel === undefined) continue;
      for (const x of s.members)
        for (const y of d.members) {
          if (x.id === y.id || !isListedPair(x.before, y.before) || !isListedPair(x.after, y.after)) continue;
          const ports = classLevel ?? changeOf(pb.pair(x.before, y.before), pa.pair(x.after, y.after));
          if (ports !== undefined)
            out.push({ from: x, to: y, ...ports, before: [x.before, y.before], after: [x.after, y.after] });
        }
    }
    // Replicas of one workload pod talking to each other: a row from the pod to itself.
    for (const x of s.members) {
      const ports = changeOf(replicaPorts(x.before, pb), replicaPorts(x.after, pa));
      if (ports !== undefined)
        out.push({
          from: x,
          to: x,
          ...ports,
          before: hasReplicaPeers(x.before) ? [x.before, otherReplica(x.before)] : undefined,
          after: hasReplicaPeers(x.after) ? [x.after, otherReplica(x.after)] : undefined,
        });
    }
  }
}

/** Gained and lost ports, or undefined when nothing changed. */
function changeOf(before: PortSet, after: PortSet): { gained: PortSet; lost: PortSet } | undefined {
  const gained = subtractPortSets(after, before);
  const lost = subtractPortSets(before, after);
  return isEmptyPortSet(gained) && isEmptyPortSet(lost) ? undefined : { gained, lost };
}

/**
 * Rows between an endpoint class and every address range of a session, one direction. Verdicts
 * with an address range never depend on the pair (no node-local exemption), so classes suffice.
 */
function rangeRows(p: ClassPorts, e: Endpoint, ranges: readonly RangeEndpoint[], outgoing: boolean): RangeRow[] {
  const c = p.classOf(e);
  return ranges.map((r) => ({
    range: r.range,
    ports: outgoing ? p.between(c, p.classOf(r)) : p.between(p.classOf(r), c),
  }));
}

/**
 * Changes between common endpoints and address ranges. The two sessions cut the address space
 * at different CIDRs, so both partitions are intersected (see compareRangeRows).
 */
function rangeChanges(
  joint: readonly JointClass[],
  pb: ClassPorts,
  pa: ClassPorts,
  rangesBefore: readonly RangeEndpoint[],
  rangesAfter: readonly RangeEndpoint[],
  out: RawChange[],
): void {
  for (const j of joint) {
    const first = j.members[0]!;
    if (first.before.kind !== 'pod' && first.before.kind !== 'node') continue;
    for (const outgoing of [true, false]) {
      const changes = compareRangeRows(
        rangeRows(pb, first.before, rangesBefore, outgoing),
        rangeRows(pa, first.after, rangesAfter, outgoing),
      );
      for (const rc of changes) {
        const ref = rangeRef(rc.range);
        const ext = externalEndpoint({ family: rc.range.family, value: rc.range.start }, rc.range);
        for (const m of j.members)
          out.push(
            outgoing
              ? { from: m, to: ref, gained: rc.gained, lost: rc.lost, before: [m.before, ext], after: [m.after, ext] }
              : { from: ref, to: m, gained: rc.gained, lost: rc.lost, before: [ext, m.before], after: [ext, m.after] },
          );
      }
    }
  }
}

function example(before: Session, after: Session, c: RawChange, ports: PortSet): FlowChangeExample {
  const { protocol, port } = representativePort(ports, (c.after ?? c.before)?.[1]);
  const explain = (s: Session, pair: readonly [Endpoint, Endpoint] | undefined): FlowVerdict | undefined =>
    pair && s.analysis.explain(pair[0], pair[1], protocol, port);
  return { protocol, port, before: explain(before, c.before), after: explain(after, c.after) };
}

/**
 * Compare the connectivity of two sessions: for every pair of endpoints present in both (matched
 * by id: `namespace/name`, `node/<name>`, declared addresses, domains) the ports gained and lost,
 * and for address ranges the change per range. The two sessions usually cut the outside address
 * space at different CIDRs; both cuts are intersected, so every address is compared, and
 * neighbouring pieces with the same change are reported as one range. A workload pod with
 * several replicas has a row to itself when the connectivity between its replicas changes.
 * Verdicts come from the class engine (one comparison per pair of classes); explanations from
 * the reference evaluator, for one representative port of each changed set.
 *
 * @example
 * const diff = diffSessions(analyzeCluster(before), analyzeCluster(after));
 * for (const c of diff.changes) console.log(c.from, '→', c.to, formatPortSet(c.gained), formatPortSet(c.lost));
 */
export function diffSessions(before: Session, after: Session, options: DiffOptions = {}): ConnectivityDiff {
  const pb = new ClassPorts(before);
  const pa = new ClassPorts(after);
  const named = (s: Session): Map<string, Endpoint> =>
    new Map(s.analysis.endpoints.filter((e) => !isRangeEndpoint(e)).map((e) => [e.id, e]));
  const nb = named(before);
  const na = named(after);
  const common: Common[] = [];
  for (const [id, e] of na) {
    const b = nb.get(id);
    if (b !== undefined) common.push({ id, before: b, after: e });
  }
  const joint = jointClasses(common, pb, pa);
  const raw: RawChange[] = [];
  namedChanges(joint, pb, pa, raw);
  rangeChanges(
    joint,
    pb,
    pa,
    before.analysis.endpoints.filter(isRangeEndpoint),
    after.analysis.endpoints.filter(isRangeEndpoint),
    raw,
  );
  raw.sort((x, y) => compareRefs(x.from, y.from) || compareRefs(x.to, y.to));
  const explain = options.explain ?? true;
  const changes = raw.map((c): FlowChange => {
    const base = { from: c.from.id, to: c.to.id, gained: c.gained, lost: c.lost };
    if (!explain) return base;
    return {
      ...base,
      gainedExample: isEmptyPortSet(c.gained) ? undefined : example(before, after, c, c.gained),
      lostExample: isEmptyPortSet(c.lost) ? undefined : example(before, after, c, c.lost),
    };
  });
  return {
    changes,
    endpointsAdded: [...na.keys()].filter((id) => !nb.has(id)).sort(compareText),
    endpointsRemoved: [...nb.keys()].filter((id) => !na.has(id)).sort(compareText),
  };
}
