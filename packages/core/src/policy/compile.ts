/** Compile every policy object of a cluster into the tier pipeline. */
import type { Issue } from '../errors.js';
import { namespaceMatches } from '../engine/match.js';
import { NAMESPACE_NAME_LABEL } from '../load/build.js';
import { matchesSelector } from '../model/selector.js';
import type { Cluster, Labels, Pod, PolicyObject } from '../model/types.js';
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

/**
 * Warn when two policies of an ordered tier share a priority and select a common pod. Pods are
 * matched against the subjects directly (as the engine's `subjectSelects` does on pod
 * endpoints), and only for pairs that share a priority.
 */
function equalPriorityWarnings(cluster: Cluster, pipeline: TierPipeline): Issue[] {
  const out: Issue[] = [];
  /** Namespace labels as pod endpoints carry them (implicit namespaces: the name label only). */
  const namespaceLabels = new Map<string, Labels>();
  const labelsOf = (namespace: string): Labels => {
    let labels = namespaceLabels.get(namespace);
    if (labels === undefined) {
      labels = cluster.namespaces[namespace]?.labels ?? { [NAMESPACE_NAME_LABEL]: namespace };
      namespaceLabels.set(namespace, labels);
    }
    return labels;
  };
  const selects = (policy: CompiledPolicy, pod: Pod): boolean =>
    matchesSelector(policy.subject.pods, pod.labels) &&
    namespaceMatches(policy.subject.namespaces, pod.namespace, labelsOf(pod.namespace));
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
        const common = cluster.pods.find(
          (pod) => (!pod.hostNetwork || tier.selectsHostNetworkPods) && selects(a, pod) && selects(b, pod),
        );
        if (common === undefined) continue;
        out.push({
          severity: 'warning',
          code: 'EQUAL_PRIORITY',
          message:
            `${formatPolicyRef(a.ref)} and ${formatPolicyRef(b.ref)} have the same priority ${a.priority} in the ${tier.name} tier ` +
            `and both select ${common.namespace}/${common.name}; implementations may apply either first. netreach evaluates ${formatPolicyRef(a.ref)} first ` +
            `(ties are broken by name). Give them distinct priorities.`,
          object: formatPolicyRef(a.ref),
        });
      }
    }
  }
  return out;
}
