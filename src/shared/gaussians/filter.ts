/**
 * Selecting subsets of a cloud. Every filter returns a new cloud with the kept Gaussians in their
 * original order (order matters to nothing in rendering, but keeping it makes diffs and tests readable).
 */
import { allocateCloud, shCoeffsRest, type GaussianCloud } from './cloud';
import { sigmoid } from './activations';

/** New cloud holding Gaussians `indices` (any order, repeats allowed) of `cloud`. */
export function selectGaussians(cloud: GaussianCloud, indices: ArrayLike<number>): GaussianCloud {
  const out = allocateCloud(indices.length, cloud.shDegree);
  const K3 = shCoeffsRest(cloud.shDegree) * 3;
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j];
    if (!(i >= 0 && i < cloud.count)) throw new RangeError(`index ${i} out of range 0..${cloud.count - 1}`);
    out.positions.set(cloud.positions.subarray(i * 3, i * 3 + 3), j * 3);
    out.scales.set(cloud.scales.subarray(i * 3, i * 3 + 3), j * 3);
    out.rotations.set(cloud.rotations.subarray(i * 4, i * 4 + 4), j * 4);
    out.opacities[j] = cloud.opacities[i];
    out.shDC.set(cloud.shDC.subarray(i * 3, i * 3 + 3), j * 3);
    if (K3) out.shRest.set(cloud.shRest.subarray(i * K3, i * K3 + K3), j * K3);
  }
  return out;
}

function indicesWhere(count: number, keep: (i: number) => boolean): Uint32Array {
  const idx = new Uint32Array(count);
  let n = 0;
  for (let i = 0; i < count; i++) if (keep(i)) idx[n++] = i;
  return idx.subarray(0, n);
}

/** Keep Gaussians whose alpha = sigmoid(opacity logit) is at least `minAlpha`. */
export function filterByOpacity(cloud: GaussianCloud, minAlpha: number): GaussianCloud {
  return selectGaussians(cloud, indicesWhere(cloud.count, (i) => sigmoid(cloud.opacities[i]) >= minAlpha));
}

/** Keep Gaussians whose mean lies inside the closed box [min, max]. */
export function filterByBox(
  cloud: GaussianCloud,
  min: readonly [number, number, number],
  max: readonly [number, number, number],
): GaussianCloud {
  const P = cloud.positions;
  return selectGaussians(
    cloud,
    indicesWhere(cloud.count, (i) => {
      for (let a = 0; a < 3; a++) {
        const v = P[i * 3 + a];
        if (!(v >= min[a] && v <= max[a])) return false;
      }
      return true;
    }),
  );
}

/**
 * Importance of Gaussian i: alpha * ellipsoid volume, volume ~ prod(exp(logScale)). Computed in log
 * space, log(alpha) + sum(logScale), so huge or tiny scales do not overflow. Larger = more visible.
 */
export function logImportance(cloud: GaussianCloud, i: number): number {
  const a = sigmoid(cloud.opacities[i]);
  return Math.log(Math.max(a, 1e-30)) + cloud.scales[i * 3] + cloud.scales[i * 3 + 1] + cloud.scales[i * 3 + 2];
}

/** Keep the `maxCount` most important Gaussians (ties broken by lower index); all if fewer. */
export function keepMostImportant(cloud: GaussianCloud, maxCount: number): GaussianCloud {
  if (!Number.isInteger(maxCount) || maxCount < 0) throw new RangeError(`max count must be a non-negative integer, got ${maxCount}`);
  if (cloud.count <= maxCount) return selectGaussians(cloud, indicesWhere(cloud.count, () => true));
  const score = new Float64Array(cloud.count);
  for (let i = 0; i < cloud.count; i++) score[i] = logImportance(cloud, i);
  const order = Array.from({ length: cloud.count }, (_, i) => i);
  order.sort((a, b) => score[b] - score[a] || a - b);
  const kept = Uint32Array.from(order.slice(0, maxCount)).sort();
  return selectGaussians(cloud, kept);
}
