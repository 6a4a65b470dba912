/**
 * Shared validation helpers for the policy adapters.
 *
 * Policy specs arrive as `unknown` straight from YAML. The helpers here read fields with the
 * type they must have and record an {@link Issue} (with a field path such as
 * `spec.ingress[0].from[1].ipBlock.cidr`) instead of throwing.
 *
 * NOTE: `null` is treated exactly like an absent field everywhere, as the Kubernetes API server
 * does: JSON `null` decodes to a nil pointer, and CRD structural schemas prune nulls of
 * non-nullable fields before validation. A `null` list element (a bare `-` in YAML) decodes to
 * the zero value, so {@link readItem} turns it into `{}`.
 */
import type { Issue, IssueSeverity } from '../../errors.js';
import type { PolicyObject } from '../../model/types.js';
import type { AdapterResult } from './types.js';
import type { CompiledPolicy } from '../ir.js';

/** Stable codes of the issues the adapters report. */
export type IssueCode =
  /** A field has the wrong JSON type (e.g. a string where a list is expected). */
  | 'INVALID_FIELD'
  /** A required field is absent. */
  | 'MISSING_FIELD'
  /** A value is not one of the allowed values (tier, action, policyTypes). */
  | 'INVALID_ENUM'
  /** A list or string is longer or shorter than the schema allows (maxItems, minItems, maxLength). */
  | 'INVALID_LENGTH'
  /** A `listType=set` list holds the same value twice. */
  | 'DUPLICATE_VALUE'
  /** An exactly-one-of union (subject, peer, protocol entry, port) has zero or several fields. */
  | 'INVALID_UNION'
  /** A label selector is malformed (operator, values, label key or value syntax). */
  | 'INVALID_SELECTOR'
  /** A CIDR does not parse. */
  | 'INVALID_CIDR'
  /** A CIDR has bits set after the prefix (warning: the network address is used). */
  | 'CIDR_HOST_BITS'
  /** An `ipBlock.except` entry is not a strict subset of `ipBlock.cidr`. */
  | 'INVALID_EXCEPT'
  /** A protocol is not TCP, UDP or SCTP. */
  | 'INVALID_PROTOCOL'
  /** A port number is out of range, or a port name is malformed. */
  | 'INVALID_PORT'
  /** A port range is inverted or empty, or `endPort` is used where it cannot be. */
  | 'INVALID_PORT_RANGE'
  /** `spec.priority` is out of range. */
  | 'INVALID_PRIORITY'
  /** A domain name does not match the `DomainName` pattern. */
  | 'INVALID_DOMAIN_NAME'
  /** The object name is not allowed (BaselineAdminNetworkPolicy must be `default`). */
  | 'INVALID_NAME'
  /** A peer combines fields it may not combine, or uses a field not allowed in its position. */
  | 'INVALID_PEER'
  /** A NetworkPolicy peer with none of podSelector, namespaceSelector, ipBlock. */
  | 'EMPTY_PEER'
  /** Warning: a cluster policy peer with no field this version understands; compiled fail-closed. */
  | 'UNKNOWN_PEER'
  /** Warning: `domainNames` in a rule that does not allow traffic. */
  | 'DOMAIN_NAMES_ACTION'
  /** Warning: a named port together with peers that have no named ports (experimental CEL rule). */
  | 'NAMED_PORT_NON_POD_PEER'
  /** Warning: rules of a direction that `policyTypes` does not list, so they have no effect. */
  | 'IGNORED_RULES'
  /** Warning: a policy kind (or apiVersion) that netreach does not know. */
  | 'UNKNOWN_KIND';

/** Collects the issues found in one policy object. */
export interface ValidationContext {
  readonly issues: Issue[];
  error(path: string, code: IssueCode, message: string): void;
  warn(path: string, code: IssueCode, message: string): void;
  /** Whether an error (not a warning) has been recorded. */
  hasErrors(): boolean;
  /** How many errors (not warnings) have been recorded so far. */
  errorCount(): number;
}

