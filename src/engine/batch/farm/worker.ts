/**
 * A farm worker: takes heads from the queue and makes them with the local engine (run-head.ts) into the
 * batch's shared folder, `concurrency` at a time. Progress goes back through job.updateProgress
 * ({stage, fraction, worker}), the result as the job's return value (a HeadResult).
 *
 * Locks: BullMQ renews a job's lock every lockMs/2 while the head runs; a worker that dies (SIGKILL,
 * power) stops renewing, and another worker's stalled-job check (every stalledMs) puts the job back
 * in the queue, where any worker finishes it. Heads are published by one rename, so the dead worker's
 * half-made folder is never seen.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { runHead, workerName } from '../run-head';
import type { BatchStorage } from '../storage/batch-storage';
import { openStorage } from '../storage/open-storage';
import type { HeadResult, HeadSpec } from '../types';
import { BAD_INPUT_PREFIX, parseRedisUrl, QUEUE_NAME, reachRedis } from './connection';

export interface HeadJobData {
  spec: HeadSpec;
  /** The batch's storage: a shared folder at the same path on every machine, or s3://BUCKET/PREFIX. */
  out: string;
}

export interface HeadJobProgress {
  stage: string;
  fraction: number;
  worker: string;
}

export interface FarmWorkerOptions {
  url: string;
  concurrency: number;
  /** Job lock in ms (BullMQ lockDuration); a dead worker's head is back in the queue after about this. */
  lockMs?: number;
  /** How often this worker looks for other workers' stalled heads (BullMQ stalledInterval). */
  stalledMs?: number;
  /** This machine's S3-compatible server for s3:// batches (default $HEADFORGE_S3_ENDPOINT, then AWS). */
  s3Endpoint?: string;
  /** The head model this machine's heads fit (worker --head-model); absent: the environment's. */
  headModelDir?: string;
  log?(line: string): void;
}

export interface FarmWorker {
  name: string;
  /** Stop taking heads; resolves when the heads in hand are finished (force: at once, they stall). */
  close(force?: boolean): Promise<void>;
}

export async function startFarmWorker(opts: FarmWorkerOptions): Promise<FarmWorker> {
  const name = workerName();
  const abort = new AbortController();
  const log = opts.log ?? (() => undefined);
  // One client per batch storage this worker has served (an S3 client keeps its connections).
  const storages = new Map<string, Promise<BatchStorage>>();
  const storageOf = (out: string): Promise<BatchStorage> => {
    if (!storages.has(out))
      storages.set(out, openStorage(out, opts.s3Endpoint ? { s3Endpoint: opts.s3Endpoint } : {}));
    return storages.get(out)!;
  };
  const processor = async (job: Job<HeadJobData, HeadResult>): Promise<HeadResult> => {
    const { spec, out } = job.data;
    const attempt = job.attemptsStarted;
    log(`started ${spec.id} (attempt ${attempt})`);
    let lastStage = '';
    let lastSent = 0;
    const result = await runHead(spec, await storageOf(out), {
      signal: abort.signal,
      ...(opts.headModelDir !== undefined ? { headModelDir: opts.headModelDir } : {}),
      // Every stage change and every 10%: enough for the submitter's lines, little Redis traffic.
      progress: (stage, fraction) => {
        if (stage === lastStage && fraction - lastSent < 0.1) return;
        lastStage = stage;
        lastSent = fraction;
        const data: HeadJobProgress = { stage, fraction, worker: name };
        job.updateProgress(data).catch(() => undefined);
      },
    });
    if (result.state !== 'done') {
      log(`failed ${spec.id}: ${result.error}`);
      if (result.badInput) throw new UnrecoverableError(`${BAD_INPUT_PREFIX}${result.error}`);
      throw new Error(result.error ?? 'the head failed');
    }
    log(`finished ${spec.id} in ${result.seconds.toFixed(1)} s`);
    return { ...result, attempts: attempt };
  };
  const worker = new Worker<HeadJobData, HeadResult>(QUEUE_NAME, processor, {
    connection: parseRedisUrl(opts.url),
    concurrency: opts.concurrency,
    lockDuration: opts.lockMs ?? 60_000,
    stalledInterval: opts.stalledMs ?? 30_000,
    // A head may be lost to two dead workers in a row before the batch hears it failed.
    maxStalledCount: 2,
    name,
  });
  // A lost lock is reported on every renewal try: say each distinct problem once.
  const said = new Set<string>();
  worker.on('error', (err) => {
    if (said.has(err.message)) return;
    said.add(err.message);
    log(`queue: ${err.message}`);
  });
  try {
    await reachRedis(worker, opts.url);
  } catch (err) {
    await worker.close(true).catch(() => undefined);
    throw err;
  }
  return {
    name,
    async close(force = false) {
      if (force) abort.abort();
      await worker.close(force);
    },
  };
}
