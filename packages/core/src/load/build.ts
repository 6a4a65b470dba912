import type { Issue, IssueSeverity } from '../errors.js';
import { flat } from '../model/flat.js';
import { parseIp } from '../model/ip.js';
import { sameContainerPorts } from '../model/ports.js';
import type {
  Cluster,
  ContainerPort,
  IngressBackend,
  IngressObject,
  Labels,
  Namespace,
  Node,
  PolicyObject,
  Pod,
  Protocol,
  Service,
  ServicePort,
  SourceRef,
  WorkloadRef,
} from '../model/types.js';
import { parseManifests } from './parse.js';
import type { RawObject } from './parse.js';

/** The cluster model built from raw objects, and the problems found building it. */
export interface BuildResult {
  readonly cluster: Cluster;
  readonly issues: Issue[];
}

/** The label every namespace carries, set to its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

type Role = 'namespace' | 'pod' | 'workload' | 'node' | 'policy' | 'service' | 'ingress';

interface KindInfo {
  /** API groups the kind may come from (`''` is the core group, apiVersion `v1`). */
  readonly groups: readonly string[];
  readonly role: Role;
  readonly namespaced: boolean;
}

const POLICY_GROUP = 'policy.networking.k8s.io';

/** The kinds with a role in analysis. Anything else is skipped with one aggregated warning. */
const KINDS: ReadonlyMap<string, KindInfo> = new Map<string, KindInfo>([
  ['Namespace', { groups: [''], role: 'namespace', namespaced: false }],
  ['Node', { groups: [''], role: 'node', namespaced: false }],
  ['Pod', { groups: [''], role: 'pod', namespaced: true }],
  ['ReplicationController', { groups: [''], role: 'workload', namespaced: true }],
  ['Deployment', { groups: ['apps', 'extensions'], role: 'workload', namespaced: true }],
  ['StatefulSet', { groups: ['apps'], role: 'workload', namespaced: true }],
  ['DaemonSet', { groups: ['apps', 'extensions'], role: 'workload', namespaced: true }],
  ['ReplicaSet', { groups: ['apps', 'extensions'], role: 'workload', namespaced: true }],
  ['Job', { groups: ['batch'], role: 'workload', namespaced: true }],
  ['CronJob', { groups: ['batch'], role: 'workload', namespaced: true }],
  ['NetworkPolicy', { groups: ['networking.k8s.io'], role: 'policy', namespaced: true }],
  ['AdminNetworkPolicy', { groups: [POLICY_GROUP], role: 'policy', namespaced: false }],
  ['BaselineAdminNetworkPolicy', { groups: [POLICY_GROUP], role: 'policy', namespaced: false }],
  ['ClusterNetworkPolicy', { groups: [POLICY_GROUP], role: 'policy', namespaced: false }],
  // Services, Ingresses and Routes do not change verdicts; they tell which pods an ingress
  // controller is meant to reach (compat: netpol-analyzer's `{ingress-controller}`).
  ['Service', { groups: [''], role: 'service', namespaced: true }],
  ['Ingress', { groups: ['networking.k8s.io'], role: 'ingress', namespaced: true }],
  ['Route', { groups: ['route.openshift.io'], role: 'ingress', namespaced: true }],
]);

/** Where a workload keeps its pod template, and which field counts its pods. */
const WORKLOAD_SHAPES: ReadonlyMap<string, { template: readonly string[]; replicas?: string }> = new Map([
  ['Deployment', { template: ['spec', 'template'], replicas: 'replicas' }],
  ['StatefulSet', { template: ['spec', 'template'], replicas: 'replicas' }],
  ['ReplicaSet', { template: ['spec', 'template'], replicas: 'replicas' }],
  ['ReplicationController', { template: ['spec', 'template'], replicas: 'replicas' }],
  ['DaemonSet', { template: ['spec', 'template'] }],
  ['Job', { template: ['spec', 'template'], replicas: 'parallelism' }],
  ['CronJob', { template: ['spec', 'jobTemplate', 'spec', 'template'] }],
]);

const PROTOCOL_SET: ReadonlySet<string> = new Set<Protocol>(['TCP', 'UDP', 'SCTP']);

/** Reports issues about one object, with its file, document, reference and path prefix. */
class Reporter {
  object: string | undefined;
  constructor(
    private readonly issues: Issue[],
    private readonly raw: RawObject,
  ) {}

