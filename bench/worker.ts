/**
 * Benchmark worker: measures one cluster size in its own process (so memory is isolated).
 * Reads the manifests the orchestrator wrote, runs the in-process scenarios and prints each
 * result as one `RESULT {json}` line on stdout as soon as it is known (progress goes to stderr),
 * so a run killed at its time limit still reports what it finished.
 *
 * Usage (run.ts bundles it first, like the CLI): node --expose-gc dist/bench/worker.js \
 *   --yaml <dir> --json <dir> --pods <n> --seed <n>
 * (or from source: node --expose-gc --conditions=@netreach/source --import tsx worker.ts …)
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type Cluster,
  type Endpoint,
  type Pod,
  type ManifestSource,
  type Protocol,
  type Session,
  analyzeCluster,
  checkFlow,
  classMatrixToJson,
  computeClassMatrix,
  computeMatrixJson,
  evaluateFlow,
  formatIssue,
  loadManifests,
  matrixEndpoints,
  updateSession,
} from '@netreach/core';
import { Rng, newNetworkPolicy, toYaml } from './generator.js';
import { type Row, type RowKey, ratioText } from './report.js';
import { type ColdRun, type Timing, formatBytes, formatMs, gc, liveBytes, measure, peakRss, timed } from './stats.js';

/** Above this many endpoint pairs the pod-level matrix is not attempted. */
const MAX_MATRIX_PAIRS = 2e8;
/** The reference evaluator runs over all pairs only when that is estimated to take less. */
const REFERENCE_FULL_BUDGET_MS = 60_000;
/** Time spent on the reference sample used for the estimate. */
const REFERENCE_SAMPLE_MS = 4_000;

const { values } = parseArgs({
  options: {
    yaml: { type: 'string' },
    json: { type: 'string' },
    pods: { type: 'string' },
    seed: { type: 'string' },
  },
});
if (values.yaml === undefined || values.json === undefined || values.pods === undefined || values.seed === undefined) {
  process.stderr.write('usage: worker.ts --yaml <dir> --json <dir> --pods <n> --seed <n>\n');
  process.exit(2);
}
const pods = Number(values.pods);
const rng = new Rng(Number(values.seed) ^ 0x5eed);
/** Sizes known so far, shown on every row. */
const known: { policies?: number; classes?: number } = {};

function emit(key: RowKey, scenario: string, fields: Omit<Row, 'key' | 'scenario' | 'pods'>): void {
  const row: Row = { key, scenario, pods, ...known, ...fields };
  process.stdout.write(`RESULT ${JSON.stringify(row)}\n`);
  const shown =
    row.value ?? (row.ms !== undefined ? formatMs(row.ms) : row.bytes !== undefined ? formatBytes(row.bytes) : '');
  process.stderr.write(`  [${pods}] ${scenario}: ${shown}${row.ratio !== undefined ? ` — ${row.ratio}` : ''}\n`);
}

/** Row fields of a timing, optionally per operation. */
function timing(t: Timing, perOp = 1): Pick<Row, 'ms' | 'cpuMs' | 'runs'> {
  return { ms: t.ms / perOp, cpuMs: t.cpuMs / perOp, runs: t.runs };
}

