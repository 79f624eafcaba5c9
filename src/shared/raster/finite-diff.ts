/**
 * Reference gradients by central finite differences of the reference renderer, for tiny scenes.
 * The scalar being differentiated is L = sum(wRgb * rgb) + sum(wAlpha * alpha), so the result is directly
 * comparable with the native backward pass given dL/drgb = wRgb, dL/dalpha = wAlpha.
 *
 * The forward pass has discontinuities (alpha < 1/255 skip, the 0.99 clamp, tile culling, early stop).
 * A parameter whose one-sided differences disagree at every step is flagged `unreliable` so tests can exclude it
 * instead of comparing against a jump.
 */
import type { RasterCamera } from '../camera';
import type { GaussianCloud } from '../gaussians/cloud';
import { referenceRender } from './reference';
import { GRADIENT_GROUPS, type CloudGradients, type GradientGroup, type RenderOptions } from './types';

export interface FiniteDiffResult {
  grads: CloudGradients<Float64Array>;
  /** Per group, 1 where forward and backward differences disagree (a discontinuity lies within the step). */
  unreliable: Record<GradientGroup, Uint8Array>;
}

function cloneCloud(c: GaussianCloud): GaussianCloud {
  return {
    ...c,
    positions: c.positions.slice(),
    scales: c.scales.slice(),
    rotations: c.rotations.slice(),
    opacities: c.opacities.slice(),
    shDC: c.shDC.slice(),
    shRest: c.shRest.slice(),
  };
}

export function objective(cloud: GaussianCloud, cam: RasterCamera, opts: RenderOptions, wRgb: ArrayLike<number>, wAlpha?: ArrayLike<number>): number {
  const r = referenceRender(cloud, cam, opts);
  let L = 0;
  for (let i = 0; i < r.rgb.length; i++) L += wRgb[i] * r.rgb[i];
  if (wAlpha) for (let i = 0; i < r.alpha.length; i++) L += wAlpha[i] * r.alpha[i];
  return L;
}

/**
 * Central differences on every parameter, trying each of `steps` until the one-sided slopes agree. The stored parameters are float32, so a
 * perturbed copy is kept in double (Float64Array buffers) to make the step exact.
 */
export function finiteDifferenceGradients(
  cloud: GaussianCloud,
  cam: RasterCamera,
  opts: RenderOptions,
  wRgb: ArrayLike<number>,
  wAlpha?: ArrayLike<number>,
  steps: readonly number[] = [1e-5, 1e-6, 1e-7],
): FiniteDiffResult {
  // A double-precision working copy: GaussianCloud's typed arrays are read through ArrayLike<number>.
  const work = cloneCloud(cloud);
  const asDouble = (a: Float32Array) => Float64Array.from(a) as unknown as Float32Array;
  for (const g of GRADIENT_GROUPS) work[g] = asDouble(cloud[g]);
  const L0 = objective(work, cam, opts, wRgb, wAlpha);
  const grads = {} as CloudGradients<Float64Array>;
  const unreliable = {} as Record<GradientGroup, Uint8Array>;
  for (const g of GRADIENT_GROUPS) {
    const buf = work[g];
    const out = new Float64Array(buf.length);
    const bad = new Uint8Array(buf.length);
    for (let k = 0; k < buf.length; k++) {
      const v = buf[k];
      bad[k] = 1;
      // Shrinking steps: a jump inside the step shows up as disagreeing one-sided slopes; a smaller step
      // usually steps over it (the chance of straddling a jump is proportional to the step).
      for (const step of steps) {
        buf[k] = v + step;
        const Lp = objective(work, cam, opts, wRgb, wAlpha);
        buf[k] = v - step;
        const Lm = objective(work, cam, opts, wRgb, wAlpha);
        buf[k] = v;
        out[k] = (Lp - Lm) / (2 * step);
        const fwd = (Lp - L0) / step;
        const bwd = (L0 - Lm) / step;
        if (Math.abs(fwd - bwd) <= 1e-3 * (1 + Math.abs(out[k]))) {
          bad[k] = 0;
          break;
        }
      }
    }
    grads[g] = out;
    unreliable[g] = bad;
  }
  return { grads, unreliable };
}
