/** Helpers to run the CLI in-process or as a real subprocess. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '@netreach/cli';
import { netreachCommand } from '../../scripts/cli-bundle.mjs';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The compiled CLI that `pnpm netreach` runs (scripts/cli-bundle.mjs). */
export const BUNDLE = `${REPO}dist/cli/netreach.cjs`;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `netreach` in-process (fast). */
export async function run(args: string[], cwd: string = REPO): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTTY: false,
    cwd,
  });
  return { code, stdout, stderr };
}

let built = false;

/**
 * Build the CLI's bundle if it is missing or older than the sources (once per test process; a
 * concurrent build by another test file is harmless: files are replaced atomically).
 */
export function buildCli(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [`${REPO}scripts/cli-bundle.mjs`, '--if-stale'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the CLI failed (exit ${r.status}): ${r.stderr}`);
  built = true;
}

/** Node's options of package.json's `netreach` script (V8's pool of one background thread). */
const ONE_SHOT_OPTIONS = netreachCommand().nodeOptions;

/**
 * Node's arguments to run the bundled CLI as `pnpm netreach` does (its Node options and no source
 * maps for one-shot commands; `serve` runs with Node's defaults and source maps), building it
 * first if stale. The bundle is run directly rather than through scripts/netreach.cjs so that a
 * source saved during the tests does not trigger a rebuild, whose messages would land in the
 * stderr the tests check.
 */
export function cliArgs(args: readonly string[]): string[] {
  buildCli();
  return [...(args[0] === 'serve' ? ['--enable-source-maps'] : ONE_SHOT_OPTIONS), BUNDLE, ...args];
}

/** Run `netreach` as a real process, exactly as a user would: the compiled bundle. */
export function spawn(args: string[], input?: string, cwd: string = REPO): RunResult {
  const r = spawnSync(process.execPath, cliArgs(args), {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Run `netreach` from its TypeScript sources through tsx, as `pnpm netreach:dev` does (slow). */
export function spawnFromSource(args: string[], input?: string, cwd: string = REPO): RunResult {
  const r = spawnSync(
    process.execPath,
    ['--conditions=@netreach/source', '--import', 'tsx', `${REPO}packages/cli/src/bin.ts`, ...args],
    { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
