/**
 * netpol-analyzer's `{ingress-controller}` source: Ingress and Route objects name Services,
 * Services select workloads, and the ingress controller reaches those workloads on the
 * Services' target ports (TCP) wherever policies let an arbitrary in-cluster pod in.
 */
import type { Endpoint } from '../engine/endpoints.js';
import { nodesByName, podEndpoint } from '../engine/endpoints.js';
import type { Issue } from '../errors.js';
import {
  type PortInterval,
  type PortSet,
  NO_PORTS,
  isEmptyPortSet,
  normalizeIntervals,
  subtractPortSets,
} from '../model/ports.js';
import type { IngressBackend, Pod, Service } from '../model/types.js';
import type { Session } from '../session.js';

/** How the synthetic source is printed. */
export const INGRESS_CONTROLLER_NAME = '{ingress-controller}';

/** The synthetic pod the verdicts are computed for: no labels, in a namespace of its own. */
const CONTROLLER_POD: Pod = {
  namespace: 'ingress-controller-ns',
  name: 'ingress-controller',
  labels: {},
  ips: [],
  ports: [],
  hostNetwork: false,
  replicas: 1,
  fromTemplate: false,
};

/** A workload as a target: its printed name and the pod that stands for it. */
export interface IngressTarget {
  readonly name: string;
  readonly endpoint: Extract<Endpoint, { kind: 'pod' }>;
}

/** A connection from the ingress controller to a workload. */
export interface IngressConnection {
  readonly target: IngressTarget;
  readonly ports: PortSet;
}

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/**
 * The pod ports a backend reaches: the `targetPort` (or `port`) of the Service port the backend
 * names (by Service port name, number or target port), or of every Service port when it names none.
 */
function accessPorts(service: Service, wanted: IngressBackend['port']): (number | string)[] {
  const access = service.ports.map((p) => p.targetPort ?? p.port);
  if (wanted === undefined) return access;
  const i = service.ports.findIndex(
    (p) => (p.name !== undefined && p.name === wanted) || p.port === wanted || p.targetPort === wanted,
  );
  return i < 0 ? [] : [access[i]!];
}

/** TCP ports of the target pod among the access ports (names resolved on its TCP container ports). */
function targetPorts(pod: Pod, access: readonly (number | string)[]): PortInterval[] {
  const out: PortInterval[] = [];
  for (const a of access) {
    // A name resolves to the first container port of that name, which must be TCP.
    const cp =
      typeof a === 'number'
        ? pod.ports.find((p) => p.port === a && p.protocol === 'TCP')
        : pod.ports.find((p) => p.name === a);
    if (cp !== undefined && cp.protocol === 'TCP') out.push([cp.port, cp.port]);
  }
  return out;
}

/**
 * Connections from the ingress controller to the workloads behind Ingress/Route backends,
 * intersected with what the policies allow from an arbitrary pod in a fresh namespace. Targets
 * whose connection is empty are left out with a warning.
 */
export function ingressConnections(
  session: Session,
  targets: readonly IngressTarget[],
): { connections: IngressConnection[]; issues: Issue[] } {
  const { cluster, analysis } = session;
  const issues: Issue[] = [];
  const warn = (code: string, message: string, object?: string): void => {
    issues.push({ severity: 'warning', code, message, ...(object !== undefined && { object }) });
  };
  const services = new Map<string, { service: Service; targets: IngressTarget[] }>();
  for (const s of cluster.services ?? []) {
    const ref = `Service ${s.namespace}/${s.name}`;
    if (s.selector === undefined) {
      warn('SERVICE_WITHOUT_SELECTOR', 'Service without a selector is not followed for Ingress/Route analysis', ref);
      continue;
    }
    const selector = s.selector;
    const selected = targets.filter(
      (t) => t.endpoint.pod.namespace === s.namespace && selects(selector, t.endpoint.pod.labels),
    );
    if (selected.length > 0) services.set(`${s.namespace}/${s.name}`, { service: s, targets: selected });
  }
  const wanted = new Map<string, { target: IngressTarget; ports: PortInterval[]; via: string }>();
  for (const ing of cluster.ingresses ?? []) {
    const ref = `${ing.kind} ${ing.namespace}/${ing.name}`;
    for (const b of ing.backends) {
      const entry = services.get(`${ing.namespace}/${b.service}`);
      if (entry === undefined) {
        if (!(cluster.services ?? []).some((s) => s.namespace === ing.namespace && s.name === b.service))
          warn('SERVICE_NOT_FOUND', `backend Service ${ing.namespace}/${b.service} not found; ignored`, ref);
        continue;
      }
      const access = accessPorts(entry.service, b.port);
      for (const t of entry.targets) {
        const w = wanted.get(t.name) ?? { target: t, ports: [], via: ref };
        w.ports.push(...targetPorts(t.endpoint.pod, access));
        wanted.set(t.name, w);
      }
    }
  }
  if (wanted.size === 0) return { connections: [], issues };
  const controller = podEndpoint(cluster, CONTROLLER_POD, nodesByName(cluster));
  const connections: IngressConnection[] = [];
  for (const w of wanted.values()) {
    if (w.ports.length === 0) {
      warn(
        'INGRESS_NO_PORT',
        `backend ${w.target.name} declares no TCP container port for the Service target port`,
        w.via,
      );
      continue;
    }
    const wantedPorts: PortSet = { ...NO_PORTS, TCP: normalizeIntervals(w.ports) };
    // wanted ∩ allowed = wanted \ (wanted \ allowed)
    const ports = subtractPortSets(
      wantedPorts,
      subtractPortSets(wantedPorts, analysis.portsBetween(controller, w.target.endpoint)),
    );
    if (isEmptyPortSet(ports)) {
      warn(
        'INGRESS_BLOCKED',
        `backend ${w.target.name} is not reachable: policies block ingress to it from an arbitrary in-cluster pod`,
        w.via,
      );
      continue;
    }
    connections.push({ target: w.target, ports });
  }
  return { connections, issues };
}
