#!/usr/bin/env node
/**
 * `pnpm netreach`: run the CLI from its compiled bundle (dist/cli/netreach.cjs), building it first
 * when it is missing or older than a source under packages/*\/src (see bundle-stale.cjs). The
 * check costs a few milliseconds; a build about a second, with a note on stderr. Stdout is the
 * command's alone.
 *
 * CommonJS, like the bundle: as an ES module this launcher started Node's module loader and its
 * import of the build script, ~10 ms per run before the command began.
 *
 * `pnpm netreach:dev` runs the TypeScript sources through tsx instead.
 */
'use strict';
const { BUNDLE, bundleIsStale } = require('./bundle-stale.cjs');

function start() {
  // `serve` is long-lived and logs errors: stack traces there point into the TypeScript sources
  // (its worker threads inherit the setting). For one-shot commands, which print no stack traces,
  // loading the source map would cost ~10 ms per run (NODE_OPTIONS=--enable-source-maps turns it on).
  if (process.argv[2] === 'serve') process.setSourceMapsEnabled(true);
  require(BUNDLE);
}

if (bundleIsStale()) {
  import('./cli-bundle.mjs')
    .then(({ ensureBundle }) =>
      ensureBundle({ log: (/** @type {string} */ message) => process.stderr.write(`netreach: ${message}\n`) }),
    )
    .then(start, (e) => {
      process.stderr.write(`netreach: could not build the CLI: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    });
} else start();
