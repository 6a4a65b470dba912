/**
 * The class engine. Endpoints that no subject, peer, named port or CIDR can tell apart form one
 * equivalence class; verdicts are computed once per (subject class, direction) as bitsets over
 * peer classes, per port atom, and expanded to endpoints only when output needs it.
 */
import { type IpAddress, type IpRange, fullRange, parseIp } from '../model/ip.js';
import { ALL_PORTS, type PortSet } from '../model/ports.js';
import { matchesSelector, selectorKeys } from '../model/selector.js';
import type { Cluster, Protocol } from '../model/types.js';
import type { AnalysisOptions } from '../options.js';
import type { Direction, Peer, Tier, TierPipeline } from '../policy/ir.js';
import { PortAtoms } from './atoms.js';
import { wordsFor } from './bitset.js';
import {
  type Endpoint,
  domainEndpoint,
  externalEndpoint,
  isPodNetworkPod,
  isSelectablePod,
  nodeEndpoint,
  nodeNameOf,
  nodesByName,
  podEndpoint,
} from './endpoints.js';
import { namespaceMatches, peerMatches, subjectSelects } from './match.js';
import { type Predicate, PredicateTable } from './predicates.js';
import { evaluateFlow } from './reference.js';
import { RowBuilder } from './rows.js';
import type { FlowVerdict } from './trace.js';

/** Collect the disjoint address ranges cut by every CIDR in the pipeline, per family. */
function cidrAtoms(pipeline: TierPipeline): IpRange[] {
  const cuts: Record<4 | 6, Set<bigint>> = { 4: new Set([0n]), 6: new Set([0n]) };
  const add = (r: IpRange): void => {
    cuts[r.family].add(r.start);
    cuts[r.family].add(r.end + 1n);
  };
  for (const tier of pipeline.tiers)
    for (const policy of tier.policies)
      for (const rules of [policy.ingress, policy.egress])
        for (const rule of rules ?? [])
          for (const peer of rule.peers)
            if (peer.kind === 'ipBlock')
              for (const b of peer.blocks) {
                add(b.range);
                for (const e of b.except) add(e.range);
              }
  const out: IpRange[] = [];
  for (const family of [4, 6] as const) {
    const end = fullRange(family).end + 1n;
    const sorted = [...cuts[family]].filter((c) => c < end).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    sorted.push(end);
    for (let i = 0; i + 1 < sorted.length; i++) out.push({ family, start: sorted[i]!, end: sorted[i + 1]! - 1n });
  }
  return out;
}

/** Every domain name an analysis should show: literal names in policies and mapped names. */
function domainNames(pipeline: TierPipeline, options: AnalysisOptions): string[] {
  const names = new Set<string>(Object.keys(options.domainIps));
  for (const tier of pipeline.tiers)
    for (const policy of tier.policies)
      for (const rule of policy.egress ?? [])
        for (const peer of rule.peers) if (peer.kind === 'domains') for (const n of peer.names) names.add(n);
  return [...names].sort();
}

/** The endpoints an analysis covers: pods, nodes, declared externals, CIDR pieces, domains. */
export function buildEndpoints(cluster: Cluster, pipeline: TierPipeline, options: AnalysisOptions): Endpoint[] {
  const nodes = nodesByName(cluster);
  const out: Endpoint[] = cluster.pods.map((p) => podEndpoint(cluster, p, nodes));
  for (const n of cluster.nodes) out.push(nodeEndpoint(n));
  const seen = new Set(out.map((e) => e.id));
  const push = (e: Endpoint): void => {
    if (!seen.has(e.id)) {
      seen.add(e.id);
      out.push(e);
    }
  };
  for (const x of cluster.externals) {
    const ip = parseIp(x.ip);
    if (ip !== undefined) push(externalEndpoint(ip, undefined, x.name));
  }
  for (const range of cidrAtoms(pipeline)) push(externalEndpoint({ family: range.family, value: range.start }, range));
  for (const name of domainNames(pipeline, options)) push(domainEndpoint(name, options.domainIps[name] ?? []));
  return out;
}

