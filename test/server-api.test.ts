/**
 * The HTTP API end to end: a real server on 127.0.0.1 (ephemeral port), called with fetch, its
 * answers compared with what the CLI prints for the same input.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@netreach/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, SHOP_DIR, client, runCli, shopObjects, shopText } from './server-helpers.js';

let server: RunningServer;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0 });
  api = client(server.url);
}, 180_000);
afterAll(async () => {
  await server?.close();
});

const FLOWS = [
  { from: 'shop/frontend', to: 'shop/backend', port: 8080, protocol: 'TCP' },
  { from: 'shop/backend', to: 'data/postgres', port: 5432 },
  { from: 'shop/frontend', to: 'data/postgres', port: 5432, protocol: 'TCP' },
  { from: 'shop/frontend', to: 'kube-system/coredns', port: 53, protocol: 'UDP' },
  { from: 'shop/frontend', to: 'shop/backend', port: 'http' },
  { from: 'shop/frontend', to: 'shop/backend', port: '9090' },
  { from: '203.0.113.9', to: 'shop/frontend', port: 8080 },
  { from: '203.0.113.9', to: 'shop/backend', port: 8080 },
  { from: 'monitoring/prometheus', to: 'shop/backend', port: 'metrics' },
  { from: 'shop/reports', to: 'data/postgres', port: 5432, protocol: 'SCTP' },
];

/** What `netreach check <shop> --flows <file> --output json` prints for these flows. */
async function cliCheck(flows: readonly object[]): Promise<unknown[]> {
  const dir = mkdtempSync(join(tmpdir(), 'netreach-server-'));
  const file = join(dir, 'flows.json');
  writeFileSync(file, JSON.stringify(flows));
  const r = await runCli(['check', SHOP_DIR, '--flows', file, '--output', 'json', '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as unknown[];
}

function expectOk(r: Answer): void {
  expect(r.status, r.text).toBe(200);
  expect(r.contentType).toMatch(/^application\/json/);
}

describe('POST /v1/check', () => {
  it('answers exactly what `check --flows --output json` prints (manifests as YAML text)', async () => {
    const expected = await cliCheck(FLOWS);
    const r = await api.post('/v1/check', { manifests: shopText(), flows: FLOWS });
    expectOk(r);
    expect(r.json.results).toEqual(expected);
    expect(r.json.warnings).toEqual([]);
    // The flows really differ: some allowed, some denied, a named port resolved.
    const verdicts = r.json.results.map((x: { verdict: string }) => x.verdict);
    expect(verdicts).toContain('allow');
    expect(verdicts).toContain('deny');
    expect(r.json.results[4].port).toBe(8080);
  });

  it('accepts manifests as an array of objects with the same answers', async () => {
    const expected = await cliCheck(FLOWS);
    const r = await api.post('/v1/check', { manifests: shopObjects(), flows: FLOWS });
    expectOk(r);
    expect(r.json.results).toEqual(expected);
  });

  it('accepts manifests as JSON text and List objects among the array', async () => {
    const objects = shopObjects();
    const expected = await cliCheck(FLOWS.slice(0, 3));
    const asText = await api.post('/v1/check', {
      manifests: JSON.stringify({ kind: 'List', apiVersion: 'v1', items: objects }),
      flows: FLOWS.slice(0, 3),
    });
    expectOk(asText);
    expect(asText.json.results).toEqual(expected);
    const nested = await api.post('/v1/check', {
      manifests: [objects[0], { kind: 'List', apiVersion: 'v1', items: objects.slice(1) }],
      flows: FLOWS.slice(0, 3),
    });
    expectOk(nested);
    expect(nested.json.results).toEqual(expected);
  });

  it('applies analysis options like the CLI flags', async () => {
    const flows = [{ from: '203.0.113.9', to: 'shop/frontend', port: 8080 }];
    const r = await api.post('/v1/check', {
      manifests: shopText(),
      flows,
      options: {
        ipBlockMatchesPods: false,
        hostNetworkPods: 'pod',
        nodeLocalIngress: false,
        domainIps: { 'api.example.com': ['198.51.100.7'] },
      },
    });
    expectOk(r);
    const dir = mkdtempSync(join(tmpdir(), 'netreach-server-'));
    writeFileSync(join(dir, 'f.json'), JSON.stringify(flows));
    const cli = await runCli([
      'check', SHOP_DIR, '--flows', join(dir, 'f.json'), '-o', 'json', '-q',
      '--ip-block-matches-pods', 'false', '--host-network', 'pod', '--no-node-local-ingress',
      '--domain', 'api.example.com=198.51.100.7',
    ]); // prettier-ignore
    expect(cli.code).toBe(0);
    expect(r.json.results).toEqual(JSON.parse(cli.stdout));
  });

  it('reports warnings instead of printing them', async () => {
    const extra = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x, namespace: shop }',
      'apiVersion: example.com/v1\nkind: Pod\nmetadata: { name: y, namespace: shop }',
    ];
    const r = await api.post('/v1/check', {
      manifests: [shopText(), ...extra].join('\n---\n'),
      flows: FLOWS.slice(0, 1),
    });
    expectOk(r);
    const documents = shopText().split('\n---\n').length;
    expect(r.json.warnings).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        code: 'API_VERSION_MISMATCH',
        file: 'request',
        document: documents + 1,
      }),
    );
    expect(JSON.stringify(r.json.warnings)).toContain('ConfigMap');
    expect(r.json.results).toEqual(await cliCheck(FLOWS.slice(0, 1)));
  });
});

