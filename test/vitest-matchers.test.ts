/** @netreach/vitest as a user would use it: by package name, on the shop example. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Session, analyzeCluster, computeMatrix, loadManifests } from '@netreach/core';
import { formatMatrix, installNetreachMatchers } from '@netreach/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './helpers/cli.js';

installNetreachMatchers();

let session: Session;

beforeAll(() => {
  const dir = join(REPO, 'examples', 'shop');
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
  const { cluster, issues } = loadManifests(sources);
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  session = analyzeCluster(cluster);
});

describe('connectivity of the shop, asserted with @netreach/vitest', () => {
  it('allows what the policies allow', () => {
    expect(session).toAllow({ from: 'shop/frontend', to: 'shop/backend', port: 8080 });
    expect(session).toAllow({ from: 'shop/backend', to: 'data/postgres', port: 5432 });
    expect(session).toAllow({ from: 'shop/reports', to: 'kube-system/coredns', port: 53, protocol: 'UDP' });
    expect(session).toAllow({ from: 'monitoring/prometheus', to: 'shop/frontend', port: 'metrics' });
    expect(session).toAllow({ from: '203.0.113.7', to: 'shop/frontend', port: 8080 });
  });

  it('denies what they do not', () => {
    expect(session).toDeny({ from: 'shop/frontend', to: 'data/postgres', port: 5432 });
    expect(session).toDeny({ from: 'shop/reports', to: 'shop/backend', port: 8080 });
    expect(session).not.toAllow({ from: '203.0.113.7', to: 'shop/backend', port: 8080 });
  });

  it('knows which pods are isolated', () => {
    expect(session).toBeIsolated('shop/frontend');
    expect(session).toBeIsolated('data/postgres', 'ingress');
    expect(session).toBeIsolated('data/postgres', 'egress');
    expect(session).not.toBeIsolated('monitoring/prometheus', 'ingress');
    expect(session).not.toBeIsolated('kube-system/coredns');
  });

  it('explains a failed expectation with both sides', () => {
    const failing = (): void => expect(session).toAllow({ from: 'shop/frontend', to: 'data/postgres', port: 5432 });
    expect(failing).toThrow(/denied/);
    expect(failing).toThrow(
      /egress at shop\/frontend: denied: shop\/frontend is isolated for egress by NetworkPolicy shop\/allow-dns/,
    );
    expect(failing).toThrow(
      /ingress at data\/postgres: denied: data\/postgres is isolated for ingress by NetworkPolicy data\/postgres/,
    );
    expect(() => expect(session).toBeIsolated('kube-system/coredns', 'egress')).toThrow(/egress: not isolated/);
  });

  it('snapshots the matrix as a readable table', () => {
    const matrix = computeMatrix(session, { kinds: ['pod'] });
    const text = formatMatrix(matrix);
    expect(text).toMatch(/^ {2}shop\/frontend +→ shop\/backend +TCP 8080$/m);
    expect(text).not.toMatch(/shop\/frontend +→ data\/postgres/);
    expect(text).toContain('  data/postgres (StatefulSet/postgres, 2 replicas)');
    expect(matrix).toMatchSnapshot();
  });
});
