/**
 * Warnings for input that netpol-analyzer rejects or warns about and that netreach analyses
 * without complaint: the connlist user should learn why a line is missing.
 */
import { formatPolicyRef } from '../engine/trace.js';
import type { Issue } from '../errors.js';
import { matchesSelector } from '../model/selector.js';
import type { Session } from '../session.js';

/** Diagnostics of a session for the connlist. */
export function connlistDiagnostics(session: Session): Issue[] {
  const { cluster, pipeline } = session;
  const issues: Issue[] = [];
  const warn = (code: string, message: string, object?: string): void => {
    const last = issues[issues.length - 1];
    if (last?.code === code && last.message === message && last.object === object) return;
    issues.push({ severity: 'warning', code, message, ...(object !== undefined && { object }) });
  };
  if (cluster.pods.length === 0) warn('NO_WORKLOADS', 'no Pods or workloads in the input: the list is empty');
  if (pipeline.tiers.every((t) => t.policies.length === 0))
    warn('NO_POLICIES', 'no network policies in the input: every connection is allowed');
  const portNames = new Set(cluster.pods.flatMap((p) => p.ports.map((cp) => cp.name)));
  for (const tier of pipeline.tiers)
    for (const policy of tier.policies) {
      const ref = formatPolicyRef(policy.ref);
      for (const [direction, rules] of [
        ['ingress', policy.ingress],
        ['egress', policy.egress],
      ] as const)
        for (const rule of rules ?? []) {
          const named = (rule.ports ?? []).flatMap((m) => (m.kind === 'named' ? [m.name] : []));
          for (const name of named)
            if (!portNames.has(name)) warn('NAMED_PORT_UNDECLARED', `port name "${name}" is declared by no pod`, ref);
          for (const peer of rule.peers) {
            if (peer.kind === 'ipBlock') {
              if (peer.blocks.some((b) => b.range.family === 6))
                warn('IPV6_NOT_LISTED', 'IPv6 CIDRs are analysed but not listed: connlist peers are IPv4 ranges', ref);
              if (direction === 'egress' && named.length > 0 && policy.ref.kind === 'NetworkPolicy')
                warn('NAMED_PORT_IP_PEER', 'a named port never matches an IP address destination (ipBlock peer)', ref);
            } else if (peer.kind === 'nodes' && !cluster.nodes.some((n) => matchesSelector(peer.selector, n.labels)))
              warn('NODES_PEER_EMPTY', 'a nodes peer selects no Node of the input, so it matches nothing', ref);
          }
        }
    }
  return issues;
}
