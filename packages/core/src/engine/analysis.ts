/**
 * The class engine. Endpoints that no subject, peer, named port or CIDR can tell apart form one
 * equivalence class; verdicts are computed once per (subject class, direction) as bitsets over
 * peer classes, per port atom, and expanded to endpoints only when output needs it.
 */
import { flat } from '../model/flat.js';
import { type IpAddress, type IpRange, cidrSetBounds, cutAddressSpace, parseIp } from '../model/ip.js';
import { ALL_PORTS, type PortSet, sameContainerPorts } from '../model/ports.js';
import { type Selector, matchesSelector } from '../model/selector.js';
import { type Cluster, type Namespace, PROTOCOLS, type Protocol } from '../model/types.js';
import type { AnalysisOptions } from '../options.js';
import type { CompiledPolicy, Direction, NamespaceMatch, Tier, TierPipeline } from '../policy/ir.js';
import { PortAtoms } from './atoms.js';
import { type SparsePool, wordsFor } from './bitset.js';
import {
  type Endpoint,
  containerPortsKey,
  domainEndpoint,
  externalEndpoint,
  isFromOwnNode,
  isSelectablePod,
  nodeEndpoint,
  nodesByName,
  podEndpoint,
} from './endpoints.js';
import { explainFlow } from './explain.js';
import { namespaceMatches, peerMatches, subjectSelects } from './match.js';
import { type Predicate, PredicateTable } from './predicates.js';
import { evaluateFlow } from './reference.js';
import { RowBuilder } from './rows.js';
import type { FlowVerdict } from './trace.js';

/**
 * What the analysis needs to know of one compiled policy beyond its rules, computed once per
 * policy object (so that an update re-reads a cache, not every rule of every policy).
 */
interface PolicyFacts {
  /** Named ports its rules use. */
  readonly named: readonly string[];
  /** Numeric port cuts: protocol, first port, last port + 1. */
  readonly cuts: readonly (readonly [Protocol, number, number])[];
  /** Label keys its pod and node selectors look at. */
  readonly podKeys: readonly string[];
  readonly nodeKeys: readonly string[];
  /** Bounds of its CIDRs (and their excepts). */
  readonly cidrBounds: readonly IpRange[];
  /** Literal domain names of its egress rules. */
  readonly domains: readonly string[];
}

const policyFactsCache = new WeakMap<CompiledPolicy, PolicyFacts>();

function policyFacts(policy: CompiledPolicy): PolicyFacts {
  let f = policyFactsCache.get(policy);
  if (f !== undefined) return f;
  // Small lists with linear duplicate checks: a policy names a handful of keys and ports, and
  // sets (three per policy, then copied out) cost more than the lookups they save.
  const named: string[] = [];
  const cuts: [Protocol, number, number][] = [];
  const podKeys: string[] = [];
  addSelectorKeys(podKeys, policy.subject.pods);
  const nodeKeys: string[] = [];
  const cidrBounds: IpRange[] = [];
  const domains: string[] = [];
  for (let d = 0; d < 2; d++) {
    const rules = d === 0 ? policy.ingress : policy.egress;
    if (rules === undefined) continue;
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r]!;
      const ports = rule.ports ?? [];
      for (let q = 0; q < ports.length; q++) {
        const m = ports[q]!;
        if (m.kind === 'named') addUnique(named, m.name);
        else cuts.push([m.protocol, m.start, m.end + 1]);
      }
      for (let q = 0; q < rule.peers.length; q++) {
        const peer = rule.peers[q]!;
        if (peer.kind === 'pods') addSelectorKeys(podKeys, peer.pods);
        else if (peer.kind === 'nodes') addSelectorKeys(nodeKeys, peer.selector);
        else if (peer.kind === 'ipBlock') for (const b of peer.blocks) cidrBounds.push(...cidrSetBounds(b));
        else if (peer.kind === 'domains' && d === 1) for (const n of peer.names) addUnique(domains, n);
      }
    }
  }
  // Cached with the policy: sized exactly (a pushed array keeps room for 17), empty ones shared.
  f = {
    named: exact(named),
    cuts: exact(cuts),
    podKeys: exact(podKeys),
    nodeKeys: exact(nodeKeys),
    cidrBounds: exact(cidrBounds),
    domains: exact(domains),
  };
  policyFactsCache.set(policy, f);
  return f;
}

const NONE: readonly never[] = Object.freeze([]);

/** A list of its exact size (the shared empty list when empty). */
function exact<T>(list: T[]): readonly T[] {
  return list.length === 0 ? NONE : list.slice();
}

function addUnique<T>(list: T[], x: T): void {
  if (!list.includes(x)) list.push(x);
}

/** Add the label keys a selector looks at, each once. */
function addSelectorKeys(keys: string[], selector: Selector): void {
  for (const [k] of selector.matchLabels) addUnique(keys, k);
  for (const r of selector.matchExpressions) addUnique(keys, r.key);
}

const policyLists = new WeakMap<TierPipeline, readonly CompiledPolicy[]>();

/** Every policy of a pipeline, in tier order (one array per pipeline). */
function policiesOf(pipeline: TierPipeline): readonly CompiledPolicy[] {
  let list = policyLists.get(pipeline);
  if (list === undefined) {
    list = pipeline.tiers.flatMap((t) => t.policies);
    policyLists.set(pipeline, list);
  }
  return list;
}

/** Collect the disjoint address ranges cut by every CIDR in the pipeline, per family. */
function cidrAtoms(pipeline: TierPipeline): IpRange[] {
  const bounds: IpRange[] = [];
  const policies = policiesOf(pipeline);
  for (let i = 0; i < policies.length; i++) for (const b of policyFacts(policies[i]!).cidrBounds) bounds.push(b);
  return [...cutAddressSpace(4, bounds), ...cutAddressSpace(6, bounds)];
}

/** @internal What the non-cluster endpoints are made from: the CIDR pieces and the domain names. */
export interface Outside {
  readonly atoms: readonly IpRange[];
  readonly domains: readonly string[];
  /** Equal for equal atoms and domains. */
  readonly key: string;
}

function outside(pipeline: TierPipeline, options: AnalysisOptions): Outside {
  const atoms = cidrAtoms(pipeline);
  const domains = domainNames(pipeline, options);
  return { atoms, domains, key: `${atoms.map((r) => `${r.family}:${r.start}`).join(',')}|${domains.join(',')}` };
}

/** The policies in one pipeline and not the other (compiled policies are compared by identity). */
interface PolicyChanges {
  readonly removed: readonly CompiledPolicy[];
  readonly added: readonly CompiledPolicy[];
}

