/** `netreach matrix`: the connectivity matrix. */
import {
  type Endpoint,
  classMatrixToJson,
  computeClassMatrix,
  computeMatrix,
  computeMatrixJson,
  matrixEndpoints,
} from '@netreach/core';
import type { Command } from 'commander';
import { type CliIo, type CommonOptions, loadSession, withCommonOptions } from '../context.js';
import { CliError } from '../errors.js';
import { stats } from '../stats.js';
import { matrixGraph, toDot, toMermaid } from '../render/graph.js';
import { matrixCsv, matrixJsonText, matrixMarkdown, matrixTable, namespaceSummary } from '../render/matrix.js';

/** Above this many pods, the table output becomes a per-namespace summary. */
export const TABLE_POD_LIMIT = 200;
import type { Style } from '../render/style.js';

interface MatrixOptions extends CommonOptions {
  output: string;
  namespace?: string[];
  podsOnly?: boolean;
  level: string;
}

/** Register the command. */
export function registerMatrix(program: Command, io: CliIo, style: Style): void {
  withCommonOptions(
    program
      .command('matrix')
      .description('the connectivity matrix of pods, nodes and external addresses')
      .argument('<paths...>', 'manifest files or directories, - for stdin')
      .option('-o, --output <format>', 'table, json, csv, md, dot or mermaid', 'table')
      .option('-n, --namespace <ns>', 'only pods in this namespace (repeatable)', (v: string, prev: string[] = []) => [
        ...prev,
        v,
      ])
      .option('--pods-only', 'leave out nodes, external addresses and domains')
      .option(
        '--level <level>',
        'pod (every endpoint pair) or class (equivalence classes; json only, compact at any size)',
        'pod',
      ),
  ).action((paths: string[], o: MatrixOptions) => {
    const formats = ['table', 'json', 'csv', 'md', 'dot', 'mermaid'];
    if (!formats.includes(o.output))
      throw new CliError(`--output must be one of ${formats.join(', ')}, not "${o.output}"`);
    if (o.level !== 'pod' && o.level !== 'class') throw new CliError(`--level must be pod or class, not "${o.level}"`);
    if (o.level === 'class' && o.output !== 'json')
      throw new CliError('--level class is only available with --output json');
    const session = loadSession(io, paths, o);
    if (o.namespace !== undefined) {
      const known = new Set(Object.keys(session.cluster.namespaces));
      for (const ns of o.namespace) if (!known.has(ns)) throw new CliError(`--namespace: unknown namespace "${ns}"`);
    }
    const kinds: Endpoint['kind'][] = o.podsOnly ? ['pod'] : ['pod', 'node', 'external', 'domain'];
    const filter = { kinds, ...(o.namespace !== undefined ? { namespaces: o.namespace } : {}) };
    stats.step('computing the matrix…');
    if (o.level === 'class') {
      const cm = computeClassMatrix(session, filter);
      stats.mark('matrix (class level)');
      const text = `${JSON.stringify(classMatrixToJson(cm))}\n`;
      stats.mark('render');
      stats.step('');
      io.stdout(text);
      return;
    }
    // A pod table only reads well up to a few hundred pods; beyond that, summarise by namespace.
    const podCount = matrixEndpoints(session, {
      kinds: ['pod'],
      ...(o.namespace !== undefined ? { namespaces: o.namespace } : {}),
    }).length;
    if (o.output === 'table' && podCount > TABLE_POD_LIMIT) {
      const cm = computeClassMatrix(session, {
        kinds: ['pod'],
        ...(o.namespace !== undefined ? { namespaces: o.namespace } : {}),
      });
      stats.mark('matrix (class level)');
      io.stdout(namespaceSummary(cm, style, TABLE_POD_LIMIT));
      stats.mark('render');
      return;
    }
    // JSON goes straight to its documented form: no intermediate matrix (an object per
    // connection fewer).
    let render: () => string;
    if (o.output === 'json') {
      const json = computeMatrixJson(session, filter);
      render = () => matrixJsonText(json);
    } else {
      const m = computeMatrix(session, filter);
      render = () =>
        o.output === 'dot'
          ? toDot(matrixGraph(m))
          : o.output === 'mermaid'
            ? toMermaid(matrixGraph(m))
            : o.output === 'csv'
              ? matrixCsv(m)
              : o.output === 'md'
                ? matrixMarkdown(m)
                : matrixTable(m, style);
    }
    stats.mark('matrix');
    stats.step('');
    const out = render();
    stats.mark('render');
    io.stdout(out);
  });
}