function labelsKey(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/** Label keys that some selector looks at; other labels (pod-template-hash, pod names) never matter. */
interface RelevantKeys {
  readonly pod: ReadonlySet<string>;
  readonly node: ReadonlySet<string>;
}

function projectedLabels(labels: Readonly<Record<string, string>>, keys: ReadonlySet<string>): string {
  return Object.keys(labels)
    .filter((k) => keys.has(k))
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/**
 * What a selector-based predicate can see of an endpoint: everything but its IPs and name,
 * with labels projected onto the keys some selector references.
 */
function shapeKey(e: Endpoint, keys: RelevantKeys): string {
  switch (e.kind) {
    case 'pod': {
      const p = e.pod;
      const ports = p.ports.map((cp) => `${cp.name ?? ''}:${cp.protocol}:${cp.port}`).join(',');
      const node = p.hostNetwork
        ? `${p.nodeName ?? ''}@${e.node !== undefined ? projectedLabels(e.node.labels, keys.node) : ''}`
        : '';
      return `p|${p.hostNetwork ? 1 : 0}|${p.namespace}|${projectedLabels(p.labels, keys.pod)}|${ports}|${node}`;
    }
    case 'node':
      return `n|${projectedLabels(e.node.labels, keys.node)}`;
    case 'external':
      return 'x';
    case 'domain':
      return `d|${e.name}`;
  }
}

function relevantKeys(pipeline: TierPipeline): RelevantKeys {
  const pod = new Set<string>();
  const node = new Set<string>();
  for (const tier of pipeline.tiers)
    for (const policy of tier.policies) {
      for (const k of selectorKeys(policy.subject.pods)) pod.add(k);
      for (const rules of [policy.ingress, policy.egress])
        for (const rule of rules ?? [])
          for (const peer of rule.peers) {
            if (peer.kind === 'pods') for (const k of selectorKeys(peer.pods)) pod.add(k);
            if (peer.kind === 'nodes') for (const k of selectorKeys(peer.selector)) node.add(k);
          }
    }
  return { pod, node };
}

/** Classes never mix kinds of endpoint (pods, host-network pods, nodes, externals, domains). */
function kindTag(e: Endpoint): string {
  return e.kind === 'pod' ? (e.pod.hostNetwork ? 'h' : 'p') : e.kind;
}

/** An interval of addresses with the ipBlock predicates that hold all of it. */
interface IpAtom {
  readonly family: 4 | 6;
  readonly start: bigint;
  readonly preds: number[];
}

/**
 * Optional callbacks to observe the analysis (the core has no clock: a caller that wants
 * timings reads its own clock in `phase`). Each call marks the END of the named phase.
 */
export interface AnalysisHooks {
  phase?(name: 'compile' | 'endpoints' | 'predicates' | 'shapes' | 'classes' | 'atoms' | 'rows'): void;
}

/** Result of analysing a cluster under a pipeline. Immutable once built. */
export class Analysis {
  readonly endpoints: readonly Endpoint[];
  /** Class of each endpoint (same index as `endpoints`). */
  readonly classOf: Int32Array;
  readonly classCount: number;
  /** A representative endpoint index per class. */
  readonly representatives: readonly number[];
  readonly atoms: PortAtoms;
  readonly pipeline: TierPipeline;
  readonly options: AnalysisOptions;
  /** @internal */
  readonly predicates: PredicateTable;
  /** @internal predicate ids each class satisfies, ascending. */
  readonly classPredicates: readonly Int32Array[];
  /** @internal classes each predicate holds for. */
  readonly predicateClasses: readonly number[][];
  /** @internal */
  readonly namedPorts: readonly string[];
  private readonly words: number;
  private readonly rows: RowBuilder;
  private readonly index: Map<string, number>;
  private readonly signatures: Map<string, number>;
  private readonly ipAtoms: Record<4 | 6, IpAtom[]>;

  constructor(cluster: Cluster, pipeline: TierPipeline, options: AnalysisOptions, hooks: AnalysisHooks = {}) {
    this.pipeline = pipeline;
    this.options = options;
    this.endpoints = buildEndpoints(cluster, pipeline, options);
    this.index = new Map(this.endpoints.map((e, i) => [e.id, i]));
    hooks.phase?.('endpoints');
    this.predicates = new PredicateTable(pipeline);
    hooks.phase?.('predicates');
    const preds = this.predicates.list;

    const named = new Set<string>();
    for (const tier of pipeline.tiers)
      for (const policy of tier.policies)
        for (const rules of [policy.ingress, policy.egress])
          for (const rule of rules ?? []) for (const m of rule.ports ?? []) if (m.kind === 'named') named.add(m.name);
    this.namedPorts = [...named].sort();

    // 1. Shapes: endpoints grouped by everything but IPs; selector predicates are evaluated per shape.
    const shapeOf = new Int32Array(this.endpoints.length);
    const shapeReps: Endpoint[] = [];
    const shapeIndex = new Map<string, number>();
    const keys = relevantKeys(pipeline);
    this.endpoints.forEach((e, i) => {
      const key = shapeKey(e, keys);
      let s = shapeIndex.get(key);
      if (s === undefined) {
        s = shapeReps.length;
        shapeIndex.set(key, s);
        shapeReps.push(e);
      }
      shapeOf[i] = s;
    });
    const shapePreds = this.evaluateShapes(shapeReps, preds, cluster);
    hooks.phase?.('shapes');

    // 2. IP atoms for ipBlock predicates.
    this.ipAtoms = this.buildIpAtoms(preds);

    // 3. Classes by signature.
    this.signatures = new Map();
    this.classOf = new Int32Array(this.endpoints.length);
    const reps: number[] = [];
    const classPreds: Int32Array[] = [];
    const shapeSigs = shapeReps.map((rep, s) => `${kindTag(rep)}#${shapePreds[s]!.join(',')}#${this.namedSignature(rep)}`);
    this.endpoints.forEach((e, i) => {
      const ipPreds = this.ipPredicates(e);
      const s = shapeOf[i]!;
      const sig = ipPreds.length === 0 ? shapeSigs[s]! : `${shapeSigs[s]!}#${ipPreds.join(',')}`;
      let c = this.signatures.get(sig);
      if (c === undefined) {
        c = reps.length;
        this.signatures.set(sig, c);
        reps.push(i);
        const all = ipPreds.length === 0 ? shapePreds[s]! : [...shapePreds[s]!, ...ipPreds].sort((a, b) => a - b);
        classPreds.push(Int32Array.from(all));
      }
      this.classOf[i] = c;
    });
    this.representatives = reps;
    this.classCount = reps.length;
    this.classPredicates = classPreds;
    this.words = wordsFor(this.classCount);
    const predClasses: number[][] = preds.map(() => []);
    classPreds.forEach((list, c) => {
      for (const p of list) predClasses[p]!.push(c);
    });
    this.predicateClasses = predClasses;
    hooks.phase?.('classes');

    // 4. Port atoms, cut at every numeric bound and every resolved named port.
    const cuts: Record<Protocol, number[]> = { TCP: [], UDP: [], SCTP: [] };
    for (const tier of pipeline.tiers)
      for (const policy of tier.policies)
        for (const rules of [policy.ingress, policy.egress])
          for (const rule of rules ?? [])
            for (const m of rule.ports ?? []) if (m.kind === 'range') cuts[m.protocol].push(m.start, m.end + 1);
    for (const rep of reps) {
      const e = this.endpoints[rep]!;
      if (e.kind === 'pod')
        for (const cp of e.pod.ports)
          if (cp.name !== undefined && named.has(cp.name)) cuts[cp.protocol].push(cp.port, cp.port + 1);
    }
    this.atoms = new PortAtoms(cuts);
    hooks.phase?.('atoms');

    // 5. Rows.
    this.rows = new RowBuilder(this);
    hooks.phase?.('rows');
  }

  /** Evaluate the selector-based predicates on each shape, pruning candidates with indexes. */
  private evaluateShapes(shapes: readonly Endpoint[], preds: readonly Predicate[], cluster: Cluster): number[][] {
    const out: number[][] = shapes.map(() => []);
    const byNamespace = new Map<string, number[]>();
    const byNsLabel = new Map<string, number[]>();
    const nodeLike: number[] = [];
    const domains: number[] = [];
    const all: number[] = [];
    const push = (m: Map<string, number[]>, k: string, v: number): void => {
      const l = m.get(k);
      if (l === undefined) m.set(k, [v]);
      else l.push(v);
    };
    shapes.forEach((e, s) => {
      all.push(s);
      if (e.kind === 'pod') {
        push(byNamespace, e.pod.namespace, s);
        for (const [k, v] of Object.entries(e.pod.labels)) push(byNsLabel, `${e.pod.namespace}\u0000${k}=${v}`, s);
        if (e.pod.hostNetwork) nodeLike.push(s);
      } else if (e.kind === 'node') nodeLike.push(s);
      else if (e.kind === 'domain') domains.push(s);
    });
    const nsMatchCache = new Map<string, string[]>();
    const namespacesMatching = (m: Extract<Predicate, { kind: 'peer' }>['peer'] & { kind: 'pods' }): string[] => {
      if (m.namespaces.kind === 'name') return [m.namespaces.name];
      const sel = m.namespaces.selector;
      const key = JSON.stringify(sel);
      let r = nsMatchCache.get(key);
      if (r === undefined) {
        r = Object.values(cluster.namespaces)
          .filter((ns) => matchesSelector(sel, ns.labels))
          .map((ns) => ns.name);
        // Pods can live in namespaces the model synthesised; cover them too.
        for (const ns of byNamespace.keys())
          if (cluster.namespaces[ns] === undefined && namespaceMatches(m.namespaces, ns, { 'kubernetes.io/metadata.name': ns }))
            r.push(ns);
        nsMatchCache.set(key, r);
      }
      return r;
    };
    const podCandidates = (peer: Extract<Peer, { kind: 'pods' }>): readonly number[] => {
      const first = peer.pods.matchLabels[0];
      const namespaces = namespacesMatching(peer);
      const from = (ns: string): readonly number[] =>
        (first !== undefined ? byNsLabel.get(`${ns}\u0000${first[0]}=${first[1]}`) : byNamespace.get(ns)) ?? [];
      if (namespaces.length === 1) return from(namespaces[0]!);
      const list: number[] = [];
      for (const ns of namespaces) for (const x of from(ns)) list.push(x);
      return list;
    };
    for (const p of preds) {
      let candidates: readonly number[];
      let test: (e: Endpoint) => boolean;
      if (p.kind === 'subject') {
        const subj = p.policy.subject;
        candidates = podCandidates({ kind: 'pods', namespaces: subj.namespaces, pods: subj.pods });
        const tier = { selectsHostNetworkPods: p.hn } as Tier;
        test = (e) => subjectSelects(tier, p.policy, e);
      } else {
        const peer = p.peer;
        if (peer.kind === 'ipBlock') continue; // evaluated per address
        candidates =
          peer.kind === 'pods' ? podCandidates(peer) : peer.kind === 'nodes' ? nodeLike : peer.kind === 'domains' ? domains : all;
        test = (e) => peerMatches(peer, e, p.hn);
      }
      // Candidate lists hold each shape at most once (namespaces are distinct).
      for (const s of candidates) if (test(shapes[s]!)) out[s]!.push(p.id);
    }
    for (const l of out) l.sort((a, b) => a - b);
    return out;
  }

  private buildIpAtoms(preds: readonly Predicate[]): Record<4 | 6, IpAtom[]> {
    const ipPreds = preds.filter(
      (p): p is Extract<Predicate, { kind: 'peer' }> => p.kind === 'peer' && p.peer.kind === 'ipBlock',
    );
    const result: Record<4 | 6, IpAtom[]> = { 4: [], 6: [] };
    if (ipPreds.length === 0) return result;
    for (const family of [4, 6] as const) {
      const cuts = new Set<bigint>([0n]);
      for (const p of ipPreds)
        if (p.peer.kind === 'ipBlock')
          for (const b of p.peer.blocks)
            if (b.range.family === family) {
              cuts.add(b.range.start);
              cuts.add(b.range.end + 1n);
              for (const e of b.except) {
                cuts.add(e.range.start);
                cuts.add(e.range.end + 1n);
              }
            }
      const end = fullRange(family).end + 1n;
      const sorted = [...cuts].filter((c) => c < end).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const atoms: IpAtom[] = sorted.map((start) => ({ family, start, preds: [] }));
      // Each atom lies wholly inside or outside every block and except, so its start decides.
      for (const p of ipPreds) {
        if (p.peer.kind !== 'ipBlock') continue;
        for (const atom of atoms) {
          const ip: IpAddress = { family, value: atom.start };
          if (peerMatches(p.peer, { kind: 'external', id: '', ip }, p.hn)) atom.preds.push(p.id);
        }
      }
      result[family] = atoms;
    }
    return result;
  }

  /** ipBlock predicates an endpoint satisfies, ascending. */
  private ipPredicates(e: Endpoint): number[] {
    const ips = e.kind === 'external' ? [e.ip] : e.ips;
    if (ips.length === 0) return [];
    const out = new Set<number>();
    for (const ip of ips) {
      const atoms = this.ipAtoms[ip.family];
      if (atoms.length === 0) continue;
      let lo = 0;
      let hi = atoms.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (atoms[mid]!.start <= ip.value) lo = mid;
        else hi = mid - 1;
      }
      for (const pid of atoms[lo]!.preds) {
        const p = this.predicates.list[pid]!;
        if (p.kind !== 'peer' || p.peer.kind !== 'ipBlock') continue;
        if (isSelectablePod(e, p.hn) && !p.peer.matchesPodIps) continue;
        out.add(pid);
      }
    }
    return [...out].sort((a, b) => a - b);
  }

  private namedSignature(e: Endpoint): string {
    if (e.kind !== 'pod' || this.namedPorts.length === 0) return '';
    return this.namedPorts
      .map((n) =>
        e.pod.ports
          .filter((cp) => cp.name === n)
          .map((cp) => `${cp.protocol}:${cp.port}`)
          .sort()
          .join('+'),
      )
      .join('|');
  }

  /** Signature of an arbitrary endpoint, by evaluating every predicate (slow path). */
  private slowSignature(e: Endpoint): string {
    const preds: number[] = [];
    const ipPreds: number[] = [];
    for (const p of this.predicates.list) {
      if (p.kind === 'subject') {
        if (subjectSelects({ selectsHostNetworkPods: p.hn } as Tier, p.policy, e)) preds.push(p.id);
      } else if (p.peer.kind === 'ipBlock') {
        if (peerMatches(p.peer, e, p.hn)) ipPreds.push(p.id);
      } else if (peerMatches(p.peer, e, p.hn)) preds.push(p.id);
    }
    const base = `${kindTag(e)}#${preds.join(',')}#${this.namedSignature(e)}`;
    return ipPreds.length === 0 ? base : `${base}#${ipPreds.join(',')}`;
  }

  /** @internal */
  get wordCount(): number {
    return this.words;
  }

  /** Index of an endpoint by id (`ns/pod`, `node/name`, an address or range, a domain). */
  indexOf(id: string): number | undefined {
    return this.index.get(id);
  }

  /** Class of an endpoint that may not be in `endpoints` (an arbitrary address or domain). */
  classOfEndpoint(e: Endpoint): number | undefined {
    const i = this.index.get(e.id);
    if (i !== undefined && this.endpoints[i] === e) return this.classOf[i];
    if (i !== undefined && e.kind === 'pod') return this.classOf[i];
    return this.signatures.get(this.slowSignature(e));
  }

  /** @internal the representative endpoint of a class. */
  endpointOfClass(c: number): Endpoint {
    return this.endpoints[this.representatives[c]!]!;
  }

  /** Whether one side allows a class pair on an atom. */
  sideAllowed(direction: Direction, srcClass: number, dstClass: number, atom: number): boolean {
    return direction === 'egress'
      ? this.rows.allows('egress', srcClass, atom, dstClass)
      : this.rows.allows('ingress', dstClass, atom, srcClass);
  }

  /** Whether the class-level flow (src class → dst class) is allowed on an atom. */
  classAllowed(srcClass: number, dstClass: number, atom: number): boolean {
    return this.rows.allows('egress', srcClass, atom, dstClass) && this.rows.allows('ingress', dstClass, atom, srcClass);
  }

  /** Allowed ports from one class to another (class level, before pair exemptions). */
  classPorts(srcClass: number, dstClass: number): PortSet {
    return this.atoms.toPortSet((a) => this.classAllowed(srcClass, dstClass, a));
  }

  /**
   * Peer classes a subject class allows on an atom for a direction, as a bitset (null: all).
   * @internal
   */
  rowBits(direction: Direction, subjectClass: number, atom: number): Uint32Array | null {
    return this.rows.bits(direction, subjectClass, atom);
  }

  private pairExemption(src: Endpoint, dst: Endpoint): 'self' | 'node-local' | undefined {
    if (src.kind === 'pod' && dst.kind === 'pod' && src.id === dst.id) return 'self';
    if (
      this.options.nodeLocalIngress &&
      isPodNetworkPod(dst) &&
      dst.pod.nodeName !== undefined &&
      (src.kind === 'node' || (src.kind === 'pod' && src.pod.hostNetwork)) &&
      nodeNameOf(src) === dst.pod.nodeName
    )
      return 'node-local';
    return undefined;
  }

  /** Allowed ports between two endpoints, exemptions (self, node-local ingress) included. */
  portsBetween(src: Endpoint, dst: Endpoint): PortSet {
    const ex = this.pairExemption(src, dst);
    if (ex === 'self') return ALL_PORTS;
    const s = this.classOfEndpoint(src);
    const d = this.classOfEndpoint(dst);
    if (s === undefined || d === undefined) return this.referencePorts(src, dst);
    if (ex === 'node-local') return this.atoms.toPortSet((a) => this.rows.allows('egress', s, a, d));
    return this.classPorts(s, d);
  }

  /** Whether a flow is allowed (class engine, exemptions included). */
  isAllowed(src: Endpoint, dst: Endpoint, protocol: Protocol, port: number): boolean {
    const ex = this.pairExemption(src, dst);
    if (ex === 'self') return true;
    const s = this.classOfEndpoint(src);
    const d = this.classOfEndpoint(dst);
    if (s === undefined || d === undefined) return evaluateFlow(this.pipeline, src, dst, protocol, port, this.options).allowed;
    const a = this.atoms.indexOf(protocol, port);
    if (ex === 'node-local') return this.rows.allows('egress', s, a, d);
    return this.classAllowed(s, d, a);
  }

  /** The verdict with both sides explained (reference evaluator over the same pipeline). */
  explain(src: Endpoint, dst: Endpoint, protocol: Protocol, port: number): FlowVerdict {
    return evaluateFlow(this.pipeline, src, dst, protocol, port, this.options);
  }

  private referencePorts(src: Endpoint, dst: Endpoint): PortSet {
    return this.atoms.toPortSet((a) => {
      const atom = this.atoms.atoms[a]!;
      return evaluateFlow(this.pipeline, src, dst, atom.protocol, atom.start, this.options).allowed;
    });
  }

  /** Number of distinct peer bitsets stored (memory grows with these, not with pods²). */
  get storedBitsets(): number {
    return this.rows.poolSize;
  }
}

/** Build the analysis of a cluster. */
export function analyze(
  cluster: Cluster,
  pipeline: TierPipeline,
  options: AnalysisOptions,
  hooks: AnalysisHooks = {},
): Analysis {
  return new Analysis(cluster, pipeline, options, hooks);
}

