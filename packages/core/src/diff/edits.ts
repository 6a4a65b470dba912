/**
 * Immutable edits of a cluster model, for "what if" questions. Every edit returns a new cluster
 * that shares every untouched object with the original (immer's structural sharing); the original
 * is never changed. immer freezes what it returns, including the shared objects.
 */
import { type Draft, produce } from 'immer';
import type { Issue } from '../errors.js';
import { NAMESPACE_NAME_LABEL, buildCluster } from '../load/build.js';
import type { RawObject } from '../load/parse.js';
import type { Cluster, Labels, Pod } from '../model/types.js';

/**
 * The result of an edit: the new cluster, or the unchanged one with an error issue.
 *
 * @example
 * const r: EditResult = removePolicy(cluster, { kind: 'NetworkPolicy', namespace: 'shop', name: 'web' });
 * if (hasErrors(r.issues)) console.error(r.issues.map(formatIssue).join('\n'));
 */
export interface EditResult {
  readonly cluster: Cluster;
  /** Problems found; when any is an error, `cluster` is the original, unchanged. */
  readonly issues: readonly Issue[];
}

/**
 * Identifies an object of the cluster model by kind, namespace (namespaced kinds) and name.
 *
 * @example
 * const np: ObjectRef = { kind: 'NetworkPolicy', namespace: 'shop', name: 'default-deny' };
 * const anp: ObjectRef = { kind: 'AdminNetworkPolicy', name: 'cluster-baseline' };
 */
export interface ObjectRef {
  /** Kind as written in manifests: `NetworkPolicy`, `Deployment`, `Pod`, `Namespace`, `Node`, … */
  readonly kind: string;
  /** Namespace of namespaced kinds; leave out for cluster-scoped kinds. */
  readonly namespace?: string | undefined;
  readonly name: string;
}

/** Kinds of workloads whose pod template becomes a pod of the model. */
const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
]);

/** Policy kinds. */
const POLICY_KINDS: ReadonlySet<string> = new Set([
  'NetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
]);

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePods(a: Pod, b: Pod): number {
  return cmp(a.namespace, b.namespace) || cmp(a.name, b.name);
}

/**
 * An object reference as text.
 *
 * @example
 * formatObjectRef({ kind: 'NetworkPolicy', namespace: 'shop', name: 'web' }); // 'NetworkPolicy shop/web'
 * formatObjectRef({ kind: 'Node', name: 'n1' }); // 'Node n1'
 */
