import type { Labels } from './types.js';

/** Label selector operators. */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** One `matchExpressions` requirement. */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A compiled label selector. The empty selector matches everything. */
export interface Selector {
  readonly matchLabels: readonly (readonly [string, string])[];
  readonly matchExpressions: readonly SelectorRequirement[];
}

/** The selector that matches every object. */
export const MATCH_ALL: Selector = { matchLabels: [], matchExpressions: [] };

/** Whether `labels` satisfy `selector`. */
export function matchesSelector(selector: Selector, labels: Labels): boolean {
  for (const [k, v] of selector.matchLabels) {
    if (labels[k] !== v) return false;
  }
  for (const req of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const value = has ? labels[req.key] : undefined;
    switch (req.operator) {
      case 'In':
        if (value === undefined || !req.values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && req.values.includes(value)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** Whether the selector is empty (matches everything). */
export function isMatchAll(selector: Selector): boolean {
  return selector.matchLabels.length === 0 && selector.matchExpressions.length === 0;
}

/** A canonical string for a selector, equal for selectors that are written differently but mean the same. */
export function selectorKey(selector: Selector): string {
  const labels = [...selector.matchLabels].map(([k, v]) => `${k}=${v}`).sort();
  const exprs = selector.matchExpressions
    .map((r) => `${r.key} ${r.operator} (${[...r.values].sort().join(',')})`)
    .sort();
  return [...labels, ...exprs].join(';');
}

/** Human-readable selector text, kubectl style: `app=web,tier in (a,b)`; `{}` for match-all. */
export function formatSelector(selector: Selector): string {
  if (isMatchAll(selector)) return '{}';
  const parts = selector.matchLabels.map(([k, v]) => `${k}=${v}`);
  for (const r of selector.matchExpressions) {
    switch (r.operator) {
      case 'Exists':
        parts.push(r.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${r.key}`);
        break;
      default:
        parts.push(`${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${r.values.join(',')})`);
    }
  }
  return parts.join(',');
}
