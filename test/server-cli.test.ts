/**
 * `netreach serve`: the real program (the compiled bundle, with its worker bundle, as `pnpm
 * netreach serve` runs it) in a child process, on 127.0.0.1, stopped by a signal.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { DEFAULT_BODY_LIMIT, DEFAULT_TIMEOUT_MS, startServer } from '@netreach/server';
import { afterEach, describe, expect, it } from 'vitest';
import { cliArgs } from './helpers/cli.js';
import { REPO, client, runCli, shopText } from './server-helpers.js';

const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Start `netreach serve <args>` and wait for the URL it prints on stderr. */
async function serve(
  args: readonly string[],
): Promise<{ child: ChildProcess; url: string; stderr: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, cliArgs(['serve', ...args]), {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 100 s; stderr: ${stderr}`)), 100_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`exited ${code} before listening: ${stderr}`)));
  });
  expect(stdout).toBe('');
  return { child, url, stderr: () => stderr, exited };
}

// Generous limits: the server starts a worker per core, slow on a busy machine.
describe('netreach serve', { timeout: 180_000 }, () => {
  it('listens on loopback, prints the URL on stderr, serves, and stops cleanly on SIGTERM', async () => {
    const s = await serve(['--port', '0', '--body-limit', '2000', '--timeout', '20000']);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const api = client(s.url);
    expect((await api.get('/healthz')).json).toEqual({ status: 'ok' });
    const small = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n';
    const ok = await api.post('/v1/matrix', { manifests: small });
    expect(ok.status, ok.text).toBe(200);
    // --body-limit is applied.
    const big = await api.post('/v1/matrix', { manifests: shopText() });
    expect(big.status).toBe(413);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toContain('SIGTERM: shutting down');
  });

  it('stops cleanly on SIGINT', async () => {
    const s = await serve(['--port', '0']);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
  });

  it("shows the server's defaults in its help (the CLI repeats them so as not to load the server)", async () => {
    const r = await runCli(['serve', '--help']);
    expect(r.stdout).toMatch(new RegExp(`--body-limit[^]*?\\(default:\\s+"${DEFAULT_BODY_LIMIT}"\\)`));
    expect(r.stdout).toMatch(new RegExp(`--timeout[^]*?\\(default:\\s+"${DEFAULT_TIMEOUT_MS}"\\)`));
  });

  it('rejects bad options and busy ports with one line and exit 2', async () => {
    for (const [args, text] of [
      [['--port', 'abc'], '--port must be a whole number'],
      [['--port', '70000'], '--port must be between 0 and 65535'],
      [['--body-limit', '0'], '--body-limit must be between 1'],
      [['--timeout', '-5'], '--timeout must be a whole number'],
      [['--host', ' '], '--host must not be empty'],
    ] as const) {
      const r = await runCli(['serve', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(text);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const busy = await startServer({ host: '127.0.0.1', port: 0, workers: 1 });
    try {
      const r = await runCli(['serve', '--port', String(busy.port)]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(`error: cannot listen on 127.0.0.1:${busy.port}: address in use`);
    } finally {
      await busy.close();
    }
  });
});
