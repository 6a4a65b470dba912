/** The `missingSelectorsMatchAll` option: absent required v1alpha1 `pods` selectors. */
import { describe, expect, it } from 'vitest';
import { MATCH_ALL } from '../../model/selector.js';
import { DEFAULT_OPTIONS } from '../../options.js';
import { compileAdminNetworkPolicy } from './adminnetworkpolicy-v1alpha1.js';
import { compileBaselineAdminNetworkPolicy } from './baselineadminnetworkpolicy-v1alpha1.js';

const spec = {
  priority: 5,
  subject: { pods: { podSelector: { matchLabels: { app: 'db' } } } },
  ingress: [{ action: 'Allow', from: [{ pods: { namespaceSelector: { matchLabels: { team: 'a' } } } }] }],
};
const anp = (lenient: boolean) =>
  compileAdminNetworkPolicy(
    { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'x' }, spec },
    { ...DEFAULT_OPTIONS, missingSelectorsMatchAll: lenient },
  );
const brief = (r: ReturnType<typeof anp>) => r.issues.map((i) => [i.severity, i.code, i.path]);

describe('missingSelectorsMatchAll', () => {
  it('off (default): an absent required selector is an error, as the API server says', () => {
    const r = anp(false);
    expect(r.policy).toBeUndefined();
    expect(brief(r)).toEqual([
      ['error', 'MISSING_FIELD', 'spec.subject.pods.namespaceSelector'],
      ['error', 'MISSING_FIELD', 'spec.ingress[0].from[0].pods.podSelector'],
    ]);
  });

  it('on: it selects everything, with a warning per field', () => {
    const r = anp(true);
    expect(brief(r)).toEqual([
      ['warning', 'MISSING_FIELD', 'spec.subject.pods.namespaceSelector'],
      ['warning', 'MISSING_FIELD', 'spec.ingress[0].from[0].pods.podSelector'],
    ]);
    expect(r.policy?.subject.namespaces).toEqual({ kind: 'selector', selector: MATCH_ALL });
    expect(r.policy?.ingress?.[0]?.peers[0]).toMatchObject({ kind: 'pods', pods: MATCH_ALL });
  });

  it('applies to BaselineAdminNetworkPolicy too', () => {
    const banp = (lenient: boolean) =>
      compileBaselineAdminNetworkPolicy(
        {
          apiVersion: 'policy.networking.k8s.io/v1alpha1',
          kind: 'BaselineAdminNetworkPolicy',
          metadata: { name: 'default' },
          spec,
        },
        { ...DEFAULT_OPTIONS, missingSelectorsMatchAll: lenient },
      );
    expect(banp(false).policy).toBeUndefined();
    expect(banp(true).policy?.tier).toBe('Baseline');
  });
});
