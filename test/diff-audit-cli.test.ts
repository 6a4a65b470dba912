/**
 * The CI-gate workflow with the real program in subprocesses: snapshot → audit (exit 0);
 * a policy change → audit exit 1 with newly allowed flows first; a broken snapshot → exit 2.
 * Also `diff` and `whatif` on real changes, as text and JSON. The main steps run as real
 * subprocesses; further variants of them run in-process through `main` to keep the suite fast.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, type RunResult, run, spawn } from './helpers/cli.js';

const SHOP = join(REPO, 'examples', 'shop');

let work: string;
/** A changed copy of the shop: every namespace may scrape metrics; the backend uses the wrong database port. */
let changed: string;

/** One line of stderr, no stack trace. */
function expectCleanError(r: RunResult, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe('');
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'netreach-audit-'));
  changed = join(work, 'shop-changed');
  cpSync(SHOP, changed, { recursive: true });
  const file = join(changed, 'policies-shop.yaml');
  const text = readFileSync(file, 'utf8');
  const edited = text
    .replace('matchLabels: { kubernetes.io/metadata.name: monitoring }', 'matchLabels: {}')
    .replace(/(name: backend[\s\S]*?)- \{ protocol: TCP, port: 5432 \}/, '$1- { protocol: TCP, port: 5433 }');
  expect(edited).not.toBe(text);
  expect(edited).toContain('port: 5433');
  writeFileSync(file, edited);
});

describe('the CI gate: snapshot, then audit', () => {
  it('writes a snapshot atomically and audits the same manifests as identical (exit 0)', async () => {
    const snap = join(work, 'snapshot.json');
    const s = spawn(['snapshot', SHOP, '-o', snap]);
    expect(s.code).toBe(0);
    expect(s.stdout).toBe('');
    expect(s.stderr).toMatch(/^wrote .*snapshot\.json: 6 endpoint\(s\), \d+ connection\(s\)\n$/);
    // Nothing left behind but the snapshot itself.
    expect(readdirSync(work).sort()).toEqual(['shop-changed', 'snapshot.json']);
    const text = readFileSync(snap, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ netreachSnapshot: 1 });
    expect(text).toContain('{ "from": "shop/backend", "to": "data/postgres", "ports": { "TCP": "5432" } }');
    // -o - prints the same bytes.
    const out = await run(['snapshot', SHOP, '-o', '-']);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(text);

    const a = spawn(['audit', SHOP, '--against', snap]);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^No drift: connectivity matches .*snapshot\.json\.\n$/);
  });

  it('fails the gate when a policy change drifts (exit 1), newly allowed flows first', async () => {
    const snap = join(work, 'snapshot.json');
    const a = spawn(['audit', changed, '--against', snap, '--explain']);
    expect(a.code).toBe(1);
    const out = a.stdout;
    expect(out).toMatch(/^Connectivity drifted from .*: 2 newly allowed, 1 newly denied/);
    const allowedAt = out.indexOf('Newly allowed (2):');
    const deniedAt = out.indexOf('Newly denied (1):');
    expect(allowedAt).toBeGreaterThan(0);
    expect(deniedAt).toBeGreaterThan(allowedAt);
    const allowed = out.slice(allowedAt, deniedAt);
    // Both endpoints named as namespace/name, with the ports.
    expect(allowed).toMatch(/^ {2}kube-system\/coredns → shop\/backend +TCP 9090$/m);
    expect(allowed).toMatch(/^ {2}kube-system\/coredns → shop\/frontend +TCP 9090$/m);
    expect(allowed).toContain('allowed by NetworkPolicy shop/allow-metrics-scrape ingress rule 0');
    const denied = out.slice(deniedAt);
    expect(denied).toMatch(/^ {2}shop\/backend → data\/postgres +TCP 5432$/m);
    expect(denied).toContain('egress  at shop/backend: denied');

    const json = await run(['audit', changed, '--against', snap, '-o', 'json']);
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout) as {
      identical: boolean;
      newlyAllowed: {
        from: string;
        to: string;
        ports: unknown;
        example: { port: number; now: { allowed: boolean } };
      }[];
      newlyDenied: { from: string; to: string; ports: unknown }[];
    };
    expect(result.identical).toBe(false);
    expect(result.newlyAllowed.map((f) => `${f.from} → ${f.to}`)).toEqual([
      'kube-system/coredns → shop/backend',
      'kube-system/coredns → shop/frontend',
    ]);
    expect(result.newlyAllowed[0]!.ports).toEqual({ TCP: '9090' });
    expect(result.newlyAllowed[0]!.example).toMatchObject({ port: 9090, now: { allowed: true } });
    expect(result.newlyDenied).toEqual([
      expect.objectContaining({ from: 'shop/backend', to: 'data/postgres', ports: { TCP: '5432' } }),
    ]);

    const md = await run(['audit', changed, '--against', snap, '-o', 'md']);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('**Newly allowed** (2)');
    expect(md.stdout).toContain('| `kube-system/coredns` | `shop/backend` | TCP 9090 |');
  });

  it('exits 2 with one clear line on a broken or missing snapshot', async () => {
    const broken = join(work, 'broken.json');
    writeFileSync(broken, '{"netreachSnapshot": 1, "endpoints": [');
    expectCleanError(
      spawn(['audit', SHOP, '--against', broken]),
      /^error: .*broken\.json: not a snapshot: invalid JSON \(.*\)\n$/,
    );

    const wrong = join(work, 'wrong.json');
    writeFileSync(
      wrong,
      JSON.stringify({
        netreachSnapshot: 1,
        endpoints: ['shop/frontend'],
        connections: [{ from: 'shop/frontend', to: 'shop/nope', ports: 'all' }],
      }),
    );
    expectCleanError(
      await run(['audit', SHOP, '--against', wrong]),
      /^error: .*wrong\.json, field connections\[0\]\.to: "shop\/nope" is neither a listed endpoint nor an address range \[INVALID_SNAPSHOT\]\n$/,
    );

    const future = join(work, 'future.json');
    writeFileSync(future, JSON.stringify({ netreachSnapshot: 7, endpoints: [], connections: [] }));
    expectCleanError(
      await run(['audit', SHOP, '--against', future]),
      /unsupported snapshot version 7; this netreach reads version 1/,
    );

    expectCleanError(
      await run(['audit', SHOP, '--against', join(work, 'missing.json')]),
      /^error: .*missing\.json: cannot read snapshot \(ENOENT\)\n$/,
    );
    const noAgainst = await run(['audit', SHOP]);
    expect(noAgainst.code).toBe(2);
    expect(noAgainst.stderr).toContain("required option '--against <snapshot>' not specified");
  });

  it('does not create anything when the snapshot cannot be written', async () => {
    const target = join(work, 'no-such-dir', 'snapshot.json');
    expectCleanError(
      await run(['snapshot', SHOP, '-o', target]),
      /^error: .*snapshot\.json: cannot write \(ENOENT\)\n$/,
    );
    expect(existsSync(join(work, 'no-such-dir'))).toBe(false);
  });
});

