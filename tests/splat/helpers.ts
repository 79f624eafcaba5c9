/** Shared assertions for the splat tests. */
import { expect } from 'vitest';
import type { GaussianCloud } from '../../src/shared/gaussians/cloud';
import { sigmoid } from '../../src/shared/gaussians/activations';

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAlphaDiff(a: GaussianCloud, b: GaussianCloud): number {
  let m = 0;
  for (let i = 0; i < a.count; i++) m = Math.max(m, Math.abs(sigmoid(a.opacities[i]) - sigmoid(b.opacities[i])));
  return m;
}

/** Largest rotation angle (radians) between corresponding quaternions, sign-insensitive. */
export function maxRotationAngle(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length / 4; i++) {
    const qa = a.subarray(i * 4, i * 4 + 4);
    const qb = b.subarray(i * 4, i * 4 + 4);
    const na = Math.hypot(...qa),
      nb = Math.hypot(...qb);
    const dot = Math.abs((qa[0] * qb[0] + qa[1] * qb[1] + qa[2] * qb[2] + qa[3] * qb[3]) / (na * nb));
    m = Math.max(m, 2 * Math.acos(Math.min(1, dot)));
  }
  return m;
}

export function expectBitExact(a: GaussianCloud, b: GaussianCloud): void {
  expect(b.count).toBe(a.count);
  expect(b.shDegree).toBe(a.shDegree);
  for (const k of ['positions', 'scales', 'rotations', 'opacities', 'shDC', 'shRest'] as const)
    expect(maxAbsDiff(a[k], b[k]), k).toBe(0);
}
