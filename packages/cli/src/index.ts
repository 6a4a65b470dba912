/** @netreach/cli — the `netreach` command line, usable as a library for tests and wrappers. */
export { VERSION, main } from './main.js';
export type { CliIo } from './context.js';
export { CliError } from './errors.js';
export { parseFlows, parsePortArg } from './commands/check.js';
