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

/** Parse an IPv4 or IPv6 address; undefined when invalid. */
export function parseIp(text: string): IpAddress | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value: BigInt(value) };
}

/**
 * A dotted-quad IPv4 address as a number: four decimal octets of 1-3 digits, each at most 255,
 * without leading zeros (Kubernetes rejects them). Parsed by hand: it is on the hot path for
 * every pod.
 */
function parseIpv4(text: string): number | undefined {
  const n = text.length;
  if (n < 7 || n > 15) return undefined;
  let value = 0;
  let octets = 0;
  let i = 0;
  while (i <= n) {
    let octet = 0;
    const start = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      octet = octet * 10 + (c - 48);
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || octet > 255) return undefined;
    if (digits > 1 && text.charCodeAt(start) === 48) return undefined;
    value = value * 256 + octet;
    octets++;
    if (i === n) break;
    if (text.charCodeAt(i) !== 46 /* . */ || octets === 4) return undefined;
    i++;
  }
  return octets === 4 ? value : undefined;
}

/**
 * An IPv6 address as a number, in the forms ip-num (which netreach used before) accepts: hex
 * groups of 1-4 digits with at most one `::`, optionally ending in a dotted IPv4 address (two
 * groups: octets up to 255 without leading zeros) and optionally followed by a zone ID
 * `%<letters and digits>`, which is ignored.
 */
function parseIpv6(text: string): bigint | undefined {
  let n = text.length;
  const percent = text.indexOf('%');
  if (percent >= 0) {
    if (percent === n - 1) return undefined;
    for (let i = percent + 1; i < n; i++) {
      const c = text.charCodeAt(i);
      if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return undefined;
    }
    n = percent;
  }
  if (n < 2 || n > 45) return undefined;
  const groups: number[] = [];
  /** Index in `groups` where `::` stands, or -1. */
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === 58 /* : */) {
    if (text.charCodeAt(1) !== 58) return undefined;
    gap = 0;
    i = 2;
  }
  while (i < n) {
    let group = 0;
    const start = i;
    while (i < n && i - start < 5) {
      const c = text.charCodeAt(i);
      const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (digit < 0) break;
      group = group * 16 + digit;
      i++;
    }
    if (text.charCodeAt(i) === 46 /* . */) {
      // A trailing dotted IPv4 address: the last two groups.
      const v4 = parseIpv4(text.slice(start, n));
      if (v4 === undefined || groups.length > 6) return undefined;
      groups.push(Math.floor(v4 / 65536), v4 % 65536);
      break;
    }
    const digits = i - start;
    if (digits === 0 || digits > 4) return undefined;
    groups.push(group);
    if (i === n) break;
    if (text.charCodeAt(i) !== 58) return undefined;
    i++;
    if (text.charCodeAt(i) === 58) {
      if (gap >= 0) return undefined;
      gap = groups.length;
      i++;
    } else if (i === n) {
      return undefined;
    }
  }
  if (gap < 0 ? groups.length !== 8 : groups.length > 7) return undefined;
  let value = 0n;
  const missing = 8 - groups.length;
  for (let g = 0; g < groups.length; g++) {
    if (g === gap) value <<= BigInt(16 * missing);
    value = (value << 16n) | BigInt(groups[g] as number);
  }
  if (gap === groups.length) value <<= BigInt(16 * missing);
  return value;
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

/**
 * Cut a family's whole address space at the bounds of `ranges` (ranges of the other family are
 * ignored): sorted, disjoint pieces covering it, each wholly inside or outside every range.
 */
export function cutAddressSpace(family: IpFamily, ranges: Iterable<IpRange>): IpRange[] {
  const end = fullRange(family).end + 1n;
  const cuts = new Set<bigint>([0n]);
  for (const r of ranges)
    if (r.family === family) {
      cuts.add(r.start);
      if (r.end + 1n < end) cuts.add(r.end + 1n);
    }
  const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.map((start, i) => ({ family, start, end: (sorted[i + 1] ?? end) - 1n }));
}

/** The ranges a CIDR set is made of: its CIDR and each exception. */
export function cidrSetBounds(set: CidrSet): IpRange[] {
  return [set.range, ...set.except.map((e) => e.range)];
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
  if (ip.family === 4) {
    const v = Number(ip.value);
    return `${Math.floor(v / 16777216) % 256}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`;
  }
  // RFC 5952: lower-case hex, the longest run (2+) of zero groups compressed to "::".
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
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
