/** The OpenAPI 3.1 document, generated from the route table and its schemas. */
import type { RouteSpec } from './routes.js';
import { ErrorResponse, type JsonSchema, NAMED_SCHEMAS } from './schemas.js';

/** Package version, shown in `info.version`. */
export const API_VERSION = '0.1.0';

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400:
    'Malformed request: invalid JSON, a body that does not match the schema (`field` names the field), ' +
    'or manifests that cannot be parsed (YAML syntax, alias expansion or nesting limits; see `issues`).',
  413: 'Request body larger than the body limit.',
  415: 'Content type other than application/json.',
  422:
    'Manifests or flows that are well formed but wrong: invalid objects or policies (`issues`), ' +
    'an unknown endpoint, port or namespace (`field`).',
  500: 'Internal error (no details are given; the server logs it).',
  501: 'Not available in this build.',
  503: 'The analysis took longer than the timeout, or too many requests are queued.',
};

/**
 * Copy a schema, replacing every nested named schema (by identity) with a `$ref`.
 * `self` is the name of the schema being emitted, which is expanded rather than referenced.
 */
function withRefs(schema: unknown, self?: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => withRefs(s));
  if (schema === null || typeof schema !== 'object') return schema;
  for (const [name, named] of Object.entries(NAMED_SCHEMAS)) {
    if (named === schema && name !== self) return { $ref: `#/components/schemas/${name}` };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = withRefs(v);
  return out;
}

function jsonContent(schema: JsonSchema): Record<string, unknown> {
  return { 'application/json': { schema: withRefs(schema) } };
}

/** Build the OpenAPI document describing `routes`. */
export function buildOpenApi(routes: readonly RouteSpec[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const responses: Record<string, unknown> = {
      200: { description: 'OK', content: jsonContent(r.response) },
    };
    for (const status of r.errors) {
      responses[String(status)] = { description: STATUS_TEXT[status] ?? 'Error', content: jsonContent(ErrorResponse) };
    }
    const op: Record<string, unknown> = {
      operationId: r.operationId,
      summary: r.summary,
      description: r.description,
      responses,
    };
    if (r.body !== undefined) op['requestBody'] = { required: true, content: jsonContent(r.body) };
    (paths[r.url] ??= {})[r.method.toLowerCase()] = op;
  }
  const schemas: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(NAMED_SCHEMAS)) schemas[name] = withRefs(schema, name);
  return {
    openapi: '3.1.0',
    info: {
      title: 'netreach HTTP API',
      version: API_VERSION,
      description:
        'Simulate Kubernetes network policy and analyse reachability over HTTP. ' +
        'Every response is JSON; errors are `{"error": {"code", "message", "field"?, "issues"?}}`. See docs/http-api.md.',
    },
    servers: [{ url: 'http://127.0.0.1:8080' }],
    paths,
    components: { schemas },
  };
}
