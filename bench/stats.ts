/** Timing and memory helpers for the benchmarks. */
import { performance } from 'node:perf_hooks';

/** A timing: median over `runs` measured runs (after `warmups` unmeasured ones). */
export interface Timing {
  readonly ms: number;
  /** Median CPU time (user + system, all threads of the process) of the same runs. */
  readonly cpuMs: number;
  readonly runs: number;
  readonly warmups: number;
  readonly samples: readonly number[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Run `fn` once and return its result, wall time and CPU time in ms. */
export function timed<T>(fn: () => T): { result: T; ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { result, ms, cpuMs: (c.user + c.system) / 1000 };
}

/** A run already made: its times, and its result until {@link measure} takes it over. */
export interface ColdRun<T> {
  readonly ms: number;
  readonly cpuMs: number;
  result: T | undefined;
}

/**
 * Measure `fn`: the first run (or `cold`, a run the caller already made) is a warm-up; if it
 * took longer than `slowMs`, it is the only sample (n=1, cold). Otherwise `warmups` more
 * unmeasured runs (default 0), then up to `runs` measured ones, stopping early once `budgetMs`
 * is spent (but after at least 3). Returns the median and
 * the result of the last run. Only one result is alive at a time: `cold.result` is cleared and
 * each run's result is dropped before the next run starts, so big results do not pile up and
 * slow the later runs down with garbage collection.
 */
export function measure<T>(
  fn: () => T,
  {
    runs = 5,
    slowMs = 3000,
    budgetMs = 20_000,
    warmups = 0,
  }: { runs?: number; slowMs?: number; budgetMs?: number; warmups?: number } = {},
  cold?: ColdRun<T>,
): { timing: Timing; result: T } {
  const first: ColdRun<T> = cold ?? timed(fn);
  let result = first.result;
  first.result = undefined;
  if (first.ms > slowMs)
    return {
      timing: { ms: first.ms, cpuMs: first.cpuMs, runs: 1, warmups: 0, samples: [first.ms] },
      result: result as T,
    };
  const samples: number[] = [];
  const cpu: number[] = [];
  let spent = first.ms;
  for (let w = 0; w < warmups; w++) {
    result = undefined;
    const r = timed(fn);
    spent += r.ms;
    result = r.result;
  }
  while (samples.length < runs && (samples.length < 3 || spent < budgetMs)) {
    result = undefined;
    const r = timed(fn);
    samples.push(r.ms);
    cpu.push(r.cpuMs);
    spent += r.ms;
    result = r.result;
  }
  return {
    timing: { ms: median(samples), cpuMs: median(cpu), runs: samples.length, warmups: 1 + warmups, samples },
    result: result as T,
  };
}

/** Force a full GC (needs `--expose-gc`); false when unavailable. */
export function gc(): boolean {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g === undefined) return false;
  g();
  g();
  return true;
}

/** heapUsed + arrayBuffers after a full GC, in bytes. */
export function liveBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Peak resident set size of this process so far, in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

export function formatMs(ms: number): string {
  if (ms < 0.001) return `${(ms * 1e6).toFixed(0)} ns`;
  if (ms < 1) return `${(ms * 1000).toFixed(ms < 0.01 ? 2 : 1)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms < 172_800_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  const DAY = 86_400_000;
  if (ms < 730 * DAY) return `${(ms / DAY).toFixed(0)} days`;
  return `${(ms / (365.25 * DAY)).toFixed(0)} years`;
}
