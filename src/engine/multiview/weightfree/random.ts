/**
 * Seeded randomness for the unobserved detail (hair strands, back-of-head variation). Never
 * Math.random: the same seed must give the same views.
 */

import { mulberry32 } from '../../../shared/random';

/** mulberry32 keyed by the run seed (mixed so that seed 0 is not a degenerate start). */
export function createRng(seed: number): () => number {
  return mulberry32((Math.floor(seed) ^ 0x9e3779b9) >>> 0);
}

/** Integer lattice hash -> [0, 1), keyed by seed. */
export function hash3(seed: number, x: number, y: number, z = 0): number {
  let h = Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1) ^ Math.imul(z | 0, 0x9e3779b1) ^ Math.imul(seed | 0, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

/**
 * 2D value noise in [0, 1) with period `periodX` lattice cells along x (so equirectangular maps wrap
 * seamlessly at the back of the head); y does not wrap.
 */
export function valueNoise2(seed: number, x: number, y: number, periodX: number): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const fx = smooth(x - xi);
  const fy = smooth(y - yi);
  const x0 = ((xi % periodX) + periodX) % periodX;
  const x1 = (x0 + 1) % periodX;
  const a = hash3(seed, x0, yi);
  const b = hash3(seed, x1, yi);
  const c = hash3(seed, x0, yi + 1);
  const d = hash3(seed, x1, yi + 1);
  return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}
