/**
 * The data behind the HTML report, computed from a session. Kept compact for large clusters:
 * pods carry a class id, allowed ports live in a class × class table of interned port sets,
 * and explanations are computed once per class pair (pods of the same classes share verdicts)
 * with their text lines interned.
 */
import {
  ALL_PORTS,
  type Endpoint,
  type PodEndpoint,
  type PortSet,
  type Protocol,
  type Session,
  type SideVerdict,
  PROTOCOLS,
  formatPortSet,
  isAllPorts,
  isEmptyPortSet,
  type PolicyGraph,
  policiesSelecting,
  policyGraph,
  podsSelectedBy,
  portSetHas,
  subtractPortSets,
  unionPortSets,
} from '@netreach/core';
import { sideLines } from '../explain.js';

/** Placeholders for the source and destination ids in explanation lines (not valid in names). */
export const SRC_PLACEHOLDER = '{{src}}';
export const DST_PLACEHOLDER = '{{dst}}';

/** Report settings. */
export interface ReportOptions {
  readonly title?: string | undefined;
  /** The manifest paths, shown in the header and in the `netreach check` hint. */
  readonly paths?: readonly string[] | undefined;
  /**
   * Explanations are embedded only when (pod classes)² is at most this (default 40,000);
   * above it the panel shows the `netreach check` command instead.
   */
  readonly maxExplainedPairs?: number | undefined;
  /** netreach version for the footer. */
  readonly version?: string | undefined;
}

/** A policy as listed in the report, with the pod classes it selects. */
export interface ReportPolicy {
  readonly kind: string;
  readonly namespace?: string | undefined;
  readonly name: string;
  readonly tier: string;
  readonly priority: number;
  /** Rule counts per direction; null when the policy does not affect the direction. */
  readonly ingressRules: number | null;
  readonly egressRules: number | null;
  /** Pod classes the policy selects (its subject pods). */
  readonly subjects: number[];
}

/** A pod reachable from addresses outside the cluster. */
export interface OutsideEntry {
  readonly pod: string;
  /** Union of the ports allowed from outside, formatted. */
  readonly ports: string;
  /** The external addresses or ranges allowed in. */
  readonly from: string[];
}

/** Headline numbers. */
export interface ReportSummary {
  readonly namespaces: number;
  readonly pods: number;
  readonly replicas: number;
  readonly policies: number;
  /** Ordered pairs of distinct pods. */
  readonly pairs: number;
  /** Pairs with at least one allowed port. */
  readonly allowedPairs: number;
  /** Pairs with every port allowed. */
  readonly allPortsPairs: number;
  /** Pods no policy selects for ingress / egress. */
  readonly notIsolatedIngress: string[];
  readonly notIsolatedEgress: string[];
  readonly fromOutside: OutsideEntry[];
}

/** `[port text, egress side, ingress side]`, e.g. `['TCP/8080', 3, 4]`. */
export type ReportExample = [string, number, number];

/** A pair whose ports differ from its class pair (node-local ingress): `[src, dst, portSet, allowedEx, deniedEx]`. */
export type ReportOverride = [number, number, number, number, number];

/** Everything the report page needs, embedded as JSON. */
export interface ReportData {
  readonly version: 1;
  readonly title: string;
  readonly paths: string[];
  readonly namespaces: string[];
  /** Pods sorted by namespace then name; parallel arrays. */
  readonly pods: {
    readonly names: string[];
    /** Index into `namespaces`. */
    readonly ns: number[];
    /** Pod class (0 … classCount-1). */
    readonly cls: number[];
    /** Index into `labelSets`. */
    readonly labels: number[];
    /** Index into `strings` of `Kind/name` of the workload, or -1. */
    readonly workload: number[];
    readonly replicas: number[];
  };
  /** Distinct label sets as `key=value` strings. */
  readonly labelSets: string[][];
  /** Interned port sets as formatted by `formatPortSet`; index 0 is `none`. */
  readonly portSets: string[];
  readonly classCount: number;
  /** `cells[src * classCount + dst]`: index into `portSets`. */
  readonly cells: number[];
  readonly overrides: ReportOverride[];
  /** `[allowed 0|1, …line indices]`: one side's explanation (lines use the placeholders). */
  readonly sides: number[][];
  readonly examples: ReportExample[];
  /** Per class pair `[allowed example, denied example]` flattened (-1: none); null when over budget. */
  readonly pairExamples: number[] | null;
  readonly strings: string[];
  readonly policies: ReportPolicy[];
  readonly summary: ReportSummary;
  readonly generator: string;
}