  report(severity: IssueSeverity, code: string, path: string, message: string): void {
    const prefix = this.raw.pathPrefix;
    const fullPath = prefix === undefined || prefix === '' ? path : path === '' ? prefix : `${prefix}.${path}`;
    this.issues.push({
      severity,
      code,
      message,
      file: this.raw.source.file,
      document: this.raw.source.document,
      object: this.object,
      path: fullPath,
    });
  }

  error(code: string, path: string, message: string): void {
    this.report('error', code, path, message);
  }

  invalid(path: string, message: string): void {
    this.report('error', 'INVALID_FIELD', path, message);
  }
}

/**
 * An accepted object, for duplicate messages: where it came from (the message text is worked
 * out only for a duplicate; the raw object itself is not kept, so it can be collected).
 */
interface Seen {
  readonly kind: string;
  readonly source: SourceRef;
  readonly pathPrefix: string | undefined;
}

class Builder {
  readonly issues: Issue[] = [];
  private readonly namespaces = new Map<string, Namespace>();
  private readonly referencedNamespaces = new Set<string>();
  private readonly pods: Pod[] = [];
  private readonly nodes: Node[] = [];
  private readonly policies: PolicyObject[] = [];
  private readonly services: Service[] = [];
  private readonly ingresses: IngressObject[] = [];
  private readonly seen = new Map<string, Seen>();
  private readonly skipped = new Map<string, number>();

  add(raw: RawObject): void {
    const r = new Reporter(this.issues, raw);
    const obj: unknown = raw.obj;
    if (!isRecord(obj)) {
      r.error('NOT_A_MAPPING', '', 'object is not a mapping');
      return;
    }
    const kind = own(obj, 'kind');
    const apiVersion = own(obj, 'apiVersion');
    if (typeof kind !== 'string' || kind === '') {
      r.error('MISSING_KIND', 'kind', 'object has no kind');
      return;
    }
    r.object = kind;
    if (typeof apiVersion !== 'string' || apiVersion === '') {
      r.error('MISSING_KIND', 'apiVersion', `${kind} has no apiVersion`);
      return;
    }
    const info = KINDS.get(kind);
    if (info === undefined) {
      this.skipped.set(kind, (this.skipped.get(kind) ?? 0) + 1);
      return;
    }
    const group = apiGroup(apiVersion);
    if (!info.groups.includes(group)) {
      const expected = info.groups.map((g) => (g === '' ? 'v1' : `${g}/…`)).join(' or ');
      r.report(
        'warning',
        'API_VERSION_MISMATCH',
        'apiVersion',
        `${kind} with apiVersion ${apiVersion} is not the Kubernetes ${kind} (expected ${expected}); skipped`,
      );
      return;
    }

    const metadata = own(obj, 'metadata');
    if (metadata !== undefined && metadata !== null && !isRecord(metadata)) {
      r.invalid('metadata', 'metadata must be a mapping');
      return;
    }
    const name = metadata === undefined || metadata === null ? undefined : own(metadata, 'name');
    if (typeof name !== 'string' || name === '') {
      r.error('MISSING_NAME', 'metadata.name', `${kind} has no name (metadata.name must be a non-empty string)`);
      return;
    }
    const meta = metadata as Record<string, unknown>;
    let namespace: string | undefined;
    if (info.namespaced) {
      const ns = own(meta, 'namespace');
      if (ns === undefined || ns === null || ns === '') namespace = 'default';
      else if (typeof ns === 'string') namespace = ns;
      else {
        r.object = `${kind} ${name}`;
        r.invalid('metadata.namespace', 'metadata.namespace must be a string');
        return;
      }
    }
    r.object = namespace === undefined ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
    const ctx: ObjectContext = { raw, r, obj, kind, apiVersion, name, namespace, metadata: meta };

    switch (info.role) {
      case 'namespace':
        this.addNamespace(ctx);
        break;
      case 'node':
        this.addNode(ctx);
        break;
      case 'pod':
        this.addPod(ctx);
        break;
      case 'workload':
        this.addWorkload(ctx);
        break;
      case 'policy':
        this.addPolicy(ctx);
        break;
      case 'service':
        this.addService(ctx);
        break;
      case 'ingress':
        this.addIngress(ctx);
        break;
    }
  }

