/**
 * EDM Euler sampler (Karras et al. 2022, Algorithm 1 without churn — what SVD's EulerEDMSampler does
 * with s_churn = 0), with SVD preconditioning and per-frame linear classifier-free guidance.
 *
 * Latents are one Float32Array [F, C, h, w] (frame-major). The network is abstracted as
 * `DenoiserModel`: it receives c_in * x and c_noise and returns its raw outputs F_theta for the
 * conditional branch (and the unconditional one when guidance needs it).
 */
import type { SamplerSettings } from '../packs/manifest';
import { applyGuidance, guidanceIsIdentity, guidanceRamp } from './guidance';
import { preconditioning } from './schedule';

export interface DenoiserModel {
  predict(scaledInput: Float32Array, cNoise: number, withUncond: boolean, signal?: AbortSignal): Promise<{ cond: Float32Array; uncond: Float32Array | null }>;
}

export interface SamplerProgress {
  step: number;
  steps: number;
  sigma: number;
  /** Wall time of this step's network call(s), ms. */
  networkMs: number;
  /** Wall time of the whole step including the TypeScript around the network, ms. */
  stepMs: number;
}

export interface SampleOptions {
  settings: Pick<SamplerSettings, 'prediction' | 'sigmaData' | 'guidanceMin' | 'guidanceMax'>;
  /** Descending sigmas with a trailing 0 (karrasSigmas). */
  sigmas: Float64Array;
  frames: number;
  onStep?: (p: SamplerProgress) => void;
  signal?: AbortSignal;
}

/** D(x) = c_skip x + c_out F, elementwise into `out`. */
export function denoised(x: Float32Array, f: Float32Array, cSkip: number, cOut: number, out = new Float32Array(x.length)): Float32Array {
  for (let i = 0; i < x.length; i++) out[i] = cSkip * x[i] + cOut * f[i];
  return out;
}

/** One Euler step from sigma to sigmaNext given the denoised estimate: x + (x - D)/sigma * (sigmaNext - sigma). In place. */
export function eulerStep(x: Float32Array, den: Float32Array, sigma: number, sigmaNext: number): Float32Array {
  const h = (sigmaNext - sigma) / sigma;
  for (let i = 0; i < x.length; i++) x[i] = x[i] + (x[i] - den[i]) * h;
  return x;
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('generation cancelled', 'AbortError');
}

/** Run the sampler from the initial latent `x` (already scaled to sigmas[0]); returns the final latent (x is consumed). */
export async function sampleEuler(model: DenoiserModel, x: Float32Array, opts: SampleOptions): Promise<Float32Array> {
  const { settings, sigmas, frames } = opts;
  const steps = sigmas.length - 1;
  const scales = guidanceRamp(frames, settings.guidanceMin, settings.guidanceMax);
  const withUncond = !guidanceIsIdentity(settings.guidanceMin, settings.guidanceMax);
  const scaled = new Float32Array(x.length);
  const den = new Float32Array(x.length);
  for (let i = 0; i < steps; i++) {
    throwIfAborted(opts.signal);
    const t0 = performance.now();
    const sigma = sigmas[i];
    const pc = preconditioning(sigma, settings.prediction, settings.sigmaData);
    for (let k = 0; k < x.length; k++) scaled[k] = pc.cIn * x[k];
    const t1 = performance.now();
    const out = await model.predict(scaled, pc.cNoise, withUncond, opts.signal);
    const t2 = performance.now();
    // Guidance on the raw outputs equals guidance on D: D is affine in F with the same c_skip x term.
    const f = out.uncond ? applyGuidance(out.cond, out.uncond, scales) : out.cond;
    denoised(x, f, pc.cSkip, pc.cOut, den);
    eulerStep(x, den, sigma, sigmas[i + 1]);
    opts.onStep?.({ step: i + 1, steps, sigma, networkMs: t2 - t1, stepMs: performance.now() - t0 });
  }
  return x;
}
