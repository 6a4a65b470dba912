/**
 * The class engine. Endpoints that no selector, named port or CIDR can tell apart form one
 * equivalence class; verdicts are computed once per (subject class, direction) as bitsets over
 * (port atom × peer class), and expanded to endpoints only when output needs it.
 */
import { type IpAddress, type IpRange, fullRange, parseIp } from '../model/ip.js';
import { ALL_PORTS, type PortSet } from '../model/ports.js';
import { selectorKey } from '../model/selector.js';
import type { Cluster, Protocol } from '../model/types.js';
import type { AnalysisOptions } from '../options.js';
import type { CompiledPolicy, Direction, NamespaceMatch, Peer, PortMatch, Rule, Tier, TierPipeline } from '../policy/ir.js';
import { PortAtoms } from './atoms.js';
import { fullBitset, hasBit, setBit, wordsFor } from './bitset.js';
import {
  type Endpoint,
  domainEndpoint,
  externalEndpoint,
  isPodNetworkPod,
  nodeEndpoint,
  nodeNameOf,
  nodesByName,
  podEndpoint,
} from './endpoints.js';
import { peerMatches, subjectSelects } from './match.js';
import { evaluateFlow } from './reference.js';
import type { FlowVerdict } from './trace.js';

function nsKey(m: NamespaceMatch): string {
  return m.kind === 'name' ? `name:${m.name}` : `sel:${selectorKey(m.selector)}`;
}

function peerKey(p: Peer): string {
  switch (p.kind) {
    case 'all':
      return 'all';
    case 'pods':
      return `pods|${nsKey(p.namespaces)}|${selectorKey(p.pods)}`;
    case 'ipBlock':
      return `ip|${p.matchesPodIps}|${p.blocks.map((b) => `${b.cidr}-${b.except.map((e) => e.cidr).join('+')}`).join(',')}`;
    case 'nodes':
      return `nodes|${selectorKey(p.selector)}`;
    case 'domains':
      return `dom|${[...p.names].sort().join(',')}`;
  }
}

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
  for (const x of cluster.externals) {
    const e = externalEndpoint(parseExternalIp(x.ip), undefined, x.name);
    if (!seen.has(e.id)) {
      seen.add(e.id);
      out.push(e);
    }
  }
  for (const range of cidrAtoms(pipeline)) {
    const e = externalEndpoint({ family: range.family, value: range.start }, range);
    if (!seen.has(e.id)) {
      seen.add(e.id);
      out.push(e);
    }
  }
  for (const name of domainNames(pipeline, options)) out.push(domainEndpoint(name, options.domainIps[name] ?? []));
  return out;
}

function parseExternalIp(text: string): IpAddress {
  // Declared externals are validated by the loader; fall back to 0.0.0.0 defensively.
  return parseIp(text) ?? { family: 4, value: 0n };
}

interface RulePiece {
  readonly mask: Uint32Array;
  readonly atoms: readonly number[];
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
  private readonly words: number;
  /** Per direction and subject class: allowed bits over (atom × peer class); null = allows all. */
  private readonly rows: Record<Direction, (Uint32Array | null)[]>;
  private readonly index: Map<string, number>;
  private readonly signatures: Map<string, number>;
  private readonly namedPorts: readonly string[];
  private readonly predicates: Map<string, number>;