  private addNamespace(c: ObjectContext): void {
    const labels = readLabels(c.r, own(c.metadata, 'labels'), 'metadata.labels');
    if (!this.claim(`Namespace\0${c.name}`, c)) return;
    this.namespaces.set(c.name, {
      name: c.name,
      labels: withLabel(labels, NAMESPACE_NAME_LABEL, c.name),
      implicit: false,
      source: sourceOf(c.raw),
    });
  }

  private addNode(c: ObjectContext): void {
    const labels = readLabels(c.r, own(c.metadata, 'labels'), 'metadata.labels');
    const addresses: string[] = [];
    const status = own(c.obj, 'status');
    if (status !== undefined && status !== null) {
      if (!isRecord(status)) c.r.invalid('status', 'status must be a mapping');
      else {
        forEachItem(c.r, own(status, 'addresses'), 'status.addresses', (item, path) => {
          const address = own(item, 'address');
          if (address === undefined || address === null) return;
          if (typeof address !== 'string') {
            c.r.invalid(`${path}.address`, 'address must be a string');
            return;
          }
          // Host names and other non-IP addresses are not used.
          if (parseIp(address) !== undefined && !addresses.includes(address)) addresses.push(address);
        });
      }
    }
    if (!this.claim(`Node\0${c.name}`, c)) return;
    this.nodes.push({ name: c.name, labels, addresses, source: sourceOf(c.raw) });
  }

  private addPod(c: ObjectContext): void {
    const namespace = c.namespace ?? 'default';
    const labels = readLabels(c.r, own(c.metadata, 'labels'), 'metadata.labels');
    const spec = readPodSpec(c.r, own(c.obj, 'spec'), 'spec');
    const ips = readPodIps(c.r, own(c.obj, 'status'));
    const workload = readController(c.r, own(c.metadata, 'ownerReferences'));
    if (!this.claimPod(namespace, c)) return;
    // Replicas come one after another and are alike: share the previous pod's labels, ports and
    // owner when equal (the model is immutable), so the model keeps one copy instead of one per
    // pod (fewer long-lived objects for the garbage collector to copy while loading).
    const prev = this.pods.length > 0 ? this.pods[this.pods.length - 1]! : undefined;
    const alike = prev !== undefined && prev.namespace === namespace;
    this.pods.push({
      namespace,
      name: c.name,
      labels: alike && sameLabels(prev.labels, labels) ? prev.labels : labels,
      ips,
      ports: alike && sameContainerPorts(prev.ports, spec.ports) ? prev.ports : spec.ports,
      hostNetwork: spec.hostNetwork,
      nodeName: spec.nodeName,
      workload:
        alike && prev.workload !== undefined && workload !== undefined && sameOwner(prev.workload, workload)
          ? prev.workload
          : workload,
      replicas: 1,
      fromTemplate: false,
      source: sourceOf(c.raw),
    });
  }