describe('diff and whatif on real changes', () => {
  it('diff lists gained and lost flows as text and JSON (exit 0)', () => {
    const text = spawn(['diff', SHOP, changed]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Connectivity changes: 2 pair(s) gained ports, 1 pair(s) lost ports');
    expect(text.stdout).toMatch(
      /Gained \(2\):\n {2}kube-system\/coredns → shop\/backend +TCP 9090\n {2}kube-system\/coredns → shop\/frontend +TCP 9090\n/,
    );
    expect(text.stdout).toMatch(/Lost \(1\):\n {2}shop\/backend → data\/postgres +TCP 5432\n/);

    const json = spawn(['diff', SHOP, changed, '-o', 'json']);
    expect(json.code).toBe(0);
    const d = JSON.parse(json.stdout) as {
      netreachDiff: number;
      gained: {
        from: string;
        to: string;
        ports: unknown;
        example: { protocol: string; port: number; before: { allowed: boolean }; after: { allowed: boolean } };
      }[];
      lost: { from: string; to: string; example: { after: { egress: { summary: string } } } }[];
    };
    expect(d.netreachDiff).toBe(1);
    // Only pods whose egress is open gain the scrape port: the shop and data pods are isolated for egress.
    expect(d.gained.map((g) => `${g.from} → ${g.to}`)).toEqual([
      'kube-system/coredns → shop/backend',
      'kube-system/coredns → shop/frontend',
    ]);
    expect(d.gained[0]!.example).toMatchObject({
      protocol: 'TCP',
      port: 9090,
      before: { allowed: false },
      after: { allowed: true },
    });
    expect(d.lost).toHaveLength(1);
    expect(d.lost[0]!.example.after.egress.summary).toMatch(/^denied: shop\/backend is isolated for egress/);
  });

  it('whatif shows what applying and deleting would change, and rejects unknown targets', async () => {
    const change = join(work, 'open-db.yaml');
    writeFileSync(
      change,
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: reports-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: reports}}
  policyTypes: [Egress]
  egress: [{to: [{namespaceSelector: {}, podSelector: {matchLabels: {app: postgres}}}], ports: [{port: 5432}]}]
`,
    );
    const text = spawn(['whatif', SHOP, '--apply', change, '--delete', 'networkpolicy/data/postgres']);
    expect(text.code).toBe(0);
    // Without the postgres policy its ingress is open, so reports (now allowed egress) reaches it.
    expect(text.stdout).toMatch(/^ {2}shop\/reports +→ data\/postgres +TCP 5432$/m);
    expect(text.stdout).toMatch(/^ {2}data\/postgres +→ 0\.0\.0\.0\/0 +all$/m);
    expect(text.stdout).not.toContain('Lost');

    const json = spawn(['whatif', SHOP, '--delete', 'NetworkPolicy/shop/frontend', '-o', 'json']);
    expect(json.code).toBe(0);
    const d = JSON.parse(json.stdout) as { gained: unknown[]; lost: { from: string; to: string; ports: unknown }[] };
    expect(d.gained).toEqual([]);
    expect(d.lost.map((l) => [l.from, l.to, l.ports])).toEqual([
      ['shop/frontend', 'shop/backend', { TCP: '8080' }],
      ['0.0.0.0/0', 'shop/frontend', { TCP: '8080' }],
    ]);

    expectCleanError(
      await run(['whatif', SHOP, '--delete', 'networkpolicy/shop/nope']),
      /^error: --delete networkpolicy\/shop\/nope: NetworkPolicy shop\/nope not found\n$/,
    );
    expectCleanError(
      await run(['whatif', SHOP, '--delete', 'gadget/x']),
      /^error: --delete gadget\/x: unknown kind "gadget"/,
    );
  });
});
