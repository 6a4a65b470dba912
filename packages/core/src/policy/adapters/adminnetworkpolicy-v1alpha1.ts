/**
 * Adapter for AdminNetworkPolicy, `policy.networking.k8s.io/v1alpha1` (network-policy-api
 * v0.1.7/v0.1.8; policy-semantics.md §1.2): Admin tier, `Allow` → `Allow`, limit 100.
 */
import type { PolicyObject } from '../../model/types.js';
import type { AnalysisOptions } from '../../options.js';
import { compileClusterScopedPolicy, readPriority, type ClusterPolicyDialect } from './cluster-scoped.js';
import { compileV1alpha1Port } from './ports-v1alpha1.js';
import type { AdapterResult } from './types.js';

/** v1alpha1 settings shared by AdminNetworkPolicy and BaselineAdminNetworkPolicy. */
export const V1ALPHA1_DIALECT = {
  maxItems: 100,
  namespaceSelectorRequired: true,
  portsField: 'ports',
  compilePort: compileV1alpha1Port,
} as const;

const DIALECT: ClusterPolicyDialect = {
  ...V1ALPHA1_DIALECT,
  kind: 'AdminNetworkPolicy',
  actions: { Allow: 'Allow', Deny: 'Deny', Pass: 'Pass' },
  egressPeerFields: ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'],
  header: (spec, _obj, ctx) => {
    const priority = readPriority(spec, ctx);
    return priority === undefined ? undefined : { tier: 'Admin', priority };
  },
};

/** Compile an AdminNetworkPolicy. */
export function compileAdminNetworkPolicy(obj: PolicyObject, options: AnalysisOptions): AdapterResult {
  return compileClusterScopedPolicy(obj, { ...DIALECT, missingSelectorsMatchAll: options.missingSelectorsMatchAll });
}
