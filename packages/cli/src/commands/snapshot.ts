/** `netreach snapshot`: write the connectivity snapshot that `audit` compares against. */
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { formatSnapshot, takeSnapshot } from '@netreach/core';
import type { Command } from 'commander';
import { type CliIo, type CommonOptions, loadSession, withCommonOptions } from '../context.js';
import { CliError } from '../errors.js';

interface SnapshotOptions extends CommonOptions {
  output: string;
}

/**
 * Write a file atomically: to a temporary file beside it, then renamed over it, so that readers
 * never see a half-written file and a failed write leaves the old file as it was.
 */
export function writeFileAtomic(path: string, text: string, display: string = path): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'w' });
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // Nothing was written.
    }
    throw new CliError(`${display}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Register the command. */
export function registerSnapshot(program: Command, io: CliIo): void {
  withCommonOptions(
    program
      .command('snapshot')
      .description('write a stable connectivity snapshot (JSON) to compare against with audit')
      .argument('<paths...>', 'manifest files or directories, - for stdin')
      .option('-o, --output <file>', 'where to write the snapshot; - for stdout', '-'),
  ).action((paths: string[], o: SnapshotOptions) => {
    const session = loadSession(io, paths, o);
    const snapshot = takeSnapshot(session);
    const text = formatSnapshot(snapshot);
    if (o.output === '-') {
      io.stdout(text);
      return;
    }
    writeFileAtomic(resolve(io.cwd, o.output), text, o.output);
    if (!o.quiet)
      io.stderr(
        `wrote ${o.output}: ${snapshot.endpoints.length} endpoint(s), ${snapshot.connections.length} connection(s)\n`,
      );
  });
}
