/**
 * Predicates: every distinct subject and peer in a pipeline, numbered once. An endpoint's
 * equivalence class is decided by which predicates it satisfies.
 */
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
        .map((b) => `${b.range.family}:${b.range.start}-${b.range.end}/${b.except.map((e) => `${e.range.start}-${e.range.end}`).join('+')}`)
        .join(',')}`;
    case 'nodes':
      return `nodes|${selectorKey(p.selector)}`;
    case 'domains':
      return `dom|${[...p.names].sort().join(',')}`;
  }
}

/** The numbered predicates of a pipeline. */
export class PredicateTable {
  readonly list: Predicate[] = [];
  /** Subject predicate of each policy. */
  readonly subjectOf = new Map<CompiledPolicy, number>();
  /** Predicate of each peer of each rule, in peer order. */
  readonly peersOf = new Map<Rule, number[]>();
  private readonly byKey = new Map<string, number>();

  constructor(pipeline: TierPipeline) {
    for (const tier of pipeline.tiers) {
      const hn = tier.selectsHostNetworkPods;
      for (const policy of tier.policies) {
        const skey = `S|${hn}|${nsKey(policy.subject.namespaces)}|${selectorKey(policy.subject.pods)}`;
        this.subjectOf.set(policy, this.intern(skey, (id) => ({ id, kind: 'subject', hn, policy })));
        for (const rules of [policy.ingress, policy.egress])
          for (const rule of rules ?? [])
            this.peersOf.set(
              rule,
              rule.peers.map((peer) => this.intern(`P|${hn}|${peerKey(peer)}`, (id) => ({ id, kind: 'peer', hn, peer }))),
            );
      }
    }
  }

  private intern(key: string, make: (id: number) => Predicate): number {
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.list.length;
      this.byKey.set(key, id);
      this.list.push(make(id));
    }
    return id;
  }
}
