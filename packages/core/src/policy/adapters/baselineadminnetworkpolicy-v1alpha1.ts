/**
 * Adapter for BaselineAdminNetworkPolicy, `policy.networking.k8s.io/v1alpha1`
 * (policy-semantics.md §1.3): a singleton named `default` in the Baseline tier at priority 0,
 * actions `Allow`/`Deny` only, no `domainNames` peers, limit 100.
 */
import type { PolicyObject } from '../../model/types.js';
import type { AnalysisOptions } from '../../options.js';
import { V1ALPHA1_DIALECT } from './adminnetworkpolicy-v1alpha1.js';
import { compileClusterScopedPolicy, type ClusterPolicyDialect } from './cluster-scoped.js';
import type { AdapterResult } from './types.js';

const SINGLETON_NAME = 'default';

const DIALECT: ClusterPolicyDialect = {
  ...V1ALPHA1_DIALECT,
  kind: 'BaselineAdminNetworkPolicy',
  actions: { Allow: 'Allow', Deny: 'Deny' },
  egressPeerFields: ['namespaces', 'pods', 'nodes', 'networks'],
  header: (_spec, obj, ctx) => {
    if (obj.metadata.name !== SINGLETON_NAME) {
      ctx.error(
        'metadata.name',
        'INVALID_NAME',
        `only one BaselineAdminNetworkPolicy, named "${SINGLETON_NAME}", can exist in a cluster; got ${JSON.stringify(obj.metadata.name)}`,
      );
      return undefined;
    }
    return { tier: 'Baseline', priority: 0 };
  },
};

/** Compile a BaselineAdminNetworkPolicy. `spec.priority` does not exist in this kind and is ignored. */
export function compileBaselineAdminNetworkPolicy(obj: PolicyObject, options: AnalysisOptions): AdapterResult {
  return compileClusterScopedPolicy(obj, { ...DIALECT, missingSelectorsMatchAll: options.missingSelectorsMatchAll });
}
