/**
 * The CLI's V8 settings for one-shot commands (packages/cli/src/v8-tuning.ts), and how the
 * compiled CLI behaves when its reader goes away early.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_V8_FLAGS, v8FlagsFor } from '../packages/cli/src/v8-tuning.js';
import { REPO, cliArgs } from './helpers/cli.js';
import { syntheticCluster } from './helpers/synthetic.js';

describe('v8FlagsFor', () => {
  it('gives the smaller inlining budget to one-shot commands', () => {
    expect(v8FlagsFor(['matrix', 'examples/shop'], {})).toEqual(['--max-inlined-bytecode-size-cumulative=200']);
    expect(v8FlagsFor(['check', 'x'], {})).toEqual(DEFAULT_V8_FLAGS);
    expect(v8FlagsFor([], {})).toEqual(DEFAULT_V8_FLAGS);
  });

  it('leaves the long-lived server with the defaults', () => {
    expect(v8FlagsFor(['serve', '--port', '0'], {})).toEqual([]);
    expect(v8FlagsFor(['serve'], { NETREACH_V8_FLAGS: '--no-turbo-inlining' })).toEqual([]);
  });

  it('takes NETREACH_V8_FLAGS instead, split on spaces; empty means none', () => {
    expect(v8FlagsFor(['matrix'], { NETREACH_V8_FLAGS: '  --no-turbo-inlining   --max-lazy ' })).toEqual([
      '--no-turbo-inlining',
      '--max-lazy',
    ]);
    expect(v8FlagsFor(['matrix'], { NETREACH_V8_FLAGS: '' })).toEqual([]);
  });
});

describe('the compiled CLI', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, cliArgs(args), { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env } });

  it('hands the flags to V8 before it runs anything', () => {
    // --trace-opt with --always-turbofan prints a line for every function V8 optimises.
    const traced = run(['--version'], { NETREACH_V8_FLAGS: '--trace-opt --always-turbofan' });
    expect(traced.status).toBe(0);
    expect(traced.stdout).toMatch(/\[(optimizing|compiling method) /);
    const plain = run(['--version'], { NETREACH_V8_FLAGS: '' });
    expect(plain.stdout).toBe('0.1.0\n');
  });

  it('stops quietly with status 141 when stdout is closed early', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netreach-epipe-'));
    try {
      writeFileSync(join(dir, 'cluster.yaml'), syntheticCluster(6, 20));
      const cli = cliArgs(['matrix', '--output', 'json', '-q', dir]).map((a) => JSON.stringify(a));
      // `head -c 1` reads one byte and exits; the matrix (about 1 MB) outgrows the pipe's buffer.
      const script = `${JSON.stringify(process.execPath)} ${cli.join(' ')} | head -c 1 >/dev/null; echo "status=\${PIPESTATUS[0]}" >&2`;
      const r = spawnSync('bash', ['-c', script], { cwd: REPO, encoding: 'utf8' });
      expect(r.stderr).toBe('status=141\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
