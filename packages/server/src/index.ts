/**
 * @netreach/server — the netreach HTTP JSON API (docs/http-api.md): check, matrix, diff and
 * audit over Kubernetes network policy, with analyses run in worker threads.
 */
export type { RunningServer, ServerOptions } from './server.js';
export { DEFAULT_BODY_LIMIT, DEFAULT_TIMEOUT_MS, createServer, isLoopback, startServer } from './server.js';
export { MAX_JSON_DEPTH, jsonTooDeep } from './json.js';
export type { ErrorBody } from './errors.js';
export { ApiError } from './errors.js';
export type { RouteSpec } from './routes.js';
export { ROUTES } from './routes.js';
export { API_VERSION, buildOpenApi } from './openapi.js';
export type { TaskKind, TaskOutcome, TaskRequest } from './tasks.js';
export { runTask } from './tasks.js';
