/**
 * The network-policy-api conformance suite, replayed through the public API (loadManifests,
 * analyzeCluster, checkFlow) for both API versions: ClusterNetworkPolicy (v1alpha2, `main`) and
 * AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1, v0.1.8). Expected results are
 * policy-semantics.md Appendix A (cases.ts); the fixtures are read from ../shared at test time.
 */
import { existsSync } from 'node:fs';
import { type Cluster, type Session, checkFlow } from '@netreach/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConformanceCase, type Step, CASES_V1ALPHA1, CASES_V1ALPHA2 } from './cases.js';
import { type ApiVersion, CORPUS_DIR, analyse, applyMutation, loadCase, podId, portNumber } from './harness.js';

/** policy-semantics.md §3.4: subtests and allow/deny assertions per test, in inventory order. */
const INVENTORY: readonly (readonly [name: string, subtests: number, allow: number, deny: number])[] = [
  ['CNPAdminTierIngressTCP', 6, 8, 4],
  ['CNPAdminTierIngressUDP', 6, 8, 4],
  ['CNPAdminTierIngressSCTP', 6, 8, 4],
  ['CNPAdminTierEgressTCP', 6, 8, 4],
  ['CNPAdminTierEgressUDP', 6, 8, 4],
  ['CNPAdminTierEgressSCTP', 6, 8, 4],
  ['CNPAdminTierGress', 6, 36, 18],
  ['CNPAdminTierEgressInlineCIDRPeers', 2, 12, 15],
  ['CNPAdminTierPriorityField', 3, 4, 4],
  ['CNPAdminTierIntegration', 6, 4, 8],
  ['CNPAdminTierIngressNamedPort', 1, 1, 1],
  ['CNPAdminTierEgressNamedPort', 1, 1, 1],
  ['CNPAdminTierEgressNodePeers', 3, 2, 3],
  ['CNPBaselineTierIngressTCP', 4, 4, 4],
  ['CNPBaselineTierIngressUDP', 4, 4, 4],
  ['CNPBaselineTierIngressSCTP', 4, 4, 4],
  ['CNPBaselineTierEgressTCP', 4, 4, 4],
  ['CNPBaselineTierEgressUDP', 4, 4, 4],
  ['CNPBaselineTierEgressSCTP', 4, 4, 4],
  ['CNPBaselineTierGress', 4, 18, 18],
  ['CNPBaselineTierEgressInlineCIDRPeers', 2, 12, 15],
  ['CNPBaselineTierIngressNamedPort', 1, 1, 1],
  ['CNPBaselineTierEgressNamedPort', 1, 1, 1],
  ['CNPBaselineTierEgressNodePeers', 2, 2, 2],
];

function assertions(c: ConformanceCase): Extract<Step, { kind: 'assert' }>[] {
  return c.subtests.flatMap((s) => s.steps).filter((s): s is Extract<Step, { kind: 'assert' }> => s.kind === 'assert');
}

describe('conformance case data', () => {
  it('matches the inventory of policy-semantics.md §3.4 (24 tests, 92 subtests, 301 assertions)', () => {
    const counted = CASES_V1ALPHA2.map((c) => {
      const all = assertions(c);
      const allow = all.filter((a) => a.expected === 'allow').length;
      return [c.name, c.subtests.length, allow, all.length - allow] as const;
    });
    expect(counted).toEqual(INVENTORY);
    const total = CASES_V1ALPHA2.flatMap(assertions);
    expect([CASES_V1ALPHA2.length, CASES_V1ALPHA2.flatMap((c) => c.subtests).length, total.length]).toEqual([
      24, 92, 301,
    ]);
    expect(total.filter((a) => a.expected === 'allow').length).toBe(166);
  });

  it('maps every test onto the v1alpha1 objects: ANP/BANP kinds, Allow, ports/namedPort', () => {
    expect(CASES_V1ALPHA1.map((c) => c.name)).toEqual(
      CASES_V1ALPHA2.map((c) =>
        c.name.replace('CNPAdminTier', 'AdminNetworkPolicy').replace('CNPBaselineTier', 'BaselineAdminNetworkPolicy'),
      ),
    );
    const mutations = CASES_V1ALPHA1.flatMap((c) => c.subtests.flatMap((s) => s.steps)).flatMap((s) =>
      s.kind === 'setup' ? s.mutations : [],
    );
    expect(mutations.length).toBeGreaterThan(0);
    for (const m of mutations) {
      if (m.op === 'relabelNamespace') continue;
      expect(['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'NetworkPolicy']).toContain(m.policy.kind);
      if (m.policy.kind === 'BaselineAdminNetworkPolicy') expect(m.policy.name).toBe('default');
      if (m.op === 'setPorts') expect([m.field, m.entries]).toEqual(['ports', [{ namedPort: expect.any(String) }]]);
      if (m.op === 'setAction' || m.op === 'insertNetworksRule') expect(['Allow', 'Deny', 'Pass']).toContain(m.action);
    }
    // The assertions themselves are the same in both versions.
    expect(CASES_V1ALPHA1.map(assertions)).toEqual(CASES_V1ALPHA2.map(assertions));
    expect(CASES_V1ALPHA1.flatMap((c) => c.manifests).every((m) => !/admin_tier|baseline_tier/.test(m))).toBe(true);
  });
});

const corpusPresent = existsSync(CORPUS_DIR);
if (!corpusPresent) {
  console.warn(
    `conformance: ${CORPUS_DIR} is absent; skipping the network-policy-api conformance replay ` +
      '(it needs the shared corpus checked out next to the repository as ../shared)',
  );
}

const SUITES: readonly (readonly [ApiVersion, readonly ConformanceCase[]])[] = [
  ['v1alpha2', CASES_V1ALPHA2],
  ['v1alpha1', CASES_V1ALPHA1],
];

for (const [version, cases] of SUITES) {
  describe.skipIf(!corpusPresent)(`conformance ${version}`, () => {
    const total = cases.flatMap(assertions).length;
    let passing = 0;
    afterAll(() => {
      console.log(`conformance ${version}: ${passing}/${total} assertions passing`);
    });

    for (const c of cases) {
      describe(c.name, () => {
        let initial: Cluster;
        beforeAll(() => {
          initial = loadCase(version, c);
        });

        c.subtests.forEach((subtest, k) => {
          it(subtest.name, () => {
            // Setups are cumulative within a test: replay those of the earlier subtests first.
            let cluster = c.subtests
              .slice(0, k)
              .flatMap((s) => s.steps)
              .reduce(
                (acc, step) => (step.kind === 'setup' ? step.mutations.reduce(applyMutation, acc) : acc),
                initial,
              );
            let session: Session | undefined;
            const failures: string[] = [];
            for (const step of subtest.steps) {
              if (step.kind === 'setup') {
                cluster = step.mutations.reduce(applyMutation, cluster);
                session = undefined;
                continue;
              }
              session ??= analyse(cluster);
              const port = portNumber(step);
              const r = checkFlow(session, {
                from: podId(step.client),
                to: podId(step.server),
                port,
                protocol: step.protocol,
              });
              if (r.verdict === step.expected) passing++;
              else {
                failures.push(
                  `${step.client} → ${step.server} ${step.protocol}/${port}: expected ${step.expected}, got ${r.verdict}` +
                    ` (egress: ${r.explanation.egress.summary}; ingress: ${r.explanation.ingress.summary})`,
                );
              }
            }
            expect(failures).toEqual([]);
          });
        });
      });
    }
  });
}
