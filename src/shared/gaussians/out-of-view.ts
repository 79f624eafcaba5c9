/**
 * The parts of a head no training view sees keep their seed Gaussians.
 *
 * The optimiser only learns what its views show. Below the portrait's crop (the chest under a bust's
 * frame) nothing is seen at a level elevation; there the seeds from the completed proxy hold the right
 * colours, but Gaussians the optimiser pushed out of the frames (blue shirt stripes, skin, hair that
 * sat at a frame's edge) land on top of them: seen from below or in a wider frame the chest is a
 * blotchy band. After training, every trained Gaussian whose centre no view sees is dropped and every
 * seed whose centre no view sees is put back as it was.
 *
 * Pure: no Node, no DOM. Cameras: RasterCamera (world -> OpenCV camera, pixels).
 */
import { projectPoint, type RasterCamera } from '../camera';
import { concatClouds } from './append';
import type { GaussianCloud } from './cloud';
import { selectGaussians } from './filter';

/** Whether world point (x, y, z) projects inside `camera`'s image (in front of its near plane). */
export function seenBy(camera: RasterCamera, x: number, y: number, z: number): boolean {
  const [u, v, depth] = projectPoint(camera, [x, y, z]);
  return depth > camera.near && u >= 0 && u < camera.width && v >= 0 && v < camera.height;
}

/** Per Gaussian of `cloud` [count]: 1 when some camera sees its centre. */
export function seenMask(cloud: GaussianCloud, cameras: readonly RasterCamera[]): Uint8Array {
  const out = new Uint8Array(cloud.count);
  const p = cloud.positions;
  for (let i = 0; i < cloud.count; i++) {
    for (const cam of cameras) {
      if (seenBy(cam, p[i * 3], p[i * 3 + 1], p[i * 3 + 2])) {
        out[i] = 1;
        break;
      }
    }
  }
  return out;
}

export interface ReseededCloud {
  /** The trained Gaussians some view sees, then the seeds none sees. */
  cloud: GaussianCloud;
  /** Per Gaussian of `cloud`: its ancestor's row in `seeds` (the trained ones keep theirs; a seed is its own). */
  lineage: Int32Array;
  /** Trained Gaussians dropped (out of every view) and seeds put back. */
  dropped: number;
  restored: number;
}

/**
 * `trained` (with `lineage`, its rows' ancestors in `seeds`) with the out-of-view parts replaced by
 * `seeds`' out-of-view Gaussians. Both clouds have the same SH degree (the trainer keeps its seeds').
 */
export function reseedOutOfView(
  trained: GaussianCloud,
  lineage: Int32Array,
  seeds: GaussianCloud,
  cameras: readonly RasterCamera[],
): ReseededCloud {
  if (lineage.length !== trained.count) throw new RangeError(`lineage has ${lineage.length} rows, the trained cloud ${trained.count}`);
  const seen = seenMask(trained, cameras);
  const seedSeen = seenMask(seeds, cameras);
  const kept: number[] = [];
  for (let i = 0; i < trained.count; i++) if (seen[i]) kept.push(i);
  const back: number[] = [];
  for (let i = 0; i < seeds.count; i++) if (!seedSeen[i]) back.push(i);
  const cloud = concatClouds(selectGaussians(trained, kept), selectGaussians(seeds, back));
  const out = new Int32Array(cloud.count);
  kept.forEach((i, j) => (out[j] = lineage[i]));
  back.forEach((i, k) => (out[kept.length + k] = i));
  return { cloud, lineage: out, dropped: trained.count - kept.length, restored: back.length };
}
