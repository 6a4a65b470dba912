/**
 * V8 settings for one-shot commands. A command such as `netreach matrix` on 10k pods runs for
 * about a second, and much of that is spent before V8's optimising compiler (TurboFan) has
 * finished the hot functions: it compiles on a background thread, which on a 2-core machine
 * competes with the garbage collector's helper threads, and it inlines callees generously, which
 * makes each compile job long (the row and shape functions took 50–100 ms each). A smaller
 * inlining budget halves the total compile time and cut the whole command by 10–15 % wall time
 * and 15–20 % CPU time at 10k pods, with no loss at 100k pods (docs/benchmarks.md). `serve` is a
 * long-lived process and keeps V8's defaults.
 */
import { setFlagsFromString } from 'node:v8';

/** What the CLI sets unless told otherwise. */
export const DEFAULT_V8_FLAGS = ['--max-inlined-bytecode-size-cumulative=200'];

/**
 * The V8 flags for a run of the CLI with these arguments: `NETREACH_V8_FLAGS` (space-separated,
 * empty for none) replaces the default; `serve` gets none.
 */
export function v8FlagsFor(args: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  if (args[0] === 'serve') return [];
  const custom = env['NETREACH_V8_FLAGS'];
  if (custom !== undefined) return custom.split(/\s+/).filter((f) => f !== '');
  return DEFAULT_V8_FLAGS;
}

/** Apply {@link v8FlagsFor}; called first thing by the CLI's entry point. */
export function tuneV8(args: readonly string[], env: Readonly<Record<string, string | undefined>>): void {
  for (const flag of v8FlagsFor(args, env)) setFlagsFromString(flag);
}
