/**
 * Label selectors (`metav1.LabelSelector`), validated like the Kubernetes API server does
 * (apimachinery `ValidateLabelSelector`, `IsQualifiedName`, `IsValidLabelValue`).
 */
import { MATCH_ALL, type Selector, type SelectorOperator, type SelectorRequirement } from '../../model/selector.js';
import {
  childPath,
  compileList,
  indexPath,
  isAbsent,
  readItem,
  readObject,
  readString,
  readStringList,
  requirePresent,
  type ValidationContext,
} from './validate.js';

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** The name part of a qualified name and a label value (apimachinery `qualifiedNameFmt`). */
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** DNS-1123 subdomain, the optional prefix of a label key. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_NAME = 63;
const MAX_PREFIX = 253;

/** Most label keys and values remembered with their check result (then the memory starts over). */
const MAX_REMEMBERED = 10_000;
const keyProblems = new Map<string, string>();
const valueProblems = new Map<string, string>();

/**
 * `check(text)`, remembered by text: selectors of many policies repeat the same few keys and
 * values. `''` stands for "no problem" in the map (problems are never empty).
 */
function remembered(
  memory: Map<string, string>,
  text: string,
  check: (text: string) => string | undefined,
): string | undefined {
  const known = memory.get(text);
  if (known !== undefined) return known === '' ? undefined : known;
  const problem = check(text);
  if (memory.size >= MAX_REMEMBERED) memory.clear();
  memory.set(text, problem ?? '');
  return problem;
}

/** Why a label key is invalid, or `undefined` when it is a valid qualified name (`[prefix/]name`). */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return `label key ${JSON.stringify(key)} may contain at most one "/"`;
  const name = parts.length === 2 ? (parts[1] ?? '') : key;
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') return `label key ${JSON.stringify(key)} has an empty prefix before "/"`;
    if (prefix.length > MAX_PREFIX || !DNS_SUBDOMAIN.test(prefix)) {
      return `label key prefix ${JSON.stringify(prefix)} must be a lowercase DNS subdomain of at most ${MAX_PREFIX} characters`;
    }
  }
  if (name === '') return `label key ${JSON.stringify(key)} has an empty name`;
  if (name.length > MAX_NAME) return `label key name ${JSON.stringify(name)} is longer than ${MAX_NAME} characters`;
  if (!NAME_PART.test(name)) {
    return `label key name ${JSON.stringify(name)} must consist of alphanumerics, "-", "_" or ".", and start and end with an alphanumeric`;
  }
  return undefined;
}

/** Why a label value is invalid, or `undefined` when valid (empty is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > MAX_NAME) return `label value ${JSON.stringify(value)} is longer than ${MAX_NAME} characters`;
  if (value !== '' && !NAME_PART.test(value)) {
    return `label value ${JSON.stringify(value)} must be empty or consist of alphanumerics, "-", "_" or ".", and start and end with an alphanumeric`;
  }
  return undefined;
}

/**
 * Compile a label selector. Returns `undefined` when `value` is absent (the caller decides what
 * absence means) or invalid (errors were recorded on `ctx`). `{}` compiles to the match-all selector.
 */
export function compileLabelSelector(value: unknown, path: string, ctx: ValidationContext): Selector | undefined {
  const obj = readObject(value, path, ctx);
  if (obj === undefined) return undefined;
  const before = ctx.errorCount();
  const matchLabels = compileMatchLabels(obj['matchLabels'], childPath(path, 'matchLabels'), ctx);
  const matchExpressions =
    compileList(obj['matchExpressions'], childPath(path, 'matchExpressions'), ctx, undefined, (item, itemPath) =>
      compileRequirement(item, itemPath, ctx),
    ) ?? [];
  return ctx.errorCount() > before ? undefined : { matchLabels, matchExpressions };
}

