/**
 * The HTTP API against bad and hostile input, end to end on 127.0.0.1: size limits, schema
 * errors naming the field, YAML alias bombs, deep nesting, prototype poisoning, invalid
 * manifests, timeouts, and a main thread that stays responsive during heavy analyses.
 */
import { DEFAULT_BODY_LIMIT, type RunningServer, startServer } from '@netreach/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, client, heavyManifests, leaksInternals, shopObjects, shopText } from './server-helpers.js';

let server: RunningServer;
let api: ReturnType<typeof client>;
const BODY_LIMIT = 512 * 1024;

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, bodyLimit: BODY_LIMIT });
  api = client(server.url);
}, 180_000);
afterAll(async () => {
  await server?.close();
});

/** Every error answer: JSON, the error shape, no internals. */
function expectError(
  r: Answer,
  status: number,
  code: string,
): { code: string; message: string; field?: string; issues?: Record<string, unknown>[] } {
  expect(r.status, r.text).toBe(status);
  expect(r.contentType).toMatch(/^application\/json/);
  expect(r.json.error.code).toBe(code);
  expect(typeof r.json.error.message).toBe('string');
  expect(r.json.error.message).not.toContain('\n');
  expect(leaksInternals(r.text)).toBe(false);
  return r.json.error;
}

const FLOW = { from: 'shop/frontend', to: 'shop/backend', port: 8080 };

describe('body size', { timeout: 180_000 }, () => {
  it('answers 413 with a JSON error beyond the configured limit, and accepts bodies below it', async () => {
    const big = await api.post('/v1/check', { manifests: '#'.repeat(BODY_LIMIT + 10), flows: [] });
    expectError(big, 413, 'BODY_TOO_LARGE');
    const below = await api.post('/v1/check', { manifests: '#'.repeat(BODY_LIMIT - 1000), flows: [], bogus: 1 });
    expectError(below, 400, 'INVALID_BODY');
  });

  it('defaults to 5 MiB', async () => {
    expect(DEFAULT_BODY_LIMIT).toBe(5 * 1024 * 1024);
    const s = await startServer({ host: '127.0.0.1', port: 0, workers: 1 });
    try {
      const c = client(s.url);
      const over = await c.post('/v1/check', { manifests: '#'.repeat(DEFAULT_BODY_LIMIT), flows: [] });
      expectError(over, 413, 'BODY_TOO_LARGE');
      const under = await c.post('/v1/check', {
        manifests: '#'.repeat(DEFAULT_BODY_LIMIT - 4096),
        flows: [],
        bogus: 1,
      });
      expect(expectError(under, 400, 'INVALID_BODY').field).toBe('bogus');
    } finally {
      await s.close();
    }
  });
});

