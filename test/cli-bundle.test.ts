/**
 * The compiled CLI that `pnpm netreach` runs (scripts/netreach.cjs → dist/cli/netreach.cjs) answers
 * like the TypeScript sources, and its launcher rebuilds it only when a source is newer.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VERSION } from '@netreach/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleIsStale, netreachCommand, newestInput } from '../scripts/cli-bundle.mjs';
import { BUNDLE, REPO, buildCli, spawnFromSource } from './helpers/cli.js';

/** Node's options and the launcher, as package.json's `netreach` script gives them. */
const NETREACH = netreachCommand();

/** Run `pnpm netreach <args>` without pnpm: the script it runs. */
function launcher(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...NETREACH.nodeOptions, NETREACH.launcher, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('the bundled CLI', () => {
  beforeAll(() => buildCli());

  // Built just before, so stderr is empty — unless a source was saved since, and the launcher
  // rebuilt: its messages go to stderr only.
  const BUILD_MESSAGES = /^(netreach: build[^\n]*\n)*$/;

  it('is ASCII (one non-ASCII character makes V8 hold all of it as a two-byte string)', () => {
    const bytes = readFileSync(BUNDLE);
    expect(bytes.findIndex((b) => b > 0x7f)).toBe(-1);
  });

  it('prints its version on stdout, and nothing else', () => {
    const r = launcher(['--version']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: `${VERSION}\n` });
    expect(r.stderr).toMatch(BUILD_MESSAGES);
  });

  it('runs serve in a child process with the default V8 pool, passing its status on', () => {
    expect(NETREACH.nodeOptions).toContain('--v8-pool-size=1');
    const help = launcher(['serve', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: netreach serve');
    expect(help.stdout).toBe(spawnFromSource(['serve', '--help']).stdout);
    const bad = launcher(['serve', '--port', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/port/);
  });

  /** Start `serve` through the launcher (in a process group of its own); resolve once it listens. */
  async function startServe(): Promise<{ parent: ChildProcess; exited: Promise<number | null>; stderr: () => string }> {
    const parent = spawn(process.execPath, [...NETREACH.nodeOptions, NETREACH.launcher, 'serve', '--port', '0'], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => parent.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      parent.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('listening on http://')) resolve();
      });
      parent.on('exit', () => reject(new Error(`serve ended early: ${stderr}`)));
    });
    return { parent, exited, stderr: () => stderr };
  }

  it('passes SIGTERM on to serve in its child process', async () => {
    const { parent, exited, stderr } = await startServe();
    parent.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr()).toContain('SIGTERM: shutting down');
  }, 30_000);

  it('lets serve close once on a Ctrl-C at the terminal (SIGINT to the whole process group)', async () => {
    const { parent, exited, stderr } = await startServe();
    process.kill(-parent.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(stderr().match(/SIGINT: shutting down/g)).toHaveLength(1);
  }, 30_000);

  it('prints the same matrix as the TypeScript sources through tsx', () => {
    const bundled = launcher(['matrix', 'examples/shop']);
    const source = spawnFromSource(['matrix', 'examples/shop']);
    expect(bundled.code).toBe(0);
    expect(bundled.stdout).toContain('Connectivity matrix');
    expect({ code: bundled.code, stdout: bundled.stdout }).toEqual({ code: source.code, stdout: source.stdout });
    expect(bundled.stderr).toMatch(BUILD_MESSAGES);
    expect(source.stderr).toBe('');
  });
});

