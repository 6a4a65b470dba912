/**
 * `netreach diff <before> <after>`: the connectivity gained and lost between two policy sets.
 * Also the renderers shared by `whatif` and `audit`.
 */
import {
  type AnalysisOptions,
  type Cluster,
  type ConnectivityDiff,
  type FlowChangeExample,
  type FlowVerdict,
  type Issue,
  type PortSet,
  type Session,
  NetreachError,
  analyzeCluster,
  diffJson,
  diffSessions,
  formatIssue,
  formatPortSet,
  isEmptyPortSet,
} from '@netreach/core';
import type { Command } from 'commander';
import { type CliIo, type CommonOptions, loadSession, reportIssues, withCommonOptions } from '../context.js';
import { CliError } from '../errors.js';
import { sideLines } from '../render/explain.js';
import { diffGraph, toDot, toMermaid } from '../render/graph.js';
import { type Style, plainStyle } from '../render/style.js';

/** Output formats of diff, whatif and audit. */
export type ChangeFormat = 'text' | 'json' | 'md';

/** Validate `--output`. */
export function parseChangeFormat(text: string): ChangeFormat {
  if (text !== 'text' && text !== 'json' && text !== 'md')
    throw new CliError(`--output must be text, json or md, not "${text}"`);
  return text;
}

/** Options of commands that print changes. */
export interface ChangeOptions extends CommonOptions {
  output: string;
  explain?: boolean;
}

/** Add `--output` and `--explain` to a command that prints changes. */
export function withChangeOptions(cmd: Command): Command {
  return withCommonOptions(
    cmd
      .option('-o, --output <format>', 'text, json or md', 'text')
      .option('--explain', 'explain one representative port of every change (both sides)'),
  );
}

/** One row of a change listing, with the verdicts that explain it. */
export interface ChangeRow {
  readonly from: string;
  readonly to: string;
  readonly ports: PortSet;
  /** Representative port and the verdicts to show, labelled (`before`, `after`, `now`). */
  readonly example?:
    | {
        readonly protocol: string;
        readonly port: number;
        readonly verdicts: readonly (readonly [string, FlowVerdict | undefined])[];
      }
    | undefined;
}

/** Aligned `from → to  ports` lines, each optionally followed by its explanation. */
export function changeLines(rows: readonly ChangeRow[], style: Style, explain: boolean): string[] {
  const wf = Math.max(0, ...rows.map((r) => r.from.length));
  const wt = Math.max(0, ...rows.map((r) => r.to.length));
  const out: string[] = [];
  for (const r of rows) {
    out.push(`  ${r.from.padEnd(wf)} → ${r.to.padEnd(wt)}  ${formatPortSet(r.ports)}`);
    if (!explain || r.example === undefined) continue;
    for (const [label, v] of r.example.verdicts) {
      const head = `    ${r.example.protocol}/${r.example.port} ${label}: `;
      if (v === undefined) {
        out.push(`${head}${style.dim('no such flow (a single replica)')}`);
        continue;
      }
      out.push(`${head}${v.allowed ? style.green('allowed') : style.red('denied')}`);
      for (const side of [v.egress, v.ingress]) out.push(...sideLines(side, style).map((l) => `    ${l}`));
    }
  }
  return out;
}

/** Markdown-safe table cell. */
export function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** `egress: …; ingress: …` for a Markdown "why" column. */
export function whyText(v: FlowVerdict | undefined): string {
  if (v === undefined) return 'no such flow (a single replica)';
  return `egress: ${v.egress.summary}; ingress: ${v.ingress.summary}`;
}

/** A Markdown table of change rows with a "why" column. */
export function changeTable(rows: readonly ChangeRow[], why: (r: ChangeRow) => string): string[] {
  return [
    '| from | to | ports | why |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (r) => `| \`${mdCell(r.from)}\` | \`${mdCell(r.to)}\` | ${mdCell(formatPortSet(r.ports))} | ${mdCell(why(r))} |`,
    ),
  ];
}

function rowsOf(diff: ConnectivityDiff, which: 'gained' | 'lost'): ChangeRow[] {
  return diff.changes
    .filter((c) => !isEmptyPortSet(c[which]))
    .map((c) => {
      const ex: FlowChangeExample | undefined = which === 'gained' ? c.gainedExample : c.lostExample;
      return {
        from: c.from,
        to: c.to,
        ports: c[which],
        example:
          ex &&
          ({
            protocol: ex.protocol,
            port: ex.port,
            verdicts: [
              ['before', ex.before],
              ['after', ex.after],
            ],
          } as const),
      };
    });
}

