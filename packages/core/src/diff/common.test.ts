import { describe, expect, it } from 'vitest';
import { formatRangeCompact, parseCidr } from '../model/ip.js';
import { ALL_PORTS, NO_PORTS, type PortSet, formatPortSet } from '../model/ports.js';
import { type RangeRow, compareRangeRows, mergeRangeRows, parseRangeText, representativePort } from './common.js';

const tcp = (...intervals: [number, number][]): PortSet => ({ TCP: intervals, UDP: [], SCTP: [] });
const row = (cidr: string, ports: PortSet): RangeRow => ({ range: parseRangeText(cidr)!, ports });
const show = (rows: readonly { range: Parameters<typeof formatRangeCompact>[0] }[]): string[] =>
  rows.map((r) => formatRangeCompact(r.range));

describe('address ranges as text', () => {
  it('reads CIDRs, a-b ranges and single addresses', () => {
    expect(parseRangeText('10.0.0.0/8')).toEqual(parseCidr('10.0.0.0/8'));
    expect(parseRangeText('10.0.0.0-10.0.0.5')).toEqual({ family: 4, start: 0x0a000000n, end: 0x0a000005n });
    expect(parseRangeText('fd00::1')).toEqual({
      family: 6,
      start: 0xfd000000000000000000000000000001n,
      end: 0xfd000000000000000000000000000001n,
    });
    for (const bad of ['10.0.0.5-10.0.0.1', '10.0.0.0-fd00::', 'x', '10.0.0.0/33', ''])
      expect(parseRangeText(bad), bad).toBeUndefined();
  });
});

describe('mergeRangeRows', () => {
  it('merges adjacent ranges with equal ports and drops empty ones', () => {
    const merged = mergeRangeRows([
      row('10.0.0.0/9', tcp([80, 80])),
      row('0.0.0.0-9.255.255.255', NO_PORTS),
      row('10.128.0.0/9', tcp([80, 80])),
      row('11.0.0.0-255.255.255.255', tcp([81, 81])),
      row('::/0', ALL_PORTS),
    ]);
    expect(show(merged)).toEqual(['10.0.0.0/8', '11.0.0.0-255.255.255.255', '::/0']);
    expect(merged.map((r) => formatPortSet(r.ports))).toEqual(['TCP 80', 'TCP 81', 'all']);
  });
});

describe('compareRangeRows', () => {
  it('intersects two different cuts of the address space', () => {
    // Before: 10/8 gets TCP 80, the rest nothing. After: 10.0/16 keeps 80, 10.1-255 loses it,
    // 0/5 and 192.168/16 gain 443.
    const before = [
      row('0.0.0.0-9.255.255.255', NO_PORTS),
      row('10.0.0.0/8', tcp([80, 80])),
      row('11.0.0.0-255.255.255.255', NO_PORTS),
    ];
    const after = [
      row('0.0.0.0/5', tcp([443, 443])),
      row('10.0.0.0/16', tcp([80, 80])),
      row('192.168.0.0/16', tcp([443, 443])),
    ];
    const changes = compareRangeRows(before, after);
    expect(show(changes)).toEqual(['0.0.0.0/5', '10.1.0.0-10.255.255.255', '192.168.0.0/16']);
    expect(changes.map((c) => [formatPortSet(c.gained), formatPortSet(c.lost)])).toEqual([
      ['TCP 443', 'none'],
      ['none', 'TCP 80'],
      ['TCP 443', 'none'],
    ]);
  });

  it('merges neighbouring pieces with the same change, across families separately', () => {
    const changes = compareRangeRows(
      [row('0.0.0.0/1', NO_PORTS), row('::/0', ALL_PORTS)],
      [row('0.0.0.0/2', tcp([1, 1])), row('64.0.0.0/2', tcp([1, 1])), row('::/1', ALL_PORTS)],
    );
    expect(show(changes)).toEqual(['0.0.0.0/1', '8000::/1']);
    expect(formatPortSet(changes[1]!.lost)).toBe('all');
  });

  it('reports nothing for equal connectivity cut differently', () => {
    expect(
      compareRangeRows(
        [row('0.0.0.0/0', tcp([80, 81]))],
        [row('0.0.0.0/1', tcp([80, 81])), row('128.0.0.0/1', tcp([80, 81]))],
      ),
    ).toEqual([]);
  });
});

describe('representativePort', () => {
  it('prefers a port the destination pod declares', () => {
    const pod = {
      kind: 'pod' as const,
      id: 'a/b',
      pod: {
        namespace: 'a',
        name: 'b',
        labels: {},
        ips: [],
        ports: [{ port: 8080, protocol: 'TCP' as const }],
        hostNetwork: false,
        replicas: 1,
        fromTemplate: false,
      },
      namespaceLabels: {},
      ips: [],
    };
    expect(representativePort(ALL_PORTS, pod)).toEqual({ protocol: 'TCP', port: 8080 });
    expect(representativePort(tcp([1, 100]), pod)).toEqual({ protocol: 'TCP', port: 1 });
    expect(representativePort({ TCP: [], UDP: [[53, 53]], SCTP: [] })).toEqual({ protocol: 'UDP', port: 53 });
    expect(() => representativePort(NO_PORTS)).toThrow();
  });
});
