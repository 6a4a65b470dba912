/** Helpers for the HTTP API tests: the shop example, an HTTP client, a heavy cluster. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests } from '@netreach/core';
import { REPO } from './helpers/cli.js';

export { REPO, run as runCli } from './helpers/cli.js';
export const SHOP_DIR = join(REPO, 'examples', 'shop');

/** The shop example as one multi-document YAML text. */
export function shopText(): string {
  return readdirSync(SHOP_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readFileSync(join(SHOP_DIR, f), 'utf8'))
    .join('\n---\n');
}

/** The shop example as an array of Kubernetes objects. */
export function shopObjects(): Record<string, unknown>[] {
  const parsed = parseManifests(shopText(), 'shop');
  if (parsed.issues.length > 0) throw new Error(`shop example does not parse: ${parsed.issues[0]!.message}`);
  return parsed.objects.map((o) => o.obj);
}

/** An HTTP answer with its body read. */
export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function read(res: Response): Promise<Answer> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}

/** A client for a server at `base` (always a 127.0.0.1 URL in these tests). */
export function client(base: string): {
  get(path: string): Promise<Answer>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Answer>;
} {
  if (!base.startsWith('http://127.0.0.1:')) throw new Error(`tests only talk to 127.0.0.1, not ${base}`);
  return {
    get: async (path) => read(await fetch(`${base}${path}`)),
    post: async (path, body, headers = {}) =>
      read(
        await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
  };
}

/**
 * A synthetic cluster that takes seconds to analyse: `namespaces` namespaces of `pods` pods with
 * five NetworkPolicies each, selecting across namespaces.
 */
export function heavyManifests(namespaces: number, pods: number): string {
  const docs: string[] = [];
  for (let n = 0; n < namespaces; n++) {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: { name: ns${n}, labels: { team: t${n % 7} } }`);
    for (let p = 0; p < pods; p++) {
      docs.push(
        `apiVersion: v1\nkind: Pod\nmetadata: { name: p${p}, namespace: ns${n}, labels: { app: a${p}, tier: t${p % 5} } }\n` +
          `spec: { containers: [ { name: c, ports: [ { containerPort: ${8000 + (p % 50)} } ] } ] }`,
      );
    }
    for (let k = 0; k < 5; k++) {
      docs.push(
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: np${k}, namespace: ns${n} }\nspec:\n` +
          `  podSelector: { matchLabels: { tier: t${k} } }\n  policyTypes: [Ingress, Egress]\n` +
          `  ingress: [ { from: [ { namespaceSelector: { matchLabels: { team: t${(n + k) % 7} } }, ` +
          `podSelector: { matchLabels: { app: a${(k * 3) % pods} } } } ], ports: [ { port: ${8000 + k}, endPort: ${8010 + k} } ] } ]\n` +
          `  egress: [ { to: [ { ipBlock: { cidr: 10.${k}.0.0/16 } } ] } ]`,
      );
    }
  }
  return docs.join('\n---\n');
}

/** Whether a response body shows a stack trace or a source path. */
export function leaksInternals(text: string): boolean {
  return /\n\s+at |\.ts:\d+|node:internal|\/work\//.test(text);
}
