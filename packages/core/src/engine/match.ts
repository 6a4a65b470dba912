/**
 * Matching of compiled subjects, peers and ports against endpoints: the per-flow semantics
 * shared by the reference evaluator and (on class representatives) by the class engine.
 */
import { cidrSetContains } from '../model/ip.js';
import { matchesSelector } from '../model/selector.js';
import type { Labels, Protocol } from '../model/types.js';
import type { CompiledPolicy, NamespaceMatch, Peer, PortMatch, Rule, Tier } from '../policy/ir.js';
import { type Endpoint, domainMatches, isSelectablePod, nodeOf } from './endpoints.js';

/** Whether a namespace (by name and labels) is covered. */
export function namespaceMatches(match: NamespaceMatch, name: string, labels: Labels): boolean {
  return match.kind === 'name' ? match.name === name : matchesSelector(match.selector, labels);
}

/** Whether a policy of a tier selects the endpoint as its subject. */
export function subjectSelects(tier: Tier, policy: CompiledPolicy, e: Endpoint): boolean {
  if (!isSelectablePod(e, tier.selectsHostNetworkPods)) return false;
  return (
    namespaceMatches(policy.subject.namespaces, e.pod.namespace, e.namespaceLabels) &&
    matchesSelector(policy.subject.pods, e.pod.labels)
  );
}

/** Whether a rule peer matches the endpoint on the other side of the flow. */
export function peerMatches(peer: Peer, e: Endpoint, selectsHostNetworkPods: boolean): boolean {
  switch (peer.kind) {
    case 'all':
      return true;
    case 'pods':
      return (
        isSelectablePod(e, selectsHostNetworkPods) &&
        namespaceMatches(peer.namespaces, e.pod.namespace, e.namespaceLabels) &&
        matchesSelector(peer.pods, e.pod.labels)
      );
    case 'ipBlock': {
      if (isSelectablePod(e, selectsHostNetworkPods) && !peer.matchesPodIps) return false;
      const ips = e.kind === 'external' ? [e.ip] : e.ips;
      return ips.some((ip) => peer.blocks.some((b) => cidrSetContains(b, ip)));
    }
    case 'nodes': {
      if (isSelectablePod(e, selectsHostNetworkPods)) return false;
      const node = nodeOf(e);
      return node !== undefined && matchesSelector(peer.selector, node.labels);
    }
    case 'domains':
      return e.kind === 'domain' && peer.names.some((n) => domainMatches(n, e.name));
  }
}

/** Whether a port match covers (protocol, port) towards the destination endpoint. */
export function portMatches(match: PortMatch, protocol: Protocol, port: number, dst: Endpoint): boolean {
  if (match.kind === 'range') return match.protocol === protocol && port >= match.start && port <= match.end;
  if (match.protocol !== null && match.protocol !== protocol) return false;
  if (dst.kind !== 'pod') return false;
  return dst.pod.ports.some((cp) => cp.name === match.name && cp.port === port && cp.protocol === protocol);
}

/** Whether a rule matches a flow: any peer matches `peer` and any port entry matches. */
export function ruleMatches(
  rule: Rule,
  peer: Endpoint,
  protocol: Protocol,
  port: number,
  dst: Endpoint,
  selectsHostNetworkPods: boolean,
): boolean {
  if (!rule.peers.some((p) => peerMatches(p, peer, selectsHostNetworkPods))) return false;
  return rule.ports === null || rule.ports.some((m) => portMatches(m, protocol, port, dst));
}