/** Interns values by key into a list. */
class Interner<T> {
  readonly items: T[] = [];
  private readonly index = new Map<string, number>();
  id(key: string, make: () => T): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.items.length;
      this.items.push(make());
      this.index.set(key, i);
    }
    return i;
  }
}

const DEFAULT_MAX_EXPLAINED_PAIRS = 40_000;

function firstPort(p: PortSet): [Protocol, number] | undefined {
  for (const proto of PROTOCOLS) {
    const iv = p[proto][0];
    if (iv !== undefined) return [proto, iv[0]];
  }
  return undefined;
}

/** Numeric ports that rules mention, in protocol order: good representative ports. */
function rulePorts(session: Session): [Protocol, number][] {
  const seen = new Set<string>();
  const out: [Protocol, number][] = [];
  for (const tier of session.pipeline.tiers)
    for (const policy of tier.policies)
      for (const rules of [policy.ingress, policy.egress])
        for (const rule of rules ?? [])
          for (const m of rule.ports ?? [])
            if (m.kind === 'range' && !seen.has(`${m.protocol}/${m.start}`)) {
              seen.add(`${m.protocol}/${m.start}`);
              out.push([m.protocol, m.start]);
            }
  return out.sort((a, b) => PROTOCOLS.indexOf(a[0]) - PROTOCOLS.indexOf(b[0]) || a[1] - b[1]);
}

/** Builds the report data; one instance per report. */
class Builder {
  readonly strings = new Interner<string>();
  readonly sides = new Interner<number[]>();
  readonly examples = new Interner<ReportExample>();
  readonly portSets = new Interner<string>();
  private readonly rulePorts: [Protocol, number][];

  constructor(private readonly session: Session) {
    this.portSets.id('none', () => 'none');
    this.rulePorts = rulePorts(session);
  }

  portSet(p: PortSet): number {
    const text = formatPortSet(p);
    return this.portSets.id(text, () => text);
  }

  private side(s: SideVerdict): number {
    const lines = sideLines(s).map((l) => this.strings.id(l, () => l));
    return this.sides.id(`${s.allowed ? 1 : 0}|${lines.join(',')}`, () => [s.allowed ? 1 : 0, ...lines]);
  }

  private example(src: Endpoint, dst: Endpoint, [protocol, port]: [Protocol, number]): number {
    const v = this.session.analysis.explain(src, dst, protocol, port);
    const text = `${protocol}/${port}`;
    const eg = this.side(v.egress);
    const ig = this.side(v.ingress);
    return this.examples.id(`${text}|${eg}|${ig}`, () => [text, eg, ig]);
  }

  /** An allowed and a denied example port for a pair with allowed ports `p` (-1 where none). */
  examplesFor(src: Endpoint, dst: PodEndpoint, p: PortSet): [number, number] {
    const candidates: [Protocol, number][] = [
      ...dst.pod.ports.map((cp) => [cp.protocol, cp.port] as [Protocol, number]),
      ...this.rulePorts,
    ];
    const pick = (allowed: boolean): [Protocol, number] | undefined =>
      candidates.find(([proto, port]) => portSetHas(p, proto, port) === allowed) ??
      firstPort(allowed ? p : subtractPortSets(ALL_PORTS, p));
    const a = isEmptyPortSet(p) ? undefined : pick(true);
    const d = isAllPorts(p) ? undefined : pick(false);
    return [a !== undefined ? this.example(src, dst, a) : -1, d !== undefined ? this.example(src, dst, d) : -1];
  }
}

function podKey(e: PodEndpoint): string {
  return `${e.pod.namespace}\u0000${e.pod.name}`;
}

/** Whether any policy of any tier selects the pod for a direction (from the policy graph). */
function selectedFor(graph: PolicyGraph, e: PodEndpoint, direction: 'ingress' | 'egress'): boolean {
  return policiesSelecting(graph, e.id, direction).length > 0;
}

/**
 * Compute the report data for a session: pods, the class × class port table, explanations,
 * policies with their subjects, and the summary.
 */