function compileMatchLabels(value: unknown, path: string, ctx: ValidationContext): [string, string][] {
  const obj = readObject(value, path, ctx);
  if (obj === undefined) return [];
  const out: [string, string][] = [];
  for (const key of Object.keys(obj)) {
    const raw = obj[key];
    const keyProblem = remembered(keyProblems, key, labelKeyProblem);
    if (keyProblem !== undefined) ctx.error(childPath(path, key), 'INVALID_SELECTOR', keyProblem);
    if (typeof raw !== 'string') {
      // YAML turns `tier: 1` or `enabled: true` into a number or boolean; Kubernetes rejects them.
      ctx.error(
        childPath(path, key),
        'INVALID_FIELD',
        `label values must be strings, got ${JSON.stringify(raw)}: quote it in YAML (e.g. "${String(raw)}")`,
      );
      continue;
    }
    const valueProblem = remembered(valueProblems, raw, labelValueProblem);
    if (valueProblem !== undefined) ctx.error(childPath(path, key), 'INVALID_SELECTOR', valueProblem);
    out.push([key, raw]);
  }
  return out.length === 0 ? [] : out.slice(); // kept with the policy: sized exactly (see compileList)
}

function compileRequirement(item: unknown, path: string, ctx: ValidationContext): SelectorRequirement | undefined {
  const obj = readItem(item, path, ctx);
  if (obj === undefined) return undefined;
  const keyPath = childPath(path, 'key');
  const key = requirePresent(obj['key'], keyPath, ctx) ? readString(obj['key'], keyPath, ctx) : undefined;
  if (key !== undefined) {
    const problem = remembered(keyProblems, key, labelKeyProblem);
    if (problem !== undefined) ctx.error(keyPath, 'INVALID_SELECTOR', problem);
  }
  const opPath = childPath(path, 'operator');
  let operator: SelectorOperator | undefined;
  if (requirePresent(obj['operator'], opPath, ctx) && readString(obj['operator'], opPath, ctx) !== undefined) {
    const op = obj['operator'];
    operator = OPERATORS.includes(op as SelectorOperator) ? (op as SelectorOperator) : undefined;
    if (operator === undefined) {
      ctx.error(
        opPath,
        'INVALID_SELECTOR',
        `unknown operator ${JSON.stringify(op)}: use one of ${OPERATORS.join(', ')} (operators are case-sensitive)`,
      );
    }
  }
  const valuesPath = childPath(path, 'values');
  const values = readStringList(obj['values'], valuesPath, ctx) ?? [];
  // Count what was written: a malformed `values` was already reported as INVALID_FIELD.
  const raw = obj['values'];
  const written = Array.isArray(raw) ? raw.length : isAbsent(raw) ? 0 : undefined;
  if (operator === 'In' || operator === 'NotIn') {
    if (written === 0) {
      ctx.error(valuesPath, 'INVALID_SELECTOR', `operator ${operator} needs at least one value`);
    }
    values.forEach((v, i) => {
      const problem = remembered(valueProblems, v, labelValueProblem);
      if (problem !== undefined) ctx.error(indexPath(valuesPath, i), 'INVALID_SELECTOR', problem);
    });
  } else if (operator !== undefined && written !== undefined && written > 0) {
    ctx.error(valuesPath, 'INVALID_SELECTOR', `operator ${operator} must not have values`);
  }
  if (key === undefined || operator === undefined) return undefined;
  return { key, operator, values };
}

/** A selector field where absence means "match everything" (e.g. NetworkPolicy `spec.podSelector`). */
export function compileOptionalSelector(value: unknown, path: string, ctx: ValidationContext): Selector | undefined {
  return isAbsent(value) ? MATCH_ALL : compileLabelSelector(value, path, ctx);
}

/** A required selector field (`{}` is the way to match everything); absence is an error. */
export function compileRequiredSelector(value: unknown, path: string, ctx: ValidationContext): Selector | undefined {
  return requirePresent(value, path, ctx, 'use {} to select everything')
    ? compileLabelSelector(value, path, ctx)
    : undefined;
}
