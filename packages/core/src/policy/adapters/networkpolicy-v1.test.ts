import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../errors.js';
import { parseCidr } from '../../model/ip.js';
import { MATCH_ALL } from '../../model/selector.js';
import type { PolicyObject } from '../../model/types.js';
import { DEFAULT_OPTIONS, resolveOptions } from '../../options.js';
import type { CompiledPolicy, Peer } from '../ir.js';
import { compileNetworkPolicy } from './networkpolicy-v1.js';

function netpol(spec: unknown, metadata: PolicyObject['metadata'] = { name: 'allow-web', namespace: 'shop' }) {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec };
}

/** Compile and expect success without any issue. */
function ok(spec: unknown, options = DEFAULT_OPTIONS): CompiledPolicy {
  const result = compileNetworkPolicy(netpol(spec), options);
  expect(result.issues).toEqual([]);
  expect(result.policy).toBeDefined();
  return result.policy!;
}

/** Compile and return the `{severity, code, path}` of every issue. */
function issues(spec: unknown): Pick<Issue, 'severity' | 'code' | 'path'>[] {
  return compileNetworkPolicy(netpol(spec), DEFAULT_OPTIONS).issues.map(({ severity, code, path }) => ({
    severity,
    code,
    path,
  }));
}

/** Expect exactly these errors (code and path) and no compiled policy. */
function expectErrors(spec: unknown, expected: [code: string, path: string][]): void {
  const result = compileNetworkPolicy(netpol(spec), DEFAULT_OPTIONS);
  expect(result.policy).toBeUndefined();
  expect(result.issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.path])).toEqual(expected);
}

const web = { matchLabels: { app: 'web' }, matchExpressions: [] };
const sel = (k: string, v: string) => ({ matchLabels: [[k, v]], matchExpressions: [] });
const ingressFrom = (...from: unknown[]) => ({ ingress: [{ from }] });
const ingressPorts = (...ports: unknown[]) => ({ ingress: [{ ports }] });
const peersOf = (p: CompiledPolicy): readonly Peer[] => p.ingress![0]!.peers;
const portsOf = (p: CompiledPolicy) => p.ingress![0]!.ports;

describe('compileNetworkPolicy: policy shape', () => {
  it('compiles ref, tier, priority and subject in the policy namespace', () => {
    const p = ok({ podSelector: web, ingress: [{}] });
    expect(p.ref).toEqual({ kind: 'NetworkPolicy', namespace: 'shop', name: 'allow-web' });
    expect(p.tier).toBe('NetworkPolicy');
    expect(p.priority).toBe(0);
    expect(p.subject).toEqual({ namespaces: { kind: 'name', name: 'shop' }, pods: sel('app', 'web') });
  });

  it('treats an absent, null and empty podSelector as selecting every pod', () => {
    expect(ok({}).subject.pods).toEqual(MATCH_ALL);
    expect(ok({ podSelector: null }).subject.pods).toEqual(MATCH_ALL);
    expect(ok({ podSelector: {} }).subject.pods).toEqual(MATCH_ALL);
  });

  it('treats a missing spec as the empty spec (deny all ingress) and a missing namespace as default', () => {
    const result = compileNetworkPolicy(netpol(undefined, { name: 'deny' }), DEFAULT_OPTIONS);
    expect(result.issues).toEqual([]);
    expect(result.policy).toEqual({
      ref: { kind: 'NetworkPolicy', namespace: 'default', name: 'deny' },
      tier: 'NetworkPolicy',
      priority: 0,
      subject: { namespaces: { kind: 'name', name: 'default' }, pods: MATCH_ALL },
      ingress: [],
    });
  });

  it('stamps issues with file, document, object and path', () => {
    const obj = { ...netpol({ podSelector: [] }), source: { file: 'np.yaml', document: 2 } };
    expect(compileNetworkPolicy(obj, DEFAULT_OPTIONS).issues).toEqual([
      {
        severity: 'error',
        code: 'INVALID_FIELD',
        message: 'expected an object, got a list',
        file: 'np.yaml',
        document: 2,
        object: 'NetworkPolicy shop/allow-web',
        path: 'spec.podSelector',
      },
    ]);
  });
});

