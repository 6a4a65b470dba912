/**
 * The parts shared by the cluster-scoped policy kinds: ClusterNetworkPolicy (v1alpha2),
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1). They differ only in the
 * {@link ClusterPolicyDialect}: limits, action names, allowed peers and the port syntax.
 */
import type { PolicyObject } from '../../model/types.js';
import { MATCH_ALL, type Selector } from '../../model/selector.js';
import type { Direction, Peer, PortMatch, Rule, RuleAction, Subject } from '../ir.js';
import { compileCidr, type CompiledCidr } from './cidr.js';
import { compileLabelSelector, compileOptionalSelector, compileRequiredSelector } from './selector.js';
import type { AdapterResult } from './types.js';
import {
  checkCount,
  checkUnique,
  childPath,
  createValidationContext,
  describeObject,
  indexPath,
  isAbsent,
  readEnum,
  readInteger,
  readItem,
  compileList,
  readObject,
  readString,
  readStringList,
  readUnion,
  requirePresent,
  type JsonObject,
  type ValidationContext,
} from './validate.js';

/** Every peer field any cluster policy version knows. */
export type PeerField = 'namespaces' | 'pods' | 'networks' | 'nodes' | 'domainNames';
const PEER_FIELDS: readonly PeerField[] = ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'];
const INGRESS_PEER_FIELDS: readonly PeerField[] = ['namespaces', 'pods'];

/** Limits shared by every version: `networks` and `domainNames` hold 1–25 entries; rule names ≤100. */
const MAX_SET_ITEMS = 25;
const MAX_RULE_NAME = 100;
const MAX_PRIORITY = 1000;

/**
 * The `DomainName` pattern of the CRDs, verbatim. NOTE: `A-z` is a typo upstream, which lets
 * the characters between `Z` and `a` through; we keep it so that we accept exactly what the API
 * server accepts.
 */
const DOMAIN_NAME = /^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

/** What distinguishes one cluster policy kind from another. */
export interface ClusterPolicyDialect {
  readonly kind: string;
  /** maxItems of `ingress`/`egress`, of `from`/`to` and of the port list. */
  readonly maxItems: number;
  /** Actions as written, mapped to IR actions (`Accept`/`Allow` → `Allow`). */
  readonly actions: Readonly<Record<string, RuleAction>>;
  /** Whether `pods.namespaceSelector` is required (v1alpha1) or defaults to all namespaces (v1alpha2). */
  readonly namespaceSelectorRequired: boolean;
  /** Read absent required selectors as `{}` with a warning (option `missingSelectorsMatchAll`). */
  readonly missingSelectorsMatchAll?: boolean | undefined;
  readonly egressPeerFields: readonly PeerField[];
  /** The rule's port list field (`protocols` or `ports`) and how to compile one entry. */
  readonly portsField: string;
  readonly compilePort: (item: unknown, path: string, ctx: ValidationContext) => PortMatch | undefined;
  /** Tier and priority, from the spec or fixed by the kind; `undefined` after reporting an error. */
  readonly header: (
    spec: JsonObject,
    obj: PolicyObject,
    ctx: ValidationContext,
  ) => { readonly tier: string; readonly priority: number } | undefined;
}

/** Compile a cluster-scoped policy object with the rules of `dialect`. */
export function compileClusterScopedPolicy(obj: PolicyObject, dialect: ClusterPolicyDialect): AdapterResult {
  const name = obj.metadata.name;
  const ctx = createValidationContext(obj, describeObject(dialect.kind, name));
  const spec = requirePresent(obj.spec, 'spec', ctx) ? readObject(obj.spec, 'spec', ctx) : undefined;
  if (spec === undefined) return { issues: ctx.issues };
  const header = dialect.header(spec, obj, ctx);
  const subject = compileSubject(spec['subject'], 'spec.subject', dialect, ctx);
  const ingress = compileRules(spec, 'ingress', dialect, ctx);
  const egress = compileRules(spec, 'egress', dialect, ctx);
  if (ctx.hasErrors() || header === undefined || subject === undefined) return { issues: ctx.issues };
  const policy = {
    ref: { kind: dialect.kind, name },
    ...header,
    subject,
    ...(ingress !== undefined && { ingress }),
    ...(egress !== undefined && { egress }),
  };
  return { policy, issues: ctx.issues };
}

/** `spec.priority`: a required integer in 0–1000. */
export function readPriority(spec: JsonObject, ctx: ValidationContext): number | undefined {
  const path = 'spec.priority';
  if (!requirePresent(spec['priority'], path, ctx)) return undefined;
  const priority = readInteger(spec['priority'], path, ctx);
  if (priority === undefined) return undefined;
  if (priority < 0 || priority > MAX_PRIORITY) {
    ctx.error(path, 'INVALID_PRIORITY', `priority ${priority} is out of range 0-${MAX_PRIORITY}`);
    return undefined;
  }
  return priority;
}

