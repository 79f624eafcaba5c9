/**
 * `headforge batch <folder|files...> --out DIR [...]`: one head per portrait and seed, with the local
 * engine or on a farm (--queue redis://...). Heads finished by an earlier call with the same settings
 * are skipped; bad inputs and failed heads are listed and named in the exit status, never fatal to
 * the rest. The work is src/engine/batch/batch.ts; this file reads flags and prints.
 */
import path from 'node:path';
import type { BatchSettings } from '../../engine/batch/types';
import { parseRedisUrl } from '../../engine/batch/farm/connection';
import { formatDuration } from '../../engine/batch/progress';
import { isS3Url, parseS3Url } from '../../engine/batch/storage/s3-storage-url';
import { parseRunSettingsFlags } from '../run-settings-flags';
import { isEnginePresetName, type EnginePresetName } from '../../shared/splat/presets';
import { EXIT, intFlag, parseCommandArgs, UsageError, writeLine, type CliCommand } from '../command';

export const command: CliCommand = {
  name: 'batch',
  usage: `headforge batch <folder|files...> --out DIR [options]

  --out DIR|s3://BUCKET/PREFIX
                     where the heads, batch.json and the index.html contact sheet go (also the
                     place a second call resumes: finished heads with the same settings are skipped);
                     s3:// is an S3-compatible bucket (credentials: AWS_ACCESS_KEY_ID, ...)
  --s3-endpoint URL  the S3-compatible server for s3:// (default $HEADFORGE_S3_ENDPOINT, else AWS)
  --quality Q        draft | standard | high (default draft)
  --seeds N          heads per portrait, seeds S..S+N-1 (default 1)
  --seed S           the first seed (default 0)
  --preset P[,P...]  engine exports per head: unity, unreal, blender, godot, web (default none: head.ply)
  --jobs N           heads at a time on this machine (default 1; 2 cores gain nothing from more)
  --queue URL        redis://HOST:6379: run the heads on a farm of 'headforge worker's instead; DIR
                     must be a folder every worker sees at the same path, or s3:// (docs/farm.md)
  --elevation D|auto camera elevation for every head (default auto)
  --steps N          optimisation steps (overrides the quality preset; quick looks and tests)
  --backend B        default | pack:<name>
  --head-model DIR   head model to fit (as for generate; workers take their own)
  --json             print batch.json's totals and paths as one JSON object on stdout

Folders are read one level deep; hidden files are ignored. Inputs that are not usable portraits
(not an image, empty, a PDF, too small, no face) are listed and skipped.
Exit codes: 0 every head made, 2 some inputs were bad or their heads failed (named on stderr; the
rest are made; no usable input at all: nothing is written), 1 a head failed for another reason,
3 the storage or the queue cannot be reached, 4 cancelled (Ctrl+C).`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      out: { type: 'string' },
      quality: { type: 'string' },
      seeds: { type: 'string' },
      seed: { type: 'string' },
      preset: { type: 'string' },
      jobs: { type: 'string' },
      queue: { type: 'string' },
      's3-endpoint': { type: 'string' },
      elevation: { type: 'string' },
      steps: { type: 'string' },
      backend: { type: 'string' },
      'head-model': { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length === 0) throw new UsageError('which portraits? give a folder or image files');
    if (typeof values.out !== 'string') throw new UsageError('--out DIR is required');
    if (isS3Url(values.out))
      try {
        parseS3Url(values.out);
      } catch (err) {
        throw new UsageError(`--out ${(err as Error).message}`);
      }
    const s3EndpointFlag = values['s3-endpoint'] as string | undefined;
    // Handed to the heads, not set in the environment (an in-process caller would keep it).
    const headModelFlag = values['head-model'];
    const headModelDir = typeof headModelFlag === 'string' ? path.resolve(headModelFlag) : undefined;
    const seedCount = intFlag(values.seeds, 'seeds') ?? 1;
    if (seedCount < 1 || seedCount > 1000) throw new UsageError('--seeds must be 1..1000');
    const firstSeed = intFlag(values.seed, 'seed') ?? 0;
    const jobs = intFlag(values.jobs, 'jobs') ?? 1;
    if (jobs < 1 || jobs > 64) throw new UsageError('--jobs must be 1..64');
    const presets = parsePresets(values.preset);
    const queue = values.queue as string | undefined;
    if (queue !== undefined) {
      try {
        parseRedisUrl(queue);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    // The same validation as generate's settings (ranges of seed, steps, elevation, backend names);
    // the last seed of the batch stands for all of them in the range check.
    const run = parseRunSettingsFlags(
      { ...values, seed: undefined },
      { seed: firstSeed + seedCount - 1, quality: 'draft' },
    );
    const settings: BatchSettings = {
      quality: run.quality,
      elevationDeg: run.elevationDeg,
      backend: run.backend,
      ...(run.steps !== undefined ? { steps: run.steps } : {}),
      presets,
    };
    const abort = new AbortController();
    void io.interrupted.then(() => {
      writeLine(io.stderr, 'batch: cancelling… (Ctrl+C again to quit at once)');
      abort.abort();
    });
    // Loaded here: the pipeline's imports are heavy, and `headforge --help` needs none of them.
    const { runBatch } = await import('../../engine/batch/batch');
    const outcome = await runBatch({
      inputs: positionals,
      out: values.out,
      settings,
      seeds: Array.from({ length: seedCount }, (_, i) => firstSeed + i),
      jobs,
      ...(queue !== undefined ? { queue } : {}),
      ...(headModelDir !== undefined ? { headModelDir } : {}),
      ...(s3EndpointFlag !== undefined ? { s3Endpoint: s3EndpointFlag } : {}),
      signal: abort.signal,
      line: (text) => writeLine(io.stderr, text),
    });
    const { summary } = outcome;
    const t = summary.totals;
    const failed = summary.heads.filter((h) => h.state !== 'done');
    if (values.json)
      writeLine(
        io.stdout,
        JSON.stringify({
          summary: outcome.summaryFile,
          contactSheet: outcome.contactSheet,
          totals: t,
          failed: failed.map((h) => h.inputName),
          badInputs: summary.badInputs,
        }),
      );
    else if (outcome.summaryFile === null)
      writeLine(
        io.stdout,
        `no usable portrait among the inputs: nothing made, nothing written to ${values.out}`,
      );
    else {
      writeLine(
        io.stdout,
        `${t.done} of ${t.heads} heads done (${t.resumed} from earlier calls) in ${formatDuration(t.seconds)}`,
      );
      writeLine(io.stdout, `summary: ${outcome.summaryFile}`);
      writeLine(io.stdout, `contact sheet: ${outcome.contactSheet}`);
    }
    for (const b of summary.badInputs) writeLine(io.stderr, `bad input: ${b.path}: ${b.reason}`);
    for (const h of failed)
      writeLine(io.stderr, `failed: ${h.inputName} seed ${h.seed}: ${h.error ?? 'unknown error'}`);
    if (outcome.cancelled) return EXIT.cancelled;
    if (failed.some((h) => !h.badInput)) return EXIT.internal;
    return failed.length || summary.badInputs.length ? EXIT.usage : EXIT.ok;
  },
};

function parsePresets(v: string | boolean | undefined): EnginePresetName[] {
  if (v === undefined) return [];
  const names = String(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!isEnginePresetName(n))
      throw new UsageError(`unknown --preset ${JSON.stringify(n)} (unity, unreal, blender, godot, web)`);
  return [...new Set(names)] as EnginePresetName[];
}
