/**
 * Adapter for ClusterNetworkPolicy, `policy.networking.k8s.io/v1alpha2` (network-policy-api
 * v0.2.0; policy-semantics.md §1.1). Tier from `spec.tier`, `Accept` → `Allow`, limit 25.
 */
import type { PolicyObject, Protocol } from '../../model/types.js';
import type { AnalysisOptions } from '../../options.js';
import type { PortMatch } from '../ir.js';
import { compileClusterScopedPolicy, readPriority, type ClusterPolicyDialect } from './cluster-scoped.js';
import { compileNamedPort, portRange, readPortNumber, readPortRange } from './ports.js';
import type { AdapterResult } from './types.js';
import {
  childPath,
  readEnum,
  readItem,
  readObject,
  readUnion,
  requirePresent,
  type ValidationContext,
} from './validate.js';

const TIERS = ['Admin', 'Baseline'] as const;
const PROTOCOL_FIELDS = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' } as const satisfies Record<string, Protocol>;

const DIALECT: ClusterPolicyDialect = {
  kind: 'ClusterNetworkPolicy',
  maxItems: 25,
  actions: { Accept: 'Allow', Deny: 'Deny', Pass: 'Pass' },
  namespaceSelectorRequired: false,
  egressPeerFields: ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'],
  portsField: 'protocols',
  compilePort: compileProtocolEntry,
  header: (spec, _obj, ctx) => {
    const tier = requirePresent(spec['tier'], 'spec.tier', ctx)
      ? readEnum(spec['tier'], TIERS, 'spec.tier', ctx)
      : undefined;
    const priority = readPriority(spec, ctx);
    return tier === undefined || priority === undefined ? undefined : { tier, priority };
  },
};

/** Compile a ClusterNetworkPolicy. */
export function compileClusterNetworkPolicy(obj: PolicyObject, _options: AnalysisOptions): AdapterResult {
  return compileClusterScopedPolicy(obj, DIALECT);
}

/**
 * One `protocols` entry: exactly one of `tcp`/`udp`/`sctp` (with a required `destinationPort`
 * holding exactly one of `number` or `range` with start < end) or `destinationNamedPort`.
 */
function compileProtocolEntry(item: unknown, path: string, ctx: ValidationContext): PortMatch | undefined {
  const entry = readItem(item, path, ctx);
  const one = entry && readUnion(entry, ['tcp', 'udp', 'sctp', 'destinationNamedPort'], path, ctx);
  if (one === undefined) return undefined;
  const fieldPath = childPath(path, one.key);
  if (one.key === 'destinationNamedPort') return compileNamedPort(one.value, fieldPath, ctx);
  const protocol = PROTOCOL_FIELDS[one.key];
  const body = readObject(one.value, fieldPath, ctx);
  if (body === undefined) return undefined;
  const portPath = childPath(fieldPath, 'destinationPort');
  // site-src/api-overview.md says an omitted destinationPort matches every port, but the CRD
  // gives tcp/udp/sctp `minProperties: 1`, so the API server rejects `tcp: {}` (§1.6). We follow
  // the CRD, as NPEP-187 does.
  const hint = `the CRD rejects ${one.key}: {} — to match every ${protocol} port write destinationPort: {range: {start: 1, end: 65535}}`;
  if (!requirePresent(body['destinationPort'], portPath, ctx, hint)) return undefined;
  const port = readObject(body['destinationPort'], portPath, ctx);
  const which = port && readUnion(port, ['number', 'range'], portPath, ctx);
  if (which === undefined) return undefined;
  if (which.key === 'number') {
    const n = readPortNumber(which.value, childPath(portPath, 'number'), ctx);
    return n === undefined ? undefined : portRange(protocol, n, n);
  }
  const range = readPortRange(which.value, childPath(portPath, 'range'), ctx, false);
  return range && portRange(protocol, range.start, range.end);
}