export function buildReportData(session: Session, options: ReportOptions = {}): ReportData {
  const a = session.analysis;
  const b = new Builder(session);
  const pods = a.endpoints
    .filter((e): e is PodEndpoint => e.kind === 'pod')
    .sort((x, y) => (podKey(x) < podKey(y) ? -1 : podKey(x) > podKey(y) ? 1 : 0));
  const N = pods.length;

  // Pod classes, renumbered densely in pod order.
  const classIds = new Map<number, number>();
  const reps: PodEndpoint[] = [];
  const counts: number[] = [];
  const cls = pods.map((p) => {
    const engineClass = a.classOfEndpoint(p)!;
    let c = classIds.get(engineClass);
    if (c === undefined) {
      c = reps.length;
      classIds.set(engineClass, c);
      reps.push(p);
      counts.push(0);
    }
    counts[c]!++;
    return c;
  });
  const K = reps.length;
  const engineClass = [...classIds.keys()];

  const classPorts: PortSet[] = [];
  const cells: number[] = [];
  for (let s = 0; s < K; s++)
    for (let d = 0; d < K; d++) {
      const p = a.classPorts(engineClass[s]!, engineClass[d]!);
      classPorts.push(p);
      cells.push(b.portSet(p));
    }

  // Explanations per class pair, with placeholder ids so that any pod pair of the classes can use them.
  const budget = options.maxExplainedPairs ?? DEFAULT_MAX_EXPLAINED_PAIRS;
  let pairExamples: number[] | null = null;
  if (K * K <= budget) {
    pairExamples = [];
    const asSrc = reps.map((r) => ({ ...r, id: SRC_PLACEHOLDER }));
    // Class pairs carry no pair exemption: without a node, node-local ingress cannot apply
    // (pairs where it does are the overrides below, explained with their real endpoints).
    const asDst = reps.map((r) =>
      r.pod.hostNetwork
        ? { ...r, id: DST_PLACEHOLDER }
        : { ...r, id: DST_PLACEHOLDER, pod: { ...r.pod, nodeName: undefined } },
    );
    for (let s = 0; s < K; s++)
      for (let d = 0; d < K; d++) {
        if (s === d && counts[s] === 1) pairExamples.push(-1, -1);
        else pairExamples.push(...b.examplesFor(asSrc[s]!, asDst[d]!, classPorts[s * K + d]!));
      }
  }

  // Pairs whose ports differ from their class pair: node-local ingress from host-network pods.
  const overrides: ReportOverride[] = [];
  pods.forEach((src, i) => {
    if (!src.pod.hostNetwork) return;
    pods.forEach((dst, j) => {
      if (i === j) return;
      const p = a.portsBetween(src, dst);
      const idx = b.portSet(p);
      if (idx !== cells[cls[i]! * K + cls[j]!]) overrides.push([i, j, idx, ...b.examplesFor(src, dst, p)]);
    });
  });

  // Summary.
  let allowedPairs = 0;
  let allPortsPairs = 0;
  const status = (idx: number): [number, number] => [idx !== 0 ? 1 : 0, b.portSets.items[idx] === 'all' ? 1 : 0];
  for (let s = 0; s < K; s++)
    for (let d = 0; d < K; d++) {
      const n = counts[s]! * counts[d]! - (s === d ? counts[s]! : 0);
      const [any, all] = status(cells[s * K + d]!);
      allowedPairs += any * n;
      allPortsPairs += all * n;
    }
  for (const [i, j, idx] of overrides) {
    const [oldAny, oldAll] = status(cells[cls[i]! * K + cls[j]!]!);
    const [any, all] = status(idx);
    allowedPairs += any - oldAny;
    allPortsPairs += all - oldAll;
  }
  const graph = policyGraph(session);
  const selIn = reps.map((r) => selectedFor(graph, r, 'ingress'));
  const selOut = reps.map((r) => selectedFor(graph, r, 'egress'));
  const externals = a.endpoints.filter((e) => e.kind === 'external');
  const outsideByClass = reps.map((r) => {
    let ports: PortSet = { TCP: [], UDP: [], SCTP: [] };
    const from: string[] = [];
    for (const x of externals) {
      const p = a.portsBetween(x, r);
      if (isEmptyPortSet(p)) continue;
      ports = unionPortSets(ports, p);
      from.push(x.id);
    }
    return { ports, from };
  });
  const fromOutside: OutsideEntry[] = [];
  pods.forEach((p, i) => {
    const o = outsideByClass[cls[i]!]!;
    if (o.from.length > 0) fromOutside.push({ pod: p.id, ports: formatPortSet(o.ports), from: o.from });
  });

  // Namespaces, labels, policies.
  const namespaces = [...new Set(pods.map((p) => p.pod.namespace))];
  const nsIndex = new Map(namespaces.map((n, i) => [n, i]));
  const labelSets = new Interner<string[]>();
  const policies: ReportPolicy[] = [];
  const podIndex = new Map(pods.map((p, i) => [p.id, i]));
  for (const tier of session.pipeline.tiers)
    for (const p of tier.policies)
      policies.push({
        kind: p.ref.kind,
        namespace: p.ref.namespace,
        name: p.ref.name,
        tier: tier.name,
        priority: p.priority,
        ingressRules: p.ingress?.length ?? null,
        egressRules: p.egress?.length ?? null,
        subjects: [...new Set(podsSelectedBy(graph, p.ref).map((id) => cls[podIndex.get(id)!]!))].sort((x, y) => x - y),
      });

  return {
    version: 1,
    title: options.title ?? 'netreach connectivity report',
    paths: [...(options.paths ?? [])],
    namespaces,
    pods: {
      names: pods.map((p) => p.pod.name),
      ns: pods.map((p) => nsIndex.get(p.pod.namespace)!),
      cls,
      labels: pods.map((p) => {
        const set = Object.entries(p.pod.labels)
          .map(([k, v]) => `${k}=${v}`)
          .sort();
        return labelSets.id(set.join('\u0000'), () => set);
      }),
      workload: pods.map((p) => {
        const w = p.pod.workload;
        if (w === undefined) return -1;
        const text = `${w.kind}/${w.name}`;
        return b.strings.id(text, () => text);
      }),
      replicas: pods.map((p) => p.pod.replicas),
    },
    labelSets: labelSets.items,
    portSets: b.portSets.items,
    classCount: K,
    cells,
    overrides,
    sides: b.sides.items,
    examples: b.examples.items,
    pairExamples,
    strings: b.strings.items,
    policies,
    summary: {
      namespaces: Object.keys(session.cluster.namespaces).length,
      pods: N,
      replicas: pods.reduce((n, p) => n + p.pod.replicas, 0),
      policies: policies.length,
      pairs: N * (N - 1),
      allowedPairs,
      allPortsPairs,
      notIsolatedIngress: pods.filter((_, i) => !selIn[cls[i]!]).map((p) => p.id),
      notIsolatedEgress: pods.filter((_, i) => !selOut[cls[i]!]).map((p) => p.id),
      fromOutside,
    },
    generator: `netreach ${options.version ?? ''}`.trim(),
  };
}

