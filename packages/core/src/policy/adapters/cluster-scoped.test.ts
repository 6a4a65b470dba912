/**
 * Behaviour shared by the three cluster-scoped kinds, run once per kind with that kind's
 * limits and spelling. Kind-specific behaviour is tested next to each adapter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCidr } from '../../model/ip.js';
import { MATCH_ALL } from '../../model/selector.js';
import type { PolicyObject } from '../../model/types.js';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../../options.js';
import type { CompiledPolicy } from '../ir.js';
import { compileAdminNetworkPolicy } from './adminnetworkpolicy-v1alpha1.js';
import { compileBaselineAdminNetworkPolicy } from './baselineadminnetworkpolicy-v1alpha1.js';
import { compileClusterNetworkPolicy } from './clusternetworkpolicy-v1alpha2.js';
import type { AdapterResult } from './types.js';

interface KindCase {
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly compile: (obj: PolicyObject, options: AnalysisOptions) => AdapterResult;
  /** Spec fields that make the header valid, and the tier/priority they compile to. */
  readonly header: Record<string, unknown>;
  readonly tier: string;
  readonly priority: number;
  readonly limit: number;
  readonly accept: string;
  readonly portsField: string;
  /** A port entry for TCP 80, and a named port entry for `http`. */
  readonly tcp80: unknown;
  readonly namedHttp: unknown;
  readonly namespaceSelectorRequired: boolean;
}

const v1alpha1 = {
  apiVersion: 'policy.networking.k8s.io/v1alpha1',
  limit: 100,
  accept: 'Allow',
  portsField: 'ports',
  tcp80: { portNumber: { port: 80 } },
  namedHttp: { namedPort: 'http' },
  namespaceSelectorRequired: true,
} as const;

const KINDS: readonly KindCase[] = [
  {
    kind: 'ClusterNetworkPolicy',
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    name: 'deny-all',
    compile: compileClusterNetworkPolicy,
    header: { tier: 'Admin', priority: 7 },
    tier: 'Admin',
    priority: 7,
    limit: 25,
    accept: 'Accept',
    portsField: 'protocols',
    tcp80: { tcp: { destinationPort: { number: 80 } } },
    namedHttp: { destinationNamedPort: 'http' },
    namespaceSelectorRequired: false,
  },
  {
    ...v1alpha1,
    kind: 'AdminNetworkPolicy',
    name: 'deny-all',
    compile: compileAdminNetworkPolicy,
    header: { priority: 7 },
    tier: 'Admin',
    priority: 7,
  },
  {
    ...v1alpha1,
    kind: 'BaselineAdminNetworkPolicy',
    name: 'default',
    compile: compileBaselineAdminNetworkPolicy,
    header: {},
    tier: 'Baseline',
    priority: 0,
  },
];

const times = <T>(n: number, item: T): T[] => Array.from({ length: n }, () => item);
const web = { matchLabels: { app: 'web' } };
const compiledWeb = { matchLabels: [['app', 'web']], matchExpressions: [] };