  private addWorkload(c: ObjectContext): void {
    const namespace = c.namespace ?? 'default';
    const shape = WORKLOAD_SHAPES.get(c.kind);
    if (shape === undefined) return;
    // Walk to the pod template, reporting the first missing or misshapen level.
    let node: Record<string, unknown> = c.obj;
    let path = '';
    for (const key of shape.template) {
      path = path === '' ? key : `${path}.${key}`;
      const next = own(node, key);
      if (!isRecord(next)) {
        c.r.invalid(
          path,
          next === undefined || next === null ? `${c.kind} has no ${path}` : `${path} must be a mapping`,
        );
        return;
      }
      node = next;
    }
    const template = node;
    const templatePath = path;
    let labels: Labels = {};
    const templateMeta = own(template, 'metadata');
    if (templateMeta !== undefined && templateMeta !== null) {
      if (!isRecord(templateMeta)) c.r.invalid(`${templatePath}.metadata`, 'metadata must be a mapping');
      else labels = readLabels(c.r, own(templateMeta, 'labels'), `${templatePath}.metadata.labels`);
    }
    const spec = readPodSpec(c.r, own(template, 'spec'), `${templatePath}.spec`);
    let replicas = 1;
    if (shape.replicas !== undefined) {
      const workloadSpec = own(c.obj, 'spec') as Record<string, unknown>;
      const value = own(workloadSpec, shape.replicas);
      if (value !== undefined && value !== null) {
        if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) replicas = value;
        else c.r.invalid(`spec.${shape.replicas}`, `spec.${shape.replicas} must be a non-negative integer`);
      }
    }
    const workload: WorkloadRef = { kind: c.kind, name: c.name };
    if (!this.claimPod(namespace, c)) return;
    this.pods.push({
      namespace,
      name: c.name,
      labels,
      ips: [],
      ports: spec.ports,
      hostNetwork: spec.hostNetwork,
      nodeName: spec.nodeName,
      workload,
      replicas,
      fromTemplate: true,
      source: sourceOf(c.raw),
    });
  }

  private addPolicy(c: ObjectContext): void {
    const spec = own(c.obj, 'spec');
    if (!isRecord(spec)) {
      c.r.invalid('spec', spec === undefined || spec === null ? `${c.kind} has no spec` : 'spec must be a mapping');
      return;
    }
    const key = `${c.kind}\0${c.namespace ?? ''}\0${c.name}`;
    if (!this.claim(key, c)) return;
    // Spread copies own properties as data (a `__proto__` key stays an ordinary property).
    const { namespace: _ignored, ...rest } = c.metadata;
    const metadata: PolicyObject['metadata'] =
      c.namespace === undefined ? { ...rest, name: c.name } : { ...rest, name: c.name, namespace: c.namespace };
    if (c.namespace !== undefined) this.referencedNamespaces.add(c.namespace);
    this.policies.push({ apiVersion: c.apiVersion, kind: c.kind, metadata, spec, source: sourceOf(c.raw) });
  }

  private addService(c: ObjectContext): void {
    const namespace = c.namespace ?? 'default';
    const spec = own(c.obj, 'spec');
    let selector: Labels | undefined;
    const ports: ServicePort[] = [];
    if (isRecord(spec)) {
      const sel = own(spec, 'selector');
      if (sel !== undefined && sel !== null) selector = readLabels(c.r, sel, 'spec.selector');
      forEachItem(c.r, own(spec, 'ports'), 'spec.ports', (item, path) => {
        const port = readServicePort(c.r, item, path);
        if (port !== undefined) ports.push(port);
      });
    } else if (spec !== undefined && spec !== null) c.r.invalid('spec', 'spec must be a mapping');
    if (!this.claim(`Service\0${namespace}\0${c.name}`, c)) return;
    this.services.push({ namespace, name: c.name, selector, ports, source: sourceOf(c.raw) });
  }

  private addIngress(c: ObjectContext): void {
    const namespace = c.namespace ?? 'default';
    const spec = own(c.obj, 'spec');
    if (!isRecord(spec)) {
      c.r.invalid('spec', spec === undefined || spec === null ? `${c.kind} has no spec` : 'spec must be a mapping');
      return;
    }
    const backends = c.kind === 'Route' ? readRouteBackends(c.r, spec) : readIngressBackends(c.r, spec);
    if (!this.claim(`${c.kind}\0${namespace}\0${c.name}`, c)) return;
    const kind = c.kind === 'Route' ? 'Route' : 'Ingress';
    this.ingresses.push({ kind, namespace, name: c.name, backends, source: sourceOf(c.raw) });
  }

  /** Register a pod name (Pods and workload pods share one name space per namespace). */
  private claimPod(namespace: string, c: ObjectContext): boolean {
    const key = `pod\0${namespace}\0${c.name}`;
    const previous = this.seen.get(key);
    if (previous !== undefined && previous.kind !== c.kind) {
      c.r.error(
        'DUPLICATE_OBJECT',
        '',
        `pod ${namespace}/${c.name} is defined twice: by ${previous.kind} ${namespace}/${c.name} in ${whereOf(previous)} and by ${c.kind} ${namespace}/${c.name} in ${whereOf(c.raw)}`,
      );
      return false;
    }
    if (!this.claim(key, c, previous)) return false;
    this.referencedNamespaces.add(namespace);
    return true;
  }

  /**
   * Register an object under `key`; report a duplicate and return false when taken.
   * `previous`: what is registered under `key`, when the caller has looked it up already.
   */
  private claim(key: string, c: ObjectContext, previous = this.seen.get(key)): boolean {
    if (previous !== undefined) {
      c.r.error(
        'DUPLICATE_OBJECT',
        '',
        `${c.r.object ?? c.kind} is defined twice: ${whereOf(previous)} and ${whereOf(c.raw)}`,
      );
      return false;
    }
    // Kept until the model is built: flat, not a tree of pieces (see model/flat.ts).
    this.seen.set(flat(key), { kind: c.kind, source: c.raw.source, pathPrefix: c.raw.pathPrefix });
    return true;
  }

  finish(): BuildResult {
    for (const ns of this.referencedNamespaces) {
      if (!this.namespaces.has(ns)) {
        this.namespaces.set(ns, { name: ns, labels: { [NAMESPACE_NAME_LABEL]: ns }, implicit: true });
      }
    }
    const namespaces: Record<string, Namespace> = Object.fromEntries(
      [...this.namespaces.entries()].sort(([a], [b]) => compare(a, b)),
    );
    const pods = [...this.pods].sort((a, b) => compare(a.namespace, b.namespace) || compare(a.name, b.name));
    const nodes = [...this.nodes].sort((a, b) => compare(a.name, b.name));
    if (this.skipped.size > 0) {
      const kinds = [...this.skipped.entries()].sort(([a], [b]) => compare(a, b));
      const total = kinds.reduce((sum, [, n]) => sum + n, 0);
      this.issues.push({
        severity: 'warning',
        code: 'SKIPPED_KINDS',
        message: `skipped ${total} object${total === 1 ? '' : 's'} of kinds not used in analysis: ${kinds
          .map(([k, n]) => `${k} (${n})`)
          .join(', ')}`,
      });
    }
    const byRef = <T extends { namespace: string; name: string }>(a: T, b: T): number =>
      compare(a.namespace, b.namespace) || compare(a.name, b.name);
    const cluster: Cluster = { namespaces, pods, nodes, externals: [], policies: [...this.policies] };
    // Optional model fields, present only when such objects were read.
    const services = [...this.services].sort(byRef);
    const ingresses = [...this.ingresses].sort((a, b) => compare(a.kind, b.kind) || byRef(a, b));
    return {
      cluster: {
        ...cluster,
        ...(services.length > 0 && { services }),
        ...(ingresses.length > 0 && { ingresses }),
      },
      issues: this.issues,
    };
  }
}

