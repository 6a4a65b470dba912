#!/usr/bin/env node
/**
 * `pnpm netreach`: run the CLI from its compiled bundle (dist/cli/netreach.cjs), building it first
 * when it is missing or older than a source under packages/*\/src (see cli-bundle.mjs). The check
 * costs a few milliseconds; a build about a second, with a note on stderr. Stdout is the
 * command's alone.
 *
 * `pnpm netreach:dev` runs the TypeScript sources through tsx instead.
 */
import { createRequire } from 'node:module';
import { BUNDLE, ensureBundle } from './cli-bundle.mjs';

try {
  await ensureBundle({ log: (message) => process.stderr.write(`netreach: ${message}\n`) });
} catch (e) {
  process.stderr.write(`netreach: could not build the CLI: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
}
// Stack traces point into the TypeScript sources (the server's workers inherit this).
process.setSourceMapsEnabled(true);
// require(), not import(): importing a CommonJS file makes Node scan all of it for export names
// first (~30 ms for the bundle).
createRequire(import.meta.url)(BUNDLE);
