/** The report at 2,000 pods: build time, file size, and sampled faithfulness to the engine. */
import { buildReportData, renderReportHtml, reportPairExamples, reportPairPorts, reportPodIds } from '@netreach/cli';
import { analyzeCluster, checkFlow, formatPortSet, loadManifests } from '@netreach/core';
import { describe, expect, it } from 'vitest';
import { syntheticCluster } from './helpers/synthetic.js';

/** Size budget for the 2,000-pod page (it is about 200 KB today). */
const MAX_BYTES = 1_500_000;
/** Generous time budget for building it (about a second today). */
const MAX_MS = 30_000;

describe('report at 2,000 pods (100 namespaces × 20 pods, a few policies)', () => {
  const loaded = loadManifests([{ name: 'synthetic.json', text: syntheticCluster(100, 20) }]);
  const session = analyzeCluster(loaded.cluster);

  it('builds quickly into a compact page', () => {
    expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const t0 = performance.now();
    const data = buildReportData(session);
    const html = renderReportHtml(data);
    const ms = performance.now() - t0;
    const bytes = Buffer.byteLength(html);
    console.info(
      `2,000-pod report: ${Math.round(ms)} ms, ${Math.round(bytes / 1024)} KiB, ${data.classCount} pod classes`,
    );
    expect(data.pods.names).toHaveLength(2000);
    expect(data.namespaces).toHaveLength(100);
    expect(data.classCount).toBeLessThan(200);
    // Compactness: the embedded matrix is classes², not pods².
    expect(data.cells).toHaveLength(data.classCount ** 2);
    expect(data.pairExamples).not.toBeNull();
    expect(bytes).toBeLessThan(MAX_BYTES);
    expect(ms).toBeLessThan(MAX_MS);
    expect(data.summary.pairs).toBe(2000 * 1999);
  });

  it('agrees with the engine and with checkFlow on sampled pairs', () => {
    const data = buildReportData(session);
    const ids = reportPodIds(data);
    const a = session.analysis;
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let allowed = 0;
    for (let k = 0; k < 3000; k++) {
      const i = next(ids.length);
      const j = next(ids.length);
      if (i === j) continue;
      const src = a.endpoints[a.indexOf(ids[i]!)!]!;
      const dst = a.endpoints[a.indexOf(ids[j]!)!]!;
      const shown = reportPairPorts(data, i, j);
      expect(shown, `${ids[i]} -> ${ids[j]}`).toBe(formatPortSet(a.portsBetween(src, dst)));
      if (shown !== 'none') allowed++;
      if (k % 15 !== 0) continue;
      for (const e of reportPairExamples(data, i, j)!) {
        const [protocol, port] = e.port.split('/') as ['TCP', string];
        const r = checkFlow(session, { from: ids[i]!, to: ids[j]!, port: Number(port), protocol });
        expect(e.allowed).toBe(r.verdict === 'allow');
        expect(e.ingress[0]).toBe(`  ingress at ${ids[j]}: ${r.explanation.ingress.summary}`);
      }
    }
    // The sample sees both allowed and denied pairs.
    expect(allowed).toBeGreaterThan(100);
    expect(allowed).toBeLessThan(2900);
  });
});
