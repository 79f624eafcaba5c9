/**
 * Quality presets of the generate job: what each one trades. Figures are for the weight-free path on
 * a 2-core CPU (see `npm run bench -- --filter pipeline`); a GPU build of the trainer runs the same
 * schedule much faster.
 */
import type { Quality } from '../../shared/contracts/studio-api';

export interface QualityPreset {
  /** Resolution of the 16 multi-view targets the optimisation fits (and of the stored views). */
  viewSize: number;
  /** Optimisation steps (one view per step). */
  steps: number;
  /** Upper bound on Gaussians during densification. */
  maxGaussians: number;
  /** Densify every N steps until `densifyUntil`. */
  densifyEvery: number;
  densifyUntil: number;
  /** Stream a preview cloud to the UI every N steps. */
  previewEvery: number;
}

export const QUALITY_PRESETS: Record<Quality, QualityPreset> = {
  draft: { viewSize: 256, steps: 600, maxGaussians: 32_768, densifyEvery: 100, densifyUntil: 400, previewEvery: 100 },
  standard: { viewSize: 512, steps: 900, maxGaussians: 65_536, densifyEvery: 100, densifyUntil: 600, previewEvery: 150 },
  high: { viewSize: 512, steps: 4000, maxGaussians: 200_000, densifyEvery: 100, densifyUntil: 3000, previewEvery: 200 },
};

/** Resolve the preset for a run, applying the run's overrides (validated ranges). */
export function resolvePreset(quality: Quality, overrides: { steps?: number; maxGaussians?: number } = {}): QualityPreset {
  const base = QUALITY_PRESETS[quality];
  if (!base) throw new RangeError(`unknown quality preset '${quality}' (draft, standard, high)`);
  const p = { ...base };
  if (overrides.steps !== undefined) {
    if (!Number.isInteger(overrides.steps) || overrides.steps < 0 || overrides.steps > 100_000) {
      throw new RangeError(`steps must be an integer in 0..100000, got ${overrides.steps}`);
    }
    p.steps = overrides.steps;
    p.densifyUntil = Math.min(p.densifyUntil, Math.floor(p.steps * 0.7));
  }
  if (overrides.maxGaussians !== undefined) {
    if (!Number.isInteger(overrides.maxGaussians) || overrides.maxGaussians < 16_384 || overrides.maxGaussians > 500_000) {
      throw new RangeError(`maxGaussians must be in 16384..500000, got ${overrides.maxGaussians}`);
    }
    p.maxGaussians = overrides.maxGaussians;
  }
  return p;
}