/** The object reference used in issues: `NetworkPolicy shop/allow-web`, `ClusterNetworkPolicy deny-all`. */
export function describeObject(kind: string, name: string, namespace?: string): string {
  return namespace === undefined ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
}

/** A context that stamps each issue with the object's file, document and `object` reference. */
export function createValidationContext(obj: PolicyObject, object: string): ValidationContext {
  const issues: Issue[] = [];
  let errors = 0;
  const add = (severity: IssueSeverity, path: string, code: IssueCode, message: string): void => {
    if (severity === 'error') errors++;
    issues.push({ severity, code, message, file: obj.source?.file, document: obj.source?.document, object, path });
  };
  return {
    issues,
    error: (path, code, message) => add('error', path, code, message),
    warn: (path, code, message) => add('warning', path, code, message),
    hasErrors: () => errors > 0,
    errorCount: () => errors,
  };
}

/** The adapter result: the policy only when no error was recorded. */
export function finish(ctx: ValidationContext, build: () => CompiledPolicy): AdapterResult {
  return ctx.hasErrors() ? { issues: ctx.issues } : { policy: build(), issues: ctx.issues };
}

/** A JSON object as read from YAML. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Whether a field is absent (`undefined` or `null`). */
export function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** Whether a value is a plain JSON object (not a list). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `spec` + `ingress` → `spec.ingress`; keys that are not identifiers are quoted: `matchLabels["a/b"]`. */
export function childPath(path: string, key: string): string {
  if (!isIdentifier(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Whether `key` matches `^[A-Za-z_][A-Za-z0-9_]*$` (a loop: paths are built in hot loops). */
function isIdentifier(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && (i === 0 || c < 48 || c > 57)) return false;
  }
  return true;
}

/** `spec.ingress` + 2 → `spec.ingress[2]`. */
export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** The JSON type of a value, for messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}

function wrongType(value: unknown, expected: string, path: string, ctx: ValidationContext): undefined {
  ctx.error(path, 'INVALID_FIELD', `expected ${expected}, got ${describeType(value)}`);
  return undefined;
}

/** An object field: `undefined` when absent, or (with an error) when not an object. */
export function readObject(value: unknown, path: string, ctx: ValidationContext): JsonObject | undefined {
  if (isAbsent(value)) return undefined;
  return isJsonObject(value) ? value : wrongType(value, 'an object', path, ctx);
}

/** A list element that must be an object; `null` elements decode to `{}` as in Kubernetes. */
export function readItem(value: unknown, path: string, ctx: ValidationContext): JsonObject | undefined {
  return value === null ? {} : readObject(value, path, ctx);
}

/** A list field: `undefined` when absent, or (with an error) when not a list. */
export function readList(value: unknown, path: string, ctx: ValidationContext): readonly unknown[] | undefined {
  if (isAbsent(value)) return undefined;
  return Array.isArray(value) ? (value as readonly unknown[]) : wrongType(value, 'a list', path, ctx);
}

/** A string field: `undefined` when absent, or (with an error) when not a string. */
export function readString(value: unknown, path: string, ctx: ValidationContext): string | undefined {
  if (isAbsent(value)) return undefined;
  return typeof value === 'string' ? value : wrongType(value, 'a string', path, ctx);
}

/** An integer field: `undefined` when absent, or (with an error) when not an integer. */
export function readInteger(value: unknown, path: string, ctx: ValidationContext): number | undefined {
  if (isAbsent(value)) return undefined;
  return typeof value === 'number' && Number.isInteger(value) ? value : wrongType(value, 'an integer', path, ctx);
}

/**
 * A list of strings: `undefined` when absent, or (with an error per bad element) when it is not
 * a list of strings. Indices of the result are those of the list as written.
 */
export function readStringList(value: unknown, path: string, ctx: ValidationContext): string[] | undefined {
  const list = readList(value, path, ctx);
  if (list === undefined) return undefined;
  // All strings: the list itself (read-only input data; no copy to keep alive with the policy).
  if (list.every((item) => typeof item === 'string')) return list as string[];
  list.forEach((item, i) => {
    if (typeof item !== 'string') wrongType(item, 'a string', indexPath(path, i), ctx);
  });
  return undefined;
}

