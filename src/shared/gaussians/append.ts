/** Growing a cloud by Gaussians added after the existing ones. Pure: no Node, no DOM. */
import { allocateCloud, shCoeffsRest, type GaussianCloud } from './cloud';

/**
 * A cloud of `cloud.count + extra` Gaussians whose first `cloud.count` are `cloud`'s (copied); the
 * added ones are zero (their higher SH bands stay 0: no view-dependent colour) for the caller to fill.
 */
export function appendGaussians(cloud: GaussianCloud, extra: number): GaussianCloud {
  const n = cloud.count;
  const out = allocateCloud(n + extra, cloud.shDegree);
  out.positions.set(cloud.positions);
  out.scales.set(cloud.scales);
  out.rotations.set(cloud.rotations);
  out.opacities.set(cloud.opacities);
  out.shDC.set(cloud.shDC);
  out.shRest.set(cloud.shRest);
  if (out.shRest.length !== (n + extra) * shCoeffsRest(cloud.shDegree) * 3)
    throw new Error('SH layout mismatch');
  return out;
}

/** `a`'s Gaussians, then `b`'s, in a new cloud; both must have the same SH degree. */
export function concatClouds(a: GaussianCloud, b: GaussianCloud): GaussianCloud {
  if (a.shDegree !== b.shDegree) throw new RangeError(`cannot join clouds of SH degree ${a.shDegree} and ${b.shDegree}`);
  const out = appendGaussians(a, b.count);
  out.positions.set(b.positions, a.count * 3);
  out.scales.set(b.scales, a.count * 3);
  out.rotations.set(b.rotations, a.count * 4);
  out.opacities.set(b.opacities, a.count);
  out.shDC.set(b.shDC, a.count * 3);
  out.shRest.set(b.shRest, a.count * shCoeffsRest(a.shDegree) * 3);
  return out;
}
