/**
 * Adapter for core `networking.k8s.io/v1` NetworkPolicy. Semantics follow the API comments in
 * kubernetes/api `networking/v1/types.go`, the defaulting in `pkg/apis/networking/v1/defaults.go`
 * and the validation in `pkg/apis/networking/validation` (see policy-semantics.md §2).
 */
import type { PolicyObject } from '../../model/types.js';
import { MATCH_ALL } from '../../model/selector.js';
import type { AnalysisOptions } from '../../options.js';
import type { CompiledPolicy, Direction, NamespaceMatch, Peer, PortMatch, Rule } from '../ir.js';
import { compileCidr, type CompiledCidr } from './cidr.js';
import { allPortsOf, portNameProblem, portRange, readPortNumber, readProtocol } from './ports.js';
import { compileLabelSelector, compileOptionalSelector } from './selector.js';
import type { AdapterResult } from './types.js';
import {
  childPath,
  compileList,
  createValidationContext,
  describeObject,
  describeType,
  finish,
  indexPath,
  isAbsent,
  readEnum,
  readItem,
  readList,
  readObject,
  readString,
  readStringList,
  requirePresent,
  type JsonObject,
  type ValidationContext,
} from './validate.js';

const KIND = 'NetworkPolicy';
const POLICY_TYPES = ['Ingress', 'Egress'] as const;

/** Per-object compile state. */
interface NetpolContext {
  readonly ctx: ValidationContext;
  readonly namespace: string;
  /** The policy's own namespace as a match, shared by the subject and its peers. */
  readonly own: NamespaceMatch;
  readonly options: AnalysisOptions;
}

/**
 * Compile a NetworkPolicy. A missing `metadata.namespace` means `default`, as `kubectl apply`
 * does without `-n`. A missing `spec` is the empty spec (deny all ingress in the namespace).
 */
export function compileNetworkPolicy(obj: PolicyObject, options: AnalysisOptions): AdapterResult {
  const namespace =
    obj.metadata.namespace === undefined || obj.metadata.namespace === '' ? 'default' : obj.metadata.namespace;
  const ctx = createValidationContext(obj, describeObject(KIND, obj.metadata.name, namespace));
  const spec = isAbsent(obj.spec) ? {} : readObject(obj.spec, 'spec', ctx);
  if (spec === undefined) return { issues: ctx.issues };
  const nctx: NetpolContext = { ctx, namespace, own: { kind: 'name', name: namespace }, options };

  const pods = compileOptionalSelector(spec['podSelector'], 'spec.podSelector', ctx);
  const types = compilePolicyTypes(spec, ctx);
  const ingress = compileRules(spec, 'ingress', nctx);
  const egress = compileRules(spec, 'egress', nctx);
  return finish(ctx, () => {
    const policy: { -readonly [K in keyof CompiledPolicy]: CompiledPolicy[K] } = {
      ref: { kind: KIND, namespace, name: obj.metadata.name },
      tier: KIND,
      priority: 0,
      subject: { namespaces: nctx.own, pods: pods ?? MATCH_ALL },
    };
    // A direction listed in policyTypes isolates even without rules (`[]` allows nothing).
    // (Set one by one: conditional spreads into a literal take V8's slow object-cloning path.)
    if (types.has('ingress')) policy.ingress = ingress ?? [];
    if (types.has('egress')) policy.egress = egress ?? [];
    return policy;
  });
}

/**
 * `spec.policyTypes`, defaulted as in `SetDefaults_NetworkPolicy`: absent or empty means
 * Ingress, plus Egress if and only if `spec.egress` has at least one rule (`egress: []` does not
 * count). Rules of a direction that is not listed are validated but have no effect.
 */