describe('compileNetworkPolicy: policyTypes', () => {
  it('defaults to Ingress only when there are no egress rules', () => {
    const p = ok({ ingress: [{}] });
    expect(p.ingress).toHaveLength(1);
    expect(p.egress).toBeUndefined();
    expect('egress' in p).toBe(false);
  });

  it('defaults to Ingress and Egress when spec.egress has rules', () => {
    const p = ok({ egress: [{}] });
    expect(p.ingress).toEqual([]);
    expect(p.egress).toEqual([{ index: 0, action: 'Allow', peers: [{ kind: 'all' }], ports: null }]);
  });

  it('treats policyTypes: [] like an absent policyTypes', () => {
    const p = ok({ policyTypes: [], egress: [{}] });
    expect(p.ingress).toEqual([]);
    expect(p.egress).toHaveLength(1);
  });

  it('does not add Egress for an explicit egress: [] (and warns)', () => {
    const result = compileNetworkPolicy(netpol({ egress: [] }), DEFAULT_OPTIONS);
    expect(result.policy?.ingress).toEqual([]);
    expect(result.policy?.egress).toBeUndefined();
    expect(issues({ egress: [] })).toEqual([{ severity: 'warning', code: 'IGNORED_RULES', path: 'spec.egress' }]);
  });

  it('isolates egress for policyTypes [Egress] without egress rules', () => {
    const p = ok({ policyTypes: ['Egress'] });
    expect(p.egress).toEqual([]);
    expect(p.ingress).toBeUndefined();
  });

  it('isolates both directions for policyTypes [Ingress, Egress] with no rules', () => {
    const p = ok({ policyTypes: ['Ingress', 'Egress'] });
    expect(p.ingress).toEqual([]);
    expect(p.egress).toEqual([]);
  });

  it('drops (with a warning) the rules of a direction not in policyTypes', () => {
    const result = compileNetworkPolicy(netpol({ policyTypes: ['Egress'], ingress: [{}] }), DEFAULT_OPTIONS);
    expect(result.policy?.ingress).toBeUndefined();
    expect(result.policy?.egress).toEqual([]);
    expect(result.issues.map((i) => [i.severity, i.code, i.path])).toEqual([
      ['warning', 'IGNORED_RULES', 'spec.ingress'],
    ]);
  });

  it('rejects unknown or too many policy types', () => {
    expectErrors({ policyTypes: ['ingress'] }, [['INVALID_ENUM', 'spec.policyTypes[0]']]);
    expectErrors({ policyTypes: ['Ingress', 'Egress', 'Ingress'] }, [['INVALID_LENGTH', 'spec.policyTypes']]);
    expectErrors({ policyTypes: 'Ingress' }, [['INVALID_FIELD', 'spec.policyTypes']]);
    expectErrors({ policyTypes: [null] }, [['INVALID_FIELD', 'spec.policyTypes[0]']]);
  });
});

