/**
 * `headforge eval --gt HEAD.glb|DIR [--gt ...] [...]` — the paper's evaluation protocol against ground
 * truth (docs/eval.md): runs the pipeline on each subject's input view, renders the head at the
 * ground-truth cameras and writes report.json, report.md and a contact sheet per subject.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Quality } from '../../shared/contracts/studio-api';
import { runSettingsSchema, describeZodError } from '../../shared/contracts/studio-requests';
import { ELEVATION_RANGE_DEG, INPUT_FOVY_RANGE_DEG } from '../../shared/camera';
import {
  CAMERAS_FILE,
  folderSubject,
  meshSubject,
  mirrorSubject,
  runEvaluation,
  runSubject,
  type EvalProtocol,
  type EvalRunSettings,
  type GtSubject,
} from '../../engine/eval';
import { EXIT, intFlag, parseCommandArgs, UsageError, writeLine, type CliCommand } from '../command';

type SubjectLoader = () => Promise<GtSubject>;

/** How to load a --gt path's subject, and whether it is a run (a run has no mirror world). */
interface GtLoader {
  load: SubjectLoader;
  isRun: boolean;
}

/** Decide what kind of ground truth a --gt path is. */
interface LoaderOptions {
  viewSize: number;
  elevation: number;
  inputView?: number;
  scoreView?: number;
  protocol: EvalProtocol;
  log: (m: string) => void;
}

async function loaderFor(gt: string, opts: LoaderOptions): Promise<GtLoader> {
  const abs = path.resolve(gt);
  let stat;
  try {
    stat = await fs.stat(abs);
  } catch {
    throw new UsageError(`--gt ${gt}: no such file or folder`);
  }
  if (stat.isFile()) {
    if (!/\.(glb|gltf)$/i.test(abs))
      throw new UsageError(`--gt ${gt}: a ground-truth file must be .glb or .gltf`);
    return {
      isRun: false,
      load: () =>
        meshSubject(abs, {
          viewSize: opts.viewSize,
          elevationDeg: opts.elevation,
          inputView: opts.inputView,
          scoreView: opts.scoreView,
          protocol: opts.protocol,
          log: opts.log,
        }),
    };
  }
  const has = async (name: string) =>
    fs.stat(path.join(abs, name)).then(
      () => true,
      () => false,
    );
  if (await has(CAMERAS_FILE))
    return {
      isRun: false,
      load: () =>
        folderSubject(abs, {
          inputView: opts.inputView,
          scoreView: opts.scoreView,
          protocol: opts.protocol,
          log: opts.log,
        }),
    };
  if (await has('record.json')) {
    if (opts.protocol !== 'input-view' || opts.inputView !== undefined || opts.scoreView !== undefined)
      throw new UsageError(
        `--gt ${gt}: a run ground truth has one input view (its own); --protocol, --input-view and --score-view do not apply`,
      );
    return { isRun: true, load: () => runSubject(abs) };
  }
  throw new UsageError(
    `--gt ${gt}: a folder must hold ${CAMERAS_FILE} (multi-view images) or record.json (a run)`,
  );
}

/** A setting the ground truth may know: `gt` (the default), `auto`, or degrees within `range`. */
function gtAutoOrDegrees(
  value: unknown,
  flag: string,
  range: { readonly min: number; readonly max: number },
): 'gt' | 'auto' | number {
  if (value === 'auto' || value === 'gt' || value === undefined) return value ?? 'gt';
  const n = Number(value);
  if (Number.isFinite(n) && n >= range.min && n <= range.max) return n;
  throw new UsageError(
    `--${flag} must be gt, auto or degrees in ${range.min}..${range.max}, got ${JSON.stringify(value)}`,
  );
}

