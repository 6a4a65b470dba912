/** AdminNetworkPolicy specifics: Allow/Deny/Pass, the v1alpha1 `ports` syntax, domainNames. Shared rules: cluster-scoped.test.ts. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../options.js';
import { compileAdminNetworkPolicy } from './adminnetworkpolicy-v1alpha1.js';

const anp = (spec: unknown) =>
  compileAdminNetworkPolicy(
    { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'anp' }, spec },
    DEFAULT_OPTIONS,
  );
const withRule = (rule: Record<string, unknown>) =>
  anp({ priority: 3, subject: { namespaces: {} }, egress: [{ action: 'Allow', to: [{ namespaces: {} }], ...rule }] });
const issues = (rule: Record<string, unknown>) => withRule(rule).issues.map((i) => [i.severity, i.code, i.path]);
const ports = (...list: unknown[]) => withRule({ ports: list }).policy?.egress?.[0]?.ports;
const p0 = 'spec.egress[0].ports[0]';

describe('compileAdminNetworkPolicy', () => {
  it('compiles to the Admin tier with its priority', () => {
    const policy = withRule({}).policy;
    expect(policy?.tier).toBe('Admin');
    expect(policy?.priority).toBe(3);
    expect(policy?.ref).toEqual({ kind: 'AdminNetworkPolicy', name: 'anp' });
  });

  it('maps Allow, Deny and Pass; rejects the v1alpha2 verb Accept', () => {
    const actions = ['Allow', 'Deny', 'Pass'].map((action) => withRule({ action }).policy?.egress?.[0]?.action);
    expect(actions).toEqual(['Allow', 'Deny', 'Pass']);
    expect(issues({ action: 'Accept' })).toEqual([['error', 'INVALID_ENUM', 'spec.egress[0].action']]);
  });

  it('compiles portNumber and portRange with TCP as the default protocol, and namedPort', () => {
    expect(
      ports(
        { portNumber: { port: 80 } },
        { portNumber: { protocol: 'UDP', port: 53 } },
        { portRange: { start: 8000, end: 9000 } },
        { portRange: { protocol: 'SCTP', start: 1, end: 65535 } },
        { namedPort: 'web' },
      ),
    ).toEqual([
      { kind: 'range', protocol: 'TCP', start: 80, end: 80 },
      { kind: 'range', protocol: 'UDP', start: 53, end: 53 },
      { kind: 'range', protocol: 'TCP', start: 8000, end: 9000 },
      { kind: 'range', protocol: 'SCTP', start: 1, end: 65535 },
      { kind: 'named', name: 'web', protocol: null },
    ]);
  });

  it('accepts portRange start == end (no CEL check in v1alpha1) but rejects start > end', () => {
    expect(ports({ portRange: { start: 443, end: 443 } })).toEqual([
      { kind: 'range', protocol: 'TCP', start: 443, end: 443 },
    ]);
    expect(issues({ ports: [{ portRange: { start: 444, end: 443 } }] })).toEqual([
      ['error', 'INVALID_PORT_RANGE', `${p0}.portRange.end`],
    ]);
  });

  it('validates port entries', () => {
    const check = (entry: unknown) => issues({ ports: [entry] });
    expect(check({})).toEqual([['error', 'INVALID_UNION', p0]]);
    expect(check({ portNumber: { port: 80 }, namedPort: 'web' })).toEqual([['error', 'INVALID_UNION', p0]]);
    expect(check({ portNumber: {} })).toEqual([['error', 'MISSING_FIELD', `${p0}.portNumber.port`]]);
    expect(check({ portNumber: { port: 70000 } })).toEqual([['error', 'INVALID_PORT', `${p0}.portNumber.port`]]);
    expect(check({ portNumber: { protocol: 'ICMP', port: 1 } })).toEqual([
      ['error', 'INVALID_PROTOCOL', `${p0}.portNumber.protocol`],
    ]);
    expect(check({ portRange: { start: 1 } })).toEqual([['error', 'MISSING_FIELD', `${p0}.portRange.end`]]);
    expect(check({ portRange: [1, 2] })).toEqual([['error', 'INVALID_FIELD', `${p0}.portRange`]]);
  });

  it('ignores the v1alpha2 protocols field (unknown here)', () => {
    expect(withRule({ protocols: [{ tcp: {} }] }).policy?.egress?.[0]?.ports).toBeNull();
  });

  it('accepts domainNames in Allow rules and warns in Deny and Pass rules', () => {
    const to = [{ domainNames: ['*.example.com'] }];
    expect(withRule({ to }).policy?.egress?.[0]?.peers).toEqual([{ kind: 'domains', names: ['*.example.com'] }]);
    expect(issues({ to, action: 'Deny' })).toEqual([['warning', 'DOMAIN_NAMES_ACTION', 'spec.egress[0].to']]);
    expect(issues({ to, action: 'Pass' })).toEqual([['warning', 'DOMAIN_NAMES_ACTION', 'spec.egress[0].to']]);
    expect(issues({ to: [{ domainNames: ['kubernetes'] }] })).toEqual([
      ['error', 'INVALID_DOMAIN_NAME', 'spec.egress[0].to[0].domainNames[0]'],
    ]);
  });
});
