/** Renderers for the connectivity matrix: terminal table, JSON, CSV, Markdown. */
import {
  type ClassMatrix,
  type Matrix,
  type MatrixEndpoint,
  type PortSet,
  formatPortSet,
  isAllPorts,
  type MatrixJson,
  portSetToJson,
} from '@netreach/core';
import { type Style, plainStyle } from './style.js';
import { groupDigits } from '../format.js';

function portsText(p: PortSet): string {
  return formatPortSet(p);
}

/** Index connections by `from\0to`. */
function connectionIndex(m: Matrix): Map<string, PortSet> {
  return new Map(m.connections.map((c) => [`${c.from}\u0000${c.to}`, c.ports]));
}

/**
 * A terminal table of pods grouped by namespace: rows are sources, columns destinations
 * (numbered like the rows). Partial cells and traffic to or from outside the pods are listed below.
 */
export function matrixTable(m: Matrix, style: Style = plainStyle): string {
  const pods = m.endpoints.filter((e) => e.kind === 'pod');
  const others = m.endpoints.filter((e) => e.kind !== 'pod');
  const conn = connectionIndex(m);
  const lines: string[] = [];
  const namespaces = [...new Set(pods.map((p) => p.namespace!))];
  lines.push(
    `${style.bold('Connectivity matrix')}: ${namespaces.length} namespace(s), ${pods.length} pod(s)` +
      ` — rows: source, columns: destination`,
  );
  lines.push(
    `  ${style.green('●')} all ports   ${style.yellow('◐')} some ports   ${style.dim('·')} none   ${style.dim('=')} self`,
  );
  lines.push('');
  const n = pods.length;
  const numWidth = String(n).length;
  const label = (e: MatrixEndpoint): string =>
    e.workload !== undefined ? `${e.name} (${e.workload.split('/')[0]})` : e.name!;
  const labelWidth = Math.max(10, ...pods.map((p) => label(p).length)) + numWidth + 3;
  // Column header: the destination numbers, written vertically.
  for (let d = numWidth - 1; d >= 0; d--) {
    let row = ' '.repeat(labelWidth + 2);
    for (let j = 1; j <= n; j++) {
      const s = String(j);
      row += `${s.length > d ? s[s.length - 1 - d] : ' '} `;
    }
    lines.push(style.dim(row.trimEnd()));
  }
  const partial: string[] = [];
  let i = 0;
  for (const ns of namespaces) {
    lines.push(style.bold(`${ns}`));
    for (const src of pods.filter((p) => p.namespace === ns)) {
      i++;
      let row = `  ${String(i).padStart(numWidth)} ${label(src)}`.padEnd(labelWidth + 2);
      for (const dst of pods) {
        if (dst === src) {
          row += `${style.dim('=')} `;
          continue;
        }
        const p = conn.get(`${src.id}\u0000${dst.id}`);
        if (p === undefined) row += `${style.dim('·')} `;
        else if (isAllPorts(p)) row += `${style.green('●')} `;
        else {
          row += `${style.yellow('◐')} `;
          partial.push(`  ${src.id} → ${dst.id}: ${portsText(p)}`);
        }
      }
      lines.push(row.trimEnd());
    }
  }
  if (partial.length > 0) {
    lines.push('', style.bold('Some ports only:'), ...partial);
  }
  if (others.length > 0) {
    const outside: string[] = [];
    const otherIds = new Set(others.map((o) => o.id));
    for (const c of m.connections) {
      if (otherIds.has(c.from) || otherIds.has(c.to)) outside.push(`  ${c.from} → ${c.to}: ${portsText(c.ports)}`);
    }
    lines.push('', style.bold('Nodes and addresses outside the pod network:'));
    lines.push(...(outside.length > 0 ? outside : ['  (no allowed connections)']));
  }
  return `${lines.join('\n')}\n`;
}

