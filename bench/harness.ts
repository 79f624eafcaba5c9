/**
 * Benchmark harness: each bench/<area>.bench.ts exports `benches: Bench[]`; bench/index.ts runs them.
 * Benchmarks are not tests: they measure, print a table and (with --json) one JSON object per line.
 */
import os from 'node:os';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

export interface Bench {
  name: string;
  run(): Promise<BenchResult[]>;
}

/** A short description of the machine, reported with every figure so numbers are never context-free. */
export function machineDescription(): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown cpu';
  return `${os.cpus().length}x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

/** Median wall time (ms) of `fn` over `iterations` runs after `warmup` runs. */
export async function timeMs(fn: () => unknown | Promise<unknown>, iterations = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
