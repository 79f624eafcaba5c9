/**
 * Classifier-free guidance ramped linearly over the frames (SVD LinearPredictionGuider):
 * scale_f = min + (max - min) * f / (F - 1), D = D_uncond + scale_f (D_cond - D_uncond), per frame.
 */

/** The per-frame guidance scales (length `frames`). */
export function guidanceRamp(frames: number, min: number, max: number): Float64Array {
  const out = new Float64Array(frames);
  for (let f = 0; f < frames; f++) out[f] = frames === 1 ? min : min + ((max - min) * f) / (frames - 1);
  return out;
}

/** True when guidance is a no-op (all scales 1): the unconditional branch need not run. */
export function guidanceIsIdentity(min: number, max: number): boolean {
  return min === 1 && max === 1;
}

/**
 * In place into `cond`: cond = uncond + scale_f (cond - uncond). Layout [F, frameSize] (frame-major),
 * frameSize = C * h * w.
 */
export function applyGuidance(cond: Float32Array, uncond: Float32Array, scales: Float64Array): Float32Array {
  const frameSize = cond.length / scales.length;
  if (!Number.isInteger(frameSize) || uncond.length !== cond.length) throw new RangeError('guidance: tensor sizes do not match the frame count');
  for (let f = 0; f < scales.length; f++) {
    const s = scales[f];
    for (let i = f * frameSize, end = i + frameSize; i < end; i++) cond[i] = uncond[i] + s * (cond[i] - uncond[i]);
  }
  return cond;
}
