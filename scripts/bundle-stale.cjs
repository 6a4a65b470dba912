/**
 * Where the compiled CLI lives and whether it is older than its sources. CommonJS, so that the
 * launcher (netreach.cjs) can check without starting Node's ES module loader; cli-bundle.mjs
 * (the build) uses it too.
 */
'use strict';
const { readFileSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

/** The repository root. */
const ROOT = join(__dirname, '..');
/** Where the bundles go. */
const OUT_DIR = join(ROOT, 'dist', 'cli');
/** The CLI's bundle; its modification time is that of the sources it was built from. */
const BUNDLE = join(OUT_DIR, 'netreach.cjs');

/** Files besides packages/*\/src whose change calls for a rebuild. */
const EXTRA_INPUTS = [
  join(__dirname, 'cli-bundle.mjs'), // the build configuration
  join(ROOT, 'tsconfig.json'), // esbuild reads the compiler options that change its output
  join(ROOT, 'tsconfig.base.json'),
  join(ROOT, 'node_modules', '.modules.yaml'), // rewritten by every `pnpm install`
];

/** @param {string} path */
function mtimeOrZero(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Latest modification time (ms) of the sources and the other inputs of the bundle. */
function newestInput() {
  let newest = 0;
  /** @param {string} dir */
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  const packages = join(ROOT, 'packages');
  for (const pkg of readdirSync(packages)) {
    const src = join(packages, pkg, 'src');
    let isDir = false;
    try {
      isDir = statSync(src).isDirectory();
    } catch {
      // A package without sources.
    }
    if (isDir) visit(src);
    newest = Math.max(newest, mtimeOrZero(join(packages, pkg, 'package.json')));
  }
  for (const file of EXTRA_INPUTS) newest = Math.max(newest, mtimeOrZero(file));
  return newest;
}

/** Whether the bundle is missing or older than one of its inputs (a few ms: ~150 stats). */
function bundleIsStale(bundle = BUNDLE) {
  const built = mtimeOrZero(bundle);
  return built === 0 || newestInput() > built;
}

/**
 * How `pnpm netreach` starts the CLI, read from package.json's `netreach` script
 * (`node <options> scripts/netreach.cjs`): Node's options, and the launcher's path. For the bench
 * and the tests, which run it without pnpm.
 */
function netreachCommand() {
  const script = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.netreach.split(/\s+/);
  const launcher = script[script.length - 1];
  if (script[0] !== 'node' || launcher !== 'scripts/netreach.cjs')
    throw new Error(`package.json's netreach script is not "node [options] scripts/netreach.cjs": ${script.join(' ')}`);
  return { nodeOptions: script.slice(1, -1), launcher: join(ROOT, launcher) };
}

module.exports = { ROOT, OUT_DIR, BUNDLE, newestInput, bundleIsStale, netreachCommand };