/** Report a required field that is absent; returns whether it is present. */
export function requirePresent(value: unknown, path: string, ctx: ValidationContext, hint = ''): boolean {
  if (!isAbsent(value)) return true;
  ctx.error(path, 'MISSING_FIELD', `required field is missing${hint === '' ? '' : `: ${hint}`}`);
  return false;
}

/** Check a list's length against the schema's minItems/maxItems. */
export function checkCount(
  list: readonly unknown[],
  path: string,
  ctx: ValidationContext,
  limits: { readonly min: number; readonly max: number; readonly noun: string },
): void {
  if (list.length < limits.min) {
    ctx.error(path, 'INVALID_LENGTH', `needs at least ${limits.min} ${limits.noun} (minItems ${limits.min})`);
  } else if (list.length > limits.max) {
    ctx.error(
      path,
      'INVALID_LENGTH',
      `has ${list.length} ${limits.noun}; at most ${limits.max} are allowed (maxItems ${limits.max})`,
    );
  }
}

/**
 * Compile each element of a list field with its path and index, keeping the elements that
 * compiled (a failed element has recorded an error). `undefined` when the field is absent.
 * `limits`, when given, are the schema's minItems/maxItems.
 */
export function compileList<T>(
  value: unknown,
  path: string,
  ctx: ValidationContext,
  limits: Parameters<typeof checkCount>[3] | undefined,
  compile: (item: unknown, itemPath: string, index: number) => T | undefined,
): T[] | undefined {
  const list = readList(value, path, ctx);
  if (list === undefined) return undefined;
  if (limits !== undefined) checkCount(list, path, ctx, limits);
  // `map` sizes the array exactly: one grown by `push` keeps room for 17 elements, and compiled
  // policies live as long as the analysis (the garbage collector copies that room too).
  const out = list.map((item, index) => compile(item, indexPath(path, index), index));
  return out.includes(undefined) ? out.filter((x) => x !== undefined) : (out as T[]);
}

/** Report duplicates in a `listType=set` list. */
export function checkUnique(list: readonly string[], path: string, ctx: ValidationContext): void {
  list.forEach((item, i) => {
    if (list.indexOf(item) !== i) {
      ctx.error(indexPath(path, i), 'DUPLICATE_VALUE', `duplicate value ${JSON.stringify(item)} in a set`);
    }
  });
}

/** Read an enum value: `undefined` when absent, or (with `INVALID_ENUM`) when not allowed. */
export function readEnum<T extends string>(
  value: unknown,
  allowed: readonly T[],
  path: string,
  ctx: ValidationContext,
  hint = '',
): T | undefined {
  const s = readString(value, path, ctx);
  if (s === undefined) return undefined;
  if ((allowed as readonly string[]).includes(s)) return s as T;
  ctx.error(
    path,
    'INVALID_ENUM',
    `${JSON.stringify(s)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}${hint}`,
  );
  return undefined;
}

/**
 * Exactly-one-of union (CRD `minProperties: 1`, `maxProperties: 1`): returns the one field of
 * `fields` that is set. Zero or several set fields are reported as `INVALID_UNION`.
 */
export function readUnion<K extends string>(
  obj: JsonObject,
  fields: readonly K[],
  path: string,
  ctx: ValidationContext,
): { readonly key: K; readonly value: unknown } | undefined {
  const set = fields.filter((f) => !isAbsent(obj[f]));
  const first = set[0];
  if (set.length === 1 && first !== undefined) return { key: first, value: obj[first] };
  const choices = fields.join(', ');
  ctx.error(
    path,
    'INVALID_UNION',
    set.length === 0
      ? `exactly one of ${choices} must be set, found none`
      : `exactly one of ${choices} must be set, found ${set.length}: ${set.join(', ')}`,
  );
  return undefined;
}
