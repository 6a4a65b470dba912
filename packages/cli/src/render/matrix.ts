/** Renderers for the connectivity matrix: terminal table, JSON, CSV, Markdown. */
import {
  type Matrix,
  type MatrixEndpoint,
  type PortSet,
  formatPortSet,
  isAllPorts,
  matrixToJson,
  portSetToJson,
} from '@netreach/core';
import { type Style, plainStyle } from './style.js';

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

/** The documented JSON (docs/matrix-json.md). */
export function matrixJsonText(m: Matrix): string {
  return `${JSON.stringify(matrixToJson(m), null, 2)}\n`;
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
