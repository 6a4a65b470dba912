/**
 * A small pool of worker threads running analyses (tasks.ts), so that the main thread stays
 * free to accept connections and answer /healthz while heavy requests are analysed.
 *
 * Each job has a deadline: a job still queued then is dropped, a running one has its worker
 * terminated (and replaced). Either way the request is answered 503 `TIMEOUT`. Jobs only go to
 * workers that said they are ready, so a worker still starting is never killed by a deadline.
 *
 * Running from TypeScript source (tests, `pnpm netreach serve`), workers are started with
 * `--conditions=@netreach/source` and a bootstrap that registers tsx (the workspace's dev
 * dependency) before importing `worker.ts`, so that they load the `.ts` sources of the server and
 * the core like the main thread does (`--import tsx` in a worker's execArgv is not applied to its
 * entry module on Node 20). From the built package, or the CLI's bundle (dist/cli/worker.js, beside
 * server.js), they load `worker.js` as is.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TaskOutcome, TaskRequest } from './tasks.js';
import type { WorkerJob, WorkerMessage } from './worker.js';

/** Pool settings. */
export interface PoolOptions {
  /** Number of worker threads; default the number of cores, at most 4. */
  readonly size?: number;
  /** Longest time a job may take, queueing included. */
  readonly timeoutMs: number;
  /** Most jobs waiting for a worker; beyond it requests are answered 503 `BUSY`. Default 256. */
  readonly maxQueue?: number;
  /** Told about internal errors (worker crashes, bugs); never shown to clients. */
  readonly onError?: (message: string) => void;
}

interface Job {
  readonly id: number;
  readonly request: TaskRequest;
  readonly finish: (outcome: TaskOutcome) => void;
  timer?: ReturnType<typeof setTimeout>;
  done: boolean;
}

interface Slot {
  readonly worker: Worker;
  job?: Job | undefined;
  /** Whether the worker has loaded its code and takes jobs. */
  ready: boolean;
}

/** Consecutive workers that died before getting ready, after which the pool gives up. */
const MAX_STARTUP_FAILURES = 3;