interface ObjectContext {
  readonly raw: RawObject;
  readonly r: Reporter;
  readonly obj: Record<string, unknown>;
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  /** Set for namespaced kinds (defaulted to `default`). */
  readonly namespace: string | undefined;
  readonly metadata: Record<string, unknown>;
}

/**
 * Build the cluster model from raw objects: namespaces (declared, and implicit ones for
 * namespaces used by pods and NetworkPolicies), pods (Pod objects and one representative pod
 * per workload), nodes and policy objects. Never throws: problems are returned as issues.
 */
export function buildCluster(objects: readonly RawObject[]): BuildResult {
  const builder = new Builder();
  for (const raw of objects) addObject(builder, raw);
  return builder.finish();
}

/**
 * Parse manifest files and build the cluster model in one pass: the same cluster and the same
 * issues in the same order (every file's parse issues, then the build issues) as
 * {@link parseManifests} on each file followed by {@link buildCluster} on all objects, but each
 * file's raw objects are built as soon as the file is read, so they can be garbage collected
 * young instead of all being kept until the end (a large share of the time on big inputs).
 */
export function loadCluster(sources: readonly { readonly name: string; readonly text: string }[]): BuildResult {
  const builder = new Builder();
  const issues: Issue[] = [];
  for (const source of sources) {
    const parsed = parseManifests(source.text, source.name);
    for (const issue of parsed.issues) issues.push(issue);
    for (const raw of parsed.objects) addObject(builder, raw);
  }
  const built = builder.finish();
  for (const issue of built.issues) issues.push(issue);
  return { cluster: built.cluster, issues };
}

