#!/usr/bin/env node
import { exitWhenFlushed } from './exit.js';
import { main } from './main.js';
import { tuneV8 } from './v8-tuning.js';

tuneV8(process.argv.slice(2), process.env);

// A reader that stops early (`netreach matrix … | head`) closes the pipe: stop quietly, with the
// status of a process ended by SIGPIPE, instead of an unhandled 'error' event and a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });

// No top-level await: the compiled CLI is a CommonJS bundle (scripts/cli-bundle.mjs).
void main(
  process.argv.slice(2),
  {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  },
  process.env,
).then((code) => {
  process.exitCode = code;
  // Skip the heap's teardown: exit as soon as stdout and stderr are flushed (see exit.ts).
  exitWhenFlushed(code, [process.stdout, process.stderr], (c) => process.exit(c));
});
