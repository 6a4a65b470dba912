/** `netreach whatif`: what would change if manifests were applied or objects deleted. */
import {
  type Cluster,
  type Issue,
  type ObjectRef,
  type RawObject,
  addObjects,
  hasErrors,
  parseManifests,
  removeObject,
} from '@netreach/core';
import type { Command } from 'commander';
import { type CliIo, loadSession, reportIssues } from '../context.js';
import { CliError } from '../errors.js';
import { readManifestSources } from '../io.js';
import type { Style } from '../render/style.js';
import { type ChangeOptions, analyzeEdited, diffText, parseChangeFormat, withChangeOptions } from './diff.js';

interface WhatifOptions extends ChangeOptions {
  apply?: string[];
  delete?: string[];
}

/** Kinds `--delete` accepts, by lower-case name and common short name. */
const KINDS: ReadonlyMap<string, { kind: string; namespaced: boolean }> = new Map(
  (
    [
      ['NetworkPolicy', true, 'netpol', 'np'],
      ['AdminNetworkPolicy', false, 'anp'],
      ['BaselineAdminNetworkPolicy', false, 'banp'],
      ['ClusterNetworkPolicy', false, 'cnp'],
      ['Pod', true, 'po'],
      ['Deployment', true, 'deploy'],
      ['StatefulSet', true, 'sts'],
      ['DaemonSet', true, 'ds'],
      ['ReplicaSet', true, 'rs'],
      ['ReplicationController', true, 'rc'],
      ['Job', true],
      ['CronJob', true, 'cj'],
      ['Namespace', false, 'ns'],
      ['Node', false, 'no'],
    ] as const
  ).flatMap(([kind, namespaced, ...short]) =>
    [kind.toLowerCase(), ...short].map((k) => [k, { kind, namespaced }] as const),
  ),
);

/** Parse `<kind>/<namespace>/<name>` (namespaced kinds) or `<kind>/<name>` (cluster-scoped). */
export function parseDeleteRef(text: string): ObjectRef {
  const parts = text.split('/');
  const info = KINDS.get((parts[0] ?? '').toLowerCase());
  if (parts.some((p) => p === '') || parts.length < 2 || parts.length > 3)
    throw new CliError(
      `--delete: expected <kind>/<namespace>/<name> or <kind>/<name> for cluster-scoped kinds, got "${text}"`,
    );
  if (info === undefined)
    throw new CliError(
      `--delete ${text}: unknown kind "${parts[0]}" (expected a policy kind, Pod, a workload kind, Namespace or Node)`,
    );
  if (info.namespaced && parts.length !== 3)
    throw new CliError(`--delete ${text}: ${info.kind} is namespaced: use ${parts[0]}/<namespace>/<name>`);
  if (!info.namespaced && parts.length !== 2)
    throw new CliError(`--delete ${text}: ${info.kind} is cluster-scoped: use ${parts[0]}/<name>`);
  return parts.length === 3
    ? { kind: info.kind, namespace: parts[1]!, name: parts[2]! }
    : { kind: info.kind, name: parts[1]! };
}

/** Apply the `--apply` files, then the `--delete` references, to a cluster. */
function edit(io: CliIo, cluster: Cluster, o: WhatifOptions): Cluster {
  let next = cluster;
  for (const file of o.apply ?? []) {
    const objects: RawObject[] = [];
    const issues: Issue[] = [];
    for (const source of readManifestSources([file], io.cwd)) {
      const parsed = parseManifests(source.text, source.name);
      objects.push(...parsed.objects);
      issues.push(...parsed.issues);
    }
    const r = addObjects(next, objects);
    reportIssues(io, [...issues, ...r.issues], o.quiet);
    next = r.cluster;
  }
  for (const text of o.delete ?? []) {
    const r = removeObject(next, parseDeleteRef(text));
    if (hasErrors(r.issues)) throw new CliError(`--delete ${text}: ${r.issues[0]!.message}`);
    next = r.cluster;
  }
  return next;
}

/** Register the command. */
export function registerWhatif(program: Command, io: CliIo, style: Style): void {
  const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
  withChangeOptions(
    program
      .command('whatif')
      .description('what would change if manifests were applied or objects deleted (exit 0)')
      .argument('<paths...>', 'manifest files or directories of the current state, - for stdin')
      .option(
        '--apply <file>',
        'manifest file or directory to apply: new objects or replacements (repeatable)',
        collect,
      )
      .option(
        '--delete <ref>',
        'object to delete: <kind>/<namespace>/<name>, or <kind>/<name> for cluster-scoped kinds (repeatable)',
        collect,
      ),
  ).action((paths: string[], o: WhatifOptions) => {
    const format = parseChangeFormat(o.output);
    if ((o.apply ?? []).length === 0 && (o.delete ?? []).length === 0)
      throw new CliError('whatif needs at least one --apply <file> or --delete <kind>/<namespace>/<name>');
    // Check every --delete reference before doing any work.
    for (const d of o.delete ?? []) parseDeleteRef(d);
    const before = loadSession(io, paths, o);
    const edited = edit(io, before.cluster, o);
    const after = analyzeEdited(io, edited, before.options, before.issues, o.quiet);
    io.stdout(diffText(before, after, format, style, o.explain === true));
  });
}
