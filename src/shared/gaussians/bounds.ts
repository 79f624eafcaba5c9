/** Axis-aligned bounds of the Gaussian means (not of their 3-sigma extents). */
import type { GaussianCloud } from './cloud';

export interface Bounds {
  min: [number, number, number];
  max: [number, number, number];
  center: [number, number, number];
  size: [number, number, number];
}

/** Bounds of the means; an empty cloud gives all-zero bounds. */
export function computeBounds(cloud: GaussianCloud): Bounds {
  if (cloud.count === 0) return { min: [0, 0, 0], max: [0, 0, 0], center: [0, 0, 0], size: [0, 0, 0] };
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  const P = cloud.positions;
  for (let i = 0; i < cloud.count; i++)
    for (let a = 0; a < 3; a++) {
      const v = P[i * 3 + a];
      if (v < min[a]) min[a] = v;
      if (v > max[a]) max[a] = v;
    }
  return {
    min,
    max,
    center: [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2],
    size: [max[0] - min[0], max[1] - min[1], max[2] - min[2]],
  };
}
