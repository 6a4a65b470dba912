/**
 * @netreach/core — the pure core of netreach: cluster model, policy semantics, engine.
 * No I/O: callers pass manifest text in and get data back.
 */
export type {
  Cluster,
  ContainerPort,
  ExternalEndpoint as ExternalEndpointSpec,
  Labels,
  Namespace,
  Node,
  Pod,
  PolicyObject,
  Protocol,
  SourceRef,
  WorkloadRef,
} from './model/types.js';
export { EMPTY_CLUSTER, PROTOCOLS } from './model/types.js';
export type { Issue, IssueSeverity } from './errors.js';
export { NetreachError, formatIssue, hasErrors } from './errors.js';
export type { AnalysisOptions } from './options.js';
export { DEFAULT_OPTIONS, resolveOptions } from './options.js';
export type { Selector, SelectorRequirement, SelectorOperator } from './model/selector.js';
export { MATCH_ALL, formatSelector, matchesSelector } from './model/selector.js';
export type { CidrSet, IpAddress, IpRange } from './model/ip.js';
export { formatRange, formatRangeCompact, parseCidr, parseIp } from './model/ip.js';
export type { PortInterval, PortSet } from './model/ports.js';
export {
  ALL_PORTS,
  NO_PORTS,
  formatIntervals,
  formatPortSet,
  isAllPorts,
  isEmptyPortSet,
  normalizeIntervals,
  portSetHas,
  portSetsEqual,
  subtractPortSets,
  unionPortSets,
} from './model/ports.js';
export type {
  CompiledPolicy,
  Direction,
  NamespaceMatch,
  Peer,
  PolicyRef,
  PortMatch,
  Rule,
  RuleAction,
  Subject,
  Tier,
  TierEvaluation,
  TierPipeline,
} from './policy/ir.js';
export { TIER_NAMES, buildPipeline, comparePolicies } from './policy/pipeline.js';
export type { CompileResult } from './policy/compile.js';
export { compileCluster } from './policy/compile.js';
export { compilePolicyObject } from './policy/adapters/index.js';
export type { RawObject, ParseResult } from './load/parse.js';
export { parseManifests } from './load/parse.js';
export { buildCluster } from './load/build.js';
export type { DomainEndpoint, Endpoint, ExternalEndpoint, NodeEndpoint, PodEndpoint } from './engine/endpoints.js';
export { domainEndpoint, externalEndpoint, nodeEndpoint, nodesByName, podEndpoint } from './engine/endpoints.js';
export type { FlowVerdict, RuleRef, SideReason, SideVerdict, TierStep } from './engine/trace.js';
export { formatPolicyRef, formatRuleRef } from './engine/trace.js';
export { evaluateFlow, evaluateSide } from './engine/reference.js';
export { subjectSelects } from './engine/match.js';
export type { AnalysisHooks } from './engine/analysis.js';
export { Analysis, analyze, buildEndpoints } from './engine/analysis.js';
export type { FlowResult, FlowSpec, LoadResult, ManifestSource, Session } from './session.js';
export { analyzeCluster, checkFlow, loadManifests, resolveEndpoint, updateSession } from './session.js';
export type {
  ClassMatrix,
  Matrix,
  MatrixConnection,
  MatrixJson,
  MatrixEndpoint,
  MatrixOptions,
  PortSetJson,
} from './query/matrix.js';
export {
  MATRIX_JSON_VERSION,
  classMatrixToJson,
  computeClassMatrix,
  computeMatrix,
  computeMatrixJson,
  matrixEndpoints,
  matrixToJson,
  portSetToJson,
} from './query/matrix.js';
export type { FlowJson } from './query/flow-json.js';
export { flowJson } from './query/flow-json.js';
export type { AuditJson, ChangeJson, DiffJson } from './query/change-json.js';
export { auditJson, diffJson } from './query/change-json.js';
export type { EditResult, ObjectRef } from './diff/edits.js';
export { addObjects, formatObjectRef, relabelNamespace, relabelPod, removeObject, removePolicy } from './diff/edits.js';
export type { ConnectivityDiff, DiffOptions, FlowChange, FlowChangeExample } from './diff/diff.js';
export { diffSessions } from './diff/diff.js';
export type { AuditFlow, AuditResult, Snapshot, SnapshotConnection, SnapshotParseResult } from './diff/snapshot.js';
export { SNAPSHOT_VERSION, auditSnapshot, formatSnapshot, parseSnapshot, takeSnapshot } from './diff/snapshot.js';
export * from './compat/index.js';
export type { PolicyGraph, PolicyGraphEdge, PolicyGraphNode } from './query/policy-graph.js';
export { policiesSelecting, policyGraph, policyNodeKey, podNodeKey, podsSelectedBy } from './query/policy-graph.js';
