/** Benchmark rows, the targets they are judged against, and the Markdown report. */
import { formatBytes, formatMs } from './stats.js';

/** Which measurement a row holds (targets are looked up by it). */
export type RowKey =
  | 'generate'
  | 'parse-yaml'
  | 'parse-json'
  | 'analyse'
  | 'memory-load'
  | 'memory-analyse'
  | 'query-isAllowed'
  | 'query-checkFlow'
  | 'query-reference'
  | 'reference-all-pairs'
  | 'incremental-add'
  | 'incremental-remove'
  | 'matrix-pods'
  | 'matrix-classes'
  | 'pipeline'
  | 'pipeline-class'
  | 'cli'
  | 'cli-class'
  | 'cli-startup'
  | 'node-startup'
  | 'growth'
  | 'timeout';

/** One measured result, as the worker reports it. */
export interface Row {
  readonly key: RowKey;
  readonly scenario: string;
  readonly pods: number;
  /** NetworkPolicies + cluster policies. */
  readonly policies?: number | undefined;
  readonly classes?: number | undefined;
  /** Wall-clock milliseconds (per operation for queries). */
  readonly ms?: number | undefined;
  /** CPU milliseconds (user + system) of the same runs; far below `ms` means the machine was busy. */
  readonly cpuMs?: number | undefined;
  /** Runs the median was taken over (1 = a single cold run). */
  readonly runs?: number | undefined;
  /** Memory in bytes (for memory rows: the peak RSS). */
  readonly bytes?: number | undefined;
  /** Free-text measurement when time/bytes do not fit (e.g. "did not finish"). */
  readonly value?: string | undefined;
  /** Engine vs reference evaluator, e.g. "412× faster (extrapolated)". */
  readonly ratio?: string | undefined;
  readonly note?: string | undefined;
  /** For size-scaled checks (growth): the number a target is checked against. */
  readonly metric?: number | undefined;
}

interface Target {
  readonly text: string;
  /** Whether the row meets it; undefined when the row has no number to check. */
  readonly met: (row: Row) => boolean | undefined;
}

const GIB = 1024 ** 3;
const timeAtMost =
  (ms: number): Target['met'] =>
  (r) =>
    r.ms === undefined ? undefined : r.ms <= ms;

/** The targets of the "Scale" issue, by row and cluster size. */
export function targetFor(row: Row): Target | undefined {
  const at10k = row.pods === 10_000;
  const at100k = row.pods === 100_000;
  switch (row.key) {
    case 'analyse':
      if (at10k) return { text: '≤ 200 ms', met: timeAtMost(200) };
      return undefined;
    case 'pipeline':
    case 'pipeline-class':
    case 'cli':
    case 'cli-class':
      if (at10k) return { text: '≤ 1 s', met: timeAtMost(1000) };
      if (at100k) return { text: '≤ 10 s', met: timeAtMost(10_000) };
      return undefined;
    case 'memory-analyse':
      if (at100k) return { text: '≤ 4 GB peak', met: (r) => (r.bytes === undefined ? undefined : r.bytes <= 4 * GIB) };
      return undefined;
    case 'incremental-add':
    case 'incremental-remove':
      if (at10k) return { text: '≤ 20 ms', met: timeAtMost(20) };
      return undefined;
    case 'query-isAllowed':
    case 'query-checkFlow':
      return { text: '≤ 50 µs', met: timeAtMost(0.05) };
    case 'growth':
      return {
        text: 'near-linear (exponent ≤ 1.2)',
        met: (r) => (r.metric === undefined ? undefined : r.metric <= 1.2),
      };
    case 'timeout':
      if (at100k) return { text: '≤ 10 s', met: () => false };
      return undefined;
    default:
      return undefined;
  }
}

function cell(s: string | undefined): string {
  return (s ?? '').replace(/\|/g, '\\|');
}

function timeCell(r: Row): string {
  if (r.value !== undefined) return r.value;
  if (r.ms === undefined) return '';
  const parts: string[] = [];
  if (r.runs !== undefined) parts.push(r.runs === 1 ? 'n=1' : `median of ${r.runs}`);
  if (r.cpuMs !== undefined) parts.push(`cpu ${formatMs(r.cpuMs)}`);
  return `${formatMs(r.ms)}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** When wall time misses a time target but CPU time meets it, say so (a busy machine). */
function cpuNote(t: Target, r: Row): string {
  if (r.cpuMs === undefined || r.ms === undefined) return '';
  return t.met({ ...r, ms: r.cpuMs }) === true ? ' (cpu time: yes)' : '';
}

/** The results table in Markdown. */
export function markdownTable(rows: readonly Row[]): string {
  const head = [
    'Scenario',
    'Pods',
    'Policies',
    'Classes',
    'Time',
    'Memory',
    'Engine vs reference',
    'Target',
    'Met?',
    'Notes',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const t = targetFor(r);
    const met = t?.met(r);
    lines.push(
      `| ${[
        r.scenario,
        r.pods.toLocaleString('en-US'),
        r.policies?.toLocaleString('en-US') ?? '',
        r.classes?.toLocaleString('en-US') ?? '',
        timeCell(r),
        r.bytes === undefined ? '' : formatBytes(r.bytes),
        r.ratio ?? '',
        t?.text ?? '—',
        t === undefined ? '—' : met === undefined ? '?' : met ? 'yes' : `**no**${cpuNote(t, r)}`,
        r.note ?? '',
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Ratio text: how much faster (or slower) the engine is than the reference. */
export function ratioText(referenceMs: number, engineMs: number, how: string): string {
  if (engineMs <= 0 || referenceMs <= 0) return '';
  const r = referenceMs / engineMs;
  const times =
    r >= 1e5
      ? r.toExponential(1).replace('e+', '·10^')
      : r >= 100
        ? r.toFixed(0)
        : r >= 10
          ? r.toFixed(1)
          : r.toFixed(2);
  return r >= 1 ? `${times}× faster (${how})` : `${(1 / r).toFixed(2)}× slower (${how})`;
}
