/**
 * The submitting side of a farm batch: one BullMQ job per head, then listen (QueueEvents) until every
 * one of them has completed or finally failed. Progress and results come back as events: a head's
 * first progress from a worker prints its start line, a stalled head (its worker died) prints a line
 * and goes back in the queue (BullMQ does that, on the next stalled-job check of any live worker).
 *
 * Job ids are <head id>.<submission id>: each call's jobs are its own (a failed head from an earlier
 * call is tried again), and a head finished in between by another call is still only published once
 * (run-head.ts: one rename, the first wins).
 */
import crypto from 'node:crypto';
import { Job, Queue, QueueEvents } from 'bullmq';
import { failedHead } from '../head-result';
import type { HeadResult, HeadSpec } from '../types';
import { BAD_INPUT_PREFIX, HEAD_JOB_OPTIONS, parseRedisUrl, QUEUE_NAME, reachRedis } from './connection';
import type { HeadJobData, HeadJobProgress } from './worker';

export interface SubmitOptions {
  url: string;
  signal: AbortSignal;
  onStart?(spec: HeadSpec, worker: string): void;
  onFinish?(result: HeadResult): void;
  /** A line for the user that is not a head's start or end (stalled heads, waiting for workers). */
  note?(line: string): void;
  /** After this long with no head started, say that no worker seems to be listening (default 30 s). */
  idleWarnMs?: number;
}

/** Submit `specs` (inputs already in the batch's storage at `out`: a shared folder or s3://) and wait for all of them. */
export async function runOnFarm(specs: HeadSpec[], out: string, opts: SubmitOptions): Promise<HeadResult[]> {
  if (specs.length === 0) return [];
  const connection = parseRedisUrl(opts.url);
  const queue = new Queue<HeadJobData, HeadResult>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  const submission = crypto.randomBytes(4).toString('hex');
  const byJob = new Map(specs.map((s) => [`${s.id}.${submission}`, s]));
  const results = new Map<string, HeadResult>();
  const started = new Set<string>();
  try {
    // Listen before adding: QueueEvents reads new events only.
    await reachRedis(events, opts.url);
    await reachRedis(queue, opts.url);
    const finished = new Promise<void>((resolve) => {
      const settle = (jobId: string, result: HeadResult): void => {
        if (results.has(jobId)) return;
        results.set(jobId, result);
        opts.onFinish?.(result);
        if (results.size === byJob.size) resolve();
      };
      events.on('progress', ({ jobId, data }) => {
        const spec = byJob.get(jobId);
        const p = data as Partial<HeadJobProgress>;
        const key = `${jobId}@${p.worker}`;
        if (!spec || !p.worker || started.has(key)) return;
        started.add(key);
        opts.onStart?.(spec, p.worker);
      });
      events.on('stalled', ({ jobId }) => {
        const spec = byJob.get(jobId);
        if (spec)
          opts.note?.(`${spec.inputName} seed ${spec.seed}: its worker stopped answering; back in the queue`);
      });
      events.on('completed', ({ jobId, returnvalue }) => {
        if (!byJob.has(jobId)) return;
        const value = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as HeadResult;
        settle(jobId, value);
      });
      events.on('failed', ({ jobId, failedReason }) => {
        const spec = byJob.get(jobId);
        if (!spec) return;
        // 'failed' is final here (a retried attempt is 'delayed'/'waiting'), but ask the job to be sure.
        void Job.fromId(queue, jobId)
          .then(async (job) => ((await job?.getState()) === 'failed' ? job : null))
          .then((job) => {
            if (!job) return;
            const bad = failedReason.startsWith(BAD_INPUT_PREFIX);
            settle(
              jobId,
              failedHead(spec, bad ? failedReason.slice(BAD_INPUT_PREFIX.length) : failedReason, {
                badInput: bad,
                attempts: job.attemptsStarted,
              }),
            );
          });
      });
    });
    await queue.addBulk(
      [...byJob].map(([jobId, spec]) => ({
        name: 'head',
        data: { spec, out },
        opts: { ...HEAD_JOB_OPTIONS, jobId },
      })),
    );
    opts.note?.(`queued ${specs.length} head${specs.length > 1 ? 's' : ''} on ${QUEUE_NAME}`);
    const idle = setTimeout(() => {
      if (started.size === 0)
        opts.note?.('no worker has taken a head yet: start one with `headforge worker --queue URL`');
    }, opts.idleWarnMs ?? 30_000);
    const aborted = new Promise<void>((resolve) =>
      opts.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    await Promise.race([finished, aborted]);
    clearTimeout(idle);
    if (opts.signal.aborted) {
      // Take back the heads no worker has started; running ones are locked and finish on their worker.
      const left = [...byJob.keys()].filter((id) => !results.has(id));
      const removed = await Promise.all(left.map((id) => queue.remove(id).catch(() => 0)));
      opts.note?.(
        `cancelled: ${removed.filter((n) => n === 1).length} queued heads taken back; heads already running finish on their workers`,
      );
    }
    // In submission order; a cancelled submitter returns what arrived (the queued rest stays queued).
    return [...byJob.keys()].flatMap((id) => (results.has(id) ? [results.get(id)!] : []));
  } finally {
    await events.close();
    await queue.close();
  }
}