  constructor(cluster: Cluster, pipeline: TierPipeline, options: AnalysisOptions) {
    this.pipeline = pipeline;
    this.options = options;
    this.endpoints = buildEndpoints(cluster, pipeline, options);
    this.index = new Map(this.endpoints.map((e, i) => [e.id, i]));

    // 1. Predicates: every distinct subject and peer, keyed with the tier's host-network rule.
    this.predicates = new Map();
    const named = new Set<string>();
    for (const tier of pipeline.tiers) {
      const hn = tier.selectsHostNetworkPods;
      for (const policy of tier.policies) {
        this.predicateId(`S|${hn}|${nsKey(policy.subject.namespaces)}|${selectorKey(policy.subject.pods)}`);
        for (const rules of [policy.ingress, policy.egress])
          for (const rule of rules ?? []) {
            for (const peer of rule.peers) this.predicateId(`P|${hn}|${peerKey(peer)}`);
            for (const m of rule.ports ?? []) if (m.kind === 'named') named.add(m.name);
          }
      }
    }
    this.namedPorts = [...named].sort();

    // 2. Classes by signature.
    this.signatures = new Map();
    this.classOf = new Int32Array(this.endpoints.length);
    const reps: number[] = [];
    this.endpoints.forEach((e, i) => {
      const sig = this.signature(e);
      let c = this.signatures.get(sig);
      if (c === undefined) {
        c = reps.length;
        this.signatures.set(sig, c);
        reps.push(i);
      }
      this.classOf[i] = c;
    });
    this.representatives = reps;
    this.classCount = reps.length;
    this.words = wordsFor(this.classCount);

    // 3. Port atoms, cut at every numeric bound and every resolved named port.
    const cuts: Record<Protocol, number[]> = { TCP: [], UDP: [], SCTP: [] };
    for (const tier of pipeline.tiers)
      for (const policy of tier.policies)
        for (const rules of [policy.ingress, policy.egress])
          for (const rule of rules ?? [])
            for (const m of rule.ports ?? [])
              if (m.kind === 'range') cuts[m.protocol].push(m.start, m.end + 1);
    for (const rep of reps) {
      const e = this.endpoints[rep]!;
      if (e.kind === 'pod')
        for (const cp of e.pod.ports)
          if (cp.name !== undefined && named.has(cp.name)) cuts[cp.protocol].push(cp.port, cp.port + 1);
    }
    this.atoms = new PortAtoms(cuts);

    // 4. Rows.
    this.rows = { ingress: [], egress: [] };
    const ctx = new RowContext(this);
    for (let c = 0; c < this.classCount; c++) {
      for (const d of ['egress', 'ingress'] as const) this.rows[d].push(ctx.row(c, d));
    }
  }

  private predicateId(key: string): number {
    let id = this.predicates.get(key);
    if (id === undefined) {
      id = this.predicates.size;
      this.predicates.set(key, id);
    }
    return id;
  }

  /** The predicates an endpoint satisfies, plus its kind and named-port resolutions. */
  private signature(e: Endpoint): string {
    const parts: string[] = [e.kind === 'pod' ? (e.pod.hostNetwork ? 'h' : 'p') : e.kind];
    const matched: number[] = [];
    for (const tier of this.pipeline.tiers) {
      const hn = tier.selectsHostNetworkPods;
      for (const policy of tier.policies) {
        const sid = this.predicates.get(
          `S|${hn}|${nsKey(policy.subject.namespaces)}|${selectorKey(policy.subject.pods)}`,
        )!;
        if (subjectSelects(tier, policy, e)) matched.push(sid);
        for (const rules of [policy.ingress, policy.egress])
          for (const rule of rules ?? [])
            for (const peer of rule.peers) {
              const pid = this.predicates.get(`P|${hn}|${peerKey(peer)}`)!;
              if (peerMatches(peer, e, hn)) matched.push(pid);
            }
      }
    }
    parts.push([...new Set(matched)].sort((a, b) => a - b).join(','));
    if (e.kind === 'pod')
      for (const n of this.namedPorts)
        parts.push(
          e.pod.ports
            .filter((cp) => cp.name === n)
            .map((cp) => `${cp.protocol}:${cp.port}`)
            .sort()
            .join('+'),
        );
    return parts.join('|');
  }

