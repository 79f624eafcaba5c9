/**
 * `headforge generate <image> [...]` — portrait in, head out, from the terminal. The engine runs
 * in-process; the project and run land in the library like runs started from the studio, and --out
 * copies the run's files to a folder. Stages that do not exist yet are named, never faked.
 */
import type { RunOutputs } from '../../shared/contracts/run';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { JobInfo, StudioEvent } from '../../shared/contracts/studio-api';
import { parseRunSettingsFlags } from '../run-settings-flags';
import { Engine } from '../../engine/host/engine';
import { pipelineAvailability } from '../../engine/host/pipeline-loader';
import { installedPackDir } from '../../engine/multiview/packs';
import { createSessionLogger } from '../../engine/logging/logger';
import { defaultLibraryRoot, logsDir } from '../../engine/projects/paths';
import { replaceFolderWithCopy } from '../../engine/run-folder/atomic-write';
import {
  EXIT,
  exitCodeForStudio,
  parseCommandArgs,
  UsageError,
  writeLine,
  type CliCommand,
  type CliIo,
} from '../command';
import { ProgressPrinter } from './progress-printer';

export const command: CliCommand = {
  name: 'generate',
  usage: `headforge generate <image> [options]

  --elevation DEG|auto   camera elevation, -10..40 degrees (default auto: from the head pitch)
  --fov DEG              the lens that took the photo: vertical field of view of the whole image, in
                         degrees (a phone's main camera held upright: about 65; default: from the
                         photo's EXIF focal length, else estimated by the head fit)
  --seed N               random seed (default 0)
  --steps N              optimisation steps (overrides the quality preset)
  --quality Q            draft | standard | high (default standard)
  --backend B            default | pack:<name> (default: the weight-free default)
  --head-model DIR       head model to fit: an installed one or the ICT-FaceKit folder (default
                         $HEADFORGE_HEAD_MODEL, else the one 'headforge models import-head' installed)
  --out DIR              also copy the run's files (views/, head.ply, ...) to DIR; an existing
                         non-empty DIR is refused unless --force, which replaces it as a whole
  --force                let --out replace an existing folder
  --name NAME            project name (default: the image file name)
  --library DIR          project library (default $HEADFORGE_LIBRARY or ~/.headforge/library)
  --json                 print the result as one JSON object on stdout (progress stays on stderr)

Exit codes: 0 ok, 1 internal error, 2 bad input/usage, 3 missing model pack/backend/pipeline, 4 cancelled (Ctrl+C).`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      elevation: { type: 'string' },
      fov: { type: 'string' },
      seed: { type: 'string' },
      steps: { type: 'string' },
      quality: { type: 'string' },
      backend: { type: 'string' },
      'head-model': { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
      library: { type: 'string' },
      json: { type: 'boolean' },
      force: { type: 'boolean' },
    });
    // Handed to the in-process engine for its runs (not set in the environment, which would outlive
    // this command for an in-process caller).
    const headModelFlag = values['head-model'];
    let headModelDir: string | undefined;
    if (typeof headModelFlag === 'string') {
      headModelDir = path.resolve(headModelFlag);
      // A mistyped folder must not quietly give a head without the head model.
      const stat = await fs.stat(headModelDir).catch(() => null);
      if (!stat?.isDirectory()) throw new UsageError(`--head-model ${headModelFlag}: no such folder`);
    }
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length
          ? `expected one image, got ${positionals.length}`
          : 'which portrait? usage: headforge generate <image>',
      );
    const imagePath = path.resolve(positionals[0]);
    const settings = parseRunSettingsFlags(values, { seed: 0, quality: 'standard' });

    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await fs.readFile(imagePath));
    } catch (err) {
      throw new UsageError(
        `cannot read ${imagePath}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      );
    }
    // An unwritable --out must fail now, not after minutes of work.
    if (values.out) await checkOutDir(path.resolve(values.out as string), values.force === true);
    // Say so before creating anything when the pipeline is absent.
    const pipeline = pipelineAvailability();
    if (!pipeline.available) {
      writeLine(io.stderr, `generate: pipeline not available — ${pipeline.problem}`);
      return EXIT.missing;
    }
    // And when the model pack is not installed: before the project is made and preprocessing runs.
    if (settings.backend.startsWith('pack:')) installedPackDir(settings.backend.slice('pack:'.length));

    const libraryRoot = defaultLibraryRoot((values.library as string | undefined) ?? null);
    const logger = createSessionLogger({ dir: logsDir(libraryRoot), name: 'cli' });
    const engine = await Engine.create({ libraryRoot, logger, ...(headModelDir ? { headModelDir } : {}) });
    const project = await engine.createProject({
      name: (values.name as string | undefined) ?? path.parse(imagePath).name,
      fileName: path.basename(imagePath),
      bytes,
    });
    if (project.inputWarning) writeLine(io.stderr, `generate: ${project.inputWarning}`);
    const job = await engine.startRun({ projectId: project.id, settings });
    const final = await waitForJob(engine, job.id, io);
    const runDir = await engine.library.runDir(project.id, job.runId!);

    if (final.state === 'cancelled') {
      writeLine(
        io.stderr,
        `generate: cancelled; the project is kept (${project.id}), the run is marked cancelled`,
      );
      return EXIT.cancelled;
    }
    if (final.state !== 'done') {
      writeLine(io.stderr, `generate: failed — ${final.error ?? 'unknown error'}`);
      writeLine(io.stderr, `log: ${logger.file}`);
      return exitCodeForStudio(final.errorCode);
    }
    const run = await engine.library.readRun(project.id, job.runId!);
    const outputs = run.outputs!;
    let outDir: string | null = null;
    if (values.out) {
      outDir = path.resolve(values.out as string);
      // Complete or not at all: copied beside DIR, then swapped in (DIR held only our empty probe
      // folder, or the user passed --force).
      await replaceFolderWithCopy(runDir, outDir);
    }
    const where = outDir ?? runDir;
    if (values.json) {
      writeLine(
        io.stdout,
        JSON.stringify({
          projectId: project.id,
          runId: job.runId,
          runDir,
          outDir,
          state: final.state,
          outputs,
        }),
      );
    } else {
      writeLine(io.stdout, `project ${project.id}, run ${job.runId}`);
      writeLine(
        io.stdout,
        outputs.headPly
          ? `head written to ${path.join(where, outputs.headPly)}`
          : 'no head was written (the stages that make it are missing)',
      );
      if (outputs.views.length)
        writeLine(io.stdout, `${outputs.views.length} views in ${path.join(where, 'views')}`);
      writeLine(io.stdout, summaryTable(outputs));
      for (const w of outputs.warnings) writeLine(io.stdout, `warning: ${w}`);
    }
    return outputs.headPly ? EXIT.ok : EXIT.missing;
  },
};

/** Follow a job to its end, printing progress; Ctrl+C cancels it (a second Ctrl+C exits at once). */
function waitForJob(engine: Engine, jobId: string, io: CliIo): Promise<JobInfo> {
  const printer = new ProgressPrinter(io.stderr);
  return new Promise((resolve) => {
    const off = engine.onEvent((e: StudioEvent) => {
      if (e.type === 'job-progress' && e.job.id === jobId) printer.update(e.job, e.message);
      if (e.type === 'job-finished' && e.job.id === jobId) {
        off();
        printer.done(e.job);
        resolve(e.job);
      }
    });
    void io.interrupted.then(() => {
      printer.note('cancelling… (Ctrl+C again to quit at once)');
      engine.cancelJob({ jobId }).catch(() => undefined);
    });
  });
}

/** The closing summary: time per stage, Gaussians, fidelity and identity. */
export function summaryTable(outputs: RunOutputs): string {
  const rows: [string, string][] = Object.entries(outputs.timings).map(([stage, s]) => [
    stage,
    `${s.toFixed(1)} s`,
  ]);
  const total = Object.values(outputs.timings).reduce((a, b) => a + b, 0);
  rows.push(['total', `${total.toFixed(1)} s`]);
  const m = outputs.metrics;
  if (typeof m.gaussians === 'number') rows.push(['Gaussians', m.gaussians.toLocaleString('en-US')]);
  if (typeof m.meanPsnr === 'number') rows.push(['mean PSNR vs 16 views', `${m.meanPsnr.toFixed(2)} dB`]);
  if (m.perViewPsnr?.length) rows.push(['worst view PSNR', `${Math.min(...m.perViewPsnr).toFixed(2)} dB`]);
  if (typeof m.identitySimilarity === 'number')
    rows.push(['identity (cosine, front)', m.identitySimilarity.toFixed(3)]);
  const w = Math.max(...rows.map((r) => r[0].length));
  return ['', ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`)].join('\n');
}

/**
 * --out before any work: an existing non-empty folder is the user's (refused without --force, so
 * nothing is overwritten silently), then prove a file can be written there.
 */
async function checkOutDir(dir: string, force: boolean): Promise<void> {
  const existing = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    if (err.code === 'ENOTDIR') throw new UsageError(`cannot write to --out ${dir}: ENOTDIR (it is a file)`);
    throw new UsageError(`cannot write to --out ${dir}: ${err.code ?? err.message}`);
  });
  if (existing.length > 0 && !force)
    throw new UsageError(
      `--out ${dir} exists and is not empty; pass --force to replace it with this run's files, or pick another folder`,
    );
  await checkWritableDir(dir);
}

/** Create `dir` if needed and prove a file can be written there; a UsageError (exit 2) if not. */
async function checkWritableDir(dir: string): Promise<void> {
  const probe = path.join(dir, `.headforge-write-test-${process.pid}`);
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(probe, '');
    await fs.rm(probe);
  } catch (err) {
    throw new UsageError(
      `cannot write to --out ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}
