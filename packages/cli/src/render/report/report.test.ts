import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Session,
  analyzeCluster,
  checkFlow,
  computeMatrix,
  formatPortSet,
  isAllPorts,
  loadManifests,
  portSetHas,
} from '@netreach/core';
import { describe, expect, it } from 'vitest';
import { sideLines } from '../explain.js';
import { REPORT_JS } from './client.js';
import { escapeHtml, scriptJson } from './html.js';
import {
  type DecodedExample,
  type ReportData,
  buildReportData,
  renderReportHtml,
  reportHtml,
  reportPairExamples,
  reportPairPorts,
  reportPodIds,
} from './index.js';

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const SHOP_DIR = join(ROOT, 'examples/shop');

function session(...texts: string[]): Session {
  const loaded = loadManifests(texts.map((text, i) => ({ name: `m${i}.yaml`, text })));
  expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return analyzeCluster(loaded.cluster);
}

const shop = (): Session =>
  session(
    ...readdirSync(SHOP_DIR)
      .sort()
      .map((f) => readFileSync(join(SHOP_DIR, f), 'utf8')),
  );

const podIds = reportPodIds;
const cellText = reportPairPorts;
const examples = (d: ReportData, i: number, j: number): DecodedExample[] => reportPairExamples(d, i, j)!;

/** Every pod pair of the report agrees with computeMatrix and with checkFlow's explanations. */
function expectFaithful(s: Session, d: ReportData): void {
  const m = computeMatrix(s, { kinds: ['pod'] });
  const conn = new Map(m.connections.map((c) => [`${c.from} ${c.to}`, formatPortSet(c.ports)]));
  const ids = podIds(d);
  expect([...ids].sort()).toEqual(m.endpoints.map((e) => e.id).sort());
  for (let i = 0; i < ids.length; i++)
    for (let j = 0; j < ids.length; j++) {
      if (i === j) continue;
      const shown = cellText(d, i, j);
      expect(shown, `${ids[i]} -> ${ids[j]}`).toBe(conn.get(`${ids[i]} ${ids[j]}`) ?? 'none');
      const ex = examples(d, i, j);
      // An allowed example unless nothing is allowed, a denied one unless everything is.
      expect(ex.some((e) => e.allowed)).toBe(shown !== 'none');
      expect(ex.some((e) => !e.allowed)).toBe(shown !== 'all');
      for (const e of ex) {
        const [protocol, port] = e.port.split('/') as ['TCP' | 'UDP' | 'SCTP', string];
        const r = checkFlow(s, { from: ids[i]!, to: ids[j]!, port: Number(port), protocol });
        expect(e.allowed, `${ids[i]} -> ${ids[j]} ${e.port}`).toBe(r.verdict === 'allow');
        expect(e.egress).toEqual(sideLines(r.explanation.egress));
        expect(e.ingress).toEqual(sideLines(r.explanation.ingress));
      }
    }
}

