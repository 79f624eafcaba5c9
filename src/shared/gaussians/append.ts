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
