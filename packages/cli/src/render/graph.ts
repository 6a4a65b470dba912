/**
 * Graph renderers: Graphviz DOT and Mermaid flowcharts over a generic graph — nodes that may
 * belong to a group (drawn as a cluster / subgraph) and labelled edges with an optional colour
 * and line style. `matrix` and `diff` both render through these.
 */
import {
  type ConnectivityDiff,
  type Matrix,
  type MatrixEndpoint,
  type PodEndpoint,
  type PortSet,
  type Session,
  formatPortSet,
  isEmptyPortSet,
} from '@netreach/core';

/** A node. `group` puts it in a cluster (DOT) or subgraph (Mermaid) of that name. */
export interface GraphNode {
  /** Unique id (any text: renderers make their own safe ids). */
  readonly id: string;
  /** Text shown in the node; default the id. */
  readonly label?: string | undefined;
  readonly group?: string | undefined;
  /** Drawn as an ellipse instead of a box (addresses and nodes outside the pod network). */
  readonly outside?: boolean | undefined;
}

/** A directed, labelled edge between two node ids. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** CSS/Graphviz colour such as `#1a7f37`; default the renderer's. */
  readonly color?: string | undefined;
  /** Default solid. */
  readonly style?: 'solid' | 'dashed' | undefined;
}

