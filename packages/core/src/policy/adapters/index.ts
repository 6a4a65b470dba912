/**
 * Policy adapters: one per policy kind, each compiling a {@link PolicyObject} into the common
 * `CompiledPolicy` IR plus issues. Sorting policies into tiers is the pipeline's job.
 */
import type { PolicyObject } from '../../model/types.js';
import type { AnalysisOptions } from '../../options.js';
import { compileAdminNetworkPolicy } from './adminnetworkpolicy-v1alpha1.js';
import { compileBaselineAdminNetworkPolicy } from './baselineadminnetworkpolicy-v1alpha1.js';
import { compileClusterNetworkPolicy } from './clusternetworkpolicy-v1alpha2.js';
import { compileNetworkPolicy } from './networkpolicy-v1.js';
import type { AdapterResult } from './types.js';
import { createValidationContext, describeObject } from './validate.js';

export type { AdapterResult } from './types.js';
export { compileAdminNetworkPolicy } from './adminnetworkpolicy-v1alpha1.js';
export { compileBaselineAdminNetworkPolicy } from './baselineadminnetworkpolicy-v1alpha1.js';
export { compileClusterNetworkPolicy } from './clusternetworkpolicy-v1alpha2.js';
export { compileNetworkPolicy } from './networkpolicy-v1.js';
export { compileLabelSelector } from './selector.js';
export type { IssueCode } from './validate.js';

type Adapter = (obj: PolicyObject, options: AnalysisOptions) => AdapterResult;

/** The supported kinds, by kind, with the apiVersion each adapter implements. */
const ADAPTERS: Readonly<Record<string, { readonly apiVersion: string; readonly compile: Adapter }>> = {
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', compile: compileNetworkPolicy },
  ClusterNetworkPolicy: { apiVersion: 'policy.networking.k8s.io/v1alpha2', compile: compileClusterNetworkPolicy },
  AdminNetworkPolicy: { apiVersion: 'policy.networking.k8s.io/v1alpha1', compile: compileAdminNetworkPolicy },
  BaselineAdminNetworkPolicy: {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    compile: compileBaselineAdminNetworkPolicy,
  },
};

/**
 * Compile any supported policy object. An unknown kind or an apiVersion netreach does not
 * implement gives an `UNKNOWN_KIND` warning and no policy.
 */
export function compilePolicyObject(obj: PolicyObject, options: AnalysisOptions): AdapterResult {
  const adapter = Object.prototype.hasOwnProperty.call(ADAPTERS, obj.kind) ? ADAPTERS[obj.kind] : undefined;
  if (adapter !== undefined && adapter.apiVersion === obj.apiVersion) return adapter.compile(obj, options);
  const ctx = createValidationContext(obj, describeObject(obj.kind, obj.metadata.name, obj.metadata.namespace));
  const message =
    adapter === undefined
      ? `unsupported policy kind ${JSON.stringify(obj.kind)}; supported: ${Object.keys(ADAPTERS).join(', ')}`
      : `unsupported apiVersion ${JSON.stringify(obj.apiVersion)} for ${obj.kind}; netreach reads ${adapter.apiVersion}`;
  ctx.warn(adapter === undefined ? 'kind' : 'apiVersion', 'UNKNOWN_KIND', `${message}; the object is ignored`);
  return { issues: ctx.issues };
}
