/** Port and protocol primitives shared by every policy kind. */
import type { Protocol } from '../../model/types.js';
import type { PortMatch } from '../ir.js';
import {
  childPath,
  describeType,
  isAbsent,
  readInteger,
  readObject,
  readString,
  requirePresent,
  type ValidationContext,
} from './validate.js';

export const MIN_PORT = 1;
export const MAX_PORT = 65535;
const PROTOCOL_NAMES: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** A port number field: an integer in 1–65535. `undefined` when absent or invalid (error recorded). */
export function readPortNumber(value: unknown, path: string, ctx: ValidationContext): number | undefined {
  const port = readInteger(value, path, ctx);
  if (port === undefined) return undefined;
  if (port < MIN_PORT || port > MAX_PORT) {
    ctx.error(path, 'INVALID_PORT', `port ${port} is out of range ${MIN_PORT}-${MAX_PORT}`);
    return undefined;
  }
  return port;
}

/** A `protocol` field: TCP, UDP or SCTP, TCP when absent. `undefined` when invalid (error recorded). */
export function readProtocol(value: unknown, path: string, ctx: ValidationContext): Protocol | undefined {
  if (isAbsent(value)) return 'TCP';
  if (typeof value === 'string' && (PROTOCOL_NAMES as readonly string[]).includes(value)) return value as Protocol;
  const upper = typeof value === 'string' ? value.toUpperCase() : '';
  const hint = (PROTOCOL_NAMES as readonly string[]).includes(upper) ? ` (protocols are upper case: ${upper})` : '';
  ctx.error(
    path,
    'INVALID_PROTOCOL',
    `unsupported protocol ${describeType(value)}: use one of ${PROTOCOL_NAMES.join(', ')}${hint}`,
  );
  return undefined;
}

/**
 * Why a port name is invalid, or `undefined` when it is a valid IANA_SVC_NAME (apimachinery
 * `IsValidPortName`): 1–15 lower-case alphanumerics or "-", at least one letter, no leading,
 * trailing or doubled "-".
 */
export function portNameProblem(name: string): string | undefined {
  // Checked in order; the message is built only for a problem.
  let problem: string | undefined;
  if (/^[0-9]+$/.test(name)) problem = `has no letter: write the number ${name} without quotes`;
  else if (name.length < 1 || name.length > 15) problem = 'must be 1-15 characters long';
  else if (!/^[-a-z0-9]+$/.test(name)) problem = 'may contain only lower-case letters, digits and "-"';
  else if (!/[a-z]/.test(name)) problem = 'must contain at least one letter';
  else if (name.includes('--')) problem = 'must not contain "--"';
  else if (name.startsWith('-') || name.endsWith('-')) problem = 'must not start or end with "-"';
  return problem === undefined ? undefined : `port name ${JSON.stringify(name)} ${problem}`;
}

/** The inclusive range `start`–`end` of one protocol. */
export function portRange(protocol: Protocol, start: number, end: number): PortMatch {
  return { kind: 'range', protocol, start, end };
}

/** Every port of one protocol. */
export function allPortsOf(protocol: Protocol): PortMatch {
  return portRange(protocol, MIN_PORT, MAX_PORT);
}

/**
 * A port range object `{start, end}`, both required. `allowEqual`: whether `start == end` is
 * accepted (v1alpha1 has no CEL check and only says start < end in a comment; v1alpha2 enforces
 * `self.start < self.end`). `start > end` is always an error.
 */
export function readPortRange(
  value: unknown,
  path: string,
  ctx: ValidationContext,
  allowEqual: boolean,
): { readonly start: number; readonly end: number } | undefined {
  const range = readObject(value, path, ctx);
  if (range === undefined) return undefined;
  const bound = (key: 'start' | 'end'): number | undefined => {
    const fieldPath = childPath(path, key);
    return requirePresent(range[key], fieldPath, ctx) ? readPortNumber(range[key], fieldPath, ctx) : undefined;
  };
  const start = bound('start');
  const end = bound('end');
  if (start === undefined || end === undefined) return undefined;
  if (start > end || (start === end && !allowEqual)) {
    const hint = start === end ? ': for a single port use a port number instead of a range' : '';
    ctx.error(
      childPath(path, 'end'),
      'INVALID_PORT_RANGE',
      `range end ${end} must be ${allowEqual ? 'at least' : 'greater than'} start ${start}${hint}`,
    );
    return undefined;
  }
  return { start, end };
}

/**
 * A cluster policy named port (`destinationNamedPort`, `namedPort`): any container port
 * protocol. The CRDs accept any string; a name that is not a valid port name can never match a
 * container port, which is worth a warning.
 */
export function compileNamedPort(value: unknown, path: string, ctx: ValidationContext): PortMatch | undefined {
  const name = readString(value, path, ctx);
  if (name === undefined) return undefined;
  const problem = portNameProblem(name);
  if (problem !== undefined) ctx.warn(path, 'INVALID_PORT', `${problem}, so it can never match a container port`);
  return { kind: 'named', name, protocol: null };
}
