/**
 * Predicates: every distinct subject and peer in a pipeline, numbered once. An endpoint's
 * equivalence class is decided by which predicates it satisfies.
 */
import { flat } from '../model/flat.js';
import { selectorKey } from '../model/selector.js';
import type { CompiledPolicy, NamespaceMatch, Peer, Rule, TierPipeline } from '../policy/ir.js';

/** A subject (which pods a policy applies to) or a rule peer, under a tier's host-network rule. */
export type Predicate =
  | { readonly id: number; readonly kind: 'subject'; readonly hn: boolean; readonly policy: CompiledPolicy }
  | { readonly id: number; readonly kind: 'peer'; readonly hn: boolean; readonly peer: Peer };

function nsKey(m: NamespaceMatch): string {
  return m.kind === 'name' ? `name:${m.name}` : `sel:${selectorKey(m.selector)}`;
}

/** A canonical key for a peer. */
export function peerKey(p: Peer): string {
  switch (p.kind) {
    case 'all':
      return 'all';
    case 'pods':
      return `pods|${nsKey(p.namespaces)}|${selectorKey(p.pods)}`;
    case 'ipBlock':
      return `ip|${p.matchesPodIps}|${p.blocks
        .map(
          (b) =>
            `${b.range.family}:${b.range.start}-${b.range.end}/${b.except.map((e) => `${e.range.start}-${e.range.end}`).join('+')}`,
        )
        .join(',')}`;
    case 'nodes':
      return `nodes|${selectorKey(p.selector)}`;
    case 'domains':
      return `dom|${[...p.names].sort().join(',')}`;
  }
}

const keyCache = new WeakMap<CompiledPolicy, { hn: boolean; subject: string; rules: string[][] }>();

/** Predicate keys of a policy's subject and rule peers (cached per compiled policy object). */
function policyKeys(policy: CompiledPolicy, hn: boolean): { subject: string; rules: string[][] } {
  const cached = keyCache.get(policy);
  if (cached !== undefined && cached.hn === hn) return cached;
  // Cached with the policy: built with `map`, so sized exactly.
  // Kept (here and as predicate-table keys): flat, not trees of pieces (see model/flat.ts).
  const rules = [...(policy.ingress ?? []), ...(policy.egress ?? [])].map((rule) =>
    rule.peers.map((peer) => flat(`P|${hn}|${peerKey(peer)}`)),
  );
  const keys = {
    hn,
    subject: flat(`S|${hn}|${nsKey(policy.subject.namespaces)}|${selectorKey(policy.subject.pods)}`),
    rules,
  };
  keyCache.set(policy, keys);
  return keys;
}

/** Read access to a map (tables chain their lookups to the table they extend). */
export interface Lookup<K, V> {
  get(key: K): V | undefined;
}

/** Chains longer than this are flattened into one table. */
const MAX_CHAIN = 8;

/** The numbered predicates of a pipeline. */
export class PredicateTable {
  readonly list: Predicate[] = [];
  /** Subject predicate of each policy. */
  readonly subjectOf: Lookup<CompiledPolicy, number> = {
    get: (p) => this.subjects.get(p) ?? this.parent?.subjectOf.get(p),
  };
  /** Predicate of each peer of each rule, in peer order. */
  readonly peersOf: Lookup<Rule, number[]> = { get: (r) => this.peers.get(r) ?? this.parent?.peersOf.get(r) };
  private readonly subjects = new Map<CompiledPolicy, number>();
  private readonly peers = new Map<Rule, number[]>();
  private readonly byKey = new Map<string, number>();
  /** The table this one extends (its entries are this one's too), and the chain's length. */
  private readonly parent: PredicateTable | undefined;
  private readonly depth: number;

  /**
   * Number the predicates of a pipeline. With `previous`, its numbering is kept and extended:
   * predicates that disappeared keep their ids (unused), so signatures stay comparable. Policies
   * `previous` already numbered are not looked at again (compiled policies are immutable).
   */
  constructor(pipeline: TierPipeline, previous?: PredicateTable) {
    if (previous !== undefined) {
      this.list.push(...previous.list);
      if (previous.depth < MAX_CHAIN) {
        this.parent = previous;
        this.depth = previous.depth + 1;
      } else {
        for (let t: PredicateTable | undefined = previous; t !== undefined; t = t.parent) {
          for (const [k, v] of t.subjects) if (!this.subjects.has(k)) this.subjects.set(k, v);
          for (const [k, v] of t.peers) if (!this.peers.has(k)) this.peers.set(k, v);
          for (const [k, v] of t.byKey) if (!this.byKey.has(k)) this.byKey.set(k, v);
        }
        this.depth = 0;
      }
    } else this.depth = 0;
    for (const tier of pipeline.tiers) {
      const hn = tier.selectsHostNetworkPods;
      for (const policy of tier.policies) {
        if (this.subjectOf.get(policy) !== undefined) continue;
        const keys = policyKeys(policy, hn);
        this.subjects.set(
          policy,
          this.intern(keys.subject, (id) => ({ id, kind: 'subject', hn, policy })),
        );
        let r = 0;
        for (const rules of [policy.ingress, policy.egress])
          for (const rule of rules ?? []) {
            const peerKeys = keys.rules[r++]!;
            this.peers.set(
              rule,
              rule.peers.map((peer, i) => this.intern(peerKeys[i]!, (id) => ({ id, kind: 'peer', hn, peer }))),
            );
          }
      }
    }
  }

  private idOfKey(key: string): number | undefined {
    return this.byKey.get(key) ?? this.parent?.idOfKey(key);
  }

  private intern(key: string, make: (id: number) => Predicate): number {
    let id = this.idOfKey(key);
    if (id === undefined) {
      id = this.list.length;
      this.byKey.set(key, id);
      this.list.push(make(id));
    }
    return id;
  }
}
