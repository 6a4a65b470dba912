/** Compile every policy object of a cluster into the tier pipeline. */
import type { Issue } from '../errors.js';
import { isSelectablePod, nodesByName, podEndpoint } from '../engine/endpoints.js';
import { subjectSelects } from '../engine/match.js';
import type { Cluster, PolicyObject } from '../model/types.js';
import type { AnalysisOptions } from '../options.js';
import { compilePolicyObject } from './adapters/index.js';
import type { CompiledPolicy, TierPipeline } from './ir.js';
import { buildPipeline } from './pipeline.js';
import { formatPolicyRef } from '../engine/trace.js';

/** Result of compiling a cluster's policies. */
export interface CompileResult {
  readonly pipeline: TierPipeline;
  readonly policies: readonly CompiledPolicy[];
  readonly issues: readonly Issue[];
}

/**
 * Compile the policies of a cluster. Invalid policies are reported as error issues and left
 * out; equal priorities that could both apply to a pod are reported as warnings.
 */
export function compileCluster(
  cluster: Cluster,
  options: AnalysisOptions,
  /** Results by policy object, reused when the same (unchanged) object is compiled again. */
  cache?: WeakMap<PolicyObject, ReturnType<typeof compilePolicyObject>>,
): CompileResult {
  const issues: Issue[] = [];
  const policies: CompiledPolicy[] = [];
  for (const obj of cluster.policies) {
    let r = cache?.get(obj);
    if (r === undefined) {
      r = compilePolicyObject(obj, options);
      cache?.set(obj, r);
    }
    issues.push(...r.issues);
    if (r.policy !== undefined) policies.push(r.policy);
  }
  const pipeline = buildPipeline(policies, options);
  issues.push(...equalPriorityWarnings(cluster, pipeline));
  return { pipeline, policies, issues };
}

/** Warn when two policies of an ordered tier share a priority and select a common pod. */
function equalPriorityWarnings(cluster: Cluster, pipeline: TierPipeline): Issue[] {
  const out: Issue[] = [];
  const nodes = nodesByName(cluster);
  const pods = cluster.pods.map((p) => podEndpoint(cluster, p, nodes));
  for (const tier of pipeline.tiers) {
    if (tier.evaluation !== 'first-match') continue;
    const ps = tier.policies;
    for (let i = 0; i < ps.length; i++) {
      for (let j = i + 1; j < ps.length && ps[j]!.priority === ps[i]!.priority; j++) {
        const a = ps[i]!;
        const b = ps[j]!;
        const sharedDirection =
          (a.ingress !== undefined && b.ingress !== undefined) || (a.egress !== undefined && b.egress !== undefined);
        if (!sharedDirection) continue;
        const common = pods.find(
          (e) => isSelectablePod(e, tier.selectsHostNetworkPods) && subjectSelects(tier, a, e) && subjectSelects(tier, b, e),
        );
        if (common === undefined) continue;
        out.push({
          severity: 'warning',
          code: 'EQUAL_PRIORITY',
          message:
            `${formatPolicyRef(a.ref)} and ${formatPolicyRef(b.ref)} have the same priority ${a.priority} in the ${tier.name} tier ` +
            `and both select ${common.id}; implementations may apply either first. netreach evaluates ${formatPolicyRef(a.ref)} first ` +
            `(ties are broken by name). Give them distinct priorities.`,
          object: formatPolicyRef(a.ref),
        });
      }
    }
  }
  return out;
}
