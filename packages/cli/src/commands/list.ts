/** `netreach list`: every allowed connection, in netpol-analyzer's `list` (connlist) format. */
import {
  CONNLIST_ANALYSIS_OPTIONS,
  type Session,
  analyzeCluster,
  computeConnlist,
  connlistText,
  loadManifests,
  NetreachError,
} from '@netreach/core';
import type { Command } from 'commander';
import { type CliIo, reportIssues } from '../context.js';
import { CliError } from '../errors.js';
import { readManifestSources } from '../io.js';

interface ListOptions {
  format: string;
  quiet?: boolean;
}

const FORMATS = ['connlist'];

/** Load the manifests under `paths` and analyse them with netpol-analyzer's semantics. */
function loadCompatSession(io: CliIo, paths: readonly string[], quiet: boolean | undefined): Session {
  const loaded = loadManifests(readManifestSources(paths, io.cwd));
  reportIssues(io, loaded.issues, quiet);
  let session: Session;
  try {
    session = analyzeCluster(loaded.cluster, CONNLIST_ANALYSIS_OPTIONS);
  } catch (e) {
    if (e instanceof NetreachError) throw new CliError(e.message, e.issues);
    throw e;
  }
  reportIssues(io, session.issues, quiet);
  return session;
}

/** Register the command. */
export function registerList(program: Command, io: CliIo): void {
  program
    .command('list')
    .description("all allowed connections between workloads and IP ranges, as netpol-analyzer's `list` prints them")
    .argument('<paths...>', 'manifest files or directories, - for stdin')
    .option('--format <format>', 'output format: connlist (netpol-analyzer txt)', 'connlist')
    .option('-q, --quiet', 'do not print warnings')
    .action((paths: string[], o: ListOptions) => {
      if (!FORMATS.includes(o.format))
        throw new CliError(`--format must be one of ${FORMATS.join(', ')}, not "${o.format}"`);
      const session = loadCompatSession(io, paths, o.quiet);
      const result = computeConnlist(session);
      reportIssues(io, result.issues, o.quiet);
      io.stdout(connlistText(result.lines));
    });
}
