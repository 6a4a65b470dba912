import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from './openapi.js';
import { ROUTES } from './routes.js';
import { NAMED_SCHEMAS } from './schemas.js';
import { type FastifyInstance } from 'fastify';
import { createServer } from './server.js';

const DOC = fileURLToPath(new URL('../../../docs/http-api.md', import.meta.url));

let app: FastifyInstance;
beforeAll(async () => {
  app = createServer({ workers: 1 });
  await app.ready();
}, 180_000);
afterAll(async () => {
  await app.close();
});

/** The routes the server really registered, from Fastify's route tree (HEAD is implicit). */
function registeredRoutes(): string[] {
  const out: string[] = [];
  for (const m of app.printRoutes({ commonPrefix: false }).matchAll(/(\/\S*) \(([A-Z, ]+)\)/g)) {
    for (const method of m[2]!.split(', ')) if (method !== 'HEAD') out.push(`${method} ${m[1]}`);
  }
  return out.sort();
}

/** Every `$ref` in a document. */
function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) refs(x, out);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.push(x);
      else refs(x, out);
    }
  }
  return out;
}

describe('openapi.json', () => {
  const doc = buildOpenApi(ROUTES) as {
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, unknown> };
  };

  it('describes every route the server registers, and nothing else', async () => {
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const registered = registeredRoutes();
    expect(registered.length).toBeGreaterThanOrEqual(7);
    expect(documented).toEqual(registered);
    const served = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(served.json()).toEqual(doc);
  });

  it('uses the very schemas the routes validate with', () => {
    for (const r of ROUTES) {
      if (r.body === undefined) continue;
      const name = Object.entries(NAMED_SCHEMAS).find(([, s]) => s === r.body)?.[0];
      expect(name, `${r.url} body schema is named`).toBeDefined();
      const op = doc.paths[r.url]![r.method.toLowerCase()] as {
        requestBody: { content: Record<string, { schema: unknown }> };
      };
      expect(op.requestBody.content['application/json']!.schema).toEqual({ $ref: `#/components/schemas/${name}` });
      expect(app.hasRoute({ method: r.method, url: r.url })).toBe(true);
    }
  });

  it('has no dangling $ref', () => {
    const names = new Set(Object.keys(doc.components.schemas));
    for (const ref of refs(doc)) expect(names.has(ref.replace('#/components/schemas/', ''))).toBe(true);
  });

  it('every path is documented in docs/http-api.md', () => {
    const text = readFileSync(DOC, 'utf8');
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) expect(text).toContain(`${method.toUpperCase()} ${path}`);
    }
  });
});
