import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toDot, toMermaid } from '../packages/cli/src/render/graph.js';
import { run } from './helpers/cli.js';
import { mermaidProblems } from './helpers/mermaid.js';

const SHOP = 'examples/shop';
const hasDot = spawnSync('dot', ['-V'], { encoding: 'utf8' }).status === 0;
if (!hasDot)
  console.warn('graph-output.test.ts: Graphviz `dot` not found; skipping DOT validation (apt-get install graphviz)');

function renderSvg(dot: string): { status: number | null; svg: string; stderr: string } {
  const r = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
  return { status: r.status, svg: r.stdout, stderr: r.stderr };
}

async function shopJson(): Promise<{
  endpoints: { id: string; kind: string; namespace?: string }[];
  connections: unknown[];
}> {
  return JSON.parse((await run(['matrix', SHOP, '-o', 'json'])).stdout) as never;
}

describe.skipIf(!hasDot)('matrix --output dot (checked with Graphviz)', () => {
  it('renders to SVG with namespaces as clusters and port-labelled edges', async () => {
    const r = await run(['matrix', SHOP, '-o', 'dot']);
    expect(r.code).toBe(0);
    const out = renderSvg(r.stdout);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.svg).toContain('<svg');
    for (const ns of ['data', 'kube-system', 'monitoring', 'shop'])
      expect(out.svg).toContain(`>${ns.replace(/-/g, '&#45;')}</text>`);
    expect(out.svg.match(/<g id="clust\d+" class="cluster">/g)).toHaveLength(4);
    expect(out.svg).toContain('>TCP 8080</text>');
    expect(out.svg).toContain('>TCP 53; UDP 53</text>');
    // One SVG edge per matrix connection.
    const edges = out.svg.match(/<g id="edge\d+" class="edge">/g) ?? [];
    expect(edges).toHaveLength((await shopJson()).connections.length);
  });

  it('survives hostile names and styles (Graphviz accepts the escaped text)', () => {
    const dot = toDot({
      title: 'quote " backslash \\ newline \n end',
      nodes: [
        { id: 'a"b', group: 'g"1' },
        { id: 'c\\d', outside: true },
      ],
      edges: [{ from: 'a"b', to: 'c\\d', label: 'x"y', color: '#cf222e', style: 'dashed' }],
    });
    const out = renderSvg(dot);
    expect(out.status).toBe(0);
    expect(out.svg).toContain('a&quot;b');
    expect(out.svg).toContain('stroke-dasharray');
    expect(renderSvg('digraph { a -> }').status).not.toBe(0);
  });
});

describe('matrix --output mermaid', () => {
  it('is a structurally valid flowchart: one subgraph per namespace, one edge per connection', async () => {
    const r = await run(['matrix', SHOP, '-o', 'mermaid']);
    expect(r.code).toBe(0);
    expect(mermaidProblems(r.stdout)).toEqual([]);
    const m = await shopJson();
    const namespaces = new Set(m.endpoints.filter((e) => e.kind === 'pod').map((e) => e.namespace));
    expect(r.stdout.match(/^ {2}subgraph /gm)).toHaveLength(namespaces.size);
    expect(r.stdout.match(/ -->\|/g)).toHaveLength(m.connections.length);
    expect(r.stdout).toContain('|"TCP 8080"|');
    expect(r.stdout).toContain('|"all"|');
  });

  it('keeps --namespace and --pods-only working', async () => {
    const r = await run(['matrix', SHOP, '-o', 'mermaid', '--pods-only', '-n', 'shop']);
    expect(r.code).toBe(0);
    expect(mermaidProblems(r.stdout)).toEqual([]);
    expect(r.stdout.match(/subgraph /g)).toHaveLength(1);
    expect(r.stdout).not.toContain('0.0.0.0/0');
  });

  it('escapes hostile names into valid structure', () => {
    const text = toMermaid({
      nodes: [{ id: 'x"]; end', group: 'end' }, { id: '<y>' }],
      edges: [{ from: 'x"]; end', to: '<y>', label: '|"#', style: 'dashed', color: '#1a7f37' }],
    });
    expect(mermaidProblems(text)).toEqual([]);
  });

  it('has a checker that finds broken structure', () => {
    expect(mermaidProblems('flowchart LR\n  subgraph g0["a"]\n  n0["x"]\n')).toContain('unbalanced subgraphs (1)');
    expect(mermaidProblems('flowchart LR\n  end\n')).toContain('end without subgraph');
    expect(mermaidProblems('flowchart LR\n  n0 -->|"x"| n1\n')).toContain('edge to undeclared node n0');
    expect(mermaidProblems('flowchart LR\n  n-0["x"]\n')).toEqual(['unexpected line: n-0["x"]']);
    expect(mermaidProblems('graph XY\n')).toEqual(['bad header: graph XY']);
  });
});

