#!/usr/bin/env node
/**
 * `pnpm netreach`: run the CLI from its compiled bundle (dist/cli/netreach.cjs), building it first
 * when it is missing or older than a source under packages/*\/src (see bundle-stale.cjs). The
 * check costs a few milliseconds; a build about a second, with a note on stderr. Stdout is the
 * command's alone.
 *
 * CommonJS, like the bundle: as an ES module this launcher started Node's module loader and its
 * import of the build script, ~15 ms per run before the command began.
 *
 * package.json starts it with `--v8-pool-size=1` (see docs/cli.md, "V8 settings"): V8's pool of
 * background threads (garbage collection helpers, optimising compiles) is 4 by default, and on a
 * 2-core machine the main thread waited for helpers that had no core to run on. `serve` is
 * long-lived and its worker threads' collectors share that pool: it runs in a child process with
 * Node's default pool instead.
 *
 * `pnpm netreach:dev` runs the TypeScript sources through tsx instead.
 */
'use strict';
const { BUNDLE, bundleIsStale, netreachCommand } = require('./bundle-stale.cjs');

/**
 * `serve` started with the Node options package.json gives one-shot commands (`oneShot`): run it
 * again without them, passing signals and status on.
 * The child has a process group of its own, so that a Ctrl-C at the terminal (SIGINT to the
 * foreground group) reaches it once, through this process, rather than twice, which would end it
 * before it had closed.
 */
function serveWithDefaults(/** @type {readonly string[]} */ oneShot) {
  const { spawn } = require('node:child_process');
  const execArgv = process.execArgv.filter((a) => !oneShot.includes(a));
  const child = spawn(process.execPath, [...execArgv, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    // (On Windows a detached child gets a console window of its own: left attached there.)
    detached: process.platform !== 'win32',
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal !== null) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}

function start() {
  // `serve` is long-lived and logs errors: stack traces there point into the TypeScript sources
  // (its worker threads inherit the setting). For one-shot commands, which print no stack traces,
  // loading the source map would cost ~10 ms per run (NODE_OPTIONS=--enable-source-maps turns it on).
  if (process.argv[2] === 'serve') process.setSourceMapsEnabled(true);
  require(BUNDLE);
}

const oneShot = process.argv[2] === 'serve' ? netreachCommand().nodeOptions : [];
if (oneShot.some((a) => process.execArgv.includes(a))) serveWithDefaults(oneShot);
else if (bundleIsStale()) {
  import('./cli-bundle.mjs')
    .then(({ ensureBundle }) =>
      ensureBundle({ log: (/** @type {string} */ message) => process.stderr.write(`netreach: ${message}\n`) }),
    )
    .then(start, (e) => {
      process.stderr.write(`netreach: could not build the CLI: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    });
} else start();