export function formatObjectRef(ref: ObjectRef): string {
  return ref.namespace !== undefined ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

function notFound(message: string): Issue {
  return { severity: 'error', code: 'NOT_FOUND', message };
}

function failed(cluster: Cluster, issue: Issue): EditResult {
  return { cluster, issues: [issue] };
}

/**
 * Add objects (parsed manifests) to a cluster. An object with the identity of an existing one
 * replaces it: a policy of the same kind, namespace and name; a pod (Pod or workload) of the same
 * namespace and name; a namespace or node of the same name. Namespaces implied by the new objects
 * are added only when missing. Objects are turned into model objects by {@link buildCluster}, so
 * input problems are reported the same way as when loading; on any error the cluster is returned
 * unchanged.
 *
 * @example
 * const { objects } = parseManifests(text, 'change.yaml');
 * const { cluster: next, issues } = addObjects(cluster, objects);
 * if (!hasErrors(issues)) diffSessions(analyzeCluster(cluster), analyzeCluster(next));
 */
export function addObjects(cluster: Cluster, objects: readonly RawObject[]): EditResult {
  const built = buildCluster(objects);
  if (built.issues.some((i) => i.severity === 'error')) return { cluster, issues: built.issues };
  const add = built.cluster;
  const next = produce(cluster, (d) => {
    for (const ns of Object.values(add.namespaces)) {
      if (ns.implicit && d.namespaces[ns.name] !== undefined) continue;
      d.namespaces[ns.name] = ns as Draft<typeof ns>;
    }
    // Keep namespaces in name order, as the loader does.
    const names = Object.keys(d.namespaces);
    const sorted = [...names].sort(cmp);
    if (names.some((n, i) => n !== sorted[i])) {
      const entries = sorted.map((n) => [n, d.namespaces[n]!] as const);
      for (const n of names) delete d.namespaces[n];
      for (const [n, v] of entries) d.namespaces[n] = v;
    }
    for (const pod of add.pods) {
      const i = d.pods.findIndex((p) => p.namespace === pod.namespace && p.name === pod.name);
      if (i >= 0) d.pods[i] = pod as Draft<Pod>;
      else {
        const at = d.pods.findIndex((p) => comparePods(p as Pod, pod) > 0);
        d.pods.splice(at < 0 ? d.pods.length : at, 0, pod as Draft<Pod>);
      }
    }
    for (const node of add.nodes) {
      const i = d.nodes.findIndex((n) => n.name === node.name);
      if (i >= 0) d.nodes[i] = node as Draft<typeof node>;
      else {
        const at = d.nodes.findIndex((n) => cmp(n.name, node.name) > 0);
        d.nodes.splice(at < 0 ? d.nodes.length : at, 0, node as Draft<typeof node>);
      }
    }
    for (const policy of add.policies) {
      const i = d.policies.findIndex(
        (p) =>
          p.kind === policy.kind &&
          p.metadata.name === policy.metadata.name &&
          p.metadata.namespace === policy.metadata.namespace,
      );
      if (i >= 0) d.policies[i] = policy as Draft<typeof policy>;
      else d.policies.push(policy as Draft<typeof policy>);
    }
  });
  return { cluster: next, issues: built.issues };
}

/**
 * Remove a policy object (NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy or
 * ClusterNetworkPolicy). Returns an error issue, and the cluster unchanged, when there is none.
 *
 * @example
 * const r = removePolicy(cluster, { kind: 'NetworkPolicy', namespace: 'shop', name: 'default-deny' });
 * if (hasErrors(r.issues)) throw new Error(r.issues[0]!.message);
 */
export function removePolicy(cluster: Cluster, ref: ObjectRef): EditResult {
  const i = cluster.policies.findIndex(
    (p) => p.kind === ref.kind && p.metadata.name === ref.name && p.metadata.namespace === ref.namespace,
  );
  if (i < 0) return failed(cluster, notFound(`${formatObjectRef(ref)} not found`));
  return {
    cluster: produce(cluster, (d) => {
      d.policies.splice(i, 1);
    }),
    issues: [],
  };
}

/**
 * Remove any object of the model: a policy; a Pod or a workload (its pod); a Node; a Namespace,
 * with everything in it (its pods and NetworkPolicies), as Kubernetes does. Returns an error
 * issue, and the cluster unchanged, when the object is not there.
 *
 * @example
 * removeObject(cluster, { kind: 'Deployment', namespace: 'shop', name: 'frontend' });
 * removeObject(cluster, { kind: 'Namespace', name: 'monitoring' });
 */
export function removeObject(cluster: Cluster, ref: ObjectRef): EditResult {
  if (POLICY_KINDS.has(ref.kind)) return removePolicy(cluster, ref);
  const missing = (): EditResult => failed(cluster, notFound(`${formatObjectRef(ref)} not found`));
  if (ref.kind === 'Namespace') {
    if (cluster.namespaces[ref.name] === undefined) return missing();
    const next = produce(cluster, (d) => {
      delete d.namespaces[ref.name];
      d.pods = d.pods.filter((p) => p.namespace !== ref.name);
      d.policies = d.policies.filter((p) => p.metadata.namespace !== ref.name);
    });
    return { cluster: next, issues: [] };
  }
  if (ref.kind === 'Node') {
    const i = cluster.nodes.findIndex((n) => n.name === ref.name);
    if (i < 0) return missing();
    return {
      cluster: produce(cluster, (d) => {
        d.nodes.splice(i, 1);
      }),
      issues: [],
    };
  }
  if (ref.kind === 'Pod' || WORKLOAD_KINDS.has(ref.kind)) {
    const ns = ref.namespace ?? 'default';
    const i = cluster.pods.findIndex(
      (p) =>
        p.namespace === ns &&
        p.name === ref.name &&
        (ref.kind === 'Pod' ? !p.fromTemplate : p.fromTemplate && p.workload?.kind === ref.kind),
    );
    if (i < 0) return failed(cluster, notFound(`${formatObjectRef({ ...ref, namespace: ns })} not found`));
    return {
      cluster: produce(cluster, (d) => {
        d.pods.splice(i, 1);
      }),
      issues: [],
    };
  }
  return failed(cluster, {
    severity: 'error',
    code: 'UNSUPPORTED_KIND',
    message: `cannot remove a ${ref.kind}: only policies, pods, workloads, namespaces and nodes are in the model`,
  });
}

/**
 * Set the labels of a pod, addressed as `namespace/name`: the pod of that name, or else every pod
 * of the workload of that name. The labels replace the old ones.
 *
 * @example
 * const r = relabelPod(cluster, 'shop/frontend', { app: 'frontend', tier: 'web', exposed: 'true' });
 */
export function relabelPod(cluster: Cluster, ref: string, labels: Labels): EditResult {
  const slash = ref.indexOf('/');
  if (slash <= 0 || slash !== ref.lastIndexOf('/') || slash === ref.length - 1)
    return failed(cluster, {
      severity: 'error',
      code: 'INVALID_REF',
      message: `expected namespace/name, got "${ref}"`,
    });
  const ns = ref.slice(0, slash);
  const name = ref.slice(slash + 1);
  let targets = cluster.pods.flatMap((p, i) => (p.namespace === ns && p.name === name ? [i] : []));
  if (targets.length === 0)
    targets = cluster.pods.flatMap((p, i) => (p.namespace === ns && p.workload?.name === name ? [i] : []));
  if (targets.length === 0) return failed(cluster, notFound(`no pod or workload "${name}" in namespace "${ns}"`));
  const next = produce(cluster, (d) => {
    for (const i of targets) d.pods[i]!.labels = { ...labels };
  });
  return { cluster: next, issues: [] };
}

/**
 * Set the labels of a namespace. The labels replace the old ones, except
 * `kubernetes.io/metadata.name`, which always stays set to the namespace name.
 *
 * @example
 * const r = relabelNamespace(cluster, 'monitoring', { team: 'observability' });
 */
export function relabelNamespace(cluster: Cluster, name: string, labels: Labels): EditResult {
  if (cluster.namespaces[name] === undefined) return failed(cluster, notFound(`Namespace ${name} not found`));
  const next = produce(cluster, (d) => {
    const entries = Object.entries(labels).filter(([k]) => k !== NAMESPACE_NAME_LABEL);
    d.namespaces[name]!.labels = Object.fromEntries([...entries, [NAMESPACE_NAME_LABEL, name]]);
  });
  return { cluster: next, issues: [] };
}