/** A graph to render. Edges may only refer to listed nodes. */
export interface Graph {
  readonly title?: string | undefined;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Edge look for a connection a change adds (`diff`). */
export const GAINED_EDGE = { color: '#1a7f37', style: 'solid' } as const;
/** Edge look for a connection a change removes (`diff`). */
export const LOST_EDGE = { color: '#cf222e', style: 'dashed' } as const;

/** Nodes in first-seen group order: the ungrouped ones and one list per group. */
function grouped(nodes: readonly GraphNode[]): { loose: GraphNode[]; groups: Map<string, GraphNode[]> } {
  const loose: GraphNode[] = [];
  const groups = new Map<string, GraphNode[]>();
  for (const n of nodes) {
    if (n.group === undefined) loose.push(n);
    else {
      const list = groups.get(n.group);
      if (list === undefined) groups.set(n.group, [n]);
      else list.push(n);
    }
  }
  return { loose, groups };
}

function checkEdges(g: Graph): void {
  const ids = new Set(g.nodes.map((n) => n.id));
  if (ids.size !== g.nodes.length) throw new Error('graph: duplicate node ids');
  for (const e of g.edges)
    if (!ids.has(e.from) || !ids.has(e.to))
      throw new Error(`graph: edge ${e.from} -> ${e.to} refers to an unknown node`);
}

/** A DOT double-quoted string. */
export function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/**
 * Render Graphviz DOT: groups become `cluster_N` subgraphs labelled with the group name.
 *
 * @example
 * toDot({ nodes: [{ id: 'a' }, { id: 'b' }], edges: [{ from: 'a', to: 'b', label: 'TCP 80' }] });
 */
export function toDot(g: Graph): string {
  checkEdges(g);
  const lines = ['digraph netreach {'];
  const graphAttrs = ['rankdir=LR', 'fontname="Helvetica"', 'fontsize=12'];
  if (g.title !== undefined) graphAttrs.push(`label=${dotString(g.title)}`, 'labelloc=t');
  lines.push(`  graph [${graphAttrs.join(', ')}];`);
  lines.push('  node [shape=box, style="rounded", fontname="Helvetica", fontsize=10];');
  lines.push('  edge [fontname="Helvetica", fontsize=9, color="#57606a", fontcolor="#57606a"];');
  const node = (n: GraphNode, indent: string): string => {
    const attrs = [`label=${dotString(n.label ?? n.id)}`];
    if (n.outside === true) attrs.push('shape=ellipse');
    return `${indent}${dotString(n.id)} [${attrs.join(', ')}];`;
  };
  const { loose, groups } = grouped(g.nodes);
  let i = 0;
  for (const [name, nodes] of groups) {
    lines.push(`  subgraph ${dotString(`cluster_${i++}`)} {`);
    lines.push(`    label=${dotString(name)};`, '    style="rounded,dashed";', '    color="#8c959f";');
    for (const n of nodes) lines.push(node(n, '    '));
    lines.push('  }');
  }
  for (const n of loose) lines.push(node(n, '  '));
  for (const e of g.edges) {
    const attrs = [`label=${dotString(e.label)}`];
    if (e.color !== undefined) attrs.push(`color=${dotString(e.color)}`, `fontcolor=${dotString(e.color)}`);
    if (e.style === 'dashed') attrs.push('style=dashed');
    lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * Text for a Mermaid double-quoted label. Mermaid's entity codes (`#quot;`) do not render the same
 * in every Mermaid version, so the few characters it cannot show in a label become look-alikes:
 * `"` → `'`, `<` `>` → `‹` `›`, and a space keeps `#x;` from reading as an entity code.
 * Kubernetes names never contain them.
 */
export function mermaidText(s: string): string {
  return s
    .replace(/"/g, "'")
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/#(?=\w+;)/g, '# ')
    .replace(/\r?\n/g, ' ');
}

/**
 * Render a Mermaid flowchart: groups become subgraphs; node ids are generated (`n0`, `n1`, …),
 * the original ids are shown as labels. Dashed edges use `-.->`; coloured ones a `linkStyle`.
 */
export function toMermaid(g: Graph): string {
  checkEdges(g);
  const lines: string[] = [];
  if (g.title !== undefined) lines.push('---', `title: ${JSON.stringify(g.title)}`, '---');
  lines.push('flowchart LR');
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  const node = (n: GraphNode, indent: string): string => {
    const text = `"${mermaidText(n.label ?? n.id)}"`;
    return `${indent}${ids.get(n.id)!}${n.outside === true ? `([${text}])` : `[${text}]`}`;
  };
  const { loose, groups } = grouped(g.nodes);
  let i = 0;
  for (const [name, nodes] of groups) {
    lines.push(`  subgraph g${i++}["${mermaidText(name)}"]`);
    for (const n of nodes) lines.push(node(n, '    '));
    lines.push('  end');
  }
  for (const n of loose) lines.push(node(n, '  '));
  const styles = new Map<string, number[]>();
  g.edges.forEach((e, k) => {
    const arrow = e.style === 'dashed' ? '-.->' : '-->';
    lines.push(`  ${ids.get(e.from)!} ${arrow}|"${mermaidText(e.label)}"| ${ids.get(e.to)!}`);
    if (e.color !== undefined) {
      const list = styles.get(e.color);
      if (list === undefined) styles.set(e.color, [k]);
      else list.push(k);
    }
  });
  for (const [color, edges] of styles) lines.push(`  linkStyle ${edges.join(',')} stroke:${color},color:${color}`);
  return `${lines.join('\n')}\n`;
}

/** Edge label for a port set: `TCP 8080`, `TCP 53; UDP 53` or `all`. */
export function portsLabel(ports: PortSet): string {
  return formatPortSet(ports);
}

/** The graph node of a matrix endpoint: pods in their namespace's group, the rest ungrouped. */
export function matrixNode(e: MatrixEndpoint): GraphNode {
  if (e.kind === 'pod') return { id: e.id, label: e.name ?? e.id, group: e.namespace };
  return { id: e.id, label: e.id, outside: true };
}

/** A connectivity matrix as a graph: one edge per allowed pair, labelled with its ports. */
export function matrixGraph(m: Matrix, title?: string): Graph {
  return {
    title,
    nodes: m.endpoints.map(matrixNode),
    edges: m.connections.map((c) => ({ from: c.from, to: c.to, label: portsLabel(c.ports) })),
  };
}

/**
 * The pairs a connectivity change touched, as a graph: gained ports as green solid edges
 * (`+ TCP 80`), lost ports as red dashed ones (`- TCP 80`). Pods found in any of `sessions`
 * are grouped by namespace; nodes, addresses and domains stand alone.
 */
export function diffGraph(diff: ConnectivityDiff, sessions: readonly Session[], title?: string): Graph {
  const pods = new Map<string, PodEndpoint>();
  for (const s of sessions) for (const e of s.analysis.endpoints) if (e.kind === 'pod') pods.set(e.id, e);
  const ids = [...new Set(diff.changes.flatMap((c) => [c.from, c.to]))];
  const edges: GraphEdge[] = [];
  for (const c of diff.changes) {
    if (!isEmptyPortSet(c.gained))
      edges.push({ from: c.from, to: c.to, label: `+ ${portsLabel(c.gained)}`, ...GAINED_EDGE });
    if (!isEmptyPortSet(c.lost)) edges.push({ from: c.from, to: c.to, label: `- ${portsLabel(c.lost)}`, ...LOST_EDGE });
  }
  return {
    title,
    nodes: ids.map((id) => {
      const p = pods.get(id);
      return p !== undefined ? { id, label: p.pod.name, group: p.pod.namespace } : { id, label: id, outside: true };
    }),
    edges,
  };
}
