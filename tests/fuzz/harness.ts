/**
 * Fuzz harness for every reader of untrusted bytes: what a target is (tests/fuzz/targets.ts lists
 * them; the mutations live in tests/fuzz/mutate.ts) and the loop that feeds it mutated seed files.
 *
 * The contract each input must meet: the reader returns, or throws its format's error class (nothing
 * else: no TypeError/RangeError); it finishes in under a second of CPU time (and 20 s of wall time); and what it returns is in proportion
 * to the input (Gaussians x bytes-per-Gaussian bounded by a constant times the file size).
 *
 * Used by tests/fuzz/readers.test.ts (fixed seeds, a few thousand inputs) and scripts/fuzz.ts
 * (`npm run fuzz -- --seconds N`).
 */
import { mutateBytes, pick, rng, type Rand } from './mutate';

export interface FuzzTarget {
  name: string;
  /** The only error class the reader may throw. */
  errorClass: new (...args: never[]) => Error;
  /** Narrower than the class when the reader's error is a plain Error with a known prefix (OBJ). */
  isFormatError?(err: unknown): boolean;
  /** Valid files to mutate (async for the formats only sharp or splat-transform write). */
  seeds(r: Rand): Uint8Array[] | Promise<Uint8Array[]>;
  /** Returns the number of bytes the decoded result holds (for the proportionality check). */
  read(bytes: Uint8Array): number | Promise<number>;
  /** Decoded bytes allowed per input byte (float32 from 1-byte fields; gzip's ~1000x for SPZ). */
  maxAmplification: number;
  /** Structure-aware mutations on top of the byte-level ones. */
  mutate?(r: Rand, seed: Uint8Array): Uint8Array | null;
}

export interface FuzzFailure {
  target: string;
  iteration: number;
  reason: string;
  input: Uint8Array;
}

export interface FuzzStats {
  target: string;
  inputs: number;
  accepted: number;
  rejected: number;
  slowestMs: number;
  /** The input that took `slowestMs` (kept so a near-miss of the 1 s bar can be read again). */
  slowestInput: Uint8Array | null;
  failures: FuzzFailure[];
}

const MAX_MS = 1000;
/** A hang (an await that never settles soon) shows here, whatever the CPU time. */
const MAX_WALL_MS = 20_000;
/** The memory bar: no input may decode to more than this, whatever its size. */
export const MAX_DECODED_BYTES = 256 * 2 ** 20;

function formatErrorOf(target: FuzzTarget, err: unknown): boolean {
  if (err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError) return false;
  return target.isFormatError ? target.isFormatError(err) : err instanceof target.errorClass;
}

/** User + system CPU of the whole process between two getrusage readings (microseconds -> ms). */
function cpuMsBetween(a: NodeJS.ResourceUsage, b: NodeJS.ResourceUsage): number {
  return (b.userCPUTime - a.userCPUTime + b.systemCPUTime - a.systemCPUTime) / 1000;
}

/** Run one input through a target; returns a failure reason or null. */
export async function checkOne(
  target: FuzzTarget,
  input: Uint8Array,
): Promise<{ reason: string | null; accepted: boolean; ms: number }> {
  // CPU time, not wall time: on a loaded shared box (load 18 on 2 cores, the fuzzer at nice 19) a
  // 1 ms read can wait seconds for a core. getrusage counts every thread of the process (libvips' and
  // the thread pool's too), so native work is not missed. Its peak RSS (KB) is monotonic, so growth
  // across one input is what that input cost at most, native allocations (sharp/libvips, wasm)
  // included. One getrusage call before and one after gives both (process.cpuUsage is a second one).
  const usage0 = process.resourceUsage();
  const t0 = performance.now();
  let accepted = false;
  let reason: string | null = null;
  try {
    const decoded = await target.read(input);
    accepted = true;
    if (decoded > target.maxAmplification * input.length + 4096 || decoded > MAX_DECODED_BYTES)
      reason = `decoded ${decoded} bytes from a ${input.length}-byte input`;
  } catch (err) {
    if (!formatErrorOf(target, err))
      reason = `threw ${(err as Error)?.name ?? typeof err}: ${(err as Error)?.message ?? String(err)}`;
  }
  const usage1 = process.resourceUsage();
  let ms = cpuMsBetween(usage0, usage1);
  const wallMs = performance.now() - t0;
  if (!reason && wallMs > MAX_WALL_MS) reason = `took ${(wallMs / 1000).toFixed(0)} s of wall time`;
  const grown = (usage1.maxRSS - usage0.maxRSS) * 1024;
  if (!reason && grown > MAX_DECODED_BYTES) reason = `peak memory grew by ${(grown / 2 ** 20).toFixed(0)} MB`;
  if (!reason && ms > MAX_MS) {
    // A GC or a lazy module load can land on any one call: slow only if slow twice.
    const again0 = process.resourceUsage();
    try {
      await target.read(input);
    } catch {
      // Same outcome as above; only the time matters here.
    }
    ms = Math.min(ms, cpuMsBetween(again0, process.resourceUsage()));
    if (ms > MAX_MS) reason = `took ${ms.toFixed(0)} ms of CPU (twice)`;
  }
  return { reason, accepted, ms };
}

/**
 * Fuzz `target` with `iterations` inputs from `seed` (or until `deadline`, a performance.now() time,
 * or until `stop()` says so: a campaign stopped by a signal still counts the inputs it ran).
 */
export async function fuzzTarget(
  target: FuzzTarget,
  seed: number,
  iterations: number,
  deadline = Infinity,
  stop: () => boolean = () => false,
): Promise<FuzzStats> {
  const r = rng(seed);
  const seeds = await target.seeds(r);
  const stats: FuzzStats = {
    target: target.name,
    inputs: 0,
    accepted: 0,
    rejected: 0,
    slowestMs: 0,
    slowestInput: null,
    failures: [],
  };
  let yielded = performance.now();
  for (let i = 0; i < iterations && performance.now() < deadline && !stop(); i++) {
    // A reader that never waits on I/O (splat-transform on in-memory files) keeps the loop in
    // microtasks; a turn of the event loop every 100 ms lets a signal's handler (stop()) run.
    if (performance.now() - yielded > 100) {
      await new Promise((resolve) => setImmediate(resolve));
      yielded = performance.now();
    }
    const base = pick(r, seeds);
    let input: Uint8Array | null = null;
    if (target.mutate && r() < 0.4) input = target.mutate(r, base);
    if (!input) input = mutateBytes(r, base);
    const { reason, accepted, ms } = await checkOne(target, input);
    stats.inputs++;
    if (accepted) stats.accepted++;
    else stats.rejected++;
    if (ms > stats.slowestMs) {
      stats.slowestMs = ms;
      stats.slowestInput = input;
    }
    if (reason) stats.failures.push({ target: target.name, iteration: i, reason, input });
  }
  return stats;
}
