import { ALL_PORTS, type Matrix } from '@netreach/core';
import { describe, expect, it } from 'vitest';
import { GAINED_EDGE, type Graph, LOST_EDGE, dotString, matrixGraph, mermaidText, toDot, toMermaid } from './graph.js';

const graph: Graph = {
  title: 'demo "graph"',
  nodes: [
    { id: 'shop/web', label: 'web', group: 'shop' },
    { id: 'shop/api', label: 'api', group: 'shop' },
    { id: 'data/db', label: 'db', group: 'data' },
    { id: '0.0.0.0/0', outside: true },
  ],
  edges: [
    { from: 'shop/web', to: 'shop/api', label: 'TCP 8080' },
    { from: 'shop/api', to: 'data/db', label: 'TCP 5432', ...GAINED_EDGE },
    { from: '0.0.0.0/0', to: 'shop/web', label: 'all', ...LOST_EDGE },
  ],
};

describe('toDot', () => {
  const dot = toDot(graph);

  it('puts grouped nodes in clusters and ungrouped ones at the top level', () => {
    expect(dot).toMatch(
      /subgraph "cluster_0" \{\n {4}label="shop";[^}]*"shop\/web" \[label="web"\];\n {4}"shop\/api" \[label="api"\];\n {2}\}/,
    );
    expect(dot).toMatch(/subgraph "cluster_1" \{\n {4}label="data";[^}]*"data\/db"/);
    expect(dot).toContain('\n  "0.0.0.0/0" [label="0.0.0.0/0", shape=ellipse];');
    expect(dot).toContain('label="demo \\"graph\\""');
  });

  it('labels edges and styles gained (green, solid) and lost (red, dashed) ones', () => {
    expect(dot).toContain('"shop/web" -> "shop/api" [label="TCP 8080"];');
    expect(dot).toContain('"shop/api" -> "data/db" [label="TCP 5432", color="#1a7f37", fontcolor="#1a7f37"];');
    expect(dot).toContain(
      '"0.0.0.0/0" -> "shop/web" [label="all", color="#cf222e", fontcolor="#cf222e", style=dashed];',
    );
  });

  it('escapes quotes, backslashes and newlines', () => {
    expect(dotString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });

  it('rejects edges to unknown nodes and duplicate ids', () => {
    expect(() => toDot({ nodes: [{ id: 'a' }], edges: [{ from: 'a', to: 'b', label: '' }] })).toThrow(/unknown node/);
    expect(() => toMermaid({ nodes: [{ id: 'a' }, { id: 'a' }], edges: [] })).toThrow(/duplicate/);
  });
});

describe('toMermaid', () => {
  const mm = toMermaid(graph);

  it('starts with the title as front matter and the flowchart header', () => {
    expect(mm.startsWith('---\ntitle: "demo \\"graph\\""\n---\nflowchart LR\n')).toBe(true);
  });

  it('draws groups as subgraphs, lost edges dashed and coloured with linkStyle', () => {
    expect(mm).toContain('  subgraph g0["shop"]\n    n0["web"]\n    n1["api"]\n  end');
    expect(mm).toContain('  n3(["0.0.0.0/0"])');
    expect(mm).toContain('  n0 -->|"TCP 8080"| n1');
    expect(mm).toContain('  n3 -.->|"all"| n0');
    expect(mm).toContain('  linkStyle 1 stroke:#1a7f37,color:#1a7f37');
    expect(mm).toContain('  linkStyle 2 stroke:#cf222e,color:#cf222e');
  });

  it('escapes characters that would end a label', () => {
    expect(mermaidText('a"b<c>#d;\ne #1')).toBe("a'b‹c›# d; e #1");
    const weird = toMermaid({
      nodes: [{ id: 'x"]; end', group: 'end' }, { id: 'y' }],
      edges: [{ from: 'x"]; end', to: 'y', label: '|"' }],
    });
    expect(weird).toContain('subgraph g0["end"]\n    n0["x\']; end"]\n  end');
    expect(weird).toContain('n0 -->|"|\'"| n1');
  });
});

describe('matrixGraph', () => {
  it('groups pods by namespace and labels edges with their ports', () => {
    const m: Matrix = {
      endpoints: [
        { id: 'shop/web', kind: 'pod', namespace: 'shop', name: 'web', class: 0 },
        { id: '10.0.0.0/8', kind: 'external', class: 1 },
      ],
      connections: [
        {
          from: '10.0.0.0/8',
          to: 'shop/web',
          ports: {
            TCP: [
              [80, 80],
              [443, 443],
            ],
            UDP: [],
            SCTP: [],
          },
        },
        { from: 'shop/web', to: '10.0.0.0/8', ports: ALL_PORTS },
      ],
    };
    const g = matrixGraph(m);
    expect(g.nodes).toEqual([
      { id: 'shop/web', label: 'web', group: 'shop' },
      { id: '10.0.0.0/8', label: '10.0.0.0/8', outside: true },
    ]);
    expect(g.edges.map((e) => e.label)).toEqual(['TCP 80,443', 'all']);
  });
});
