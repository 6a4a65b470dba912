/**
 * Replays the network-policy-api conformance suite (cases.ts) against netreach: loads the
 * upstream fixtures from `../shared`, builds the topology the Go suite creates at run time
 * (StatefulSet replicas as pods, nodes, host-network pods on node IPs) and applies the setup
 * mutations to the loaded objects with plain immutable updates.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Cluster,
  type Node,
  type Pod,
  type PolicyObject,
  type Session,
  analyzeCluster,
  formatIssue,
  hasErrors,
  loadManifests,
  NetreachError,
} from '@netreach/core';
import {
  type Assertion,
  type ConformanceCase,
  type Direction,
  type Mutation,
  type PolicyRef,
  HOST_NETWORK_PORT_START,
  NAMESPACE_PREFIX,
} from './cases.js';

export type ApiVersion = 'v1alpha1' | 'v1alpha2';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The upstream fixtures, next to the repository (never copied into it). */
export const CORPUS_DIR = path.resolve(REPO_ROOT, '../shared/corpus/network-policy-api');

/** `<corpus>/<version>/conformance/base`. */
export function baseDir(version: ApiVersion): string {
  return path.join(CORPUS_DIR, version, 'conformance', 'base');
}

/** `gryffindor/harry-potter-0` → `network-policy-conformance-gryffindor/harry-potter-0`. */
export function podId(ref: string): string {
  return `${NAMESPACE_PREFIX}${ref}`;
}

/** The port number of an assertion (`hostPort[i]` = 34345 + i). */
export function portNumber(a: Assertion): number {
  return typeof a.port === 'number' ? a.port : HOST_NETWORK_PORT_START + a.port.hostPort;
}

/** Render the Go template placeholders of the fixtures: `{{ index .HostNetworkPorts i }}`. */
export function renderTemplate(text: string, file: string): string {
  const out = text.replace(/\{\{\s*index\s+\.HostNetworkPorts\s+(\d+)\s*\}\}/g, (_, i: string) =>
    String(HOST_NETWORK_PORT_START + Number(i)),
  );
  const left = /\{\{[^}]*\}\}/.exec(out);
  if (left !== null) throw new Error(`${file}: unsupported template ${left[0]}`);
  return out;
}

/** Two linux worker nodes, dual-stack, as a kind cluster has them. */
export const NODES: readonly Node[] = [1, 2].map((i) => ({
  name: `conformance-worker${i === 1 ? '' : i}`,
  labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': `conformance-worker${i === 1 ? '' : i}` },
  addresses: [`172.18.0.${i + 1}`, `fc00:f853:ccd:e793::${i + 1}`],
}));

/**
 * The pods the suite's StatefulSets create. The loader stands for a workload with one pod made
 * from its template; here each StatefulSet becomes its replicas `<name>-0`, `<name>-1`, … with the
 * template's labels and container ports, spread over the nodes. Pod-network pods get their own
 * IPv4 and IPv6 addresses; host-network pods (centaur) take their node's addresses.
 */
