/**
 * The compiled CLI that `pnpm netreach` runs: one bundle per entry point, built with esbuild into
 * dist/cli/ (git-ignored).
 *
 * - netreach.cjs: packages/cli/src/bin.ts with the core and the npm dependencies (commander,
 *   immer) inlined, so that start-up reads and compiles one file. CommonJS: Node starts it ~15 ms
 *   sooner than the same code as an ES module (no module graph to link, and the built-in modules
 *   it uses are required directly instead of through ES module facades).
 * - yaml.cjs, graphology.cjs: the two libraries only some runs use, loaded on first use (see
 *   LAZY_LIBRARIES).
 * - server.js: @netreach/server (Fastify included, an ES module), imported by `netreach serve`
 *   only, so the other commands do not load it.
 * - worker.js: the server's analysis worker thread; pool.ts looks for it next to itself.
 *
 * Each but the libraries has a source map (without the sources' text: stack traces point into
 * packages/*\/src).
 * No `keepNames`: it would wrap closures in `__name` calls, a cost in hot loops.
 *
 * `node scripts/cli-bundle.mjs` builds; with `--if-stale`, only when `bundleIsStale()`
 * (bundle-stale.cjs, shared with the launcher).
 */
import { mkdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import stale from './bundle-stale.cjs';

export const { ROOT, OUT_DIR, BUNDLE, newestInput, bundleIsStale, netreachCommand } = stale;

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
 * Libraries that only some runs of the CLI use, kept out of its bundle so that start-up does not
 * compile them (together ~45 % of it, ~15 ms per run): the `yaml` library (YAML outside
 * fast-yaml's subset, and locating syntax errors) and graphology (the report's policy graph).
 * Each is bundled into `<name>.cjs` next to the CLI's; in the CLI's bundle, imports of it resolve
 * to a stand-in that requires that file on first use: a class for each of `classes` (whose
 * constructor returns the library's instance) and the exports written in `more`. A name the
 * sources import and the stand-in lacks fails the build.
 */
const LAZY_LIBRARIES = {
  yaml: {
    resolveDir: 'packages/core',
    classes: ['Composer', 'Lexer', 'LineCounter', 'Parser'],
    more: `
      export const CST = { tokenType: (...args) => load().CST.tokenType(...args) };
      export function visit(...args) { return load().visit(...args); }
      for (const name of ['BREAK', 'SKIP', 'REMOVE']) Object.defineProperty(visit, name, { get: () => load().visit[name] });
    `,
  },
  graphology: { resolveDir: 'packages/core', classes: ['DirectedGraph'], more: '' },
};

/** The stand-in module for the library `name` of {@link LAZY_LIBRARIES}. */
function standIn(/** @type {keyof typeof LAZY_LIBRARIES} */ name) {
  const { classes, more } = LAZY_LIBRARIES[name];
  return [
    `let lib;`,
    `const load = () => (lib ??= require('./${name}.cjs'));`,
    ...classes.map((c) => `export class ${c} { constructor(...args) { return new (load().${c})(...args); } }`),
    more,
  ].join('\n');
}

/**
 * In the CLI's bundle: the stand-ins of {@link LAZY_LIBRARIES}, and their files left to `require`.
 * @type {import('esbuild').Plugin}
 */
const lazyLibraries = {
  name: 'netreach-lazy-libraries',
  setup(build) {
    const names = Object.keys(LAZY_LIBRARIES).join('|');
    build.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) => ({ path: args.path, namespace: 'lazy' }));
    build.onResolve({ filter: new RegExp(`^\\./(${names})\\.cjs$`) }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      contents: standIn(/** @type {keyof typeof LAZY_LIBRARIES} */ (args.path)),
      loader: 'js',
    }));
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
  const [cli, server, ...libraries] = await Promise.all([
    build({
      ...BASE,
      ...MINIFY,
      format: 'cjs',
      entryPoints: { netreach: 'packages/cli/src/bin.ts' },
      outExtension: { '.js': '.cjs' },
      outdir: outDir,
      plugins: [serverApart, lazyLibraries],
      write: false,
    }),
    build({
      ...COMMON,
      ...MINIFY,
      entryPoints: { server: 'packages/server/src/index.ts', worker: 'packages/server/src/worker.ts' },
      outdir: outDir,
      write: false,
    }),
    // The libraries the CLI's bundle leaves out (no source maps: stack traces end in them rarely).
    ...Object.entries(LAZY_LIBRARIES).map(([name, { resolveDir }]) =>
      build({
        ...BASE,
        ...MINIFY,
        sourcemap: false,
        format: 'cjs',
        stdin: { contents: `module.exports = require('${name}');`, resolveDir: join(ROOT, resolveDir), loader: 'js' },
        outfile: join(outDir, `${name}.cjs`),
        write: false,
      }),
    ),
  ]);
  const builds = [cli, server, ...libraries];
  const result = {
    warnings: builds.flatMap((b) => b.warnings),
    outputFiles: builds.flatMap((b) => b.outputFiles),
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
