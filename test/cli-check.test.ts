import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, spawn } from './helpers/cli.js';

const SHOP = 'examples/shop';

describe('netreach check', () => {
  it('allows backend -> postgres and explains both sides (exit 0)', async () => {
    const r = await run(['check', SHOP, '--from', 'shop/backend', '--to', 'data/postgres', '--port', '5432']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ALLOWED {2}shop\/backend → data\/postgres {2}TCP\/5432/);
    expect(r.stdout).toContain('egress  at shop/backend: allowed by NetworkPolicy shop/backend egress rule 0');
    expect(r.stdout).toContain('ingress at data/postgres: allowed by NetworkPolicy data/postgres ingress rule 0');
  });

  it('denies frontend -> postgres and says which policies isolate (exit 1)', async () => {
    const r = await run(['check', SHOP, '--from', 'shop/frontend', '--to', 'data/postgres', '--port', '5432/TCP']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^DENIED/);
    expect(r.stdout).toContain('isolated for egress by NetworkPolicy shop/allow-dns, NetworkPolicy shop/default-deny');
  });

  it('resolves named ports on the destination and UDP', async () => {
    const dns = await run([
      'check',
      SHOP,
      '--from',
      'shop/frontend',
      '--to',
      'kube-system/coredns',
      '--port',
      '53/udp',
    ]);
    expect(dns.code).toBe(0);
    const named = await run(['check', SHOP, '--from', 'shop/frontend', '--to', 'shop/backend', '--port', 'http']);
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('TCP/8080');
    const sctp = await run([
      'check',
      SHOP,
      '--from',
      'shop/frontend',
      '--to',
      'kube-system/coredns',
      '--port',
      '53/SCTP',
    ]);
    expect(sctp.code).toBe(1);
  });

  it('treats an IP as an external endpoint', async () => {
    const r = await run(['check', SHOP, '--from', '203.0.113.9', '--to', 'shop/frontend', '--port', '8080']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('203.0.113.9 is not a pod');
    const blocked = await run(['check', SHOP, '--from', '203.0.113.9', '--to', 'shop/backend', '--port', '8080']);
    expect(blocked.code).toBe(1);
  });

  it('exits 2 with one clear line on unknown endpoints and bad ports', async () => {
    const r = await run(['check', SHOP, '--from', 'shop/nope', '--to', 'shop/backend', '--port', '80']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error: no pod or workload "nope" in namespace "shop"');
    const p = await run(['check', SHOP, '--from', 'shop/frontend', '--to', 'shop/backend', '--port', '70000']);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('between 1 and 65535');
    const proto = await run(['check', SHOP, '--from', 'shop/frontend', '--to', 'shop/backend', '--port', '80/ICMP']);
    expect(proto.code).toBe(2);
    const missing = await run(['check', 'no/such/dir', '--from', 'a/b', '--to', 'c/d', '--port', '80']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no/such/dir: no such file or directory');
  });
});

describe('netreach check --flows', () => {
  const flows = [
    { from: 'shop/frontend', to: 'shop/backend', port: 8080, protocol: 'TCP' },
    { from: 'shop/frontend', to: 'data/postgres', port: 5432 },
    { from: 'shop/backend', to: 'kube-system/coredns', port: 53, protocol: 'UDP' },
    { from: 'monitoring/prometheus', to: 'shop/frontend', port: 'metrics' },
  ];

  it('answers many flows as a JSON array in input order (exit 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netreach-'));
    const file = join(dir, 'flows.json');
    writeFileSync(file, JSON.stringify(flows));
    const r = await run(['check', SHOP, '--flows', file, '--output', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(out.map((o) => [o['from'], o['to'], o['port'], o['protocol'], o['verdict']])).toEqual([
      ['shop/frontend', 'shop/backend', 8080, 'TCP', 'allow'],
      ['shop/frontend', 'data/postgres', 5432, 'TCP', 'deny'],
      ['shop/backend', 'kube-system/coredns', 53, 'UDP', 'allow'],
      ['monitoring/prometheus', 'shop/frontend', 9090, 'TCP', 'allow'],
    ]);
    const ex = out[1]!['explanation'] as {
      egress: { allowed: boolean; reason: string };
      ingress: { allowed: boolean };
    };
    expect(ex.egress.allowed).toBe(false);
    expect(ex.egress.reason).toBe('tier');
    expect(ex.ingress.allowed).toBe(false);
  });

  it('reads flows from stdin in a real process', () => {
    const r = spawn(['check', SHOP, '--flows', '-', '--output', 'json'], JSON.stringify(flows.slice(0, 2)));
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { verdict: string }[]).map((o) => o.verdict)).toEqual(['allow', 'deny']);
  });

  it('rejects a malformed flows file naming the element and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netreach-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify([
        { from: 'shop/frontend', to: 'shop/backend', port: 8080 },
        { from: 'x/y', to: 'shop/backend' },
      ]),
    );
    const r = await run(['check', SHOP, '--flows', file, '--output', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[1].port');
  });
});

describe('real process', () => {
  it('exit codes and no stack traces', () => {
    const ok = spawn(['check', SHOP, '--from', 'shop/backend', '--to', 'data/postgres', '--port', '5432']);
    expect(ok.code).toBe(0);
    const denied = spawn(['check', SHOP, '--from', 'shop/frontend', '--to', 'data/postgres', '--port', '5432']);
    expect(denied.code).toBe(1);
    const bad = spawn(['check', SHOP, '--from', 'shop/frontend']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
