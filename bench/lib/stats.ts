import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** Percentile by nearest rank (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export function mean(samples: readonly number[]): number {
  return samples.reduce((sum, x) => sum + x, 0) / samples.length;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

export interface LoopDelay {
  /** Largest delay of the event loop seen, ms: how long a Discord heartbeat or autocomplete could wait. */
  readonly maxMs: number;
  readonly p99Ms: number;
  /** Largest gap between ticks of a 5 ms interval, ms (a second, independent view of the same thing). */
  readonly maxTickGapMs: number;
  /** Longest garbage-collection pause meanwhile, ms, and page faults that read from disk: what a stall was. Absent in runs saved before. */
  readonly gcMaxMs?: number;
  readonly majorFaults?: number;
  /**
   * CPU time the hypervisor gave to others while this VM's CPUs wanted to run (steal, all CPUs summed,
   * in /proc/stat's 10 ms ticks): a stall this explains is the host's, not the program's. Absent in runs
   * saved before and where /proc/stat has no steal column.
   */
  readonly stolenMs?: number;
}

/** Steal time of all CPUs so far, ms (Linux /proc/stat, USER_HZ 100); undefined elsewhere. */
export function stolenMsSoFar(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'latin1').slice(0, 200).split('\n')[0].trim().split(/\s+/);
    return fields[0] === 'cpu' && fields.length > 8 ? Number(fields[8]) * 10 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Watches the event loop while `work` runs: Node's delay histogram (1 ms resolution) and the largest
 * gap between ticks of a 5 ms timer; beside them the longest GC pause, the major page faults and the
 * CPU time the host stole.
 */
export async function watchEventLoop<T>(work: () => Promise<T>): Promise<{ value: T; loop: LoopDelay }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 5);
  let gcMax = 0;
  const collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMax = Math.max(gcMax, entry.duration);
  });
  collections.observe({ entryTypes: ['gc'] });
  const faults = process.resourceUsage().majorPageFault;
  const stolenBefore = stolenMsSoFar();
  histogram.enable();
  try {
    const value = await work();
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    return {
      value,
      loop: {
        maxMs: histogram.max / 1e6,
        p99Ms: histogram.percentile(99) / 1e6,
        maxTickGapMs: Math.max(0, maxGap - 5),
        gcMaxMs: gcMax,
        majorFaults: process.resourceUsage().majorPageFault - faults,
        stolenMs: stolenBefore === undefined ? undefined : (stolenMsSoFar() ?? stolenBefore) - stolenBefore,
      },
    };
  } finally {
    collections.disconnect();
    histogram.disable();
    clearInterval(timer);
  }
}

/** Seeded PRNG: the synthetic corpus and noise are the same on every run. */
export { seededRandom } from '../../src/seededRandom.js';

/** FNV-1a of a string, for deterministic per-text choices. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function rssMb(): number {
  return process.memoryUsage().rss / 1048576;
}
