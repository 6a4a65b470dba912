/**
 * Switches for behaviour that upstream leaves implementation-defined. Every default is
 * documented in docs/options.md.
 */
export interface AnalysisOptions {
  /**
   * Whether NetworkPolicy `ipBlock` matches pod-network pod IPs. Default `true`, as the upstream
   * e2e tests expect. (ClusterNetworkPolicy `networks` always matches pod IPs.)
   */
  readonly ipBlockMatchesPods: boolean;
  /**
   * How NetworkPolicy treats host-network pods: `node` (default, the common implementation):
   * they are never selected by pod/namespace selectors and their traffic is node-IP traffic;
   * `pod`: they are selected like any pod. ClusterNetworkPolicy always uses `node`.
   */
  readonly hostNetworkPods: 'node' | 'pod';
  /**
   * Ingress from the destination pod's own node (node IP or a host-network pod on that node)
   * is always allowed, as the NetworkPolicy API says. Default `true`; needs `spec.nodeName`.
   */
  readonly nodeLocalIngress: boolean;
  /**
   * Domain name to IP mapping for ClusterNetworkPolicy `domainNames` flows: a flow to a domain
   * also matches `networks` rules holding one of its IPs.
   */
  readonly domainIps: Readonly<Record<string, readonly string[]>>;
}

/** The default options. */
export const DEFAULT_OPTIONS: AnalysisOptions = {
  ipBlockMatchesPods: true,
  hostNetworkPods: 'node',
  nodeLocalIngress: true,
  domainIps: {},
};

/** Fill in defaults. */
export function resolveOptions(partial: Partial<AnalysisOptions> = {}): AnalysisOptions {
  return { ...DEFAULT_OPTIONS, ...partial };
}