function policyChanges(before: TierPipeline, after: TierPipeline): PolicyChanges {
  const a = new Set(policiesOf(before));
  const b = new Set(policiesOf(after));
  return { removed: [...a].filter((p) => !b.has(p)), added: [...b].filter((p) => !a.has(p)) };
}

/** Whether a change leaves the CIDR pieces and domain names as they were. */
function sameOutsideFacts(changes: PolicyChanges): boolean {
  const mentions = (p: CompiledPolicy): boolean => {
    const f = policyFacts(p);
    return f.cidrBounds.length > 0 || f.domains.length > 0;
  };
  return !changes.removed.some(mentions) && !changes.added.some(mentions);
}

/** Every domain name an analysis should show: literal names in policies and mapped names. */
function domainNames(pipeline: TierPipeline, options: AnalysisOptions): string[] {
  const names = new Set<string>(Object.keys(options.domainIps));
  for (const policy of policiesOf(pipeline)) for (const n of policyFacts(policy).domains) names.add(n);
  return [...names].sort();
}

/**
 * The endpoints an analysis covers: pods, nodes, declared externals, CIDR pieces, domains.
 * Endpoints of `previous` are reused (same object) when what they were built from is unchanged.
 */
export function buildEndpoints(
  cluster: Cluster,
  pipeline: TierPipeline,
  options: AnalysisOptions,
  previous?: readonly Endpoint[],
  parts: Outside = outside(pipeline, options),
): Endpoint[] {
  const nodes = nodesByName(cluster);
  const oldPods = new Map<unknown, Endpoint>();
  const oldById = new Map<string, Endpoint>();
  for (const e of previous ?? []) {
    if (e.kind === 'pod') oldPods.set(e.pod, e);
    else if (e.kind === 'node') oldPods.set(e.node, e);
    else oldById.set(e.id, e);
  }
  const out: Endpoint[] = cluster.pods.map((p) => {
    const old = oldPods.get(p);
    if (
      old !== undefined &&
      old.kind === 'pod' &&
      old.namespaceLabels === cluster.namespaces[p.namespace]?.labels &&
      old.node === (p.nodeName !== undefined ? nodes.get(p.nodeName) : undefined)
    )
      return old;
    return podEndpoint(cluster, p, nodes);
  });
  for (const n of cluster.nodes) out.push(oldPods.get(n) ?? nodeEndpoint(n));
  // Pod ids have a slash and node ids start with `node/`: only addresses and domains can collide.
  const seen = new Set<string>();
  const push = (e: Endpoint): void => {
    if (!seen.has(e.id)) {
      seen.add(e.id);
      const old = oldById.get(e.id);
      out.push(
        old !== undefined && old.kind === e.kind && (e.kind !== 'external' || (old as typeof e).name === e.name)
          ? old
          : e,
      );
    }
  };
  for (const x of cluster.externals) {
    const ip = parseIp(x.ip);
    if (ip !== undefined) push(externalEndpoint(ip, undefined, x.name));
  }
  for (const range of parts.atoms) push(externalEndpoint({ family: range.family, value: range.start }, range));
  for (const name of parts.domains) push(domainEndpoint(name, options.domainIps[name] ?? []));
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
  /** The same keys, sorted. */
  readonly podSorted: readonly string[];
  readonly nodeSorted: readonly string[];
}

/** A label's value: own keys only (a label named `constructor` is not the prototype's). */
function ownLabel(labels: Readonly<Record<string, string>>, k: string): string | undefined {
  return Object.hasOwn(labels, k) ? labels[k] : undefined;
}

function projectedLabels(labels: Readonly<Record<string, string>>, sortedKeys: readonly string[]): string {
  let out = '';
  for (const k of sortedKeys) {
    const v = ownLabel(labels, k);
    if (v !== undefined) out += out === '' ? `${k}=${v}` : `,${k}=${v}`;
  }
  return out;
}

/**
 * What a selector-based predicate can see of an endpoint: everything but its IPs and name,
 * with labels projected onto the keys some selector references.
 */
function shapeKey(e: Endpoint, keys: RelevantKeys): string {
  switch (e.kind) {
    case 'pod': {
      const p = e.pod;
      const ports = containerPortsKey(p);
      const node = p.hostNetwork
        ? `${p.nodeName ?? ''}@${e.node !== undefined ? projectedLabels(e.node.labels, keys.nodeSorted) : ''}`
        : '';
      // Namespace labels are part of the shape: a relabelled namespace changes what selects its pods.
      let ns = nsLabelKeys.get(e.namespaceLabels);
      if (ns === undefined) {
        ns = labelsKey(e.namespaceLabels);
        nsLabelKeys.set(e.namespaceLabels, ns);
      }
      return `p|${p.hostNetwork ? 1 : 0}|${p.namespace}|${ns}|${projectedLabels(p.labels, keys.podSorted)}|${ports}|${node}`;
    }
    case 'node':
      return `n|${projectedLabels(e.node.labels, keys.nodeSorted)}`;
    case 'external':
      return 'x';
    case 'domain':
      return `d|${e.name}`;
  }
}

const nsLabelKeys = new WeakMap<object, string>();

/**
 * Whether two endpoints certainly have the same {@link shapeKey}, checked without building it:
 * pod-network pods in one namespace (with the same namespace-labels object), with equal
 * container ports and equal values for every label key that selectors use. `false` means "not
 * known", not "different".
 */
function sameShapeAsPod(e: Endpoint, other: Endpoint, podKeys: readonly string[]): boolean {
  if (e.kind !== 'pod' || other.kind !== 'pod') return false;
  const a = e.pod;
  const b = other.pod;
  if (a.hostNetwork || b.hostNetwork || a.namespace !== b.namespace || e.namespaceLabels !== other.namespaceLabels)
    return false;
  if (!sameContainerPorts(a.ports, b.ports)) return false;
  // Loading shares one labels object (and ports list) between alike replicas.
  const la = a.labels;
  const lb = b.labels;
  for (let i = 0; la !== lb && i < podKeys.length; i++) {
    const k = podKeys[i]!;
    if (ownLabel(la, k) !== ownLabel(lb, k)) return false;
  }
  return true;
}

function relevantKeys(pipeline: TierPipeline): RelevantKeys {
  const pod = new Set<string>();
  const node = new Set<string>();
  for (const policy of policiesOf(pipeline)) {
    const f = policyFacts(policy);
    for (const k of f.podKeys) pod.add(k);
    for (const k of f.nodeKeys) node.add(k);
  }
  return { pod, node, podSorted: [...pod].sort(), nodeSorted: [...node].sort() };
}