function readSources(dir: string): ManifestSource[] {
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

function load(sources: readonly ManifestSource[]): ReturnType<typeof loadManifests> {
  const r = loadManifests(sources);
  const errors = r.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(`generated manifests do not load: ${formatIssue(errors[0]!)}`);
  return r;
}

const yamlSources = readSources(values.yaml);
const jsonSources = readSources(values.json);
const baseline = liveBytes();
const textBytes = yamlSources.reduce((n, s) => n + Buffer.byteLength(s.text), 0);
const jsonBytes = jsonSources.reduce((n, s) => n + Buffer.byteLength(s.text), 0);

// (a) Parse. The cold run also gives the memory of the loaded cluster.
const coldParse = timed(() => load(yamlSources));
const cluster = coldParse.result.cluster;
known.policies = cluster.policies.length;
emit('memory-load', 'memory after load (peak RSS; live heap in note)', {
  bytes: peakRss(),
  note: `live heap+arrayBuffers held by the cluster: ${formatBytes(liveBytes() - baseline)}`,
});
/** The main scenarios get a median of warm runs up to 15 s per run (n=1 beyond). */
const MAIN = { runs: 5, slowMs: 15_000, budgetMs: 60_000 };
/**
 * For the scenarios measured right after a memory probe: `liveBytes` forces full collections,
 * after which V8 ran the next two runs about twice as slowly (10k analyse: 449 and 426 ms, then
 * 232, 197 and 222), so two more unmeasured runs come first.
 */
const AFTER_PROBE = { ...MAIN, warmups: 2 };
const parseYaml = measure(() => load(yamlSources), AFTER_PROBE, coldParse);
emit('parse-yaml', 'parse YAML (loadManifests)', {
  ...timing(parseYaml.timing),
  note: `${formatBytes(textBytes)} of YAML in ${yamlSources.length} files; ${cluster.pods.length} pods`,
});
const parseJson = measure(() => load(jsonSources), MAIN);
emit('parse-json', 'parse JSON (loadManifests)', {
  ...timing(parseJson.timing),
  note: `${formatBytes(jsonBytes)} of JSON (v1 List per file)`,
});

// (a) Analyse; the cold run gives the memory of the session.
const coldAnalyse: ColdRun<Session> = timed(() => analyzeCluster(cluster));
known.classes = coldAnalyse.result!.analysis.classCount;
emit('memory-analyse', 'memory after load + analyse (peak RSS)', {
  bytes: peakRss(),
  note: `live heap+arrayBuffers held by cluster + session: ${formatBytes(liveBytes() - baseline)}`,
});
// The cold session is handed over (and dropped) so that only one session is alive per run.
const analyse = measure(() => analyzeCluster(cluster), AFTER_PROBE, coldAnalyse);
const session = analyse.result;
const a = session.analysis;
const ANALYSE = 'analyse (analyzeCluster: compile + class engine)';
const analyseNote = `${a.endpoints.length} endpoints, ${a.atoms.size} port atoms`;
emit('analyse', ANALYSE, { ...timing(analyse.timing), note: analyseNote });

// (c) Queries on random pairs.
const podEndpoints = a.endpoints.filter((e) => e.kind === 'pod');
interface Query {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly protocol: Protocol;
  readonly port: number;
}
const queries: Query[] = [];
for (let i = 0; i < 20_000; i++) {
  const atom = rng.pick(a.atoms.atoms);
  queries.push({
    src: rng.pick(podEndpoints),
    dst: rng.pick(podEndpoints),
    protocol: atom.protocol,
    port: rng.int(atom.start, atom.end),
  });
}
let sink = 0;
// The analyse runs above left whole sessions behind (1.5 GB at 100k pods); collect them first, so
// that the query batches do not share the machine with the collector's concurrent marking.
gc();
const isAllowedBatch = measure(
  () => {
    for (const q of queries) if (a.isAllowed(q.src, q.dst, q.protocol, q.port)) sink++;
  },
  { runs: 7 },
);
const isAllowedUs = isAllowedBatch.timing.ms / queries.length;
const fewer = queries.slice(0, 500);
const refBatch = measure(() => {
  for (const q of fewer) if (evaluateFlow(a.pipeline, q.src, q.dst, q.protocol, q.port, a.options).allowed) sink++;
});
const refQueryMs = refBatch.timing.ms / fewer.length;
const checkBatch = measure(() => {
  for (const q of fewer) {
    const r = checkFlow(session, { from: q.src.id, to: q.dst.id, port: q.port, protocol: q.protocol });
    if (r.verdict === 'allow') sink++;
  }
});
const checkFlowMs = checkBatch.timing.ms / fewer.length;
emit('query-isAllowed', 'query: analysis.isAllowed (per query)', {
  ...timing(isAllowedBatch.timing, queries.length),
  ratio: ratioText(refQueryMs, isAllowedUs, 'evaluateFlow on the same pairs'),
  note: `batches of ${queries.length} random pod pairs × random port`,
});
emit('query-checkFlow', 'query: checkFlow (per query, includes explanation)', {
  ...timing(checkBatch.timing, fewer.length),
  ratio: ratioText(refQueryMs, checkFlowMs, 'evaluateFlow on the same pairs'),
  note: `${fewer.length} queries; resolves ids, runs isAllowed and the reference explanation`,
});
emit('query-reference', 'query: reference evaluateFlow (per query)', {
  ...timing(refBatch.timing, fewer.length),
  note: `${fewer.length} queries`,
});

// Reference evaluator over all listed endpoint pairs × port atoms (full, or a timed sample).
const matrixEps = matrixEndpoints(session);
const inside = matrixEps.filter((e) => e.kind === 'pod' || e.kind === 'node').length;
const externals = matrixEps.filter((e) => e.kind === 'external').length;
const domains = matrixEps.filter((e) => e.kind === 'domain').length;
/** Pairs computeMatrix lists: inside → anything but itself, external → inside. */
const listedPairs = inside * (inside + externals + domains - 1) + externals * inside;
const atoms = a.atoms.atoms;
const sources = matrixEps.filter((e) => e.kind !== 'domain');
const outside = (e: Endpoint): boolean => e.kind === 'external' || e.kind === 'domain';
function listed(src: Endpoint, dst: Endpoint): boolean {
  return src !== dst && !(outside(src) && outside(dst)) && src.kind !== 'domain';
}
let mismatches = 0;
function referencePair(src: Endpoint, dst: Endpoint): void {
  for (const atom of atoms) {
    const ref = evaluateFlow(a.pipeline, src, dst, atom.protocol, atom.start, a.options).allowed;
    if (ref !== a.isAllowed(src, dst, atom.protocol, atom.start)) mismatches++;
  }
}
let sampled = 0;
let refSpent = 0;
while (refSpent < REFERENCE_SAMPLE_MS || sampled < 20) {
  const src = rng.pick(sources);
  const dst = rng.pick(matrixEps);
  if (!listed(src, dst)) continue;
  refSpent += timed(() => referencePair(src, dst)).ms;
  sampled++;
}
const perPairMs = refSpent / sampled;
let referenceMs = perPairMs * listedPairs;
let referenceCpuMs: number | undefined;
let referenceHow = `extrapolated from ${sampled} sampled pairs`;
if (referenceMs <= REFERENCE_FULL_BUDGET_MS) {
  mismatches = 0;
  const full = timed(() => {
    for (const src of sources) for (const dst of matrixEps) if (listed(src, dst)) referencePair(src, dst);
  });
  referenceMs = full.ms;
  referenceCpuMs = full.cpuMs;
  referenceHow = `measured over all pairs (the ${sampled}-pair sample had estimated ${formatMs(perPairMs * listedPairs)})`;
}
emit('reference-all-pairs', 'reference: evaluateFlow over all pairs × port atoms', {
  ms: referenceMs,
  cpuMs: referenceCpuMs,
  runs: 1,
  ...(referenceHow.startsWith('extrapolated') && { value: `≈ ${formatMs(referenceMs)} (extrapolated)` }),
  note:
    `${listedPairs.toLocaleString('en-US')} pairs × ${atoms.length} atoms; ${referenceHow}; ` +
    `the timed loop also asks isAllowed per flow (≤ 1/${Math.max(1, Math.round(refQueryMs / isAllowedUs))} of the cost): ` +
    `${mismatches} verdict mismatches engine vs reference`,
});
// Replaces the analyse row above (the orchestrator keeps the last row per key), adding the ratio.
emit('analyse', ANALYSE, {
  ...timing(analyse.timing),
  ratio: ratioText(
    referenceMs,
    analyse.timing.ms,
    `reference all pairs × atoms, ${referenceHow.startsWith('extra') ? 'extrapolated' : 'measured'}`,
  ),
  note: analyseNote,
});

// (d) Incremental change: one NetworkPolicy added, or one policy removed, through updateSession
// from the analysed session. Every run is a different change (a new policy object, another
// removal), so no run finds its change already compiled. An interactive what-if session makes
// many changes, so the median is over 23 of them after one warm-up; the note gives the first
// measured ones, while the update code is still being compiled.
const appPods = cluster.pods.filter((p) => p.labels['app'] !== undefined && p.labels['team'] !== 'platform');
type Change = { readonly cluster: Cluster; readonly check: Query };
const CHANGES = 24;
/** Updated sessions kept for the correctness check (few: each is as big as a session). */
const CHECKED = 2;
const additions: Change[] = [];
const removals: Change[] = [];
for (let i = 0; i < CHANGES; i++) {
  const target = rng.pick(appPods);
  const from = rng.pick(appPods.filter((p) => p.namespace === target.namespace));
  const port = 7000 + i;
  const text = toYaml([
    newNetworkPolicy(target.namespace, `bench-added-${i}`, target.labels['app']!, from.labels['app']!, port),
  ]);
  const added = load([{ name: 'added.yaml', text }]).cluster.policies[0]!;
  const endpoint = (p: Pod): Endpoint => a.endpoints[a.indexOf(`${p.namespace}/${p.name}`)!]!;
  additions.push({
    cluster: { ...cluster, policies: [...cluster.policies, added] },
    check: { src: endpoint(from), dst: endpoint(target), protocol: 'TCP', port },
  });
  const removeAt = rng.int(0, cluster.policies.length - 1);
  removals.push({
    cluster: { ...cluster, policies: cluster.policies.filter((_, k) => k !== removeAt) },
    check: rng.pick(queries),
  });
}
for (const [key, label, changes] of [
  ['incremental-add', 'change: add one NetworkPolicy (updateSession)', additions],
  ['incremental-remove', 'change: remove one policy (updateSession)', removals],
] as const) {
  let next = 0;
  const updated: Session[] = [];
  const inc = measure(
    () => {
      const s = updateSession(session, changes[next++ % CHANGES]!.cluster);
      if (updated.length < CHECKED) updated.push(s);
      return s;
    },
    { runs: CHANGES - 1 },
  );
  // Correctness spot check: each updated session answers like a fresh analysis of its cluster,
  // on the random flows and on a flow the change is about.
  let differ = 0;
  let fullMs = 0;
  updated.forEach((u, i) => {
    const change = changes[i]!;
    const fresh = timed(() => analyzeCluster(change.cluster));
    fullMs = fresh.ms;
    for (const q of [change.check, ...queries.slice(0, 2000)])
      if (
        u.analysis.isAllowed(q.src, q.dst, q.protocol, q.port) !==
        fresh.result.analysis.isAllowed(q.src, q.dst, q.protocol, q.port)
      )
        differ++;
  });
  emit(key, label, {
    ...timing(inc.timing),
    ratio: ratioText(referenceMs, inc.timing.ms, 'vs reference all pairs'),
    note:
      `${inc.timing.runs === 1 ? 'one change' : `${inc.timing.runs + 1} different changes, the first as warm-up (next three: ${inc.timing.samples.slice(0, 3).map(formatMs).join(', ')})`}; ` +
      `full re-analysis of the changed cluster: ${formatMs(fullMs)}; ` +
      `${differ} verdict differences vs a fresh analysis on ${CHECKED} changes × 2,001 flows`,
  });
}

// (b) Matrices.
// The class-level matrix: compact at any size (the only matrix attempted at 100k pods).
const classJson = measure(() => JSON.stringify(classMatrixToJson(computeClassMatrix(session))), { runs: 5 });
emit('matrix-classes', 'class-level matrix (computeClassMatrix + classMatrixToJson + JSON.stringify)', {
  ...timing(classJson.timing),
  bytes: peakRss(),
  note: `${a.classCount.toLocaleString('en-US')} classes; JSON ${formatBytes(Buffer.byteLength(classJson.result))}; memory = peak RSS so far`,
});

emit('pipeline-class', 'in-process total: parse YAML + analyse + class-level JSON matrix', {
  ms: parseYaml.timing.ms + analyse.timing.ms + classJson.timing.ms,
  cpuMs: parseYaml.timing.cpuMs + analyse.timing.cpuMs + classJson.timing.cpuMs,
  note: 'sum of the medians above',
});

let podMatrixMs: number | undefined;
let podMatrixCpuMs = 0;
if (matrixEps.length ** 2 > MAX_MATRIX_PAIRS) {
  emit('matrix-pods', 'pod-level matrix (computeMatrixJson + JSON.stringify)', {
    value: 'skipped',
    note: `${(matrixEps.length ** 2).toExponential(1)} endpoint pairs: the pod-level matrix is not attempted`,
  });
} else {
  // The JSON form directly, as the CLI and the HTTP API build it.
  const compute = timed(() => computeMatrixJson(session));
  const connections = compute.result.connections.length;
  let jsonText: string | undefined;
  let failure: string | undefined;
  const toJson = timed(() => {
    try {
      jsonText = JSON.stringify(compute.result);
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
    }
  });
  podMatrixMs = compute.ms + toJson.ms;
  podMatrixCpuMs = compute.cpuMs + toJson.cpuMs;
  const held = liveBytes() - baseline;
  emit('matrix-pods', 'pod-level matrix (computeMatrixJson + JSON.stringify)', {
    ms: podMatrixMs,
    cpuMs: podMatrixCpuMs,
    runs: 1,
    bytes: peakRss(),
    ratio: ratioText(
      referenceMs,
      analyse.timing.ms + podMatrixMs,
      `analyse + matrix vs reference, ${referenceHow.startsWith('extra') ? 'extrapolated' : 'measured'}`,
    ),
    note:
      `computeMatrixJson ${formatMs(compute.ms)} + JSON.stringify ${formatMs(toJson.ms)}; ${connections.toLocaleString('en-US')} connections; ` +
      (failure !== undefined ? `JSON failed: ${failure}` : `JSON ${formatBytes(Buffer.byteLength(jsonText!))}`) +
      `; memory = peak RSS (live heap with matrix held: ${formatBytes(held)})`,
  });
  jsonText = undefined;
}
// The whole pipeline in-process: parse YAML + analyse + pod-level JSON matrix.
if (podMatrixMs !== undefined)
  emit('pipeline', 'in-process total: parse YAML + analyse + JSON matrix', {
    ms: parseYaml.timing.ms + analyse.timing.ms + podMatrixMs,
    cpuMs: parseYaml.timing.cpuMs + analyse.timing.cpuMs + podMatrixCpuMs,
    note: 'sum of the medians above (matrix: n=1)',
  });
process.stderr.write(`  [${pods}] done (checksum ${sink})\n`);