function compilePolicyTypes(spec: JsonObject, ctx: ValidationContext): Set<Direction> {
  const path = 'spec.policyTypes';
  const listed = readList(spec['policyTypes'], path, ctx) ?? [];
  const egressRules = Array.isArray(spec['egress']) ? spec['egress'].length : 0;
  if (listed.length === 0) {
    if (Array.isArray(spec['egress']) && egressRules === 0) {
      ctx.warn(
        'spec.egress',
        'IGNORED_RULES',
        'an empty egress list without policyTypes does not isolate egress: add policyTypes [Ingress, Egress] to deny all egress',
      );
    }
    return new Set<Direction>(egressRules > 0 ? ['ingress', 'egress'] : ['ingress']);
  }
  if (listed.length > POLICY_TYPES.length) {
    ctx.error(path, 'INVALID_LENGTH', `may not list more than ${POLICY_TYPES.length} policy types`);
  }
  const types = new Set<Direction>();
  listed.forEach((item, i) => {
    const itemPath = indexPath(path, i);
    if (item === null) ctx.error(itemPath, 'INVALID_FIELD', `expected a string, got ${describeType(item)}`);
    const type = readEnum(item, POLICY_TYPES, itemPath, ctx);
    if (type !== undefined) types.add(type === 'Ingress' ? 'ingress' : 'egress');
  });
  for (const [direction, type] of [
    ['ingress', 'Ingress'],
    ['egress', 'Egress'],
  ] as const) {
    const rules = spec[direction];
    if (Array.isArray(rules) && rules.length > 0 && !types.has(direction)) {
      ctx.warn(
        `spec.${direction}`,
        'IGNORED_RULES',
        `${direction} rules have no effect because policyTypes does not include ${type}`,
      );
    }
  }
  return types;
}

/** The rules of one direction; `undefined` when the list is absent. */
function compileRules(spec: JsonObject, direction: Direction, nctx: NetpolContext): Rule[] | undefined {
  const peerKey = direction === 'ingress' ? 'from' : 'to';
  return compileList(spec[direction], `spec.${direction}`, nctx.ctx, undefined, (item, path, index) => {
    const rule = readItem(item, path, nctx.ctx);
    return (
      rule && {
        index,
        action: 'Allow',
        peers: compilePeers(rule[peerKey], childPath(path, peerKey), nctx),
        ports: compilePorts(rule['ports'], childPath(path, 'ports'), nctx.ctx),
      }
    );
  });
}

/**
 * `from`/`to`: missing or empty matches every endpoint; otherwise any listed peer. (A peer that
 * fails to compile has recorded an error, so an empty result means an empty list as written.)
 */
function compilePeers(value: unknown, path: string, nctx: NetpolContext): Peer[] {
  const peers = compileList(value, path, nctx.ctx, undefined, (item, itemPath) => compilePeer(item, itemPath, nctx));
  return peers === undefined || peers.length === 0 ? [{ kind: 'all' }] : peers;
}

/**
 * One peer: podSelector alone means pods of the policy's namespace; namespaceSelector alone means
 * every pod of the matching namespaces; both in one peer AND together; ipBlock stands alone.
 */
function compilePeer(item: unknown, path: string, nctx: NetpolContext): Peer | undefined {
  const { ctx } = nctx;
  const peer = readItem(item, path, ctx);
  if (peer === undefined) return undefined;
  const hasPods = !isAbsent(peer['podSelector']);
  const hasNamespaces = !isAbsent(peer['namespaceSelector']);
  if (!isAbsent(peer['ipBlock'])) {
    if (hasPods || hasNamespaces) {
      ctx.error(
        path,
        'INVALID_PEER',
        'a peer may not combine ipBlock with podSelector or namespaceSelector: put them in separate peers',
      );
    }
    return compileIpBlock(peer['ipBlock'], childPath(path, 'ipBlock'), nctx);
  }
  if (!hasPods && !hasNamespaces) {
    ctx.error(path, 'EMPTY_PEER', 'cannot have empty rule peer: set podSelector, namespaceSelector or ipBlock');
    return undefined;
  }
  const pods = hasPods ? compileLabelSelector(peer['podSelector'], childPath(path, 'podSelector'), ctx) : MATCH_ALL;
  if (!hasNamespaces) {
    return pods && { kind: 'pods', namespaces: nctx.own, pods };
  }
  const selector = compileLabelSelector(peer['namespaceSelector'], childPath(path, 'namespaceSelector'), ctx);
  return pods && selector && { kind: 'pods', namespaces: { kind: 'selector', selector }, pods };
}

