/**
 * Per-subject optimisation: fit the Gaussians to all 16 generated views with the native trainer,
 * streaming preview clouds and honouring cancel between chunks of steps.
 */
import type { RasterCamera } from '../../shared/camera';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { RgbaImage } from '../../shared/image';
import { keepMostImportant } from '../../shared/gaussians/filter';
import { reseedOutOfView } from '../../shared/gaussians/out-of-view';
import { StudioError } from '../../shared/rpc/errors';
import { GaussianTrainer, isNativeAvailable, nativeLoadError, rasterBackendInfo, type TrainerOptions } from '../raster';
import type { QualityPreset } from './presets';

export interface OptimiseArgs {
  views: RgbaImage[];
  cameras: RasterCamera[];
  initialCloud: GaussianCloud | null;
  preset: QualityPreset;
  seed: number;
  /** View indices the user marked bad: left out of the fit (still scored). */
  ignoredViews: number[];
  signal: AbortSignal;
  log: (m: string) => void;
  progress: (fraction: number, message?: string) => void;
  preview: (cloud: GaussianCloud, step: number) => void;
}

export interface OptimiseResult {
  cloud: GaussianCloud;
  /** The cloud the trainer started from (the initial cloud, reduced to the budget). */
  initial: GaussianCloud;
  /** Per Gaussian of `cloud` [count]: its ancestor's row in `initial` (through densification). */
  lineage: Int32Array;
  settings: TrainerOptions & { steps: number };
  trainer: { raster: string };
  finalPsnr: number;
  warnings: string[];
}

/** Trainer settings for a preset: the head spans ~0.25 world units (fovy 10 deg at radius 1.5). */
export function trainerSettings(preset: QualityPreset, seed: number): TrainerOptions {
  return {
    seed,
    // Results are identical for every thread count (deterministic reduction), so use all cores.
    threads: 0,
    ssimWeight: 0.2,
    alphaWeight: 0.1,
    sceneExtent: 0.3,
    lrPositionSteps: Math.max(1, preset.steps),
    densifyFrom: Math.round(preset.steps * 0.1),
    densifyUntil: preset.densifyUntil,
    densifyInterval: Math.max(25, Math.min(preset.densifyEvery, Math.round(preset.steps / 10))),
    lrShDC: 5e-3,
    lrOpacity: 5e-2,
    maxCount: preset.maxGaussians,
    shDegreeInterval: 0,
  };
}

export async function optimiseHead(args: OptimiseArgs): Promise<OptimiseResult> {
  if (!isNativeAvailable()) {
    throw new StudioError('PIPELINE_UNAVAILABLE', `the native rasterizer is not built: ${nativeLoadError() ?? 'unknown reason'} (run npm install with g++, make and python3 present)`);
  }
  if (!args.initialCloud) {
    throw new StudioError('PIPELINE_UNAVAILABLE', 'this multi-view backend gave no initial geometry and the visual-hull initialiser is not implemented yet');
  }
  const ignored = new Set(args.ignoredViews);
  const trainViews = args.views
    .map((image, i) => ({ image, camera: args.cameras[i] }))
    .filter((_, i) => !ignored.has(i));
  if (trainViews.length === 0) throw new StudioError('BAD_REQUEST', 'every view is marked as ignored: nothing to optimise against');
  const settings = trainerSettings(args.preset, args.seed);
  // Leave densification room inside the budget: start from at most 60% of it.
  const startBudget = Math.floor(args.preset.maxGaussians * 0.6);
  const init = args.initialCloud.count > startBudget ? keepMostImportant(args.initialCloud, startBudget) : args.initialCloud;
  if (init !== args.initialCloud) args.log(`optimise: initial cloud reduced from ${args.initialCloud.count} to ${init.count} Gaussians (budget ${args.preset.maxGaussians})`);
  const trainer = GaussianTrainer.create(init, trainViews, settings);
  const raster = rasterBackendInfo(); // same choice as the trainer's (HEADFORGE_RASTER_BACKEND, CUDA library, GPU)
  args.log(`optimise: rasterizer backend ${raster.backend}: ${raster.reason}`);
  const onAbort = () => trainer.cancel();
  args.signal.addEventListener('abort', onAbort);
  try {
    const total = args.preset.steps;
    const chunk = Math.max(1, Math.min(args.preset.previewEvery, 50));
    let done = 0;
    let lastPsnr = NaN;
    let sincePreview = 0;
    while (done < total) {
      const stats = await trainer.step(Math.min(chunk, total - done));
      if (stats.cancelled || args.signal.aborted) throw new StudioError('CANCELLED', 'run cancelled');
      done += stats.stepsRun;
      sincePreview += stats.stepsRun;
      lastPsnr = stats.psnr;
      args.progress(done / total, `step ${done}/${total}, ${stats.count} Gaussians, ${stats.psnr.toFixed(1)} dB, ${stats.msPerStep.toFixed(0)} ms/step`);
      if (sincePreview >= args.preset.previewEvery && done < total) {
        args.preview(trainer.getCloud(), done);
        sincePreview = 0;
      }
    }
    // What no view sees keeps the seeds (shared/gaussians/out-of-view.ts): Gaussians pushed out of
    // the frames would otherwise blot the body below the crop.
    const reseeded = reseedOutOfView(trainer.getCloud(), trainer.getLineage(), init, trainViews.map((v) => v.camera));
    const { cloud, lineage } = reseeded;
    args.log(`optimise: ${total} steps, ${cloud.count} Gaussians, training PSNR ${lastPsnr.toFixed(2)} dB; out of every view: ${reseeded.dropped} trained Gaussians dropped, ${reseeded.restored} seeds kept`);
    return { cloud, initial: init, lineage, settings: { ...settings, steps: total }, trainer: { raster: rasterBackendInfo().backend }, finalPsnr: lastPsnr, warnings: [] };
  } finally {
    args.signal.removeEventListener('abort', onAbort);
    trainer.dispose();
  }
}
