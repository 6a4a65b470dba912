/**
 * The report page's inline stylesheet and script. The script is plain ES2017 without template
 * literals (it lives in a template string here); it reads the JSON embedded in the page, draws
 * the heatmap on a canvas and shows explanations. It makes no network requests.
 *
 * Both are ASCII: characters beyond it are written as escapes the browser reads (`'\u2026'` in
 * the script). esbuild cannot escape them inside a `String.raw` template, and one such character
 * makes V8 hold the CLI's whole bundle as a two-byte string (twice the memory, slower to read).
 */

/** Inline CSS. System fonts only: no web fonts, nothing fetched. */
export const REPORT_CSS = String.raw`
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --soft: #f6f8fa;
  --allow: #1a7f37; --deny: #cf222e; --some: #bf8700; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: var(--bg); }
header { padding: 18px 28px 10px; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 2px; font-size: 22px; }
header .meta { color: var(--muted); font-size: 13px; }
main { padding: 8px 28px 28px; }
h2 { font-size: 17px; margin: 22px 0 10px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 110px; background: var(--soft); }
.card .num { font-size: 22px; font-weight: 600; }
.card .lbl { color: var(--muted); font-size: 12px; }
.bar { height: 6px; background: #e6e9ed; border-radius: 3px; overflow: hidden; margin-top: 4px; display: flex; }
.bar span { display: block; height: 100%; }
details { margin: 6px 0; }
details summary { cursor: pointer; }
ul.plain { margin: 4px 0 4px 18px; padding: 0; columns: 3 260px; }
ul.plain li { break-inside: avoid; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; margin-bottom: 8px; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
.filters input, .filters select, button { font: inherit; font-size: 13px; padding: 3px 6px; border: 1px solid var(--line);
  border-radius: 6px; background: #fff; color: var(--fg); }
button { cursor: pointer; background: var(--soft); }
button:hover { background: #eaeef2; }
.error { color: var(--deny); font-size: 12px; min-height: 1em; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: 12px; color: var(--muted); margin: 4px 0 8px; }
.sw { display: inline-block; width: 11px; height: 11px; border-radius: 2px; vertical-align: -1px; margin-right: 4px; }
.matrix-area { display: flex; gap: 18px; align-items: flex-start; }
@media (max-width: 1000px) { .matrix-area { flex-wrap: wrap; } }
.canvas-wrap { overflow: auto; max-height: 82vh; border: 1px solid var(--line); border-radius: 8px; flex: 0 1 auto; min-width: 0; }
canvas { display: block; cursor: crosshair; }
canvas:focus-visible { outline: 2px solid #0969da; outline-offset: -2px; }
#panel { flex: 0 0 440px; max-width: 100%; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px;
  position: sticky; top: 8px; background: #fff; }
#panel h3 { margin: 0 0 6px; font-size: 15px; word-break: break-all; }
#panel .hint { color: var(--muted); font-size: 12px; }
#panel code { word-break: break-all; }
.example { border-top: 1px solid var(--line); padding-top: 8px; margin-top: 8px; }
.example .head { font-weight: 600; margin-bottom: 4px; }
.verdict { font-weight: 700; font-size: 12px; padding: 1px 6px; border-radius: 10px; color: #fff; margin-left: 6px; }
.verdict.allow { background: var(--allow); } .verdict.deny { background: var(--deny); }
.side { margin: 6px 0 8px; border-left: 3px solid var(--line); padding-left: 8px; }
.side.allow { border-color: var(--allow); } .side.deny { border-color: var(--deny); }
.side .line { font-size: 13px; }
.side pre { margin: 3px 0 0; white-space: pre-wrap; color: var(--muted); }
#tooltip { position: fixed; pointer-events: none; background: #1f2328; color: #fff; font-size: 12px; padding: 4px 8px;
  border-radius: 5px; display: none; z-index: 10; max-width: 420px; white-space: pre-line; }
#view-status { color: var(--muted); font-size: 12px; margin: 4px 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
footer { color: var(--muted); font-size: 12px; padding: 12px 28px 24px; }
`;

