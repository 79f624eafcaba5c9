/**
 * `headforge worker --queue redis://HOST:6379 [--concurrency N]`: one machine of a batch farm. Takes
 * heads from the queue until stopped; Ctrl+C (or SIGTERM) finishes the heads in hand and stops, a
 * second one quits at once (those heads go back to the queue when their lock runs out).
 */
import path from 'node:path';
import { parseRedisUrl } from '../../engine/batch/farm/connection';
import { EXIT, intFlag, parseCommandArgs, UsageError, writeLine, type CliCommand } from '../command';

export const command: CliCommand = {
  name: 'worker',
  usage: `headforge worker --queue redis://HOST:6379 [options]

  --queue URL        the farm's Redis (redis://[user:password@]HOST[:PORT][/DB], rediss:// for TLS)
  --concurrency N    heads at a time on this machine (default 1)
  --head-model DIR   head model to fit (default $HEADFORGE_HEAD_MODEL, else the installed one)
  --lock-seconds S   a head whose worker stops answering returns to the queue after about S seconds
                     (default 60; every worker of a farm should use the same)
  --s3-endpoint URL  the S3-compatible server for batches in s3:// (default $HEADFORGE_S3_ENDPOINT,
                     else AWS; credentials from AWS_ACCESS_KEY_ID, ... or ~/.aws)

A batch's out folder must be visible here at the same path as on the submitting machine (or be an
s3:// bucket this machine can reach).`,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      {
        queue: { type: 'string' },
        concurrency: { type: 'string' },
        'head-model': { type: 'string' },
        'lock-seconds': { type: 'string' },
        's3-endpoint': { type: 'string' },
      },
      false,
    );
    if (typeof values.queue !== 'string') throw new UsageError('--queue redis://HOST:6379 is required');
    try {
      parseRedisUrl(values.queue);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const concurrency = intFlag(values.concurrency, 'concurrency') ?? 1;
    if (concurrency < 1 || concurrency > 64) throw new UsageError('--concurrency must be 1..64');
    const lockSeconds = intFlag(values['lock-seconds'], 'lock-seconds') ?? 60;
    if (lockSeconds < 2 || lockSeconds > 3600) throw new UsageError('--lock-seconds must be 2..3600');
    // Handed to the heads, not set in the environment (an in-process caller would keep it).
    const headModelFlag = values['head-model'];
    const { startFarmWorker } = await import('../../engine/batch/farm/worker');
    const worker = await startFarmWorker({
      url: values.queue,
      concurrency,
      lockMs: lockSeconds * 1000,
      // Look for dead workers' heads twice per lock period.
      stalledMs: Math.max(1000, (lockSeconds * 1000) / 2),
      ...(typeof values['s3-endpoint'] === 'string' ? { s3Endpoint: values['s3-endpoint'] } : {}),
      ...(typeof headModelFlag === 'string' ? { headModelDir: path.resolve(headModelFlag) } : {}),
      log: (line) => writeLine(io.stderr, `worker ${process.pid}: ${line}`),
    });
    writeLine(
      io.stderr,
      `worker ${worker.name}: waiting for heads on ${values.queue.replace(/\/\/[^@]*@/, '//***@')}`,
    );
    const stop = new Promise<void>((resolve) => {
      void io.interrupted.then(resolve);
      process.once('SIGTERM', () => resolve());
    });
    await stop;
    writeLine(io.stderr, `worker ${worker.name}: finishing the heads in hand, then stopping`);
    await worker.close();
    return EXIT.ok;
  },
};