/** `spec.subject`: exactly one of `namespaces` (every pod there) or `pods`. */
function compileSubject(
  value: unknown,
  path: string,
  dialect: ClusterPolicyDialect,
  ctx: ValidationContext,
): Subject | undefined {
  const subject = requirePresent(value, path, ctx) ? readObject(value, path, ctx) : undefined;
  const one = subject && readUnion(subject, ['namespaces', 'pods'], path, ctx);
  if (one === undefined) return undefined;
  const peer = compileNamespacedPeer(one.key, one.value, childPath(path, one.key), dialect, ctx);
  return peer?.kind === 'pods' ? { namespaces: peer.namespaces, pods: peer.pods } : undefined;
}

/** `namespaces` (a namespace selector) or `pods` (NamespacedPod), as a `pods` peer. */
function compileNamespacedPeer(
  key: 'namespaces' | 'pods',
  value: unknown,
  path: string,
  dialect: ClusterPolicyDialect,
  ctx: ValidationContext,
): Peer | undefined {
  if (key === 'namespaces') {
    const selector = compileLabelSelector(value, path, ctx);
    return selector && { kind: 'pods', namespaces: { kind: 'selector', selector }, pods: MATCH_ALL };
  }
  const pods = readObject(value, path, ctx);
  if (pods === undefined) return undefined;
  const nsPath = childPath(path, 'namespaceSelector');
  const selector = dialect.namespaceSelectorRequired
    ? requiredSelector(pods['namespaceSelector'], nsPath, dialect, ctx)
    : compileOptionalSelector(pods['namespaceSelector'], nsPath, ctx);
  const podSelector = requiredSelector(pods['podSelector'], childPath(path, 'podSelector'), dialect, ctx);
  return selector && podSelector && { kind: 'pods', namespaces: { kind: 'selector', selector }, pods: podSelector };
}

/** A required selector; when absent and the dialect allows it, `{}` (select all) with a warning. */
function requiredSelector(
  value: unknown,
  path: string,
  dialect: ClusterPolicyDialect,
  ctx: ValidationContext,
): Selector | undefined {
  if (dialect.missingSelectorsMatchAll === true && isAbsent(value)) {
    ctx.warn(
      path,
      'MISSING_FIELD',
      'required field is missing; read as {} (select everything): option missingSelectorsMatchAll',
    );
    return MATCH_ALL;
  }
  return compileRequiredSelector(value, path, ctx);
}

/** The rules of one direction; absent or empty: the policy does not affect the direction. */
function compileRules(
  spec: JsonObject,
  direction: Direction,
  dialect: ClusterPolicyDialect,
  ctx: ValidationContext,
): Rule[] | undefined {
  const limits = { min: 0, max: dialect.maxItems, noun: `${direction} rules` };
  const rules = compileList(spec[direction], `spec.${direction}`, ctx, limits, (item, path, index) =>
    compileRule(item, path, index, direction, dialect, ctx),
  );
  // A failed rule has recorded an error, so an empty result here means an empty list as written.
  return rules === undefined || rules.length === 0 ? undefined : rules;
}

function compileRule(
  item: unknown,
  path: string,
  index: number,
  direction: Direction,
  dialect: ClusterPolicyDialect,
  ctx: ValidationContext,
): Rule | undefined {
  const rule = readItem(item, path, ctx);
  if (rule === undefined) return undefined;
  const namePath = childPath(path, 'name');
  const name = readString(rule['name'], namePath, ctx);
  if (name !== undefined && name.length > MAX_RULE_NAME) {
    ctx.error(namePath, 'INVALID_LENGTH', `rule name is ${name.length} characters long; the limit is ${MAX_RULE_NAME}`);
  }
  const actionPath = childPath(path, 'action');
  const written = requirePresent(rule['action'], actionPath, ctx)
    ? readEnum(rule['action'], Object.keys(dialect.actions), actionPath, ctx)
    : undefined;
  const action = written === undefined ? undefined : dialect.actions[written];

  const peersKey = direction === 'ingress' ? 'from' : 'to';
  const peersPath = childPath(path, peersKey);
  requirePresent(rule[peersKey], peersPath, ctx);
  const compiledPeers =
    compileList(rule[peersKey], peersPath, ctx, { min: 1, max: dialect.maxItems, noun: 'peers' }, (peer, peerPath) =>
      compilePeer(peer, peerPath, direction, dialect, ctx),
    ) ?? [];
  const unknownPeer = compiledPeers.includes('unknown');
  const peers = compiledPeers.filter((p): p is Peer => p !== 'unknown');
  const portsPath = childPath(path, dialect.portsField);
  const limits = { min: 1, max: dialect.maxItems, noun: 'entries' };
  const ports = compileList(rule[dialect.portsField], portsPath, ctx, limits, (item, itemPath) =>
    dialect.compilePort(item, itemPath, ctx),
  );

  if (action === undefined) return undefined;
  if (action !== 'Allow' && peers.some((p) => p.kind === 'domains')) {
    const allow = Object.keys(dialect.actions).find((a) => dialect.actions[a] === 'Allow');
    ctx.warn(peersPath, 'DOMAIN_NAMES_ACTION', `domainNames is meant only for ${allow} rules, not ${written}`);
  }
  if (ports?.some((p) => p.kind === 'named') && peers.some((p) => p.kind !== 'pods')) {
    ctx.warn(
      path,
      'NAMED_PORT_NON_POD_PEER',
      'named ports resolve only on destination pods: through networks or nodes peers this rule matches only pods ' +
        'that declare the port, never a node, an external address or a domain (the experimental CRD channel rejects this rule)',
    );
  }
  const base = { index, ...(name !== undefined && { name }) };
  if (unknownPeer) {
    // Fail closed (policy-semantics.md §1.1, NPA peer type comments): a peer with no field we
    // understand means a newer CRD. An Accept rule then matches no traffic; a Deny or Pass
    // rule becomes a "deny all" rule.
    return action === 'Allow'
      ? { ...base, action, peers: [], ports: ports ?? null }
      : { ...base, action: 'Deny', peers: [{ kind: 'all' }], ports: null };
  }
  return { ...base, action, peers, ports: ports ?? null };
}

