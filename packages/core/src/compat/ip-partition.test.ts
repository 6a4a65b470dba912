import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type IpRange, formatRange, parseCidr } from '../model/ip.js';
import { cidrSetRanges, disjointRanges } from './ip-partition.js';

const cidr = (text: string): IpRange => parseCidr(text)!;
const set = (c: string, ...except: string[]) => ({
  cidr: c,
  range: cidr(c),
  except: except.map((e) => ({ cidr: e, range: cidr(e) })),
});
const show = (ranges: readonly IpRange[]): string[] => ranges.map(formatRange);

describe('cidrSetRanges', () => {
  it('subtracts the exceptions, merging adjacent ones into one hole', () => {
    expect(show(cidrSetRanges(set('10.0.0.0/8', '10.0.0.0/9', '10.128.0.0/10')))).toEqual([
      '10.192.0.0-10.255.255.255',
    ]);
    expect(show(cidrSetRanges(set('0.0.0.0/0', '10.0.0.0/8')))).toEqual([
      '0.0.0.0-9.255.255.255',
      '11.0.0.0-255.255.255.255',
    ]);
  });

  it('has no IPv4 ranges for an IPv6 block', () => {
    expect(cidrSetRanges(set('fd00::/8'))).toEqual([]);
  });
});

describe('disjointRanges', () => {
  it('splits 0.0.0.0/0 except three CIDRs into the seven ranges netpol-analyzer prints', () => {
    const block = cidrSetRanges(set('0.0.0.0/0', '10.0.0.0/8', '172.21.0.0/16', '172.30.0.0/16'));
    expect(show(disjointRanges([block]))).toEqual([
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.255.255.255',
      '11.0.0.0-172.20.255.255',
      '172.21.0.0-172.21.255.255',
      '172.22.0.0-172.29.255.255',
      '172.30.0.0-172.30.255.255',
      '172.31.0.0-255.255.255.255',
    ]);
  });

  it('is the whole space without blocks, and does not cut where membership does not change', () => {
    expect(show(disjointRanges([]))).toEqual(['0.0.0.0-255.255.255.255']);
    // Two adjacent CIDRs in one block: one range, not two.
    const one = [...cidrSetRanges(set('10.0.0.0/9')), ...cidrSetRanges(set('10.128.0.0/9'))];
    expect(show(disjointRanges([one]))).toEqual([
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.255.255.255',
      '11.0.0.0-255.255.255.255',
    ]);
    // The same two as separate blocks: two ranges.
    expect(show(disjointRanges([cidrSetRanges(set('10.0.0.0/9')), cidrSetRanges(set('10.128.0.0/9'))]))).toHaveLength(
      4,
    );
  });

  it('is the coarsest contiguous partition of 0.0.0.0/0 that no block cuts', () => {
    const cidrArb = fc
      .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 4, max: 20 }))
      .map(([a, b, len]) => parseCidr(`${a}.${b}.0.0/${len}`)!);
    const blockArb = fc
      .tuple(cidrArb, fc.array(cidrArb, { maxLength: 2 }))
      .map(([c, ex]) => cidrSetRanges({ cidr: '', range: c, except: ex.map((e) => ({ cidr: '', range: e })) }));
    fc.assert(
      fc.property(fc.array(blockArb, { maxLength: 5 }), (blocks) => {
        const parts = disjointRanges(blocks);
        expect(parts[0]!.start).toBe(0n);
        expect(parts[parts.length - 1]!.end).toBe(0xffffffffn);
        const inside = (b: readonly IpRange[], ip: bigint): boolean => b.some((r) => r.start <= ip && ip <= r.end);
        const signature = (ip: bigint): string => blocks.map((b) => (inside(b, ip) ? 1 : 0)).join('');
        parts.forEach((p, i) => {
          if (i > 0) expect(p.start).toBe(parts[i - 1]!.end + 1n);
          // No block cuts a part: its ends have the same membership, and no block bound lies inside.
          expect(signature(p.end)).toBe(signature(p.start));
          for (const b of blocks)
            for (const r of b) {
              expect(r.start <= p.start || r.start > p.end).toBe(true);
              expect(r.end >= p.end || r.end < p.start).toBe(true);
            }
          // Coarsest: neighbours differ in membership.
          if (i > 0) expect(signature(p.start)).not.toBe(signature(parts[i - 1]!.end));
        });
      }),
      { numRuns: 200 },
    );
  });
});