/** `ipBlock`: `cidr` minus each `except`, which must be a strict subset of `cidr` (as upstream validates). */
function compileIpBlock(value: unknown, path: string, nctx: NetpolContext): Peer | undefined {
  const { ctx } = nctx;
  const block = readObject(value, path, ctx);
  if (block === undefined) return undefined;
  const cidrPath = childPath(path, 'cidr');
  const cidrText = requirePresent(block['cidr'], cidrPath, ctx) ? readString(block['cidr'], cidrPath, ctx) : undefined;
  const base = cidrText === undefined ? undefined : compileCidr(cidrText, cidrPath, ctx);
  const exceptPath = childPath(path, 'except');
  const except: CompiledCidr[] = [];
  readStringList(block['except'], exceptPath, ctx)?.forEach((text, i) => {
    const itemPath = indexPath(exceptPath, i);
    const ex = compileCidr(text, itemPath, ctx);
    if (ex === undefined || base === undefined) return;
    if (!isStrictSubset(ex, base)) {
      const which =
        ex.range.start === base.range.start && ex.range.end === base.range.end ? 'is all of' : 'is not inside';
      ctx.error(
        itemPath,
        'INVALID_EXCEPT',
        `except ${JSON.stringify(text)} ${which} cidr ${JSON.stringify(base.cidr)}`,
      );
    }
    except.push(ex);
  });
  if (base === undefined) return undefined;
  return { kind: 'ipBlock', blocks: [{ ...base, except }], matchesPodIps: nctx.options.ipBlockMatchesPods };
}

function isStrictSubset(inner: CompiledCidr, outer: CompiledCidr): boolean {
  const { range: a } = inner;
  const { range: b } = outer;
  return a.family === b.family && a.start >= b.start && a.end <= b.end && (a.start !== b.start || a.end !== b.end);
}

/** `ports`: missing or empty matches all ports of all protocols (null). */
function compilePorts(value: unknown, path: string, ctx: ValidationContext): PortMatch[] | null {
  const ports = compileList(value, path, ctx, undefined, (item, itemPath) => compilePort(item, itemPath, ctx));
  return ports === undefined || ports.length === 0 ? null : ports;
}

/**
 * One `NetworkPolicyPort`: protocol (default TCP), `port` as a number, a container port name,
 * or absent (every port of the protocol), and `endPort` (numeric `port` only, `endPort >= port`).
 */
function compilePort(item: unknown, path: string, ctx: ValidationContext): PortMatch | undefined {
  const entry = readItem(item, path, ctx);
  if (entry === undefined) return undefined;
  const protocol = readProtocol(entry['protocol'], childPath(path, 'protocol'), ctx);
  const rawPort = entry['port'];
  const portPath = childPath(path, 'port');
  const rawEnd = entry['endPort'];
  const endPath = childPath(path, 'endPort');
  if (isAbsent(rawPort)) {
    if (!isAbsent(rawEnd)) ctx.error(portPath, 'MISSING_FIELD', 'port must be set when endPort is set');
    return protocol && allPortsOf(protocol);
  }
  if (typeof rawPort === 'string') {
    const problem = portNameProblem(rawPort);
    if (problem !== undefined) ctx.error(portPath, 'INVALID_PORT', problem);
    if (!isAbsent(rawEnd)) {
      ctx.error(endPath, 'INVALID_PORT_RANGE', `endPort cannot be used with the named port ${JSON.stringify(rawPort)}`);
    }
    return protocol && { kind: 'named', name: rawPort, protocol };
  }
  if (typeof rawPort !== 'number') {
    ctx.error(portPath, 'INVALID_FIELD', `expected a port number or a port name, got ${describeType(rawPort)}`);
    return undefined;
  }
  const start = readPortNumber(rawPort, portPath, ctx);
  const end = isAbsent(rawEnd) ? start : readPortNumber(rawEnd, endPath, ctx);
  if (start === undefined || end === undefined || protocol === undefined) return undefined;
  if (end < start) {
    ctx.error(endPath, 'INVALID_PORT_RANGE', `endPort ${end} is less than port ${start}`);
    return undefined;
  }
  return portRange(protocol, start, end);
}
