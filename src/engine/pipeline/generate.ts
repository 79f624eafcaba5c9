/**
 * The product's main job: one portrait in, a full-head Gaussian avatar out.
 *
 *   preprocess -> multi-view (weight-free default or a model pack) -> initial Gaussians
 *   -> per-subject optimisation against all 16 views -> head.ply + renders + metrics + run record
 *
 * Every output is written atomically (complete or absent), so a cancel at any moment leaves the run
 * folder consistent. The run record (record.json) holds everything needed to reproduce the run.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { clampElevation, DEFAULT_FOVY_DEG, viewCameras } from '../../shared/camera';
import type { RunGenerateContext, RunGenerateFn, RunOutputs } from '../../shared/contracts/run';
import type { PreprocessResult } from '../../shared/contracts/preprocess';
import type { MultiViewResult } from '../../shared/contracts/multiview';
import { StudioError } from '../../shared/rpc/errors';
import { encodeSplat } from '../../shared/splat';
import { writePng } from '../image-io';
import { preprocessPortrait, PreprocessError, renderDebugOverlay } from '../preprocess';
import { resolvePreset } from './presets';
import { StageTimer } from './stage-timer';
import {
  RUN_HEAD_FIT_FILE,
  RUN_LANDMARKS_FILE,
  sha256,
  writeFileAtomic,
  writeImageFolder,
  writeJsonAtomic,
  writeRunLandmarks,
} from './run-files';
import { optimiseHead } from './optimise';
import { evaluateHead } from './evaluate';
import { generateViews } from './multiview-stage';
import { stylizeRunPortrait } from '../stylize/run-style';
import { fitRunHead } from '../head-fit';
import { portraitLens } from '../preprocess/lens';
import { keepRunBinding } from '../animation/binding-file';
import { RUN_FILES, runPath } from '../run-folder/layout';

export const PIPELINE_VERSION = '0.1.0';

const STAGES = [
  { name: 'preprocess', weight: 4 },
  { name: 'multiview', weight: 6 },
  { name: 'optimise', weight: 80 },
  { name: 'evaluate', weight: 10 },
] as const;

function checkAbort(signal: AbortSignal): void {
  if (signal.aborted) throw new StudioError('CANCELLED', 'run cancelled');
}

async function runPreprocess(ctx: RunGenerateContext, bytes: Uint8Array): Promise<PreprocessResult> {
  try {
    return await preprocessPortrait(bytes, { signal: ctx.signal, log: ctx.log });
  } catch (err) {
    if (err instanceof PreprocessError) throw new StudioError('INVALID_IMAGE', err.message);
    throw err;
  }
}

export const runGenerate: RunGenerateFn = async (ctx) => {
  try {
    return await generateHead(ctx);
  } catch (err) {
    // Stages abort in their own words (AbortError, trainer cancel): report one thing, CANCELLED.
    if (ctx.signal.aborted && !(err instanceof StudioError && err.code === 'CANCELLED')) {
      throw new StudioError('CANCELLED', 'run cancelled');
    }
    throw err;
  }
};

async function generateHead(ctx: RunGenerateContext): Promise<RunOutputs> {
  const { settings, runDir, signal } = ctx;
  const preset = resolvePreset(settings.quality, {
    steps: settings.steps,
    maxGaussians: settings.maxGaussians,
  });
  const timer = new StageTimer(STAGES, ctx.progress);
  const warnings: string[] = [];
  await fs.mkdir(runDir, { recursive: true });

  // 1. Preprocess: matte, framing, face analysis, elevation estimate.
  timer.begin('preprocess', 'removing background, finding the face');
  const bytes = new Uint8Array(await fs.readFile(ctx.inputPath));
  const pre = await runPreprocess(ctx, bytes);
  warnings.push(...pre.warnings);
  await fs.mkdir(runPath(runDir, 'preprocessDir'), { recursive: true });
  await writePng(runPath(runDir, 'crop512'), pre.image512);
  await writePng(runPath(runDir, 'overlay'), renderDebugOverlay(pre));
  // The head model fitted to the portrait: shape, expression, pose and the camera's elevation and lens.
  // Its camera elevation replaces the pitch-based estimate (a head is upright in the world; what the
  // face's tilt in the photo says is where the camera was). An elevation the user states is the fit's
  // world up too (fitLandmarks' upright prior).
  const lens = portraitLens(pre, settings.inputFovyDeg);
  const statedElevation = settings.elevationDeg === 'auto' ? undefined : clampElevation(settings.elevationDeg);
  const { head, warning: headWarning } = await fitRunHead(pre, ctx.log, ctx.headModelDir, lens, statedElevation);
  if (headWarning) warnings.push(headWarning);
  if (head) await writeJsonAtomic(path.join(runDir, RUN_HEAD_FIT_FILE), head.fitted.fit);
  const elevationDeg = statedElevation ?? pre.elevationDeg;
  await writeJsonAtomic(runPath(runDir, 'face'), {
    face: pre.face && {
      box: pre.face.box,
      score: pre.face.score,
      yawDeg: pre.face.yawDeg,
      pitchDeg: pre.face.pitchDeg,
      rollDeg: pre.face.rollDeg,
      embeddingModel: pre.face.embeddingModel,
    },
    estimatedElevationDeg: pre.elevationDeg,
    usedElevationDeg: elevationDeg,
    // crop512 = (input - offset) * scale: the evaluation harness maps ground-truth cameras through it.
    framing: pre.framing,
    warnings: pre.warnings,
  });
  checkAbort(signal);

  // Stylized heads (RunSettings.style): the 2D style goes on the preprocessed portrait the views are
  // made from; landmarks, matte and the identity embedding stay the photograph's. Built-in styles or
  // a style pack's network (src/engine/stylize/run-style.ts).
  const viewInput = settings.style ? await stylizeRunPortrait(pre, settings.style) : pre;
  if (settings.style) await writePng(runPath(runDir, 'styled512'), viewInput.image512);

  // 2. Sixteen views at the chosen elevation.
  timer.begin('multiview', `16 views at ${elevationDeg.toFixed(1)} deg, seed ${settings.seed}`);
  const mv: MultiViewResult = await generateViews(
    viewInput,
    { elevationDeg, seed: settings.seed, size: preset.viewSize },
    settings.backend,
    {
      signal,
      log: ctx.log,
      onView: (i) => timer.progress((i + 1) / 16),
      head,
    },
  );
  warnings.push(...mv.warnings);
  const views = await writeImageFolder(runDir, RUN_FILES.viewsDir, 'view', mv.views);
  // The fitted face, in the head's world frame: the expression rig anchors on it (landmarks.json).
  if (mv.landmarksWorld)
    await writeRunLandmarks(
      runDir,
      mv.landmarksWorld,
      `${settings.backend === 'default' ? 'weight-free proxy' : settings.backend} fit`,
    );
  checkAbort(signal);

  // 3. Per-subject optimisation of the Gaussians against all 16 views.
  timer.begin('optimise', `fitting ${preset.steps} steps`);
  const cameras = viewCameras(elevationDeg, preset.viewSize, mv.fovyDeg ?? DEFAULT_FOVY_DEG);
  const opt = await optimiseHead({
    views: mv.views,
    cameras,
    initialCloud: mv.initialCloud ?? null,
    preset,
    seed: settings.seed,
    ignoredViews: settings.ignoredViews ?? [],
    signal,
    log: ctx.log,
    progress: (f, msg) => timer.progress(f, msg),
    preview: ctx.preview,
  });
  warnings.push(...opt.warnings);
  const plyBytes = encodeSplat(opt.cloud, 'ply');
  await writeFileAtomic(runPath(runDir, 'headPly'), plyBytes);
  // The splats' triangles of the fitted head, as the optimisation kept them (head-binding.json).
  const bound = head !== null && mv.inputCamera !== undefined;
  if (head && mv.inputCamera)
    await keepRunBinding(runDir, { model: head.model, fit: head.fitted.fit }, mv.inputCamera, opt, ctx.log);
  checkAbort(signal);

  // 4. Re-render the head at the 16 cameras, score it, write renders and the run record.
  timer.begin('evaluate', 'rendering the head at the 16 cameras');
  const evaluation = await evaluateHead({ cloud: opt.cloud, views: mv.views, cameras, pre, signal });
  const renders = await writeImageFolder(runDir, RUN_FILES.rendersDir, 'render', evaluation.renders);
  timer.end();

  const metrics = {
    meanPsnr: evaluation.meanPsnr,
    perViewPsnr: evaluation.perViewPsnr,
    perViewSsim: evaluation.perViewSsim,
    gaussians: opt.cloud.count,
    ...(evaluation.identitySimilarity !== null ? { identitySimilarity: evaluation.identitySimilarity } : {}),
  };
  await writeJsonAtomic(runPath(runDir, 'metrics'), metrics);
  await writeJsonAtomic(runPath(runDir, 'record'), {
    pipelineVersion: PIPELINE_VERSION,
    input: { sha256: sha256(bytes), bytes: bytes.length },
    settings,
    resolved: {
      elevationDeg,
      preset,
      fovyDeg: mv.fovyDeg,
      viewAzimuthsDeg: mv.azimuthsDeg,
      ...(mv.inputCamera ? { inputCamera: mv.inputCamera } : {}),
    },
    backend: { id: settings.backend, ...(opt.trainer ?? {}) },
    trainer: opt.settings,
    outputs: {
      headPly: RUN_FILES.headPly,
      headPlySha256: sha256(plyBytes),
      views,
      renders,
      ...(mv.landmarksWorld ? { landmarks: RUN_LANDMARKS_FILE } : {}),
      ...(bound ? { headBinding: RUN_FILES.headBinding } : {}),
    },
    timings: timer.timings,
    versions: { node: process.version, platform: `${os.platform()}-${os.arch()}` },
    warnings,
  });
  const outputs: RunOutputs = {
    views,
    headPly: RUN_FILES.headPly,
    renders,
    metrics: {
      meanPsnr: metrics.meanPsnr,
      perViewPsnr: metrics.perViewPsnr,
      gaussians: metrics.gaussians,
      identitySimilarity: metrics.identitySimilarity,
    },
    timings: timer.timings,
    warnings,
  };
  ctx.progress('done', 1, `mean PSNR ${metrics.meanPsnr.toFixed(2)} dB, ${opt.cloud.count} Gaussians`);
  return outputs;
}