  /** @internal used by RowContext. */
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
    if (i !== undefined) return this.classOf[i];
    return this.signatures.get(this.signature(e));
  }

  private bit(direction: Direction, subject: number, atom: number, peer: number): boolean {
    const row = this.rows[direction][subject];
    return row === null || row === undefined || hasBit(row, peer, atom * this.words);
  }

  /** Whether the class-level flow (src class → dst class) is allowed on an atom. */
  classAllowed(srcClass: number, dstClass: number, atom: number): boolean {
    return this.bit('egress', srcClass, atom, dstClass) && this.bit('ingress', dstClass, atom, srcClass);
  }

  /** Allowed ports from one class to another (class level, before pair exemptions). */
  classPorts(srcClass: number, dstClass: number): PortSet {
    return this.atoms.toPortSet((a) => this.classAllowed(srcClass, dstClass, a));
  }

  /** Whether one side allows a class pair on an atom. */
  sideAllowed(direction: Direction, srcClass: number, dstClass: number, atom: number): boolean {
    return direction === 'egress'
      ? this.bit('egress', srcClass, atom, dstClass)
      : this.bit('ingress', dstClass, atom, srcClass);
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
    if (ex === 'node-local') return this.atoms.toPortSet((a) => this.bit('egress', s, a, d));
    return this.classPorts(s, d);
  }

  /** Whether a flow is allowed (class engine, exemptions included). */
  isAllowed(src: Endpoint, dst: Endpoint, protocol: Protocol, port: number): boolean {
    const ex = this.pairExemption(src, dst);
    if (ex === 'self') return true;
    const s = this.classOfEndpoint(src);
    const d = this.classOfEndpoint(dst);
    if (s === undefined || d === undefined)
      return evaluateFlow(this.pipeline, src, dst, protocol, port, this.options).allowed;
    const a = this.atoms.indexOf(protocol, port);
    if (ex === 'node-local') return this.bit('egress', s, a, d);
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

  /** @internal */
  endpointOfClass(c: number): Endpoint {
    return this.endpoints[this.representatives[c]!]!;
  }

  /** @internal predicate bitset over classes, computed lazily by RowContext. */
  predicateKeyForPeer(tier: Tier, peer: Peer): string {
    return `P|${tier.selectsHostNetworkPods}|${peerKey(peer)}`;
  }
}

/** Computes the rows of an analysis; holds per-build caches. */
class RowContext {
  private readonly a: Analysis;
  private readonly peerMasks = new Map<string, Uint32Array>();
  private readonly namedGroups = new Map<string, { mask: Uint32Array; ports: readonly (readonly [Protocol, number])[] }[]>();
  private readonly all: Uint32Array;

  constructor(a: Analysis) {
    this.a = a;
    this.all = fullBitset(a.classCount);
  }

  private peerMask(tier: Tier, peer: Peer): Uint32Array {
    const key = this.a.predicateKeyForPeer(tier, peer);
    let m = this.peerMasks.get(key);
    if (m === undefined) {
      m = new Uint32Array(this.a.wordCount);
      for (let c = 0; c < this.a.classCount; c++)
        if (peerMatches(peer, this.a.endpointOfClass(c), tier.selectsHostNetworkPods)) setBit(m, c);
      this.peerMasks.set(key, m);
    }
    return m;
  }

  private ruleMask(tier: Tier, rule: Rule): Uint32Array {
    const m = new Uint32Array(this.a.wordCount);
    for (const peer of rule.peers) {
      const pm = this.peerMask(tier, peer);
      for (let w = 0; w < m.length; w++) m[w]! |= pm[w]!;
    }
    return m;
  }

  /** Classes grouped by how they resolve a named port. */
  private groups(name: string): { mask: Uint32Array; ports: readonly (readonly [Protocol, number])[] }[] {
    let g = this.namedGroups.get(name);
    if (g === undefined) {
      const byKey = new Map<string, { mask: Uint32Array; ports: (readonly [Protocol, number])[] }>();
      for (let c = 0; c < this.a.classCount; c++) {
        const e = this.a.endpointOfClass(c);
        const ports = e.kind === 'pod' ? e.pod.ports.filter((cp) => cp.name === name).map((cp) => [cp.protocol, cp.port] as const) : [];
        const key = ports.map(([p, n]) => `${p}:${n}`).join('+');
        let entry = byKey.get(key);
        if (entry === undefined) {
          entry = { mask: new Uint32Array(this.a.wordCount), ports };
          byKey.set(key, entry);
        }
        setBit(entry.mask, c);
      }
      g = [...byKey.values()];
      this.namedGroups.set(name, g);
    }
    return g;
  }

  private namedAtoms(m: Extract<PortMatch, { kind: 'named' }>, ports: readonly (readonly [Protocol, number])[]): number[] {
    const out: number[] = [];
    for (const [p, n] of ports) if (m.protocol === null || m.protocol === p) out.push(this.a.atoms.indexOf(p, n));
    return out;
  }

