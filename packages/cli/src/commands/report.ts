/** `netreach report`: a self-contained HTML connectivity report. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type CliIo, type CommonOptions, loadSession, withCommonOptions } from '../context.js';
import { CliError } from '../errors.js';
import { buildReportData, renderReportHtml } from '../render/report/index.js';
import { stats } from '../stats.js';

interface ReportCommandOptions extends CommonOptions {
  output?: string;
  title?: string;
}

/** Register the command. */
export function registerReport(program: Command, io: CliIo, version: string): void {
  withCommonOptions(
    program
      .command('report')
      .description('write a self-contained HTML report: summary, interactive matrix with explanations, policies')
      .argument('<paths...>', 'manifest files or directories, - for stdin')
      .option('-o, --output <file>', 'file to write (default: stdout)')
      .option('--title <text>', 'page title', 'netreach connectivity report'),
  ).action((paths: string[], o: ReportCommandOptions) => {
    if (o.output === '') throw new CliError('--output: expected a file name');
    const session = loadSession(io, paths, o);
    stats.step('building the report…');
    const data = buildReportData(session, { title: o.title, paths, version });
    stats.mark('report: data and explanations');
    const html = renderReportHtml(data);
    stats.mark('report: html');
    stats.step('');
    stats.fact('report classes', data.classCount);
    stats.fact('report bytes', Buffer.byteLength(html));
    if (o.output === undefined || o.output === '-') {
      io.stdout(html);
      return;
    }
    const file = resolve(io.cwd, o.output);
    try {
      writeFileSync(file, html);
    } catch (e) {
      throw new CliError(`${o.output}: cannot write (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (!o.quiet) io.stderr(`wrote ${o.output} (${Math.ceil(Buffer.byteLength(html) / 1024)} KiB)\n`);
  });
}
