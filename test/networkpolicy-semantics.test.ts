/**
 * Hand-written tests for every NetworkPolicy v1 rule (docs/semantics.md), end to end:
 * manifests in, verdicts out, through the loader, the adapter, the class engine and the
 * reference evaluator (checkFlow fails if the two disagree).
 */
import { checkFlow } from '@netreach/core';
import { describe, expect, it } from 'vitest';
import { docs, namespace, netpol, pod, sessionFrom, verdict } from './helpers/cluster.js';

const base = [
  namespace('a', { team: 'red' }),
  namespace('b', { team: 'blue' }),
  pod('a', 'web', { app: 'web' }, '10.0.0.1', [{ name: 'http', containerPort: 8080 }]),
  pod('a', 'client', { app: 'client' }, '10.0.0.2'),
  pod('b', 'client', { app: 'client' }, '10.0.1.2'),
  pod('b', 'other', { app: 'other' }, '10.0.1.3', [{ name: 'http', containerPort: 9090 }]),
];

describe('isolation and policyTypes', () => {
  it('no policy: everything allowed', () => {
    const s = sessionFrom(docs(...base));
    expect(verdict(s, 'b/client', 'a/web', 1234, 'UDP')).toBe('allow');
  });

  it('policyTypes defaults to Ingress only when egress is absent', () => {
    const s = sessionFrom(docs(...base, netpol('a', 'p', { podSelector: {} })));
    expect(verdict(s, 'b/client', 'a/web', 80)).toBe('deny');
    expect(verdict(s, 'a/web', 'b/client', 80)).toBe('allow');
  });

  it('a non-empty egress list adds Egress to the default policyTypes', () => {
    const s = sessionFrom(
      docs(...base, netpol('a', 'p', { podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] })),
    );
    // Egress to own-namespace pods is allowed by the rule...
    expect(checkFlow(s, { from: 'a/web', to: 'a/client', port: 80 }).explanation.egress.allowed).toBe(true);
    // ...but the same policy also isolates ingress (no ingress rules), so the flow is denied.
    expect(verdict(s, 'a/web', 'a/client', 80)).toBe('deny');
    expect(verdict(s, 'a/web', 'b/client', 80)).toBe('deny');
    expect(verdict(s, 'b/client', 'a/web', 80)).toBe('deny');
  });

  it('an explicit empty egress list does not add Egress', () => {
    const s = sessionFrom(docs(...base, netpol('a', 'p', { podSelector: {}, ingress: [{}], egress: [] })));
    expect(verdict(s, 'a/web', 'b/client', 80)).toBe('allow');
    expect(verdict(s, 'b/client', 'a/web', 80)).toBe('allow');
  });

  it('policyTypes [Egress] with no rules denies all egress only', () => {
    const s = sessionFrom(docs(...base, netpol('a', 'p', { podSelector: {}, policyTypes: ['Egress'] })));
    expect(verdict(s, 'a/web', 'b/client', 80)).toBe('deny');
    expect(verdict(s, 'b/client', 'a/web', 80)).toBe('allow');
  });

  it('ingress: [{}] allows everything; union across policies', () => {
    const s = sessionFrom(
      docs(
        ...base,
        netpol('a', 'deny', { podSelector: {} }),
        netpol('a', 'open', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }),
      ),
    );
    expect(verdict(s, 'b/client', 'a/web', 1, 'SCTP')).toBe('allow');
    expect(verdict(s, 'b/client', 'a/client', 80)).toBe('deny');
  });

  it('a pod can always reach itself', () => {
    const s = sessionFrom(docs(...base, netpol('a', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })));
    expect(verdict(s, 'a/web', 'a/web', 8080)).toBe('allow');
    expect(verdict(s, 'a/web', 'a/client', 8080)).toBe('deny');
  });
});