/**
 * One peer: exactly one field. A field of the wrong direction or kind is an error; a peer with
 * no known field at all gives `'unknown'` (a warning; the rule fails closed).
 */
function compilePeer(
  item: unknown,
  path: string,
  direction: Direction,
  dialect: ClusterPolicyDialect,
  ctx: ValidationContext,
): Peer | 'unknown' | undefined {
  const peer = readItem(item, path, ctx);
  if (peer === undefined) return undefined;
  const allowed = direction === 'ingress' ? INGRESS_PEER_FIELDS : dialect.egressPeerFields;
  const present = PEER_FIELDS.filter((f) => !isAbsent(peer[f]));
  if (present.length === 0) {
    const unknown = Object.keys(peer);
    ctx.warn(
      path,
      'UNKNOWN_PEER',
      `peer has none of ${allowed.join(', ')}${unknown.length > 0 ? ` (found ${unknown.join(', ')})` : ''}: ` +
        'read as a peer type of a newer API version, so the rule fails closed ' +
        '(an allowing rule matches nothing; a Deny or Pass rule denies all traffic)',
    );
    return 'unknown';
  }
  const misplaced = present.filter((f) => !allowed.includes(f));
  for (const field of misplaced) {
    ctx.error(
      childPath(path, field),
      'INVALID_PEER',
      `${field} is not allowed in ${dialect.kind} ${direction} peers (allowed: ${allowed.join(', ')})`,
    );
  }
  if (misplaced.length > 0) return undefined;
  const one = readUnion(peer, allowed, path, ctx);
  if (one === undefined) return undefined;
  const fieldPath = childPath(path, one.key);
  switch (one.key) {
    case 'namespaces':
    case 'pods':
      return compileNamespacedPeer(one.key, one.value, fieldPath, dialect, ctx);
    case 'nodes': {
      const selector = compileLabelSelector(one.value, fieldPath, ctx);
      return selector && { kind: 'nodes', selector };
    }
    case 'networks':
      return compileNetworks(one.value, fieldPath, ctx);
    case 'domainNames':
      return compileDomainNames(one.value, fieldPath, ctx);
  }
}

/** `networks`: 1–25 CIDRs (a set), matching pod IPs too. */
function compileNetworks(value: unknown, path: string, ctx: ValidationContext): Peer | undefined {
  const cidrs = readSet(value, path, ctx, 'CIDRs')?.map((text, i) => compileCidr(text, indexPath(path, i), ctx));
  if (cidrs === undefined || !cidrs.every((c): c is CompiledCidr => c !== undefined)) return undefined;
  return { kind: 'ipBlock', blocks: cidrs.map((c) => ({ ...c, except: [] })), matchesPodIps: true };
}

/** `domainNames`: 1–25 names (a set) matching the CRD `DomainName` pattern. */
function compileDomainNames(value: unknown, path: string, ctx: ValidationContext): Peer | undefined {
  const names = readSet(value, path, ctx, 'domain names') ?? [];
  names.forEach((name, i) => {
    if (!DOMAIN_NAME.test(name)) {
      ctx.error(
        indexPath(path, i),
        'INVALID_DOMAIN_NAME',
        `invalid domain name ${JSON.stringify(name)}: use at least two labels (example.com), ` +
          'optionally with one leading "*." wildcard (*.example.com)',
      );
    }
  });
  return { kind: 'domains', names };
}

function readSet(value: unknown, path: string, ctx: ValidationContext, noun: string): string[] | undefined {
  const list = readStringList(value, path, ctx);
  if (list === undefined) return undefined;
  checkCount(list, path, ctx, { min: 1, max: MAX_SET_ITEMS, noun });
  checkUnique(list, path, ctx);
  return list;
}
