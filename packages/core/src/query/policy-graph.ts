/**
 * The sparse model graph: which policies select which pods, and which namespace each pod is
 * in, as a graphology graph. (The dense pod × pod matrix lives in the class engine's typed
 * arrays, never here.)
 */
import { DirectedGraph } from 'graphology';
import type { PolicyRef } from '../policy/ir.js';
import type { Session } from '../session.js';

/** Attributes of a node of the policy graph. */
export type PolicyGraphNode =
  | { readonly type: 'policy'; readonly ref: PolicyRef; readonly tier: string; readonly priority: number }
  | { readonly type: 'pod'; readonly id: string; readonly namespace: string }
  | { readonly type: 'namespace'; readonly name: string };

/** Attributes of an edge: `selects` (policy → pod, with the directions it governs) or `in` (pod → namespace). */
export type PolicyGraphEdge =
  { readonly type: 'selects'; readonly directions: readonly ('ingress' | 'egress')[] } | { readonly type: 'in' };

/** The policy graph type. */
export type PolicyGraph = DirectedGraph<PolicyGraphNode, PolicyGraphEdge>;

/** Node key of a policy: `policy:Kind/namespace/name` (`policy:Kind/name` when cluster-scoped). */
export function policyNodeKey(ref: PolicyRef): string {
  return ref.namespace !== undefined
    ? `policy:${ref.kind}/${ref.namespace}/${ref.name}`
    : `policy:${ref.kind}/${ref.name}`;
}

/** Node key of a pod: `pod:namespace/name`. */
export function podNodeKey(id: string): string {
  return `pod:${id}`;
}

/**
 * Build the policy graph of a session. Selection comes from the class engine: a policy's
 * subject is matched once per equivalence class, then expanded to the class's pods.
 *
 * @example
 * const g = policyGraph(session);
 * g.inNeighbors(podNodeKey('shop/frontend')); // the policies selecting shop/frontend
 */
export function policyGraph(session: Session): PolicyGraph {
  const g: PolicyGraph = new DirectedGraph<PolicyGraphNode, PolicyGraphEdge>();
  const a = session.analysis;
  const members = new Map<number, string[]>();
  for (const ns of Object.keys(session.cluster.namespaces).sort())
    g.addNode(`namespace:${ns}`, { type: 'namespace', name: ns });
  a.endpoints.forEach((e, i) => {
    if (e.kind !== 'pod') return;
    const key = podNodeKey(e.id);
    g.addNode(key, { type: 'pod', id: e.id, namespace: e.pod.namespace });
    const nsKey = `namespace:${e.pod.namespace}`;
    if (!g.hasNode(nsKey)) g.addNode(nsKey, { type: 'namespace', name: e.pod.namespace });
    g.addDirectedEdgeWithKey(`${key}->${nsKey}`, key, nsKey, { type: 'in' });
    const c = a.classOf[i]!;
    const l = members.get(c);
    if (l === undefined) members.set(c, [e.id]);
    else l.push(e.id);
  });
  for (const tier of session.pipeline.tiers)
    for (const policy of tier.policies) {
      const pkey = policyNodeKey(policy.ref);
      if (g.hasNode(pkey)) continue;
      g.addNode(pkey, { type: 'policy', ref: policy.ref, tier: tier.name, priority: policy.priority });
      const directions = [
        ...(policy.ingress !== undefined ? (['ingress'] as const) : []),
        ...(policy.egress !== undefined ? (['egress'] as const) : []),
      ];
      const pid = a.predicates.subjectOf.get(policy);
      if (pid === undefined) continue;
      for (const c of a.predicateClasses[pid]!)
        for (const id of members.get(c) ?? []) {
          const podKey = podNodeKey(id);
          g.addDirectedEdgeWithKey(`${pkey}->${podKey}`, pkey, podKey, { type: 'selects', directions });
        }
    }
  return g;
}

/** Policies (their refs) selecting a pod, optionally only those governing a direction. */
export function policiesSelecting(g: PolicyGraph, podId: string, direction?: 'ingress' | 'egress'): PolicyRef[] {
  const key = podNodeKey(podId);
  if (!g.hasNode(key)) return [];
  const out: PolicyRef[] = [];
  g.forEachInEdge(key, (_edge, attrs, source) => {
    const node = g.getNodeAttributes(source);
    if (
      attrs.type === 'selects' &&
      node.type === 'policy' &&
      (direction === undefined || attrs.directions.includes(direction))
    )
      out.push(node.ref);
  });
  return out;
}

/** Pod ids a policy selects. */
export function podsSelectedBy(g: PolicyGraph, ref: PolicyRef): string[] {
  const key = policyNodeKey(ref);
  if (!g.hasNode(key)) return [];
  const out: string[] = [];
  g.forEachOutNeighbor(key, (_n, attrs) => {
    if (attrs.type === 'pod') out.push(attrs.id);
  });
  return out;
}
