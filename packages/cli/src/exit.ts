/**
 * Ending the process once a command is done. A process left to end by itself tears down its
 * JavaScript heap first (unmapping every page: ~20–30 ms after a 10k-pod matrix, more after
 * bigger ones); `process.exit` leaves that to the operating system. But `process.exit` drops
 * output still queued, which happens when stdout is a pipe whose reader is slower than us (and
 * on macOS for every pipe), so the exit waits until everything written so far has been flushed.
 */

/** A stream we wrote to: `write('', cb)` calls back once everything written before is flushed. */
interface Flushable {
  write(chunk: string, callback: (error?: Error | null) => void): boolean;
}

/**
 * Call `exit(code)` once `streams` have flushed what was written to them. A stream that fails
 * (EPIPE: the reader went away) is left to its 'error' handler, which ends the process itself.
 */
export function exitWhenFlushed(code: number, streams: readonly Flushable[], exit: (code: number) => void): void {
  let pending = streams.length;
  if (pending === 0) {
    exit(code);
    return;
  }
  for (const stream of streams) {
    stream.write('', (error) => {
      if (error !== undefined && error !== null) return;
      pending--;
      if (pending === 0) exit(code);
    });
  }
}
