/**
 * The compiled CLI that `pnpm netreach` runs (scripts/netreach.mjs → dist/cli/netreach.cjs) answers
 * like the TypeScript sources, and its launcher rebuilds it only when a source is newer.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VERSION } from '@netreach/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleIsStale, newestInput } from '../scripts/cli-bundle.mjs';
import { REPO, buildCli, spawnFromSource } from './helpers/cli.js';

/** Run `pnpm netreach <args>` without pnpm: the script it runs. */
function launcher(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'netreach.mjs'), ...args], {
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

  it('prints its version on stdout, and nothing else', () => {
    const r = launcher(['--version']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: `${VERSION}\n` });
    expect(r.stderr).toMatch(BUILD_MESSAGES);
  });

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