describe('compileNetworkPolicy: rules and peers', () => {
  it('numbers rules by position; missing or empty from/to and ports match everything', () => {
    const p = ok({ ingress: [{}, { from: [] }, { ports: [] }, null] });
    expect(p.ingress).toEqual(
      [0, 1, 2, 3].map((index) => ({ index, action: 'Allow', peers: [{ kind: 'all' }], ports: null })),
    );
  });

  it('compiles egress rules from `to`', () => {
    const p = ok({ policyTypes: ['Egress'], egress: [{ to: [{ podSelector: web }] }] });
    expect(p.egress![0]!.peers).toEqual([
      { kind: 'pods', namespaces: { kind: 'name', name: 'shop' }, pods: sel('app', 'web') },
    ]);
  });

  it('podSelector alone selects pods in the policy namespace', () => {
    expect(peersOf(ok(ingressFrom({ podSelector: web })))).toEqual([
      { kind: 'pods', namespaces: { kind: 'name', name: 'shop' }, pods: sel('app', 'web') },
    ]);
    expect(peersOf(ok(ingressFrom({ podSelector: {} })))).toEqual([
      { kind: 'pods', namespaces: { kind: 'name', name: 'shop' }, pods: MATCH_ALL },
    ]);
  });

  it('namespaceSelector alone selects every pod of matching namespaces; {} means all namespaces', () => {
    expect(peersOf(ok(ingressFrom({ namespaceSelector: { matchLabels: { team: 'a' } } })))).toEqual([
      { kind: 'pods', namespaces: { kind: 'selector', selector: sel('team', 'a') }, pods: MATCH_ALL },
    ]);
    expect(peersOf(ok(ingressFrom({ namespaceSelector: {} })))).toEqual([
      { kind: 'pods', namespaces: { kind: 'selector', selector: MATCH_ALL }, pods: MATCH_ALL },
    ]);
  });

  it('ANDs podSelector and namespaceSelector within one peer, ORs separate peers', () => {
    const ns = { matchLabels: { team: 'a' } };
    expect(peersOf(ok(ingressFrom({ namespaceSelector: ns, podSelector: web })))).toEqual([
      { kind: 'pods', namespaces: { kind: 'selector', selector: sel('team', 'a') }, pods: sel('app', 'web') },
    ]);
    expect(peersOf(ok(ingressFrom({ namespaceSelector: ns }, { podSelector: web })))).toEqual([
      { kind: 'pods', namespaces: { kind: 'selector', selector: sel('team', 'a') }, pods: MATCH_ALL },
      { kind: 'pods', namespaces: { kind: 'name', name: 'shop' }, pods: sel('app', 'web') },
    ]);
  });

  it('compiles matchExpressions in order', () => {
    const podSelector = {
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'app.kubernetes.io/name', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist', values: [] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
      ],
    };
    expect(ok({ podSelector }).subject.pods).toEqual({
      matchLabels: [],
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'app.kubernetes.io/name', operator: 'Exists', values: [] },
        { key: 'legacy', operator: 'DoesNotExist', values: [] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
      ],
    });
  });

  it('compiles ipBlock with except; matchesPodIps follows the ipBlockMatchesPods option', () => {
    const spec = ingressFrom({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.3.0/24'] } });
    expect(peersOf(ok(spec))).toEqual([
      {
        kind: 'ipBlock',
        blocks: [
          {
            cidr: '10.0.0.0/8',
            range: parseCidr('10.0.0.0/8'),
            except: [
              { cidr: '10.1.0.0/16', range: parseCidr('10.1.0.0/16') },
              { cidr: '10.2.3.0/24', range: parseCidr('10.2.3.0/24') },
            ],
          },
        ],
        matchesPodIps: true,
      },
    ]);
    const off = ok(spec, resolveOptions({ ipBlockMatchesPods: false }));
    expect(peersOf(off)[0]).toMatchObject({ kind: 'ipBlock', matchesPodIps: false });
  });

  it('compiles IPv6 ipBlocks', () => {
    const [peer] = peersOf(ok(ingressFrom({ ipBlock: { cidr: 'fd00::/64', except: ['fd00::/96'] } })));
    expect(peer).toMatchObject({
      kind: 'ipBlock',
      blocks: [{ range: { family: 6 }, except: [{ cidr: 'fd00::/96' }] }],
    });
  });

  it('warns about CIDR host bits and uses the network', () => {
    const result = compileNetworkPolicy(netpol(ingressFrom({ ipBlock: { cidr: '10.0.0.1/8' } })), DEFAULT_OPTIONS);
    expect(result.issues.map((i) => [i.severity, i.code, i.path])).toEqual([
      ['warning', 'CIDR_HOST_BITS', 'spec.ingress[0].from[0].ipBlock.cidr'],
    ]);
    expect(peersOf(result.policy!)[0]).toMatchObject({ blocks: [{ range: parseCidr('10.0.0.0/8') }] });
  });
});

