/**
 * Batch figures: heads per hour of a local batch at draft (HEADFORGE_BENCH_BATCH_PORTRAITS fixture
 * portraits, default 2, one seed each, --jobs 1), and the farm queue's overhead per job (alone:
 * `npm run bench -- --filter batch-queue`; its share of a draft head only when batch-local ran): a real
 * redis-server (Debian's, on a free port), one in-process worker and the submitter, carrying heads
 * that are already made (the worker finds each finished and returns it), so the time per job is
 * BullMQ's add -> take -> lock -> complete -> event round trip and nothing of the pipeline.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bench, BenchResult } from './harness';
import { runBatch } from '../src/engine/batch/batch';
import type { BatchSettings, HeadResult, HeadSpec } from '../src/engine/batch/types';
import { HEAD_RESULT_FILE } from '../src/engine/batch/storage/batch-storage';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const portraits = path.resolve(repoRoot, '../shared/fixtures/portraits');
const QUEUE_JOBS = 50;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Local draft batch; returns the figures and the batch's out folder (the queue bench reuses a head). */
async function localThroughput(): Promise<{
  results: BenchResult[];
  out: string;
  secondsPerHead: number;
}> {
  process.env.HEADFORGE_HEAD_MODEL ??= path.resolve(repoRoot, '../shared/head-models/ict-facekit');
  const count = Number(process.env.HEADFORGE_BENCH_BATCH_PORTRAITS ?? 2);
  const names = (await fs.readdir(portraits)).sort().slice(0, count);
  const out = await fs.mkdtemp(path.join(os.tmpdir(), 'hf-bench-batch-'));
  const settings: BatchSettings = { quality: 'draft', elevationDeg: 'auto', backend: 'default', presets: [] };
  const t0 = performance.now();
  const { summary } = await runBatch({
    inputs: names.map((n) => path.join(portraits, n)),
    out,
    settings,
    seeds: [0],
    jobs: 1,
    signal: new AbortController().signal,
    line: () => undefined,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (summary.totals.done !== names.length)
    throw new Error(`only ${summary.totals.done} of ${names.length} heads made`);
  return {
    out,
    secondsPerHead: seconds / names.length,
    results: [
      { name: `batch local draft: ${names.length} heads`, value: seconds, unit: 's' },
      { name: 'batch local draft: throughput', value: (3600 * names.length) / seconds, unit: 'heads/hour' },
    ],
  };
}

async function queueOverhead(secondsPerHead: number | null): Promise<BenchResult[]> {
  const out = await fs.mkdtemp(path.join(os.tmpdir(), 'hf-bench-queue-'));
  const port = await freePort();
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let log = '';
    redis.once('error', reject);
    redis.stdout!.on(
      'data',
      (d: Buffer) => (log += d.toString()) && /Ready to accept/.test(log) && resolve(),
    );
  });
  const url = `redis://127.0.0.1:${port}`;
  const { startFarmWorker } = await import('../src/engine/batch/farm/worker');
  const { runOnFarm } = await import('../src/engine/batch/farm/submit');
  const worker = await startFarmWorker({ url, concurrency: 1 });
  try {
    // QUEUE_JOBS finished heads (a head.json each, as run-head.ts writes it): the worker finds each
    // one made and returns it, so nothing but the queue is timed.
    const settings: BatchSettings = {
      quality: 'draft',
      elevationDeg: 'auto',
      backend: 'default',
      presets: [],
    };
    const specs: HeadSpec[] = [];
    for (let i = 0; i < QUEUE_JOBS; i++) {
      const spec: HeadSpec = {
        id: `bench-s${i}`,
        key: String(i).padStart(64, '0'),
        inputName: 'bench.png',
        input: 'unused',
        inputSha256: 'f'.repeat(64),
        seed: i,
        settings,
      };
      const made: HeadResult = {
        id: spec.id,
        key: spec.key,
        inputName: spec.inputName,
        inputSha256: spec.inputSha256,
        seed: i,
        state: 'done',
        seconds: 20,
        warnings: [],
      };
      await fs.mkdir(path.join(out, 'heads', spec.id), { recursive: true });
      await fs.writeFile(path.join(out, 'heads', spec.id, HEAD_RESULT_FILE), JSON.stringify(made));
      specs.push(spec);
    }
    const t0 = performance.now();
    const results = await runOnFarm(specs, out, { url, signal: new AbortController().signal });
    const msPerJob = (performance.now() - t0) / QUEUE_JOBS;
    if (results.length !== QUEUE_JOBS || results.some((r) => r.state !== 'done'))
      throw new Error('the queue lost or failed jobs');
    return [
      { name: `batch queue: overhead per job (${QUEUE_JOBS} jobs, 1 worker)`, value: msPerJob, unit: 'ms' },
      ...(secondsPerHead !== null
        ? [
            {
              name: 'batch queue: overhead / draft head',
              value: (100 * msPerJob) / 1000 / secondsPerHead,
              unit: '%',
            },
          ]
        : []),
    ];
  } finally {
    await worker.close();
    redis.kill('SIGTERM');
    await fs.rm(out, { recursive: true, force: true });
  }
}

/** Seconds per draft head from batch-local when it ran first in this process (for the queue's share). */
let draftHeadSeconds: number | null = null;

export const benches: Bench[] = [
  {
    name: 'batch-local',
    async run() {
      const local = await localThroughput();
      draftHeadSeconds = local.secondsPerHead;
      await fs.rm(local.out, { recursive: true, force: true });
      return local.results;
    },
  },
  {
    name: 'batch-queue',
    run: () => queueOverhead(draftHeadSeconds),
  },
];
