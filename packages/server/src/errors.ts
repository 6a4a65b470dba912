/** API errors and their JSON form: `{"error": {"code", "message", "field"?, "issues"?}}`. */
import type { Issue } from '@netreach/core';

/** The `error` member of an error response. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  /** The request body field at fault, e.g. `flows[0].port`. */
  readonly field?: string;
  /** The problems found in the manifests. */
  readonly issues?: readonly Issue[];
}

/** An error answered as JSON with an HTTP status. Safe to show: it never carries a stack. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly body: ErrorBody;
  constructor(
    statusCode: number,
    code: string,
    message: string,
    extra: { field?: string; issues?: readonly Issue[] } = {},
  ) {
    super(message);
    this.statusCode = statusCode;
    this.body = { code, message, ...extra };
  }
}

/** One ajv error, as Fastify hands them over in `error.validation`. */
export interface ValidationError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string | undefined;
  readonly params: Record<string, unknown>;
}

/** `/flows/0/port` → `flows[0].port` (JSON pointer to a field path). */
export function pointerToField(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

function joinField(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

/**
 * Turn ajv errors into one `INVALID_BODY` error naming the field. Alternatives (`anyOf`) report
 * an error per branch: the deepest one is the most precise, and type errors at the same place
 * are merged (`must be string or array`).
 */
export function validationError(errors: readonly ValidationError[]): ApiError {
  const concrete = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  const pool = concrete.length > 0 ? concrete : errors;
  const depth = (e: ValidationError): number => (e.instancePath === '' ? 0 : e.instancePath.split('/').length);
  const deepest = Math.max(...pool.map(depth));
  const at = pool.filter((e) => depth(e) === deepest);
  const first = at[0];
  if (first === undefined) return new ApiError(400, 'INVALID_BODY', 'the request body is not valid');
  let field = pointerToField(first.instancePath);
  let message: string;
  if (first.keyword === 'required') {
    field = joinField(field, String(first.params['missingProperty']));
    message = 'is required';
  } else if (first.keyword === 'additionalProperties') {
    field = joinField(field, String(first.params['additionalProperty']));
    message = 'is not a known field';
  } else if (first.keyword === 'type') {
    const types = [...new Set(at.filter((e) => e.keyword === 'type').map((e) => String(e.params['type'])))];
    message = `must be ${types.join(' or ')}`;
  } else if (first.keyword === 'enum') {
    const allowed = (first.params['allowedValues'] as unknown[] | undefined) ?? [];
    message = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  } else {
    message = first.message ?? 'is not valid';
  }
  const where = field === '' ? 'request body' : field;
  return new ApiError(400, 'INVALID_BODY', `${where}: ${message}`, field === '' ? {} : { field });
}

/** Map Fastify's client errors (4xx with an `FST_…` code) to our codes. */
export function fastifyClientError(statusCode: number, code: string | undefined, message: string): ApiError {
  const known: Record<string, [string, string]> = {
    FST_ERR_CTP_BODY_TOO_LARGE: ['BODY_TOO_LARGE', 'request body is larger than the body limit'],
    FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'send the request body as application/json'],
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['INVALID_CONTENT_LENGTH', 'Content-Length does not match the body'],
    FST_ERR_CTP_EMPTY_JSON_BODY: ['EMPTY_BODY', 'the request body is empty'],
    FST_ERR_CTP_INVALID_JSON_BODY: ['INVALID_JSON', `the request body is not valid JSON: ${message}`],
  };
  const hit = code !== undefined ? known[code] : undefined;
  if (hit !== undefined) return new ApiError(statusCode, hit[0], hit[1]);
  // JSON syntax errors from the body parser carry no code.
  if (statusCode === 400)
    return new ApiError(400, 'INVALID_JSON', `the request body is not valid JSON: ${firstLine(message)}`);
  return new ApiError(statusCode, 'BAD_REQUEST', firstLine(message));
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : s.slice(0, nl);
}