describe('compileNetworkPolicy: ports', () => {
  it('defaults the protocol to TCP and accepts UDP and SCTP', () => {
    expect(
      portsOf(ok(ingressPorts({ port: 80 }, { protocol: 'UDP', port: 53 }, { protocol: 'SCTP', port: 9 }))),
    ).toEqual([
      { kind: 'range', protocol: 'TCP', start: 80, end: 80 },
      { kind: 'range', protocol: 'UDP', start: 53, end: 53 },
      { kind: 'range', protocol: 'SCTP', start: 9, end: 9 },
    ]);
  });

  it('matches every port of the protocol when port is absent', () => {
    expect(portsOf(ok(ingressPorts({ protocol: 'UDP' }, {}, null)))).toEqual([
      { kind: 'range', protocol: 'UDP', start: 1, end: 65535 },
      { kind: 'range', protocol: 'TCP', start: 1, end: 65535 },
      { kind: 'range', protocol: 'TCP', start: 1, end: 65535 },
    ]);
  });

  it('compiles named ports with their protocol', () => {
    expect(portsOf(ok(ingressPorts({ port: 'http' }, { port: 'dns-udp', protocol: 'UDP' })))).toEqual([
      { kind: 'named', name: 'http', protocol: 'TCP' },
      { kind: 'named', name: 'dns-udp', protocol: 'UDP' },
    ]);
  });

  it('compiles endPort ranges, including endPort == port and the port bounds', () => {
    expect(
      portsOf(
        ok(ingressPorts({ port: 8000, endPort: 8080 }, { port: 443, endPort: 443 }, { port: 1, endPort: 65535 })),
      ),
    ).toEqual([
      { kind: 'range', protocol: 'TCP', start: 8000, end: 8080 },
      { kind: 'range', protocol: 'TCP', start: 443, end: 443 },
      { kind: 'range', protocol: 'TCP', start: 1, end: 65535 },
    ]);
  });
});

