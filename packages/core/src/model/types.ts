/** Labels of a Kubernetes object. */
export type Labels = Readonly<Record<string, string>>;

/** L4 protocols that Kubernetes network policy covers. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** All protocols, in the order used for output. */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** Where an object came from: file and document index (0-based) within it. */
export interface SourceRef {
  readonly file: string;
  readonly document: number;
}

/** A namespace. `labels` always includes `kubernetes.io/metadata.name`. */
export interface Namespace {
  readonly name: string;
  readonly labels: Labels;
  /** True when no Namespace object was given and the namespace was implied by a pod. */
  readonly implicit: boolean;
  readonly source?: SourceRef | undefined;
}

/** A declared container port. */
export interface ContainerPort {
  readonly name?: string | undefined;
  readonly port: number;
  readonly protocol: Protocol;
}

/** The workload a pod belongs to (its controller, or the workload whose template made it). */
export interface WorkloadRef {
  readonly kind: string;
  readonly name: string;
}

/** A pod: either a Pod object or the representative pod of a workload template. */
export interface Pod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** Pod IPs (IPv4 and/or IPv6); may be empty for manifests without status. */
  readonly ips: readonly string[];
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  readonly nodeName?: string | undefined;
  /** Set when the pod stands for a workload template or has a controller owner. */
  readonly workload?: WorkloadRef | undefined;
  /** Number of replicas this representative pod stands for (1 for plain pods). */
  readonly replicas: number;
  /** True when this pod was made from a workload template rather than a Pod object. */
  readonly fromTemplate: boolean;
  readonly source?: SourceRef | undefined;
}

/** A node, with the IPs from `status.addresses`. */
export interface Node {
  readonly name: string;
  readonly labels: Labels;
  readonly addresses: readonly string[];
  readonly source?: SourceRef | undefined;
}

/** A named external endpoint (an IP address outside the pod network). */
export interface ExternalEndpoint {
  readonly name: string;
  readonly ip: string;
}

/** A policy object as written, with its kind and where it came from. */
export interface PolicyObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string | undefined; readonly [k: string]: unknown };
  readonly spec: unknown;
  readonly source?: SourceRef | undefined;
}

/** A port of a Service: `port`, and the pod port it forwards to (`targetPort`, a number or a name). */
export interface ServicePort {
  readonly name?: string | undefined;
  readonly port: number;
  /** Absent: the same number as `port`. */
  readonly targetPort?: number | string | undefined;
  readonly protocol: Protocol;
}

/** A Service, as far as it routes to pods (used to resolve Ingress and Route backends). */
export interface Service {
  readonly namespace: string;
  readonly name: string;
  /** `spec.selector`; undefined when the Service has none (its endpoints are managed by hand). */
  readonly selector?: Labels | undefined;
  readonly ports: readonly ServicePort[];
  readonly source?: SourceRef | undefined;
}

/** A backend of an Ingress or Route: a Service in its namespace and, optionally, which port. */
export interface IngressBackend {
  readonly service: string;
  /** Ingress: the Service port number or name; Route: `spec.port.targetPort`. Absent: every port. */
  readonly port?: number | string | undefined;
}

/** A networking.k8s.io/v1 Ingress or an OpenShift (route.openshift.io/v1) Route. */
export interface IngressObject {
  readonly kind: 'Ingress' | 'Route';
  readonly namespace: string;
  readonly name: string;
  /** Service backends (the default backend, rule paths, or a Route's `to` and alternate backends). */
  readonly backends: readonly IngressBackend[];
  readonly source?: SourceRef | undefined;
}

/**
 * The cluster model: immutable plain data (edit it with immer or the `edit` helpers).
 */
export interface Cluster {
  readonly namespaces: Readonly<Record<string, Namespace>>;
  readonly pods: readonly Pod[];
  readonly nodes: readonly Node[];
  readonly externals: readonly ExternalEndpoint[];
  readonly policies: readonly PolicyObject[];
  /** Services (optional: absent when none were read). */
  readonly services?: readonly Service[] | undefined;
  /** Ingress and Route objects (optional: absent when none were read). */
  readonly ingresses?: readonly IngressObject[] | undefined;
}

/** An empty cluster. */
export const EMPTY_CLUSTER: Cluster = { namespaces: {}, pods: [], nodes: [], externals: [], policies: [] };