  /** The (peer mask, atoms) pieces where a rule matches, for a subject class and direction. */
  private pieces(tier: Tier, rule: Rule, subject: number, direction: Direction): RulePiece[] {
    const mask = this.ruleMask(tier, rule);
    if (rule.ports === null) return [{ mask, atoms: this.a.atoms.atoms.map((_, i) => i) }];
    const out: RulePiece[] = [];
    const numeric: number[] = [];
    for (const m of rule.ports) {
      if (m.kind === 'range') numeric.push(...this.a.atoms.range(m.protocol, m.start, m.end));
      else if (direction === 'ingress') {
        // The destination is the subject itself.
        const e = this.a.endpointOfClass(subject);
        const ports = e.kind === 'pod' ? e.pod.ports.filter((cp) => cp.name === m.name).map((cp) => [cp.protocol, cp.port] as const) : [];
        const atoms = this.namedAtoms(m, ports);
        if (atoms.length > 0) out.push({ mask, atoms });
      } else {
        for (const g of this.groups(m.name)) {
          const atoms = this.namedAtoms(m, g.ports);
          if (atoms.length === 0) continue;
          const gm = new Uint32Array(mask.length);
          for (let w = 0; w < gm.length; w++) gm[w] = mask[w]! & g.mask[w]!;
          out.push({ mask: gm, atoms });
        }
      }
    }
    if (numeric.length > 0) out.push({ mask, atoms: [...new Set(numeric)] });
    return out;
  }

  row(subject: number, direction: Direction): Uint32Array | null {
    const e = this.a.endpointOfClass(subject);
    if (e.kind !== 'pod') return null;
    const W = this.a.wordCount;
    const A = this.a.atoms.size;
    const undecided = new Uint32Array(A * W);
    for (let a = 0; a < A; a++) undecided.set(this.all, a * W);
    const allowed = new Uint32Array(A * W);
    let touched = false;
    for (const tier of this.a.pipeline.tiers) {
      const selecting: CompiledPolicy[] = tier.policies.filter(
        (p) => (direction === 'ingress' ? p.ingress : p.egress) !== undefined && subjectSelects(tier, p, e),
      );
      if (selecting.length === 0) continue;
      touched = true;
      const rulesOf = (p: CompiledPolicy): readonly Rule[] => (direction === 'ingress' ? p.ingress : p.egress) ?? [];
      if (tier.evaluation === 'first-match') {
        const passed = new Uint32Array(A * W);
        for (const policy of selecting)
          for (const rule of rulesOf(policy))
            for (const piece of this.pieces(tier, rule, subject, direction))
              for (const a of piece.atoms) {
                const o = a * W;
                for (let w = 0; w < W; w++) {
                  const cells = undecided[o + w]! & ~passed[o + w]! & piece.mask[w]!;
                  if (cells === 0) continue;
                  if (rule.action === 'Allow') {
                    allowed[o + w]! |= cells;
                    undecided[o + w]! &= ~cells;
                  } else if (rule.action === 'Deny') undecided[o + w]! &= ~cells;
                  else passed[o + w]! |= cells;
                }
              }
        if (tier.whenSelectedNoMatch === 'deny') for (let i = 0; i < undecided.length; i++) undecided[i]! &= passed[i]!;
      } else {
        // Any-allow: a matching Deny wins, then any matching Allow.
        for (const action of ['Deny', 'Allow'] as const)
          for (const policy of selecting)
            for (const rule of rulesOf(policy)) {
              if (rule.action !== action) continue;
              for (const piece of this.pieces(tier, rule, subject, direction))
                for (const a of piece.atoms) {
                  const o = a * W;
                  for (let w = 0; w < W; w++) {
                    const cells = undecided[o + w]! & piece.mask[w]!;
                    if (action === 'Allow') allowed[o + w]! |= cells;
                    undecided[o + w]! &= ~cells;
                  }
                }
            }
        if (tier.whenSelectedNoMatch === 'deny') undecided.fill(0);
      }
    }
    if (!touched) return null;
    for (let i = 0; i < allowed.length; i++) allowed[i]! |= undecided[i]!;
    return allowed;
  }
}

/** Build the analysis of a cluster. */
export function analyze(cluster: Cluster, pipeline: TierPipeline, options: AnalysisOptions): Analysis {
  return new Analysis(cluster, pipeline, options);
}

