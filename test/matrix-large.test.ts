import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCluster, computeMatrix, loadManifests } from '@netreach/core';
import { describe, expect, it } from 'vitest';
import { run } from './helpers/cli.js';
import { syntheticCluster } from './helpers/synthetic.js';

describe('netreach matrix on a cluster too large for a pod table', () => {
  it('prints a per-namespace summary whose shares match the pod-level matrix', async () => {
    const text = syntheticCluster(12, 20); // 240 pods, over the 200-pod table limit
    const dir = mkdtempSync(join(tmpdir(), 'netreach-large-'));
    writeFileSync(join(dir, 'cluster.yaml'), text);
    const r = await run(['matrix', dir, '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Connectivity by namespace: 12 namespace\(s\), 240 pods/);

    // Recompute the shares from the pod-level matrix and compare every printed figure.
    const session = analyzeCluster(loadManifests([{ name: 'c.yaml', text }]).cluster);
    const m = computeMatrix(session, { kinds: ['pod'] });
    const podsIn = new Map<string, number>();
    for (const e of m.endpoints) podsIn.set(e.namespace!, (podsIn.get(e.namespace!) ?? 0) + 1);
    const pairs = new Map<string, number>();
    for (const c of m.connections) {
      const k = `${c.from.split('/')[0]} ${c.to.split('/')[0]}`;
      pairs.set(k, (pairs.get(k) ?? 0) + 1);
    }
    let checked = 0;
    for (const line of r.stdout.split('\n')) {
      const head = /^(\S+) \((\d+) pods\) → (.*)$/.exec(line);
      if (head === null) continue;
      const src = head[1]!;
      for (const part of head[3]!.split(', ')) {
        const x = /^(\S+) (\d+)%$/.exec(part);
        if (x === null) continue;
        const dst = x[1]!;
        const total = podsIn.get(src)! * (dst === src ? podsIn.get(src)! - 1 : podsIn.get(dst)!);
        expect(Number(x[2]), `${src} → ${dst}`).toBe(Math.round(((pairs.get(`${src} ${dst}`) ?? 0) / total) * 100));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
    // A namespace filter that fits brings back the pod table.
    const small = await run(['matrix', dir, '-q', '--namespace', 'ns-000']);
    expect(small.stdout).toMatch(/^Connectivity matrix: 1 namespace\(s\), 20 pod\(s\)/);
  });
});