describe('buildReportData', () => {
  it('matches the matrix and the check explanations for every pod pair of the shop', () => {
    const s = shop();
    const d = buildReportData(s);
    expectFaithful(s, d);
    // Dedupe by class: fewer classes than pods would be fine, every pod needs one.
    expect(d.pods.cls.length).toBe(d.pods.names.length);
    expect(Math.max(...d.pods.cls) + 1).toBe(d.classCount);
  });

  it('explains the frontend -> backend pair with the policies that decide it', () => {
    const d = buildReportData(shop());
    const ids = podIds(d);
    const ex = examples(d, ids.indexOf('shop/frontend'), ids.indexOf('shop/backend'));
    const allowed = ex.find((e) => e.allowed)!;
    expect(allowed.port).toBe('TCP/8080');
    expect(allowed.ingress[0]).toContain('allowed by NetworkPolicy shop/backend ingress rule 0');
    const denied = ex.find((e) => !e.allowed)!;
    expect(denied.egress.join('\n')).toContain('NetworkPolicy shop/default-deny');
  });

  it('summarises the shop independently of the matrix renderer', () => {
    const s = shop();
    const d = buildReportData(s);
    const m = computeMatrix(s);
    const pods = new Set(m.endpoints.filter((e) => e.kind === 'pod').map((e) => e.id));
    const podPairs = m.connections.filter((c) => pods.has(c.from) && pods.has(c.to));
    expect(d.summary.pods).toBe(pods.size);
    expect(d.summary.pairs).toBe(pods.size * (pods.size - 1));
    expect(d.summary.allowedPairs).toBe(podPairs.length);
    expect(d.summary.allPortsPairs).toBe(podPairs.filter((c) => isAllPorts(c.ports)).length);
    expect(d.summary.namespaces).toBe(4);
    expect(d.summary.replicas).toBe(11);
    expect(d.summary.notIsolatedIngress).toEqual(['kube-system/coredns', 'monitoring/prometheus']);
    expect(d.summary.notIsolatedEgress).toEqual(['kube-system/coredns', 'monitoring/prometheus']);
    // From outside: every pod that some external endpoint reaches in the matrix.
    const externals = new Set(m.endpoints.filter((e) => e.kind === 'external').map((e) => e.id));
    const reached = [
      ...new Set(m.connections.filter((c) => externals.has(c.from) && pods.has(c.to)).map((c) => c.to)),
    ].sort();
    expect(d.summary.fromOutside.map((o) => o.pod)).toEqual(reached);
    const frontend = d.summary.fromOutside.find((o) => o.pod === 'shop/frontend')!;
    expect(frontend.ports).toBe('TCP 8080');
    expect(frontend.from).toContain('0.0.0.0/0');
  });

  it('lists policies in evaluation order with the pods they select', () => {
    const d = buildReportData(shop());
    const subjects = (name: string): string[] => {
      const p = d.policies.find((x) => x.name === name)!;
      return podIds(d).filter((_, i) => p.subjects.includes(d.pods.cls[i]!));
    };
    expect(d.policies).toHaveLength(6);
    expect(subjects('default-deny')).toEqual(['shop/backend', 'shop/frontend', 'shop/reports']);
    expect(subjects('postgres')).toEqual(['data/postgres']);
    expect(subjects('frontend')).toEqual(['shop/frontend']);
    const backend = d.policies.find((x) => x.name === 'backend')!;
    expect([backend.tier, backend.priority, backend.ingressRules, backend.egressRules]).toEqual([
      'NetworkPolicy',
      0,
      1,
      1,
    ]);
    const dns = d.policies.find((x) => x.name === 'allow-dns')!;
    expect(dns.ingressRules).toBeNull();
  });

  it('keeps node-local ingress from host-network pods exact (pairs that differ from their classes)', () => {
    const s = session(`
apiVersion: v1
kind: Node
metadata: { name: n1 }
status: { addresses: [{ type: InternalIP, address: 10.0.0.1 }] }
---
apiVersion: v1
kind: Node
metadata: { name: n2 }
status: { addresses: [{ type: InternalIP, address: 10.0.0.2 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: agent, namespace: kube-system, labels: { app: agent } }
spec: { hostNetwork: true, nodeName: n1, containers: [{ name: a, image: x }] }
---
apiVersion: v1
kind: Pod
metadata: { name: app-1, namespace: a, labels: { app: app } }
spec: { nodeName: n1, containers: [{ name: a, image: x, ports: [{ containerPort: 80 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: app-2, namespace: a, labels: { app: app } }
spec: { nodeName: n2, containers: [{ name: a, image: x, ports: [{ containerPort: 80 }] }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: a }
spec: { podSelector: {}, policyTypes: [Ingress] }
`);
    const d = buildReportData(s);
    const ids = podIds(d);
    const agent = ids.indexOf('kube-system/agent');
    // Same class, different verdicts from the agent: only the pod on the agent's node is reachable.
    expect(d.pods.cls[ids.indexOf('a/app-1')]).toBe(d.pods.cls[ids.indexOf('a/app-2')]);
    expect(cellText(d, agent, ids.indexOf('a/app-1'))).toBe('all');
    expect(cellText(d, agent, ids.indexOf('a/app-2'))).toBe('none');
    expect(d.overrides).toHaveLength(1);
    expect(examples(d, agent, ids.indexOf('a/app-1'))[0]!.ingress[0]).toContain("ingress from the pod's own node");
    expectFaithful(s, d);
    expect(d.summary.allowedPairs).toBe(computeMatrix(s, { kinds: ['pod'] }).connections.length);
  });

  it('leaves explanations out above the budget but keeps the matrix', () => {
    const d = buildReportData(shop(), { maxExplainedPairs: 4 });
    expect(d.pairExamples).toBeNull();
    expect(d.cells).toHaveLength(d.classCount * d.classCount);
    expect(d.sides).toEqual([]);
  });

  it('picks ports the destination declares or rules mention as examples', () => {
    const d = buildReportData(shop());
    const ids = podIds(d);
    const ex = examples(d, ids.indexOf('shop/frontend'), ids.indexOf('data/postgres'));
    expect(ex).toHaveLength(1);
    expect(ex[0]!.port).toBe('TCP/5432');
    const s = shop();
    const dns = examples(d, ids.indexOf('shop/reports'), ids.indexOf('kube-system/coredns'));
    for (const e of dns) {
      const [proto, port] = e.port.split('/');
      expect(
        portSetHas(
          computeMatrix(s).connections.find((c) => c.from === 'shop/reports' && c.to === 'kube-system/coredns')!.ports,
          proto as 'TCP',
          Number(port),
        ),
      ).toBe(e.allowed);
    }
  });
});

