/** `netreach list --format connlist` end to end (the corpus comparison is netpol-analyzer.test.ts). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, spawn } from './helpers/cli.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'netreach-list-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const WEB = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}], ports: [{port: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: route.openshift.io/v1
kind: Route
metadata: {name: web, namespace: shop}
spec: {to: {kind: Service, name: web}}
`;

describe('netreach list', () => {
  it('prints the connlist on stdout and the ingress controller warning on stderr', async () => {
    const r = await run(['list', dirWith({ 'app.yaml': WEB }), '--format', 'connlist']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '0.0.0.0-255.255.255.255[External] => shop/client[Pod] : All Connections',
        'shop/client[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
        'shop/client[Pod] => shop/web[Deployment] : TCP 8080',
        'shop/web[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
        'shop/web[Deployment] => shop/client[Pod] : All Connections',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe(
      'warning: Route shop/web: backend shop/web[Deployment] is not reachable: policies block ingress to it from an arbitrary in-cluster pod [INGRESS_BLOCKED]\n',
    );
    const quiet = await run(['list', dirWith({ 'app.yaml': WEB }), '-q']);
    expect(quiet.stdout).toBe(r.stdout);
    expect(quiet.stderr).toBe('');
  });

  it('adds {ingress-controller} when policies let it in', async () => {
    const open = WEB.replace(
      'ingress: [{from: [{podSelector: {matchLabels: {app: client}}}], ports: [{port: 8080}]}]',
      'ingress: [{ports: [{port: 8080}]}]',
    );
    const r = await run(['list', dirWith({ 'app.yaml': open })]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('{'))).toEqual([
      '{ingress-controller} => shop/web[Deployment] : TCP 8080',
    ]);
    expect(r.stderr).toBe('');
  });

  it('rejects an unknown format and bad input with one line and exit code 2', async () => {
    const dir = dirWith({ 'app.yaml': WEB });
    const badFormat = await run(['list', dir, '--format', 'docx']);
    expect([badFormat.code, badFormat.stdout, badFormat.stderr]).toEqual([
      2,
      '',
      'error: --format must be one of connlist, not "docx"\n',
    ]);
    const bad = dirWith({
      'np.yaml':
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: a}\nspec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]}',
    });
    const r = await run(['list', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^error: .*np\.yaml \(document 1\), NetworkPolicy a\/x, field spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: /,
    );
  });

  it('reads stdin as a real process', () => {
    const r = spawn(['list', '-', '-q'], WEB);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('shop/client[Pod] => shop/web[Deployment] : TCP 8080\n');
  });
});