function setsEqual(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/**
 * If the new signatures partition the endpoints exactly as before — every endpoint present
 * before stays with the same companions, and no signature is new — map each signature to the
 * earlier class id. Otherwise undefined (the caller renumbers and recomputes every row).
 */
function stableClassIds(
  prev: Analysis,
  endpoints: readonly Endpoint[],
  sigs: readonly string[],
  samePredicates: boolean,
): Map<string, number> | undefined {
  const map = new Map<string, number>();
  const used = new Map<number, string>();
  const pending: number[] = [];
  for (let i = 0; i < endpoints.length; i++) {
    const e = endpoints[i]!;
    const j = prev.indexOf(e.id);
    if (j === undefined || prev.endpoints[j] !== e) {
      pending.push(i); // new or changed endpoint: placed after the unchanged ones
      continue;
    }
    const c = prev.classOf[j]!;
    const sig = sigs[i]!;
    const known = map.get(sig);
    if (known === undefined) {
      if (used.has(c)) return undefined; // an old class split
      map.set(sig, c);
      used.set(c, sig);
    } else if (known !== c) return undefined; // two old classes merged
  }
  // Changed endpoints must land in a class that exists (possibly one that lost every member).
  for (const i of pending) {
    const sig = sigs[i]!;
    if (map.has(sig)) continue;
    // Only comparable when no predicate is new (old signatures lack new predicates).
    if (!samePredicates) return undefined;
    const c = prev.classOfSignature(sig);
    if (c === undefined || used.has(c)) return undefined;
    map.set(sig, c);
    used.set(c, sig);
  }
  return map;
}

/** Classes whose rows may differ: selected (before or after) by a policy that is not in both pipelines. */
function dirtyClasses(prev: Analysis, next: Analysis, changes: PolicyChanges): Set<number> {
  const dirty = new Set<number>();
  const mark = (a: Analysis, p: (typeof a.pipeline.tiers)[number]['policies'][number]): void => {
    const pid = a.predicates.subjectOf.get(p);
    if (pid !== undefined) for (const c of a.predicateClasses[pid]!) dirty.add(c);
  };
  for (const p of changes.removed) mark(prev, p);
  for (const p of changes.added) mark(next, p);
  // Tier order and membership are part of a row's meaning too.
  if (prev.pipeline.tiers.length !== next.pipeline.tiers.length) for (let c = 0; c < next.classCount; c++) dirty.add(c);
  return dirty;
}

function isIpPredicate(p: Predicate): boolean {
  return p.kind === 'peer' && p.peer.kind === 'ipBlock';
}

/** Classes never mix kinds of endpoint (pods, host-network pods, nodes, externals, domains). */
function kindTag(e: Endpoint): string {
  return e.kind === 'pod' ? (e.pod.hostNetwork ? 'h' : 'p') : e.kind;
}

/** Endpoints whose addresses satisfy the same ipBlock predicates. */
interface IpGroup {
  readonly id: number;
  readonly preds: readonly number[];
  /** `preds` joined, for signatures. */
  readonly sig: string;
}

/** The union of two ascending, disjoint id lists, ascending. */
function mergeSorted(a: readonly number[], b: readonly number[]): readonly number[] {
  // Usually there is nothing to merge: share the list (lists are never modified).
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]! < b[j]! ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out.slice(); // kept with the class: sized exactly (a pushed array keeps room for 17)
}

/**
 * A shape's part of a class signature: the endpoint kind, the selector predicates it satisfies
 * and how it resolves the named ports rules use. Endpoints with equal signatures share a class.
 */
function shapeSignature(rep: Endpoint, preds: readonly number[], namedPorts: readonly string[]): string {
  return `${kindTag(rep)}#${preds.join(',')}#${signatureOfNamedPorts(rep, namedPorts)}`;
}

/** A class signature: the shape's, then the ipBlock predicates (`ipSig`, joined) if any. */
function classSignature(shapeSig: string, ipSig: string): string {
  // Kept as map keys for the analysis's lifetime: flat (see model/flat.ts).
  return flat(ipSig === '' ? shapeSig : `${shapeSig}#${ipSig}`);
}

/** How an endpoint resolves each named port some rule uses (part of its class signature). */
function signatureOfNamedPorts(e: Endpoint, namedPorts: readonly string[]): string {
  if (e.kind !== 'pod' || namedPorts.length === 0) return '';
  const ports = e.pod.ports;
  let out = '';
  namedPorts.forEach((n, k) => {
    if (k > 0) out += '|';
    let found: string[] | undefined;
    for (const cp of ports) if (cp.name === n) (found ??= []).push(`${cp.protocol}:${cp.port}`);
    if (found !== undefined) out += found.length === 1 ? found[0]! : found.sort().join('+');
  });
  return out;
}

/** Shapes of an analysis: endpoints grouped by everything a selector predicate can see. */
interface ShapeTable {
  /** Shape of each endpoint (same index as the analysis's endpoints). */
  readonly of: Int32Array;
  /** A representative endpoint per shape. */
  readonly reps: readonly Endpoint[];
  /** Selector (not ipBlock) predicate ids each shape satisfies, ascending. */
  readonly preds: readonly (readonly number[])[];
  /** Each shape's key (endpoints' own key strings are not kept: equal ones would each stay alive). */
  readonly keys: readonly string[];
  /** Shape by shape key. */
  readonly keyIndex: ReadonlyMap<string, number>;
  /** Built on first use, shared by analyses with the same shapes and cluster. */
  index?: ShapeIndex;
  members?: { readonly start: Int32Array; readonly list: Int32Array };
}

/** A class partition refined from an earlier analysis's (see `Analysis.refine`). */
interface Refined {
  readonly shapeTable: ShapeTable;
  readonly signatures: Map<string, number>;
  readonly classOf: Int32Array;
  readonly representatives: readonly number[];
  readonly classPredicates: readonly (readonly number[])[];
  readonly predicateClasses: readonly number[][];
  /** New classes, each with the earlier class it was split from. */
  readonly splits: readonly (readonly [number, number])[];
}

/** Above this many new classes, a refinement is not worth it: the partition is rebuilt. */
const MAX_SPLITS = 512;

/** Bound on address groups, so that (shape, group) pairs fit one number. */
const IP_GROUP_LIMIT = 2 ** 21;

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

/**
 * Shapes indexed by namespace, by (namespace, label) and by kind, so that a selector predicate
 * is tested only on the shapes it could match.
 */
