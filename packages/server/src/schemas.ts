/**
 * JSON schemas of the API. The routes validate request bodies with them (Fastify's ajv) and
 * /openapi.json is generated from the very same objects, so the two cannot drift apart.
 * Each named schema is listed in {@link NAMED_SCHEMAS}; the OpenAPI generator turns every
 * nested use of one of these objects into a `$ref` to `#/components/schemas/<name>`.
 */

/** A JSON schema (the subset of draft-07 / 2020-12 used here). */
export type JsonSchema = { readonly [key: string]: unknown };

/** Most flows accepted in one check request. */
export const MAX_FLOWS = 10_000;

export const Manifests: JsonSchema = {
  description:
    'Kubernetes manifests: YAML or JSON text (several documents separated by `---`, `List` objects), ' +
    'or an array of Kubernetes objects (each reported as document i of file `request`).',
  anyOf: [
    { type: 'string', description: 'YAML or JSON text.' },
    { type: 'array', items: { type: 'object' }, description: 'Kubernetes objects.' },
  ],
};

export const AnalysisOptions: JsonSchema = {
  type: 'object',
  description: 'Analysis switches (docs/options.md); every field is optional.',
  additionalProperties: false,
  properties: {
    ipBlockMatchesPods: {
      type: 'boolean',
      description: 'Whether NetworkPolicy ipBlock matches pod IPs (default true).',
    },
    hostNetworkPods: {
      type: 'string',
      enum: ['node', 'pod'],
      description: 'How NetworkPolicy treats host-network pods (default node).',
    },
    nodeLocalIngress: {
      type: 'boolean',
      description: "Always allow ingress from a pod's own node (default true).",
    },
    domainIps: {
      type: 'object',
      description: 'Domain name to IP addresses, for ClusterNetworkPolicy domainNames.',
      additionalProperties: { type: 'array', items: { type: 'string' } },
    },
  },
};

export const Protocol: JsonSchema = { type: 'string', enum: ['TCP', 'UDP', 'SCTP'] };

export const Flow: JsonSchema = {
  type: 'object',
  description: 'A flow to check.',
  required: ['from', 'to', 'port'],
  additionalProperties: false,
  properties: {
    from: {
      type: 'string',
      minLength: 1,
      description: 'Source: namespace/pod, namespace/workload, node/<name>, an IP address or a domain name.',
    },
    to: { type: 'string', minLength: 1, description: 'Destination, same forms as from.' },
    port: {
      description: 'Port number, or a named port declared by the destination pod.',
      anyOf: [
        { type: 'integer', minimum: 1, maximum: 65535 },
        { type: 'string', minLength: 1 },
      ],
    },
    protocol: { ...Protocol, description: 'Default TCP (for a named port: the protocol it is declared with).' },
  },
};

/** A request body: an object with these fields and no others. */
function body(required: readonly string[], properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', required, additionalProperties: false, properties };
}

export const CheckRequest: JsonSchema = body(['manifests', 'flows'], {
  manifests: Manifests,
  flows: { type: 'array', items: Flow, maxItems: MAX_FLOWS },
  options: AnalysisOptions,
});

export const MatrixRequest: JsonSchema = body(['manifests'], {
  manifests: Manifests,
  options: AnalysisOptions,
  namespaces: {
    type: 'array',
    items: { type: 'string', minLength: 1 },
    description: 'Only pods in these namespaces (like `matrix --namespace`).',
  },
  podsOnly: {
    type: 'boolean',
    description: 'Leave out nodes, external addresses and domains (like `matrix --pods-only`).',
  },
});

const PortSetJson: JsonSchema = {
  description: '`"all"`, or the allowed ports per protocol, e.g. `{"TCP": "80,8000-8080"}`.',
  anyOf: [
    { type: 'string', enum: ['all'] },
    { type: 'object', additionalProperties: { type: 'string' } },
  ],
};

/** Allowed ports from one endpoint to another (matrix and snapshot JSON). */
const Connection: JsonSchema = {
  type: 'object',
  required: ['from', 'to', 'ports'],
  properties: { from: { type: 'string' }, to: { type: 'string' }, ports: PortSetJson },
};

export const DiffRequest: JsonSchema = body(['before', 'after'], {
  before: Manifests,
  after: Manifests,
  options: AnalysisOptions,
  explain: {
    type: 'boolean',
    description: 'Explain one representative port of each change, before and after (default true).',
  },
});