function addObject(builder: Builder, raw: RawObject): void {
  try {
    builder.add(raw);
  } catch (e) {
    // Defensive: input shapes are checked field by field, so this indicates a bug.
    builder.issues.push({
      severity: 'error',
      code: 'INTERNAL_ERROR',
      message: `cannot read object: ${e instanceof Error ? e.message : String(e)}`,
      file: raw.source.file,
      document: raw.source.document,
      path: raw.pathPrefix,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Field readers: each reports misshapen input as INVALID_FIELD with the exact path.

interface PodSpecInfo {
  readonly ports: ContainerPort[];
  readonly hostNetwork: boolean;
  readonly nodeName: string | undefined;
}

function readPodSpec(r: Reporter, spec: unknown, path: string): PodSpecInfo {
  const info: { ports: ContainerPort[]; hostNetwork: boolean; nodeName: string | undefined } = {
    ports: [],
    hostNetwork: false,
    nodeName: undefined,
  };
  if (spec === undefined || spec === null) return info;
  if (!isRecord(spec)) {
    r.invalid(path, `${path} must be a mapping`);
    return info;
  }
  forEachItem(r, own(spec, 'containers'), `${path}.containers`, (container, containerPath) => {
    forEachItem(r, own(container, 'ports'), `${containerPath}.ports`, (port, portPath) => {
      const parsed = readContainerPort(r, port, portPath);
      if (parsed !== undefined) info.ports.push(parsed);
    });
  });
  const hostNetwork = own(spec, 'hostNetwork');
  if (typeof hostNetwork === 'boolean') info.hostNetwork = hostNetwork;
  else if (hostNetwork !== undefined && hostNetwork !== null) {
    r.invalid(`${path}.hostNetwork`, 'hostNetwork must be true or false');
  }
  const nodeName = own(spec, 'nodeName');
  if (typeof nodeName === 'string') {
    if (nodeName !== '') info.nodeName = nodeName;
  } else if (nodeName !== undefined && nodeName !== null) {
    r.invalid(`${path}.nodeName`, 'nodeName must be a string');
  }
  // Kept in the model: sized exactly (an array grown by `push` keeps room for 17 elements).
  if (info.ports.length > 0) info.ports = info.ports.slice();
  return info;
}

function readContainerPort(r: Reporter, port: Record<string, unknown>, path: string): ContainerPort | undefined {
  let ok = true;
  const number = own(port, 'containerPort');
  if (number === undefined || number === null) {
    // Required by the API, but netpol-analyzer (Go, case-insensitive JSON fields) reads
    // e.g. `containerport`; a port that cannot be read is ignored rather than fatal.
    r.report('warning', 'MISSING_CONTAINER_PORT', `${path}.containerPort`, 'port has no containerPort; ignored');
    ok = false;
  } else if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 65535) {
    r.invalid(`${path}.containerPort`, 'containerPort must be an integer from 1 to 65535');
    ok = false;
  }
  let protocol: Protocol = 'TCP';
  const proto = own(port, 'protocol');
  if (typeof proto === 'string' && PROTOCOL_SET.has(proto)) protocol = proto as Protocol;
  else if (proto !== undefined && proto !== null) {
    r.invalid(`${path}.protocol`, 'protocol must be TCP, UDP or SCTP');
    ok = false;
  }
  const name = own(port, 'name');
  if (name !== undefined && name !== null && typeof name !== 'string') {
    r.invalid(`${path}.name`, 'port name must be a string');
    ok = false;
  }
  if (!ok) return undefined;
  const result: ContainerPort =
    typeof name === 'string' && name !== ''
      ? { name, port: number as number, protocol }
      : { port: number as number, protocol };
  return result;
}

function readPodIps(r: Reporter, status: unknown): string[] {
  const ips: string[] = [];
  if (status === undefined || status === null) return ips;
  if (!isRecord(status)) {
    r.invalid('status', 'status must be a mapping');
    return ips;
  }
  const addIp = (value: unknown, path: string): void => {
    if (value === undefined || value === null || value === '') return;
    if (typeof value !== 'string') {
      r.invalid(path, 'IP address must be a string');
      return;
    }
    if (parseIp(value) === undefined) {
      r.error('INVALID_IP', path, `invalid IP address "${value}"`);
      return;
    }
    if (!ips.includes(value)) ips.push(value);
  };
  forEachItem(r, own(status, 'podIPs'), 'status.podIPs', (item, path) => addIp(own(item, 'ip'), `${path}.ip`));
  if (ips.length === 0) addIp(own(status, 'podIP'), 'status.podIP');
  return ips.slice(); // kept in the model: sized exactly (see readPodSpec)
}

function readController(r: Reporter, refs: unknown): WorkloadRef | undefined {
  let workload: WorkloadRef | undefined;
  forEachItem(r, refs, 'metadata.ownerReferences', (ref, path) => {
    if (workload !== undefined || own(ref, 'controller') !== true) return;
    const kind = own(ref, 'kind');
    const name = own(ref, 'name');
    if (typeof name !== 'string' || name === '') {
      r.invalid(`${path}.name`, 'owner name must be a non-empty string');
      return;
    }
    if (kind === undefined || kind === null || kind === '') {
      // netpol-analyzer groups such pods under the owner name, shown as kind Pod.
      r.report('warning', 'MISSING_OWNER_KIND', `${path}.kind`, `controller ${name} has no kind; taken as Pod`);
      workload = { kind: 'Pod', name };
      return;
    }
    if (typeof kind !== 'string') {
      r.invalid(`${path}.kind`, 'owner kind must be a string');
      return;
    }
    workload = { kind, name };
  });
  return workload;
}

/** A Service port: `port` (required), `name`, `targetPort` (number or name), `protocol`. */
function readServicePort(r: Reporter, item: Record<string, unknown>, path: string): ServicePort | undefined {
  const port = own(item, 'port');
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    r.invalid(`${path}.port`, 'port must be an integer from 1 to 65535');
    return undefined;
  }
  let protocol: Protocol = 'TCP';
  const proto = own(item, 'protocol');
  if (typeof proto === 'string' && PROTOCOL_SET.has(proto)) protocol = proto as Protocol;
  else if (proto !== undefined && proto !== null) {
    r.invalid(`${path}.protocol`, 'protocol must be TCP, UDP or SCTP');
    return undefined;
  }
  const name = own(item, 'name');
  if (name !== undefined && name !== null && typeof name !== 'string') {
    r.invalid(`${path}.name`, 'port name must be a string');
    return undefined;
  }
  const targetPort = readIntOrString(r, own(item, 'targetPort'), `${path}.targetPort`);
  if (targetPort === null) return undefined;
  return {
    ...(typeof name === 'string' && name !== '' && { name }),
    port,
    ...(targetPort !== undefined && { targetPort }),
    protocol,
  };
}

/** An int-or-string field: undefined when absent, null (reported) when neither. */
function readIntOrString(r: Reporter, value: unknown, path: string): number | string | undefined | null {
  if (value === undefined || value === null || value === '' || value === 0) return undefined;
  if (
    typeof value === 'string' ||
    (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 65535)
  )
    return value;
  r.invalid(path, 'must be a port number from 1 to 65535 or a port name');
  return null;
}

/** An Ingress backend `{service: {name, port: {name | number}}}`; other backends are skipped. */
function readIngressServiceBackend(r: Reporter, value: unknown, path: string): IngressBackend | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    r.invalid(path, `${path} must be a mapping`);
    return undefined;
  }
  const service = own(value, 'service');
  if (!isRecord(service)) {
    r.report('warning', 'UNSUPPORTED_BACKEND', path, 'backend without a service (e.g. a resource backend); ignored');
    return undefined;
  }
  const name = own(service, 'name');
  if (typeof name !== 'string' || name === '') {
    r.invalid(`${path}.service.name`, 'service name must be a non-empty string');
    return undefined;
  }
  const port = own(service, 'port');
  let chosen: number | string | undefined | null;
  if (isRecord(port)) {
    const portName = own(port, 'name');
    chosen =
      typeof portName === 'string' && portName !== ''
        ? portName
        : readIntOrString(r, own(port, 'number'), `${path}.service.port.number`);
  } else if (port !== undefined && port !== null) {
    r.invalid(`${path}.service.port`, 'service port must be a mapping with name or number');
    return undefined;
  }
  if (chosen === null) return undefined;
  return chosen === undefined ? { service: name } : { service: name, port: chosen };
}

