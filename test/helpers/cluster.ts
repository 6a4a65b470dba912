/** Build sessions from inline YAML for tests. */
import {
  type AnalysisOptions,
  type Session,
  analyzeCluster,
  checkFlow,
  hasErrors,
  loadManifests,
} from '@netreach/core';

/** Load YAML text into an analysed session; throws on input errors. */
export function sessionFrom(yaml: string, options: Partial<AnalysisOptions> = {}): Session {
  const { cluster, issues } = loadManifests([{ name: 'test.yaml', text: yaml }]);
  if (hasErrors(issues)) throw new Error(issues.map((i) => i.message).join('\n'));
  return analyzeCluster(cluster, options);
}

/** 'allow' or 'deny' for a flow. */
export function verdict(
  s: Session,
  from: string,
  to: string,
  port: number | string,
  protocol?: 'TCP' | 'UDP' | 'SCTP',
): string {
  return checkFlow(s, { from, to, port, protocol }).verdict;
}

/** A pod manifest. */
export function pod(
  ns: string,
  name: string,
  labels: Record<string, string>,
  ip: string,
  ports: { name?: string; containerPort: number; protocol?: string }[] = [],
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: ns, name, labels },
    spec: { containers: [{ name: 'c', image: 'x', ports }], ...extra },
    status: { podIP: ip, podIPs: [{ ip }] },
  });
}

/** A namespace manifest. */
export function namespace(name: string, labels: Record<string, string> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

/** A NetworkPolicy manifest. */
export function netpol(ns: string, name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { namespace: ns, name },
    spec,
  });
}

/** Join manifests into one multi-document YAML text (JSON is YAML). */
export function docs(...items: string[]): string {
  return items.join('\n---\n');
}