export const command: CliCommand = {
  name: 'eval',
  usage: `headforge eval --gt HEAD.glb|DIR [--gt ...] [options]

  --gt PATH            ground truth, repeatable (one subject each):
                         *.glb / *.gltf      textured head mesh, rendered at the 16 pipeline cameras
                         DIR/${CAMERAS_FILE}  multi-view images with OpenCV cameras (w, h, fx, fy, cx, cy, w2c)
                         DIR/record.json     an existing run (run vs run)
  --backend B          default | pack:<name> (default: default)
  --seed N             random seed (default 42)
  --quality Q          draft | standard | high (default draft)
  --steps N            optimisation steps (overrides the preset)
  --elevation E        gt (default: the ground truth's, else auto) | auto | degrees
  --gt-elevation DEG   camera elevation of mesh ground truth views (default 0)
  --lens L             the portrait's lens handed to the pipeline, as a user who knows their camera
                       states it: gt (default: the ground truth input camera's field of view) | auto
                       (none: the head fit estimates it) | degrees (vertical, whole portrait)
  --view-size N        size of mesh ground-truth views (default 256)
  --protocol P         input-view (default): the pipeline gets the input view, every view is scored
                       profile-to-frontal: it gets a profile view (90 deg from the most frontal one;
                         mesh: azimuth 83.5) and the front view's scores (CSIM first) are the headline
  --mirror             also score each ground truth's mirror world (every image flipped, every camera
                         mirrored; subject <name>-mirrored): a pipeline without a left-right bias
                         scores both alike (not for run ground truths or --candidate-run)
  --input-view N       index of the input frame (folder default: the most frontal face; mesh: 0)
  --score-view N       index of the headline view (profile-to-frontal default: the front)
  --candidate-run DIR  score this existing run instead of running the pipeline
  --out DIR            report folder (default ./eval-report)
  --json               print the report as JSON on stdout

Writes DIR/report.json, DIR/report.md, DIR/<subject>/contact-sheet.png and DIR/<subject>/project/run.
Exit codes: 0 ok, 1 internal error, 2 bad input/usage, 3 missing model pack/backend/pipeline, 4 cancelled.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      {
        gt: { type: 'string', multiple: true },
        backend: { type: 'string' },
        seed: { type: 'string' },
        quality: { type: 'string' },
        steps: { type: 'string' },
        elevation: { type: 'string' },
        'gt-elevation': { type: 'string' },
        lens: { type: 'string' },
        'view-size': { type: 'string' },
        'input-view': { type: 'string' },
        'score-view': { type: 'string' },
        protocol: { type: 'string' },
        'candidate-run': { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        mirror: { type: 'boolean' },
      },
      false,
    );
    const gts = (values.gt as unknown as string[] | undefined) ?? [];
    if (gts.length === 0) throw new UsageError('which ground truth? usage: headforge eval --gt head.glb');
    const parsed = runSettingsSchema.safeParse({
      elevationDeg: 'auto',
      seed: intFlag(values.seed, 'seed') ?? 42,
      quality: values.quality ?? 'draft',
      backend: values.backend ?? 'default',
      ...(values.steps !== undefined ? { steps: intFlag(values.steps, 'steps') } : {}),
    });
    if (!parsed.success) throw new UsageError(describeZodError(parsed.error).replace(/args\./g, '--'));
    const elevation = gtAutoOrDegrees(values.elevation, 'elevation', ELEVATION_RANGE_DEG);
    const lens = gtAutoOrDegrees(values.lens, 'lens', INPUT_FOVY_RANGE_DEG);
    const gtElevation = values['gt-elevation'] === undefined ? 0 : Number(values['gt-elevation']);
    if (!Number.isFinite(gtElevation) || Math.abs(gtElevation) > 60)
      throw new UsageError('--gt-elevation must be degrees in -60..60');
    const viewSize = intFlag(values['view-size'], 'view-size') ?? 256;
    if (viewSize < 64 || viewSize > 2048) throw new UsageError('--view-size must be in 64..2048');
    const inputView = intFlag(values['input-view'], 'input-view');
    const scoreView = intFlag(values['score-view'], 'score-view');
    const protocol = values.protocol ?? 'input-view';
    if (protocol !== 'input-view' && protocol !== 'profile-to-frontal')
      throw new UsageError(
        `--protocol must be input-view or profile-to-frontal, got ${JSON.stringify(protocol)}`,
      );
    const outDir = path.resolve(typeof values.out === 'string' ? values.out : 'eval-report');
    const log = (m: string) => {
      if (!values.json) writeLine(io.stderr, m);
    };
    if (values.mirror && typeof values['candidate-run'] === 'string')
      throw new UsageError('--mirror scores a pipeline run on each mirror world; a --candidate-run has none');
    const loaders: SubjectLoader[] = [];
    for (const gt of gts) {
      const { load, isRun } = await loaderFor(gt, {
        viewSize,
        elevation: gtElevation,
        inputView,
        scoreView,
        protocol,
        log,
      });
      loaders.push(load);
      if (values.mirror) {
        if (isRun)
          throw new UsageError(
            `--gt ${gt}: --mirror does not apply to a run ground truth (its input is the run's own file)`,
          );
        loaders.push(() => load().then(mirrorSubject));
      }
    }
    const settings: EvalRunSettings = {
      backend: parsed.data.backend,
      seed: parsed.data.seed,
      quality: parsed.data.quality as Quality,
      ...(parsed.data.steps !== undefined ? { steps: parsed.data.steps } : {}),
      elevation,
      lens,
    };
    const controller = new AbortController();
    void io.interrupted.then(() => controller.abort());
    let lastStage = '';
    const report = await runEvaluation(loaders, {
      settings,
      outDir,
      candidateRunDir: typeof values['candidate-run'] === 'string' ? values['candidate-run'] : undefined,
      signal: controller.signal,
      log: () => undefined,
      progress: (k, stage, f) => {
        const key = `${k}:${stage}`;
        if (key !== lastStage) {
          lastStage = key;
          log(`subject ${k + 1}/${loaders.length}: ${stage} (${Math.round(f * 100)}%)`);
        }
      },
    });
    if (values.json) writeLine(io.stdout, JSON.stringify(report));
    else {
      const f = (m: { mean: number | null; std: number | null }, d: number) =>
        m.mean === null ? 'n/a' : `${m.mean.toFixed(d)} ± ${(m.std ?? 0).toFixed(d)}`;
      for (const mode of ['unaligned', 'framed', 'aligned'] as const) {
        const a = report.overall[mode];
        if (!a) continue;
        writeLine(
          io.stdout,
          `${report.subjects.length} subject(s), ${mode}: PSNR ${f(a.psnr, 2)} dB, SSIM ${f(a.ssim, 4)}, CSIM ${f(a.csim, 4)}, mask IoU ${f(a.maskIoU, 4)}, LPIPS ${report.protocol.lpips}`,
        );
      }
      for (const s of report.subjects) {
        if (!s.headline) continue;
        const v = s.headline.scores;
        writeLine(
          io.stdout,
          `${s.name} (${s.protocol}): input ${s.inputView} -> ${s.headline.view}: CSIM ${v.csim === null ? `n/a (${v.csimNote ?? ''})` : v.csim.toFixed(4)}, unaligned PSNR ${v.unaligned.psnr.toFixed(2)} dB, SSIM ${v.unaligned.ssim.toFixed(4)}, mask IoU ${v.unaligned.maskIoU.toFixed(4)}${v.framed ? `; framed PSNR ${v.framed.psnr.toFixed(2)} dB, mask IoU ${v.framed.maskIoU.toFixed(4)}` : ''}; aligned PSNR ${v.aligned.psnr.toFixed(2)} dB, mask IoU ${v.aligned.maskIoU.toFixed(4)}`,
        );
      }
      writeLine(io.stdout, `report: ${path.join(outDir, 'report.md')}`);
    }
    return EXIT.ok;
  },
};
