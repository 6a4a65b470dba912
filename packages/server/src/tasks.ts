/**
 * The analyses behind the POST endpoints. They run in worker threads (see pool.ts) on bodies
 * already validated against the route schemas, and answer with a status and a JSON text.
 */
import {
  type AnalysisOptions,
  type AuditJson,
  type DiffJson,
  type Endpoint,
  type FlowJson,
  type FlowSpec,
  type Issue,
  type Protocol,
  type RawObject,
  type Session,
  type Snapshot,
  analyzeCluster,
  auditJson,
  auditSnapshot,
  buildCluster,
  checkFlow,
  computeMatrixJson,
  diffJson,
  diffSessions,
  flowJson,
  formatIssue,
  type MatrixJson,
  NetreachError,
  parseManifests,
  parseSnapshot,
  resolveEndpoint,
  takeSnapshot,
} from '@netreach/core';
import { ApiError } from './errors.js';
import { jsonTooDeep } from './json.js';

/** The analyses a worker runs. */
export type TaskKind = 'check' | 'matrix' | 'diff' | 'snapshot' | 'audit';

/** A task sent to a worker. */
export interface TaskRequest {
  readonly kind: TaskKind;
  readonly body: unknown;
}

/** A worker's answer: the HTTP status and the response body as JSON text. */
export interface TaskOutcome {
  readonly status: number;
  readonly json: string;
  /** For the server's error log only (500s): never sent to the client. */
  readonly internal?: string;
}

/** Manifests as the schema allows them. */
type ManifestsInput = string | Record<string, unknown>[];

interface CheckBody {
  manifests: ManifestsInput;
  flows: { from: string; to: string; port: number | string; protocol?: Protocol }[];
  options?: Partial<AnalysisOptions>;
}

interface DiffBody {
  before: ManifestsInput;
  after: ManifestsInput;
  options?: Partial<AnalysisOptions>;
  explain?: boolean;
}

interface SnapshotBody {
  manifests: ManifestsInput;
  options?: Partial<AnalysisOptions>;
}

interface AuditBody {
  manifests: ManifestsInput;
  snapshot: string | Record<string, unknown>;
  options?: Partial<AnalysisOptions>;
}

interface MatrixBody {
  manifests: ManifestsInput;
  options?: Partial<AnalysisOptions>;
  namespaces?: string[];
  podsOnly?: boolean;
}

/** Whether a kind is `List` or a typed list (`PodList`, …), which the parser expands. */
function isListKind(obj: Record<string, unknown>): boolean {
  const kind = obj['kind'];
  return typeof kind === 'string' && (kind === 'List' || (kind.endsWith('List') && Object.hasOwn(obj, 'items')));
}

/**
 * Read the manifests of a request: text goes through the core parser; objects become raw
 * objects (`{file, document: i}`), lists among them are expanded by the parser as in files.
 *
 * @throws {ApiError} 400 when the text cannot be parsed (syntax, alias bombs, nesting limits).
 */
function readObjects(
  manifests: ManifestsInput,
  file: string,
  field: string,
): { objects: RawObject[]; issues: Issue[] } {
  let objects: RawObject[] = [];
  const issues: Issue[] = [];
  if (typeof manifests === 'string') {
    const r = parseManifests(manifests, file);
    objects = r.objects;
    issues.push(...r.issues);
  } else {
    manifests.forEach((obj, document) => {
      if (!isListKind(obj)) {
        objects.push({ obj, source: { file, document } });
        return;
      }
      const r = parseManifests(JSON.stringify(obj), file);
      for (const o of r.objects) objects.push({ ...o, source: { file, document } });
      for (const i of r.issues) issues.push({ ...i, document });
    });
  }
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    throw new ApiError(400, 'UNPARSABLE_MANIFESTS', `${field} cannot be parsed: ${firstError(errors)}`, {
      field,
      issues: errors,
    });
  }
  return { objects, issues };
}

