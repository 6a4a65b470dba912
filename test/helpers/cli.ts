/** Helpers to run the CLI in-process or as a real subprocess. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '@netreach/cli';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

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

/** Run `netreach` as a real process, exactly as a user would (through tsx from source). */
export function spawn(args: string[], input?: string, cwd: string = REPO): RunResult {
  const r = spawnSync(
    process.execPath,
    ['--conditions=@netreach/source', '--import', 'tsx', `${REPO}packages/cli/src/bin.ts`, ...args],
    { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
