/**
 * One batch call: scan the inputs, plan one head per portrait and seed, skip the heads an earlier call
 * finished (same key), make the rest with the local engine or on a farm, then write batch.json and
 * the index.html contact sheet into the batch's storage (a folder or an s3:// bucket). Never throws
 * for a bad input or a failed head: they are in the summary. When no input is a usable portrait,
 * nothing is written at all (an earlier call's summary in the same --out stays as it was).
 */
import path from 'node:path';
import { contactSheetHtml, CONTACT_SHEET_FILE } from './contact-sheet';
import { headSpec } from './head-key';
import { readFinishedHead } from './head-result';
import { scanInputs, type GoodInput } from './inputs';
import { runLocal } from './local-runner';
import { BatchProgress } from './progress';
import type { BatchStorage } from './storage/batch-storage';
import { openStorage } from './storage/open-storage';
import { BATCH_SUMMARY_FILE, buildSummary, writeSummary, type BatchSummary } from './summary';
import { findFaceInPortrait } from '../projects/face-check';
import { redactRedisUrl } from './farm/connection';
import type { BatchSettings, HeadResult, HeadSpec } from './types';

export interface BatchOptions {
  inputs: string[];
  /** A folder, or s3://BUCKET/PREFIX. */
  out: string;
  /** The S3-compatible server for an s3:// out (default $HEADFORGE_S3_ENDPOINT, then AWS). */
  s3Endpoint?: string;
  settings: BatchSettings;
  seeds: number[];
  /** Heads at a time in this process (local engine only). */
  jobs: number;
  /** redis:// URL: submit to a farm instead of running here. */
  queue?: string;
  /** The head model the local engine fits (a farm's workers use their own --head-model). */
  headModelDir?: string;
  signal: AbortSignal;
  /** Progress lines (stderr in the CLI). */
  line(text: string): void;
  log?(message: string): void;
}

export interface BatchOutcome {
  summary: BatchSummary;
  /** Where batch.json and index.html were written; null when no input was usable and nothing was. */
  summaryFile: string | null;
  contactSheet: string | null;
  cancelled: boolean;
}

export async function runBatch(opts: BatchOptions): Promise<BatchOutcome> {
  const t0 = performance.now();
  const storage = await openStorage(opts.out, opts.s3Endpoint ? { s3Endpoint: opts.s3Endpoint } : {});
  await storage.check();
  const { good, bad } = await scanInputs(opts.inputs);
  for (const b of bad) opts.line(`skipped ${b.path}: ${b.reason}`);

  const planned: HeadSpec[] = [];
  for (const input of good)
    for (const seed of opts.seeds)
      planned.push(
        headSpec(
          input.name,
          await inputLocation(input, storage, opts.queue !== undefined),
          input.sha256,
          seed,
          opts.settings,
        ),
      );

  // Resume: heads already in <out>/heads with the same key are done.
  const resumed = new Map<string, HeadResult>();
  for (const spec of planned) {
    const done = await readFinishedHead(storage, spec);
    if (done) resumed.set(spec.id, { ...done, resumed: true });
  }
  // A portrait without a face is a bad input like a PDF; looked for only in portraits with heads to
  // make (the face models load once, ~1 s, then ~0.3 s a portrait), so a resumed batch skips it.
  const knownFaceless = await previousFaceless(storage);
  const faceless = new Set<string>();
  for (const input of good) {
    const needed = planned.some((s) => s.inputSha256 === input.sha256 && !resumed.has(s.id));
    if (needed && (knownFaceless.has(input.sha256) || (await findFaceInPortrait(input.bytes)) === false)) {
      faceless.add(input.sha256);
      bad.push({ path: input.path, reason: 'no face found in the portrait', facelessSha256: input.sha256 });
      opts.line(`skipped ${input.path}: no face found in the portrait`);
    }
  }
  const specs = planned.filter((s) => !faceless.has(s.inputSha256));
  const todo = specs.filter((s) => !resumed.has(s.id));
  if (resumed.size)
    opts.line(`${resumed.size} of ${specs.length} heads already made by an earlier call; skipping them`);

  const progress = new BatchProgress(todo.length, opts.line);
  const hooks = {
    signal: opts.signal,
    onFinish: (r: HeadResult) => progress.finished(r),
    ...(opts.log ? { log: opts.log } : {}),
  };
  let made: HeadResult[] = [];
  if (todo.length > 0) {
    if (opts.queue) {
      const { runOnFarm } = await import('./farm/submit');
      made = await runOnFarm(todo, storage.url, {
        ...hooks,
        url: opts.queue,
        onStart: (spec, worker) => progress.started(spec, worker),
        note: opts.line,
      });
    } else {
      made = await runLocal(todo, storage, {
        ...hooks,
        jobs: opts.jobs,
        ...(opts.headModelDir !== undefined ? { headModelDir: opts.headModelDir } : {}),
        onStart: (spec) => progress.started(spec),
      });
    }
  }
  // A portrait in which no face was found is a bad input like a PDF (found only when its head ran).
  const unusable = made.filter((r) => r.badInput);
  const byId = new Map(made.filter((r) => !r.badInput).map((r) => [r.id, r]));
  const goodByName = new Map(good.map((g) => [g.name, g.path]));
  for (const r of unusable)
    if (!bad.some((b) => b.path === goodByName.get(r.inputName)))
      bad.push({
        path: goodByName.get(r.inputName) ?? r.inputName,
        reason: r.error ?? 'not a usable portrait',
      });
  const heads = specs.flatMap((s) => {
    const r = resumed.get(s.id) ?? byId.get(s.id);
    return r ? [r] : [];
  });
  const summary = buildSummary({
    settings: opts.settings,
    seeds: opts.seeds,
    engine: opts.queue ? redactRedisUrl(opts.queue) : 'local',
    heads,
    badInputs: bad,
    seconds: (performance.now() - t0) / 1000,
  });
  // Nothing usable among the inputs (a wrong folder, only PDFs): a summary of nothing would create
  // --out, or replace the summary of the heads an earlier call made there.
  if (specs.length === 0)
    return { summary, summaryFile: null, contactSheet: null, cancelled: opts.signal.aborted };
  const summaryFile = await writeSummary(storage, summary);
  await storage.write(CONTACT_SHEET_FILE, contactSheetHtml(summary));
  return {
    summary,
    summaryFile,
    contactSheet: storage.locate(CONTACT_SHEET_FILE),
    cancelled: opts.signal.aborted,
  };
}

/** Portraits the previous call's batch.json found faceless (by content), so a resume skips the models. */
async function previousFaceless(storage: BatchStorage): Promise<Set<string>> {
  try {
    const prev = JSON.parse((await storage.readText(BATCH_SUMMARY_FILE)) ?? '') as BatchSummary;
    return new Set(prev.badInputs.flatMap((b) => (b.facelessSha256 ? [b.facelessSha256] : [])));
  } catch {
    return new Set();
  }
}

/**
 * Where a head's worker reads its portrait. Locally: the file where it is. On a farm: a copy in the
 * batch's storage (inputs/<sha256><ext>, written once), named by its key, since a worker on another
 * machine cannot see the submitter's files.
 */
async function inputLocation(input: GoodInput, storage: BatchStorage, farm: boolean): Promise<string> {
  if (!farm) return input.path;
  const key = `inputs/${input.sha256}${path.extname(input.name).toLowerCase()}`;
  if (!(await storage.exists(key))) await storage.write(key, input.bytes);
  return key;
}
