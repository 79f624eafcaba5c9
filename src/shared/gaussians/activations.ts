/**
 * Activations between the stored GaussianCloud parameters and the values a renderer uses.
 * One place for all of them so every format and the rasterizer agree:
 *   alpha   = sigmoid(opacityLogit)
 *   sigma   = exp(logScale)                (per-axis standard deviation, world units)
 *   q       = quaternion / |quaternion|    (w x y z)
 *   colour  = max(0, 0.5 + SH(dir))        (3DGS: SH_C0 * dc + higher bands, plus the 0.5 bias)
 */
import { SH_C0 } from './cloud';

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Inverse sigmoid. p is clamped to [1e-7, 1 - 1e-7] so alpha 0 or 1 gives a finite logit. */
export function logit(p: number): number {
  const c = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
  return Math.log(c / (1 - c));
}

/** softplus(x) = log(1 + e^x), computed without overflow for large x. */
export function softplus(x: number): number {
  return x > 20 ? x : Math.log1p(Math.exp(x));
}

/** Linear scale (standard deviation) from the stored log scale. */
export function expScale(logScale: number): number {
  return Math.exp(logScale);
}

/**
 * Normalise the quaternion at q[offset..offset+4) in place (w x y z). A zero quaternion becomes the
 * identity (1 0 0 0) rather than NaN, because a degenerate rotation from a network is harmless as identity.
 */
export function normalizeQuaternionAt(q: Float32Array | Float64Array, offset: number): void {
  const w = q[offset],
    x = q[offset + 1],
    y = q[offset + 2],
    z = q[offset + 3];
  const n = Math.sqrt(w * w + x * x + y * y + z * z);
  if (!(n > 1e-20)) {
    q[offset] = 1;
    q[offset + 1] = 0;
    q[offset + 2] = 0;
    q[offset + 3] = 0;
    return;
  }
  q[offset] = w / n;
  q[offset + 1] = x / n;
  q[offset + 2] = y / n;
  q[offset + 3] = z / n;
}

/** Display colour channel (0..1, before clamping) of a DC coefficient: 0.5 + SH_C0 * dc. */
export function shDcToColor(dc: number): number {
  return 0.5 + SH_C0 * dc;
}

/** DC coefficient for a display colour channel: (c - 0.5) / SH_C0. */
export function colorToShDc(c: number): number {
  return (c - 0.5) / SH_C0;
}
