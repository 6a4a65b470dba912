/** `netreach matrix`: the connectivity matrix. */
import { type Endpoint, computeMatrix } from '@netreach/core';
import type { Command } from 'commander';
import { type CliIo, type CommonOptions, loadSession, withCommonOptions } from '../context.js';
import { CliError } from '../errors.js';
import { matrixCsv, matrixJsonText, matrixMarkdown, matrixTable } from '../render/matrix.js';
import type { Style } from '../render/style.js';

interface MatrixOptions extends CommonOptions {
  output: string;
  namespace?: string[];
  podsOnly?: boolean;
}

/** Register the command. */
export function registerMatrix(program: Command, io: CliIo, style: Style): void {
  withCommonOptions(
    program
      .command('matrix')
      .description('the connectivity matrix of pods, nodes and external addresses')
      .argument('<paths...>', 'manifest files or directories, - for stdin')
      .option('-o, --output <format>', 'table, json, csv or md', 'table')
      .option('-n, --namespace <ns>', 'only pods in this namespace (repeatable)', (v: string, prev: string[] = []) => [
        ...prev,
        v,
      ])
      .option('--pods-only', 'leave out nodes, external addresses and domains'),
  ).action((paths: string[], o: MatrixOptions) => {
    const formats = ['table', 'json', 'csv', 'md'];
    if (!formats.includes(o.output)) throw new CliError(`--output must be one of ${formats.join(', ')}, not "${o.output}"`);
    const session = loadSession(io, paths, o);
    const kinds: Endpoint['kind'][] = o.podsOnly ? ['pod'] : ['pod', 'node', 'external', 'domain'];
    const m = computeMatrix(session, { kinds, ...(o.namespace !== undefined ? { namespaces: o.namespace } : {}) });
    if (o.namespace !== undefined) {
      const known = new Set(Object.keys(session.cluster.namespaces));
      for (const ns of o.namespace) if (!known.has(ns)) throw new CliError(`--namespace: unknown namespace "${ns}"`);
    }
    const out =
      o.output === 'json' ? matrixJsonText(m) : o.output === 'csv' ? matrixCsv(m) : o.output === 'md' ? matrixMarkdown(m) : matrixTable(m, style);
    io.stdout(out);
  });
}
