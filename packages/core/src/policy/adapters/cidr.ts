/** CIDR fields (NetworkPolicy `ipBlock`, cluster policy `networks`). */
import { formatIp, parseCidr, parseIp, type IpRange } from '../../model/ip.js';
import type { ValidationContext } from './validate.js';

/** A parsed CIDR with its text as written. */
export interface CompiledCidr {
  readonly cidr: string;
  readonly range: IpRange;
}

/**
 * Parse a CIDR field. An unparsable CIDR is an `INVALID_CIDR` error. A CIDR with host bits set
 * (`10.0.0.1/8`) is accepted with a `CIDR_HOST_BITS` warning and means its network: Kubernetes
 * accepts it for NetworkPolicy (newer versions reject it in new objects) and CEL `isCIDR` accepts it.
 */
export function compileCidr(text: string, path: string, ctx: ValidationContext): CompiledCidr | undefined {
  const range = parseCidr(text);
  if (range === undefined) {
    const hint = text.includes('/') ? '' : ': add a prefix length, e.g. /32 for one IPv4 address';
    ctx.error(path, 'INVALID_CIDR', `invalid CIDR ${JSON.stringify(text)}${hint}`);
    return undefined;
  }
  const address = parseIp(text.slice(0, text.indexOf('/')));
  if (address !== undefined && address.value !== range.start) {
    const network = `${formatIp({ family: range.family, value: range.start })}${text.slice(text.indexOf('/'))}`;
    ctx.warn(
      path,
      'CIDR_HOST_BITS',
      `CIDR ${JSON.stringify(text)} has bits set after the prefix length; it is read as ${network}`,
    );
  }
  return { cidr: text, range };
}