describe('renderReportHtml', () => {
  const html = reportHtml(shop(), { paths: ['examples/shop'], version: '9.9.9' });

  it('is one self-contained page: no external URLs, a CSP that forbids fetching', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain(
      `content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"`,
    );
    expect(html).toContain('Generated by netreach 9.9.9');
  });

  it('embeds the data so that it parses back, and renders summary and policies as HTML', () => {
    const json = /<script type="application\/json" id="report-data">([^]*?)<\/script>/.exec(html)![1]!;
    const parsed = JSON.parse(json) as ReportData;
    const d = buildReportData(shop(), { paths: ['examples/shop'], version: '9.9.9' });
    expect(parsed).toEqual({ ...d, summary: null });
    expect(html).toContain('<canvas id="matrix"');
    expect(html).toContain('<td class="mono">shop/default-deny</td>');
    expect(html).toContain('30%');
    expect(html).toContain('shop/frontend: TCP 8080 from 0.0.0.0/0');
  });

  it('ships a script that parses', () => {
    expect(() => new Function(REPORT_JS)).not.toThrow();
  });

  it('escapes names so that they cannot break out of the page', () => {
    const d = buildReportData(shop(), { title: '<img onerror=x> & "q"' });
    const evil = renderReportHtml({ ...d, strings: [...d.strings, '</script><script>alert(1)</script>'] });
    expect(evil).toContain('<title>&#60;img onerror=x&#62; &#38; &#34;q&#34;</title>');
    expect(evil).not.toContain('</script><script>alert(1)');
    expect(JSON.parse(scriptJson({ s: '</script>\u2028' }))).toEqual({ s: '</script>\u2028' });
    expect(escapeHtml(`<a href='x'>`)).toBe('&#60;a href=&#39;x&#39;&#62;');
  });

  it('says so when there are no pods or no policies', () => {
    const empty = reportHtml(session('apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n'));
    expect(empty).toContain('No pods in the input.');
    expect(empty).toContain('No policies: every flow is allowed.');
    expect(empty).not.toContain('<canvas');
  });
});