describe('POST /v1/matrix', () => {
  it('answers the matrix JSON of `matrix -o json`, with the filters of the CLI', async () => {
    const cli = await runCli(['matrix', SHOP_DIR, '-o', 'json', '-q']);
    expect(cli.code).toBe(0);
    const r = await api.post('/v1/matrix', { manifests: shopText() });
    expectOk(r);
    const { warnings, ...matrix } = r.json;
    expect(warnings).toEqual([]);
    expect(matrix).toEqual(JSON.parse(cli.stdout));
    expect(matrix.connections.length).toBeGreaterThan(0);

    const cliFiltered = await runCli(['matrix', SHOP_DIR, '-o', 'json', '-q', '--pods-only', '-n', 'shop']);
    const filtered = await api.post('/v1/matrix', { manifests: shopObjects(), podsOnly: true, namespaces: ['shop'] });
    expectOk(filtered);
    const { warnings: _w, ...filteredMatrix } = filtered.json;
    expect(filteredMatrix).toEqual(JSON.parse(cliFiltered.stdout));
    expect(filteredMatrix.endpoints.length).toBeLessThan(matrix.endpoints.length);
  });
});

describe('POST /v1/diff, /v1/snapshot and /v1/audit', () => {
  const after = shopText().replace(/port: 5432/g, 'port: 5433');
  let afterFile: string;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'netreach-server-'));
    afterFile = join(dir, 'after.yaml');
    writeFileSync(afterFile, after);
  });

  it('diff answers what `diff -o json` prints', async () => {
    const cli = await runCli(['diff', SHOP_DIR, afterFile, '-o', 'json', '-q']);
    expect(cli.code, cli.stderr).toBe(0);
    const r = await api.post('/v1/diff', { before: shopText(), after });
    expectOk(r);
    const { warnings, ...diff } = r.json;
    expect(warnings).toEqual([]);
    expect(diff).toEqual(JSON.parse(cli.stdout));
    expect(diff.identical).toBe(false);
    expect(diff.gained).toContainEqual(
      expect.objectContaining({ from: 'shop/backend', to: 'data/postgres', ports: { TCP: '5433' } }),
    );
    expect(diff.lost).toContainEqual(
      expect.objectContaining({ from: 'shop/backend', to: 'data/postgres', ports: { TCP: '5432' } }),
    );
    const same = await api.post('/v1/diff', { before: shopText(), after: shopObjects(), explain: false });
    expectOk(same);
    expect(same.json).toMatchObject({ identical: true, gained: [], lost: [] });
  });

  it('snapshot answers what `snapshot` writes, and audit what `audit -o json` prints', async () => {
    const cliSnap = await runCli(['snapshot', SHOP_DIR, '-q']);
    expect(cliSnap.code, cliSnap.stderr).toBe(0);
    const snap = await api.post('/v1/snapshot', { manifests: shopText() });
    expectOk(snap);
    expect(snap.json.snapshot).toEqual(JSON.parse(cliSnap.stdout));

    const dir = mkdtempSync(join(tmpdir(), 'netreach-server-'));
    const snapFile = join(dir, 'snapshot.json');
    writeFileSync(snapFile, cliSnap.stdout);
    const cli = await runCli(['audit', afterFile, '--against', snapFile, '-o', 'json', '-q']);
    expect(cli.code, cli.stderr).toBe(1);
    const r = await api.post('/v1/audit', { manifests: after, snapshot: snap.json.snapshot });
    expectOk(r);
    const { warnings, ...audit } = r.json;
    expect(warnings).toEqual([]);
    expect(audit).toEqual({ ...JSON.parse(cli.stdout), snapshot: 'request.snapshot' });
    expect(audit.identical).toBe(false);
    expect(audit.newlyAllowed.length).toBeGreaterThan(0);
    // The snapshot as JSON text, against the manifests it was taken of: identical.
    const same = await api.post('/v1/audit', { manifests: shopObjects(), snapshot: cliSnap.stdout });
    expectOk(same);
    expect(same.json).toMatchObject({ identical: true, newlyAllowed: [], newlyDenied: [] });
  });
});

describe('GET endpoints', () => {
  it('/healthz answers ok', async () => {
    const r = await api.get('/healthz');
    expectOk(r);
    expect(r.json).toEqual({ status: 'ok' });
  });

  it('/openapi.json describes every endpoint', async () => {
    const r = await api.get('/openapi.json');
    expectOk(r);
    expect(r.json.openapi).toBe('3.1.0');
    expect(Object.keys(r.json.paths).sort()).toEqual([
      '/healthz',
      '/openapi.json',
      '/v1/audit',
      '/v1/check',
      '/v1/diff',
      '/v1/matrix',
      '/v1/snapshot',
    ]);
    expect(r.json.paths['/v1/check'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CheckRequest',
    });
    expect(r.json.components.schemas.CheckRequest.required).toEqual(['manifests', 'flows']);
  });

  it('unknown paths are JSON 404s', async () => {
    const r = await api.get('/v2/nothing');
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('NOT_FOUND');
  });
});

describe('concurrency', () => {
  it('answers 50 concurrent requests, each correctly', async () => {
    const text = shopText();
    const expected = await cliCheck(FLOWS);
    const requests = Array.from({ length: 50 }, (_, i) => {
      const k = i % FLOWS.length;
      if (i % 10 === 9) return api.get('/healthz').then((r) => ({ i, k: -1, r }));
      return api.post('/v1/check', { manifests: text, flows: [FLOWS[k]] }).then((r) => ({ i, k, r }));
    });
    const answers = await Promise.all(requests);
    expect(answers).toHaveLength(50);
    for (const { k, r } of answers) {
      expectOk(r);
      if (k < 0) expect(r.json).toEqual({ status: 'ok' });
      else expect(r.json.results).toEqual([expected[k]]);
    }
  });
});