export function materialiseTopology(cluster: Cluster): Cluster {
  const namespaces = Object.keys(cluster.namespaces).sort();
  const pods: Pod[] = [];
  for (const pod of cluster.pods) {
    if (!pod.fromTemplate || pod.workload?.kind !== 'StatefulSet') {
      pods.push(pod);
      continue;
    }
    const subnet = namespaces.indexOf(pod.namespace) + 1;
    for (let i = 0; i < pod.replicas; i++) {
      const node = NODES[i % NODES.length]!;
      const name = `${pod.workload.name}-${i}`;
      pods.push({
        ...pod,
        name,
        labels: { ...pod.labels, 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': `${i}` },
        ips: pod.hostNetwork ? node.addresses : [`10.244.${subnet}.${10 + i}`, `fd00:10:244:${subnet}::${10 + i}`],
        nodeName: node.name,
        replicas: 1,
        fromTemplate: false,
      });
    }
  }
  return { ...cluster, pods, nodes: [...cluster.nodes, ...NODES] };
}

/** Load `manifests.yaml` and the test's policy files, and build the run-time topology. */
export function loadCase(version: ApiVersion, c: ConformanceCase): Cluster {
  const dir = baseDir(version);
  const sources = ['manifests.yaml', ...c.manifests].map((file) => {
    const full = path.join(dir, file);
    return { name: `${version}/${file}`, text: renderTemplate(readFileSync(full, 'utf8'), full) };
  });
  const { cluster, issues } = loadManifests(sources);
  if (hasErrors(issues)) throw new Error(`${c.name}: cannot load manifests:\n${issues.map(formatIssue).join('\n')}`);
  return materialiseTopology(cluster);
}

/** Compile and analyse; policy errors are reported with every issue. */
export function analyse(cluster: Cluster): Session {
  try {
    return analyzeCluster(cluster);
  } catch (e) {
    if (e instanceof NetreachError) throw new Error(`${e.message}:\n${e.issues.map(formatIssue).join('\n')}`);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations: each returns a new cluster; the objects it was given are never changed.

type Spec = Readonly<Record<string, unknown>>;
type RawRule = Readonly<Record<string, unknown>>;

function describeRef(ref: PolicyRef): string {
  return ref.house !== undefined
    ? `${ref.kind} ${NAMESPACE_PREFIX}${ref.house}/${ref.name}`
    : `${ref.kind} ${ref.name}`;
}

function findPolicy(cluster: Cluster, ref: PolicyRef): number {
  const index = cluster.policies.findIndex(
    (p) =>
      p.kind === ref.kind &&
      p.metadata.name === ref.name &&
      (ref.house === undefined || p.metadata.namespace === `${NAMESPACE_PREFIX}${ref.house}`) &&
      (ref.tier === undefined || (p.spec as Spec)['tier'] === ref.tier),
  );
  if (index < 0) throw new Error(`mutation: no ${describeRef(ref)}${ref.tier ? ` in tier ${ref.tier}` : ''}`);
  return index;
}

function updateSpec(cluster: Cluster, ref: PolicyRef, update: (spec: Spec) => Spec): Cluster {
  const index = findPolicy(cluster, ref);
  const policies = cluster.policies.map((p, i): PolicyObject =>
    i === index ? { ...p, spec: update(p.spec as Spec) } : p,
  );
  return { ...cluster, policies };
}

function updateRules(
  cluster: Cluster,
  ref: PolicyRef,
  direction: Direction,
  update: (rules: RawRule[]) => RawRule[],
): Cluster {
  return updateSpec(cluster, ref, (spec) => {
    const rules = spec[direction];
    if (!Array.isArray(rules)) throw new Error(`mutation: ${describeRef(ref)} has no ${direction} rules`);
    return { ...spec, [direction]: update([...(rules as RawRule[])]) };
  });
}

function ruleAt(rules: RawRule[], i: number, ref: PolicyRef, direction: Direction): RawRule {
  const rule = rules[i];
  if (rule === undefined) throw new Error(`mutation: ${describeRef(ref)} has no ${direction} rule ${i}`);
  return rule;
}

function podIps(cluster: Cluster, ref: string): string[] {
  const [house, name] = ref.split('/');
  const pod = cluster.pods.find((p) => p.namespace === `${NAMESPACE_PREFIX}${house}` && p.name === name);
  if (pod === undefined || pod.ips.length === 0) throw new Error(`mutation: no pod ${ref} with IPs`);
  return pod.ips.map((ip) => `${ip}${ip.includes(':') ? '/128' : '/32'}`);
}

/** Apply one mutation. */
export function applyMutation(cluster: Cluster, m: Mutation): Cluster {
  switch (m.op) {
    case 'swapRules':
      return updateRules(cluster, m.policy, m.direction, (rules) => {
        const a = ruleAt(rules, m.i, m.policy, m.direction);
        rules[m.i] = ruleAt(rules, m.j, m.policy, m.direction);
        rules[m.j] = a;
        return rules;
      });
    case 'setPorts':
      return updateRules(cluster, m.policy, m.direction, (rules) => {
        rules[m.rule] = { ...ruleAt(rules, m.rule, m.policy, m.direction), [m.field]: m.entries };
        return rules;
      });
    case 'setAction':
      return updateRules(cluster, m.policy, m.direction, (rules) => {
        rules[m.rule] = { ...ruleAt(rules, m.rule, m.policy, m.direction), action: m.action };
        return rules;
      });
    case 'setPriority':
      return updateSpec(cluster, m.policy, (spec) => ({ ...spec, priority: m.priority }));
    case 'deletePolicy': {
      const index = findPolicy(cluster, m.policy);
      return { ...cluster, policies: cluster.policies.filter((_, i) => i !== index) };
    }
    case 'relabelNamespace': {
      const name = `${NAMESPACE_PREFIX}${m.house}`;
      const ns = cluster.namespaces[name];
      if (ns === undefined) throw new Error(`mutation: no namespace ${name}`);
      return {
        ...cluster,
        namespaces: { ...cluster.namespaces, [name]: { ...ns, labels: { ...ns.labels, ...m.labels } } },
      };
    }
    case 'insertNetworksRule': {
      const networks = m.pods.flatMap((ref) => podIps(cluster, ref));
      const rule: RawRule = { name: m.name, action: m.action, to: [{ networks }] };
      return updateRules(cluster, m.policy, m.direction, (rules) => {
        rules.splice(m.index, 0, rule);
        return rules;
      });
    }
  }
}
