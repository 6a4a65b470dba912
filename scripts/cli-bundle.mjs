/**
 * The compiled CLI that `pnpm netreach` runs: one bundle per entry point, built with esbuild into
 * dist/cli/ (git-ignored).
 *
 * - netreach.cjs: packages/cli/src/bin.ts with the core and the npm dependencies (commander, yaml,
 *   immer, graphology) inlined, so that start-up reads and compiles one file. CommonJS: Node
 *   starts it ~15 ms sooner than the same code as an ES module (no module graph to link, and the
 *   built-in modules it uses are required directly instead of through ES module facades).
 * - server.js: @netreach/server (Fastify included, an ES module), imported by `netreach serve`
 *   only, so the other commands do not load it.
 * - worker.js: the server's analysis worker thread; pool.ts looks for it next to itself.
 *
 * Each has a source map (without the sources' text: stack traces point into packages/*\/src).
 * No `keepNames`: it would wrap closures in `__name` calls, a cost in hot loops.
 *
 * `node scripts/cli-bundle.mjs` builds; with `--if-stale`, only when {@link bundleIsStale}.
 */
import { mkdirSync, readdirSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the bundles go. */
export const OUT_DIR = join(ROOT, 'dist', 'cli');
/** The CLI's bundle; its modification time is that of the sources it was built from. */
export const BUNDLE = join(OUT_DIR, 'netreach.cjs');

/** Files besides packages/*\/src whose change calls for a rebuild. */
const EXTRA_INPUTS = [
  fileURLToPath(import.meta.url), // this build configuration
  join(ROOT, 'tsconfig.json'), // esbuild reads the compiler options that change its output
  join(ROOT, 'tsconfig.base.json'),
  join(ROOT, 'node_modules', '.modules.yaml'), // rewritten by every `pnpm install`
];

/** Latest modification time (ms) of the sources and the other inputs of the bundle. */
export function newestInput() {
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

/** @param {string} path */
function mtimeOrZero(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Whether the bundle is missing or older than one of its inputs (a few ms: ~150 stats). */
export function bundleIsStale(bundle = BUNDLE) {
  const built = mtimeOrZero(bundle);
  return built === 0 || newestInput() > built;
}

/**
 * Make `@netreach/server`, imported by the CLI, load the separate server.js bundle.
 * @type {import('esbuild').Plugin}
 */
const serverApart = {
  name: 'netreach-server-apart',
  setup(build) {
    build.onResolve({ filter: /^@netreach\/server$/ }, (args) =>
      args.importer.includes(join('packages', 'cli', 'src')) ? { path: './server.js', external: true } : undefined,
    );
  },
};

/**
 * What every bundle is built with: for Node 20, workspace packages from their TypeScript sources
 * (as under tsx), no `keepNames`, source maps.
 * @type {import('esbuild').BuildOptions}
 */
const BASE = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  conditions: ['@netreach/source'],
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'silent',
};

/**
 * ES module bundles (the server, its worker, the benchmark's worker), with a `require` for the
 * CommonJS dependencies (Fastify's call require() on Node built-ins).
 * @type {import('esbuild').BuildOptions}
 */
const COMMON = {
  ...BASE,
  format: 'esm',
  banner: {
    js: "import { createRequire as __netreachCreateRequire } from 'node:module';\nconst require = __netreachCreateRequire(import.meta.url);",
  },
};

/** Smaller files compile and start faster; the source maps keep stack traces readable. */
const MINIFY = { minifyWhitespace: true, minifySyntax: true };

/**
 * Build the bundles into `outDir`. Each file is written under a temporary name and renamed, the
 * CLI's bundle last, so that a process starting meanwhile (or a concurrent build) never reads a
 * half-written file. The bundle's time is set to the start of the build: a source saved during
 * the build makes it stale.
 */
export async function buildBundle({ outDir = OUT_DIR, log = (/** @type {string} */ _m) => {} } = {}) {
  const started = Date.now();
  const { build } = await import('esbuild');
  const [cli, server] = await Promise.all([
    build({
      ...BASE,
      ...MINIFY,
      format: 'cjs',
      entryPoints: { netreach: 'packages/cli/src/bin.ts' },
      outExtension: { '.js': '.cjs' },
      outdir: outDir,
      plugins: [serverApart],
      write: false,
    }),
    build({
      ...COMMON,
      ...MINIFY,
      entryPoints: { server: 'packages/server/src/index.ts', worker: 'packages/server/src/worker.ts' },
      outdir: outDir,
      write: false,
    }),
  ]);
  const result = {
    warnings: [...cli.warnings, ...server.warnings],
    outputFiles: [...cli.outputFiles, ...server.outputFiles],
  };
  for (const warning of result.warnings) log(`warning: ${warning.text}`);
  mkdirSync(outDir, { recursive: true });
  const order = (/** @type {string} */ path) => (path.endsWith('.map') ? 0 : basename(path) === 'netreach.cjs' ? 2 : 1);
  const files = [...result.outputFiles].sort((a, b) => order(a.path) - order(b.path));
  for (const file of files) {
    const temporary = join(dirname(file.path), `.${basename(file.path)}.${process.pid}.tmp`);
    writeFileSync(temporary, file.contents);
    if (basename(file.path) === 'netreach.cjs') utimesSync(temporary, started / 1000, started / 1000);
    renameSync(temporary, file.path);
  }
  log(`built ${relative(ROOT, join(outDir, 'netreach.cjs'))} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Bundle one more entry point (the benchmark's worker) with the CLI's settings, so that what it
 * measures runs as the CLI does: compiled, without tsx's `keepNames` wrappers.
 */
export async function bundleEntry(/** @type {string} */ entry, /** @type {string} */ outfile) {
  const { build } = await import('esbuild');
  await build({ ...COMMON, entryPoints: [entry], outfile });
}

/** Build when the bundle is stale; messages (only then) go to `log`. Returns whether it built. */
export async function ensureBundle({ log = (/** @type {string} */ _m) => {} } = {}) {
  if (!bundleIsStale()) return false;
  log(`building ${relative(ROOT, BUNDLE)} (missing or older than the sources)`);
  await buildBundle({ log });
  return true;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const log = (/** @type {string} */ message) => process.stderr.write(`netreach: ${message}\n`);
  try {
    if (process.argv.includes('--if-stale')) await ensureBundle({ log });
    else await buildBundle({ log });
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
