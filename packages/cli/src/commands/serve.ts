/** `netreach serve`: the HTTP JSON API (docs/http-api.md) until SIGINT or SIGTERM. */
import type { RunningServer } from '@netreach/server';
import type { Command } from 'commander';
import type { CliIo } from '../context.js';
import { CliError } from '../errors.js';

interface ServeOptions {
  host: string;
  port: string;
  bodyLimit: string;
  timeout: string;
}

// @netreach/server (Fastify, the worker pool) is imported only when `serve` runs: loading it would
// add tens of milliseconds to the start-up of every other command. So its defaults are repeated
// here for the help text; test/server-cli.test.ts checks that they match the server's.
const DEFAULT_BODY_LIMIT = 5 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

/** Parse a whole number option within bounds. */
function intOption(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new CliError(`${name} must be a whole number, not "${text}"`);
  const n = Number(text.trim());
  if (n < min || n > max) throw new CliError(`${name} must be between ${min} and ${max}, not ${n}`);
  return n;
}

/** Resolve on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** Register the command. */
export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('run the HTTP JSON API (check, matrix, diff, audit; see docs/http-api.md) until SIGINT/SIGTERM')
    .option('--host <host>', 'address to listen on (the API has no authentication: keep it on loopback)', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '8080')
    .option('--body-limit <bytes>', 'largest request body accepted (413 beyond it)', String(DEFAULT_BODY_LIMIT))
    .option(
      '--timeout <ms>',
      'longest time to receive and analyse one request (503 beyond it)',
      String(DEFAULT_TIMEOUT_MS),
    )
    .action(async (o: ServeOptions) => {
      const host = o.host.trim();
      if (host === '') throw new CliError('--host must not be empty');
      const port = intOption('--port', o.port, 0, 65535);
      const bodyLimit = intOption('--body-limit', o.bodyLimit, 1, 2 ** 31 - 1);
      const timeoutMs = intOption('--timeout', o.timeout, 1, 2 ** 31 - 1);
      const { isLoopback, startServer } = await import('@netreach/server');
      let server: RunningServer;
      try {
        server = await startServer({
          host,
          port,
          bodyLimit,
          timeoutMs,
          onError: (message) => io.stderr(`error: ${message}\n`),
        });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why =
          code === 'EADDRINUSE'
            ? 'address in use'
            : code === 'EADDRNOTAVAIL'
              ? 'address not available'
              : (code ?? String(e));
        throw new CliError(`cannot listen on ${host}:${port}: ${why}`);
      }
      const stopped = untilSignal();
      if (!isLoopback(host))
        io.stderr(`warning: listening on ${host}, reachable from other machines; the API has no authentication\n`);
      io.stderr(`netreach API listening on ${server.url}\n`);
      const signal = await stopped;
      io.stderr(`${signal}: shutting down\n`);
      await server.close();
    });
}