class ShapeIndex {
  private readonly byNamespace = new Map<string, number[]>();
  /** Shapes by namespace, label key and value (nested maps: no key strings to build). */
  private readonly byNsLabel = new Map<string, Map<string, Map<string, number[]>>>();
  private readonly nodeLike: number[] = [];
  private readonly domains: number[] = [];
  private readonly all: number[] = [];
  private readonly nsMatchCache = new Map<string, string[]>();
  private namespaceList: readonly Namespace[] | undefined;

  /** `podKeys`: the label keys selectors use (the only ones worth indexing). */
  constructor(
    private readonly shapes: readonly Endpoint[],
    private readonly cluster: Cluster,
    podKeys: readonly string[],
  ) {
    const push = <K>(m: Map<K, number[]>, k: K, v: number): void => {
      const l = m.get(k);
      if (l === undefined) m.set(k, [v]);
      else l.push(v);
    };
    const within = <K, V>(m: Map<K, Map<string, V>>, k: K): Map<string, V> => {
      let inner = m.get(k);
      if (inner === undefined) m.set(k, (inner = new Map()));
      return inner;
    };
    shapes.forEach((e, s) => {
      this.all.push(s);
      if (e.kind === 'pod') {
        push(this.byNamespace, e.pod.namespace, s);
        const labels = e.pod.labels;
        const byLabel = within(this.byNsLabel, e.pod.namespace);
        for (const k of podKeys) {
          const v = ownLabel(labels, k);
          if (v !== undefined) push(within(byLabel, k), v, s);
        }
        if (e.pod.hostNetwork) this.nodeLike.push(s);
      } else if (e.kind === 'node') this.nodeLike.push(s);
      else if (e.kind === 'domain') this.domains.push(s);
    });
  }

  private namespacesMatching(m: NamespaceMatch): string[] {
    if (m.kind === 'name') return [m.name];
    const key = JSON.stringify(m.selector);
    let r = this.nsMatchCache.get(key);
    if (r === undefined) {
      this.namespaceList ??= Object.values(this.cluster.namespaces);
      r = [];
      for (const ns of this.namespaceList) if (matchesSelector(m.selector, ns.labels)) r.push(ns.name);
      // Pods can live in namespaces the model synthesised; cover them too.
      for (const ns of this.byNamespace.keys())
        if (this.cluster.namespaces[ns] === undefined && namespaceMatches(m, ns, { 'kubernetes.io/metadata.name': ns }))
          r.push(ns);
      this.nsMatchCache.set(key, r);
    }
    return r;
  }

  private podCandidates(namespaces: NamespaceMatch, pods: Selector): readonly number[] {
    const first = pods.matchLabels[0];
    const from = (ns: string): readonly number[] =>
      (first !== undefined ? this.byNsLabel.get(ns)?.get(first[0])?.get(first[1]) : this.byNamespace.get(ns)) ?? [];
    const names = this.namespacesMatching(namespaces);
    if (names.length === 1) return from(names[0]!);
    const list: number[] = [];
    for (const ns of names) for (const x of from(ns)) list.push(x);
    return list;
  }

  /** The shapes a selector-based (not ipBlock) predicate holds for, each once. */
  matching(p: Predicate): number[] {
    let candidates: readonly number[];
    let test: (e: Endpoint) => boolean;
    if (p.kind === 'subject') {
      candidates = this.podCandidates(p.policy.subject.namespaces, p.policy.subject.pods);
      const tier = { selectsHostNetworkPods: p.hn } as Tier;
      test = (e) => subjectSelects(tier, p.policy, e);
    } else {
      const peer = p.peer;
      candidates =
        peer.kind === 'pods'
          ? this.podCandidates(peer.namespaces, peer.pods)
          : peer.kind === 'nodes'
            ? this.nodeLike
            : peer.kind === 'domains'
              ? this.domains
              : this.all;
      test = (e) => peerMatches(peer, e, p.hn);
    }
    // Candidate lists hold each shape at most once (namespaces are distinct).
    const out: number[] = [];
    for (const s of candidates) if (test(this.shapes[s]!)) out.push(s);
    return out;
  }
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
  readonly classPredicates: readonly (readonly number[])[];
  /** @internal classes each predicate holds for. */
  readonly predicateClasses: readonly number[][];
  /** @internal */
  readonly namedPorts: readonly string[];
  private readonly words: number;
  private readonly rows: RowBuilder;
  /** Endpoint index by id, built on first use (a matrix run never needs it). */
  private idIndex: Map<string, number> | undefined;
  private readonly signatures: Map<string, number>;
  private readonly ipAtoms: Record<4 | 6, IpAtom[]>;

