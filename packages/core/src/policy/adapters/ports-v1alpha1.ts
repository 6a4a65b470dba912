/** The v1alpha1 (AdminNetworkPolicy, BaselineAdminNetworkPolicy) `ports` syntax. */
import type { PortMatch } from '../ir.js';
import { compileNamedPort, portRange, readPortNumber, readPortRange, readProtocol } from './ports.js';
import { childPath, readItem, readObject, readUnion, requirePresent, type ValidationContext } from './validate.js';

/**
 * One `ports` entry: exactly one of `portNumber {protocol, port}`, `portRange {protocol, start,
 * end}` (protocol defaults to TCP) or `namedPort`. v1alpha1 has no CEL check on ranges, so
 * `start == end` is accepted (one port); `start > end` is an error.
 */
export function compileV1alpha1Port(item: unknown, path: string, ctx: ValidationContext): PortMatch | undefined {
  const entry = readItem(item, path, ctx);
  const one = entry && readUnion(entry, ['portNumber', 'portRange', 'namedPort'], path, ctx);
  if (one === undefined) return undefined;
  const fieldPath = childPath(path, one.key);
  if (one.key === 'namedPort') return compileNamedPort(one.value, fieldPath, ctx);
  const body = readObject(one.value, fieldPath, ctx);
  if (body === undefined) return undefined;
  const protocol = readProtocol(body['protocol'], childPath(fieldPath, 'protocol'), ctx);
  if (one.key === 'portRange') {
    const range = readPortRange(body, fieldPath, ctx, true);
    return range && protocol && portRange(protocol, range.start, range.end);
  }
  const portPath = childPath(fieldPath, 'port');
  const port = requirePresent(body['port'], portPath, ctx) ? readPortNumber(body['port'], portPath, ctx) : undefined;
  return port === undefined || protocol === undefined ? undefined : portRange(protocol, port, port);
}