/** networking.k8s.io/v1 Ingress: the default backend and every rule path's backend. */
function readIngressBackends(r: Reporter, spec: Record<string, unknown>): IngressBackend[] {
  const out: IngressBackend[] = [];
  const first = readIngressServiceBackend(r, own(spec, 'defaultBackend'), 'spec.defaultBackend');
  if (first !== undefined) out.push(first);
  forEachItem(r, own(spec, 'rules'), 'spec.rules', (rule, rulePath) => {
    const http = own(rule, 'http');
    if (http === undefined || http === null) return;
    if (!isRecord(http)) {
      r.invalid(`${rulePath}.http`, 'http must be a mapping');
      return;
    }
    forEachItem(r, own(http, 'paths'), `${rulePath}.http.paths`, (p, pathPath) => {
      const b = readIngressServiceBackend(r, own(p, 'backend'), `${pathPath}.backend`);
      if (b !== undefined) out.push(b);
    });
  });
  return out;
}

/** OpenShift Route: `spec.to` and `spec.alternateBackends` (kind Service), on `spec.port.targetPort`. */
function readRouteBackends(r: Reporter, spec: Record<string, unknown>): IngressBackend[] {
  let port: number | string | undefined | null;
  const specPort = own(spec, 'port');
  if (isRecord(specPort)) port = readIntOrString(r, own(specPort, 'targetPort'), 'spec.port.targetPort');
  else if (specPort !== undefined && specPort !== null) r.invalid('spec.port', 'spec.port must be a mapping');
  const out: IngressBackend[] = [];
  const target = (value: Record<string, unknown>, path: string): void => {
    const kind = own(value, 'kind');
    if (kind !== undefined && kind !== null && kind !== '' && kind !== 'Service') {
      r.report(
        'warning',
        'UNSUPPORTED_BACKEND',
        `${path}.kind`,
        `backend kind ${String(kind)} is not a Service; ignored`,
      );
      return;
    }
    const name = own(value, 'name');
    if (typeof name !== 'string' || name === '') {
      r.invalid(`${path}.name`, 'backend name must be a non-empty string');
      return;
    }
    out.push(port === undefined || port === null ? { service: name } : { service: name, port });
  };
  const to = own(spec, 'to');
  if (isRecord(to)) target(to, 'spec.to');
  else r.invalid('spec.to', to === undefined || to === null ? 'Route has no spec.to' : 'spec.to must be a mapping');
  forEachItem(r, own(spec, 'alternateBackends'), 'spec.alternateBackends', target);
  return out;
}

