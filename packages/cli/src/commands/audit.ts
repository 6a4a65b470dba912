/**
 * `netreach audit --against <snapshot>`: compare the connectivity of manifests with a snapshot.
 * Exit 0 when identical, 1 when it drifted, 2 on error. Newly allowed flows are listed first.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type AuditFlow,
  type AuditResult,
  type Snapshot,
  auditJson,
  auditSnapshot,
  formatIssue,
  parseSnapshot,
} from '@netreach/core';
import type { Command } from 'commander';
import { type CliIo, loadSession } from '../context.js';
import { CliError } from '../errors.js';
import type { Style } from '../render/style.js';
import {
  type ChangeFormat,
  type ChangeOptions,
  type ChangeRow,
  changeLines,
  changeTable,
  parseChangeFormat,
  whyText,
  withChangeOptions,
} from './diff.js';

interface AuditOptions extends ChangeOptions {
  against: string;
}

/** Read and validate a snapshot file; problems are errors naming the file (exit 2). */
export function readSnapshotFile(io: CliIo, file: string, quiet: boolean | undefined): Snapshot {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    throw new CliError(`${file}: cannot read snapshot (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file}: not a snapshot: invalid JSON (${(e as Error).message})`);
  }
  const { snapshot, issues } = parseSnapshot(json, file);
  if (snapshot === undefined) throw new CliError(`${file}: invalid snapshot`, issues);
  if (!quiet) for (const w of issues) io.stderr(`${formatIssue(w)}\n`);
  return snapshot;
}

function rowOf(f: AuditFlow): ChangeRow {
  return {
    from: f.from,
    to: f.to,
    ports: f.ports,
    example: f.example && {
      protocol: f.example.protocol,
      port: f.example.port,
      verdicts: [['now', f.example.explanation]],
    },
  };
}

/** Render an audit result; newly allowed flows come first. */
export function renderAudit(
  result: AuditResult,
  against: string,
  format: ChangeFormat,
  style: Style,
  explain: boolean,
): string {
  const allowed = result.newlyAllowed.map(rowOf);
  const denied = result.newlyDenied.map(rowOf);
  if (format === 'json') return `${JSON.stringify(auditJson(result, against), null, 2)}\n`;
  const headline = result.identical
    ? `No drift: connectivity matches ${against}.`
    : `Connectivity drifted from ${against}: ${allowed.length} newly allowed, ${denied.length} newly denied, ` +
      `${result.endpointsAdded.length} endpoint(s) added, ${result.endpointsRemoved.length} removed`;
  const why = (r: ChangeRow): string =>
    r.example === undefined ? 'endpoint no longer exists' : whyText(r.example.verdicts[0]?.[1]);
  if (format === 'md') {
    const out = ['## Connectivity audit', '', headline, ''];
    if (allowed.length > 0) out.push(`**Newly allowed** (${allowed.length})`, '', ...changeTable(allowed, why), '');
    if (denied.length > 0) out.push(`**Newly denied** (${denied.length})`, '', ...changeTable(denied, why), '');
    if (result.endpointsAdded.length > 0)
      out.push(`**Endpoints added:** ${result.endpointsAdded.map((e) => `\`${e}\``).join(', ')}`);
    if (result.endpointsRemoved.length > 0)
      out.push(`**Endpoints removed:** ${result.endpointsRemoved.map((e) => `\`${e}\``).join(', ')}`);
    return `${out.join('\n').trimEnd()}\n`;
  }
  const out = [style.bold(result.identical ? style.green(headline) : style.red(headline))];
  if (allowed.length > 0)
    out.push('', style.bold(style.red(`Newly allowed (${allowed.length}):`)), ...changeLines(allowed, style, explain));
  if (denied.length > 0)
    out.push('', style.bold(style.yellow(`Newly denied (${denied.length}):`)), ...changeLines(denied, style, explain));
  if (result.endpointsAdded.length > 0) out.push('', `Endpoints added: ${result.endpointsAdded.join(', ')}`);
  if (result.endpointsRemoved.length > 0)
    out.push(
      ...(result.endpointsAdded.length > 0 ? [] : ['']),
      `Endpoints removed: ${result.endpointsRemoved.join(', ')}`,
    );
  return `${out.join('\n')}\n`;
}

/** Register the command. */
export function registerAudit(program: Command, io: CliIo, style: Style, setExit: (code: number) => void): void {
  withChangeOptions(
    program
      .command('audit')
      .description('compare connectivity with a snapshot (exit 0 identical, 1 drifted, 2 error)')
      .argument('<paths...>', 'manifest files or directories, - for stdin')
      .requiredOption('--against <snapshot>', 'snapshot file written by netreach snapshot'),
  ).action((paths: string[], o: AuditOptions) => {
    const format = parseChangeFormat(o.output);
    const snapshot = readSnapshotFile(io, o.against, o.quiet);
    const session = loadSession(io, paths, o);
    const result = auditSnapshot(session, snapshot);
    io.stdout(renderAudit(result, o.against, format, style, o.explain === true));
    setExit(result.identical ? 0 : 1);
  });
}
