/**
 * The disjoint IPv4 ranges netpol-analyzer shows as `[External]` peers: the coarsest split of
 * 0.0.0.0/0 in which every referenced IP block either holds a range wholly or not at all, with
 * every range contiguous (netset `DisjointIPBlocks` followed by `Split`).
 */
import { type CidrSet, type IpRange, cutAddressSpace } from '../model/ip.js';
import type { Direction, TierPipeline } from '../policy/ir.js';

/** An IP block as a sorted list of disjoint ranges (a CIDR minus its exceptions). */
type Block = readonly IpRange[];

/** The IPv4 ranges of a CIDR set (its CIDR minus its exceptions); empty for IPv6. */
export function cidrSetRanges(set: CidrSet): IpRange[] {
  if (set.range.family !== 4) return [];
  let out: IpRange[] = [set.range];
  for (const e of set.except) {
    if (e.range.family !== 4) continue;
    const next: IpRange[] = [];
    for (const r of out) {
      if (e.range.end < r.start || e.range.start > r.end) next.push(r);
      else {
        if (r.start < e.range.start) next.push({ family: 4, start: r.start, end: e.range.start - 1n });
        if (r.end > e.range.end) next.push({ family: 4, start: e.range.end + 1n, end: r.end });
      }
    }
    out = next;
  }
  return out;
}

/**
 * Partition 0.0.0.0/0 by membership in the given blocks: cut at every block boundary, then merge
 * neighbouring pieces that lie in exactly the same blocks. Returns contiguous ranges in order.
 */
export function disjointRanges(blocks: readonly Block[]): IpRange[] {
  const pieces = cutAddressSpace(4, blocks.flat()).map((r) => ({
    start: r.start,
    end: r.end,
    members: [] as number[],
  }));
  const startIndex = new Map(pieces.map((p, i) => [p.start, i]));
  blocks.forEach((b, bi) => {
    for (const r of b) {
      for (let i = startIndex.get(r.start)!; i < pieces.length && pieces[i]!.end <= r.end; i++)
        pieces[i]!.members.push(bi);
    }
  });
  const out: IpRange[] = [];
  let prevKey: string | undefined;
  for (const p of pieces) {
    const key = p.members.join(',');
    const last = out[out.length - 1];
    if (last !== undefined && key === prevKey) out[out.length - 1] = { family: 4, start: last.start, end: p.end };
    else out.push({ family: 4, start: p.start, end: p.end });
    prevKey = key;
  }
  return out;
}

/**
 * The IP blocks that rules of one direction refer to: NetworkPolicy `ipBlock` peers and
 * (Baseline)AdminNetworkPolicy `networks` peers. Each CIDR set counts as its own block.
 */
export function referencedBlocks(pipeline: TierPipeline, direction: Direction): Block[] {
  const out: Block[] = [];
  for (const tier of pipeline.tiers)
    for (const policy of tier.policies)
      for (const rule of (direction === 'ingress' ? policy.ingress : policy.egress) ?? [])
        for (const peer of rule.peers)
          if (peer.kind === 'ipBlock')
            for (const set of peer.blocks) {
              const ranges = cidrSetRanges(set);
              if (ranges.length > 0) out.push(ranges);
            }
  return out;
}
