/**
 * The farm's Redis: a redis:// or rediss:// URL (redis://[user:password@]host[:port][/db]) turned into
 * BullMQ connection options, and the queue's fixed name and job options, so the submitter and every
 * worker agree without configuration.
 */
import type { ConnectionOptions, JobsOptions } from 'bullmq';
import { StudioError } from '../../../shared/rpc/errors';

/** All heads of all batches go through one queue; a head's job id names its batch call. */
export const QUEUE_NAME = 'headforge-heads';

/**
 * Retries with backoff: a head that throws (a full disk, a worker's own error) is tried again after
 * 10 s, then 20 s; an input that is not a usable portrait fails at once (UnrecoverableError).
 * Finished jobs stay in Redis a day for `bullmq` tooling, then go.
 */
export const HEAD_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export function parseRedisUrl(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RangeError(`--queue ${JSON.stringify(url)} is not a URL; expected redis://HOST:6379`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new RangeError(`--queue must be a redis:// or rediss:// URL, got ${u.protocol}//`);
  if (!u.hostname) throw new RangeError(`--queue ${url} names no host; expected redis://HOST:6379`);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw new RangeError(`--queue ${url}: the path must be a database number`);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's blocking calls must not time out; see its docs ("maxRetriesPerRequest: null").
    maxRetriesPerRequest: null,
  };
}

/** The URL without its password, for logs and batch.json. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** Marks an error the worker gave up on at once because the input itself is unusable. */
export const BAD_INPUT_PREFIX = '[bad input] ';

/**
 * Wait for a BullMQ client to reach Redis, or fail with a sentence: ioredis otherwise retries for
 * ever and a mistyped --queue would hang in silence.
 */
export async function reachRedis(
  client: { waitUntilReady(): Promise<unknown> },
  url: string,
  ms = 15_000,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.waitUntilReady(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new StudioError(
                'BACKEND_UNAVAILABLE',
                `cannot reach Redis at ${redactRedisUrl(url)} (no answer in ${ms / 1000} s); is redis-server running there?`,
              ),
            ),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
