/** ClusterNetworkPolicy specifics: tier, Accept/Deny/Pass, `protocols`, domain names. Shared rules: cluster-scoped.test.ts. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../options.js';
import type { PortMatch } from '../ir.js';
import { compileClusterNetworkPolicy } from './clusternetworkpolicy-v1alpha2.js';

const cnp = (spec: unknown) =>
  compileClusterNetworkPolicy(
    { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: 'cnp' }, spec },
    DEFAULT_OPTIONS,
  );
const spec = (extra: Record<string, unknown>) => ({
  tier: 'Admin',
  priority: 1,
  subject: { namespaces: {} },
  ...extra,
});
const egressRule = (extra: Record<string, unknown>) =>
  spec({ egress: [{ action: 'Accept', to: [{ namespaces: {} }], ...extra }] });
const summary = (spec: unknown) => cnp(spec).issues.map((i) => [i.severity, i.code, i.path]);

describe('compileClusterNetworkPolicy: tier', () => {
  it('compiles the Admin and Baseline tiers', () => {
    expect(cnp(spec({ tier: 'Admin' })).policy?.tier).toBe('Admin');
    expect(cnp(spec({ tier: 'Baseline' })).policy?.tier).toBe('Baseline');
  });

  it('requires a known tier', () => {
    expect(summary(spec({ tier: undefined }))).toEqual([['error', 'MISSING_FIELD', 'spec.tier']]);
    expect(summary(spec({ tier: 'NetworkPolicy' }))).toEqual([['error', 'INVALID_ENUM', 'spec.tier']]);
    expect(summary(spec({ tier: 'admin' }))).toEqual([['error', 'INVALID_ENUM', 'spec.tier']]);
  });
});

describe('compileClusterNetworkPolicy: actions', () => {
  it('maps Accept to Allow and keeps Deny and Pass', () => {
    const rules = ['Accept', 'Deny', 'Pass'].map((action) => ({ action, from: [{ namespaces: {} }] }));
    expect(cnp(spec({ ingress: rules })).policy?.ingress?.map((r) => r.action)).toEqual(['Allow', 'Deny', 'Pass']);
  });

  it('rejects the v1alpha1 verb Allow', () => {
    expect(summary(egressRule({ action: 'Allow' }))).toEqual([['error', 'INVALID_ENUM', 'spec.egress[0].action']]);
  });

  it('fails closed for Pass rules by denying everything', () => {
    const result = cnp(spec({ ingress: [{ action: 'Pass', from: [{ namespaces: {} }, { future: {} }] }] }));
    expect(result.policy?.ingress).toEqual([{ index: 0, action: 'Deny', peers: [{ kind: 'all' }], ports: null }]);
  });
});

describe('compileClusterNetworkPolicy: protocols', () => {
  const ports = (...protocols: unknown[]): readonly PortMatch[] | null | undefined =>
    cnp(egressRule({ protocols })).policy?.egress?.[0]?.ports;
  const errors = (...protocols: unknown[]) => summary(egressRule({ protocols }));
  const p0 = 'spec.egress[0].protocols[0]';

  it('compiles numbers, ranges and named ports', () => {
    expect(
      ports(
        { tcp: { destinationPort: { number: 443 } } },
        { udp: { destinationPort: { range: { start: 1, end: 65535 } } } },
        { sctp: { destinationPort: { range: { start: 9000, end: 9001 } } } },
        { destinationNamedPort: 'dns' },
      ),
    ).toEqual([
      { kind: 'range', protocol: 'TCP', start: 443, end: 443 },
      { kind: 'range', protocol: 'UDP', start: 1, end: 65535 },
      { kind: 'range', protocol: 'SCTP', start: 9000, end: 9001 },
      { kind: 'named', name: 'dns', protocol: null },
    ]);
  });

  it('matches every port when protocols is absent', () => {
    expect(cnp(egressRule({})).policy?.egress?.[0]?.ports).toBeNull();
    expect(cnp(egressRule({ protocols: null })).policy?.egress?.[0]?.ports).toBeNull();
  });

  it('requires range start < end (start == end is rejected)', () => {
    const range = (start: number, end: number) => ({ tcp: { destinationPort: { range: { start, end } } } });
    expect(errors(range(80, 80))).toEqual([['error', 'INVALID_PORT_RANGE', `${p0}.tcp.destinationPort.range.end`]]);
    expect(errors(range(90, 80))).toEqual([['error', 'INVALID_PORT_RANGE', `${p0}.tcp.destinationPort.range.end`]]);
    expect(errors(range(0, 80))).toEqual([['error', 'INVALID_PORT', `${p0}.tcp.destinationPort.range.start`]]);
    expect(errors({ udp: { destinationPort: { range: { start: 1 } } } })).toEqual([
      ['error', 'MISSING_FIELD', `${p0}.udp.destinationPort.range.end`],
    ]);
  });

  it('rejects a bare tcp: {} (the CRD requires destinationPort)', () => {
    expect(errors({ tcp: {} })).toEqual([['error', 'MISSING_FIELD', `${p0}.tcp.destinationPort`]]);
    expect(cnp(egressRule({ protocols: [{ tcp: {} }] })).issues[0]?.message).toContain('65535');
  });

  it('requires exactly one field per protocol entry and per destinationPort', () => {
    expect(errors({})).toEqual([['error', 'INVALID_UNION', p0]]);
    expect(errors({ tcp: { destinationPort: { number: 80 } }, udp: { destinationPort: { number: 80 } } })).toEqual([
      ['error', 'INVALID_UNION', p0],
    ]);
    expect(errors({ icmp: {} })).toEqual([['error', 'INVALID_UNION', p0]]);
    expect(errors({ tcp: { destinationPort: {} } })).toEqual([['error', 'INVALID_UNION', `${p0}.tcp.destinationPort`]]);
    expect(errors({ tcp: { destinationPort: { number: 80, range: { start: 1, end: 2 } } } })).toEqual([
      ['error', 'INVALID_UNION', `${p0}.tcp.destinationPort`],
    ]);
  });

  it('rejects port numbers out of range and wrong types', () => {
    const num = (n: unknown) => ({ sctp: { destinationPort: { number: n } } });
    expect(errors(num(0))).toEqual([['error', 'INVALID_PORT', `${p0}.sctp.destinationPort.number`]]);
    expect(errors(num(65536))).toEqual([['error', 'INVALID_PORT', `${p0}.sctp.destinationPort.number`]]);
    expect(errors(num('80'))).toEqual([['error', 'INVALID_FIELD', `${p0}.sctp.destinationPort.number`]]);
    expect(errors({ destinationNamedPort: 80 })).toEqual([['error', 'INVALID_FIELD', `${p0}.destinationNamedPort`]]);
    expect(errors({ tcp: 80 })).toEqual([['error', 'INVALID_FIELD', `${p0}.tcp`]]);
  });
});

describe('compileClusterNetworkPolicy: domainNames', () => {
  const to = (domainNames: unknown, action = 'Accept') => egressRule({ action, to: [{ domainNames }] });

  it('compiles domain names, wildcards and trailing dots', () => {
    const names = ['*.kubernetes.io', 'kubernetes.io', 'example.com.', 'my_host.example-1.org'];
    expect(cnp(to(names)).policy?.egress?.[0]?.peers).toEqual([{ kind: 'domains', names }]);
  });

  it('rejects names that do not match the DomainName pattern', () => {
    for (const name of [
      'kubernetes',
      'a.*.b',
      '*.com',
      '**.example.com',
      '-a.example.com',
      'a b.com',
      '*example.com',
    ]) {
      expect(summary(to([name]))).toEqual([['error', 'INVALID_DOMAIN_NAME', 'spec.egress[0].to[0].domainNames[0]']]);
    }
  });

  it('limits domainNames to 1-25 unique names', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `h${i}.example.com`);
    expect(cnp(to(many(25))).policy).toBeDefined();
    expect(summary(to(many(26)))).toEqual([['error', 'INVALID_LENGTH', 'spec.egress[0].to[0].domainNames']]);
    expect(summary(to([]))).toEqual([['error', 'INVALID_LENGTH', 'spec.egress[0].to[0].domainNames']]);
    expect(summary(to(['a.io', 'a.io']))).toEqual([
      ['error', 'DUPLICATE_VALUE', 'spec.egress[0].to[0].domainNames[1]'],
    ]);
  });

  it('warns when domainNames is used in a Deny or Pass rule, and accepts it in Baseline', () => {
    expect(summary(to(['a.io'], 'Deny'))).toEqual([['warning', 'DOMAIN_NAMES_ACTION', 'spec.egress[0].to']]);
    expect(summary(to(['a.io'], 'Pass'))).toEqual([['warning', 'DOMAIN_NAMES_ACTION', 'spec.egress[0].to']]);
    expect(cnp({ ...to(['a.io']), tier: 'Baseline' }).issues).toEqual([]);
  });

  it('warns when domainNames is combined with a named port', () => {
    expect(
      summary(egressRule({ to: [{ domainNames: ['a.io'] }], protocols: [{ destinationNamedPort: 'https' }] })),
    ).toEqual([['warning', 'NAMED_PORT_NON_POD_PEER', 'spec.egress[0]']]);
  });

  it('rejects domainNames in ingress peers', () => {
    expect(summary(spec({ ingress: [{ action: 'Accept', from: [{ domainNames: ['a.io'] }] }] }))).toEqual([
      ['error', 'INVALID_PEER', 'spec.ingress[0].from[0].domainNames'],
    ]);
  });
});
