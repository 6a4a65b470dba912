/**
 * The main entry points: load manifests into a cluster, analyse it, and ask questions.
 */
import type { Analysis, AnalysisHooks } from './engine/analysis.js';
import { analyze } from './engine/analysis.js';
import { type Endpoint, domainEndpoint, externalEndpoint, nodesByName, podEndpoint } from './engine/endpoints.js';
import type { FlowVerdict } from './engine/trace.js';
import type { Issue } from './errors.js';
import { NetreachError, hasErrors } from './errors.js';
import { loadCluster } from './load/build.js';
import { parseIp } from './model/ip.js';
import type { Cluster, PolicyObject, Protocol } from './model/types.js';
import type { compilePolicyObject } from './policy/adapters/index.js';
import { type AnalysisOptions, resolveOptions } from './options.js';
import { compileCluster } from './policy/compile.js';
import type { CompiledPolicy, TierPipeline } from './policy/ir.js';

/** Manifest text with the name it is reported under. */
export interface ManifestSource {
  readonly name: string;
  readonly text: string;
}

/** A loaded cluster and what was found wrong with the input. */
export interface LoadResult {
  readonly cluster: Cluster;
  readonly issues: readonly Issue[];
}

/**
 * Parse manifests (YAML or JSON, multi-document, Lists) and build the cluster model.
 *
 * @example
 * const { cluster, issues } = loadManifests([{ name: 'app.yaml', text }]);
 */
export function loadManifests(sources: readonly ManifestSource[]): LoadResult {
  // File by file, so raw objects can be collected early (same result as parse-then-build).
  return loadCluster(sources);
}

const compileCaches = new WeakMap<Session, WeakMap<PolicyObject, ReturnType<typeof compilePolicyObject>>>();

/** A cluster with its compiled pipeline and analysis. */
export interface Session {
  readonly cluster: Cluster;
  readonly options: AnalysisOptions;
  readonly pipeline: TierPipeline;
  readonly policies: readonly CompiledPolicy[];
  readonly analysis: Analysis;
  /** Compile issues (errors leave the policy out; warnings are informational). */
  readonly issues: readonly Issue[];
}

/**
 * Compile and analyse a cluster.
 *
 * @throws {NetreachError} code `INVALID_POLICY` when a policy has errors (see `error.issues`),
 *   unless `allowInvalid` is set, in which case invalid policies are left out.
 * @example
 * const session = analyzeCluster(cluster);
 * checkFlow(session, { from: 'shop/frontend', to: 'shop/backend', port: 8080 }).verdict; // 'allow'
 */
export function analyzeCluster(
  cluster: Cluster,
  options: Partial<AnalysisOptions> = {},
  { allowInvalid = false, hooks = {} }: { allowInvalid?: boolean; hooks?: AnalysisHooks } = {},
): Session {
  const opts = resolveOptions(options);
  const cache = new WeakMap<PolicyObject, ReturnType<typeof compilePolicyObject>>();
  return compiledSession(cluster, opts, cache, allowInvalid, hooks, (pipeline) =>
    analyze(cluster, pipeline, opts, hooks),
  );
}

/** Compile a cluster's policies (with `cache`) and analyse them into a session. */
function compiledSession(
  cluster: Cluster,
  opts: AnalysisOptions,
  cache: WeakMap<PolicyObject, ReturnType<typeof compilePolicyObject>>,
  allowInvalid: boolean,
  hooks: AnalysisHooks,
  analyse: (pipeline: TierPipeline) => Analysis,
): Session {
  const compiled = compileCluster(cluster, opts, cache);
  hooks.phase?.('compile');
  if (!allowInvalid && hasErrors(compiled.issues)) {
    throw new NetreachError('INVALID_POLICY', 'invalid policy objects', compiled.issues);
  }
  const session: Session = {
    cluster,
    options: opts,
    pipeline: compiled.pipeline,
    policies: compiled.policies,
    analysis: analyse(compiled.pipeline),
    issues: compiled.issues,
  };
  compileCaches.set(session, cache);
  return session;
}

/**
 * Re-analyse after a change to the cluster (a policy added, removed or edited, a pod or
 * namespace relabelled — typically made with immer so untouched objects stay the same), reusing
 * the earlier session's work: unchanged policy objects are not recompiled, and only what the
 * change touches is re-evaluated. The result equals `analyzeCluster(cluster, session.options)`.
 *
 * @throws {NetreachError} code `INVALID_POLICY` as {@link analyzeCluster}.
 * @example
 * const next = updateSession(session, produce(session.cluster, (c) => { c.policies.pop(); }));
 */