  constructor(
    cluster: Cluster,
    pipeline: TierPipeline,
    options: AnalysisOptions,
    hooks: AnalysisHooks = {},
    previous?: Analysis,
  ) {
    // Incremental: reuse what an earlier analysis of a nearby cluster computed, when compatible.
    const prev = previous !== undefined && previous.options === options ? previous : undefined;
    this.pipeline = pipeline;
    this.options = options;
    // Endpoints depend on the pods, nodes, namespaces and declared externals, and on the CIDR
    // pieces and domain names the policies mention: when none changed, keep them as they were.
    this.sourceCluster = cluster;
    const changes = prev !== undefined ? policyChanges(prev.pipeline, pipeline) : undefined;
    const parts = changes !== undefined && sameOutsideFacts(changes) ? prev!.outsideParts : outside(pipeline, options);
    this.outsideParts = parts;
    this.outsideKey = parts.key;
    if (
      prev !== undefined &&
      prev.sourceCluster.pods === cluster.pods &&
      prev.sourceCluster.nodes === cluster.nodes &&
      prev.sourceCluster.namespaces === cluster.namespaces &&
      prev.sourceCluster.externals === cluster.externals &&
      prev.outsideKey === this.outsideKey
    ) {
      this.endpoints = prev.endpoints;
      this.idIndex = prev.idIndex;
    } else {
      this.endpoints = buildEndpoints(cluster, pipeline, options, prev?.endpoints, parts);
    }
    hooks.phase?.('endpoints');
    this.predicates = new PredicateTable(pipeline, prev?.predicates);
    hooks.phase?.('predicates');
    const preds = this.predicates.list;

    const named = new Set<string>();
    const policies = policiesOf(pipeline);
    for (let i = 0; i < policies.length; i++) for (const n of policyFacts(policies[i]!).named) named.add(n);
    this.namedPorts = [...named].sort();

    const sameNamedPorts = prev !== undefined && prev.namedPorts.join('|') === this.namedPorts.join('|');
    // Fast path: the same endpoint objects and no new predicate (a policy removed or edited without
    // new selectors) leave every predicate result, and so the class partition, as it was.
    const fast =
      prev !== undefined &&
      sameNamedPorts &&
      prev.predicates.list.length === preds.length &&
      prev.endpoints.length === this.endpoints.length &&
      this.endpoints.every((e, i) => prev.endpoints[i] === e);
    let mapping: Map<string, number> | undefined;
    let splits: readonly (readonly [number, number])[] = [];
    const keys = fast ? prev.keys : relevantKeys(pipeline);
    const ipCount = fast ? prev.ipPredicateCount : preds.filter(isIpPredicate).length;
    // Otherwise, with the same endpoints and shapes, new selector predicates refine the partition.
    const refined = fast
      ? prev.refine(preds, cluster, this.namedPorts)
      : prev !== undefined &&
          prev.endpoints === this.endpoints &&
          prev.ipPredicateCount === ipCount &&
          sameNamedPorts &&
          [...keys.pod].every((k) => prev.keys.pod.has(k)) &&
          [...keys.node].every((k) => prev.keys.node.has(k))
        ? prev.refine(preds, cluster, this.namedPorts)
        : undefined;
    if (refined !== undefined) {
      // Same endpoints and shapes: only the shapes new predicates match change, and classes of
      // those shapes split; every other class keeps its id.
      this.keys = prev!.keys;
      this.ipAt = prev!.ipAt;
      this.ipGroups = prev!.ipGroups;
      this.ipPredicateCount = prev!.ipPredicateCount;
      this.ipAtoms = prev!.ipAtoms;
      this.extraReps = prev!.extraReps;
      this.shapeTable = refined.shapeTable;
      this.signatures = refined.signatures;
      this.classOf = refined.classOf;
      this.representatives = refined.representatives;
      this.classCount = refined.representatives.length;
      this.classPredicates = refined.classPredicates;
      this.predicateClasses = refined.predicateClasses;
      this.words = wordsFor(this.classCount);
      splits = refined.splits;
      mapping = refined.signatures;
      hooks.phase?.('shapes');
      hooks.phase?.('classes');
    } else {
      // 1. Shapes: endpoints grouped by everything but IPs; selector predicates are evaluated per shape.
      const sameKeys =
        prev !== undefined &&
        setsEqual(prev.keys.pod, keys.pod) &&
        setsEqual(prev.keys.node, keys.node) &&
        sameNamedPorts;
      this.keys = keys;
      const shapeOf = new Int32Array(this.endpoints.length);
      const shapeReps: Endpoint[] = [];
      const shapeIndex = new Map<string, number>();
      const shapeKeys: string[] = [];
      const sameEndpoints = prev !== undefined && prev.endpoints === this.endpoints;
      this.endpoints.forEach((e, i) => {
        // Replicas of a workload are listed next to each other and usually share their shape.
        if (i > 0 && sameShapeAsPod(e, this.endpoints[i - 1]!, keys.podSorted)) {
          shapeOf[i] = shapeOf[i - 1]!;
          return;
        }
        let key: string | undefined;
        if (sameKeys) {
          const j = sameEndpoints ? i : prev.indexOf(e.id);
          if (j !== undefined && prev.endpoints[j] === e) key = prev.shapeTable.keys[prev.shapeTable.of[j]!];
        }
        key ??= shapeKey(e, keys);
        let sh = shapeIndex.get(key);
        if (sh === undefined) {
          sh = shapeReps.length;
          key = flat(key); // kept as long as the analysis
          shapeIndex.set(key, sh);
          shapeReps.push(e);
          shapeKeys.push(key);
        }
        shapeOf[i] = sh;
      });
      const shapePreds = this.evaluateShapes(shapeReps, preds, cluster, sameKeys ? prev : undefined, shapeKeys);
      this.shapeTable = { of: shapeOf, reps: shapeReps, preds: shapePreds, keys: shapeKeys, keyIndex: shapeIndex };
      hooks.phase?.('shapes');

      // 2. IP atoms for ipBlock predicates (reused when no ipBlock predicate is new).
      const sameIp = prev !== undefined && prev.ipPredicateCount === ipCount;
      this.ipPredicateCount = ipCount;
      this.ipAtoms = sameIp ? prev.ipAtoms : this.buildIpAtoms(preds);
      this.ipGroups = sameIp ? prev.ipGroups : new Map();

      // 3. Classes by signature.
      // An endpoint's signature is its shape's plus its IP group's: built once per distinct pair.
      const sigs: string[] = new Array<string>(this.endpoints.length);
      const ipLists: (readonly number[])[] = new Array<readonly number[]>(this.endpoints.length);
      const shapeSigs = shapeReps.map((rep, sh) => shapeSignature(rep, shapePreds[sh]!, this.namedPorts));
      const pairSigs = new Map<number, string>();
      const ipAt = new Array<IpGroup>(this.endpoints.length);
      this.ipAt = ipAt;
      this.endpoints.forEach((e, i) => {
        const ip = this.ipGroup(e);
        ipAt[i] = ip;
        ipLists[i] = ip.preds;
        const sh = shapeOf[i]!;
        const pair = sh * IP_GROUP_LIMIT + ip.id;
        let sig = pairSigs.get(pair);
        if (sig === undefined) {
          sig = classSignature(shapeSigs[sh]!, ip.sig);
          pairSigs.set(pair, sig);
        }
        sigs[i] = sig;
      });
      const stable =
        prev !== undefined
          ? stableClassIds(prev, this.endpoints, sigs, prev.predicates.list.length === preds.length)
          : undefined;
      mapping = stable;
      this.signatures = new Map();
      this.classOf = new Int32Array(this.endpoints.length);
      const reps: number[] = [];
      const classPreds: (readonly number[])[] = [];
      const classList = (i: number): readonly number[] => {
        const sh = shapeOf[i]!;
        const ipPreds = ipLists[i]!;
        return mergeSorted(shapePreds[sh]!, ipPreds);
      };
      if (stable !== undefined) {
        // The partition is unchanged: keep the earlier class ids (and so every stored bitset).
        const C = prev!.classCount;
        for (let c = 0; c < C; c++) reps.push(-1);
        this.endpoints.forEach((e, i) => {
          const c = stable.get(sigs[i]!)!;
          this.signatures.set(sigs[i]!, c);
          this.classOf[i] = c;
          if (reps[c] === -1) {
            reps[c] = i;
            classPreds[c] = classList(i);
          }
        });
        // Classes left without members keep a stand-in representative and their predicates.
        this.extraReps = new Map();
        for (let c = 0; c < C; c++)
          if (reps[c] === -1) {
            const old = prev!.endpointOfClass(c);
            this.extraReps.set(c, old);
            classPreds[c] = this.slowPredicates(old);
            reps[c] = -1;
          }
      } else {
        this.extraReps = new Map();
        this.endpoints.forEach((e, i) => {
          const sig = sigs[i]!;
          let c = this.signatures.get(sig);
          if (c === undefined) {
            c = reps.length;
            this.signatures.set(sig, c);
            reps.push(i);
            classPreds.push(classList(i));
          }
          this.classOf[i] = c;
        });
      }
      this.representatives = reps;
      this.classCount = reps.length;
      this.classPredicates = classPreds;
      this.words = wordsFor(this.classCount);
      const predClasses: number[][] = preds.map(() => []);
      classPreds.forEach((list, c) => {
        for (const p of list) predClasses[p]!.push(c);
      });
      // Kept for the analysis's lifetime: sized exactly (a pushed array keeps room for 17).
      this.predicateClasses = predClasses.map((l) => l.slice());
      hooks.phase?.('classes');
    }

    // 4. Port atoms, cut at every numeric bound and every resolved named port.
    // Named ports resolve the same in a class split off as in its parent: with the same classes
    // (or only splits) and the same named ports, their cuts are the earlier analysis's.
    const cuts: Record<Protocol, number[]> = { TCP: [], UDP: [], SCTP: [] };
    for (const policy of policiesOf(pipeline))
      for (const [protocol, start, end] of policyFacts(policy).cuts) cuts[protocol].push(start, end);
    if (refined !== undefined) this.namedCuts = prev!.namedCuts;
    else {
      const seen: Record<Protocol, Set<number>> = { TCP: new Set(), UDP: new Set(), SCTP: new Set() };
      for (let c = 0; c < this.classCount; c++) {
        const e = this.endpointOfClass(c);
        if (e.kind === 'pod')
          for (const cp of e.pod.ports)
            if (cp.name !== undefined && named.has(cp.name)) seen[cp.protocol].add(cp.port).add(cp.port + 1);
      }
      this.namedCuts = { TCP: [...seen.TCP], UDP: [...seen.UDP], SCTP: [...seen.SCTP] };
    }
    for (const p of PROTOCOLS) for (const x of this.namedCuts[p]) cuts[p].push(x);
    this.atoms = new PortAtoms(cuts);
    hooks.phase?.('atoms');

    // 5. Rows: with an unchanged partition, only classes that a changed policy selects (before or
    // after) are recomputed; every other row is carried over.
    const dirty = mapping !== undefined ? dirtyClasses(prev!, this, changes!) : undefined;
    // A class split off keeps its parent's rows unless a changed policy selected the parent.
    if (dirty !== undefined) for (const [c, parent] of splits) if (dirty.has(parent)) dirty.add(c);
    this.rows =
      dirty !== undefined
        ? new RowBuilder(this, { previous: prev!.rows, previousAtoms: prev!.atoms, dirty, splits })
        : new RowBuilder(this);
    this.reuse =
      prev === undefined
        ? { kind: 'none' }
        : dirty === undefined
          ? { kind: 'rebuilt' }
          : { kind: 'rows', recomputedClasses: dirty.size };
    hooks.phase?.('rows');
  }