/** Labels: a mapping of strings (a null value counts as the empty string, as in the API). */
function readLabels(r: Reporter, value: unknown, path: string): Labels {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    r.invalid(path, `${path} must be a mapping of strings`);
    return {};
  }
  const labels: Record<string, string> = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (typeof v === 'string' || v === null) {
      const text = v ?? '';
      // A `__proto__` label is defined as an own property, never set as the prototype.
      if (key === '__proto__') {
        Object.defineProperty(labels, key, { value: text, enumerable: true, writable: true, configurable: true });
      } else labels[key] = text;
    } else {
      const hint = typeof v === 'number' || typeof v === 'boolean' ? ` (quote it in YAML: "${String(v)}")` : '';
      r.invalid(fieldPath(path, key), `label value must be a string, not ${describeType(v)}${hint}`);
    }
  }
  return labels;
}

/** Whether two label sets are equal, keys in the same order (so that sharing one changes nothing). */
function sameLabels(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i] || a[ka[i]!] !== b[kb[i]!]) return false;
  return true;
}

function sameOwner(a: WorkloadRef, b: WorkloadRef): boolean {
  return a.kind === b.kind && a.name === b.name;
}

/** Visit the mappings of an optional list field, reporting non-lists and non-mapping items. */
function forEachItem(
  r: Reporter,
  value: unknown,
  path: string,
  visit: (item: Record<string, unknown>, itemPath: string) => void,
): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    r.invalid(path, `${path} must be a list`);
    return;
  }
  value.forEach((item: unknown, i) => {
    const itemPath = `${path}[${i}]`;
    if (!isRecord(item)) r.invalid(itemPath, `${itemPath} must be a mapping`);
    else visit(item, itemPath);
  });
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property (never one inherited from a prototype). */
function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function apiGroup(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function withLabel(labels: Labels, key: string, value: string): Labels {
  return Object.fromEntries([...Object.entries(labels).filter(([k]) => k !== key), [key, value]]);
}

function sourceOf(raw: RawObject): SourceRef {
  return { file: raw.source.file, document: raw.source.document };
}

function whereOf(raw: { readonly source: SourceRef; readonly pathPrefix?: string | undefined }): string {
  const item = raw.pathPrefix === undefined || raw.pathPrefix === '' ? '' : `, ${raw.pathPrefix}`;
  return `${raw.source.file} (document ${raw.source.document + 1}${item})`;
}

/** `base.key`, or `base["key"]` when the key is not a plain identifier. */
function fieldPath(base: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
