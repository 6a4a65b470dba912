/** A snapshot serializer that prints connectivity matrices as a stable, readable table. */
import { type Matrix, type MatrixEndpoint, formatPortSet } from '@netreach/core';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * Whether a value looks like a matrix from `computeMatrix`.
 *
 * @example
 * isMatrix(computeMatrix(session)); // true
 */
export function isMatrix(value: unknown): value is Matrix {
  if (!isRecord(value) || !Array.isArray(value['endpoints']) || !Array.isArray(value['connections'])) return false;
  const e: unknown = value['endpoints'][0];
  const c: unknown = value['connections'][0];
  const endpointOk = e === undefined || (isRecord(e) && typeof e['id'] === 'string' && typeof e['kind'] === 'string');
  const connectionOk =
    c === undefined ||
    (isRecord(c) &&
      typeof c['from'] === 'string' &&
      typeof c['to'] === 'string' &&
      isRecord(c['ports']) &&
      Array.isArray(c['ports']['TCP']));
  return endpointOk && connectionOk && (e !== undefined || c === undefined);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describeEndpoint(e: MatrixEndpoint): string {
  const extra: string[] = [];
  if (e.workload !== undefined) extra.push(e.workload);
  if (e.replicas !== undefined && e.replicas !== 1) extra.push(`${e.replicas} replicas`);
  if (e.hostNetwork === true) extra.push('host network');
  if (e.kind !== 'pod') extra.push(e.kind);
  return extra.length > 0 ? `${e.id} (${extra.join(', ')})` : e.id;
}

/**
 * The text of a matrix: its endpoints, then one `from → to  ports` line per allowed pair, all
 * sorted, without class numbers, so the text changes only when connectivity does.
 *
 * @example
 * formatMatrix(computeMatrix(session, { kinds: ['pod'] }));
 * // endpoints (6):
 * //   data/postgres (StatefulSet/postgres, 2 replicas)
 * //   …
 * // connections (7):
 * //   shop/backend  → data/postgres  TCP 5432
 */
export function formatMatrix(m: Matrix): string {
  const endpoints = [...m.endpoints].sort((a, b) => cmp(a.id, b.id));
  const conns = [...m.connections].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to));
  const wf = Math.max(0, ...conns.map((c) => c.from.length));
  const wt = Math.max(0, ...conns.map((c) => c.to.length));
  return [
    `endpoints (${endpoints.length}):`,
    ...endpoints.map((e) => `  ${describeEndpoint(e)}`),
    `connections (${conns.length}):`,
    ...conns.map((c) => `  ${c.from.padEnd(wf)} → ${c.to.padEnd(wt)}  ${formatPortSet(c.ports)}`),
  ].join('\n');
}

/**
 * The snapshot serializer: `expect(computeMatrix(session)).toMatchSnapshot()` stores
 * {@link formatMatrix}'s text. Added by `installNetreachMatchers`.
 *
 * @example
 * expect.addSnapshotSerializer(matrixSerializer);
 */
export const matrixSerializer = {
  test: (value: unknown): boolean => isMatrix(value),
  serialize: (value: unknown): string => formatMatrix(value as Matrix),
};
