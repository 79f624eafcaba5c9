/** Finite-value checks with errors a user can act on (which property, which Gaussian). */
import { shCoeffsRest, type GaussianCloud } from './cloud';

export class NonFiniteValueError extends Error {
  constructor(
    readonly property: string,
    readonly index: number,
    readonly value: number,
  ) {
    super(`non-finite value ${value} in ${property} of Gaussian ${index}`);
    this.name = 'NonFiniteValueError';
  }
}

/** Index of the first NaN/Inf in `a`, or -1. (v - v) is NaN exactly for NaN and +-Infinity. */
export function firstNonFinite(a: ArrayLike<number>): number {
  for (let k = 0; k < a.length; k++) {
    const v = a[k];
    if (v - v !== 0) return k;
  }
  return -1;
}

/** Throws NonFiniteValueError naming the buffer and Gaussian index of the first NaN/Inf. */
export function assertFiniteCloud(cloud: GaussianCloud): void {
  const K = shCoeffsRest(cloud.shDegree);
  const buffers: [string, Float32Array, number][] = [
    ['positions', cloud.positions, 3],
    ['scales', cloud.scales, 3],
    ['rotations', cloud.rotations, 4],
    ['opacities', cloud.opacities, 1],
    ['shDC', cloud.shDC, 3],
    ['shRest', cloud.shRest, Math.max(1, K * 3)],
  ];
  for (const [name, buf, stride] of buffers) {
    const k = firstNonFinite(buf);
    if (k >= 0) throw new NonFiniteValueError(name, Math.floor(k / stride), buf[k]);
  }
}