/** Inline script (no template literals, no `${`: it sits in a template string). */
export const REPORT_JS = String.raw`
(function () {
  'use strict';
  var t0 = performance.now();
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var P = D.pods, N = P.names.length, K = D.classCount;
  var $ = function (id) { return document.getElementById(id); };
  var ids = P.names.map(function (n, i) { return D.namespaces[P.ns[i]] + '/' + n; });

  function parsePorts(t) {
    var o = { all: t === 'all' };
    if (t === 'all' || t === 'none') return o;
    t.split('; ').forEach(function (part) {
      var sp = part.indexOf(' ');
      o[part.slice(0, sp)] = part.slice(sp + 1).split(',').map(function (r) {
        var d = r.indexOf('-');
        return d < 0 ? [+r, +r] : [+r.slice(0, d), +r.slice(d + 1)];
      });
    });
    return o;
  }
  var PS = D.portSets.map(parsePorts);
  function psHas(p, proto, port) {
    if (p.all) return true;
    var iv = p[proto] || [];
    for (var k = 0; k < iv.length; k++) if (port >= iv[k][0] && port <= iv[k][1]) return true;
    return false;
  }
  var over = new Map();
  D.overrides.forEach(function (o) { over.set(o[0] * N + o[1], o); });
  function cellSet(i, j) {
    var o = over.size > 0 ? over.get(i * N + j) : undefined;
    return o ? o[2] : D.cells[P.cls[i] * K + P.cls[j]];
  }

  var state = { ns: null, labels: [], port: null, policy: -1, apply: 'both', zoom: 1, sel: null };
  var rows = [], cols = [];
  var policyClasses = null;

  function podMatches(i) {
    if (state.ns !== null && !state.ns.has(P.ns[i])) return false;
    if (policyClasses !== null && !policyClasses.has(P.cls[i])) return false;
    if (state.labels.length > 0) {
      var set = D.labelSets[P.labels[i]];
      for (var k = 0; k < state.labels.length; k++) {
        var term = state.labels[k];
        var ok = term.value === null
          ? set.some(function (l) { return l.slice(0, term.key.length + 1) === term.key + '='; })
          : set.indexOf(term.key + '=' + term.value) >= 0;
        if (!ok) return false;
      }
    }
    return true;
  }
  function computeView() {
    var all = [], hit = [];
    for (var i = 0; i < N; i++) { all.push(i); if (podMatches(i)) hit.push(i); }
    rows = state.apply === 'dst' ? all : hit;
    cols = state.apply === 'src' ? all : hit;
  }

  function parseLabels(text) {
    var out = [];
    var parts = text.split(',');
    for (var k = 0; k < parts.length; k++) {
      var p = parts[k].trim();
      if (p === '') continue;
      var eq = p.indexOf('=');
      var key = (eq < 0 ? p : p.slice(0, eq)).trim();
      if (key === '') return null;
      out.push({ key: key, value: eq < 0 ? null : p.slice(eq + 1).trim() });
    }
    return out;
  }
  function parsePort(text) {
    var t = text.trim();
    if (t === '') return { none: true };
    var m = /^(?:(tcp|udp|sctp)\s*[\/ ]\s*)?(\d+)(?:\s*\/\s*(tcp|udp|sctp))?$/i.exec(t);
    if (m === null || (m[1] && m[3])) return null;
    var port = +m[2];
    if (port < 1 || port > 65535) return null;
    return { proto: (m[1] || m[3] || 'TCP').toUpperCase(), port: port };
  }

  // ---- drawing
  var canvas = $('matrix');
  var ctx = canvas.getContext('2d');
  var off = document.createElement('canvas');
  var L = { left: 0, top: 0, cell: 1, labels: false };
  var RGB = { none: [234, 238, 242], some: [232, 168, 56], all: [45, 164, 78], self: [110, 119, 129] };
  var FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

  function groups(list) {
    var out = [];
    for (var k = 0; k < list.length; k++) {
      var ns = P.ns[list[k]];
      if (out.length === 0 || out[out.length - 1].ns !== ns) out.push({ ns: ns, start: k, end: k + 1 });
      else out[out.length - 1].end = k + 1;
    }
    return out;
  }
  function fit(text, maxw) {
    if (ctx.measureText(text).width <= maxw) return text;
    var lo = 0, hi = text.length;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (ctx.measureText('\u2026' + text.slice(text.length - mid)).width <= maxw) lo = mid; else hi = mid - 1;
    }
    return '\u2026' + text.slice(text.length - lo);
  }

  var stats = { pairs: 0, allowed: 0 };
  function draw() {
    var R = rows.length, C = cols.length, n = Math.max(R, C, 1);
    var base = Math.max(1, Math.min(32, Math.floor(880 / n)));
    var cell = Math.max(1, Math.min(48, Math.round(base * state.zoom)));
    var labels = cell >= 12;
    ctx.font = FONT;
    var rowText = labels ? rows.map(function (i) { return ids[i]; }) : groups(rows).map(function (g) { return D.namespaces[g.ns]; });
    var colText = labels ? cols.map(function (i) { return ids[i]; }) : groups(cols).map(function (g) { return D.namespaces[g.ns]; });
    var widest = function (list) { var w = 0; list.forEach(function (t) { w = Math.max(w, ctx.measureText(t).width); }); return Math.min(240, Math.ceil(w)); };
    var left = widest(rowText) + 22, top = widest(colText) + 22;
    var width = left + C * cell + 10, height = top + R * cell + 10;
    var dpr = Math.min(2, window.devicePixelRatio || 1);
    if (Math.max(width, height) * dpr > 16000) dpr = 1;
    canvas.width = Math.ceil(width * dpr);
    canvas.height = Math.ceil(height * dpr);
    canvas.style.width = width + 'px';
    canvas.style.height = height + 'px';
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    L = { left: left, top: top, cell: cell, labels: labels };

    var rg = groups(rows), cg = groups(cols);
    // Alternate namespace bands behind the labels.
    ctx.fillStyle = '#f3f5f7';
    rg.forEach(function (g, k) { if (k % 2 === 1) ctx.fillRect(0, top + g.start * cell, left - 2, (g.end - g.start) * cell); });
    cg.forEach(function (g, k) { if (k % 2 === 1) ctx.fillRect(left + g.start * cell, 0, (g.end - g.start) * cell, top - 2); });

    // Cells: one pixel per cell in an offscreen canvas, scaled up without smoothing.
    // Colours as 32-bit little-endian RGBA words, one per interned port set.
    var word = function (rgb) { return ((255 << 24) | (rgb[2] << 16) | (rgb[1] << 8) | rgb[0]) >>> 0; };
    var allowedIdx = D.portSets.map(function (t, k) {
      return (state.port !== null ? psHas(PS[k], state.port.proto, state.port.port) : t !== 'none') ? 1 : 0;
    });
    var colour = D.portSets.map(function (t, k) {
      if (state.port !== null) return word(allowedIdx[k] ? RGB.all : RGB.none);
      return word(t === 'none' ? RGB.none : t === 'all' ? RGB.all : RGB.some);
    });
    var selfColour = word(RGB.self);
    stats = { pairs: 0, allowed: 0 };
    if (R > 0 && C > 0) {
      var img = ctx.createImageData(C, R), px = new Uint32Array(img.data.buffer), p = 0, hasOver = over.size > 0;
      var colCls = cols.map(function (j) { return P.cls[j]; }), inCols = new Uint8Array(N);
      cols.forEach(function (j) { inCols[j] = 1; });
      for (var r = 0; r < R; r++) {
        var i = rows[r], base0 = P.cls[i] * K;
        for (var c = 0; c < C; c++, p++) {
          var j = cols[c];
          if (i === j) { px[p] = selfColour; continue; }
          var idx = hasOver ? cellSet(i, j) : D.cells[base0 + colCls[c]];
          px[p] = colour[idx];
          stats.allowed += allowedIdx[idx];
        }
        stats.pairs += C - inCols[i];
      }
      off.width = C;
      off.height = R;
      off.getContext('2d').putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(off, left, top, C * cell, R * cell);
    }
    // Grid and namespace boundaries.
    if (cell >= 6) {
      ctx.fillStyle = 'rgba(255,255,255,0.9)';
      for (var x = 1; x < C; x++) ctx.fillRect(left + x * cell - 0.5, top, 1, R * cell);
      for (var y = 1; y < R; y++) ctx.fillRect(left, top + y * cell - 0.5, C * cell, 1);
    }
    ctx.fillStyle = 'rgba(31,35,40,0.55)';
    var lw = cell >= 3 ? 1 : 0;
    rg.forEach(function (g) {
      if (g.start === 0) return;
      ctx.fillRect(0, top + g.start * cell - 0.5, left + (lw ? C * cell : 0), 1);
    });
    cg.forEach(function (g) {
      if (g.start === 0) return;
      ctx.fillRect(left + g.start * cell - 0.5, 0, 1, top + (lw ? R * cell : 0));
    });
    // Labels.
    ctx.fillStyle = '#1f2328';
    ctx.font = FONT;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    if (labels) {
      rows.forEach(function (i, r) { ctx.fillText(fit(ids[i], left - 12), left - 6, top + r * cell + cell / 2); });
    } else {
      rg.forEach(function (g) {
        if ((g.end - g.start) * cell >= 11) ctx.fillText(fit(D.namespaces[g.ns], left - 12), left - 6, top + ((g.start + g.end) / 2) * cell);
      });
    }
    ctx.save();
    ctx.translate(left, top - 6);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'left';
    if (labels) {
      cols.forEach(function (j, c) { ctx.fillText(fit(ids[j], top - 12), 0, c * cell + cell / 2); });
    } else {
      cg.forEach(function (g) {
        if ((g.end - g.start) * cell >= 11) ctx.fillText(fit(D.namespaces[g.ns], top - 12), 0, ((g.start + g.end) / 2) * cell);
      });
    }
    ctx.restore();
    // Selection.
    if (state.sel !== null) {
      var sr = rows.indexOf(state.sel.i), sc = cols.indexOf(state.sel.j);
      if (sr >= 0 && sc >= 0) {
        ctx.strokeStyle = '#0969da';
        ctx.lineWidth = 2;
        ctx.strokeRect(left + sc * cell - 1, top + sr * cell - 1, cell + 2, cell + 2);
      }
    }
    var pct = stats.pairs > 0 ? Math.round((1000 * stats.allowed) / stats.pairs) / 10 : 0;
    $('view-status').textContent = 'Showing ' + R + ' source(s) \u00d7 ' + C + ' destination(s): ' + stats.allowed + ' of ' +
      stats.pairs + ' pairs (' + pct + '%) allow ' + (state.port !== null ? state.port.proto + '/' + state.port.port : 'some traffic') + '.';
  }

  // ---- explanations
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fill(s, i, j) { return s.split('{{src}}').join(ids[i]).split('{{dst}}').join(ids[j]); }
  function examplesOf(i, j) {
    var o = over.get(i * N + j);
    if (o) return [o[3], o[4]];
    if (D.pairExamples === null) return null;
    var k = (P.cls[i] * K + P.cls[j]) * 2;
    return [D.pairExamples[k], D.pairExamples[k + 1]];
  }
  function sideBox(side, i, j) {
    var box = el('div', 'side ' + (side[0] ? 'allow' : 'deny'));
    var lines = side.slice(1).map(function (k) { return fill(D.strings[k], i, j); });
    box.appendChild(el('div', 'line', lines[0].trim()));
    if (lines.length > 1) box.appendChild(el('pre', '', lines.slice(1).map(function (l) { return l.replace(/^ {4}/, ''); }).join('\n')));
    return box;
  }
  function checkCommand(i, j, port) {
    var paths = D.paths.length > 0 ? D.paths.join(' ') : '<paths>';
    return 'netreach check ' + paths + ' --from ' + ids[i] + ' --to ' + ids[j] + ' --port ' + port;
  }
  function renderPanel() {
    var panel = $('panel');
    panel.textContent = '';
    if (state.sel === null) {
      panel.appendChild(el('h3', '', 'Explanation'));
      panel.appendChild(el('p', 'hint', 'Click a cell of the matrix to see why traffic from its row (source) to its column (destination) is allowed or denied.'));
      return;
    }
    var i = state.sel.i, j = state.sel.j;
    panel.appendChild(el('h3', '', ids[i] + ' \u2192 ' + ids[j]));
    if (i === j) { panel.appendChild(el('p', '', 'A pod can always reach itself.')); return; }
    var idx = cellSet(i, j), t = D.portSets[idx];
    panel.appendChild(el('p', '', t === 'none' ? 'No port is allowed.' : t === 'all' ? 'Every port is allowed.' : 'Allowed ports: ' + t));
    if (state.port !== null) {
      var ok = psHas(PS[idx], state.port.proto, state.port.port);
      var pp = el('p', '', state.port.proto + '/' + state.port.port + ' ');
      pp.appendChild(el('span', 'verdict ' + (ok ? 'allow' : 'deny'), ok ? 'ALLOWED' : 'DENIED'));
      panel.appendChild(pp);
    }
    var ex = examplesOf(i, j);
    if (ex === null) {
      panel.appendChild(el('p', 'hint', 'This cluster has too many distinct pod classes to embed every explanation. Ask netreach:'));
      panel.appendChild(el('code', '', checkCommand(i, j, '<port>')));
      return;
    }
    ex.forEach(function (e) {
      if (e < 0) return;
      var x = D.examples[e], eg = D.sides[x[1]], ig = D.sides[x[2]], allowed = eg[0] && ig[0];
      var box = el('div', 'example');
      var head = el('div', 'head', 'Example: ' + x[0]);
      head.appendChild(el('span', 'verdict ' + (allowed ? 'allow' : 'deny'), allowed ? 'ALLOWED' : 'DENIED'));
      box.appendChild(head);
      box.appendChild(sideBox(eg, i, j));
      box.appendChild(sideBox(ig, i, j));
      panel.appendChild(box);
    });
    var hint = el('p', 'hint', 'Other ports: ');
    hint.appendChild(el('code', '', checkCommand(i, j, '<port>')));
    panel.appendChild(hint);
  }
  function select(i, j) {
    state.sel = { i: i, j: j };
    draw();
    renderPanel();
  }

  // ---- interaction
  var tip = $('tooltip');
  function hit(ev) {
    var rect = canvas.getBoundingClientRect();
    var c = Math.floor((ev.clientX - rect.left - L.left) / L.cell), r = Math.floor((ev.clientY - rect.top - L.top) / L.cell);
    if (r < 0 || c < 0 || r >= rows.length || c >= cols.length) return null;
    return { i: rows[r], j: cols[c] };
  }
  canvas.addEventListener('mousemove', function (ev) {
    var h = hit(ev);
    if (h === null) { tip.style.display = 'none'; return; }
    var t = D.portSets[cellSet(h.i, h.j)];
    tip.textContent = ids[h.i] + ' \u2192 ' + ids[h.j] + '\n' + (h.i === h.j ? 'self' : t === 'none' ? 'no ports' : t === 'all' ? 'all ports' : t);
    tip.style.display = 'block';
    tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - 300) + 'px';
    tip.style.top = ev.clientY + 14 + 'px';
  });
  canvas.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
  canvas.addEventListener('click', function (ev) {
    var h = hit(ev);
    if (h !== null) select(h.i, h.j);
  });
  canvas.addEventListener('keydown', function (ev) {
    var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    var m = moves[ev.key];
    if (!m || rows.length === 0 || cols.length === 0) return;
    ev.preventDefault();
    var r = state.sel !== null ? rows.indexOf(state.sel.i) : -1, c = state.sel !== null ? cols.indexOf(state.sel.j) : -1;
    r = Math.max(0, Math.min(rows.length - 1, r < 0 ? 0 : r + m[0]));
    c = Math.max(0, Math.min(cols.length - 1, c < 0 ? 0 : c + m[1]));
    select(rows[r], cols[c]);
  });

  function applyFilters() {
    var err = [];
    var chosen = Array.prototype.filter.call($('f-ns').options, function (o) { return o.selected; }).map(function (o) { return +o.value; });
    state.ns = chosen.length > 0 ? new Set(chosen) : null;
    var labels = parseLabels($('f-label').value);
    if (labels === null) err.push('labels: use key=value or key, separated by commas');
    state.labels = labels || [];
    var port = parsePort($('f-port').value);
    if (port === null) err.push('port: use TCP/8080, 53/UDP or 8080');
    state.port = port === null || port.none ? null : port;
    state.policy = +$('f-policy').value;
    policyClasses = state.policy >= 0 ? new Set(D.policies[state.policy].subjects) : null;
    state.apply = $('f-apply').value;
    $('f-error').textContent = err.join('; ');
    computeView();
    draw();
    renderPanel();
  }
  ['f-ns', 'f-policy', 'f-apply'].forEach(function (id) { $(id).addEventListener('change', applyFilters); });
  ['f-label', 'f-port'].forEach(function (id) { $(id).addEventListener('input', applyFilters); });
  $('f-reset').addEventListener('click', function () {
    Array.prototype.forEach.call($('f-ns').options, function (o) { o.selected = false; });
    $('f-label').value = '';
    $('f-port').value = '';
    $('f-policy').value = '-1';
    $('f-apply').value = 'both';
    state.zoom = 1;
    applyFilters();
  });
  $('zoom-in').addEventListener('click', function () { if (L.cell < 48) { state.zoom *= 2; draw(); } });
  $('zoom-out').addEventListener('click', function () { if (L.cell > 1) { state.zoom /= 2; draw(); } });
  Array.prototype.forEach.call(document.querySelectorAll('button[data-policy]'), function (b) {
    b.addEventListener('click', function () {
      $('f-policy').value = b.getAttribute('data-policy');
      applyFilters();
      $('matrix-section').scrollIntoView();
    });
  });

  computeView();
  draw();
  renderPanel();
  window.netreachReport = {
    renderMs: performance.now() - t0,
    rows: function () { return rows.map(function (i) { return ids[i]; }); },
    cols: function () { return cols.map(function (j) { return ids[j]; }); },
    layout: function () { return { left: L.left, top: L.top, cell: L.cell }; },
    cellCenter: function (src, dst) {
      var r = rows.map(function (i) { return ids[i]; }).indexOf(src), c = cols.map(function (j) { return ids[j]; }).indexOf(dst);
      if (r < 0 || c < 0) return null;
      return { x: L.left + c * L.cell + L.cell / 2, y: L.top + r * L.cell + L.cell / 2 };
    },
  };
})();
`;
