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
  /**
   * How to read an absent required selector of an AdminNetworkPolicy/BaselineAdminNetworkPolicy
   * (v1alpha1) `pods` peer or subject (`podSelector`, `namespaceSelector`). Default `false`: an
   * error, as the API server rejects the object. `true`: the selector selects everything, with a
   * warning, as tools that decode manifests without API validation read it (netpol-analyzer).
   */
  readonly missingSelectorsMatchAll: boolean;
  /**
   * Whether connectivity lists (`computeConnlist`) include a synthetic `{ingress-controller}`
   * source: a pod in its own namespace, without labels, that reaches the workloads behind
   * Ingress and Route backends on their Service target ports, where policies let an arbitrary
   * in-cluster pod in (netpol-analyzer). Default `false`: Ingress and Route objects only describe
   * intent; the ingress controller is whatever pod the manifests say it is.
   */
  readonly ingressController: boolean;
}

/** The default options. */
export const DEFAULT_OPTIONS: AnalysisOptions = {
  ipBlockMatchesPods: true,
  hostNetworkPods: 'node',
  nodeLocalIngress: true,
  domainIps: {},
  missingSelectorsMatchAll: false,
  ingressController: false,
};

/** Fill in defaults. */
export function resolveOptions(partial: Partial<AnalysisOptions> = {}): AnalysisOptions {
  return { ...DEFAULT_OPTIONS, ...partial };
}
