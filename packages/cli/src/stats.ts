/** `--stats`: a timing breakdown on stderr; progress lines on a TTY for long runs. */
import { performance } from 'node:perf_hooks';
import { groupDigits } from './format.js';

/** Records named phases with wall-clock durations. */
export class StatsRecorder {
  enabled = false;
  progress: ((text: string) => void) | undefined;
  private readonly phases: { name: string; ms: number }[] = [];
  private readonly facts: { name: string; value: string }[] = [];
  private last = performance.now();
  private readonly start = performance.now();

  /** Start timing from now (called when a command begins its work). */
  reset(): void {
    this.phases.length = 0;
    this.facts.length = 0;
    this.last = performance.now();
  }

  /** Mark the end of a phase. */
  mark(name: string): void {
    const now = performance.now();
    this.phases.push({ name, ms: now - this.last });
    this.last = now;
  }

  /** Say what is about to happen (TTY only). */
  step(text: string): void {
    this.progress?.(text);
  }

  /** Record a count or size. */
  fact(name: string, value: string | number): void {
    this.facts.push({ name, value: typeof value === 'number' ? groupDigits(value) : value });
  }

  /** The report printed by `--stats`. */
  report(): string {
    const total = performance.now() - this.start;
    const width = Math.max(12, ...this.phases.map((p) => p.name.length), ...this.facts.map((f) => f.name.length));
    const lines = ['netreach stats:'];
    for (const f of this.facts) lines.push(`  ${f.name.padEnd(width)}  ${f.value}`);
    for (const p of this.phases) lines.push(`  ${p.name.padEnd(width)}  ${p.ms.toFixed(1).padStart(9)} ms`);
    lines.push(`  ${'total'.padEnd(width)}  ${total.toFixed(1).padStart(9)} ms (since process start of the command)`);
    return `${lines.join('\n')}\n`;
  }
}

/** The recorder of the running command. */
export const stats = new StatsRecorder();
