/**
 * The local engine for a batch: heads in this process, at most `jobs` at a time. The pipeline's heavy
 * work (the native trainer, the face models) runs off the JS thread, so two heads side by side overlap
 * their stages; on a 2-core machine --jobs 1 is as fast (see `npm run bench -- --filter batch`).
 */
import { runHead } from './run-head';
import type { BatchStorage } from './storage/batch-storage';
import type { HeadResult, HeadSpec } from './types';

export interface LocalRunOptions {
  jobs: number;
  signal: AbortSignal;
  onStart?(spec: HeadSpec): void;
  onFinish?(result: HeadResult): void;
  log?(message: string): void;
  /** The head model every head fits (run-head.ts); absent: the environment's or the installed one. */
  headModelDir?: string;
}

export async function runLocal(
  specs: HeadSpec[],
  storage: BatchStorage,
  opts: LocalRunOptions,
): Promise<HeadResult[]> {
  const results: HeadResult[] = new Array(specs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < specs.length && !opts.signal.aborted) {
      const i = next++;
      opts.onStart?.(specs[i]);
      try {
        results[i] = await runHead(specs[i], storage, {
          signal: opts.signal,
          log: opts.log,
          ...(opts.headModelDir !== undefined ? { headModelDir: opts.headModelDir } : {}),
        });
      } catch (err) {
        // Cancelled: the head is left out of the results (its temp folder is gone); the caller reports it.
        if (opts.signal.aborted) return;
        throw err;
      }
      opts.onFinish?.(results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.jobs, specs.length)) }, lane));
  return results.filter((r) => r !== undefined);
}
