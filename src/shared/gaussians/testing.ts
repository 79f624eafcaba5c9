/**
 * Deterministic test clouds for every area's tests and benches (no Math.random, no files).
 *
 * makeTestCloud(n, shDegree, seed): a head-sized blob (ellipsoid, 0.18 x 0.24 x 0.2 half-axes, centred
 * at the origin, HeadForge axes) with:
 *   log-scales in [-5.5, -3.5], unnormalised quaternions (|q| in [0.5, 2]), opacity logits in [-2, 4],
 *   DC so colour lies in [0.1, 0.9] (never clamped by 8-bit formats), SH rest in [-0.25, 0.25].
 * Every float is drawn independently, so coefficients are all distinct (catches order mistakes).
 */
import { allocateCloud, type GaussianCloud, type ShDegree } from './cloud';
import { colorToShDc } from './activations';
import { mulberry32 } from '../random';

/** Seeded floats in [0, 1) for fixtures (mulberry32). */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}

export function makeTestCloud(n: number, shDegree: ShDegree = 3, seed = 1): GaussianCloud {
  const rand = seededRandom(seed);
  const u = (lo: number, hi: number) => lo + (hi - lo) * rand();
  const cloud = allocateCloud(n, shDegree);
  const half = [0.18, 0.24, 0.2];
  for (let i = 0; i < n; i++) {
    // Uniform direction, radius ~ cube root for a filled ellipsoid.
    const z = u(-1, 1);
    const t = u(0, 2 * Math.PI);
    const r = Math.cbrt(rand());
    const s = Math.sqrt(1 - z * z);
    cloud.positions[i * 3] = half[0] * r * s * Math.cos(t);
    cloud.positions[i * 3 + 1] = half[1] * r * s * Math.sin(t);
    cloud.positions[i * 3 + 2] = half[2] * r * z;
    for (let a = 0; a < 3; a++) cloud.scales[i * 3 + a] = u(-5.5, -3.5);
    const q = [u(-1, 1), u(-1, 1), u(-1, 1), u(-1, 1)];
    const qn = Math.hypot(q[0], q[1], q[2], q[3]) || 1;
    const len = u(0.5, 2);
    for (let a = 0; a < 4; a++) cloud.rotations[i * 4 + a] = (q[a] / qn) * len;
    cloud.opacities[i] = u(-2, 4);
    for (let c = 0; c < 3; c++) cloud.shDC[i * 3 + c] = colorToShDc(u(0.1, 0.9));
  }
  for (let k = 0; k < cloud.shRest.length; k++) cloud.shRest[k] = u(-0.25, 0.25);
  return cloud;
}
