/** Shared command plumbing: output streams, common options, loading a session. */
import {
  type AnalysisOptions,
  type Issue,
  type Session,
  analyzeCluster,
  formatIssue,
  loadManifests,
  NetreachError,
} from '@netreach/core';
import type { Command } from 'commander';
import { CliError } from './errors.js';
import { readManifestSources } from './io.js';
import { stats } from './stats.js';

/** Where a command writes. Results go to stdout, warnings and progress to stderr. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress output only then). */
  readonly isTTY: boolean;
  readonly cwd: string;
}

/** Options every analysing command takes. */
export interface CommonOptions {
  quiet?: boolean;
  ipBlockMatchesPods?: string;
  hostNetwork?: string;
  nodeLocalIngress?: boolean;
  domain?: string[];
  stats?: boolean;
}

/** Add the analysis options to a command. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option('-q, --quiet', 'do not print warnings')
    .option('--stats', 'print a timing breakdown to stderr')
    .option('--ip-block-matches-pods <bool>', 'whether NetworkPolicy ipBlock matches pod IPs (true|false)', 'true')
    .option('--host-network <mode>', 'host-network pods under NetworkPolicy: node (node IPs) or pod', 'node')
    .option('--no-node-local-ingress', "do not exempt ingress from a pod's own node")
    .option(
      '--domain <name=ip,...>',
      'map a domain name to IPs for ClusterNetworkPolicy domainNames (repeatable)',
      (v: string, prev: string[] = []) => [...prev, v],
    );
}

/** Turn common CLI options into analysis options. */
export function analysisOptions(o: CommonOptions): Partial<AnalysisOptions> {
  const out: { -readonly [K in keyof AnalysisOptions]?: AnalysisOptions[K] } = {};
  if (o.ipBlockMatchesPods !== undefined) {
    if (o.ipBlockMatchesPods !== 'true' && o.ipBlockMatchesPods !== 'false')
      throw new CliError(`--ip-block-matches-pods must be true or false, not "${o.ipBlockMatchesPods}"`);
    out.ipBlockMatchesPods = o.ipBlockMatchesPods === 'true';
  }
  if (o.hostNetwork !== undefined) {
    if (o.hostNetwork !== 'node' && o.hostNetwork !== 'pod')
      throw new CliError(`--host-network must be node or pod, not "${o.hostNetwork}"`);
    out.hostNetworkPods = o.hostNetwork;
  }
  if (o.nodeLocalIngress === false) out.nodeLocalIngress = false;
  if (o.domain !== undefined) {
    const map: Record<string, string[]> = {};
    for (const d of o.domain) {
      const eq = d.indexOf('=');
      if (eq <= 0) throw new CliError(`--domain expects name=ip[,ip...], got "${d}"`);
      map[d.slice(0, eq)] = d
        .slice(eq + 1)
        .split(',')
        .filter((x) => x !== '');
    }
    out.domainIps = map;
  }
  return out;
}

/** Print warnings (unless quiet) and fail on errors. */
export function reportIssues(io: CliIo, issues: readonly Issue[], quiet: boolean | undefined): void {
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new CliError(`${errors.length} error(s) in the input`, errors);
  if (!quiet) for (const w of issues) io.stderr(`${formatIssue(w)}\n`);
}

/** Read, load, compile and analyse the manifests under `paths`. */
export function loadSession(io: CliIo, paths: readonly string[], o: CommonOptions): Session {
  stats.enabled = o.stats === true;
  stats.reset();
  if (io.isTTY) stats.progress = (text) => io.stderr(`\r\u001b[2K${text}`);
  const opts = analysisOptions(o);
  stats.step('reading manifests…');
  const sources = readManifestSources(paths, io.cwd);
  stats.mark('read');
  stats.fact('files', sources.length);
  stats.fact(
    'bytes',
    sources.reduce((n, s) => n + s.text.length, 0),
  );
  stats.step('parsing…');
  const loaded = loadManifests(sources);
  stats.mark('parse + model');
  stats.step('');
  reportIssues(io, loaded.issues, o.quiet);
  let session: Session;
  try {
    stats.step('compiling policies…');
    session = analyzeCluster(loaded.cluster, opts, {
      hooks: {
        phase: (name) => {
          stats.mark(name === 'compile' ? 'compile' : `analysis: ${name}`);
          stats.step(name === 'compile' ? 'analysing…' : `analysing (${name} done)…`);
        },
      },
    });
  } catch (e) {
    stats.step('');
    if (e instanceof NetreachError) throw new CliError(e.message, e.issues);
    throw e;
  }
  stats.step('');
  stats.fact('pods', session.cluster.pods.length);
  stats.fact('policies', session.policies.length);
  stats.fact('endpoints', session.analysis.endpoints.length);
  stats.fact('classes', session.analysis.classCount);
  stats.fact('port atoms', session.analysis.atoms.size);
  reportIssues(io, session.issues, o.quiet);
  return session;
}