/** A changed copy of the shop: frontend may also call the backend's metrics port; its public ingress shrinks to 10/8. */
function changedShop(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netreach-diff-'));
  cpSync(SHOP, dir, { recursive: true });
  const file = join(dir, 'policies-shop.yaml');
  let text = readFileSync(file, 'utf8');
  const edit = (from: string, to: string): void => {
    expect(text).toContain(from);
    text = text.replace(from, to);
  };
  edit(
    '        - { protocol: TCP, port: 8080 }\n---',
    '        - { protocol: TCP, port: 8080 }\n        - { protocol: TCP, port: 9090 }\n---',
  );
  edit(
    '        - port: http\n  egress:\n    - to:\n        - namespaceSelector:',
    '        - port: http\n        - port: metrics\n  egress:\n    - to:\n        - namespaceSelector:',
  );
  edit('ipBlock: { cidr: 0.0.0.0/0 }', 'ipBlock: { cidr: 10.0.0.0/8 }');
  writeFileSync(file, text);
  return dir;
}

describe('diff --output dot|mermaid', () => {
  const after = changedShop();

  it.skipIf(!hasDot)(
    'draws gained edges green and solid, lost edges red and dashed (Graphviz renders it)',
    async () => {
      const r = await run(['diff', SHOP, after, '-o', 'dot']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(
        '"shop/frontend" -> "shop/backend" [label="+ TCP 9090", color="#1a7f37", fontcolor="#1a7f37"];',
      );
      expect(r.stdout).toContain(
        '"0.0.0.0-9.255.255.255" -> "shop/frontend" [label="- TCP 8080", color="#cf222e", fontcolor="#cf222e", style=dashed];',
      );
      const out = renderSvg(r.stdout);
      expect(out.status).toBe(0);
      expect(out.svg.match(/<g id="clust\d+" class="cluster">/g)).toHaveLength(1);
      expect(out.svg.match(/stroke="#cf222e" stroke-dasharray/g)).toHaveLength(2);
      expect(out.svg).toMatch(/<path fill="none" stroke="#1a7f37" d=/);
    },
  );

  it('writes a structurally valid Mermaid flowchart with coloured links', async () => {
    const r = await run(['diff', SHOP, after, '-o', 'mermaid']);
    expect(r.code, r.stderr).toBe(0);
    expect(mermaidProblems(r.stdout)).toEqual([]);
    expect(r.stdout).toContain('n0 -->|"+ TCP 9090"| n1');
    expect(r.stdout.match(/ -\.->\|"- TCP 8080"\| n0/g)).toHaveLength(2);
    expect(r.stdout).toContain('linkStyle 0 stroke:#1a7f37,color:#1a7f37');
    expect(r.stdout).toContain('linkStyle 1,2 stroke:#cf222e,color:#cf222e');
  });

  it('draws an empty graph when nothing changed', async () => {
    const r = await run(['diff', SHOP, SHOP, '-o', 'mermaid']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('flowchart LR\n');
  });
});

describe('matrix --output errors', () => {
  it('names the new formats when the format is unknown (exit 2, one line)', async () => {
    const r = await run(['matrix', SHOP, '-o', 'svg']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --output must be one of table, json, csv, md, dot, mermaid, not "svg"\n');
  });
});