/** The default pool size: the machine's cores, at most 4. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

/** How to start a worker: the built `worker.js` as is, or `worker.ts` through tsx. */
export function workerEntry(): { code: string | URL; eval: boolean; execArgv: string[] } {
  if (!import.meta.url.endsWith('.ts'))
    return {
      code: new URL('./worker.js', import.meta.url),
      eval: false,
      // Source-mapped stack traces in the workers too when the process has them (`pnpm netreach`).
      execArgv: process.sourceMapsEnabled ? ['--enable-source-maps'] : [],
    };
  // Node 20 does not apply `--import tsx` to a worker's entry module, so a bootstrap registers
  // tsx's ESM hooks in the worker first and then imports the TypeScript entry.
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = pathToFileURL(join(dirname(tsxPackage), 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./worker.ts', import.meta.url).href;
  return {
    code: `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`,
    eval: true,
    execArgv: ['--conditions=@netreach/source'],
  };
}

function errorOutcome(status: number, code: string, message: string): TaskOutcome {
  return { status, json: JSON.stringify({ error: { code, message } }) };
}

/** A fixed-size pool of analysis workers with a bounded queue. */
export class WorkerPool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly readyWaiters: (() => void)[] = [];
  private nextId = 1;
  private closed = false;
  private startupFailures = 0;

  constructor(private readonly options: PoolOptions) {
    this.size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()));
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  /**
   * Resolves once every worker is ready to take jobs, the workers cannot be started, or
   * `graceMs` has passed (jobs then wait in the queue for the workers).
   */
  whenReady(graceMs = 120_000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, graceMs);
      timer.unref();
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.checkReady();
    });
  }

  private checkReady(): void {
    const broken = this.startupFailures >= MAX_STARTUP_FAILURES;
    if (!broken && !this.slots.every((s) => s.ready) && !this.closed) return;
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  /** Run a task on a worker. Never rejects: failures are error outcomes. */
  run(request: TaskRequest): Promise<TaskOutcome> {
    if (this.closed) return Promise.resolve(errorOutcome(503, 'SHUTTING_DOWN', 'the server is shutting down'));
    if (this.startupFailures >= MAX_STARTUP_FAILURES)
      return Promise.resolve(errorOutcome(503, 'WORKERS_UNAVAILABLE', 'analysis workers cannot be started'));
    if (this.queue.length >= (this.options.maxQueue ?? 256))
      return Promise.resolve(errorOutcome(503, 'BUSY', 'too many requests are waiting; try again later'));
    let finish!: (outcome: TaskOutcome) => void;
    const promise = new Promise<TaskOutcome>((resolve) => {
      finish = resolve;
    });
    const job: Job = { id: this.nextId++, request, finish: (o) => finish(o), done: false };
    job.timer = setTimeout(() => this.timeout(job), this.options.timeoutMs);
    this.queue.push(job);
    const settled = promise.then(() => undefined);
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    this.dispatch();
    return promise;
  }

  /**
   * Stop: queued jobs are answered 503 `SHUTTING_DOWN`, running ones finish (within their
   * deadline), then the workers are terminated.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.checkReady();
    for (const job of this.queue.splice(0))
      this.complete(job, errorOutcome(503, 'SHUTTING_DOWN', 'the server is shutting down'));
    await Promise.all([...this.running]);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const entry = workerEntry();
    const worker = new Worker(entry.code, { eval: entry.eval, execArgv: entry.execArgv });
    worker.unref();
    const slot: Slot = { worker, ready: false };
    worker.on('message', (msg: WorkerMessage) => {
      if (!this.slots.includes(slot)) return;
      if ('ready' in msg) {
        slot.ready = true;
        this.startupFailures = 0;
        this.checkReady();
        this.dispatch();
        return;
      }
      const job = slot.job;
      if (job === undefined || job.id !== msg.id) return;
      slot.job = undefined;
      if (msg.outcome.internal !== undefined) this.options.onError?.(msg.outcome.internal);
      const { internal: _internal, ...outcome } = msg.outcome;
      this.complete(job, outcome);
      this.dispatch();
    });
    worker.on('error', (e) => this.options.onError?.(`analysis worker failed: ${e.stack ?? e.message}`));
    worker.on('exit', () => this.exited(slot));
    return slot;
  }

  /** A worker stopped: fail its job and replace it (unless replaced already or closing). */
  private exited(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    const job = slot.job;
    slot.job = undefined;
    if (!slot.ready) this.startupFailures++;
    if (job !== undefined) this.complete(job, errorOutcome(500, 'INTERNAL', 'internal error'));
    if (this.startupFailures >= MAX_STARTUP_FAILURES) {
      for (const q of this.queue.splice(0))
        this.complete(q, errorOutcome(503, 'WORKERS_UNAVAILABLE', 'analysis workers cannot be started'));
      this.checkReady();
      return;
    }
    this.slots[index] = this.spawn();
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.job !== undefined) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      const message: WorkerJob = { id: job.id, request: job.request };
      slot.worker.postMessage(message);
    }
  }

  private timeout(job: Job): void {
    if (job.done) return;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    const index = this.slots.findIndex((s) => s.job === job);
    const slot = this.slots[index];
    if (slot !== undefined) {
      // The analysis cannot be interrupted: replace the worker running it (its exit is ignored).
      this.slots[index] = this.spawn();
      void slot.worker.terminate();
    }
    this.complete(
      job,
      errorOutcome(503, 'TIMEOUT', `the analysis took longer than the timeout of ${this.options.timeoutMs} ms`),
    );
    this.dispatch();
  }

  private complete(job: Job, outcome: TaskOutcome): void {
    if (job.done) return;
    job.done = true;
    if (job.timer !== undefined) clearTimeout(job.timer);
    job.finish(outcome);
  }
}