export const SnapshotRequest: JsonSchema = body(['manifests'], { manifests: Manifests, options: AnalysisOptions });

export const Snapshot: JsonSchema = {
  type: 'object',
  description:
    'A reachability snapshot: every endpoint and the allowed ports between them (connections between ' +
    'a named endpoint and an address range included).',
  required: ['netreachSnapshot', 'endpoints', 'connections'],
  properties: {
    netreachSnapshot: { type: 'integer', enum: [1], description: 'Snapshot format version.' },
    endpoints: { type: 'array', items: { type: 'string' } },
    connections: { type: 'array', items: Connection },
  },
};

export const AuditRequest: JsonSchema = body(['manifests', 'snapshot'], {
  manifests: Manifests,
  snapshot: {
    description: 'A snapshot taken earlier (`POST /v1/snapshot`): the object, or its JSON text.',
    anyOf: [{ type: 'string' }, { type: 'object' }],
  },
  options: AnalysisOptions,
});

export const Issue: JsonSchema = {
  type: 'object',
  description: 'A problem found in the input.',
  required: ['severity', 'code', 'message'],
  properties: {
    severity: { type: 'string', enum: ['error', 'warning'] },
    code: { type: 'string', description: 'Stable machine-readable code, e.g. INVALID_CIDR.' },
    message: { type: 'string' },
    file: {
      type: 'string',
      description:
        '`request` for `manifests`; `request.before`, `request.after` in a diff; `request.snapshot` in an audit.',
    },
    document: { type: 'integer', description: '0-based document index (array index for object manifests).' },
    object: { type: 'string', description: 'Object reference such as `NetworkPolicy default/deny-all`.' },
    path: { type: 'string', description: 'Field path in the object, e.g. `spec.ingress[0].from[1].ipBlock.cidr`.' },
  },
};

export const Warnings: JsonSchema = {
  type: 'array',
  items: Issue,
  description: 'Warnings about the input (what the CLI prints on stderr).',
};

export const ErrorResponse: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable machine-readable code, e.g. INVALID_BODY.' },
        message: { type: 'string', description: 'One line, for people.' },
        field: { type: 'string', description: 'The request body field at fault, e.g. `flows[0].port`.' },
        issues: { type: 'array', items: Issue, description: 'The problems found in the manifests.' },
      },
    },
  },
};

const SideVerdict: JsonSchema = {
  type: 'object',
  description: 'Verdict and tier trace of one side (egress at the source, ingress at the destination).',
  required: ['direction', 'endpoint', 'allowed', 'reason', 'tiers', 'summary'],
  properties: {
    direction: { type: 'string', enum: ['ingress', 'egress'] },
    endpoint: { type: 'string' },
    allowed: { type: 'boolean' },
    reason: { type: 'string', enum: ['not-a-pod', 'self', 'node-local', 'tier', 'default'] },
    tiers: { type: 'array', items: { type: 'object' } },
    summary: { type: 'string' },
  },
};

export const FlowResult: JsonSchema = {
  type: 'object',
  description: 'One checked flow: exactly an element of `netreach check --flows <file> --output json`.',
  required: ['from', 'to', 'port', 'protocol', 'verdict', 'explanation', 'resolved'],
  properties: {
    from: { type: 'string' },
    to: { type: 'string' },
    port: { type: 'integer' },
    protocol: Protocol,
    verdict: { type: 'string', enum: ['allow', 'deny'] },
    explanation: {
      type: 'object',
      required: ['summary', 'egress', 'ingress'],
      properties: { summary: { type: 'string' }, egress: SideVerdict, ingress: SideVerdict },
    },
    resolved: {
      type: 'object',
      required: ['from', 'to'],
      properties: { from: { type: 'string' }, to: { type: 'string' } },
    },
  },
};

export const CheckResponse: JsonSchema = {
  type: 'object',
  required: ['results', 'warnings'],
  properties: {
    results: { type: 'array', items: FlowResult, description: 'One result per flow, in request order.' },
    warnings: Warnings,
  },
};

export const MatrixResponse: JsonSchema = {
  type: 'object',
  description: 'The matrix JSON of docs/matrix-json.md (as `netreach matrix -o json`), plus warnings.',
  required: ['version', 'endpoints', 'connections', 'warnings'],
  properties: {
    version: { type: 'integer' },
    endpoints: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'kind', 'class'],
        properties: {
          id: { type: 'string' },
          kind: { type: 'string', enum: ['pod', 'node', 'external', 'domain'] },
          namespace: { type: 'string' },
          name: { type: 'string' },
          workload: { type: 'string' },
          replicas: { type: 'integer' },
          hostNetwork: { type: 'boolean' },
          class: { type: 'integer' },
        },
      },
    },
    connections: { type: 'array', items: Connection },
    warnings: Warnings,
  },
};