/** Render a connectivity diff as text, JSON or Markdown. */
export function renderDiff(
  diff: ConnectivityDiff,
  format: ChangeFormat,
  style: Style = plainStyle,
  explain = false,
): string {
  const gained = rowsOf(diff, 'gained');
  const lost = rowsOf(diff, 'lost');
  if (format === 'json') return `${JSON.stringify(diffJson(diff), null, 2)}\n`;
  const endpoints = (label: string, list: readonly string[]): string[] =>
    list.length === 0
      ? []
      : [format === 'md' ? `**${label}:** ${list.map((e) => `\`${e}\``).join(', ')}` : `${label}: ${list.join(', ')}`];
  const nothing = gained.length === 0 && lost.length === 0;
  if (format === 'md') {
    const out = ['## Connectivity changes', ''];
    if (nothing) out.push('No flow gained or lost.', '');
    if (gained.length > 0)
      out.push(
        `**Gained** (${gained.length})`,
        '',
        ...changeTable(gained, (r) => whyText(r.example?.verdicts[1]?.[1])),
        '',
      );
    if (lost.length > 0)
      out.push(`**Lost** (${lost.length})`, '', ...changeTable(lost, (r) => whyText(r.example?.verdicts[1]?.[1])), '');
    out.push(
      ...endpoints('Endpoints added', diff.endpointsAdded),
      ...endpoints('Endpoints removed', diff.endpointsRemoved),
    );
    return `${out.join('\n').trimEnd()}\n`;
  }
  const out: string[] = [];
  out.push(
    style.bold(
      nothing
        ? 'No connectivity changes.'
        : `Connectivity changes: ${gained.length} pair(s) gained ports, ${lost.length} pair(s) lost ports`,
    ),
  );
  if (gained.length > 0)
    out.push('', style.bold(style.green(`Gained (${gained.length}):`)), ...changeLines(gained, style, explain));
  if (lost.length > 0)
    out.push('', style.bold(style.red(`Lost (${lost.length}):`)), ...changeLines(lost, style, explain));
  const eps = [
    ...endpoints('Endpoints added', diff.endpointsAdded),
    ...endpoints('Endpoints removed', diff.endpointsRemoved),
  ];
  if (eps.length > 0) out.push('', ...eps);
  return `${out.join('\n')}\n`;
}

/**
 * Analyse an edited cluster with the options of the session it came from; compile issues
 * already reported for that session are not repeated.
 */
export function analyzeEdited(
  io: CliIo,
  cluster: Cluster,
  options: AnalysisOptions,
  seen: readonly Issue[],
  quiet: boolean | undefined,
): Session {
  let session: Session;
  try {
    session = analyzeCluster(cluster, options);
  } catch (e) {
    if (e instanceof NetreachError) throw new CliError(e.message, e.issues);
    throw e;
  }
  const old = new Set(seen.map(formatIssue));
  reportIssues(
    io,
    session.issues.filter((i) => !old.has(formatIssue(i))),
    quiet,
  );
  return session;
}

/** Register the command. */
export function registerDiff(program: Command, io: CliIo, style: Style): void {
  withChangeOptions(
    program
      .command('diff')
      .description('flows gained and lost between two sets of manifests (exit 0); -o dot|mermaid draws them as a graph')
      .argument('<before>', 'manifest file or directory: the current state')
      .argument('<after>', 'manifest file or directory: the proposed state'),
  ).action((before: string, after: string, o: ChangeOptions) => {
    if (o.output === 'dot' || o.output === 'mermaid') {
      const [a, b] = [loadSession(io, [before], o), loadSession(io, [after], o)];
      const graph = diffGraph(diffSessions(a, b, { explain: false }), [a, b]);
      io.stdout(o.output === 'dot' ? toDot(graph) : toMermaid(graph));
      return;
    }
    const format = parseChangeFormat(o.output);
    const a = loadSession(io, [before], o);
    const b = loadSession(io, [after], o);
    io.stdout(diffText(a, b, format, style, o.explain === true));
  });
}

/** Compare two sessions and render the result (explanations only when shown). */
export function diffText(
  before: Session,
  after: Session,
  format: ChangeFormat,
  style: Style,
  explain: boolean,
): string {
  return renderDiff(diffSessions(before, after, { explain: format !== 'text' || explain }), format, style, explain);
}