/** Pod ids (`namespace/name`) of report data, in report order. */
export function reportPodIds(d: ReportData): string[] {
  return d.pods.names.map((n, i) => `${d.namespaces[d.pods.ns[i]!]!}/${n}`);
}

/** The allowed ports the report shows for pod `i` → pod `j` (formatted; `none` when nothing). */
export function reportPairPorts(d: ReportData, i: number, j: number): string {
  const o = d.overrides.find(([s, t]) => s === i && t === j);
  return d.portSets[o !== undefined ? o[2] : d.cells[d.pods.cls[i]! * d.classCount + d.pods.cls[j]!]!]!;
}

/** An embedded explanation, decoded for one pod pair. */
export interface DecodedExample {
  /** `TCP/8080`. */
  readonly port: string;
  readonly allowed: boolean;
  /** The `sideLines` of each side, with the pair's ids filled in. */
  readonly egress: string[];
  readonly ingress: string[];
}

/** The explanations the report embeds for pod `i` → pod `j`; null when over the budget. */
export function reportPairExamples(d: ReportData, i: number, j: number): DecodedExample[] | null {
  const ids = reportPodIds(d);
  const o = d.overrides.find(([s, t]) => s === i && t === j);
  const k = (d.pods.cls[i]! * d.classCount + d.pods.cls[j]!) * 2;
  if (o === undefined && d.pairExamples === null) return null;
  const pair = o !== undefined ? [o[3], o[4]] : [d.pairExamples![k]!, d.pairExamples![k + 1]!];
  const lines = (side: readonly number[]): string[] =>
    side.slice(1).map((s) => d.strings[s]!.split(SRC_PLACEHOLDER).join(ids[i]!).split(DST_PLACEHOLDER).join(ids[j]!));
  return pair
    .filter((e) => e >= 0)
    .map((e) => {
      const [port, eg, ig] = d.examples[e]!;
      const egress = d.sides[eg]!;
      const ingress = d.sides[ig]!;
      return { port, allowed: egress[0] === 1 && ingress[0] === 1, egress: lines(egress), ingress: lines(ingress) };
    });
}