const FlowVerdict: JsonSchema = {
  type: 'object',
  description: 'A flow with both sides explained.',
  required: ['from', 'to', 'protocol', 'port', 'allowed', 'egress', 'ingress'],
  properties: {
    from: { type: 'string' },
    to: { type: 'string' },
    protocol: Protocol,
    port: { type: 'integer' },
    allowed: { type: 'boolean' },
    egress: SideVerdict,
    ingress: SideVerdict,
  },
};

const ChangeRow: JsonSchema = {
  type: 'object',
  description: 'A pair whose allowed ports changed, with one representative port explained.',
  required: ['from', 'to', 'ports'],
  properties: {
    from: { type: 'string', description: 'namespace/name, node/<name>, an address, an address range or a domain.' },
    to: { type: 'string' },
    ports: { ...PortSetJson, description: 'The ports that changed.' },
    example: {
      type: 'object',
      description:
        'One representative port: the verdicts `before` and `after` the change in a diff (null for a row ' +
        'between the replicas of a workload that had a single replica), the current one (`now`) in an audit.',
      required: ['protocol', 'port'],
      properties: {
        protocol: Protocol,
        port: { type: 'integer' },
        before: { anyOf: [FlowVerdict, { type: 'null' }] },
        after: { anyOf: [FlowVerdict, { type: 'null' }] },
        now: FlowVerdict,
      },
    },
  },
};

const EndpointList: JsonSchema = { type: 'array', items: { type: 'string' } };

/** A diff or audit answer: its format version, `identical`, two lists of changed pairs, endpoint changes, warnings. */
function changeReport(
  description: string,
  head: Record<string, JsonSchema>,
  lists: Record<string, string>,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    ...head,
    identical: { type: 'boolean', description: 'No flow changed and no endpoint appeared or disappeared.' },
    ...Object.fromEntries(
      Object.entries(lists).map(([k, d]) => [k, { type: 'array', items: ChangeRow, description: d }]),
    ),
    endpointsAdded: EndpointList,
    endpointsRemoved: EndpointList,
    warnings: Warnings,
  };
  return { type: 'object', description, required: Object.keys(properties), properties };
}

export const DiffResponse: JsonSchema = changeReport(
  'What changed in reachability from `before` to `after`: exactly what `netreach diff -o json` prints, plus warnings.',
  { netreachDiff: { type: 'integer', enum: [1], description: 'Format version.' } },
  { gained: 'Pairs with ports allowed after but not before.', lost: 'Pairs with ports allowed before but not after.' },
);

export const AuditResponse: JsonSchema = changeReport(
  'How the reachability of the manifests differs from the snapshot: exactly what `netreach audit -o json` ' +
    'prints (with `snapshot` set to `request.snapshot`), plus warnings.',
  {
    netreachAudit: { type: 'integer', enum: [1], description: 'Format version.' },
    snapshot: { type: 'string', description: 'Where the snapshot came from: `request.snapshot`.' },
  },
  { newlyAllowed: 'Allowed now, not in the snapshot.', newlyDenied: 'In the snapshot, denied now.' },
);

export const SnapshotResponse: JsonSchema = {
  type: 'object',
  required: ['snapshot', 'warnings'],
  properties: { snapshot: Snapshot, warnings: Warnings },
};

export const HealthResponse: JsonSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] } },
};

export const OpenApiResponse: JsonSchema = { type: 'object', description: 'This OpenAPI 3.1 document.' };

/** Schemas given a name under `components.schemas` in the OpenAPI document. */
export const NAMED_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Manifests,
  AnalysisOptions,
  Protocol,
  Flow,
  CheckRequest,
  MatrixRequest,
  DiffRequest,
  SnapshotRequest,
  Snapshot,
  AuditRequest,
  Issue,
  ErrorResponse,
  SideVerdict,
  FlowResult,
  CheckResponse,
  PortSetJson,
  Connection,
  MatrixResponse,
  FlowVerdict,
  ChangeRow,
  DiffResponse,
  AuditResponse,
  SnapshotResponse,
  HealthResponse,
};
