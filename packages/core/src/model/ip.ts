import { IPv4, IPv6, Validator } from 'ip-num';

/** IP family. */
export type IpFamily = 4 | 6;

/** A parsed IP address. */
export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

/** An inclusive range of addresses of one family (a CIDR or a piece of one). */
export interface IpRange {
  readonly family: IpFamily;
  readonly start: bigint;
  readonly end: bigint;
}

/** A CIDR block with its exceptions (`ipBlock`), or a plain network when `except` is empty. */
export interface CidrSet {
  readonly cidr: string;
  readonly range: IpRange;
  readonly except: readonly { readonly cidr: string; readonly range: IpRange }[];
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parse an IPv4 or IPv6 address; undefined when invalid. */
export function parseIp(text: string): IpAddress | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.includes(':')) {
    if (!Validator.isValidIPv6String(text)[0]) return undefined;
    try {
      return { family: 6, value: IPv6.fromString(text).getValue() };
    } catch {
      return undefined;
    }
  }
  // IPv4 is parsed by hand: it is on the hot path for every pod. Kubernetes rejects leading zeros.
  const m = IPV4.exec(text);
  if (m === null) return undefined;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const o = m[i]!;
    if (o.length > 1 && o.startsWith('0')) return undefined;
    const n = Number(o);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return { family: 4, value: BigInt(value) };
}

/** Parse a CIDR such as `10.0.0.0/8` or `fd00::/64`. Host bits are masked off. */
export function parseCidr(text: string): IpRange | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (ip === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = BITS[ip.family];
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const size = 1n << hostBits;
  const start = (ip.value >> hostBits) << hostBits;
  return { family: ip.family, start, end: start + size - 1n };
}

/** Whether range `inner` lies within range `outer`. */
export function rangeWithin(inner: IpRange, outer: IpRange): boolean {
  return inner.family === outer.family && inner.start >= outer.start && inner.end <= outer.end;
}

/** Whether an address lies in a range. */
export function rangeContains(range: IpRange, ip: IpAddress): boolean {
  return range.family === ip.family && ip.value >= range.start && ip.value <= range.end;
}

/** Whether an address lies in the CIDR set (inside `cidr`, outside every `except`). */
export function cidrSetContains(set: CidrSet, ip: IpAddress): boolean {
  if (!rangeContains(set.range, ip)) return false;
  return !set.except.some((e) => rangeContains(e.range, ip));
}

/** Format an address. */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return IPv4.fromNumber(ip.value).toString();
  // RFC 5952: lower-case hex, the longest run (2+) of zero groups compressed to "::".
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Format a range as `a-b` (a single address as itself). */
export function formatRange(range: IpRange): string {
  const a = formatIp({ family: range.family, value: range.start });
  if (range.start === range.end) return a;
  return `${a}-${formatIp({ family: range.family, value: range.end })}`;
}

/** The whole address space of a family. */
export function fullRange(family: IpFamily): IpRange {
  return { family, start: 0n, end: (1n << BigInt(BITS[family])) - 1n };
}

/** Format a range as a CIDR when it is exactly one (`10.0.0.0/8`), else as `a-b`. */
export function formatRangeCompact(range: IpRange): string {
  const size = range.end - range.start + 1n;
  const bits = BITS[range.family];
  if ((size & (size - 1n)) === 0n && range.start % size === 0n) {
    const hostBits = size.toString(2).length - 1;
    return `${formatIp({ family: range.family, value: range.start })}/${bits - hostBits}`;
  }
  return formatRange(range);
}