describe('schema validation', () => {
  const cases: [string, string, unknown, string | undefined][] = [
    ['/v1/check', 'missing manifests', { flows: [] }, 'manifests'],
    ['/v1/check', 'missing flows', { manifests: '' }, 'flows'],
    ['/v1/check', 'manifests of the wrong type', { manifests: 5, flows: [] }, 'manifests'],
    ['/v1/check', 'a manifest that is not an object', { manifests: [{}, 1], flows: [] }, 'manifests[1]'],
    ['/v1/check', 'port out of range', { manifests: '', flows: [FLOW, { ...FLOW, port: 70000 }] }, 'flows[1].port'],
    ['/v1/check', 'port zero', { manifests: '', flows: [{ ...FLOW, port: 0 }] }, 'flows[0].port'],
    ['/v1/check', 'fractional port', { manifests: '', flows: [{ ...FLOW, port: 80.5 }] }, 'flows[0].port'],
    ['/v1/check', 'unknown protocol', { manifests: '', flows: [{ ...FLOW, protocol: 'ICMP' }] }, 'flows[0].protocol'],
    ['/v1/check', 'empty endpoint', { manifests: '', flows: [{ ...FLOW, from: '' }] }, 'flows[0].from'],
    ['/v1/check', 'missing port', { manifests: '', flows: [{ from: 'a/b', to: 'c/d' }] }, 'flows[0].port'],
    ['/v1/check', 'unknown flow field', { manifests: '', flows: [{ ...FLOW, via: 'x' }] }, 'flows[0].via'],
    ['/v1/check', 'unknown top-level field', { manifests: '', flows: [], verbose: true }, 'verbose'],
    [
      '/v1/check',
      'bad option',
      { manifests: '', flows: [], options: { hostNetworkPods: 'x' } },
      'options.hostNetworkPods',
    ],
    [
      '/v1/check',
      'bad domain map',
      { manifests: '', flows: [], options: { domainIps: { a: 'x' } } },
      'options.domainIps.a',
    ],
    [
      '/v1/check',
      'options that are not booleans',
      { manifests: '', flows: [], options: { nodeLocalIngress: 'no' } },
      'options.nodeLocalIngress',
    ],
    ['/v1/check', 'a body that is not an object', [], undefined],
    ['/v1/matrix', 'namespaces of the wrong type', { manifests: '', namespaces: [5] }, 'namespaces[0]'],
    ['/v1/diff', 'missing after', { before: '' }, 'after'],
    ['/v1/snapshot', 'unknown field', { manifests: '', explain: true }, 'explain'],
    ['/v1/audit', 'snapshot of the wrong type', { manifests: '', snapshot: 5 }, 'snapshot'],
  ];
  it.each(cases)('%s: %s → 400 naming the field', async (path, _what, body, field) => {
    const e = expectError(await api.post(path, body), 400, 'INVALID_BODY');
    expect(e.field).toBe(field);
    expect(e.message.startsWith(field ?? 'request body')).toBe(true);
  });

  it('merges alternatives into one message', async () => {
    const e = expectError(await api.post('/v1/check', { manifests: 5, flows: [] }), 400, 'INVALID_BODY');
    expect(e.message).toBe('manifests: must be string or array');
  });

  it('rejects malformed JSON, empty bodies and other content types', async () => {
    expectError(await api.post('/v1/check', '{"manifests": "x", '), 400, 'INVALID_JSON');
    expectError(await api.post('/v1/check', ''), 400, 'EMPTY_BODY');
    expectError(
      await api.post('/v1/check', 'manifests: x', { 'content-type': 'text/plain' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });
});

describe('hostile manifests', () => {
  it('rejects a YAML alias bomb with 400, quickly', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: bomb }\ndata:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
    const started = Date.now();
    const e = expectError(await api.post('/v1/check', { manifests: bomb, flows: [FLOW] }), 400, 'UNPARSABLE_MANIFESTS');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(e.field).toBe('manifests');
    expect(e.issues!.map((i) => i.code)).toEqual([expect.stringMatching(/^(YAML_ALIAS_LIMIT|TOO_LARGE)$/)]);
    expect(e.issues![0]).toMatchObject({ file: 'request', document: 0 });
  });

  it('rejects deeply nested JSON bodies with 400 before parsing them', async () => {
    const depth = 200_000;
    const body = `{"manifests": [${'['.repeat(depth)}${']'.repeat(depth)}], "flows": []}`;
    const e = expectError(await api.post('/v1/check', body), 400, 'TOO_DEEP');
    expect(e.message).toContain('128');
    // Brackets inside strings do not count.
    const inString = await api.post('/v1/check', { manifests: '['.repeat(1000), flows: [], bogus: 1 });
    expectError(inString, 400, 'INVALID_BODY');
  });

  it('rejects deeply nested manifests text (YAML and JSON) and snapshots with 400', async () => {
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: deep }\ndata: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const y = expectError(await api.post('/v1/matrix', { manifests: yaml }), 400, 'UNPARSABLE_MANIFESTS');
    expect(y.issues![0]).toMatchObject({ code: 'TOO_DEEP', file: 'request' });
    const json = `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "deep"}, "data": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const j = expectError(await api.post('/v1/matrix', { manifests: json }), 400, 'UNPARSABLE_MANIFESTS');
    expect(j.issues![0]).toMatchObject({ code: 'TOO_DEEP', file: 'request' });
    const snapshot = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const s = expectError(await api.post('/v1/audit', { manifests: shopText(), snapshot }), 400, 'INVALID_SNAPSHOT');
    expect(s.field).toBe('snapshot');
  });

  it('makes __proto__ and constructor.prototype keys harmless', async () => {
    const objects = shopObjects();
    const manifests = JSON.stringify(objects).replace(
      /"metadata":\{/g,
      '"metadata":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},',
    );
    expect(manifests).toContain('__proto__');
    const body = `{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "manifests": ${manifests}, "flows": ${JSON.stringify([FLOW])}}`;
    const r = await api.post('/v1/check', body);
    expect(r.status, r.text).toBe(200);
    const plain = await api.post('/v1/check', { manifests: objects, flows: [FLOW] });
    expect(r.json.results).toEqual(plain.json.results);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    // In YAML text too: a __proto__ label is just a label.
    const yaml = shopText().replace(
      'labels: { app: frontend, tier: web }',
      'labels: { app: frontend, tier: web, __proto__: x }',
    );
    expect(yaml).toContain('__proto__');
    const y = await api.post('/v1/check', { manifests: yaml, flows: [FLOW] });
    expect(y.status, y.text).toBe(200);
    expect(y.json.results).toEqual(plain.json.results);
  });
});

describe('invalid manifests and flows', () => {
  const badPolicy = [
    'apiVersion: v1\nkind: Namespace\nmetadata: { name: a }',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p, namespace: a }\n' +
      'spec:\n  podSelector: {}\n  ingress: [ { from: [ { ipBlock: { cidr: 10.0.0.0/99 } } ] } ]',
  ];

  it('answers 422 with the issues (file, document, field) for an invalid policy', async () => {
    const e = expectError(
      await api.post('/v1/check', { manifests: badPolicy.join('\n---\n'), flows: [] }),
      422,
      'INVALID_POLICY',
    );
    expect(e.field).toBe('manifests');
    expect(e.issues!.length).toBeGreaterThan(0);
    expect(e.issues![0]).toMatchObject({
      severity: 'error',
      file: 'request',
      document: 1,
      object: 'NetworkPolicy a/p',
    });
    expect(e.issues![0]!['path']).toContain('ipBlock.cidr');
    expect(e.message).toContain('request (document 2)');
    // Objects: the document is the array index.
    const objects = await api.post('/v1/check', {
      manifests: shopObjects().concat([{ apiVersion: 'v1', kind: 'Pod' }]),
      flows: [],
    });
    const o = expectError(objects, 422, 'INVALID_MANIFESTS');
    expect(o.issues![0]).toMatchObject({ file: 'request', document: shopObjects().length, path: 'metadata.name' });
  });

  it('names before/after in diffs', async () => {
    const e = expectError(
      await api.post('/v1/diff', { before: shopText(), after: badPolicy.join('\n---\n') }),
      422,
      'INVALID_POLICY',
    );
    expect(e.field).toBe('after');
    expect(e.issues![0]).toMatchObject({ file: 'request.after', document: 1 });
  });

  it('answers 400 for unparsable YAML', async () => {
    const e = expectError(
      await api.post('/v1/check', { manifests: 'kind: [unclosed', flows: [] }),
      400,
      'UNPARSABLE_MANIFESTS',
    );
    expect(e.issues![0]).toMatchObject({ code: 'YAML_SYNTAX', file: 'request', document: 0 });
  });

  it('answers 422 naming the flow field for unknown endpoints, ports and namespaces', async () => {
    const manifests = shopText();
    const to = expectError(
      await api.post('/v1/check', { manifests, flows: [FLOW, { ...FLOW, to: 'shop/nope' }] }),
      422,
      'UNKNOWN_ENDPOINT',
    );
    expect(to.field).toBe('flows[1].to');
    expect(to.message).toBe('flows[1].to: no pod or workload "nope" in namespace "shop"');
    const from = expectError(
      await api.post('/v1/check', { manifests, flows: [{ ...FLOW, from: '%%' }] }),
      422,
      'UNKNOWN_ENDPOINT',
    );
    expect(from.field).toBe('flows[0].from');
    const port = expectError(
      await api.post('/v1/check', { manifests, flows: [{ ...FLOW, port: 'nope' }] }),
      422,
      'UNKNOWN_PORT',
    );
    expect(port.field).toBe('flows[0].port');
    const ns = expectError(
      await api.post('/v1/matrix', { manifests, namespaces: ['shop', 'ghost'] }),
      422,
      'UNKNOWN_NAMESPACE',
    );
    expect(ns.field).toBe('namespaces[1]');
  });

  it('answers 400 naming the field for an invalid snapshot', async () => {
    const snapshot = {
      netreachSnapshot: 1,
      endpoints: ['shop/frontend'],
      connections: [{ from: 'shop/frontend', to: 'x', ports: 'all' }],
    };
    const e = expectError(await api.post('/v1/audit', { manifests: shopText(), snapshot }), 400, 'INVALID_SNAPSHOT');
    expect(e.field).toBe('snapshot.connections[0].to');
    expect(e.issues![0]).toMatchObject({ file: 'request.snapshot', path: 'connections[0].to' });
    const text = expectError(
      await api.post('/v1/audit', { manifests: shopText(), snapshot: '{nope' }),
      400,
      'INVALID_SNAPSHOT',
    );
    expect(text.field).toBe('snapshot');
  });
});

describe('heavy analyses', { timeout: 180_000 }, () => {
  it('do not starve /healthz: it answers quickly while an analysis runs', async () => {
    // Its own server: the 6,000-pod body is larger than the shared server's test body limit.
    const s = await startServer({ host: '127.0.0.1', port: 0, workers: 1, bodyLimit: 16 * 1024 * 1024 });
    try {
      const c = client(s.url);
      const heavy = heavyManifests(150, 40); // 6,000 pods: well over a second of analysis
      let heavyDone = 0;
      const pending = c.post('/v1/matrix', { manifests: heavy }).then((r) => {
        heavyDone = Date.now();
        return r;
      });
      await new Promise((r) => setTimeout(r, 100));
      const latencies: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = Date.now();
        const h = await c.get('/healthz');
        latencies.push(Date.now() - t);
        expect(h.json).toEqual({ status: 'ok' });
        expect(heavyDone, 'the heavy analysis finished before /healthz answered').toBe(0);
      }
      const r = await pending;
      expect(r.status, r.text.slice(0, 200)).toBe(200);
      expect(r.json.endpoints.length).toBeGreaterThan(400);
      // Each health check was answered quickly although the machine was busy analysing.
      expect(Math.max(...latencies)).toBeLessThan(1000);
    } finally {
      await s.close();
    }
  });

  it('time out with 503, drop excess requests with 503 BUSY, and recover', async () => {
    const s = await startServer({ host: '127.0.0.1', port: 0, workers: 1, maxQueue: 1, timeoutMs: 400 });
    try {
      const c = client(s.url);
      const heavy = heavyManifests(150, 40); // 6,000 pods: far more than 400 ms of work
      const first = c.post('/v1/matrix', { manifests: heavy });
      await new Promise((r) => setTimeout(r, 20));
      const second = c.post('/v1/matrix', { manifests: heavy });
      await new Promise((r) => setTimeout(r, 20));
      const third = await c.post('/v1/matrix', { manifests: heavy });
      expectError(third, 503, 'BUSY');
      const t = Date.now();
      expect(expectError(await first, 503, 'TIMEOUT').message).toContain('400 ms');
      expectError(await second, 503, 'TIMEOUT');
      expect(Date.now() - t).toBeLessThan(5000);
      // The worker that was killed is replaced (starting it may take a moment).
      let ok = await c.post('/v1/check', { manifests: shopText(), flows: [FLOW] });
      for (let i = 0; i < 10 && ok.status === 503; i++)
        ok = await c.post('/v1/check', { manifests: shopText(), flows: [FLOW] });
      expect(ok.status, ok.text).toBe(200);
      expect(ok.json.results[0].verdict).toBe('allow');
    } finally {
      await s.close();
    }
  }, 180_000);
});