describe('peers', () => {
  it('podSelector alone selects pods in the policy namespace only', () => {
    const s = sessionFrom(
      docs(
        ...base,
        netpol('a', 'p', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }],
        }),
      ),
    );
    expect(verdict(s, 'a/client', 'a/web', 80)).toBe('allow');
    expect(verdict(s, 'b/client', 'a/web', 80)).toBe('deny');
  });

  it('namespaceSelector alone selects every pod of matching namespaces; {} selects all namespaces', () => {
    const s = sessionFrom(
      docs(
        ...base,
        netpol('a', 'p', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }] }],
        }),
      ),
    );
    expect(verdict(s, 'b/other', 'a/web', 80)).toBe('allow');
    expect(verdict(s, 'a/client', 'a/web', 80)).toBe('deny');
    const all = sessionFrom(
      docs(...base, netpol('a', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })),
    );
    expect(verdict(all, 'b/other', 'a/web', 80)).toBe('allow');
    expect(verdict(all, '192.0.2.1', 'a/web', 80)).toBe('deny');
  });

  it('namespaceSelector AND podSelector in one peer vs OR across peers', () => {
    const and = sessionFrom(
      docs(
        ...base,
        netpol('a', 'p', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { team: 'blue' } },
                  podSelector: { matchLabels: { app: 'client' } },
                },
              ],
            },
          ],
        }),
      ),
    );
    expect(verdict(and, 'b/client', 'a/web', 80)).toBe('allow');
    expect(verdict(and, 'b/other', 'a/web', 80)).toBe('deny');
    expect(verdict(and, 'a/client', 'a/web', 80)).toBe('deny');
    const or = sessionFrom(
      docs(
        ...base,
        netpol('a', 'p', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [
            {
              from: [
                { namespaceSelector: { matchLabels: { team: 'blue' } } },
                { podSelector: { matchLabels: { app: 'client' } } },
              ],
            },
          ],
        }),
      ),
    );
    expect(verdict(or, 'b/other', 'a/web', 80)).toBe('allow');
    expect(verdict(or, 'a/client', 'a/web', 80)).toBe('allow');
  });

  it('matchExpressions In / NotIn / Exists / DoesNotExist', () => {
    const s = sessionFrom(
      docs(
        ...base,
        netpol('a', 'p', {
          podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['red'] }] },
                  podSelector: {
                    matchExpressions: [
                      { key: 'app', operator: 'Exists' },
                      { key: 'tier', operator: 'DoesNotExist' },
                    ],
                  },
                },
              ],
            },
          ],
        }),
      ),
    );
    expect(verdict(s, 'b/client', 'a/web', 80)).toBe('allow');
    expect(verdict(s, 'a/client', 'a/web', 80)).toBe('deny');
  });

  it('ipBlock with except, and the ipBlockMatchesPods option', () => {
    const yaml = docs(
      ...base,
      netpol('a', 'p', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] } }] }],
      }),
    );
    const s = sessionFrom(yaml);
    expect(verdict(s, 'a/client', 'a/web', 80)).toBe('allow'); // 10.0.0.2
    expect(verdict(s, 'b/client', 'a/web', 80)).toBe('deny'); // 10.0.1.2 is excepted
    expect(verdict(s, '10.0.200.1', 'a/web', 80)).toBe('allow');
    expect(verdict(s, '10.1.0.1', 'a/web', 80)).toBe('deny');
    const noPods = sessionFrom(yaml, { ipBlockMatchesPods: false });
    expect(verdict(noPods, 'a/client', 'a/web', 80)).toBe('deny');
    expect(verdict(noPods, '10.0.200.1', 'a/web', 80)).toBe('allow');
  });
});