describe.each(KINDS)('$kind (shared cluster policy rules)', (k) => {
  const run = (spec: unknown, source?: PolicyObject['source']): AdapterResult =>
    k.compile({ apiVersion: k.apiVersion, kind: k.kind, metadata: { name: k.name }, spec, source }, DEFAULT_OPTIONS);
  /** A spec with a valid header and subject plus `extra`. */
  const spec = (extra: Record<string, unknown>) => ({ ...k.header, subject: { namespaces: {} }, ...extra });
  const ok = (s: unknown): CompiledPolicy => {
    const result = run(s);
    expect(result.issues).toEqual([]);
    return result.policy!;
  };
  const errors = (s: unknown): [string, string | undefined][] => {
    const result = run(s);
    expect(result.policy).toBeUndefined();
    return result.issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.path]);
  };
  const warnings = (s: unknown): [string, string | undefined][] =>
    run(s)
      .issues.filter((i) => i.severity === 'warning')
      .map((i) => [i.code, i.path]);
  const rule = (extra: Record<string, unknown> = {}) => ({ action: 'Deny', to: [{ namespaces: {} }], ...extra });
  const egress = (...rules: unknown[]) => spec({ egress: rules });
  const ingress = (...rules: unknown[]) => spec({ ingress: rules });

  it('compiles ref, tier, priority and a namespaces subject', () => {
    const p = ok(spec({ subject: { namespaces: { matchLabels: { team: 'a' } } } }));
    expect(p).toEqual({
      ref: { kind: k.kind, name: k.name },
      tier: k.tier,
      priority: k.priority,
      subject: {
        namespaces: { kind: 'selector', selector: { matchLabels: [['team', 'a']], matchExpressions: [] } },
        pods: MATCH_ALL,
      },
    });
  });

  it('compiles a pods subject as namespace selector AND pod selector', () => {
    const p = ok(spec({ subject: { pods: { namespaceSelector: {}, podSelector: web } } }));
    expect(p.subject).toEqual({ namespaces: { kind: 'selector', selector: MATCH_ALL }, pods: compiledWeb });
  });

  it(`${k.namespaceSelectorRequired ? 'requires' : 'defaults'} pods.namespaceSelector`, () => {
    const s = spec({ subject: { pods: { podSelector: web } } });
    if (k.namespaceSelectorRequired) {
      expect(errors(s)).toEqual([['MISSING_FIELD', 'spec.subject.pods.namespaceSelector']]);
    } else {
      expect(ok(s).subject).toEqual({ namespaces: { kind: 'selector', selector: MATCH_ALL }, pods: compiledWeb });
    }
    expect(errors(spec({ subject: { pods: { namespaceSelector: {} } } }))).toEqual([
      ['MISSING_FIELD', 'spec.subject.pods.podSelector'],
    ]);
  });

  it('requires exactly one subject field', () => {
    expect(errors(spec({ subject: {} }))).toEqual([['INVALID_UNION', 'spec.subject']]);
    expect(errors(spec({ subject: { namespaces: {}, pods: { namespaceSelector: {}, podSelector: {} } } }))).toEqual([
      ['INVALID_UNION', 'spec.subject'],
    ]);
    expect(errors(spec({ subject: undefined }))).toEqual([['MISSING_FIELD', 'spec.subject']]);
    expect(errors(spec({ subject: 'all' }))).toEqual([['INVALID_FIELD', 'spec.subject']]);
  });

  it('requires a spec object', () => {
    expect(errors(undefined)).toEqual([['MISSING_FIELD', 'spec']]);
    expect(errors([])).toEqual([['INVALID_FIELD', 'spec']]);
  });

  it('leaves a direction without rules (absent or empty) unaffected', () => {
    const p = ok(spec({ ingress: [], egress: null }));
    expect(p.ingress).toBeUndefined();
    expect(p.egress).toBeUndefined();
    expect('ingress' in p).toBe(false);
  });

  it('compiles rules in order with their names and normalised actions', () => {
    const p = ok(
      egress(
        rule({ name: 'first', action: k.accept }),
        rule({ action: 'Deny', to: [{ pods: { namespaceSelector: {}, podSelector: web } }] }),
      ),
    );
    expect(p.egress).toEqual([
      {
        index: 0,
        name: 'first',
        action: 'Allow',
        peers: [{ kind: 'pods', namespaces: { kind: 'selector', selector: MATCH_ALL }, pods: MATCH_ALL }],
        ports: null,
      },
      {
        index: 1,
        action: 'Deny',
        peers: [{ kind: 'pods', namespaces: { kind: 'selector', selector: MATCH_ALL }, pods: compiledWeb }],
        ports: null,
      },
    ]);
    expect(ok(ingress({ action: 'Deny', from: [{ namespaces: web }] })).ingress).toEqual([
      {
        index: 0,
        action: 'Deny',
        peers: [{ kind: 'pods', namespaces: { kind: 'selector', selector: compiledWeb }, pods: MATCH_ALL }],
        ports: null,
      },
    ]);
  });

  it('validates rule fields', () => {
    expect(errors(egress(rule({ action: undefined })))).toEqual([['MISSING_FIELD', 'spec.egress[0].action']]);
    expect(errors(egress(rule({ action: 'Reject' })))).toEqual([['INVALID_ENUM', 'spec.egress[0].action']]);
    expect(errors(egress(rule({ action: 'deny' })))).toEqual([['INVALID_ENUM', 'spec.egress[0].action']]);
    expect(errors(egress(rule({ to: undefined })))).toEqual([['MISSING_FIELD', 'spec.egress[0].to']]);
    expect(errors(ingress({ action: 'Deny' }))).toEqual([['MISSING_FIELD', 'spec.ingress[0].from']]);
    expect(errors(egress(rule({ to: [] })))).toEqual([['INVALID_LENGTH', 'spec.egress[0].to']]);
    expect(errors(egress(rule({ name: 5 })))).toEqual([['INVALID_FIELD', 'spec.egress[0].name']]);
    expect(errors(egress(rule({ name: 'x'.repeat(101) })))).toEqual([['INVALID_LENGTH', 'spec.egress[0].name']]);
    expect(ok(egress(rule({ name: 'x'.repeat(100) }))).egress![0]!.name).toHaveLength(100);
    expect(errors(spec({ egress: 'deny' }))).toEqual([['INVALID_FIELD', 'spec.egress']]);
  });

  it(`allows ${k.limit} rules, peers and port entries per list, not ${k.limit + 1}`, () => {
    const peer = { namespaces: {} };
    expect(ok(egress(...times(k.limit, rule()))).egress).toHaveLength(k.limit);
    expect(errors(egress(...times(k.limit + 1, rule())))).toEqual([['INVALID_LENGTH', 'spec.egress']]);
    expect(errors(ingress(...times(k.limit + 1, { action: 'Deny', from: [peer] })))).toEqual([
      ['INVALID_LENGTH', 'spec.ingress'],
    ]);
    expect(ok(egress(rule({ to: times(k.limit, peer) }))).egress![0]!.peers).toHaveLength(k.limit);
    expect(errors(egress(rule({ to: times(k.limit + 1, peer) })))).toEqual([['INVALID_LENGTH', 'spec.egress[0].to']]);
    expect(ok(egress(rule({ [k.portsField]: times(k.limit, k.tcp80) }))).egress![0]!.ports).toHaveLength(k.limit);
    expect(errors(egress(rule({ [k.portsField]: times(k.limit + 1, k.tcp80) })))).toEqual([
      ['INVALID_LENGTH', `spec.egress[0].${k.portsField}`],
    ]);
    expect(errors(egress(rule({ [k.portsField]: [] })))).toEqual([
      ['INVALID_LENGTH', `spec.egress[0].${k.portsField}`],
    ]);
  });

  it('compiles networks and nodes egress peers', () => {
    const p = ok(egress(rule({ to: [{ networks: ['10.0.0.0/8', 'fd00::/64'] }, { nodes: web }] })));
    expect(p.egress![0]!.peers).toEqual([
      {
        kind: 'ipBlock',
        blocks: [
          { cidr: '10.0.0.0/8', range: parseCidr('10.0.0.0/8'), except: [] },
          { cidr: 'fd00::/64', range: parseCidr('fd00::/64'), except: [] },
        ],
        matchesPodIps: true,
      },
      { kind: 'nodes', selector: compiledWeb },
    ]);
  });

  it('validates networks: 1-25 unique CIDRs', () => {
    const to0 = 'spec.egress[0].to[0].networks';
    const nets = (networks: unknown) => egress(rule({ to: [{ networks }] }));
    expect(ok(nets(times(25, 0).map((_, i) => `10.${i}.0.0/16`))).egress![0]!.peers[0]).toMatchObject({
      kind: 'ipBlock',
    });
    expect(errors(nets(times(26, 0).map((_, i) => `10.${i}.0.0/16`)))).toEqual([['INVALID_LENGTH', to0]]);
    expect(errors(nets(['10.0.0.0/8', '10.0.0.0/33']))).toEqual([['INVALID_CIDR', `${to0}[1]`]]);
    expect(errors(nets(['10.0.0.0/8', '10.0.0.0/8']))).toEqual([['DUPLICATE_VALUE', `${to0}[1]`]]);
    expect(errors(nets('10.0.0.0/8'))).toEqual([['INVALID_FIELD', to0]]);
  });

  it('requires exactly one field per peer and rejects fields out of place', () => {
    const to0 = 'spec.egress[0].to[0]';
    expect(errors(egress(rule({ to: [{ namespaces: {}, nodes: {} }] })))).toEqual([['INVALID_UNION', to0]]);
    expect(errors(ingress({ action: 'Deny', from: [{ networks: ['10.0.0.0/8'] }] }))).toEqual([
      ['INVALID_PEER', 'spec.ingress[0].from[0].networks'],
    ]);
    expect(errors(ingress({ action: 'Deny', from: [{ nodes: {} }] }))).toEqual([
      ['INVALID_PEER', 'spec.ingress[0].from[0].nodes'],
    ]);
    expect(errors(egress(rule({ to: ['everything'] })))).toEqual([['INVALID_FIELD', to0]]);
  });

  it(`fails closed on a peer with no known field: ${k.accept} matches nothing`, () => {
    const result = run(egress(rule({ action: k.accept, to: [{ namespaces: {} }, { serviceAccounts: {} }] })));
    expect(result.issues.map((i) => [i.severity, i.code, i.path])).toEqual([
      ['warning', 'UNKNOWN_PEER', 'spec.egress[0].to[1]'],
    ]);
    expect(result.policy!.egress).toEqual([{ index: 0, action: 'Allow', peers: [], ports: null }]);
  });

  it('fails closed on a peer with no known field: Deny denies everything', () => {
    const result = run(ingress({ action: 'Deny', from: [{}], [k.portsField]: [k.tcp80] }));
    expect(warnings(ingress({ action: 'Deny', from: [{}] }))).toEqual([['UNKNOWN_PEER', 'spec.ingress[0].from[0]']]);
    expect(result.policy!.ingress).toEqual([{ index: 0, action: 'Deny', peers: [{ kind: 'all' }], ports: null }]);
  });

  it('warns when a named port is combined with networks or nodes peers', () => {
    const named = { [k.portsField]: [k.namedHttp] };
    const result = run(egress(rule({ action: k.accept, to: [{ networks: ['10.0.0.0/8'] }], ...named })));
    expect(result.issues.map((i) => [i.severity, i.code, i.path])).toEqual([
      ['warning', 'NAMED_PORT_NON_POD_PEER', 'spec.egress[0]'],
    ]);
    expect(result.policy!.egress![0]!.ports).toEqual([{ kind: 'named', name: 'http', protocol: null }]);
    expect(warnings(egress(rule({ to: [{ nodes: {} }], ...named })))).toEqual([
      ['NAMED_PORT_NON_POD_PEER', 'spec.egress[0]'],
    ]);
    expect(warnings(egress(rule({ to: [{ namespaces: {} }], ...named })))).toEqual([]);
  });

  it('warns about named ports that can never match a container port', () => {
    const named = k.portsField === 'ports' ? { namedPort: 'HTTP' } : { destinationNamedPort: 'HTTP' };
    const key = Object.keys(named)[0]!;
    expect(warnings(egress(rule({ [k.portsField]: [named] })))).toEqual([
      ['INVALID_PORT', `spec.egress[0].${k.portsField}[0].${key}`],
    ]);
  });

  it('rejects malformed selectors inside peers and subjects', () => {
    expect(
      errors(egress(rule({ to: [{ namespaces: { matchExpressions: [{ key: 'a', operator: 'Is' }] } }] }))),
    ).toEqual([['INVALID_SELECTOR', 'spec.egress[0].to[0].namespaces.matchExpressions[0].operator']]);
    expect(errors(spec({ subject: { namespaces: { matchLabels: { 'a/b/c': 'x' } } } }))).toEqual([
      ['INVALID_SELECTOR', 'spec.subject.namespaces.matchLabels["a/b/c"]'],
    ]);
  });

  it('stamps issues with the cluster-scoped object reference', () => {
    const [issue] = run(spec({ subject: {} }), { file: 'p.yaml', document: 0 }).issues;
    expect(issue).toMatchObject({ file: 'p.yaml', document: 0, object: `${k.kind} ${k.name}`, path: 'spec.subject' });
  });

  it('never throws, and returns a policy exactly when there is no error', () => {
    const value = fc.jsonValue({ maxDepth: 5 });
    const peer = fc.oneof(
      value,
      fc.dictionary(fc.constantFrom('namespaces', 'pods', 'networks', 'nodes', 'domainNames', 'x'), value),
    );
    const anyRule = fc.record({
      action: fc.oneof(value, fc.constantFrom('Accept', 'Allow', 'Deny', 'Pass')),
      to: fc.array(peer),
      from: fc.array(peer),
      ports: fc.array(value),
      protocols: fc.array(value),
    });
    const anySpec = fc.record(
      { tier: value, priority: value, subject: value, ingress: fc.array(anyRule), egress: fc.array(anyRule) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(value, anySpec), (s) => {
        const result = run(s);
        expect(result.policy === undefined).toBe(result.issues.some((i) => i.severity === 'error'));
      }),
      { numRuns: 200 },
    );
  });
});

describe.each(KINDS.filter((k) => k.kind !== 'BaselineAdminNetworkPolicy'))('$kind priority', (k) => {
  const run = (priority: unknown): AdapterResult =>
    k.compile(
      {
        apiVersion: k.apiVersion,
        kind: k.kind,
        metadata: { name: k.name },
        spec: { ...k.header, priority, subject: { namespaces: {} } },
      },
      DEFAULT_OPTIONS,
    );
  const codes = (priority: unknown) => run(priority).issues.map((i) => [i.code, i.path]);

  it('accepts 0 through 1000', () => {
    expect(run(0).policy?.priority).toBe(0);
    expect(run(1000).policy?.priority).toBe(1000);
  });

  it('rejects a missing, out-of-range or non-integer priority', () => {
    expect(codes(undefined)).toEqual([['MISSING_FIELD', 'spec.priority']]);
    expect(codes(-1)).toEqual([['INVALID_PRIORITY', 'spec.priority']]);
    expect(codes(1001)).toEqual([['INVALID_PRIORITY', 'spec.priority']]);
    expect(codes('10')).toEqual([['INVALID_FIELD', 'spec.priority']]);
    expect(codes(1.5)).toEqual([['INVALID_FIELD', 'spec.priority']]);
  });
});