describe('the libraries the bundle loads on first use (yaml, graphology)', () => {
  let dir: string;
  beforeAll(() => {
    buildCli();
    dir = mkdtempSync(join(tmpdir(), 'netreach-lazy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The files under dist/cli/ that a bundled run with these arguments loaded. */
  function loadedFiles(args: string[]): string[] {
    const script = `process.argv = [process.argv[0], ${JSON.stringify(BUNDLE)}, ...${JSON.stringify(args)}];
      process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));
      require(${JSON.stringify(BUNDLE)});`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8' });
    const line = r.stderr.split('\n').find((l) => l.startsWith('LOADED '));
    if (line === undefined) throw new Error(`no module list: ${r.stderr}`);
    return (JSON.parse(line.slice('LOADED '.length)) as string[])
      .filter((f) => f.startsWith(join(REPO, 'dist', 'cli')))
      .map((f) => f.slice(join(REPO, 'dist', 'cli').length + 1))
      .sort();
  }

  it('are files of their own, not loaded by a run that does not need them', () => {
    for (const f of ['yaml.cjs', 'graphology.cjs']) expect(existsSync(join(REPO, 'dist', 'cli', f))).toBe(true);
    expect(loadedFiles(['--version'])).toEqual(['netreach.cjs']);
    expect(loadedFiles(['matrix', 'examples/shop'])).toEqual(['netreach.cjs']);
  });

  it("load when YAML is outside the fast reader's subset, with the same answers as the sources", () => {
    const text = readFileSync(join(REPO, 'examples', 'shop', 'namespaces.yaml'), 'utf8');
    // An anchor and an alias: read by the yaml library.
    const file = join(dir, 'anchored.yaml');
    writeFileSync(file, `${text.replace('labels:', 'labels: &shared')}\n`);
    const args = [
      'matrix',
      file,
      join(REPO, 'examples', 'shop', 'workloads.yaml'),
      '--output',
      'json',
      '--level',
      'class',
    ];
    expect(loadedFiles(args)).toEqual(['netreach.cjs', 'yaml.cjs']);
    const bundled = launcher(args);
    const source = spawnFromSource(args);
    expect(bundled.code).toBe(0);
    expect({ code: bundled.code, stdout: bundled.stdout }).toEqual({ code: source.code, stdout: source.stdout });

    // A syntax error: located by the yaml library.
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'kind: Pod\nmetadata:\n  name: [a\n');
    const r = launcher(['matrix', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml \(document 1\).*line \d+.*YAML_SYNTAX/);
    expect(r.stderr).toBe(spawnFromSource(['matrix', bad]).stderr);

    // An alias bomb: stopped by the yaml library, and the first alias found with its visit().
    const names = 'abcdefghi';
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < names.length; i++)
      lines.push(
        `${names[i]}: &${names[i]} [${Array(9)
          .fill(`*${names[i - 1]}`)
          .join(',')}]`,
      );
    const bomb = join(dir, 'bomb.yaml');
    writeFileSync(bomb, `apiVersion: v1\nkind: ConfigMap\n${lines.join('\n')}\n`);
    const b = launcher(['matrix', bomb]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/bomb\.yaml \(document 1\).*line \d+.*YAML_ALIAS_LIMIT/);
    expect(b.stderr).toBe(spawnFromSource(['matrix', bomb]).stderr);
  });

  it('load graphology for the report, which comes out as from the sources', () => {
    const out = (name: string): string => join(dir, name);
    const args = (file: string): string[] => ['report', 'examples/shop', '-o', file];
    expect(loadedFiles(args(out('probe.html')))).toEqual(['graphology.cjs', 'netreach.cjs']);
    expect(launcher(args(out('bundled.html'))).code).toBe(0);
    expect(spawnFromSource(args(out('source.html'))).code).toBe(0);
    expect(readFileSync(out('bundled.html'), 'utf8')).toBe(readFileSync(out('source.html'), 'utf8'));
  });
});

describe('bundleIsStale', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'netreach-bundle-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is stale when missing or older than a source, fresh when newer than all', () => {
    const newest = newestInput();
    expect(newest).toBeGreaterThan(0);
    expect(bundleIsStale(join(dir, 'missing.js'))).toBe(true);
    const bundle = join(dir, 'netreach.cjs');
    writeFileSync(bundle, '');
    utimesSync(bundle, (newest - 60_000) / 1000, (newest - 60_000) / 1000);
    expect(bundleIsStale(bundle)).toBe(true);
    utimesSync(bundle, (newest + 60_000) / 1000, (newest + 60_000) / 1000);
    expect(bundleIsStale(bundle)).toBe(false);
  });
});