describe('ports', () => {
  const withPorts = (ports: unknown[]): string =>
    docs(...base, netpol('a', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports }] }));

  it('protocol defaults to TCP', () => {
    const s = sessionFrom(withPorts([{ port: 8080 }]));
    expect(verdict(s, 'b/client', 'a/web', 8080, 'TCP')).toBe('allow');
    expect(verdict(s, 'b/client', 'a/web', 8080, 'UDP')).toBe('deny');
  });

  it('UDP and SCTP, and a protocol without a port matches all its ports', () => {
    const s = sessionFrom(withPorts([{ protocol: 'UDP', port: 53 }, { protocol: 'SCTP' }]));
    expect(verdict(s, 'b/client', 'a/web', 53, 'UDP')).toBe('allow');
    expect(verdict(s, 'b/client', 'a/web', 53, 'TCP')).toBe('deny');
    expect(verdict(s, 'b/client', 'a/web', 40000, 'SCTP')).toBe('allow');
  });

  it('endPort ranges are inclusive', () => {
    const s = sessionFrom(withPorts([{ port: 32000, endPort: 32768 }]));
    expect(verdict(s, 'b/client', 'a/web', 31999)).toBe('deny');
    expect(verdict(s, 'b/client', 'a/web', 32000)).toBe('allow');
    expect(verdict(s, 'b/client', 'a/web', 32768)).toBe('allow');
    expect(verdict(s, 'b/client', 'a/web', 32769)).toBe('deny');
  });

  it('named ports resolve on the destination pod, for ingress and egress', () => {
    const ing = sessionFrom(withPorts([{ port: 'http' }]));
    expect(verdict(ing, 'b/client', 'a/web', 8080)).toBe('allow');
    expect(verdict(ing, 'b/client', 'a/web', 9090)).toBe('deny');
    const eg = sessionFrom(
      docs(
        ...base,
        netpol('a', 'p', {
          podSelector: { matchLabels: { app: 'client' } },
          policyTypes: ['Egress'],
          egress: [{ ports: [{ port: 'http' }] }],
        }),
      ),
    );
    expect(verdict(eg, 'a/client', 'a/web', 8080)).toBe('allow');
    expect(verdict(eg, 'a/client', 'b/other', 9090)).toBe('allow');
    expect(verdict(eg, 'a/client', 'b/other', 8080)).toBe('deny');
    // A named port can never match an address outside the pods: nothing to resolve it on.
    expect(verdict(eg, 'a/client', '192.0.2.1', 8080)).toBe('deny');
  });
});

describe('both sides must allow', () => {
  it('egress at the source AND ingress at the destination', () => {
    const s = sessionFrom(
      docs(
        ...base,
        netpol('a', 'egress-only-web', {
          podSelector: { matchLabels: { app: 'client' } },
          policyTypes: ['Egress'],
          egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
        }),
        netpol('a', 'web-from-b', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }] }],
        }),
      ),
    );
    // Egress allows a/client -> a/web, but a/web's ingress only admits namespace b.
    expect(verdict(s, 'a/client', 'a/web', 80)).toBe('deny');
    expect(verdict(s, 'b/client', 'a/web', 80)).toBe('allow');
    expect(verdict(s, 'a/client', 'b/client', 80)).toBe('deny');
  });
});

describe('host-network pods', () => {
  const hostPods = [
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', labels: {} },
      status: { addresses: [{ type: 'InternalIP', address: '192.168.0.10' }] },
    }),
    pod('a', 'agent', { app: 'agent' }, '192.168.0.10', [], { hostNetwork: true, nodeName: 'n1' }),
  ];

  it('are node-IP traffic by default: not selected by pod selectors, matched by ipBlock', () => {
    const yaml = docs(
      ...base,
      ...hostPods,
      netpol('a', 'p', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'agent' } } }] }],
      }),
      netpol('a', 'q', {
        podSelector: { matchLabels: { app: 'client' } },
        ingress: [{ from: [{ ipBlock: { cidr: '192.168.0.0/24' } }] }],
      }),
    );
    const s = sessionFrom(yaml, { nodeLocalIngress: false });
    expect(verdict(s, 'a/agent', 'a/web', 80)).toBe('deny');
    expect(verdict(s, 'a/agent', 'a/client', 80)).toBe('allow');
    const asPods = sessionFrom(yaml, { nodeLocalIngress: false, hostNetworkPods: 'pod' });
    expect(verdict(asPods, 'a/agent', 'a/web', 80)).toBe('allow');
  });

  it("ingress from the pod's own node is always allowed unless disabled", () => {
    const yaml = docs(
      namespace('a'),
      pod('a', 'web', { app: 'web' }, '10.0.0.1', [], { nodeName: 'n1' }),
      ...hostPods,
      netpol('a', 'deny', { podSelector: { matchLabels: { app: 'web' } } }),
    );
    expect(verdict(sessionFrom(yaml), 'a/agent', 'a/web', 10250)).toBe('allow');
    expect(verdict(sessionFrom(yaml), 'node/n1', 'a/web', 10250)).toBe('allow');
    expect(verdict(sessionFrom(yaml, { nodeLocalIngress: false }), 'node/n1', 'a/web', 10250)).toBe('deny');
  });
});
