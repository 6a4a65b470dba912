/** The `netreach` program. */
import { Command, CommanderError } from 'commander';
import { registerCheck } from './commands/check.js';
import { registerMatrix } from './commands/matrix.js';
import { registerReport } from './commands/report.js';
import { registerServe } from './commands/serve.js';
import { registerList } from './commands/list.js';
import { registerDiff } from './commands/diff.js';
import { registerWhatif } from './commands/whatif.js';
import { registerSnapshot } from './commands/snapshot.js';
import { registerAudit } from './commands/audit.js';
import type { CliIo } from './context.js';
import { errorLines } from './errors.js';
import { stats } from './stats.js';
import { styleFor } from './render/style.js';

/** Package version, shown by --version. */
export const VERSION = '0.1.0';

/**
 * Run the CLI with arguments (without `node` and the script) and return the exit code.
 * Never throws: errors are printed to stderr as one line each, exit code 2.
 */
export async function main(
  args: readonly string[],
  io: CliIo,
  env: Record<string, string | undefined> = {},
): Promise<number> {
  let exitCode = 0;
  const setExit = (c: number): void => {
    exitCode = c;
  };
  const style = styleFor(io.isTTY, env);
  const program = new Command('netreach')
    .description('Simulate Kubernetes network policy and analyse reachability.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    })
    .showHelpAfterError('(run with --help for usage)');
  registerCheck(program, io, style, setExit);
  registerMatrix(program, io, style);
  registerReport(program, io, VERSION);
  registerServe(program, io);
  registerList(program, io);
  registerDiff(program, io, style);
  registerWhatif(program, io, style);
  registerSnapshot(program, io);
  registerAudit(program, io, style, setExit);
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync([...args], { from: 'user' });
    if (stats.enabled) io.stderr(stats.report());
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? 0 : 2;
    }
    for (const line of errorLines(e)) io.stderr(`${line}\n`);
    return 2;
  }
}
