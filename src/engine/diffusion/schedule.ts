/**
 * Noise schedule and preconditioning of the EDM sampler as SVD uses it (sgm: EDMDiscretization,
 * VScalingWithEDMcNoise / EDMScaling). Pure functions of sigma; see tests/packs/sampler.test.ts for
 * hand-computed values.
 */
import type { SamplerSettings } from '../packs/manifest';

/**
 * Karras et al. sigmas: sigma_i = (max^(1/rho) + i/(n-1) (min^(1/rho) - max^(1/rho)))^rho, i = 0..n-1,
 * followed by a final 0 (n + 1 values, descending).
 */
export function karrasSigmas(steps: number, sigmaMin: number, sigmaMax: number, rho: number): Float64Array {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  const out = new Float64Array(steps + 1);
  const a = sigmaMax ** (1 / rho);
  const b = sigmaMin ** (1 / rho);
  for (let i = 0; i < steps; i++) {
    const t = steps === 1 ? 0 : i / (steps - 1);
    out[i] = (a + t * (b - a)) ** rho;
  }
  out[steps] = 0;
  return out;
}

export interface Preconditioning {
  cSkip: number;
  cOut: number;
  cIn: number;
  cNoise: number;
}

/**
 * D(x; sigma) = c_skip x + c_out F(c_in x; c_noise).
 *  'v'  : c_skip = sd^2/(s^2+sd^2), c_out = -s sd/sqrt(s^2+sd^2)  (SVD, sd = 1)
 *  'edm': c_skip = sd^2/(s^2+sd^2), c_out = +s sd/sqrt(s^2+sd^2)  (Karras, sd = 0.5)
 *  both : c_in = 1/sqrt(s^2+sd^2), c_noise = 0.25 ln(s)
 */
export function preconditioning(sigma: number, prediction: SamplerSettings['prediction'], sigmaData: number): Preconditioning {
  const s2 = sigma * sigma;
  const d2 = sigmaData * sigmaData;
  const root = Math.sqrt(s2 + d2);
  const sign = prediction === 'v' ? -1 : 1;
  return { cSkip: d2 / (s2 + d2), cOut: (sign * sigma * sigmaData) / root, cIn: 1 / root, cNoise: 0.25 * Math.log(sigma) };
}

/** Scale of the initial latent noise at sigma0 (sgm multiplies by sqrt(1 + sigma0^2)). */
export function initialNoiseScale(sigma0: number, mode: SamplerSettings['initNoiseScale']): number {
  return mode === 'sqrt1p' ? Math.sqrt(1 + sigma0 * sigma0) : sigma0;
}
