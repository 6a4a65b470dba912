/**
 * Worker thread entry: runs analyses off the main thread so that a heavy request never starves
 * the event loop (and /healthz). Started by pool.ts; loads the core like any module.
 */
import { parentPort } from 'node:worker_threads';
import { type TaskOutcome, type TaskRequest, runTask } from './tasks.js';

/** A message from the pool. */
export interface WorkerJob {
  readonly id: number;
  readonly request: TaskRequest;
}

/** A message to the pool: ready to take jobs, or the outcome of one. */
export type WorkerMessage = { readonly ready: true } | { readonly id: number; readonly outcome: TaskOutcome };

const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread');
port.on('message', (job: WorkerJob) => {
  const message: WorkerMessage = { id: job.id, outcome: runTask(job.request) };
  port.postMessage(message);
});
port.postMessage({ ready: true } satisfies WorkerMessage);
