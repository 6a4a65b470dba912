import fc from 'fast-check';
import { IPv4, IPv6, Validator } from 'ip-num';
import { describe, expect, it } from 'vitest';
import { formatIp, parseIp } from './ip.js';

/** IPv4 as Kubernetes reads it: four decimal octets up to 255, no leading zeros. */
function referenceIpv4(text: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return undefined;
  let value = 0n;
  for (const octet of m.slice(1)) {
    if (octet.length > 1 && octet.startsWith('0')) return undefined;
    if (Number(octet) > 255) return undefined;
    value = value * 256n + BigInt(octet);
  }
  return value;
}

/** IPv6 as ip-num reads it (the library netreach relied on alone before). */
function referenceIpv6(text: string): bigint | undefined {
  if (!Validator.isValidIPv6String(text)[0]) return undefined;
  try {
    return IPv6.fromString(text).getValue();
  } catch {
    return undefined;
  }
}

describe('formatIp', () => {
  it('writes IPv4 in dotted decimal, as ip-num does', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 0xffffffffn }), (value) => {
        expect(formatIp({ family: 4, value })).toBe(IPv4.fromNumber(value).toString());
      }),
    );
  });
});

describe('parseIp', () => {
  it('reads IPv4 like the dotted-quad rule, rejecting leading zeros and big octets', () => {
    expect(parseIp('10.1.2.3')).toEqual({ family: 4, value: 0x0a010203n });
    expect(parseIp('255.255.255.255')?.value).toBe(0xffffffffn);
    for (const bad of ['010.1.2.3', '256.1.1.1', '1.2.3', '1.2.3.4.5', '1..2.3', ' 1.2.3.4', '1.2.3.4\n', '']) {
      expect(parseIp(bad), bad).toBeUndefined();
    }
    const octet = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map(String),
      fc.constantFrom('00', '01', '0', '', 'a', '1234'),
    );
    const candidates = fc.oneof(
      fc.array(octet, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.')),
      fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', '.'), maxLength: 16 }),
    );
    fc.assert(
      fc.property(candidates, (text) => {
        const expected = referenceIpv4(text);
        expect(parseIp(text)).toEqual(expected === undefined ? undefined : { family: 4, value: expected });
      }),
      { numRuns: 3000 },
    );
  });

  it('reads IPv6 exactly as ip-num does, in every form', () => {
    expect(parseIp('fd00::1')).toEqual({ family: 6, value: (0xfd00n << 112n) | 1n });
    expect(parseIp('::')?.value).toBe(0n);
    expect(parseIp('1::')?.value).toBe(1n << 112n);
    expect(parseIp('::ffff:10.0.0.1')?.value).toBe((0xffffn << 32n) | 0x0a000001n);
    for (const bad of ['1::2::3', ':1', '1:', '12345::', '1:2:3:4:5:6:7:8:9', 'g::1']) {
      expect(parseIp(bad), bad).toBeUndefined();
    }
    const group = fc.oneof(
      fc.string({ unit: fc.constantFrom('0', '1', 'a', 'F', 'f', '9'), minLength: 1, maxLength: 5 }),
      fc.constantFrom('', '1.2.3.4', '255.0.10.1', '01.2.3.4', '1.2.3', 'g', '0000', '1%eth0', '1%', '1%a-b'),
    );
    const candidates = fc.oneof(
      fc.array(group, { minLength: 1, maxLength: 10 }).map((groups) => groups.join(':')),
      fc.string({ unit: fc.constantFrom('0', '1', 'f', ':', '.', '%'), maxLength: 20 }),
      fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((value) => formatIp({ family: 6, value })),
      // Near-valid forms: up to 8 groups, maybe a `::`, a dotted IPv4 tail and a zone ID.
      fc
        .tuple(
          fc.array(fc.stringMatching(/^[0-9a-fA-F]{1,4}$/), { maxLength: 8 }),
          fc.nat(8),
          fc.boolean(),
          fc.constantFrom('', '1.2.3.4', '10.0.0.256', '0.0.0.0'),
          fc.constantFrom('', '%eth0', '%', '%a_b'),
        )
        .map(([groups, at, gap, v4, zone]) => {
          const parts = [...groups];
          if (v4 !== '') parts.push(v4);
          const head = parts.slice(0, Math.min(at, parts.length)).join(':');
          const tail = parts.slice(Math.min(at, parts.length)).join(':');
          return `${gap ? `${head}::${tail}` : [head, tail].filter((x) => x !== '').join(':')}${zone}`;
        }),
    );
    fc.assert(
      fc.property(candidates, (text) => {
        fc.pre(text.includes(':'));
        const expected = referenceIpv6(text);
        expect(parseIp(text)).toEqual(expected === undefined ? undefined : { family: 6, value: expected });
      }),
      { numRuns: 3000 },
    );
  });
});
