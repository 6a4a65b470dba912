/**
 * The report page: one self-contained HTML file (inline CSS, script and data; a Content
 * Security Policy that forbids every fetch), readable from file://.
 */
import { REPORT_CSS, REPORT_JS } from './client.js';
import type { ReportData, ReportPolicy } from './model.js';

/** Escape text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a `<script>` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Longest lists the summary and policy table print in full before cutting them short. */
const LIST_LIMIT = 200;
/** Summary lists this short start open. */
const OPEN_LIMIT = 8;

function list(items: readonly string[], limit = LIST_LIMIT): string {
  const shown = items.slice(0, limit).map((i) => `<li>${escapeHtml(i)}</li>`);
  if (items.length > limit) shown.push(`<li>… and ${items.length - limit} more</li>`);
  return `<ul class="plain">${shown.join('')}</ul>`;
}

function percent(n: number, of: number): string {
  if (of === 0) return '0%';
  const p = (100 * n) / of;
  return `${p > 0 && p < 0.1 ? '<0.1' : String(Math.round(p * 10) / 10)}%`;
}

function card(num: string, label: string, extra = ''): string {
  return `<div class="card"><div class="num">${num}</div><div class="lbl">${label}</div>${extra}</div>`;
}

function summaryHtml(d: ReportData): string {
  const s = d.summary;
  const some = s.allowedPairs - s.allPortsPairs;
  const bar =
    s.pairs > 0
      ? `<div class="bar" title="all ports / some ports / none"><span style="width:${(100 * s.allPortsPairs) / s.pairs}%;background:#2da44e"></span>` +
        `<span style="width:${(100 * some) / s.pairs}%;background:#e8a838"></span></div>`
      : '';
  const cards = [
    card(String(s.namespaces), 'namespaces'),
    card(String(s.pods), `pods (${s.replicas} replicas)`),
    card(String(s.policies), 'policies'),
    card(
      percent(s.allowedPairs, s.pairs),
      `of ${s.pairs} pod pairs allowed (${s.allPortsPairs} on all ports, ${some} on some)`,
      bar,
    ),
    card(`${s.notIsolatedIngress.length} / ${s.notIsolatedEgress.length}`, 'pods not isolated (ingress / egress)'),
    card(String(s.fromOutside.length), 'pods reachable from outside'),
  ];
  const outside = s.fromOutside.map((o) => `${o.pod}: ${o.ports} from ${o.from.join(', ')}`);
  const details = (title: string, items: readonly string[], empty: string): string =>
    items.length === 0
      ? `<p>${escapeHtml(empty)}</p>`
      : `<details${items.length <= OPEN_LIMIT ? ' open' : ''}><summary>${escapeHtml(title)} (${items.length})</summary>${list(items)}</details>`;
  return [
    '<section id="summary"><h2>Summary</h2>',
    `<div class="cards">${cards.join('')}</div>`,
    details(
      'Pods not isolated for ingress — no policy selects them, anything may connect',
      s.notIsolatedIngress,
      'Every pod is selected by an ingress policy.',
    ),
    details(
      'Pods not isolated for egress — no policy selects them, they may connect anywhere',
      s.notIsolatedEgress,
      'Every pod is selected by an egress policy.',
    ),
    details(
      'Reachable from outside the cluster — pods that accept traffic from external addresses',
      outside,
      'No pod accepts traffic from external addresses.',
    ),
    '</section>',
  ].join('\n');
}

function policyName(p: ReportPolicy): string {
  return p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name;
}