  /**
   * How much of an earlier analysis was reused: `none` (fresh), `rebuilt` (the class partition
   * changed, so every row was recomputed) or `rows` (only the listed number of classes' rows).
   */
  readonly reuse: { readonly kind: 'none' | 'rebuilt' } | { readonly kind: 'rows'; readonly recomputedClasses: number };

  /** @internal state kept for incremental updates. */
  private readonly keys: RelevantKeys;
  private readonly sourceCluster: Cluster;
  private readonly outsideKey: string;
  private readonly outsideParts: Outside;
  /** Shapes (endpoints grouped by everything selectors see) and their selector predicates. */
  private readonly shapeTable: ShapeTable;
  /** Address group of each endpoint (same index as `endpoints`). */
  private readonly ipAt: readonly IpGroup[];
  /** ipBlock predicates by endpoint category and address atoms (see {@link ipGroup}). */
  private ipGroups = new Map<string, IpGroup>();
  private readonly ipPredicateCount: number;
  private readonly extraReps: Map<number, Endpoint>;
  /** Port cuts from the named ports classes resolve. */
  private readonly namedCuts: Readonly<Record<Protocol, readonly number[]>>;

  /**
   * Analyse a changed cluster, reusing this analysis where the change allows: the endpoints,
   * predicate evaluations and class partition are updated, and when the partition is unchanged
   * only the rows of classes a changed policy selects are recomputed. Same result as a fresh
   * analysis (property-tested).
   */
  update(cluster: Cluster, pipeline: TierPipeline, hooks: AnalysisHooks = {}): Analysis {
    return new Analysis(cluster, pipeline, this.options, hooks, this);
  }

