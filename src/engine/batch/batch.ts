/**
 * One batch call: scan the inputs, plan one head per portrait and seed, skip the heads an earlier call
 * finished (same key), make the rest with the local engine or on a farm, then write batch.json and
 * the index.html contact sheet. Never throws for a bad input or a failed head: they are in the summary.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { contactSheetHtml, CONTACT_SHEET_FILE } from './contact-sheet';
import { headSpec } from './head-key';
import { scanInputs, type GoodInput } from './inputs';
import { runLocal } from './local-runner';
import { BatchProgress } from './progress';
import { readFinishedHead } from './run-head';
import { buildSummary, writeSummary, type BatchSummary } from './summary';
import { writeFileAtomic } from '../pipeline/run-files';
import { redactRedisUrl } from './farm/connection';
import type { BatchSettings, HeadResult, HeadSpec } from './types';

export interface BatchOptions {
  inputs: string[];
  out: string;
  settings: BatchSettings;
  seeds: number[];
  /** Heads at a time in this process (local engine only). */
  jobs: number;
  /** redis:// URL: submit to a farm instead of running here. */
  queue?: string;
  signal: AbortSignal;
  /** Progress lines (stderr in the CLI). */
  line(text: string): void;
  log?(message: string): void;
}

export interface BatchOutcome {
  summary: BatchSummary;
  summaryFile: string;
  contactSheet: string;
  cancelled: boolean;
}

export async function runBatch(opts: BatchOptions): Promise<BatchOutcome> {
  const t0 = performance.now();
  const out = path.resolve(opts.out);
  await fs.mkdir(out, { recursive: true });
  const { good, bad } = await scanInputs(opts.inputs);
  for (const b of bad) opts.line(`skipped ${b.path}: ${b.reason}`);

  const specs: HeadSpec[] = [];
  for (const input of good)
    for (const seed of opts.seeds)
      specs.push(
        headSpec(
          input.name,
          await inputLocation(input, out, opts.queue !== undefined),
          input.sha256,
          seed,
          opts.settings,
        ),
      );

  // Resume: heads already in <out>/heads with the same key are done.
  const resumed = new Map<string, HeadResult>();
  for (const spec of specs) {
    const done = await readFinishedHead(out, spec);
    if (done) resumed.set(spec.id, { ...done, resumed: true });
  }
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
      made = await runOnFarm(todo, out, {
        ...hooks,
        url: opts.queue,
        onStart: (spec, worker) => progress.started(spec, worker),
        note: opts.line,
      });
    } else {
      made = await runLocal(todo, out, {
        ...hooks,
        jobs: opts.jobs,
        onStart: (spec) => progress.started(spec),
      });
    }
  }
  const byId = new Map(made.map((r) => [r.id, r]));
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
  const summaryFile = await writeSummary(out, summary);
  const contactSheet = path.join(out, CONTACT_SHEET_FILE);
  await writeFileAtomic(contactSheet, contactSheetHtml(summary));
  return { summary, summaryFile, contactSheet, cancelled: opts.signal.aborted };
}

/**
 * Where a head's worker reads its portrait. Locally: the file where it is. On a farm: a copy in the
 * shared out folder (inputs/<sha256><ext>, written once), named relative to it, since a worker on
 * another machine cannot see the submitter's files.
 */
async function inputLocation(input: GoodInput, out: string, farm: boolean): Promise<string> {
  if (!farm) return input.path;
  const rel = `inputs/${input.sha256}${path.extname(input.name).toLowerCase()}`;
  const abs = path.join(out, rel);
  try {
    await fs.access(abs);
  } catch {
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await writeFileAtomic(abs, input.bytes);
  }
  return rel;
}