describe('compileNetworkPolicy: errors', () => {
  const from0 = 'spec.ingress[0].from[0]';
  const port0 = 'spec.ingress[0].ports[0]';

  it('rejects wrong field types with exact paths', () => {
    expectErrors('not a spec', [['INVALID_FIELD', 'spec']]);
    expectErrors({ podSelector: 'app=web' }, [['INVALID_FIELD', 'spec.podSelector']]);
    expectErrors({ ingress: {} }, [['INVALID_FIELD', 'spec.ingress']]);
    expectErrors({ ingress: ['allow'] }, [['INVALID_FIELD', 'spec.ingress[0]']]);
    expectErrors({ ingress: [{ from: {} }] }, [['INVALID_FIELD', 'spec.ingress[0].from']]);
    expectErrors({ egress: [{ to: [{ podSelector: web }, 'x'] }] }, [['INVALID_FIELD', 'spec.egress[0].to[1]']]);
    expectErrors({ ingress: [{ ports: 80 }] }, [['INVALID_FIELD', 'spec.ingress[0].ports']]);
    expectErrors(ingressFrom({ podSelector: { matchLabels: ['app'] } }), [
      ['INVALID_FIELD', `${from0}.podSelector.matchLabels`],
    ]);
    expectErrors(ingressFrom({ ipBlock: '10.0.0.0/8' }), [['INVALID_FIELD', `${from0}.ipBlock`]]);
    expectErrors(ingressFrom({ ipBlock: { cidr: '10.0.0.0/8', except: '10.1.0.0/16' } }), [
      ['INVALID_FIELD', `${from0}.ipBlock.except`],
    ]);
    expectErrors(ingressFrom({ ipBlock: { cidr: 10 } }), [['INVALID_FIELD', `${from0}.ipBlock.cidr`]]);
  });

  it('rejects a label value that YAML read as a number or boolean', () => {
    expectErrors({ podSelector: { matchLabels: { tier: 1 } } }, [
      ['INVALID_FIELD', 'spec.podSelector.matchLabels.tier'],
    ]);
  });

  it('rejects invalid CIDRs', () => {
    expectErrors(ingressFrom({ ipBlock: { cidr: '10.0.0.0/33' } }), [['INVALID_CIDR', `${from0}.ipBlock.cidr`]]);
    expectErrors(ingressFrom({ ipBlock: { cidr: '10.0.0.1' } }), [['INVALID_CIDR', `${from0}.ipBlock.cidr`]]);
    expectErrors(ingressFrom({ ipBlock: { cidr: '' } }), [['INVALID_CIDR', `${from0}.ipBlock.cidr`]]);
    expectErrors(ingressFrom({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/99'] } }), [
      ['INVALID_CIDR', `${from0}.ipBlock.except[0]`],
    ]);
    expectErrors(ingressFrom({ ipBlock: {} }), [['MISSING_FIELD', `${from0}.ipBlock.cidr`]]);
  });

  it('rejects except entries that are not a strict subset of cidr', () => {
    const block = (except: string[]) => ingressFrom({ ipBlock: { cidr: '10.0.0.0/8', except } });
    expectErrors(block(['192.168.0.0/16']), [['INVALID_EXCEPT', `${from0}.ipBlock.except[0]`]]);
    expectErrors(block(['10.1.0.0/16', '10.0.0.0/8']), [['INVALID_EXCEPT', `${from0}.ipBlock.except[1]`]]);
    expectErrors(block(['0.0.0.0/0']), [['INVALID_EXCEPT', `${from0}.ipBlock.except[0]`]]);
    expectErrors(block(['fd00::/64']), [['INVALID_EXCEPT', `${from0}.ipBlock.except[0]`]]);
  });

  it('rejects ipBlock combined with a selector, and empty peers', () => {
    expectErrors(ingressFrom({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }), [['INVALID_PEER', from0]]);
    expectErrors(ingressFrom({ ipBlock: { cidr: '10.0.0.0/8' }, namespaceSelector: {} }), [['INVALID_PEER', from0]]);
    expectErrors(ingressFrom({}), [['EMPTY_PEER', from0]]);
    expectErrors(ingressFrom(null), [['EMPTY_PEER', from0]]);
    expectErrors(ingressFrom({ podSelector: null, unknownField: {} }), [['EMPTY_PEER', from0]]);
  });

  it('rejects malformed selectors', () => {
    const expr = (e: unknown) => ({ podSelector: { matchExpressions: [e] } });
    const e0 = 'spec.podSelector.matchExpressions[0]';
    expectErrors(expr({ key: 'a', operator: 'Equals', values: ['x'] }), [['INVALID_SELECTOR', `${e0}.operator`]]);
    expectErrors(expr({ key: 'a', operator: 'in', values: ['x'] }), [['INVALID_SELECTOR', `${e0}.operator`]]);
    expectErrors(expr({ key: 'a', operator: 'In' }), [['INVALID_SELECTOR', `${e0}.values`]]);
    expectErrors(expr({ key: 'a', operator: 'NotIn', values: [] }), [['INVALID_SELECTOR', `${e0}.values`]]);
    expectErrors(expr({ key: 'a', operator: 'Exists', values: ['x'] }), [['INVALID_SELECTOR', `${e0}.values`]]);
    expectErrors(expr({ key: 'a', operator: 'DoesNotExist', values: ['x'] }), [['INVALID_SELECTOR', `${e0}.values`]]);
    expectErrors(expr({ operator: 'Exists' }), [['MISSING_FIELD', `${e0}.key`]]);
    expectErrors(expr({ key: 'a' }), [['MISSING_FIELD', `${e0}.operator`]]);
    expectErrors(expr({ key: 'a', operator: 'In', values: 'x' }), [['INVALID_FIELD', `${e0}.values`]]);
    expectErrors(expr({ key: 'a', operator: 'In', values: [1] }), [['INVALID_FIELD', `${e0}.values[0]`]]);
    expectErrors(expr({ key: 'a', operator: 'In', values: ['-x'] }), [['INVALID_SELECTOR', `${e0}.values[0]`]]);
    expectErrors(expr({ key: 'a b', operator: 'Exists' }), [['INVALID_SELECTOR', `${e0}.key`]]);
    expectErrors({ podSelector: { matchLabels: { 'Example.com/app': 'web' } } }, [
      ['INVALID_SELECTOR', 'spec.podSelector.matchLabels["Example.com/app"]'],
    ]);
    expectErrors({ podSelector: { matchLabels: { app: 'web app' } } }, [
      ['INVALID_SELECTOR', 'spec.podSelector.matchLabels.app'],
    ]);
  });

  it('rejects bad protocols', () => {
    expectErrors(ingressPorts({ protocol: 'ICMP' }), [['INVALID_PROTOCOL', `${port0}.protocol`]]);
    expectErrors(ingressPorts({ protocol: 'tcp', port: 80 }), [['INVALID_PROTOCOL', `${port0}.protocol`]]);
    expectErrors(ingressPorts({ protocol: 6 }), [['INVALID_PROTOCOL', `${port0}.protocol`]]);
  });

  it('rejects ports out of range and malformed ports', () => {
    expectErrors(ingressPorts({ port: 0 }), [['INVALID_PORT', `${port0}.port`]]);
    expectErrors(ingressPorts({ port: 65536 }), [['INVALID_PORT', `${port0}.port`]]);
    expectErrors(ingressPorts({ port: 80.5 }), [['INVALID_FIELD', `${port0}.port`]]);
    expectErrors(ingressPorts({ port: true }), [['INVALID_FIELD', `${port0}.port`]]);
    expectErrors(ingressPorts({ port: '80' }), [['INVALID_PORT', `${port0}.port`]]);
    expectErrors(ingressPorts({ port: 'HTTP' }), [['INVALID_PORT', `${port0}.port`]]);
    expectErrors(ingressPorts({ port: 'a-very-long-port-name' }), [['INVALID_PORT', `${port0}.port`]]);
    expectErrors(ingressPorts({ port: 'web--1' }), [['INVALID_PORT', `${port0}.port`]]);
    expectErrors(ingressPorts({ port: '-web' }), [['INVALID_PORT', `${port0}.port`]]);
    expectErrors(ingressPorts({ port: '' }), [['INVALID_PORT', `${port0}.port`]]);
  });

  it('rejects bad endPort values', () => {
    expectErrors(ingressPorts({ port: 8080, endPort: 80 }), [['INVALID_PORT_RANGE', `${port0}.endPort`]]);
    expectErrors(ingressPorts({ port: 'http', endPort: 8080 }), [['INVALID_PORT_RANGE', `${port0}.endPort`]]);
    expectErrors(ingressPorts({ endPort: 8080 }), [['MISSING_FIELD', `${port0}.port`]]);
    expectErrors(ingressPorts({ port: 80, endPort: 70000 }), [['INVALID_PORT', `${port0}.endPort`]]);
    expectErrors(ingressPorts({ port: 80, endPort: '90' }), [['INVALID_FIELD', `${port0}.endPort`]]);
  });

  it('reports every error in one pass', () => {
    expectErrors(
      {
        podSelector: { matchExpressions: [{ key: 'a', operator: 'Has' }] },
        ingress: [{ from: [{}], ports: [{ port: 0 }] }],
        egress: [{ to: [{ ipBlock: { cidr: 'nope' } }] }],
      },
      [
        ['INVALID_SELECTOR', 'spec.podSelector.matchExpressions[0].operator'],
        ['EMPTY_PEER', 'spec.ingress[0].from[0]'],
        ['INVALID_PORT', 'spec.ingress[0].ports[0].port'],
        ['INVALID_CIDR', 'spec.egress[0].to[0].ipBlock.cidr'],
      ],
    );
  });

  it('never throws, whatever the spec', () => {
    const value = fc.jsonValue({ maxDepth: 6 });
    const shaped = fc.record({
      podSelector: value,
      policyTypes: fc.oneof(value, fc.array(fc.constantFrom('Ingress', 'Egress', 'x'))),
      ingress: fc.array(fc.record({ from: fc.array(value), ports: fc.array(value) })),
      egress: fc.oneof(value, fc.array(fc.record({ to: fc.array(value), ports: value }))),
    });
    fc.assert(
      fc.property(fc.oneof(value, shaped), (spec) => {
        const result = compileNetworkPolicy(netpol(spec), DEFAULT_OPTIONS);
        expect(result.policy === undefined).toBe(result.issues.some((i) => i.severity === 'error'));
      }),
      { numRuns: 300 },
    );
  });
});
