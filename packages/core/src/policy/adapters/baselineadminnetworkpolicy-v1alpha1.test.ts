/** BaselineAdminNetworkPolicy specifics: singleton name, no Pass, no domainNames. Shared rules: cluster-scoped.test.ts. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../options.js';
import { compileBaselineAdminNetworkPolicy } from './baselineadminnetworkpolicy-v1alpha1.js';

const banp = (spec: unknown, name = 'default') =>
  compileBaselineAdminNetworkPolicy(
    { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name }, spec },
    DEFAULT_OPTIONS,
  );
const subject = { namespaces: {} };
const summary = (spec: unknown, name?: string) => banp(spec, name).issues.map((i) => [i.severity, i.code, i.path]);

describe('compileBaselineAdminNetworkPolicy', () => {
  it('compiles to the Baseline tier at priority 0', () => {
    const result = banp({ subject, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });
    expect(result.issues).toEqual([]);
    expect(result.policy).toMatchObject({
      ref: { kind: 'BaselineAdminNetworkPolicy', name: 'default' },
      tier: 'Baseline',
      priority: 0,
    });
  });

  it('ignores a priority field, which this kind does not have', () => {
    expect(banp({ subject, priority: 5000 }).policy?.priority).toBe(0);
  });

  it('must be named default', () => {
    expect(summary({ subject }, 'baseline')).toEqual([['error', 'INVALID_NAME', 'metadata.name']]);
  });

  it('accepts Allow and Deny but rejects Pass and Accept', () => {
    const rule = (action: string) => ({ subject, egress: [{ action, to: [{ namespaces: {} }] }] });
    expect(banp(rule('Allow')).policy?.egress?.[0]?.action).toBe('Allow');
    expect(banp(rule('Deny')).policy?.egress?.[0]?.action).toBe('Deny');
    expect(summary(rule('Pass'))).toEqual([['error', 'INVALID_ENUM', 'spec.egress[0].action']]);
    expect(summary(rule('Accept'))).toEqual([['error', 'INVALID_ENUM', 'spec.egress[0].action']]);
  });

  it('rejects domainNames peers', () => {
    expect(summary({ subject, egress: [{ action: 'Allow', to: [{ domainNames: ['a.io'] }] }] })).toEqual([
      ['error', 'INVALID_PEER', 'spec.egress[0].to[0].domainNames'],
    ]);
  });
});
