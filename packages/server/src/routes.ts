/**
 * The route table: every endpoint with its schemas and documentation. The server registers
 * exactly these routes and /openapi.json is generated from them.
 */
import {
  AuditRequest,
  AuditResponse,
  CheckRequest,
  CheckResponse,
  DiffRequest,
  DiffResponse,
  HealthResponse,
  type JsonSchema,
  MatrixRequest,
  MatrixResponse,
  OpenApiResponse,
  SnapshotRequest,
  SnapshotResponse,
} from './schemas.js';
import type { TaskKind } from './tasks.js';

/** One endpoint of the API. */
export interface RouteSpec {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  /** JSON schema of the request body (POST only). */
  readonly body?: JsonSchema;
  /** JSON schema of the 200 response. */
  readonly response: JsonSchema;
  /** Error statuses the endpoint can answer with (besides 200). */
  readonly errors: readonly number[];
  /** The analysis run in a worker thread; absent for routes answered on the main thread. */
  readonly task?: TaskKind;
}

/** Errors every POST endpoint can answer with. */
const POST_ERRORS = [400, 413, 415, 500, 503];

export const ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    url: '/v1/check',
    operationId: 'check',
    summary: 'Check flows',
    description:
      'Can A reach B on a port? One verdict with its explanation per flow; the results are exactly ' +
      'what `netreach check --flows <file> --output json` prints.',
    body: CheckRequest,
    response: CheckResponse,
    errors: [...POST_ERRORS, 422],
    task: 'check',
  },
  {
    method: 'POST',
    url: '/v1/matrix',
    operationId: 'matrix',
    summary: 'Connectivity matrix',
    description: 'The allowed ports between every pair of endpoints (the matrix JSON of `netreach matrix -o json`).',
    body: MatrixRequest,
    response: MatrixResponse,
    errors: [...POST_ERRORS, 422],
    task: 'matrix',
  },
  {
    method: 'POST',
    url: '/v1/diff',
    operationId: 'diff',
    summary: 'Reachability diff',
    description:
      'Which flows a change to the manifests opens or closes: `before` and `after` are both analysed and ' +
      'every pair whose allowed ports differ is listed, with one port of each change explained.',
    body: DiffRequest,
    response: DiffResponse,
    errors: [...POST_ERRORS, 422],
    task: 'diff',
  },
  {
    method: 'POST',
    url: '/v1/snapshot',
    operationId: 'snapshot',
    summary: 'Take a reachability snapshot',
    description: 'Every endpoint and the ports allowed between them, to store and audit against later.',
    body: SnapshotRequest,
    response: SnapshotResponse,
    errors: [...POST_ERRORS, 422],
    task: 'snapshot',
  },
  {
    method: 'POST',
    url: '/v1/audit',
    operationId: 'audit',
    summary: 'Audit against a snapshot',
    description:
      'Compare the reachability of the manifests with a snapshot taken earlier: flows newly allowed, ' +
      'newly denied, endpoints added and removed.',
    body: AuditRequest,
    response: AuditResponse,
    errors: [...POST_ERRORS, 422],
    task: 'audit',
  },
  {
    method: 'GET',
    url: '/healthz',
    operationId: 'health',
    summary: 'Liveness',
    description: 'Answers `{"status":"ok"}` at once, even while analyses run (they run in worker threads).',
    response: HealthResponse,
    errors: [],
  },
  {
    method: 'GET',
    url: '/openapi.json',
    operationId: 'openapi',
    summary: 'This API description',
    description: 'The OpenAPI 3.1 document of the API, generated from the schemas the routes validate with.',
    response: OpenApiResponse,
    errors: [],
  },
];
