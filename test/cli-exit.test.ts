/**
 * The CLI ends with `process.exit` once its output is flushed (packages/cli/src/exit.ts), to skip
 * the heap's teardown: it must never cut off output that a slow reader has not taken yet.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitWhenFlushed } from '../packages/cli/src/exit.js';
import { REPO, cliArgs, run } from './helpers/cli.js';
import { syntheticCluster } from './helpers/synthetic.js';

/** A stream whose writes complete when the test says so. */
function fakeStream() {
  const callbacks: ((error?: Error | null) => void)[] = [];
  return {
    callbacks,
    write(_chunk: string, callback: (error?: Error | null) => void): boolean {
      callbacks.push(callback);
      return false;
    },
  };
}

describe('exitWhenFlushed', () => {
  it('exits with the code only after every stream has flushed', () => {
    const out = fakeStream();
    const err = fakeStream();
    const exits: number[] = [];
    exitWhenFlushed(3, [out, err], (c) => exits.push(c));
    expect(exits).toEqual([]);
    out.callbacks[0]!();
    expect(exits).toEqual([]);
    err.callbacks[0]!(null);
    expect(exits).toEqual([3]);
  });

  it('leaves a failed stream to its error handler', () => {
    const out = fakeStream();
    const err = fakeStream();
    const exits: number[] = [];
    exitWhenFlushed(0, [out, err], (c) => exits.push(c));
    out.callbacks[0]!(new Error('EPIPE'));
    err.callbacks[0]!();
    expect(exits).toEqual([]);
  });

  it('exits at once with nothing to flush', () => {
    const exits: number[] = [];
    exitWhenFlushed(1, [], (c) => exits.push(c));
    expect(exits).toEqual([1]);
  });
});

describe('the CLI process', () => {
  it('writes all of a large output to a reader that starts late', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netreach-exit-'));
    try {
      writeFileSync(join(dir, 'cluster.yaml'), syntheticCluster(6, 20));
      const args = ['matrix', '--output', 'json', '-q', dir];
      const expected = await run(args);
      expect(expected.code).toBe(0);
      // Far more than a pipe holds (64 KiB on Linux), so the end of it is still queued when the
      // command is done.
      expect(expected.stdout.length).toBeGreaterThan(500_000);

      const child = spawn(process.execPath, cliArgs(args), { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.pause();
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      // Start reading only after the command has had time to finish its work.
      setTimeout(() => child.stdout.resume(), 1500);
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(Buffer.concat(chunks).toString('utf8')).toBe(expected.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