/** The first error on one line, and how many more there are. */
function firstError(errors: readonly Issue[]): string {
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${formatIssue(errors[0]!).replace(/^error: /, '')}${more}`;
}

/**
 * Load, compile and analyse the manifests of a request.
 *
 * @throws {ApiError} 400 for unparsable text, 422 for invalid objects or policies.
 */
export function loadSession(
  manifests: ManifestsInput,
  options: Partial<AnalysisOptions> | undefined,
  { file = 'request', field = 'manifests' }: { file?: string; field?: string } = {},
): { session: Session; warnings: Issue[] } {
  const read = readObjects(manifests, file, field);
  const built = buildCluster(read.objects);
  const issues = [...read.issues, ...built.issues];
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0)
    throw new ApiError(422, 'INVALID_MANIFESTS', `${field} hold invalid objects: ${firstError(errors)}`, {
      field,
      issues: errors,
    });
  let session: Session;
  try {
    session = analyzeCluster(built.cluster, options ?? {});
  } catch (e) {
    if (e instanceof NetreachError) {
      const bad = e.issues.filter((i) => i.severity === 'error');
      throw new ApiError(422, e.code, `${field}: ${bad.length > 0 ? firstError(bad) : e.message}`, {
        field,
        issues: bad,
      });
    }
    throw e;
  }
  issues.push(...session.issues);
  return { session, warnings: issues.filter((i) => i.severity === 'warning') };
}

/** Resolve one side of a flow, naming the field when it is unknown. */
function resolveSide(session: Session, ref: string, field: string): Endpoint {
  try {
    return resolveEndpoint(session, ref);
  } catch (e) {
    if (e instanceof NetreachError) throw new ApiError(422, e.code, `${field}: ${e.message}`, { field });
    throw e;
  }
}

/** `POST /v1/check`: every flow, as `check --flows --output json` prints it. */
export function runCheck(body: CheckBody): { results: FlowJson[]; warnings: Issue[] } {
  const { session, warnings } = loadSession(body.manifests, body.options);
  const results = body.flows.map((f, i) => {
    const at = `flows[${i}]`;
    resolveSide(session, f.from, `${at}.from`);
    resolveSide(session, f.to, `${at}.to`);
    // As `check --flows`: a port written as digits is a number.
    const port = typeof f.port === 'string' && /^\d+$/.test(f.port) ? Number(f.port) : f.port;
    const spec: FlowSpec = { from: f.from, to: f.to, port, protocol: f.protocol };
    try {
      return flowJson(checkFlow(session, spec), { from: f.from, to: f.to });
    } catch (e) {
      if (e instanceof NetreachError && e.code === 'UNKNOWN_PORT')
        throw new ApiError(422, e.code, `${at}.port: ${e.message}`, { field: `${at}.port` });
      throw e;
    }
  });
  return { results, warnings };
}

/** `POST /v1/matrix`: the matrix JSON, as `matrix -o json` prints it, plus warnings. */
export function runMatrix(body: MatrixBody): MatrixJson & { warnings: Issue[] } {
  const { session, warnings } = loadSession(body.manifests, body.options);
  if (body.namespaces !== undefined) {
    const known = new Set(Object.keys(session.cluster.namespaces));
    body.namespaces.forEach((ns, i) => {
      if (!known.has(ns))
        throw new ApiError(422, 'UNKNOWN_NAMESPACE', `namespaces[${i}]: unknown namespace "${ns}"`, {
          field: `namespaces[${i}]`,
        });
    });
  }
  const kinds: Endpoint['kind'][] = body.podsOnly === true ? ['pod'] : ['pod', 'node', 'external', 'domain'];
  const json = computeMatrixJson(session, {
    kinds,
    ...(body.namespaces !== undefined ? { namespaces: body.namespaces } : {}),
  });
  return { ...json, warnings };
}

/** `POST /v1/diff`: the connectivity changes from `before` to `after`, as `diff -o json` prints them. */
export function runDiff(body: DiffBody): DiffJson & { warnings: Issue[] } {
  const before = loadSession(body.before, body.options, { file: 'request.before', field: 'before' });
  const after = loadSession(body.after, body.options, { file: 'request.after', field: 'after' });
  const diff = diffSessions(before.session, after.session, { explain: body.explain ?? true });
  return { ...diffJson(diff), warnings: [...before.warnings, ...after.warnings] };
}

/** `POST /v1/snapshot`: the reachability snapshot of the manifests. */
export function runSnapshot(body: SnapshotBody): { snapshot: Snapshot; warnings: Issue[] } {
  const { session, warnings } = loadSession(body.manifests, body.options);
  return { snapshot: takeSnapshot(session), warnings };
}

/** Where audit answers and snapshot issues say the snapshot came from. */
const SNAPSHOT_FILE = 'request.snapshot';

/**
 * Read the snapshot of an audit request (an object, or JSON text).
 *
 * @throws {ApiError} 400 `INVALID_SNAPSHOT` naming the field at fault.
 */
function readSnapshotField(value: string | Record<string, unknown>): {
  snapshot: ReturnType<typeof takeSnapshot>;
  warnings: Issue[];
} {
  let data: unknown = value;
  if (typeof value === 'string') {
    if (jsonTooDeep(value))
      throw new ApiError(400, 'INVALID_SNAPSHOT', 'snapshot: nested too deeply', { field: 'snapshot' });
    try {
      data = JSON.parse(value);
    } catch (e) {
      throw new ApiError(400, 'INVALID_SNAPSHOT', `snapshot: not valid JSON (${(e as Error).message})`, {
        field: 'snapshot',
      });
    }
  }
  const parsed = parseSnapshot(data, SNAPSHOT_FILE);
  const errors = parsed.issues.filter((i) => i.severity === 'error');
  if (parsed.snapshot === undefined || errors.length > 0) {
    const first = errors[0];
    const field = first?.path !== undefined && first.path !== '' ? `snapshot.${first.path}` : 'snapshot';
    throw new ApiError(400, 'INVALID_SNAPSHOT', `${field}: ${first?.message ?? 'invalid snapshot'}`, {
      field,
      issues: errors,
    });
  }
  return { snapshot: parsed.snapshot, warnings: parsed.issues.filter((i) => i.severity === 'warning') };
}

/** `POST /v1/audit`: how the manifests' reachability differs from the snapshot, as `audit -o json` says. */
export function runAudit(body: AuditBody): AuditJson & { warnings: Issue[] } {
  const snap = readSnapshotField(body.snapshot);
  const { session, warnings } = loadSession(body.manifests, body.options);
  return {
    ...auditJson(auditSnapshot(session, snap.snapshot), SNAPSHOT_FILE),
    warnings: [...snap.warnings, ...warnings],
  };
}

/** The analysis behind each task kind (bodies are validated by the route schemas). */
const RUNNERS: { readonly [K in TaskKind]: (body: never) => unknown } = {
  check: (body: CheckBody) => runCheck(body),
  matrix: (body: MatrixBody) => runMatrix(body),
  diff: (body: DiffBody) => runDiff(body),
  snapshot: (body: SnapshotBody) => runSnapshot(body),
  audit: (body: AuditBody) => runAudit(body),
};

/** Run a task and turn every failure into an error response; never throws. */
export function runTask(req: TaskRequest): TaskOutcome {
  try {
    const run = RUNNERS[req.kind] as (body: unknown) => unknown;
    return { status: 200, json: JSON.stringify(run(req.body)) };
  } catch (e) {
    if (e instanceof ApiError) return { status: e.statusCode, json: JSON.stringify({ error: e.body }) };
    const internal = e instanceof Error ? (e.stack ?? e.message) : String(e);
    return { status: 500, json: JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error' } }), internal };
  }
}