  /**
   * The class partition after new selector predicates (ids from this analysis's predicate count
   * on), for the same endpoints and shapes: each new predicate is evaluated on the shapes it could
   * match, and only classes with endpoints in matched shapes split. Undefined when a rebuild is
   * cheaper (too many new classes).
   * @internal
   */
  refine(preds: readonly Predicate[], cluster: Cluster, namedPorts: readonly string[]): Refined | undefined {
    const st = this.shapeTable;
    const known = this.predicates.list.length;
    const base = {
      signatures: this.signatures,
      classOf: this.classOf,
      representatives: this.representatives,
      classPredicates: this.classPredicates,
    };
    // No new predicate: the partition is this one.
    if (known === preds.length) return { ...base, shapeTable: st, predicateClasses: this.predicateClasses, splits: [] };
    st.index ??= new ShapeIndex(st.reps, cluster, this.keys.podSorted);
    const added = new Map<number, number[]>();
    for (let id = known; id < preds.length; id++) {
      const p = preds[id]!;
      if (isIpPredicate(p)) return undefined;
      for (const sh of st.index.matching(p)) {
        const l = added.get(sh);
        if (l === undefined) added.set(sh, [id]);
        else l.push(id);
      }
    }
    // Endpoints of each shape (built once, shared with analyses of the same shapes).
    if (st.members === undefined) {
      const start = new Int32Array(st.reps.length + 1);
      for (let i = 0; i < st.of.length; i++) start[st.of[i]! + 1]!++;
      for (let sh = 0; sh < st.reps.length; sh++) start[sh + 1]! += start[sh]!;
      const fill = start.slice(0, st.reps.length);
      const list = new Int32Array(st.of.length);
      for (let i = 0; i < st.of.length; i++) list[fill[st.of[i]!]!++] = i;
      st.members = { start, list };
    }
    const shapePreds: (readonly number[])[] = [...st.preds];
    for (const [sh, ids] of added) shapePreds[sh] = [...st.preds[sh]!, ...ids]; // new ids are the largest
    const shapeTable: ShapeTable = { ...st, preds: shapePreds };
    const predicateClasses = [...this.predicateClasses];
    for (let id = known; id < preds.length; id++) predicateClasses[id] = [];
    if (added.size === 0) return { ...base, shapeTable, predicateClasses, splits: [] };

    // Endpoints of matched shapes, grouped by old class and new signature.
    const { start, list } = st.members;
    const sigOf = (table: readonly (readonly number[])[], i: number): string =>
      classSignature(shapeSignature(st.reps[st.of[i]!]!, table[st.of[i]!]!, namedPorts), this.ipAt[i]!.sig);
    const groups = new Map<number, Map<string, number[]>>();
    const moved = new Uint8Array(this.endpoints.length);
    for (const sh of added.keys()) {
      const shapeSig = shapeSignature(st.reps[sh]!, shapePreds[sh]!, namedPorts);
      for (let k = start[sh]!; k < start[sh + 1]!; k++) {
        const i = list[k]!;
        const sig = classSignature(shapeSig, this.ipAt[i]!.sig);
        const x = this.classOf[i]!;
        let byClass = groups.get(x);
        if (byClass === undefined) groups.set(x, (byClass = new Map()));
        const g = byClass.get(sig);
        if (g === undefined) byClass.set(sig, [i]);
        else g.push(i);
        moved[i] = 1;
      }
    }
    // Members of touched classes that stay (they matched no new predicate).
    const stays = new Int32Array(this.classCount).fill(-1);
    for (let i = 0; i < this.endpoints.length; i++) {
      const x = this.classOf[i]!;
      if (moved[i] === 0 && stays[x] === -1 && groups.has(x)) stays[x] = i;
    }
    let newClasses = 0;
    for (const [x, byClass] of groups) newClasses += byClass.size - (stays[x] === -1 ? 1 : 0);
    if (newClasses > MAX_SPLITS) return undefined;

    const signatures = new Map(this.signatures);
    const classOf = Int32Array.from(this.classOf);
    const representatives = [...this.representatives];
    const classPredicates = [...this.classPredicates];
    const splits: [number, number][] = [];
    const copied = new Set<number>();
    const addClassTo = (pid: number, c: number): void => {
      if (pid < known && !copied.has(pid)) {
        predicateClasses[pid] = [...predicateClasses[pid]!];
        copied.add(pid);
      }
      predicateClasses[pid]!.push(c);
    };
    for (const [x, byClass] of groups) {
      const oldPreds = this.classPredicates[x]!;
      let keep = stays[x] === -1; // no member stays: the first group keeps the class id
      if (stays[x] !== -1 && moved[this.representatives[x]!] === 1) representatives[x] = stays[x]!;
      for (const [sig, members] of byClass) {
        const newIds = added.get(st.of[members[0]!]!)!;
        const list = oldPreds.concat(newIds);
        let c: number;
        if (keep) {
          keep = false;
          c = x;
          signatures.delete(sigOf(st.preds, this.representatives[x]!));
          representatives[x] = members[0]!;
          classPredicates[x] = list;
        } else {
          c = representatives.length;
          representatives.push(members[0]!);
          classPredicates.push(list);
          splits.push([c, x]);
          for (const pid of oldPreds) addClassTo(pid, c);
        }
        signatures.set(sig, c);
        for (const i of members) classOf[i] = c;
        for (const pid of newIds) addClassTo(pid, c);
      }
    }
    for (let id = known; id < preds.length; id++) predicateClasses[id]!.sort((a, b) => a - b);
    return { shapeTable, signatures, classOf, representatives, classPredicates, predicateClasses, splits };
  }

  /** @internal the class of a signature string. */
  classOfSignature(sig: string): number | undefined {
    return this.signatures.get(sig);
  }

  /** @internal previous shape results by shape key. */
  shapePredicatesFor(key: string): readonly number[] | undefined {
    const sh = this.shapeTable.keyIndex.get(key);
    return sh !== undefined ? this.shapeTable.preds[sh] : undefined;
  }

  /** Predicate ids an arbitrary endpoint satisfies (slow path). */
  private slowPredicates(e: Endpoint): number[] {
    const out: number[] = [];
    for (const p of this.predicates.list) {
      if (p.kind === 'subject') {
        if (subjectSelects({ selectsHostNetworkPods: p.hn } as Tier, p.policy, e)) out.push(p.id);
      } else if (peerMatches(p.peer, e, p.hn)) out.push(p.id);
    }
    return out;
  }

  /** Evaluate the selector-based predicates on each shape, pruning candidates with indexes. */
  private evaluateShapes(
    shapes: readonly Endpoint[],
    preds: readonly Predicate[],
    cluster: Cluster,
    prev?: Analysis,
    shapeKeys?: readonly string[],
  ): number[][] {
    // Shapes seen before keep their results; only predicates new since then are evaluated on them.
    const known = prev?.predicates.list.length ?? 0;
    const reused = shapes.map((_, sh) => (prev !== undefined ? prev.shapePredicatesFor(shapeKeys![sh]!) : undefined));
    const out: number[][] = shapes.map((_, sh) => (reused[sh] !== undefined ? [...reused[sh]!] : []));
    if (prev !== undefined) {
      // Few new shapes: evaluate every predicate on them directly, without building indexes.
      shapes.forEach((e, sh) => {
        if (reused[sh] === undefined) out[sh] = this.slowPredicates(e).filter((id) => !isIpPredicate(preds[id]!));
      });
      if (known === preds.length) return out;
    }
    const index = new ShapeIndex(shapes, cluster, this.keys.podSorted);
    for (const p of preds) {
      if (isIpPredicate(p)) continue; // evaluated per address
      if (prev !== undefined && p.id < known) continue; // every shape already has its result
      for (const s of index.matching(p)) if (reused[s] !== undefined || prev === undefined) out[s]!.push(p.id);
    }
    // Each list is ascending: predicates are visited by id, and new ids come after reused ones.
    // Kept with the shapes: sized exactly (a pushed array keeps room for 17).
    return out.map((l) => l.slice());
  }