export function updateSession(
  session: Session,
  cluster: Cluster,
  { allowInvalid = false, hooks = {} }: { allowInvalid?: boolean; hooks?: AnalysisHooks } = {},
): Session {
  const cache = compileCaches.get(session) ?? new WeakMap<PolicyObject, ReturnType<typeof compilePolicyObject>>();
  return compiledSession(cluster, session.options, cache, allowInvalid, hooks, (pipeline) =>
    session.analysis.update(cluster, pipeline, hooks),
  );
}

/**
 * Resolve an endpoint reference: `namespace/pod`, `namespace/workload` (the pod made from a
 * workload template, or the first pod the workload owns), `node/<name>`, an IP address (a pod,
 * a node or an external address), or a domain name.
 *
 * @throws {NetreachError} code `UNKNOWN_ENDPOINT` when nothing matches.
 */
export function resolveEndpoint(session: Session, ref: string): Endpoint {
  const { cluster, analysis } = session;
  const known = analysis.indexOf(ref);
  if (known !== undefined) return analysis.endpoints[known]!;
  const ip = parseIp(ref);
  if (ip !== undefined) {
    for (const e of analysis.endpoints) {
      if ((e.kind === 'pod' || e.kind === 'node') && e.ips.some((x) => x.family === ip.family && x.value === ip.value))
        return e;
    }
    return externalEndpoint(ip);
  }
  const slash = ref.indexOf('/');
  if (slash > 0 && slash === ref.lastIndexOf('/')) {
    const ns = ref.slice(0, slash);
    const name = ref.slice(slash + 1);
    const pod =
      cluster.pods.find((p) => p.namespace === ns && p.name === name) ??
      cluster.pods.find((p) => p.namespace === ns && p.workload?.name === name);
    if (pod !== undefined) return podEndpoint(cluster, pod, nodesByName(cluster));
    throw new NetreachError('UNKNOWN_ENDPOINT', `no pod or workload "${name}" in namespace "${ns}"`);
  }
  if (/^(\*\.)?([a-z0-9]([-a-z0-9_]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9_]*[a-z0-9])?\.?$/i.test(ref)) {
    return domainEndpoint(ref, session.options.domainIps[ref] ?? []);
  }
  throw new NetreachError(
    'UNKNOWN_ENDPOINT',
    `cannot resolve endpoint "${ref}": use namespace/pod, namespace/workload, node/<name>, an IP address or a domain name`,
  );
}

/** A flow to check, as scripted by `check --flows`. */
export interface FlowSpec {
  readonly from: string;
  readonly to: string;
  /** Port number, or a named port resolved on the destination pod. */
  readonly port: number | string;
  /** Default TCP. */
  readonly protocol?: Protocol | undefined;
}

/** The answer to a flow check. */
export interface FlowResult {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly verdict: 'allow' | 'deny';
  /** Egress at the source and ingress at the destination, each with its tier trace. */
  readonly explanation: FlowVerdict;
}

/**
 * Check one flow: the class engine's verdict with the reference evaluator's explanation. The
 * explanation walks only the policies that select each side's endpoint (`analysis.explain`), so
 * a query costs microseconds whatever the number of policies.
 *
 * @throws {NetreachError} `UNKNOWN_ENDPOINT`, `UNKNOWN_PORT` or `ENGINE_MISMATCH` (an internal bug).
 */
export function checkFlow(session: Session, flow: FlowSpec): FlowResult {
  const src = resolveEndpoint(session, flow.from);
  const dst = resolveEndpoint(session, flow.to);
  let protocol: Protocol = flow.protocol ?? 'TCP';
  let port: number;
  if (typeof flow.port === 'number') port = flow.port;
  else if (/^\d+$/.test(flow.port)) port = Number(flow.port);
  else {
    const cp =
      dst.kind === 'pod'
        ? dst.pod.ports.find(
            (p) => p.name === flow.port && (flow.protocol === undefined || p.protocol === flow.protocol),
          )
        : undefined;
    if (cp === undefined)
      throw new NetreachError('UNKNOWN_PORT', `named port "${flow.port}" is not declared by ${dst.id}`);
    port = cp.port;
    protocol = cp.protocol;
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new NetreachError('UNKNOWN_PORT', `port ${String(flow.port)} is not between 1 and 65535`);
  const explanation = session.analysis.explain(src, dst, protocol, port);
  const allowed = session.analysis.isAllowed(src, dst, protocol, port);
  if (allowed !== explanation.allowed)
    throw new NetreachError(
      'ENGINE_MISMATCH',
      `internal error: engines disagree on ${src.id} -> ${dst.id} ${protocol}/${port}`,
    );
  return { from: src.id, to: dst.id, port, protocol, verdict: allowed ? 'allow' : 'deny', explanation };
}
