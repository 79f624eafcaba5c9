/**
 * Stage-2 initial latent (paper 3.2): start from xi1 * noise + xi2 * j, j = VAE latents of the
 * upsampled stage-1 views, at the stage-2 start sigma. Two readings of "at the start sigma" exist
 * (see manifest stage2.mixMode); s0 = the sampler's initial noise scale at the start sigma.
 *   'scaled-noise'  : x = xi1 * s0 * eps + xi2 * j
 *   'mix-then-scale': x = s0 * (xi1 * eps + xi2 * j)
 * All buffers share one layout ([F, C, h, w] latents).
 */
export type XiMixMode = 'scaled-noise' | 'mix-then-scale';

export function xiMix(noise: Float32Array, latents: Float32Array, xi1: number, xi2: number, s0: number, mode: XiMixMode): Float32Array {
  if (noise.length !== latents.length) throw new RangeError(`xi mix: noise has ${noise.length} values, latents ${latents.length}`);
  const out = new Float32Array(noise.length);
  if (mode === 'scaled-noise') for (let i = 0; i < out.length; i++) out[i] = xi1 * s0 * noise[i] + xi2 * latents[i];
  else for (let i = 0; i < out.length; i++) out[i] = s0 * (xi1 * noise[i] + xi2 * latents[i]);
  return out;
}