  private buildIpAtoms(preds: readonly Predicate[]): Record<4 | 6, IpAtom[]> {
    const ipPreds = preds.filter(
      (p): p is Extract<Predicate, { kind: 'peer' }> => p.kind === 'peer' && p.peer.kind === 'ipBlock',
    );
    const result: Record<4 | 6, IpAtom[]> = { 4: [], 6: [] };
    if (ipPreds.length === 0) return result;
    const bounds = ipPreds.flatMap((p) => (p.peer.kind === 'ipBlock' ? p.peer.blocks.flatMap(cidrSetBounds) : []));
    for (const family of [4, 6] as const) {
      const atoms: IpAtom[] = cutAddressSpace(family, bounds).map((r) => ({ family, start: r.start, preds: [] }));
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

  /**
   * The ipBlock predicates an endpoint satisfies, ascending. They depend only on the address
   * atoms its IPs fall in and on whether it is a pod-network pod, a host-network pod or neither,
   * so endpoints are grouped by those and each group is computed once.
   */
  private ipGroup(e: Endpoint): IpGroup {
    const ips = e.kind === 'external' ? [e.ip] : e.ips;
    const category = e.kind !== 'pod' ? 'o' : e.pod.hostNetwork ? 'h' : 'p';
    let key = category;
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
      key += `|${ip.family}:${lo}`;
    }
    let group = this.ipGroups.get(key);
    if (group === undefined) {
      const out = new Set<number>();
      for (const part of key.split('|').slice(1)) {
        const [family, lo] = part.split(':').map(Number) as [4 | 6, number];
        for (const pid of this.ipAtoms[family][lo]!.preds) {
          const p = this.predicates.list[pid]!;
          if (p.kind !== 'peer' || p.peer.kind !== 'ipBlock') continue;
          if (isSelectablePod(e, p.hn) && !p.peer.matchesPodIps) continue;
          out.add(pid);
        }
      }
      const preds = [...out].sort((a, b) => a - b);
      group = { id: this.ipGroups.size, preds, sig: preds.join(',') };
      if (group.id >= IP_GROUP_LIMIT) throw new Error('internal error: too many address groups');
      this.ipGroups.set(key, group);
    }
    return group;
  }

  /** Signature of an arbitrary endpoint, by evaluating every predicate (slow path). */
  private slowSignature(e: Endpoint): string {
    const all = this.slowPredicates(e);
    const preds = all.filter((id) => !isIpPredicate(this.predicates.list[id]!));
    const ipPreds = all.filter((id) => isIpPredicate(this.predicates.list[id]!));
    return classSignature(shapeSignature(e, preds, this.namedPorts), ipPreds.join(','));
  }

  /** @internal */
  get wordCount(): number {
    return this.words;
  }

  /** Index of an endpoint by id (`ns/pod`, `node/name`, an address or range, a domain). */
  indexOf(id: string): number | undefined {
    return this.index.get(id);
  }

  private get index(): Map<string, number> {
    if (this.idIndex === undefined) {
      const index = new Map<string, number>();
      this.endpoints.forEach((e, i) => index.set(e.id, i));
      this.idIndex = index;
    }
    return this.idIndex;
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
    const r = this.representatives[c]!;
    return r >= 0 ? this.endpoints[r]! : this.extraReps.get(c)!;
  }

  /** Whether one side allows a class pair on an atom. */
  sideAllowed(direction: Direction, srcClass: number, dstClass: number, atom: number): boolean {
    return direction === 'egress'
      ? this.rows.allows('egress', srcClass, atom, dstClass)
      : this.rows.allows('ingress', dstClass, atom, srcClass);
  }

  /** Whether the class-level flow (src class → dst class) is allowed on an atom. */
  classAllowed(srcClass: number, dstClass: number, atom: number): boolean {
    return (
      this.rows.allows('egress', srcClass, atom, dstClass) && this.rows.allows('ingress', dstClass, atom, srcClass)
    );
  }

  /** Allowed ports from one class to another (class level, before pair exemptions). */
  classPorts(srcClass: number, dstClass: number): PortSet {
    return this.atoms.toPortSet((a) => this.classAllowed(srcClass, dstClass, a));
  }

  /**
   * The row of a subject class on an atom for a direction: an id in {@link rowPool} of the
   * allowed peer classes, or -1 when the class has no row (every peer allowed).
   * @internal
   */
  rowId(direction: Direction, subjectClass: number, atom: number): number {
    return this.rows.rowId(direction, subjectClass, atom);
  }

  /**
   * @internal every {@link rowId} of a direction, at `[subjectClass * atoms.size + atom]`, for
   * loops over many classes. Read-only: the analysis's own array.
   */
  rowIds(direction: Direction): Int32Array {
    return this.rows.rowIds(direction);
  }

  /** @internal the policies that select a class, with their tier index, in tier and evaluation order. */
  selectingPolicies(c: number): readonly { readonly tier: number; readonly policy: CompiledPolicy }[] {
    return this.rows.selectingPolicies(c);
  }

  /** @internal the interned rows ({@link rowId}). */
  get rowPool(): SparsePool {
    return this.rows.pool;
  }

  private pairExemption(src: Endpoint, dst: Endpoint): 'self' | 'node-local' | undefined {
    if (src.kind === 'pod' && dst.kind === 'pod' && src.id === dst.id) return 'self';
    if (this.options.nodeLocalIngress && isFromOwnNode(src, dst)) return 'node-local';
    return undefined;
  }

  /** Allowed ports between two endpoints, exemptions (self, node-local ingress) included. */
  portsBetween(src: Endpoint, dst: Endpoint): PortSet {
    const ex = this.pairExemption(src, dst);
    if (ex === 'self') return ALL_PORTS;
    const s = this.classOfEndpoint(src);
    const d = this.classOfEndpoint(dst);
    if (s === undefined || d === undefined) return this.referencePorts(src, dst);
    return this.exemptedClassPorts(ex, s, d);
  }

  /** @internal {@link portsBetween} for two of this analysis's endpoints and their classes. */
  portsBetweenClasses(src: Endpoint, dst: Endpoint, s: number, d: number): PortSet {
    const ex = this.pairExemption(src, dst);
    return ex === 'self' ? ALL_PORTS : this.exemptedClassPorts(ex, s, d);
  }

  /** The ports of a class pair, under a pair's exemption other than `self`. */
  private exemptedClassPorts(ex: 'node-local' | undefined, s: number, d: number): PortSet {
    if (ex === 'node-local') return this.atoms.toPortSet((a) => this.rows.allows('egress', s, a, d));
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
    if (ex === 'node-local') return this.rows.allows('egress', s, a, d);
    return this.classAllowed(s, d, a);
  }

  /**
   * The verdict with both sides explained: the reference evaluator's answer over the same
   * pipeline, computed over the policies that select each side's subject (see `explain.ts`).
   */
  explain(src: Endpoint, dst: Endpoint, protocol: Protocol, port: number): FlowVerdict {
    return explainFlow(this, src, dst, protocol, port);
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