function policiesHtml(d: ReportData): string {
  if (d.policies.length === 0)
    return '<section id="policies"><h2>Policies</h2><p>No policies: every flow is allowed.</p></section>';
  const podsOfClass: string[][] = Array.from({ length: d.classCount }, () => []);
  d.pods.cls.forEach((c, i) => podsOfClass[c]!.push(`${d.namespaces[d.pods.ns[i]!]!}/${d.pods.names[i]!}`));
  const rules = (n: number | null): string => (n === null ? '—' : String(n));
  const rows = d.policies.map((p, i) => {
    const subjects = p.subjects.flatMap((c) => podsOfClass[c] ?? []).sort();
    const selects =
      subjects.length === 0
        ? 'no pods'
        : `<details><summary>${subjects.length} pod(s)</summary>${list(subjects)}</details>` +
          `<button type="button" data-policy="${i}">show in matrix</button>`;
    return (
      `<tr><td>${escapeHtml(p.kind)}</td><td class="mono">${escapeHtml(policyName(p))}</td><td>${escapeHtml(p.tier)}</td>` +
      `<td class="num">${p.priority}</td><td class="num">${rules(p.ingressRules)}</td><td class="num">${rules(p.egressRules)}</td><td>${selects}</td></tr>`
    );
  });
  return [
    '<section id="policies"><h2>Policies</h2>',
    '<p class="meta">In evaluation order: tier by tier, then by priority (lower first). Rule columns: — means the policy does not affect that direction; 0 means it isolates without allowing anything.</p>',
    '<table><thead><tr><th>Kind</th><th>Name</th><th>Tier</th><th>Priority</th><th>Ingress rules</th><th>Egress rules</th><th>Selects</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table></section>`,
  ].join('\n');
}

function matrixHtml(d: ReportData): string {
  if (d.pods.names.length === 0)
    return '<section id="matrix-section"><h2>Connectivity matrix</h2><p>No pods in the input.</p></section>';
  const nsOptions = d.namespaces.map((n, i) => `<option value="${i}">${escapeHtml(n)}</option>`).join('');
  const policyOptions = d.policies
    .map((p, i) => `<option value="${i}">${escapeHtml(`${p.kind} ${policyName(p)}`)}</option>`)
    .join('');
  const sw = (color: string, text: string): string =>
    `<span><span class="sw" style="background:${color}"></span>${text}</span>`;
  return [
    '<section id="matrix-section"><h2>Connectivity matrix</h2>',
    '<div class="filters">',
    `<label>Namespaces (none selected: all)<select id="f-ns" multiple size="4">${nsOptions}</select></label>`,
    '<label>Labels<input id="f-label" placeholder="app=web, tier" size="18" autocomplete="off"></label>',
    '<label>Port<input id="f-port" placeholder="TCP/8080" size="10" autocomplete="off"></label>',
    `<label>Selected by policy<select id="f-policy"><option value="-1">any</option>${policyOptions}</select></label>`,
    '<label>Filters apply to<select id="f-apply"><option value="both">sources and destinations</option>' +
      '<option value="src">sources (rows) only</option><option value="dst">destinations (columns) only</option></select></label>',
    '<button type="button" id="f-reset">Reset</button>',
    '<span><button type="button" id="zoom-out" title="smaller cells">−</button> <button type="button" id="zoom-in" title="larger cells">+</button></span>',
    '<span id="f-error" class="error"></span>',
    '</div>',
    `<div class="legend">${sw('#2da44e', 'all ports (or the filtered port)')}${sw('#e8a838', 'some ports')}${sw('#eaeef2', 'none')}${sw('#6e7781', 'self')}<span>Rows: source · columns: destination</span></div>`,
    '<div id="view-status"></div>',
    '<div class="matrix-area"><div class="canvas-wrap"><canvas id="matrix" tabindex="0" aria-label="connectivity matrix heatmap"></canvas></div>',
    '<div id="panel" aria-live="polite"></div></div>',
    '</section>',
  ].join('\n');
}

/** Render the complete report page. */
export function renderReportHtml(d: ReportData): string {
  const csp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";
  const source = d.paths.length > 0 ? ` from <span class="mono">${escapeHtml(d.paths.join(' '))}</span>` : '';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(d.title)}</title>`,
    `<style>${REPORT_CSS}</style></head><body>`,
    `<header><h1>${escapeHtml(d.title)}</h1><div class="meta">${d.summary.pods} pods in ${d.summary.namespaces} namespaces${source}; pods of one workload count once</div></header>`,
    '<main>',
    summaryHtml(d),
    matrixHtml(d),
    policiesHtml(d),
    '</main>',
    `<footer>Generated by ${escapeHtml(d.generator)}. This page is self-contained: it loads nothing from the network.</footer>`,
    '<div id="tooltip"></div>',
    // The summary is rendered above; the script does not need it.
    `<script type="application/json" id="report-data">${scriptJson({ ...d, summary: null })}</script>`,
    d.pods.names.length > 0 ? `<script>${REPORT_JS}</script>` : '',
    '</body></html>',
    '',
  ].join('\n');
}