/** The documented JSON (docs/matrix-json.md), as `computeMatrixJson` builds it. */
export function matrixJsonText(json: MatrixJson): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function portColumns(p: PortSet): [string, string, string] {
  const j = portSetToJson(p);
  if (j === 'all') return ['all', 'all', 'all'];
  return [j.TCP ?? '', j.UDP ?? '', j.SCTP ?? ''];
}

/** CSV: one row per allowed pair, ports per protocol. */
export function matrixCsv(m: Matrix): string {
  const rows = ['from,to,tcp,udp,sctp'];
  for (const c of m.connections) rows.push([c.from, c.to, ...portColumns(c.ports)].map(csvCell).join(','));
  return `${rows.join('\n')}\n`;
}

/** Markdown: one table row per allowed pair. */
export function matrixMarkdown(m: Matrix): string {
  const rows = ['| from | to | allowed |', '| --- | --- | --- |'];
  for (const c of m.connections) rows.push(`| ${c.from} | ${c.to} | ${portsText(c.ports)} |`);
  return `${rows.join('\n')}\n`;
}

/**
 * A terminal summary for clusters too large for a pod table: per source namespace, the share
 * of its pod pairs to each destination namespace that allow some traffic (top destinations).
 */
export function namespaceSummary(cm: ClassMatrix, style: Style = plainStyle, limit = 200): string {
  const nsOf = (id: string): string => id.slice(0, id.indexOf('/'));
  // Pods per (class, namespace).
  const perClass = cm.classes.map((members) => {
    const m = new Map<string, number>();
    for (const id of members) m.set(nsOf(id), (m.get(nsOf(id)) ?? 0) + 1);
    return m;
  });
  const podsIn = new Map<string, number>();
  for (const m of perClass) for (const [ns, n] of m) podsIn.set(ns, (podsIn.get(ns) ?? 0) + n);
  const allowed = new Map<string, Map<string, number>>();
  for (const row of cm.rows)
    for (const g of row.allow)
      for (const d of g.to)
        for (const [ns1, n1] of perClass[row.from]!)
          for (const [ns2, n2] of perClass[d]!) {
            // Pairs of distinct pods: within one class and namespace, a pod and itself do not count.
            const n = row.from === d && ns1 === ns2 ? n1 * (n2 - 1) : n1 * n2;
            if (n === 0) continue;
            let m = allowed.get(ns1);
            if (m === undefined) allowed.set(ns1, (m = new Map()));
            m.set(ns2, (m.get(ns2) ?? 0) + n);
          }
  const namespaces = [...podsIn.keys()].sort();
  const pods = [...podsIn.values()].reduce((a, b) => a + b, 0);
  const lines = [
    `${style.bold('Connectivity by namespace')}: ${namespaces.length} namespace(s), ${groupDigits(pods)} pods — ` +
      `too many for a pod table (over ${limit}).`,
    `  Use --namespace <ns> for a pod table of some namespaces, or --output json --level class for everything.`,
    `  Per source namespace: the destination namespaces its pods reach, with the share of pod pairs that allow some traffic.`,
    '',
  ];
  const TOP = 8;
  for (const ns of namespaces) {
    const n1 = podsIn.get(ns)!;
    const dests = [...(allowed.get(ns) ?? new Map<string, number>())]
      .map(([d, n]) => ({ d, share: n / (n1 * (d === ns ? n1 - 1 : podsIn.get(d)!)) }))
      .sort((a, b) => b.share - a.share || (a.d < b.d ? -1 : 1));
    const shown = dests
      .slice(0, TOP)
      .map((x) => `${x.d} ${Math.round(x.share * 100)}%`)
      .join(', ');
    const more = dests.length > TOP ? `, … ${dests.length - TOP} more` : '';
    lines.push(`${style.bold(ns)} (${n1} pods) → ${dests.length === 0 ? style.dim('nothing') : shown + more}`);
  }
  return `${lines.join('\n')}\n`;
}
