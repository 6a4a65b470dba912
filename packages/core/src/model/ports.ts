import { type ContainerPort, PROTOCOLS, type Protocol } from './types.js';

/** An inclusive port interval. */
export type PortInterval = readonly [start: number, end: number];

/** Allowed ports per protocol, as sorted, disjoint, non-adjacent intervals. */
export type PortSet = Readonly<Record<Protocol, readonly PortInterval[]>>;

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** The empty port set. */
export const NO_PORTS: PortSet = { TCP: [], UDP: [], SCTP: [] };

/** Every port of every protocol. */
export const ALL_PORTS: PortSet = {
  TCP: [[MIN_PORT, MAX_PORT]],
  UDP: [[MIN_PORT, MAX_PORT]],
  SCTP: [[MIN_PORT, MAX_PORT]],
};

/** Normalise intervals: sort, merge overlapping and adjacent ones. */
export function normalizeIntervals(intervals: readonly PortInterval[]): PortInterval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s <= last[1] + 1) {
      if (e > last[1]) last[1] = e;
    } else {
      out.push([s, e]);
    }
  }
  return out;
}

/** Whether a port set is empty. */
export function isEmptyPortSet(set: PortSet): boolean {
  return PROTOCOLS.every((p) => set[p].length === 0);
}

/** Whether a port set holds every port of every protocol. */
export function isAllPorts(set: PortSet): boolean {
  return PROTOCOLS.every((p) => set[p].length === 1 && set[p][0]![0] === MIN_PORT && set[p][0]![1] === MAX_PORT);
}

/** Whether two port sets are equal (both normalised). */
export function portSetsEqual(a: PortSet, b: PortSet): boolean {
  return PROTOCOLS.every(
    (p) => a[p].length === b[p].length && a[p].every((iv, i) => iv[0] === b[p][i]![0] && iv[1] === b[p][i]![1]),
  );
}

/** Set difference a \ b per protocol. */
export function subtractPortSets(a: PortSet, b: PortSet): PortSet {
  const out = { TCP: [], UDP: [], SCTP: [] } as Record<Protocol, PortInterval[]>;
  for (const p of PROTOCOLS) {
    let current: PortInterval[] = [...a[p]];
    for (const [bs, be] of b[p]) {
      const next: PortInterval[] = [];
      for (const [s, e] of current) {
        if (be < s || bs > e) next.push([s, e]);
        else {
          if (s < bs) next.push([s, bs - 1]);
          if (e > be) next.push([be + 1, e]);
        }
      }
      current = next;
    }
    out[p] = current;
  }
  return out;
}

/** Union of port sets. */
export function unionPortSets(a: PortSet, b: PortSet): PortSet {
  return {
    TCP: normalizeIntervals([...a.TCP, ...b.TCP]),
    UDP: normalizeIntervals([...a.UDP, ...b.UDP]),
    SCTP: normalizeIntervals([...a.SCTP, ...b.SCTP]),
  };
}

/** Whether a port of a protocol is in the set. */
export function portSetHas(set: PortSet, protocol: Protocol, port: number): boolean {
  return set[protocol].some(([s, e]) => port >= s && port <= e);
}

/** Format intervals as `80,443,8000-8080`. */
export function formatIntervals(intervals: readonly PortInterval[]): string {
  return intervals.map(([s, e]) => (s === e ? `${s}` : `${s}-${e}`)).join(',');
}

/** Format a port set: `all`, `none`, or `TCP 80,443; UDP 53`. */
export function formatPortSet(set: PortSet): string {
  if (isAllPorts(set)) return 'all';
  if (isEmptyPortSet(set)) return 'none';
  return PROTOCOLS.filter((p) => set[p].length > 0)
    .map((p) => `${p} ${formatIntervals(set[p])}`)
    .join('; ');
}

/** Whether two pods declare the same container ports (name, protocol, number) in the same order. */
export function sameContainerPorts(a: readonly ContainerPort[], b: readonly ContainerPort[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.port !== y.port || x.protocol !== y.protocol || x.name !== y.name) return false;
  }
  return true;
}
